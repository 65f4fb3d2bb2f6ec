"""Documents through the API (the web and app channel): upload, list with status and
match, supplier invoices awaiting payment, attach and detach by hand, learned aliases.

Upload follows the WhatsApp intake rules: at most `max_bytes`, the bytes decide the type
(`shared.extraction.intake.sniff`; HEIC/HEIF/JPEG/PNG/PDF), stored content-addressed,
then `documents.received` for the processor. The same file uploaded again to the same
company is the same document (its id comes from the checksum): no duplicate.

A person's decision wins: an attachment by hand is never released by the engine, a
detachment by hand is never undone (see shared/store/manual_matches.py), and each
attachment by hand teaches matching an alias (the transaction's counterparty text and
IBAN pay the document's supplier, known by its name, VAT id and IBAN), stored per
organization, listed and removable.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from shared import errors
from shared.domain.entities import Document, DocumentStatus, Member, Role
from shared.extraction.intake import sniff
from shared.log import get_logger
from shared.matching.aliases import AliasLine, learn_alias
from shared.matching.model import normalize_iban, normalize_vat
from shared.store.manual_matches import LearnedAlias, ManualMatchStore
from shared.usecases.matching_service import transaction_line

log = get_logger(__name__)

ACCEPTED_MEDIA = ("image/heic", "image/heif", "image/jpeg", "image/png", "application/pdf")
MATCHERS = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT, Role.MANAGER})
MAX_LIST = 500


class DocumentError(errors.AppError):
    """Base of the document errors (each also has its category below)."""


class Refused(DocumentError, errors.Refused):
    """The upload is not a document we take (type, empty)."""


class TooLarge(DocumentError, errors.TooLarge):
    pass


class NotFound(DocumentError, errors.NotFound):
    pass


class Conflict(DocumentError, errors.Conflict):
    pass


class InvalidRequest(DocumentError, errors.Invalid):
    pass


@dataclass
class DocumentDeps:
    store: Any  # FirestoreStore
    blobs: Any  # BlobStore
    manual: ManualMatchStore
    publish: Callable[[dict], Any]  # documents.received
    list_awaiting_payment: Callable[[str], list[Any]]
    max_bytes: int
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    # (organization id, document id) on `documents.approved` after a person attaches or
    # detaches: the firms that received the document get its index record again.
    approved: Callable[[str, str], Any] | None = None


def upload(
    deps: DocumentDeps, org_id: str, member: Member, data: bytes, filename: str
) -> tuple[Document, bool]:
    """Store an uploaded file as a document; (document, created)."""
    if len(data) > deps.max_bytes:
        raise TooLarge(f"a document is at most {deps.max_bytes} bytes")
    media_type = sniff(data) if data else None
    if media_type not in ACCEPTED_MEDIA:
        raise Refused("empty_file" if not data else "unsupported_type")
    uri, checksum = deps.blobs.put_document(org_id, data, media_type)
    document_id = f"up-{checksum[:40]}"
    existing = deps.store.get_document(org_id, document_id)
    if existing is not None:
        return existing, False
    document = Document(
        id=document_id,
        organization_id=org_id,
        source="upload",
        checksum=checksum,
        storage_uri=uri,
        media_type=media_type,
        received_at=deps.now(),
        origin={"channel": "upload", "member_id": member.user_id, "filename": filename[:255]},
    )
    created = deps.store.create_document(document)
    if created:
        deps.publish({"organization_id": org_id, "document_id": document_id})
        log.info("document uploaded", organization_id=org_id, document_id=document_id)
    stored = deps.store.get_document(org_id, document_id)
    return stored or document, created


def api_status(document: Document) -> str:
    """matched, waiting (for its transaction), refused, duplicate or received."""
    if document.status == DocumentStatus.REFUSED:
        if "duplicate" in (document.refusal_reason or ""):
            return "duplicate"
        return "refused"
    if document.status == DocumentStatus.MATCHED:
        return "matched"
    if document.status == DocumentStatus.UNMATCHED:
        return "waiting"
    return "received"


def document_json(document: Document, raw: dict[str, Any] | None = None) -> dict[str, Any]:
    total = document.total
    raw = raw or {}
    return {
        "id": document.id,
        "source": document.source,
        "status": api_status(document),
        "received_at": document.received_at.isoformat(),
        "media_type": document.media_type,
        "document_type": document.document_type.value if document.document_type else None,
        "supplier_name": document.supplier_name,
        "issue_date": document.issue_date.isoformat() if document.issue_date else None,
        "due_date": document.due_date.isoformat() if document.due_date else None,
        "total": str(total.amount) if total else None,
        "currency": total.currency if total else None,
        "invoice_number": document.invoice_number,
        "transaction_id": document.transaction_id,
        "match_score": document.match_score,
        "match_reasons": list(document.match_reasons),
        "match_source": raw.get("match_source") or ("engine" if document.transaction_id else None),
        "refusal_reason": document.refusal_reason,
    }


def list_documents(
    deps: DocumentDeps, org_id: str, status: str | None, limit: int, page_token: str | None = None
) -> dict[str, Any]:
    """One page of documents, newest first, and the token of the next page (None at
    the end). A page may hold fewer than `limit` (duplicates and other refusals are
    stored alike and told apart here); the token, not the count, says whether more
    follow."""
    wanted = {
        None: None,
        "matched": DocumentStatus.MATCHED,
        "waiting": DocumentStatus.UNMATCHED,
        "refused": DocumentStatus.REFUSED,
        "duplicate": DocumentStatus.REFUSED,
        "received": DocumentStatus.RECEIVED,
    }
    if status not in wanted:
        raise InvalidRequest(f"status must be one of {[k for k in wanted if k]}")
    if not 1 <= limit <= MAX_LIST:
        raise InvalidRequest(f"limit must be 1-{MAX_LIST}")
    after = _page_after(page_token, f"documents:{status or ''}")
    try:
        documents, last = deps.store.page_documents(org_id, wanted[status], limit, after)
    except errors.NotFound:
        raise InvalidRequest("page_token no longer points at a document: list again") from None
    out = [document_json(d) for d in documents]
    if status is not None:
        out = [d for d in out if d["status"] == status]
    next_token = _page_token(f"documents:{status or ''}", last) if last else None
    return {"documents": out, "next_page_token": next_token}


def list_aliases(
    deps: DocumentDeps, org_id: str, limit: int, page_token: str | None = None
) -> dict[str, Any]:
    """One page of learned aliases, by descriptor, and the token of the next page."""
    if not 1 <= limit <= MAX_LIST:
        raise InvalidRequest(f"limit must be 1-{MAX_LIST}")
    after = _page_after(page_token, "aliases")
    try:
        aliases, last = deps.manual.page_aliases(org_id, limit, after)
    except errors.NotFound:
        raise InvalidRequest("page_token no longer points at an alias: list again") from None
    next_token = _page_token("aliases", last) if last else None
    return {"aliases": [alias_json(a) for a in aliases], "next_page_token": next_token}


def _page_token(listing: str, last_id: str) -> str:
    # Opaque to clients; names its listing so a token is not replayed on another.
    return base64.urlsafe_b64encode(f"{listing}\n{last_id}".encode()).decode().rstrip("=")


def _page_after(token: str | None, listing: str) -> str | None:
    """The id a page token continues after; InvalidRequest for a token that is not
    one of this listing's (another filter, altered, or made up)."""
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    kind, _, last_id = raw.partition("\n")
    # Not a Firestore id (a path, `.`, `..`, a reserved `__x__`): not one we handed out.
    reserved = last_id in (".", "..") or (last_id.startswith("__") and last_id.endswith("__"))
    if kind != listing or not last_id or "/" in last_id or reserved:
        raise InvalidRequest("page_token is not a token of this listing")
    return last_id


