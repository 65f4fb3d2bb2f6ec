"""ISO 20022 camt.053 (bank-to-customer statement) reader: `parse(data) -> [ParsedStatement]`.

Reads the versions banks send (camt.053.001.02 to .001.13): the namespace is checked to
be camt.053, elements are found by local name. Safe XML: no DTD, no entities, no network,
at most `MAX_FILE_BYTES` and `MAX_ENTRIES`. Only booked entries (`Sts` BOOK) are statement
entries; pending ones are skipped. When the opening (OPBD/PRCD) and closing (CLBD)
booked balances are both given, they must add up with the entries, else the file is
refused: a statement that does not balance is not read partially.

>>> xml = b'''<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
... <Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
... <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt>
... <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-19</Dt></Dt></Bal>
... <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">57.50</Amt>
... <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>
... <Ntry><Amt Ccy="EUR">42.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
... <BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt>
... <NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Cafe du Coin</Nm></Cdtr></RltdPties>
... <RmtInf><Ustrd>Ticket 42</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>
... </BkToCstmrStmt></Document>'''
>>> (statement,) = parse(xml)
>>> statement.account, str(statement.entries[0].amount), statement.entries[0].counterparty
('DE89370400440532013000', '-42.50', 'Cafe du Coin')
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from shared.formats.errors import FormatValidationError
from shared.formats.statement import ParsedEntry, ParsedStatement

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_AMOUNT_DIGITS = 18  # ISO 20022 ActiveOrHistoricCurrencyAndAmount: 18 digits, 5 decimals
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."


def _err(message: str, where: str | None = None) -> FormatValidationError:
    return FormatValidationError(message, where=where)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c) == name), None)
    return element


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if _local(c) == name]


def _text(element: etree._Element | None, *path: str) -> str:
    found = _child(element, *path) if path else element
    return (found.text or "").strip() if found is not None else ""


def _amount(element: etree._Element | None, where: str) -> tuple[Decimal, str]:
    if element is None:
        raise _err("amount missing", where)
    raw = (element.text or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _err(f"amount {raw[:30]!r} is not a decimal", where) from None
    if not value.is_finite() or value < 0 or value.adjusted() >= MAX_AMOUNT_DIGITS:
        raise _err(f"amount {raw[:30]!r} is out of range", where)
    currency = element.get("Ccy", "")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise _err("amount without an ISO 4217 Ccy", where)
    return value, currency


def _signed(element: etree._Element, where: str) -> tuple[Decimal, str]:
    value, currency = _amount(_child(element, "Amt"), where)
    indicator = _text(element, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise _err("CdtDbtInd must be CRDT or DBIT", where)
    return (value if indicator == "CRDT" else -value), currency


def _date(element: etree._Element | None, where: str) -> date:
    raw = _text(element, "Dt") or _text(element, "DtTm")
    try:
        value = datetime.fromisoformat(raw).date() if "T" in raw else date.fromisoformat(raw)
    except ValueError:
        raise _err(f"date {raw[:30]!r} is not ISO 8601", where) from None
    if not 2000 <= value.year <= 2099:
        raise _err(f"date {value.isoformat()} is outside 2000-2099", where)
    return value


def _status(entry: etree._Element) -> str:
    status = _child(entry, "Sts")
    if status is None:
        return "BOOK"
    return _text(status, "Cd") or _text(status)  # .001.08+: <Sts><Cd>BOOK</Cd></Sts>


def _party_name(details: etree._Element | None, side: str) -> str:
    parties = _child(details, "RltdPties")
    for path in ((side, "Nm"), (side, "Pty", "Nm")):
        name = _text(parties, *path)
        if name:
            return name
    return ""


def _entry(entry: etree._Element, currency: str, where: str) -> ParsedEntry:
    amount, entry_currency = _signed(entry, where)
    if entry_currency != currency:
        raise _err(f"entry in {entry_currency}, account in {currency}", where)
    booking = _date(_child(entry, "BookgDt"), where + " BookgDt")
    value_date = (
        _date(_child(entry, "ValDt"), where + " ValDt")
        if _child(entry, "ValDt") is not None
        else booking
    )
    details = _child(entry, "NtryDtls", "TxDtls")
    # The counterparty of a debit is the creditor, of a credit the debtor.
    counterparty = _party_name(details, "Cdtr" if amount < 0 else "Dbtr")
    remittance = _child(details, "RmtInf")
    unstructured = _children(remittance, "Ustrd") if remittance is not None else []
    reference = " ".join(_text(u) for u in unstructured)
    return ParsedEntry(
        amount=amount,
        booking_date=booking,
        value_date=value_date,
        counterparty=counterparty[:140],
        reference=reference.strip()[:500],
        end_to_end_id=_text(details, "Refs", "EndToEndId")[:35],
        bank_reference=_text(entry, "AcctSvcrRef")[:35],
        label=_text(entry, "AddtlNtryInf")[:500],
        line=entry.sourceline or 0,
    )


def _balance(statement: etree._Element, codes: tuple[str, ...]) -> tuple[Decimal, date] | None:
    for balance in _children(statement, "Bal"):
        if _text(balance, "Tp", "CdOrPrtry", "Cd") in codes:
            value, _ = _signed(balance, "Bal")
            return value, _date(_child(balance, "Dt"), "Bal Dt")
    return None


def parse(data: bytes) -> list[ParsedStatement]:
    """Every statement (`Stmt`) of a camt.053 file; FormatValidationError names the fault."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("camt.053 input must be bytes")
    if len(data) > MAX_FILE_BYTES:
        raise _err(f"file larger than {MAX_FILE_BYTES} bytes")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise _err("a DOCTYPE or ENTITY is not allowed in a statement file")
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise _err(f"not well-formed XML: {exc}") from None
    namespace = etree.QName(root).namespace or ""
    if _local(root) != "Document" or not namespace.startswith(NAMESPACE_PREFIX):
        raise _err(f"not a camt.053 document (namespace {namespace[:80]!r})")
    report = _child(root, "BkToCstmrStmt")
    if report is None:
        raise _err("BkToCstmrStmt missing")
    out: list[ParsedStatement] = []
    total = 0
    for index, statement in enumerate(_children(report, "Stmt")):
        where = f"Stmt {index + 1}"
        account = _child(statement, "Acct")
        iban = _text(account, "Id", "IBAN") or _text(account, "Id", "Othr", "Id")
        if not iban:
            raise _err("account id (IBAN) missing", where)
        currency = _text(account, "Ccy")
        entries_xml = _children(statement, "Ntry")
        total += len(entries_xml)
        if total > MAX_ENTRIES:
            raise _err(f"more than {MAX_ENTRIES} entries")
        booked = [e for e in entries_xml if _status(e) == "BOOK"]
        if not currency:
            first = _child(booked[0], "Amt") if booked else None
            currency = first.get("Ccy", "") if first is not None else "EUR"
        entries = [_entry(e, currency, f"{where} Ntry {i + 1}") for i, e in enumerate(booked)]
        opening = _balance(statement, ("OPBD", "PRCD"))
        closing = _balance(statement, ("CLBD",))
        if (
            opening
            and closing
            and opening[0] + sum((e.amount for e in entries), Decimal(0)) != closing[0]
        ):
            raise _err(f"balances do not add up: {opening[0]} + entries != {closing[0]}", where)
        days = [e.booking_date for e in entries]
        out.append(
            ParsedStatement(
                account=iban.replace(" ", "").upper(),
                currency=currency,
                opening_date=opening[1] if opening else (min(days) if days else date(2000, 1, 1)),
                closing_date=closing[1] if closing else (max(days) if days else date(2000, 1, 1)),
                opening_balance=opening[0] if opening else Decimal(0),
                closing_balance=closing[0] if closing else Decimal(0),
                entries=entries,
                line=statement.sourceline or 0,
            )
        )
    if not out:
        raise _err("no statement (Stmt) in the file")
    return out
