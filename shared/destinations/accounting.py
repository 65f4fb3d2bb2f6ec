"""Accounting software connectors: one interface, Pennylane's supplier-invoice import first.

`AccountingConnector` is what another software implements (Tiime, Sage, Cegid...):
`import_supplier_invoice(parcel, client) -> external id`, idempotent per `parcel.key`.
`AccountingSender` makes any connector a partner `Sender`: purchase documents (index
`doc_type` AP) are imported, sales documents are acknowledged without import (the
connector answers for supplier invoices only) and say so in the receipt.

**Pennylane (Company API v2)**, the firm's OAuth token, the client's Pennylane company id
in `X-Company-Id` (activation parameter `external_id`):
1. idempotency: `GET /api/external/v2/supplier_invoices?filter=[external_reference eq KEY]`
   finds an invoice imported by an earlier attempt whose answer was lost;
2. the supplier by name (`GET /suppliers?filter=[name eq ...]`), created when missing;
3. the PDF: `POST /api/external/v2/file_attachments` (multipart);
4. `POST /api/external/v2/supplier_invoices/import` with `file_attachment_id`,
   `supplier_id`, `date`, `deadline`, `invoice_number`, `currency`, amounts as decimal
   strings (`currency_amount`, `currency_amount_before_tax`, `currency_tax`), one
   invoice line per VAT rate (`vat_rate` such as `FR_200`) and `external_reference` = the
   delivery key.
Failures: 401 -> `ReconnectNeeded`; 429 (Retry-After) and 5xx -> retried then
`RetryableError`; 422 and other 4xx -> `DestinationError` with Pennylane's message.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Protocol

import requests

from shared.destinations.base import (
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    Transient,
)
from shared.destinations.parcel import Parcel

PENNYLANE = "https://app.pennylane.com/api/external/v2"
# French VAT rates as Pennylane names them (rate in percent -> code).
VAT_CODES = {
    Decimal("20"): "FR_200",
    Decimal("10"): "FR_100",
    Decimal("5.5"): "FR_55",
    Decimal("2.1"): "FR_21",
    Decimal("0"): "exempt",
}
CENT = Decimal("0.01")


def invoice_lines(index: dict[str, Any], total: Decimal, tax: Decimal) -> list[dict[str, str]]:
    """One line per VAT rate whose amounts add up to the invoice's total exactly.

    >>> invoice_lines({"vat_rates": {"20": "20.00"}, "supplier": "Acme"}, Decimal("120.00"),
    ...               Decimal("20.00"))[0]["currency_amount"]
    '120.00'
    >>> [l["currency_amount"] for l in invoice_lines({"vat_rates": {"20": "2.00", "5.5": "0.55"}},
    ...                                                Decimal("22.55"), Decimal("2.55"))]
    ['10.55', '12.00']
    """
    label = f"{index.get('supplier') or 'Invoice'} {index.get('number') or ''}".strip()
    rates = sorted(
        (Decimal(str(r)), Decimal(str(a))) for r, a in (index.get("vat_rates") or {}).items()
    )
    if len(rates) <= 1:
        rate = rates[0][0] if rates else Decimal(0)
        code = VAT_CODES.get(rate.normalize() if rate else Decimal(0), "exempt")
        return [
            {
                "label": label,
                "currency_amount": str(total),
                "currency_tax": str(tax),
                "vat_rate": code,
            }
        ]
    lines, remaining = [], total
    for number, (rate, vat) in enumerate(rates):
        last = number == len(rates) - 1
        amount = (
            remaining if last else ((vat * (100 + rate) / rate).quantize(CENT) if rate else vat)
        )
        remaining -= amount
        code = VAT_CODES.get(rate.normalize() if rate else Decimal(0), "exempt")
        lines.append(
            {
                "label": label,
                "currency_amount": str(amount),
                "currency_tax": str(vat),
                "vat_rate": code,
            }
        )
    return lines


class AccountingConnector(Protocol):
    kind: str

    def import_supplier_invoice(self, parcel: Parcel, client: str) -> str: ...


class AccountingSender:
    """A connector as a partner `Sender`, for one client of the firm."""

    def __init__(self, connector: AccountingConnector, client: str) -> None:
        if not client:
            raise ValueError("an accounting activation needs the client's external_id")
        self.connector = connector
        self.client = client
        self.kind = connector.kind

    def send(self, parcel: Parcel) -> str:
        if parcel.update_of is not None:
            # The accounting software reconciles its imported invoices with the bank itself.
            return "not sent: an imported invoice is not updated"
        if parcel.index.get("doc_type") != "AP":
            return "not imported: not a supplier invoice"
        return self.connector.import_supplier_invoice(parcel, self.client)


class _Status(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _classify(exc: Exception, what: str) -> Exception:
    if isinstance(exc, _Status):
        response = exc.response
        status = response.status_code
        text = f"Pennylane {what}: HTTP {status} {response.text[:200]}"
        if status == 401:
            return ReconnectNeeded(f"Pennylane {what}: token refused")
        if status == 429 or status >= 500:
            try:
                after: float | None = float(response.headers.get("Retry-After", ""))
            except ValueError:
                after = None
            return Transient(RetryableError(text), after)
        return DestinationError(text)
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return Transient(RetryableError(f"Pennylane {what}: connection failed"))
    if isinstance(exc, DestinationError):
        return exc
    return DestinationError(f"Pennylane {what} failed: {exc!r}")


def _filter(field: str, value: str) -> str:
    return json.dumps([{"field": field, "operator": "eq", "value": value}])


class Pennylane:
    kind = "accounting"

    def __init__(
        self,
        token: str,
        base_url: str = PENNYLANE,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy(max_attempts=6, max_delay=60.0)
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retries = 0

    def _once(self, method: str, path: str, client: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", "X-Company-Id": client}
        response = self.session.request(
            method, self.base_url + path, headers=headers, timeout=self.timeout, **kw
        )
        if response.status_code >= 400:
            raise _Status(response)
        return response.json()

    def _count(self) -> None:
        self.retries += 1

    def import_supplier_invoice(self, parcel: Parcel, client: str) -> str:
        """Import once: every attempt starts with the lookups, so a retry after a lost
        answer adopts what the earlier attempt created instead of making a second one."""
        return self.retry.call(
            lambda: self._import_once(parcel, client),
            lambda exc: _classify(exc, f"import {parcel.name}"),
            self._count,
        )

    def _supplier(self, name: str, client: str) -> int:
        found = self._once("GET", "/suppliers", client, params={"filter": _filter("name", name)})
        if found.get("items"):
            return int(found["items"][0]["id"])
        return int(self._once("POST", "/suppliers", client, json={"name": name})["id"])

    def _import_once(self, parcel: Parcel, client: str) -> str:
        done = self._once(
            "GET",
            "/supplier_invoices",
            client,
            params={"filter": _filter("external_reference", parcel.key)},
        )
        if done.get("items"):
            return str(done["items"][0]["id"])
        index = parcel.index
        supplier = self._supplier(str(index.get("supplier") or "Unknown supplier"), client)
        attachment = self._once(
            "POST",
            "/file_attachments",
            client,
            files={"file": (parcel.name, parcel.data, parcel.mime_type)},
        )
        total = Decimal(str(index.get("total") or "0"))
        tax = Decimal(str(index.get("vat") or "0"))
        body = {
            "file_attachment_id": attachment["id"],
            "supplier_id": supplier,
            "date": index.get("date"),
            "deadline": index.get("due_date") or index.get("date"),
            "invoice_number": index.get("number"),
            "currency": index.get("currency") or "EUR",
            "currency_amount": str(total),
            "currency_amount_before_tax": str(total - tax),
            "currency_tax": str(tax),
            "external_reference": parcel.key,
            "invoice_lines": invoice_lines(index, total, tax),
        }
        return str(self._once("POST", "/supplier_invoices/import", client, json=body)["id"])
