"""pain.001 SEPA credit transfer initiations: safe parsing, XSD and SEPA validation.

Verbs: :func:`parse` (bytes -> :class:`PaymentFile`, never raises for bad content: a refused
file comes back with ``accepted=False`` and readable ``errors``) and :func:`validate` (bytes ->
the accepted :class:`PaymentFile`, or :class:`PaymentFileRefused` carrying every reason).

Pipeline, each step able to refuse the file:

1. **Safe XML.** lxml with ``resolve_entities=False, no_network=True, huge_tree=False`` and
   no DTD loading; any DOCTYPE is refused, so entity expansion ("billion laughs") and
   external entities (XXE) can neither run nor leak anything.
2. **Routing** on namespace + the element under ``Document``: pain.001.001.02 (element
   ``pain.001.001.02``), pain.001.001.03 and .09 (``CstmrCdtTrfInitn``). pain.008 direct
   debits are refused with their own reason; any other message or namespace (national
   variants such as ``urn:sepade:...`` or pain.001.003.03) is refused as unsupported.
3. **XSD** of that version (``shared/formats/xsd/``).
4. **SEPA rules in code**, which XSDs do not express: NbOfTxs and CtrlSum equal to the
   transactions at group and payment-information level, payment method TRF, currency EUR,
   amounts 0.01..999999999.99 with at most 2 decimals, IBAN checksums (debtor and creditor),
   BIC format, identifiers (MsgId, PmtInfId, InstrId, EndToEndId...) in the SEPA basic
   character set without leading, trailing or double ``/``, EndToEndId at most 35
   characters, each PmtInfId once per file, requested execution dates within
   2000..2099 (and, when ``today`` is given, at most :data:`EXECUTION_DAYS_AHEAD` days ahead
   and :data:`EXECUTION_DAYS_BEHIND` behind).
5. **Names and remittance information are converted as banks do** (see
   :func:`shared.formats.transliterate.to_sepa`): ``Dupont & Fils`` is sent as
   ``Dupont + Fils``. The payments carry the converted text (what will be sent) and keep the
   received one in ``as_received``; the file lists every :class:`Conversion`. A character
   without an equivalent, or a converted text over its SEPA length, is refused.

Numbers are read by bounded patterns before any arithmetic (no exponent, NaN, Unicode
digits or thousands of digits reach ``Decimal`` or ``int``), and sums are exact.

Every error names the element (``PmtInf[1]/CdtTrfTxInf[3]/Amt/InstdAmt``) and its line, and
carries an ISO 20022 status reason code for the pain.002 report (:mod:`pain002`).
Duplicate files (same MsgId) are detected by the store, which keys on ``message_id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from shared.formats.errors import PaymentFileRefused, UnrepresentableError
from shared.formats.transliterate import to_sepa

XSD_DIR = Path(__file__).resolve().parent / "xsd"
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ERRORS = 50
MAX_AMOUNT = Decimal("999999999.99")
MIN_AMOUNT = Decimal("0.01")

_ISO = "urn:iso:std:iso:20022:tech:xsd:"
# namespace -> (version, name of the message element under Document)
SUPPORTED_VERSIONS = {
    _ISO + "pain.001.001.02": ("pain.001.001.02", "pain.001.001.02"),
    _ISO + "pain.001.001.03": ("pain.001.001.03", "CstmrCdtTrfInitn"),
    _ISO + "pain.001.001.09": ("pain.001.001.09", "CstmrCdtTrfInitn"),
}

# ISO 20022 ExternalStatusReason1Code values used in refusals (and in pain.002 reports).
REASON_FILE_FORMAT = "FF01"  # invalid file format: XML, schema, unsupported message
REASON_NOT_SUPPORTED = "AG03"  # transaction type not supported (direct debit)
REASON_CONTROL_SUM = "AM10"
REASON_NB_OF_TXS = "AM18"
REASON_CURRENCY = "AM03"
REASON_AMOUNT = "AM12"
REASON_ACCOUNT = "AC01"
REASON_BIC = "RC01"
REASON_CONTENT = "CH16"  # element content formally incorrect (character set, length)
REASON_DUPLICATE = "DU01"  # duplicate message id (raised by the store, listed for pain.002)
REASON_DUPLICATE_PMTINF = "DU02"  # duplicate payment information id
REASON_DATE = "DT01"  # invalid date

# Execution dates: the window every date must be in, and, relative to the day the file is
# read, how far ahead a bank holds an order and how old a date it still executes (as soon as
# possible). Outside: a typo (year 1, 9999) or a file replayed from long ago.
FIRST_EXECUTION_DATE = date(2000, 1, 1)
LAST_EXECUTION_DATE = date(2099, 12, 31)
EXECUTION_DAYS_AHEAD = 366
EXECUTION_DAYS_BEHIND = 366

SEPA_TEXT_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_ID_TAGS = frozenset({"MsgId", "PmtInfId", "InstrId", "EndToEndId"})
# Free texts a bank converts to the basic set instead of refusing (names, addresses,
# remittance information), with their SEPA length; every other element (identifiers,
# codes, references) must already be in the basic set.
CONVERTIBLE_TAGS = {
    "Nm": 70,
    "Ustrd": 140,
    "AdrLine": 70,
    "StrtNm": 70,
    "BldgNb": 16,
    "PstCd": 16,
    "TwnNm": 35,
    "CtrySubDvsn": 35,
    "Dept": 70,
    "SubDept": 70,
    "AddtlRmtInf": 140,
}
# Bounded number syntax, checked before Decimal/int see the text. The XSDs allow 18 digits.
_DECIMAL_RE = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,17})?")
_COUNT_RE = re.compile(r"[0-9]{1,15}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Issue:
    """One reason to refuse: an ISO status reason code, where it is, and what is wrong."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True, slots=True)
