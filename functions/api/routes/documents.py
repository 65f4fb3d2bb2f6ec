"""Document routes: upload (the app channel), list, one document, supplier invoices
awaiting payment, attach / detach by hand, learned aliases. Rules:
shared/usecases/documents.py."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from functions.api.auth import ANY_MEMBER, member
from functions.api.errors import InvalidRequest, NotFound, PayloadTooLarge
from functions.api.ids import check_id
from functions.api.router import Call, RouteTable
from shared.domain.entities import Role
from shared.usecases import documents as usecase

table = RouteTable()
DOCS = "/organizations/{org}/documents"
MULTIPART_OVERHEAD = 64 * 1024


@lru_cache(maxsize=1)
def document_deps() -> usecase.DocumentDeps:
    from shared import runtime
    from shared.config import settings
    from shared.events.pubsub import publish
    from shared.store.dropzone import DropzoneRepository
    from shared.store.manual_matches import ManualMatchStore

    store = runtime.store()
    config = settings()
    return usecase.DocumentDeps(
        store=store,
        blobs=runtime.blobs(),
        manual=ManualMatchStore(store.db),
        publish=lambda payload: publish(config.project, config.topic_documents_received, payload),
        list_awaiting_payment=DropzoneRepository(store).list_awaiting_payment,
        max_bytes=config.max_document_bytes,
        approved=runtime.publish_document_approved,
    )


@table.route("POST", DOCS, ANY_MEMBER)
def upload(call: Call) -> tuple[Any, int]:
    """Upload a receipt or invoice (multipart/form-data, field `file`)."""
    deps = document_deps()
    length = call.request.content_length
    if length is not None and length > deps.max_bytes + MULTIPART_OVERHEAD:
        raise PayloadTooLarge(f"a document is at most {deps.max_bytes} bytes")
    if not (call.request.mimetype or "").startswith("multipart/form-data"):
        raise InvalidRequest("send the file as multipart/form-data, field 'file'")
    file = call.request.files.get("file")
    if file is None:
        raise InvalidRequest("the multipart body needs a 'file' field")
    data = file.stream.read(deps.max_bytes + 1)
    try:
        document, created = usecase.upload(deps, call.org, call.member, data, file.filename or "")
    except usecase.TooLarge as exc:
        raise PayloadTooLarge(str(exc)) from None
    answer = usecase.get_document(deps, call.org, document.id)
    return {**answer, "created": created}, 201 if created else 200


@table.route("GET", DOCS, ANY_MEMBER)
def list_documents(call: Call) -> tuple[Any, int]:
    """Documents, newest first, with status, match score and reasons."""
    page = usecase.list_documents(
        document_deps(), call.org, call.query("status"), _limit(call), call.query("page_token")
    )
    return page, 200


def _limit(call: Call) -> int:
    raw_limit = call.query("limit") or "100"
    if not raw_limit.isdigit():
        raise InvalidRequest("limit must be a number")
    return int(raw_limit)


@table.route("GET", DOCS + "/awaiting-payment", ANY_MEMBER)
def awaiting_payment(call: Call) -> tuple[Any, int]:
    """Supplier invoices awaiting payment, earliest due date first."""
    return {"invoices": usecase.awaiting_payment(document_deps(), call.org)}, 200


@table.route("GET", DOCS + "/{document_id}", ANY_MEMBER)
def get_document(call: Call) -> tuple[Any, int]:
    """One document."""
    return usecase.get_document(document_deps(), call.org, call.params["document_id"]), 200


MATCHERS = member(*usecase.MATCHERS)


@table.route("POST", DOCS + "/{document_id}/attach", MATCHERS)
def attach(call: Call) -> tuple[Any, int]:
    """Attach a document to a transaction by hand (the engine never undoes it)."""
    tx_id = call.body().get("transaction_id")
    if not isinstance(tx_id, str):
        raise InvalidRequest("transaction_id must be a string")
    check_id("transaction_id", tx_id)
    answer = usecase.attach(
        document_deps(), call.org, call.member, call.params["document_id"], tx_id
    )
    return answer, 200


@table.route("POST", DOCS + "/{document_id}/detach", MATCHERS)
def detach(call: Call) -> tuple[Any, int]:
    """Detach a document by hand; the engine never attaches that pair again."""
    return usecase.detach(document_deps(), call.org, call.member, call.params["document_id"]), 200


@table.route("GET", "/organizations/{org}/matching/aliases", ANY_MEMBER)
def aliases(call: Call) -> tuple[Any, int]:
    """What matching learned from attachments by hand, explained, a page at a time."""
    page = usecase.list_aliases(document_deps(), call.org, _limit(call), call.query("page_token"))
    return page, 200


@table.route(
    "DELETE",
    "/organizations/{org}/matching/aliases/{alias_id}",
    member(Role.OWNER, Role.ADMIN, Role.ACCOUNTANT),
)
def delete_alias(call: Call) -> tuple[Any, int]:
    """Forget a learned alias."""
    if not document_deps().manual.delete_alias(call.org, call.params["alias_id"]):
        raise NotFound(f"alias {call.params['alias_id']} not found")
    return {"deleted": call.params["alias_id"]}, 200
