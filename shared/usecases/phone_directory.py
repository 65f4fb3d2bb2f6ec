"""Rebuild the WhatsApp phone directory (phone -> user -> companies) from the members.

The directory is what the webhook reads to find a sender's companies, so it must
never say more than the members do: a member removed from a company, or whose
number changed, loses that company here: at once for the numbers a member event
touches (`sync_phones`), and for the whole directory daily at 09:00 and after any
bulk change (`sync_phone_directory`). Entries are rewritten only when they differ, and
the company a user picked in the chat is kept while it is still one of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.domain.entities import Member
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
    """Rebuild the whole directory from every member with a phone (daily, and by ops)."""
    wanted, invalid = _wanted_entries(store.members_with_phones())
    current = {entry.phone: entry for entry in store.phone_directory()}
    report = _apply(store, wanted, current, invalid)
    log.info("phone directory synced", **report.__dict__)
    return report


def sync_phones(store: FirestoreStore, phones: Iterable[str]) -> SyncReport:
    """Bring the entries of `phones` (E.164) in line with their members only: what a
    member's phone change or removal touches (the old number and the new one). The
    rest of the directory is neither read nor written."""
    numbers = sorted(set(phones))
    wanted, invalid = _wanted_entries(m for n in numbers for m in store.members_with_phone(n))
    current = {n: e for n in numbers if (e := store.lookup_phone(n)) is not None}
    report = _apply(store, wanted, current, invalid)
    log.info("phone directory entries synced", **report.__dict__)
    return report


def _wanted_entries(members: Iterable[Member]) -> tuple[dict[str, PhoneEntry], int]:
    """phone -> entry the members call for (the active company not chosen yet), and how
    many members' numbers are not E.164."""
    wanted: dict[str, PhoneEntry] = {}
    invalid = 0
    for member in sorted(members, key=lambda m: (m.organization_id, m.user_id)):
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
    return wanted, invalid


def _apply(
    store: FirestoreStore,
    wanted: dict[str, PhoneEntry],
    current: dict[str, PhoneEntry],
    invalid: int,
) -> SyncReport:
    """Write the entries of `wanted` that differ from `current`, keeping the company a
    user picked while it is still theirs; delete those of `current` no longer wanted."""
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
    return SyncReport(written, len(stale), unchanged, invalid)