class Conversion:
    """A text converted to the SEPA basic set: where, what the file said, what is sent."""

    where: str
    received: str
    sent: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "received": self.received, "sent": self.sent}


@dataclass(frozen=True, slots=True)
class Payment:
    """One credit transfer to make. ``amount`` is exact (Decimal, EUR, 2 decimals)."""

    end_to_end_id: str
    amount: Decimal
    currency: str
    creditor_name: str
    creditor_iban: str
    creditor_bic: str | None
    remittance: str
    requested_execution_date: date
    debtor_iban: str
    payment_info_id: str
    instruction_id: str | None = None
    # Texts the file gave in a form that was converted: (field, received) pairs; the
    # field itself (creditor_name, remittance) holds what will be sent.
    as_received: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON shape: amounts as decimal strings, dates as ISO strings."""
        return {
            "end_to_end_id": self.end_to_end_id,
            "amount": f"{self.amount:.2f}",
            "currency": self.currency,
            "creditor_name": self.creditor_name,
            "creditor_iban": self.creditor_iban,
            "creditor_bic": self.creditor_bic,
            "remittance": self.remittance,
            "requested_execution_date": self.requested_execution_date.isoformat(),
            "debtor_iban": self.debtor_iban,
            "as_received": dict(self.as_received),
        }


@dataclass(frozen=True, slots=True)
class PaymentBatch:
    """One PmtInf block: a debtor account, an execution date, its payments.

    ``batch_booking`` is the BtchBookg flag (group level in .02); ISO's default when it is
    absent is true (one booking for the whole batch).
    """

    payment_info_id: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str | None
    requested_execution_date: date
    batch_booking: bool
    payments: tuple[Payment, ...]

    @property
    def control_sum(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))


@dataclass(slots=True)
class PaymentFile:
    """The outcome of :func:`parse`. ``payments`` and ``batches`` are empty unless accepted."""

    accepted: bool
    message_id: str | None
    version: str | None
    payments: list[Payment] = field(default_factory=list)
    batches: list[PaymentBatch] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    number_of_transactions: int | None = None
    control_sum: Decimal | None = None
    created_at: str | None = None
    initiating_party: str | None = None
    conversions: list[Conversion] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [str(issue) for issue in self.issues]

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON shape: ``{accepted, message_id, payments, errors}`` (+ version)."""
        return {
            "accepted": self.accepted,
            "message_id": self.message_id,
            "version": self.version,
            "payments": [p.to_json() for p in self.payments],
            "errors": self.errors,
            "conversions": [c.to_json() for c in self.conversions],
        }


