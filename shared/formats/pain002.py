"""pain.002.001.03 customer payment status reports, the answer ERPs expect to a pain.001.

Verbs: :func:`write_status_report` (-> bytes), :func:`status_report_for` (a parsed
:class:`~shared.formats.pain001.PaymentFile` -> bytes) and :func:`validate_status_report`.

No pain.002.001.03 XSD was available to ship (see ``xsd/SOURCES.md``), so
:func:`validate_status_report` checks in code what the schema says for the parts we write:
namespace, element order, mandatory elements, code lists and text lengths.
"""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from lxml import etree

from shared.formats.errors import FormatValidationError, UnrepresentableError
from shared.formats.transliterate import to_swift_x

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
VERSION = "pain.002.001.03"
GROUP_STATUSES = frozenset({"ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "PART", "PDNG", "RCVD", "RJCT"})
ADDITIONAL_INFO_LENGTH = 105
NARRATIVE = "NARR"


class _HasReason(Protocol):
    # Read-only: frozen dataclasses (`pain001.Issue`) provide them.
    @property
    def code(self) -> str: ...
    @property
    def where(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StatusReason:
    """An ISO 20022 ExternalStatusReason1Code (4 characters) and a readable text."""

    code: str
    text: str


def _reason(item: str | StatusReason | _HasReason) -> StatusReason:
    if isinstance(item, StatusReason):
        return item
    if isinstance(item, str):
        return StatusReason(NARRATIVE, item)
    return StatusReason(item.code, str(item))


def _chunks(text: str, size: int) -> list[str]:
    """Readable pieces of at most ``size`` characters, cut between words where possible."""
    return textwrap.wrap(to_swift_x(text), width=size, break_on_hyphens=False)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        el.text = text
    return el


def write_status_report(
    original_message_id: str,
    original_version: str,
    status: str,
    reasons: Sequence[str | StatusReason | _HasReason] = (),
    *,
    message_id: str | None = None,
    created_at: datetime | None = None,
    initiating_party: str | None = None,
    original_created_at: str | None = None,
    original_number_of_transactions: int | None = None,
    original_control_sum: Decimal | None = None,
) -> bytes:
    """Return a pain.002.001.03 group status report (UTF-8 bytes with XML declaration).

    ``status`` is a group status code (``RJCT``, ``ACCP``...). A plain-string reason gets the
    code NARR; texts longer than 105 characters continue in further AddtlInf elements.
    ``created_at`` must carry a timezone (default: now, UTC).
    """
    if status not in GROUP_STATUSES:
        raise UnrepresentableError(f"status {status!r} is not one of {sorted(GROUP_STATUSES)}")
    created_at = created_at or datetime.now(UTC)
    if created_at.tzinfo is None:
        raise UnrepresentableError("created_at must carry a timezone", where="CreDtTm")
    original_id = to_swift_x(original_message_id or "NOTPROVIDED")[:35]
    message_id = to_swift_x(message_id or f"STS-{uuid.uuid4().hex[:28]}")[:35]
    doc = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    report = _sub(doc, "CstmrPmtStsRpt")
    group = _sub(report, "GrpHdr")
    _sub(group, "MsgId", message_id)
    _sub(group, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    if initiating_party:
        _sub(_sub(group, "InitgPty"), "Nm", to_swift_x(initiating_party)[:140])
    original = _sub(report, "OrgnlGrpInfAndSts")
    _sub(original, "OrgnlMsgId", original_id)
    _sub(original, "OrgnlMsgNmId", (original_version or "pain.001")[:35])
    if original_created_at:
        _sub(original, "OrgnlCreDtTm", original_created_at)
    if original_number_of_transactions is not None:
        _sub(original, "OrgnlNbOfTxs", str(original_number_of_transactions))
    if original_control_sum is not None:
        _sub(original, "OrgnlCtrlSum", f"{original_control_sum:f}")
    _sub(original, "GrpSts", status)
    for item in reasons:
        reason = _reason(item)
        info = _sub(original, "StsRsnInf")
        _sub(_sub(info, "Rsn"), "Cd", reason.code)
        for chunk in _chunks(reason.text, ADDITIONAL_INFO_LENGTH):
            _sub(info, "AddtlInf", chunk)
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def status_report_for(payment_file: object, **kwargs: object) -> bytes:
    """The report for a parsed pain.001 file: ACCP when accepted, else RJCT with its reasons."""
    from shared.formats.pain001 import PaymentFile

    assert isinstance(payment_file, PaymentFile)
    return write_status_report(
        payment_file.message_id or "NOTPROVIDED",
        payment_file.version or "pain.001",
        "ACCP" if payment_file.accepted else "RJCT",
        payment_file.issues,
        original_created_at=payment_file.created_at,
        original_number_of_transactions=payment_file.number_of_transactions,
        **kwargs,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------------------ validation

_ORDER = {
    "Document": ["CstmrPmtStsRpt"],
    "CstmrPmtStsRpt": ["GrpHdr", "OrgnlGrpInfAndSts", "OrgnlPmtInfAndSts*"],
    "GrpHdr": ["MsgId", "CreDtTm", "InitgPty?", "FwdgAgt?", "DbtrAgt?", "CdtrAgt?"],
    "OrgnlGrpInfAndSts": [
        "OrgnlMsgId",
        "OrgnlMsgNmId",
        "OrgnlCreDtTm?",
        "OrgnlNbOfTxs?",
        "OrgnlCtrlSum?",
        "GrpSts?",
        "StsRsnInf*",
        "NbOfTxsPerSts*",
    ],
    "StsRsnInf": ["Orgtr?", "Rsn?", "AddtlInf*"],
    "Rsn": ["Cd|Prtry"],
}
_MAX_LENGTH = {"MsgId": 35, "OrgnlMsgId": 35, "OrgnlMsgNmId": 35, "AddtlInf": 105, "Nm": 140}


def _check_sequence(el: etree._Element, spec: list[str]) -> None:
    names = [etree.QName(c).localname for c in el if isinstance(c.tag, str)]
    i = 0
    for item in spec:
        optional = item.endswith(("?", "*"))
        repeat = item.endswith("*")
        choices = item.rstrip("?*").split("|")
        seen = 0
        while i < len(names) and names[i] in choices and (repeat or seen == 0):
            i += 1
            seen += 1
        if not seen and not optional:
            raise FormatValidationError(
                f"missing {item} in {etree.QName(el).localname}", line=el.sourceline
            )
    if i < len(names):
        raise FormatValidationError(
            f"unexpected element {names[i]} in {etree.QName(el).localname}", line=el.sourceline
        )


def validate_status_report(data: bytes) -> None:
    """Check a pain.002.001.03 report structurally; raise FormatValidationError naming the
    element and line at fault."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FormatValidationError(f"malformed XML: {exc.msg}", line=exc.lineno) from None
    if root.tag != f"{{{NAMESPACE}}}Document":
        raise FormatValidationError(f"root is {root.tag}, not a {VERSION} Document", line=1)
    elements: Iterable[etree._Element] = root.iter()
    for el in elements:
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        if qname.namespace != NAMESPACE:
            raise FormatValidationError(f"{el.tag} is outside {NAMESPACE}", line=el.sourceline)
        local = qname.localname
        if local in _ORDER:
            _check_sequence(el, _ORDER[local])
        text = (el.text or "").strip()
        limit = _MAX_LENGTH.get(local)
        if limit is not None and not 1 <= len(text) <= limit:
            raise FormatValidationError(
                f"{local} must have 1 to {limit} characters", where=f"{local} line {el.sourceline}"
            )
        if local == "GrpSts" and text not in GROUP_STATUSES:
            raise FormatValidationError(f"GrpSts {text!r} is not a status code", line=el.sourceline)
        if local == "Cd" and not (1 <= len(text) <= 4):
            raise FormatValidationError(
                f"reason code {text!r} is not 1-4 characters", line=el.sourceline
            )
        if local in ("CreDtTm", "OrgnlCreDtTm"):
            try:
                datetime.fromisoformat(text)
            except ValueError:
                raise FormatValidationError(
                    f"{local} {text!r} is not an ISO date-time", line=el.sourceline
                ) from None
