"""Pure input and output types shared by the statement formats (MT940, CFONB-120).

Writers take a :class:`Statement` (one account, one day); readers return
:class:`ParsedStatement` objects, which keep what the file says (already transliterated), so
a round trip compares ``write(statement)`` read back against the statement's own fields.

Money is :class:`~decimal.Decimal`, never float; a negative amount is a debit. Values are
checked when the objects are built: a bad IBAN, a non-ISO currency code, a float amount or
more decimals than the currency has raise :class:`UnrepresentableError` naming the field.

Both formats write years with two digits (YYMMDD, DDMMYY) and every reader (ours, ``mt-940``)
puts them in 2000..2099, so a date outside :data:`FIRST_DATE`..:data:`LAST_DATE` is refused
when a statement is built rather than read back a century off. Amounts are bounded to
:data:`MAX_AMOUNT_DIGITS` integer digits before any arithmetic (``1E+999999`` is refused).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from shared.formats.errors import UnrepresentableError

# ISO 4217 minor units for the currencies that differ from 2; every other code gets 2.
_MINOR_UNITS = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0,
    "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3, "UGX": 0,
    "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip

FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
# MT940 amounts have 15 characters with the comma, CFONB 14 digits in minor units: 15
# integer digits bound both (each writer then checks its own width).
MAX_AMOUNT_DIGITS = 15

_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_REF_SAFE_RE = re.compile(r"[A-Za-z0-9]{1,16}")


def minor_units(currency: str) -> int:
    """Number of decimals of ``currency`` (ISO 4217): 2 for EUR, 0 for JPY."""
    return _MINOR_UNITS.get(currency, 2)


def check_amount(value: object, currency: str, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal with at most the currency's decimals, or raise."""
    if not isinstance(value, Decimal) or isinstance(value, bool):
        raise UnrepresentableError(
            f"amount must be a Decimal, not {type(value).__name__}", where=what
        )
    if not value.is_finite():
        raise UnrepresentableError(f"amount {value} is not a finite number", where=what)
    if value and value.adjusted() >= MAX_AMOUNT_DIGITS:
        raise UnrepresentableError(
            f"amount {value} has more than {MAX_AMOUNT_DIGITS} integer digits", where=what
        )
    units = minor_units(currency)
    exponent = value.as_tuple().exponent
    # 1.50 and 1.5000 are both fine for EUR; 1.505 is not.
    if isinstance(exponent, int) and exponent < -units:
        normalized = value.normalize().as_tuple().exponent
        if isinstance(normalized, int) and normalized < -units:
            raise UnrepresentableError(
                f"amount {value} has more than {units} decimals for {currency}", where=what
            )
    return value


def check_date(day: object, what: str) -> date:
    """Return ``day`` when it is a date the formats can write unambiguously, or raise."""
    if not isinstance(day, date):
        raise UnrepresentableError("must be a date", where=what)
    if not FIRST_DATE <= day <= LAST_DATE:
        raise UnrepresentableError(
            f"date {day.isoformat()} is outside {FIRST_DATE.isoformat()}..{LAST_DATE.isoformat()}"
            " (two-digit years are read back in 2000..2099)",
            where=what,
        )
    return day


def check_currency(currency: object, what: str) -> str:
    if not isinstance(currency, str) or not _CURRENCY_RE.fullmatch(currency):
        raise UnrepresentableError(f"currency {currency!r} is not an ISO 4217 code", where=what)
    return currency


def bank_reference(entry_id: str) -> str:
    """A stable reference of at most 16 alphanumerics for an entry id.

    Short alphanumeric ids are kept as they are; longer ones (UUIDs) are replaced by the first
    16 hex digits of their SHA-1, upper case, so the same transaction always gets the same
    reference (ERPs deduplicate on it).
    """
    if _REF_SAFE_RE.fullmatch(entry_id):
        return entry_id
    return hashlib.sha1(entry_id.encode("utf-8")).hexdigest()[:16].upper()


@dataclass(frozen=True, slots=True)
class StatementAccount:
    """The account a statement is for. ``iban`` is stored compact (no spaces, upper case)."""

    iban: str
    bic: str
    currency: str
    holder_name: str

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "iban", stdnum_iban.validate(self.iban))
        except (StdnumValidationError, TypeError) as exc:
            raise UnrepresentableError(
                f"invalid IBAN {self.iban!r}: {exc}", where="account.iban"
            ) from None
        if self.bic:
            try:
                object.__setattr__(self, "bic", stdnum_bic.validate(self.bic))
            except (StdnumValidationError, TypeError) as exc:
                raise UnrepresentableError(
                    f"invalid BIC {self.bic!r}: {exc}", where="account.bic"
                ) from None
        check_currency(self.currency, "account.currency")