class _Refused(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue


@lru_cache(maxsize=8)
def _schema(version: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(XSD_DIR / f"{version}.xsd"), parser))


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )


_DTD_ISSUE = Issue(
    REASON_FILE_FORMAT,
    "DOCTYPE",
    "a DOCTYPE/DTD is not allowed in a payment file (entity expansion and external entities "
    "are refused)",
)


def _load(data: bytes) -> etree._ElementTree:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("pain.001 input must be bytes")
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(
            Issue(REASON_FILE_FORMAT, "", f"file is {len(data)} bytes, over {MAX_FILE_BYTES}")
        )
    head = bytes(data[:4096])
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    if not head.replace(b"\x00", b"").lstrip().startswith(b"<"):
        raise _Refused(Issue(REASON_FILE_FORMAT, "", "not an XML document"))
    # Refuse a DTD before the parser sees it: the message then says why, rather than
    # libxml2's "entity amplification" error. The post-parse check below covers encodings
    # where the marker is not plain ASCII (UTF-16).
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Refused(_DTD_ISSUE)
    try:
        tree = etree.ElementTree(etree.fromstring(bytes(data), _safe_parser()))
    except etree.XMLSyntaxError as exc:
        issue = Issue(REASON_FILE_FORMAT, f"line {exc.lineno}", f"malformed XML: {exc.msg}")
        raise _Refused(issue) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _Refused(_DTD_ISSUE)
    for node in tree.iter(etree.Entity):
        raise _Refused(
            Issue(REASON_FILE_FORMAT, f"line {node.sourceline}", "entity references are refused")
        )
    return tree


def _route(root: etree._Element) -> tuple[str, str, etree._Element]:
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if "pain.008" in namespace:
        raise _Refused(
            Issue(
                REASON_NOT_SUPPORTED,
                "Document",
                f"{namespace.rsplit(':', 1)[-1]} is a SEPA direct debit (pain.008); direct "
                "debits are not supported over EBICS here, only credit transfers (pain.001)",
            )
        )
    if namespace not in SUPPORTED_VERSIONS:
        known = ", ".join(v for v, _ in SUPPORTED_VERSIONS.values())
        shown = namespace or "no namespace"
        raise _Refused(
            Issue(
                REASON_FILE_FORMAT,
                "Document",
                f"unsupported message ({shown}); accepted: {known}",
            )
        )
    version, message_tag = SUPPORTED_VERSIONS[namespace]
    if qname.localname != "Document":
        raise _Refused(Issue(REASON_FILE_FORMAT, qname.localname, "root element must be Document"))
    children = [c for c in root if isinstance(c.tag, str)]
    if len(children) != 1 or etree.QName(children[0]).localname != message_tag:
        raise _Refused(
            Issue(REASON_FILE_FORMAT, "Document", f"{version} needs one {message_tag} element")
        )
    return version, namespace, children[0]


def _xsd_issues(tree: etree._ElementTree, version: str, namespace: str) -> list[Issue]:
    schema = _schema(version)
    if schema.validate(tree):
        return []
    issues = []
    for entry in list(schema.error_log)[:MAX_ERRORS]:
        message = entry.message.replace("{" + namespace + "}", "")
        if len(message) > 300:  # libxml2 quotes the value: a 5,000-digit count
            message = message[:300] + "..."
        issues.append(Issue(REASON_FILE_FORMAT, f"line {entry.line}", f"schema: {message}"))
    return issues


