"""Rebuild the WhatsApp phone directory (phone -> user -> companies) from the members.

The directory is what the webhook reads to find a sender's companies, so it must
never say more than the members do: a member removed from a company, or whose
number changed, loses that company here at the next sync (daily at 09:00, and after
any bulk change). Entries are rewritten only when they differ, and the company a
user picked in the chat is kept while it is still one of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.domain.identifiers import InvalidIdentifier, phone_e164
from shared.log import get_logger
from shared.store.firestore_store import FirestoreStore, PhoneEntry

log = get_logger(__name__)


@dataclass(frozen=True)
class SyncReport:
    written: int
    removed: int
    unchanged: int
    invalid_numbers: int


def sync_phone_directory(store: FirestoreStore) -> SyncReport:
    wanted: dict[str, PhoneEntry] = {}
    invalid = 0
    for member in sorted(store.members_with_phones(), key=lambda m: (m.organization_id, m.user_id)):
        try:
            phone = phone_e164(member.phone or "")
        except InvalidIdentifier:
            invalid += 1
            log.warning(
                "member phone is not E.164",
                organization_id=member.organization_id,
                user_id=member.user_id,
            )
            continue
        entry = wanted.get(phone)
        if entry is not None and entry.user_id != member.user_id:
            # Two users claim one number: refuse to guess which one a message comes from.
            log.warning("phone number shared by two users; first kept", user_id=member.user_id)
            continue
        orgs = (entry.organization_ids if entry else ()) + (member.organization_id,)
        wanted[phone] = PhoneEntry(phone, member.user_id, orgs, None)

    current = {entry.phone: entry for entry in store.phone_directory()}
    written = unchanged = 0
    for phone, entry in wanted.items():
        previous = current.get(phone)
        active = (
            previous.active_organization_id
            if previous and previous.active_organization_id in entry.organization_ids
            else entry.organization_ids[0]
        )
        entry = PhoneEntry(phone, entry.user_id, entry.organization_ids, active)
        if previous == entry:
            unchanged += 1
            continue
        store.put_phone_entry(entry)
        written += 1
    stale = [phone for phone in current if phone not in wanted]
    for phone in stale:
        store.delete_phone_entry(phone)
    report = SyncReport(written, len(stale), unchanged, invalid)
    log.info("phone directory synced", **report.__dict__)
    return report
