"""A local Pennylane Company API v2 (the parts the supplier-invoice import uses), with faults.

- Bearer token and `X-Company-Id` required (401 / 403 otherwise); each company id has
  its own suppliers, attachments and invoices;
- `GET /suppliers?filter=[{"field":"name","operator":"eq","value":...}]`, `POST /suppliers`;
- `POST /file_attachments` (multipart `file`, PDF only: 422 otherwise);
- `POST /supplier_invoices/import`: 422 when the amounts do not add up (lines vs total,
  before tax + tax vs total), when the attachment is unknown or already used (Pennylane
  refuses the same PDF twice), 201 with the invoice otherwise;
- `GET /supplier_invoices?filter=[external_reference eq ...]`.
`lose_import_answers = n`: the next n imports are stored, then answered 504.
Faults (`faults`, a `FaultPlan`): a planned 429 carries `Retry-After: retry_after`.
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.faults import FaultPlan

PREFIX = "/api/external/v2"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


class FakePennylane:
    def __init__(self, token: str = "pl-token", retry_after: int = 0) -> None:
        self.token = token
        self.retry_after = retry_after
        self.faults = FaultPlan()
        self.lock = threading.Lock()
        self.companies: dict[str, dict[str, Any]] = {}
        self.next_id = 1
        self.lose_import_answers = 0  # imports stored, then answered 504 (answer lost)

    def company(self, company_id: str) -> dict[str, Any]:
        return self.companies.setdefault(
            company_id, {"suppliers": [], "attachments": {}, "invoices": []}
        )

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            response = self._route(request)
            lost = response.status_code < 300 and self.faults.take(request.method, after=True)
        if lost:
            response = _json({"error": "lost"}, lost[0])
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        fault = self.faults.take(request.method, after=False)
        if fault:
            headers = {"Retry-After": str(self.retry_after)} if fault[0] == 429 else None
            return _json({"error": "fault"}, fault[0], headers)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json({"error": "unauthorized"}, 401)
        company_id = request.headers.get("X-Company-Id", "")
        if not company_id:
            return _json({"error": "X-Company-Id required"}, 403)
        data = self.company(company_id)
        path = request.path.removeprefix(PREFIX)
        filters = json.loads(request.args.get("filter", "[]") or "[]")
        if path == "/suppliers" and request.method == "GET":
            items = [
                s
                for s in data["suppliers"]
                if all(s.get(f["field"]) == f["value"] for f in filters)
            ]
            return _json({"items": items, "has_more": False})
        if path == "/suppliers" and request.method == "POST":
            supplier = {"id": self._id(), "name": (request.get_json() or {}).get("name")}
            data["suppliers"].append(supplier)
            return _json(supplier, 201)
        if path == "/file_attachments" and request.method == "POST":
            upload = request.files.get("file")
            if upload is None:
                return _json({"error": "file required"}, 422)
            content = upload.read()
            if not content.startswith(b"%PDF"):
                return _json({"error": "only PDF files"}, 422)
            attachment = {
                "id": self._id(),
                "filename": upload.filename,
                "content": content,
                "used": False,
            }
            data["attachments"][attachment["id"]] = attachment
            return _json({"id": attachment["id"], "filename": upload.filename}, 201)
        if path == "/supplier_invoices" and request.method == "GET":
            items = [
                i for i in data["invoices"] if all(i.get(f["field"]) == f["value"] for f in filters)
            ]
            return _json({"items": items, "has_more": False})
        if path == "/supplier_invoices/import" and request.method == "POST":
            return self._import(data, request.get_json() or {})
        return _json({"error": "not found"}, 404)

    def _import(self, data: dict[str, Any], body: dict[str, Any]) -> Response:
        attachment = data["attachments"].get(body.get("file_attachment_id"))
        if attachment is None:
            return _json({"error": "unknown file attachment"}, 422)
        if any(
            a["content"] == attachment["content"] and a["used"]
            for a in data["attachments"].values()
        ):
            return _json({"error": "this file was already imported"}, 422)
        if not any(s["id"] == body.get("supplier_id") for s in data["suppliers"]):
            return _json({"error": "unknown supplier"}, 422)
        total = Decimal(body["currency_amount"])
        if Decimal(body["currency_amount_before_tax"]) + Decimal(body["currency_tax"]) != total:
            return _json({"error": "amount before tax + tax must equal the amount"}, 422)
        if sum(Decimal(line["currency_amount"]) for line in body.get("invoice_lines", [])) != total:
            return _json({"error": "invoice lines must add up to the amount"}, 422)
        attachment["used"] = True
        invoice = {k: v for k, v in body.items()} | {"id": self._id()}
        data["invoices"].append(invoice)
        if self.lose_import_answers:
            self.lose_import_answers -= 1
            return _json({"error": "gateway timeout"}, 504)
        return _json(invoice, 201)