class _Checker:
    """SEPA rules in code; collects issues instead of stopping at the first."""

    def __init__(self, namespace: str, version: str, today: date | None = None):
        self.ns = namespace
        self.version = version
        self.today = today
        self.issues: list[Issue] = []
        self.conversions: list[Conversion] = []
        self._paths: dict[str, str] = {}
        # Elements whose text was converted (held here, so lxml keeps the same proxy
        # objects) -> the text as received; PmtInf/CdtTrfTxInf elements -> their position.
        self._received: dict[etree._Element, str] = {}
        self._positions: dict[etree._Element, int] = {}

    def _where(self, el: etree._Element) -> str:
        """The element's path below the message, as errors name it: PmtInf[1]/..."""
        parts: list[str] = []
        node: etree._Element | None = el
        while node is not None and node.getparent() is not None:
            parent = node.getparent()
            if parent is None or parent.getparent() is None:
                break  # node is the message element itself
            local = etree.QName(node).localname
            if node in self._positions:
                local = f"{local}[{self._positions[node]}]"
            parts.append(local)
            node = parent
        return "/".join(reversed(parts))

    def q(self, path: str) -> str:
        found = self._paths.get(path)
        if found is None:
            found = "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))
            self._paths[path] = found
        return found

    def text(self, el: etree._Element, path: str) -> str | None:
        found = el.find(self.q(path))
        if found is None or found.text is None:
            return None
        return found.text.strip()

    def received(self, el: etree._Element, path: str) -> str | None:
        """The text as the file gave it, when it was converted; else None."""
        found = el.find(self.q(path))
        if found is None or found not in self._received:
            return None
        return self._received[found].strip()

    def add(self, code: str, where: str, el: etree._Element | None, message: str) -> None:
        if len(self.issues) < MAX_ERRORS:
            line = f" (line {el.sourceline})" if el is not None and el.sourceline else ""
            self.issues.append(Issue(code, where + line, message))

    def check_texts(self, message: etree._Element) -> None:
        counts = {"PmtInf": 0, "CdtTrfTxInf": 0}
        for el in message.iter():
            if not isinstance(el.tag, str):
                continue
            local = el.tag.rpartition("}")[2]
            if local in counts:  # positions for messages, counted once (document order)
                counts[local] += 1
                if local == "PmtInf":
                    counts["CdtTrfTxInf"] = 0
                self._positions[el] = counts[local]
            text = el.text
            if text is None or len(el):
                continue
            if local in CONVERTIBLE_TAGS and not SEPA_TEXT_RE.fullmatch(text):
                self._convert(el, local, text)
            elif not SEPA_TEXT_RE.fullmatch(text):
                bad = next(ch for ch in text if not SEPA_TEXT_RE.fullmatch(ch))
                self.add(
                    REASON_CONTENT,
                    local,
                    el,
                    f"character {bad!r} (U+{ord(bad):04X}) is outside the SEPA character set",
                )
            if local in _ID_TAGS:
                value = text.strip()
                if value.startswith("/") or value.endswith("/") or "//" in value:
                    self.add(
                        REASON_CONTENT,
                        local,
                        el,
                        f"identifier {value!r} must not start or end with '/' nor contain '//'",
                    )

    def _convert(self, el: etree._Element, local: str, text: str) -> None:
        """Convert a free text to the SEPA basic set in place, or refuse it."""
        try:
            sent = to_sepa(text)
        except UnrepresentableError as exc:
            self.add(REASON_CONTENT, local, el, f"{exc.message}; the text cannot be sent")
            return
        limit = CONVERTIBLE_TAGS[local]
        if len(sent.strip()) > limit:
            self.add(
                REASON_CONTENT,
                local,
                el,
                f"converted to the SEPA character set, the text has {len(sent.strip())} "
                f"characters, more than {limit}",
            )
            return
        self._received[el] = text
        el.text = sent
        self.conversions.append(Conversion(self._where(el), text.strip(), sent.strip()))

    def amount(self, el: etree._Element | None, where: str) -> Decimal | None:
        if el is None or el.text is None:
            self.add(REASON_AMOUNT, where, el, "amount is missing")
            return None
        currency = el.get("Ccy")
        if currency != "EUR":
            self.add(REASON_CURRENCY, where, el, f"currency {currency} is not EUR (SEPA)")
        value = _decimal(el.text)
        if value is None:
            shown = _shown(el.text)
            self.add(REASON_AMOUNT, where, el, f"amount {shown} is not a decimal number")
            return None
        if value != value.quantize(Decimal("0.01")):
            self.add(REASON_AMOUNT, where, el, f"amount {el.text} has more than 2 decimals")
        if not MIN_AMOUNT <= value <= MAX_AMOUNT:
            self.add(REASON_AMOUNT, where, el, f"amount {el.text} is outside 0.01..999999999.99")
        return value

    def iban(self, el: etree._Element, path: str, where: str) -> str:
        value = self.text(el, path)
        if value is None:
            self.add(REASON_ACCOUNT, where, el, "account must be given as an IBAN (SEPA)")
            return ""
        try:
            return stdnum_iban.validate(value)
        except StdnumValidationError as exc:
            self.add(REASON_ACCOUNT, f"{where}/{path}", el, f"IBAN {value!r} is invalid: {exc}")
            return value

    def bic(self, el: etree._Element, where: str) -> str | None:
        agent = el.find(self.q(where))
        if agent is None:
            return None
        tag = "BIC" if self.version != "pain.001.001.09" else "BICFI"
        value = self.text(agent, f"FinInstnId/{tag}")
        if value is None:
            return None
        try:
            return stdnum_bic.validate(value)
        except StdnumValidationError as exc:
            self.add(REASON_BIC, f"{where}/FinInstnId/{tag}", agent, f"BIC {value!r}: {exc}")
            return value

    def count_and_sum(
        self, el: etree._Element, where: str, count: int, total: Decimal, required: bool
    ) -> None:
        nb = self.text(el, "NbOfTxs")
        if nb is None:
            if required:
                self.add(REASON_NB_OF_TXS, f"{where}/NbOfTxs", el, "NbOfTxs is missing")
        elif not _COUNT_RE.fullmatch(nb):
            self.add(
                REASON_NB_OF_TXS,
                f"{where}/NbOfTxs",
                el.find(self.q("NbOfTxs")),
                f"NbOfTxs {_shown(nb)} is not a count (1 to 15 digits 0-9)",
            )
        elif int(nb) != count:
            self.add(
                REASON_NB_OF_TXS,
                f"{where}/NbOfTxs",
                el.find(self.q("NbOfTxs")),
                f"NbOfTxs is {nb} but there are {count} transactions",
            )
        ctrl = self.text(el, "CtrlSum")
        if ctrl is not None:
            declared = _decimal(ctrl)
            if declared is None:
                self.add(
                    REASON_CONTROL_SUM,
                    f"{where}/CtrlSum",
                    el.find(self.q("CtrlSum")),
                    f"CtrlSum {_shown(ctrl)} is not a decimal number",
                )
            elif declared != total:
                self.add(
                    REASON_CONTROL_SUM,
                    f"{where}/CtrlSum",
                    el.find(self.q("CtrlSum")),
                    f"CtrlSum is {ctrl} but the amounts add up to {total}",
                )


