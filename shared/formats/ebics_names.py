"""Names of the files exchanged with the EBICS server through the drop bucket.

Per connection, the EBICS version decides how a file's kind is named:

- **EBICS 2.4** (France, EBICS T/TS): the order type parameter "file format", e.g.
  ``camt.fin.mt940.stm`` (FDL download of MT940), ``camt.xxx.cfonb120.stm`` (CFONB-120),
  ``pain.001.001.03.sct`` (FUL upload of a SEPA credit transfer).
- **EBICS 3.0 BTF**: a service name and a message name, e.g. ``EOP`` + ``mt940`` or
  ``cfonb120`` for end-of-period statements, ``SCT`` + ``pain.001`` for credit transfers,
  ``PSR`` + ``pain.002`` for payment status reports.

Object names in the bucket (``{connection prefix}/`` is added by the caller)::

    outbox/statements/{IBAN}/{YYYY-MM-DD}/{IBAN}_{YYYYMMDD}.{suffix}
    outbox/reports/{inbound base name}.{report suffix}
    inbox/{anything}.{pain suffix}

>>> statement_object_name("FR7630006000011234567890189", date(2024, 1, 15), "mt940", "2.4")
'outbox/statements/FR7630006000011234567890189/2024-01-15/FR7630006000011234567890189_20240115.camt.fin.mt940.stm'
>>> statement_object_name("FR7630006000011234567890189", date(2024, 1, 15), "cfonb120", "3.0")
'outbox/statements/FR7630006000011234567890189/2024-01-15/FR7630006000011234567890189_20240115.EOP.cfonb120'
>>> inbound_kind("inbox/erp/batch-42.pain.001.001.03.sct")
InboundKind(message='pain.001', version='pain.001.001.03', service=None)
>>> inbound_kind("inbox/x.SCT.pain.001.xml")
InboundKind(message='pain.001', version=None, service='SCT')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from shared.formats.errors import FormatError

EBICS_VERSIONS = ("2.4", "3.0")
STATEMENT_FORMATS = ("mt940", "cfonb120")

INBOX_PREFIX = "inbox/"
STATEMENTS_PREFIX = "outbox/statements/"
REPORTS_PREFIX = "outbox/reports/"


@dataclass(frozen=True, slots=True)
class BtfService:
    """An EBICS 3.0 Business Transaction Format service (service name + message name)."""

    service: str
    message: str

    @property
    def suffix(self) -> str:
        return f"{self.service}.{self.message}"


# EBICS 2.4 file format parameters (France) and EBICS 3.0 BTF services, per kind of file.
STATEMENT_FILE_FORMATS_24 = {"mt940": "camt.fin.mt940.stm", "cfonb120": "camt.xxx.cfonb120.stm"}
STATEMENT_SERVICES_30 = {
    "mt940": BtfService("EOP", "mt940"),
    "cfonb120": BtfService("EOP", "cfonb120"),
}
PAIN001_FILE_FORMATS_24 = {
    "pain.001.001.02": "pain.001.001.02.sct",
    "pain.001.001.03": "pain.001.001.03.sct",
    "pain.001.001.09": "pain.001.001.09.sct",
}
PAIN001_SERVICE_30 = BtfService("SCT", "pain.001")
STATUS_REPORT_FILE_FORMAT_24 = "pain.002.001.03.sct"
STATUS_REPORT_SERVICE_30 = BtfService("PSR", "pain.002")


class UnknownNameError(FormatError):
    """A name, format or EBICS version that this module does not know."""


@dataclass(frozen=True, slots=True)
class InboundKind:
    """What an inbound object name announces. The content decides in the end: pain001.parse
    routes on the XML namespace, whatever the name says."""

    message: str  # "pain.001", "pain.008", ...
    version: str | None  # full version when the name carries it (2.4 names)
    service: str | None  # BTF service when the name carries it (3.0 names)


def _check(ebics_version: str, fmt: str | None = None) -> None:
    if ebics_version not in EBICS_VERSIONS:
        raise UnknownNameError(f"EBICS version {ebics_version!r} is not one of {EBICS_VERSIONS}")
    if fmt is not None and fmt not in STATEMENT_FORMATS:
        raise UnknownNameError(f"statement format {fmt!r} is not one of {STATEMENT_FORMATS}")


def statement_suffix(fmt: str, ebics_version: str) -> str:
    """``camt.fin.mt940.stm`` (2.4) or ``EOP.mt940`` (3.0)."""
    _check(ebics_version, fmt)
    if ebics_version == "2.4":
        return STATEMENT_FILE_FORMATS_24[fmt]
    return STATEMENT_SERVICES_30[fmt].suffix


def statement_object_name(iban: str, day: date, fmt: str, ebics_version: str) -> str:
    """Object name of the statement file of ``iban`` for ``day`` (see the module doc)."""
    try:
        compact = stdnum_iban.validate(iban)
    except StdnumValidationError as exc:
        raise UnknownNameError(f"invalid IBAN {iban!r}: {exc}") from None
    return (
        f"{STATEMENTS_PREFIX}{compact}/{day.isoformat()}/"
        f"{compact}_{day.strftime('%Y%m%d')}.{statement_suffix(fmt, ebics_version)}"
    )


_PAIN_RE = re.compile(r"\b(pain\.\d{3})(\.\d{3}\.\d{2})?", re.IGNORECASE)
_BTF_RE = re.compile(r"\.(SCT|SDD|DCT|XCT|PSR)\.(pain\.\d{3})", re.IGNORECASE)
_SUFFIX_24 = re.compile(r"\.(sct|sdd)$", re.IGNORECASE)


def inbound_kind(object_name: str) -> InboundKind | None:
    """Kind of an inbound file from its name, or None when the name says nothing.

    Recognises 2.4 names (``...pain.001.001.03.sct``, ``...pain.008.001.02.sdd``) and 3.0
    names (``...SCT.pain.001...``). Files named otherwise (``payments.xml``) return None and
    are still parsed: the namespace decides.
    """
    btf = _BTF_RE.search(object_name)
    if btf:
        return InboundKind(message=btf.group(2).lower(), version=None, service=btf.group(1).upper())
    found = _PAIN_RE.search(object_name)
    if found:
        message = found.group(1).lower()
        version = message + found.group(2) if found.group(2) else None
        return InboundKind(message=message, version=version, service=None)
    if _SUFFIX_24.search(object_name):
        kind = "pain.001" if object_name.lower().endswith(".sct") else "pain.008"
        return InboundKind(message=kind, version=None, service=None)
    return None


def is_inbox_object(object_name: str) -> bool:
    """True for objects under the inbox prefix (the only ones the EBICS inbox reads)."""
    return object_name.startswith(INBOX_PREFIX) and not object_name.endswith("/")


def status_report_object_name(inbound_object_name: str, ebics_version: str) -> str:
    """Where the pain.002 report for an inbound file goes: under ``outbox/reports/``."""
    _check(ebics_version)
    base = inbound_object_name.rsplit("/", 1)[-1] or "file"
    suffix = (
        STATUS_REPORT_FILE_FORMAT_24 if ebics_version == "2.4" else STATUS_REPORT_SERVICE_30.suffix
    )
    return f"{REPORTS_PREFIX}{base}.{suffix}"
