"""Route modules, one per area. To add one: create `functions/api/routes/<area>.py` with
`table = RouteTable()` and `@table.route(METHOD, "/path/{param}", access)` handlers, list
it in `TABLES` below, and document every route in `functions/api/openapi.yaml` (a test
fails on a route without its documentation, or documentation without its route)."""

from __future__ import annotations

from functions.api.routes import (
    accounts,
    documents,
    ebics,
    integrations,
    meta,
    ops,
    organizations,
    partners,
    whatsapp,
)

TABLES = [
    meta.table,
    organizations.table,
    ebics.table,
    whatsapp.table,
    integrations.table,
    documents.table,
    ops.table,
    partners.table,
    accounts.table,
]