def _shown(text: str) -> str:
    """A value for a message: quoted, cut when long (a 5,000-digit count), and naming the
    code points of characters outside ASCII (the pain.002 report transliterates '²' to '2')."""
    text = text.strip()
    shown = repr(text) if len(text) <= 40 else repr(text[:40]) + f"... ({len(text)} characters)"
    odd = sorted({f"U+{ord(ch):04X}" for ch in text[:40] if ord(ch) > 126})
    return shown + (f" ({', '.join(odd[:5])})" if odd else "")


def _decimal(text: str) -> Decimal | None:
    """A plain decimal of at most 18 integer digits, or None (exponents, NaN, signs...)."""
    text = text.strip()
    if not _DECIMAL_RE.fullmatch(text):
        return None
    return Decimal(text)


def _execution_date(checker: _Checker, pmt: etree._Element, where: str) -> date | None:
    if checker.version == "pain.001.001.09":
        raw = checker.text(pmt, "ReqdExctnDt/Dt") or checker.text(pmt, "ReqdExctnDt/DtTm")
    else:
        raw = checker.text(pmt, "ReqdExctnDt")
    where = f"{where}/ReqdExctnDt"
    head = (raw or "")[:10]
    try:
        if not _DATE_RE.fullmatch(head):
            raise ValueError
        day = date.fromisoformat(head)
    except ValueError:
        checker.add(REASON_DATE, where, pmt, f"date {_shown(raw or '')} is invalid")
        return None
    if not FIRST_EXECUTION_DATE <= day <= LAST_EXECUTION_DATE:
        checker.add(
            REASON_DATE,
            where,
            pmt,
            f"execution date {day.isoformat()} is outside {FIRST_EXECUTION_DATE.year}.."
            f"{LAST_EXECUTION_DATE.year}",
        )
        return None
    today = checker.today
    if today is not None and (day - today).days > EXECUTION_DAYS_AHEAD:
        checker.add(
            REASON_DATE,
            where,
            pmt,
            f"execution date {day.isoformat()} is more than {EXECUTION_DAYS_AHEAD} days ahead",
        )
        return None
    if today is not None and (today - day).days > EXECUTION_DAYS_BEHIND:
        checker.add(
            REASON_DATE,
            where,
            pmt,
            f"execution date {day.isoformat()} is more than {EXECUTION_DAYS_BEHIND} days past",
        )
        return None
    return day