def get_document(deps: DocumentDeps, org_id: str, document_id: str) -> dict[str, Any]:
    document = deps.store.get_document(org_id, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found")
    raw = deps.store.db.document(f"organizations/{org_id}/documents/{document_id}").get().to_dict()
    return document_json(document, raw)


def awaiting_payment(deps: DocumentDeps, org_id: str) -> list[dict[str, Any]]:
    return [
        {
            "document_id": i.document_id,
            "supplier_name": i.supplier_name,
            "invoice_number": i.invoice_number,
            "issue_date": i.issue_date.isoformat() if i.issue_date else None,
            "due_date": i.due_date.isoformat() if i.due_date else None,
            "total": str(i.total.amount) if i.total else None,
            "currency": i.total.currency if i.total else None,
        }
        for i in deps.list_awaiting_payment(org_id)
    ]


def _require_matcher(member: Member) -> None:
    if member.role not in MATCHERS:
        raise NotAllowed(f"a {member.role.value} cannot attach or detach documents")


class NotAllowed(DocumentError, errors.Forbidden):
    pass


def attach(
    deps: DocumentDeps, org_id: str, member: Member, document_id: str, transaction_id: str
) -> dict[str, Any]:
    from shared.store.manual_matches import ManualMatchRefused, NotFoundError

    _require_matcher(member)
    now = deps.now()
    try:
        deps.manual.attach(org_id, document_id, transaction_id, member.user_id, now)
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None
    except ManualMatchRefused as exc:
        raise Conflict(str(exc)) from None
    alias = _taught_alias(deps, org_id, document_id, transaction_id, now)
    if alias is not None:
        deps.manual.put_alias(
            org_id,
            LearnedAlias(
                alias.id,
                alias.counterparty or "",
                alias.supplier_name or "",
                member.user_id,
                now,
                document_id,
                transaction_id,
                alias.supplier_vat,
                alias.supplier_iban,
                alias.counterparty_iban,
            ),
        )
    log.info("document attached by hand", organization_id=org_id, document_id=document_id)
    if deps.approved is not None:
        deps.approved(org_id, document_id)
    return get_document(deps, org_id, document_id)


class _DocumentSupplier(NamedTuple):
    id: str
    supplier_name: str | None
    supplier_vat: str | None
    supplier_iban: str | None


def _taught_alias(
    deps: DocumentDeps, org_id: str, document_id: str, transaction_id: str, now: datetime
) -> AliasLine | None:
    """What the attachment teaches (`learn_alias`): the supplier's name, VAT id and IBAN
    as read from the document, paired with the counterparty text and IBAN of the
    transaction. Nothing when either side has nothing to recognise it by."""
    document = deps.store.get_document(org_id, document_id)
    transaction = deps.store.get_transaction(org_id, transaction_id)
    if document is None or transaction is None:
        return None
    read = (document.fields.get("documents") or [{}])[0]
    supplier = _DocumentSupplier(
        document.id,
        (document.supplier_name or str(read.get("supplier_name") or "")).strip() or None,
        normalize_vat(str(read.get("supplier_vat") or "")),
        normalize_iban(str(read.get("supplier_iban") or "")),
    )
    return learn_alias(supplier, transaction_line(transaction), now.date())


def detach(deps: DocumentDeps, org_id: str, member: Member, document_id: str) -> dict[str, Any]:
    from shared.store.manual_matches import NotFoundError

    _require_matcher(member)
    try:
        deps.manual.detach(org_id, document_id, member.user_id, deps.now())
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None
    if deps.approved is not None:
        deps.approved(org_id, document_id)
    return get_document(deps, org_id, document_id)


def alias_json(alias: LearnedAlias) -> dict[str, Any]:
    return {
        "id": alias.id,
        "descriptor": alias.descriptor,
        "supplier": alias.supplier,
        "supplier_vat": alias.supplier_vat,
        "supplier_iban": alias.supplier_iban,
        "counterparty_iban": alias.counterparty_iban,
        "explanation": f"{_bank_side(alias)} on the statement pays {_supplier_side(alias)} "
        f"(taught by {alias.created_by} attaching {alias.document_id} to {alias.transaction_id})",
        "created_by": alias.created_by,
        "created_at": alias.created_at.isoformat() if alias.created_at else None,
        "document_id": alias.document_id,
        "transaction_id": alias.transaction_id,
    }


def _bank_side(alias: LearnedAlias) -> str:
    keys = [f"'{alias.descriptor}'"] if alias.descriptor else []
    if alias.counterparty_iban:
        keys.append(f"IBAN {alias.counterparty_iban}")
    return " / ".join(keys)


def _supplier_side(alias: LearnedAlias) -> str:
    keys = [f"'{alias.supplier}'"] if alias.supplier else []
    if alias.supplier_vat:
        keys.append(f"VAT {alias.supplier_vat}")
    if alias.supplier_iban:
        keys.append(f"IBAN {alias.supplier_iban}")
    return " / ".join(keys)