@dataclass(frozen=True, slots=True)
class StatementEntry:
    """One booked transaction. ``amount`` < 0 is a debit, > 0 a credit.

    ``reference`` is the remittance information (max 140 characters, the SEPA limit),
    ``end_to_end_id`` at most 35 and ``counterparty`` at most 70, as in SEPA: longer values
    are refused rather than cut.
    """

    id: str
    amount: Decimal
    currency: str
    counterparty: str
    reference: str
    end_to_end_id: str
    booking_date: date
    value_date: date
    operation_type: str = "transfer"

    def __post_init__(self) -> None:
        where = f"entry {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise UnrepresentableError("entry id must be a non-empty string", where=where)
        check_currency(self.currency, where + " currency")
        check_amount(self.amount, self.currency, where + " amount")
        for name, limit in (("counterparty", 70), ("reference", 140), ("end_to_end_id", 35)):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise UnrepresentableError(f"{name} must be a string", where=where)
            if len(value) > limit:
                raise UnrepresentableError(
                    f"{name} has {len(value)} characters, more than {limit}", where=where
                )
        for name in ("booking_date", "value_date"):
            check_date(getattr(self, name), f"{where} {name}")


# SEPA limits of the entry texts; StatementEntry refuses longer values.
TEXT_LIMITS = {"counterparty": 70, "reference": 140, "end_to_end_id": 35}


def entry_from_bank_data(**fields: object) -> tuple[StatementEntry, list[str]]:
    """A StatementEntry from booked bank data, and the warnings of what had to be cut.

    Bank data can exceed the SEPA text limits (a card merchant string of 90 characters): one
    such text must never block a day's statement, so it is cut at its limit and the cut is
    reported, never hidden. Every other rule of :class:`StatementEntry` still applies. The
    statement job and the ``statement`` command both build their entries here.
    """
    warnings: list[str] = []
    for name, limit in TEXT_LIMITS.items():
        value = fields.get(name)
        if isinstance(value, str) and len(value) > limit:
            fields[name] = value[:limit]
            warnings.append(
                f"entry {fields.get('id')!r}: {name} has {len(value)} characters, cut to "
                f"the SEPA limit of {limit}"
            )
    return StatementEntry(**fields), warnings  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Statement:
    """One day's statement for one account: entries booked on ``date``.

    ``sequence_number`` is the statement number printed in the file (MT940 :28C:, 1..99999).
    """

    account: StatementAccount
    date: date
    opening_balance: Decimal
    entries: Sequence[StatementEntry] = field(default_factory=tuple)
    sequence_number: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        check_amount(self.opening_balance, self.account.currency, "opening balance")
        check_date(self.date, "statement date")
        # The opening balance is dated the day before: it must be writable too.
        if self.date == FIRST_DATE:
            check_date(self.date - timedelta(days=1), "opening balance date (the day before)")
        if not isinstance(self.sequence_number, int) or not 0 < self.sequence_number <= 99999:
            raise UnrepresentableError(
                f"sequence number {self.sequence_number!r} is outside 1..99999",
                where="statement",
            )
        for entry in self.entries:
            if entry.currency != self.account.currency:
                raise UnrepresentableError(
                    f"currency {entry.currency} differs from the account's {self.account.currency}",
                    where=f"entry {entry.id!r}",
                )
            if entry.booking_date != self.date:
                raise UnrepresentableError(
                    f"booked on {entry.booking_date.isoformat()}, not on the statement date "
                    f"{self.date.isoformat()}",
                    where=f"entry {entry.id!r}",
                )

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance + sum((e.amount for e in self.entries), Decimal(0))


@dataclass(slots=True)
class ParsedEntry:
    """An entry as read back from a file (texts as written there, after transliteration)."""

    amount: Decimal
    booking_date: date
    value_date: date
    counterparty: str = ""
    reference: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    label: str = ""
    line: int = 0


@dataclass(slots=True)
class ParsedStatement:
    """A statement as read back from a file. ``account`` is the IBAN (MT940 :25:) or the
    RIB (CFONB: bank + branch + account number); ``line`` is where it starts."""

    account: str
    currency: str
    opening_date: date
    closing_date: date
    opening_balance: Decimal
    closing_balance: Decimal
    entries: list[ParsedEntry] = field(default_factory=list)
    line: int = 0