def _flag(value: str | None) -> bool:
    return value is None or value.strip().lower() in ("true", "1")


def _extract(checker: _Checker, message: etree._Element) -> tuple[list[PaymentBatch], Decimal]:
    q = checker.q
    group = message.find(q("GrpHdr"))
    group_batch = checker.text(group, "BtchBookg") if group is not None else None
    batches: list[PaymentBatch] = []
    grand_total = Decimal(0)
    grand_count = 0
    info_ids: dict[str, int] = {}
    for i, pmt in enumerate(message.iterfind(q("PmtInf")), start=1):
        where = f"PmtInf[{i}]"
        info_id = checker.text(pmt, "PmtInfId") or ""
        if info_id in info_ids:
            checker.add(
                REASON_DUPLICATE_PMTINF,
                f"{where}/PmtInfId",
                pmt,
                f"PmtInfId {info_id!r} repeats PmtInf[{info_ids[info_id]}]",
            )
        info_ids.setdefault(info_id, i)
        method = checker.text(pmt, "PmtMtd")
        if method != "TRF":
            checker.add(
                REASON_NOT_SUPPORTED,
                f"{where}/PmtMtd",
                pmt,
                f"payment method {method} is not a credit transfer (TRF)",
            )
        execution = _execution_date(checker, pmt, where)
        debtor_iban = checker.iban(pmt, "DbtrAcct/Id/IBAN", where)
        debtor_bic = checker.bic(pmt, "DbtrAgt")
        debtor_name = checker.text(pmt, "Dbtr/Nm") or ""
        batch_flag = checker.text(pmt, "BtchBookg")
        payments: list[Payment] = []
        total = Decimal(0)
        count = 0
        for j, tx in enumerate(pmt.iterfind(q("CdtTrfTxInf")), start=1):
            tx_where = f"{where}/CdtTrfTxInf[{j}]"
            e2e = checker.text(tx, "PmtId/EndToEndId") or ""
            if len(e2e) > 35:
                checker.add(
                    REASON_CONTENT,
                    f"{tx_where}/PmtId/EndToEndId",
                    tx,
                    f"EndToEndId has {len(e2e)} characters, more than 35",
                )
            amount_el = tx.find(q("Amt/InstdAmt"))
            amount = checker.amount(amount_el, f"{tx_where}/Amt/InstdAmt")
            if amount is not None:
                total += amount
            creditor_iban = checker.iban(tx, "CdtrAcct/Id/IBAN", tx_where)
            creditor_bic = checker.bic(tx, "CdtrAgt")
            ustrd_els = [u for u in tx.iterfind(q("RmtInf/Ustrd")) if u.text]
            remittance = " ".join((u.text or "").strip() for u in ustrd_els)
            remittance = remittance or (checker.text(tx, "RmtInf/Strd/CdtrRefInf/Ref") or "")
            received: list[tuple[str, str]] = []
            name_received = checker.received(tx, "Cdtr/Nm")
            if name_received is not None:
                received.append(("creditor_name", name_received))
            if any(u in checker._received for u in ustrd_els):
                originals = (checker._received.get(u, u.text or "").strip() for u in ustrd_els)
                received.append(("remittance", " ".join(originals)))
            if amount is not None and amount_el is not None and execution is not None:
                payments.append(
                    Payment(
                        end_to_end_id=e2e,
                        amount=amount,
                        currency=amount_el.get("Ccy", ""),
                        creditor_name=checker.text(tx, "Cdtr/Nm") or "",
                        creditor_iban=creditor_iban,
                        creditor_bic=creditor_bic,
                        remittance=remittance,
                        requested_execution_date=execution,
                        debtor_iban=debtor_iban,
                        payment_info_id=info_id,
                        instruction_id=checker.text(tx, "PmtId/InstrId"),
                        as_received=tuple(received),
                    )
                )
            count += 1
        grand_count += count
        if checker.version != "pain.001.001.02":
            # .02 has no NbOfTxs/CtrlSum per PmtInf; .03/.09 make them optional.
            checker.count_and_sum(pmt, where, count, total, False)
        grand_total += total
        if execution is not None:
            batches.append(
                PaymentBatch(
                    payment_info_id=info_id,
                    debtor_name=debtor_name,
                    debtor_iban=debtor_iban,
                    debtor_bic=debtor_bic,
                    requested_execution_date=execution,
                    batch_booking=_flag(batch_flag if batch_flag is not None else group_batch),
                    payments=tuple(payments),
                )
            )
    if group is not None:
        checker.count_and_sum(group, "GrpHdr", grand_count, grand_total, True)
    return batches, grand_total


