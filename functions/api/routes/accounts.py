"""Accounts aggregated from other banks: statement upload. Rules:
shared/usecases/statements_upload.py."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from functions.api.auth import member
from functions.api.errors import InvalidRequest, PayloadTooLarge
from functions.api.router import Call, RouteTable
from shared.domain.entities import Role
from shared.usecases import statements_upload as usecase

table = RouteTable()


@lru_cache(maxsize=1)
def statement_deps() -> usecase.StatementDeps:
    from shared import runtime
    from shared.store.feed import FeedStore
    from shared.usecases.rematch import rematch_organization

    store = runtime.store()
    return usecase.StatementDeps(
        store=store,
        feed=FeedStore(store.db),
        rematch=lambda org_id: rematch_organization(org_id, runtime.processor_deps()),
    )


@table.route(
    "POST",
    "/organizations/{org}/accounts/{account_id}/statements",
    member(Role.OWNER, Role.ADMIN, Role.ACCOUNTANT),
)
def upload_statement(call: Call) -> tuple[Any, int]:
    """Upload an MT940, CFONB-120 or camt.053 statement of an aggregated account."""
    length = call.request.content_length
    if length is not None and length > usecase.MAX_FILE_BYTES + 64 * 1024:
        raise PayloadTooLarge(f"a statement file is at most {usecase.MAX_FILE_BYTES} bytes")
    if not (call.request.mimetype or "").startswith("multipart/form-data"):
        raise InvalidRequest("send the file as multipart/form-data, field 'file'")
    file = call.request.files.get("file")
    if file is None:
        raise InvalidRequest("the multipart body needs a 'file' field")
    data = file.stream.read(usecase.MAX_FILE_BYTES + 1)
    answer = usecase.upload_statement(statement_deps(), call.org, call.params["account_id"], data)
    return answer, 200