def _identify(root: etree._Element) -> tuple[str | None, str | None]:
    """Best-effort (message version, MsgId) of a file refused before the XSD step."""
    namespace = etree.QName(root).namespace or ""
    version = namespace.rsplit(":", 1)[-1] if re.search(r"pain\.\d{3}\.", namespace) else None
    found = root.xpath("./*/*[local-name()='GrpHdr']/*[local-name()='MsgId']/text()")
    message_id = str(found[0]).strip()[:35] if found else None
    return version, message_id


def parse(data: bytes, *, today: date | None = None) -> PaymentFile:
    """Parse and validate a pain.001 file. Never raises for bad content: a refused file has
    ``accepted=False`` and its reasons in ``errors`` (``issues`` with reason codes).

    ``today`` (the day the bank receives the file) bounds the execution dates further; without
    it only the 2000..2099 window applies, so the result depends on the bytes alone."""
    version: str | None = None
    message_id: str | None = None
    tree = None
    try:
        tree = _load(data)
        version, namespace, message = _route(tree.getroot())
    except _Refused as refused:
        if tree is not None:
            # Still name the message, so the pain.002 report can point at it.
            version, message_id = _identify(tree.getroot())
        return PaymentFile(
            accepted=False, message_id=message_id, version=version, issues=[refused.issue]
        )
    checker = _Checker(namespace, version, today)
    message_id = checker.text(message, "GrpHdr/MsgId")
    issues = _xsd_issues(tree, version, namespace)
    checker.check_texts(message)
    # Amounts have at most 18 integer digits (checked before they are added): 40 digits
    # keep every sum exact, whatever the count of transactions.
    with localcontext() as exact:
        exact.prec = 40
        batches, total = _extract(checker, message)
    issues.extend(checker.issues)
    nb = checker.text(message, "GrpHdr/NbOfTxs")
    result = PaymentFile(
        accepted=not issues,
        message_id=message_id,
        version=version,
        issues=issues[:MAX_ERRORS],
        number_of_transactions=int(nb) if nb and _COUNT_RE.fullmatch(nb) else None,
        control_sum=total,
        created_at=checker.text(message, "GrpHdr/CreDtTm"),
        initiating_party=checker.text(message, "GrpHdr/InitgPty/Nm"),
        conversions=checker.conversions,
    )
    if result.accepted:
        result.batches = batches
        result.payments = [p for b in batches for p in b.payments]
    return result


def validate(data: bytes, *, today: date | None = None) -> PaymentFile:
    """Return the accepted :class:`PaymentFile`, or raise :class:`PaymentFileRefused`."""
    result = parse(data, today=today)
    if not result.accepted:
        raise PaymentFileRefused(result.errors, message_id=result.message_id)
    return result
