"""Input records of the matching engine: organization, bank transactions, documents.

Each record validates itself when built from a JSON object (`from_json`), so the
engine only ever sees well-formed values:

- amounts are `Decimal` (never float); JSON numbers are accepted through their
  shortest decimal representation, decimal strings are preferred;
- instants (`emitted_at`, `settled_at`, `received_at`) are timezone-aware
  `datetime`s; a bare date or a naive datetime is read as Europe/Paris time,
  the organization's legal time. A card debit's `emitted_at` with a time of day
  is the moment it was paid (`docs/FEED.md`); a bare date (midnight) may be a
  bank's booking date, days after the payment (see `engine`);
- calendar dates (`issue_date`, `due_date`) are `datetime.date`; an instant given
  there is converted to its Europe/Paris calendar day;
- unknown extra keys are ignored;
- every value is bounded (`MAX_AMOUNT`, `MAX_AMOUNT_DECIMALS`, `MIN_YEAR` ..
  `MAX_YEAR`, `MAX_TEXT_CHARS`, `MAX_LIST_ITEMS`) and text must be valid
  Unicode (no lone surrogate);
- anything else raises `MalformedLine`, which names the line (when known) and
  the field at fault.

>>> tx = TransactionLine.from_json({"id": "t1", "account_id": "a", "amount": "-42.50",
...     "currency": "eur", "counterparty": "SNCF INTERNET", "operation_type": "card",
...     "emitted_at": "2024-03-05"})
>>> tx.amount, tx.currency, tx.emitted_at.isoformat()
(Decimal('-42.50'), 'EUR', '2024-03-05T00:00:00+01:00')
>>> DocumentLine.from_json({"id": "d1", "document_type": "memo", "total": "1",
...     "currency": "EUR"}, line_no=7)
Traceback (most recent call last):
...
shared.matching.model.MalformedLine: line 7: field 'document_type': must be one of credit_note, invoice, receipt, got 'memo'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import starmap
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from shared.errors import Invalid

PARIS = ZoneInfo("Europe/Paris")

T = TypeVar("T")

OPERATION_TYPES = frozenset({"card", "transfer", "direct_debit", "income"})
DOCUMENT_TYPES = frozenset({"receipt", "invoice", "credit_note"})

_CURRENCY = re.compile(r"^[A-Z]{3}$")

# Bounds of every input value. Past them a value is absurd or hostile (a
# 1E+999999 amount overflows arithmetic, year 9999 overflows time zone
# conversion), so it is refused with its line and field, never processed.
MAX_AMOUNT = Decimal("1000000000000")  # 10^12 units of any currency, exclusive
MAX_AMOUNT_DECIMALS = 4  # cents, and the 3-decimal currencies (KWD, BHD), with room
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_TEXT_CHARS = 1000  # names, descriptors, references
MAX_ID_CHARS = 256
MAX_LIST_ITEMS = 50
_QUANTUM = Decimal(1).scaleb(-MAX_AMOUNT_DECIMALS)


class MalformedLine(Invalid):
    """A record that cannot be read; `line_no` and `field` say where (either may be None)."""

    def __init__(self, message: str, line_no: int | None = None, field: str | None = None):
        self.line_no = line_no
        self.field = field
        self.reason = message
        where = []
        if line_no is not None:
            where.append(f"line {line_no}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(": ".join([*where, message]) if where else message)


class _Reader:
    """Typed accessors over one JSON object that raise `MalformedLine` naming the field."""

    __slots__ = ("obj", "line_no")

    def __init__(self, obj: Any, line_no: int | None):
        if not isinstance(obj, dict):
            raise MalformedLine(f"expected a JSON object, got {type(obj).__name__}", line_no)
        self.obj = obj
        self.line_no = line_no

    def fail(self, field: str, message: str) -> MalformedLine:
        return MalformedLine(message, self.line_no, field)

    def _get(self, field: str, required: bool) -> Any:
        value = self.obj.get(field)
        if value is None and required:
            raise self.fail(field, "is required")
        return value

    def text(self, field: str, required: bool = False) -> str | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(field, f"must be a string, got {type(value).__name__}")
        value = str(value).strip()
        if not value:
            if required:
                raise self.fail(field, "must not be empty")
            return None
        problem = _text_problem(value, MAX_ID_CHARS if field.endswith("id") else MAX_TEXT_CHARS)
        if problem:
            raise self.fail(field, problem)
        return value

    def required_text(self, field: str) -> str:
        value = self.text(field, required=True)
        assert value is not None  # text(required=True) raises instead
        return value

    def amount(self, field: str, required: bool = False) -> Decimal | None:
        value = self._get(field, required)
        if value is None:
            return None
        return _decimal(value, lambda message: self.fail(field, message))

    def currency(self, field: str, required: bool = False) -> str | None:
        value = self.text(field, required)
        if value is None:
            return None
        value = value.upper()
        if not _CURRENCY.match(value):
            raise self.fail(field, f"must be an ISO 4217 code such as EUR, got {value!r}")
        return value

    def instant(self, field: str, required: bool = False) -> datetime | None:
        value = self.text(field, required)
        if value is None:
            return None
        return parse_instant(value, lambda message: self.fail(field, message))

    def day(self, field: str) -> date | None:
        value = self.text(field)
        if value is None:
            return None
        if len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise self.fail(field, f"is not an ISO 8601 date: {value!r}") from None
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise self.fail(field, f"year {day.year} is outside {MIN_YEAR}-{MAX_YEAR}")
            return day
        instant = parse_instant(value, lambda message: self.fail(field, message))
        return instant.astimezone(PARIS).date()

    def choice(self, field: str, allowed: frozenset[str]) -> str:
        value = self.required_text(field)
        if value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(sorted(allowed))}, got {value!r}")
        return value

    def flag(self, field: str) -> bool:
        value = self.obj.get(field)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(field, f"must be true or false, got {value!r}")
        return value

    def amount_list(self, field: str) -> tuple[Decimal, ...]:
        value = self.obj.get(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, f"must be a list of amounts, got {type(value).__name__}")
        if len(value) > MAX_LIST_ITEMS:
            raise self.fail(field, f"has {len(value)} items, at most {MAX_LIST_ITEMS}")
        out = []
        for i, item in enumerate(value):
            out.append(_decimal(item, lambda message, i=i: self.fail(f"{field}[{i}]", message)))
        return tuple(out)

    def text_list(self, field: str) -> tuple[str, ...]:
        value = self.obj.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "must be a list of strings")
        if len(value) > MAX_LIST_ITEMS:
            raise self.fail(field, f"has {len(value)} items, at most {MAX_LIST_ITEMS}")
        for v in value:
            problem = _text_problem(v, MAX_TEXT_CHARS)
            if problem:
                raise self.fail(field, problem)
        return tuple(v.strip() for v in value if v.strip())


def _decimal(value: Any, fail: Any) -> Decimal:
    if isinstance(value, bool):
        raise fail(f"must be a decimal amount, got {value!r}")
    if isinstance(value, float):
        # JSON numbers arrive as floats from json.loads; their shortest repr is the
        # number the sender wrote, which is what we want (never float arithmetic).
        value = repr(value)
    if isinstance(value, (str, int, Decimal)):
        try:
            text = str(value).strip().replace(" ", "")
        except ValueError:  # an int too long to print (Python's digit limit)
            raise fail("is not a plausible amount (too many digits)") from None
        if len(text) > 40:
            raise fail(f"is not a plausible amount ({len(text)} characters)")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise fail(f"must be a decimal amount, got {text!r}") from None
        return _bounded_amount(result, fail, text)
    raise fail(f"must be a decimal amount, got {type(value).__name__}")


def _bounded_amount(result: Decimal, fail: Any, text: str) -> Decimal:
    if not result.is_finite():
        raise fail(f"must be a finite amount, got {text!r}")
    if abs(result) >= MAX_AMOUNT:
        raise fail(f"is not a plausible amount: {text!r} (at most {MAX_AMOUNT:,} exclusive)")
    if result.as_tuple().exponent < -MAX_AMOUNT_DECIMALS and result != result.quantize(_QUANTUM):  # type: ignore[operator]
        raise fail(f"has more than {MAX_AMOUNT_DECIMALS} decimals: {text!r}")
    return result


def _text_problem(value: str, limit: int) -> str | None:
    """Why a text value is refused (too long, a lone surrogate), or None."""
    if len(value) > limit:
        return f"is {len(value)} characters long, at most {limit}"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid Unicode text (a lone surrogate)"
    return None


def parse_instant(value: str, fail: Any = None) -> datetime:
    """ISO 8601 text -> aware datetime; bare dates and naive times are Europe/Paris."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        if fail is None:
            raise
        raise fail(f"is not an ISO 8601 date or datetime: {value!r}") from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        message = f"year {parsed.year} is outside {MIN_YEAR}-{MAX_YEAR}"
        if fail is None:
            raise ValueError(message)
        raise fail(message)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed


def normalize_iban(value: str | None) -> str | None:
    """Upper-case an IBAN and drop separators; None stays None."""
    if not value:
        return None
    compact = re.sub(r"[\s.\-]", "", value).upper()
    return compact or None


def normalize_vat(value: str | None) -> str | None:
    """Upper-case a VAT number and drop separators; None stays None."""
    if not value:
        return None
    compact = re.sub(r"[\s.\-]", "", value).upper()
    return compact or None


@dataclass(frozen=True, slots=True)
class OrganizationProfile:
    """The organization whose bank account is being reconciled.

    `ibans` are its own accounts (normalized); `vat` and `siren` identify it on
    the documents it issues (sales invoices, which are never matched).
    """

    name: str
    vat: str | None = None
    siren: str | None = None
    ibans: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, obj: dict, line_no: int | None = None) -> OrganizationProfile:
        r = _Reader(obj, line_no)
        siren = r.text("siren")
        if siren is not None:
            siren = re.sub(r"\s", "", siren)
            if not (siren.isdigit() and len(siren) == 9):
                raise r.fail("siren", f"must be 9 digits, got {siren!r}")
        ibans = tuple(i for i in (normalize_iban(v) for v in r.text_list("ibans")) if i)
        return cls(
            name=r.required_text("name"),
            vat=normalize_vat(r.text("vat")),
            siren=siren,
            ibans=ibans,
        )


class TransactionLine(NamedTuple):
    """One bank transaction. `amount` is negative for money out, in `currency`.

    `local_amount`/`local_currency` are the amount in the merchant's currency for a
    card payment abroad. `has_attachment` means a document is already attached, so
    the transaction is not matched again.
    """

    id: str
    account_id: str
    amount: Decimal
    currency: str
    counterparty: str
    operation_type: str
    emitted_at: datetime
    local_amount: Decimal | None = None
    local_currency: str | None = None
    reference: str | None = None
    counterparty_iban: str | None = None
    settled_at: datetime | None = None
    has_attachment: bool = False

    @classmethod
    def from_json(cls, obj: dict, line_no: int | None = None) -> TransactionLine:
        fast = _fast_transaction(obj)
        if fast is not None:
            return fast
        # The careful path: same rules, and the error names the field at fault.
        r = _Reader(obj, line_no)
        amount = r.amount("amount", required=True)
        assert amount is not None
        if amount == 0:
            raise r.fail("amount", "must not be zero")
        local_amount = r.amount("local_amount")
        local_currency = r.currency("local_currency")
        if (local_amount is None) != (local_currency is None) and local_amount is not None:
            raise r.fail("local_currency", "is required when local_amount is given")
        emitted_at = r.instant("emitted_at", required=True)
        assert emitted_at is not None
        return cls(
            id=r.required_text("id"),
            account_id=r.required_text("account_id"),
            amount=amount,
            currency=r.currency("currency", required=True) or "",
            counterparty=_counterparty(r),
            operation_type=r.choice("operation_type", OPERATION_TYPES),
            emitted_at=emitted_at,
            local_amount=local_amount,
            local_currency=local_currency,
            reference=r.text("reference"),
            counterparty_iban=normalize_iban(r.text("counterparty_iban")),
            settled_at=r.instant("settled_at"),
            has_attachment=r.flag("has_attachment"),
        )


def _counterparty(r: _Reader) -> str:
    # Required, but may be empty: some bank lines (fees, interest) carry none.
    if "counterparty" not in r.obj:
        raise r.fail("counterparty", "is required (it may be an empty string)")
    return r.text("counterparty") or ""


def _optional_text(value: Any) -> str | None:
    # Raises TypeError (caught by the fast path: "take the careful path") unless
    # the value is absent or a plain string; blank means absent.
    if value is None:
        return None
    if type(value) is not str or not _plain_text(value, MAX_TEXT_CHARS):
        raise TypeError
    return value.strip() or None


def _plain_text(value: str, limit: int) -> bool:
    """Within bounds and valid Unicode (the careful path explains a refusal)."""
    return len(value) <= limit and (value.isascii() or _text_problem(value, limit) is None)


def _plain_amount(amount: Decimal) -> bool:
    """Finite, plausible and at most `MAX_AMOUNT_DECIMALS` decimals as written."""
    return (
        amount.is_finite()
        and -MAX_AMOUNT < amount < MAX_AMOUNT
        and amount.as_tuple().exponent >= -MAX_AMOUNT_DECIMALS  # type: ignore[operator]
    )


# An amount written plainly (`-99.55`): within `MAX_AMOUNT` and `MAX_AMOUNT_DECIMALS`
# by its shape, so the fast path need not inspect the Decimal it becomes.
_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,4})?")


# Plainly written amounts already read, by their text: a statement repeats its
# amounts (a quarter of 100,000 card debits are distinct), and a dictionary look-up
# costs a tenth of the regular expression and the Decimal. Emptied when full, so
# that a long-lived process holds at most this many.
_PLAIN_AMOUNTS: dict[str, Decimal] = {}
_PLAIN_AMOUNTS_MAX = 1 << 16


def _fast_amount(value: Any) -> Decimal | None:
    """A plainly written, bounded amount; None when the careful checks must decide."""
    if type(value) is str:
        known = _PLAIN_AMOUNTS.get(value)
        if known is not None:
            return known
        if _PLAIN_AMOUNT.fullmatch(value):
            if len(_PLAIN_AMOUNTS) >= _PLAIN_AMOUNTS_MAX:
                _PLAIN_AMOUNTS.clear()
            known = _PLAIN_AMOUNTS[value] = Decimal(value)
            return known
        value = Decimal(value)
    elif type(value) is not Decimal:
        return None
    return value if _plain_amount(value) else None


def _is_currency(code: str) -> bool:
    # Same as `_CURRENCY` on an upper-cased code, without a regex call per line.
    return len(code) == 3 and code.isascii() and code.isalpha()


# id .. emitted_at: a line holding only these, or these and a posting date, has no
# other optional field to look up (most card debits).
_REQUIRED_FIELDS = 7


def _fast_transaction(obj: Any) -> TransactionLine | None:
    """Build a well-formed, common-shaped line quickly; None means "take the careful
    path" (which accepts the same lines and explains the rejected ones)."""
    try:
        if type(obj) is not dict:
            return None
        fields = (
            obj["id"],
            obj["account_id"],
            obj["amount"],
            obj["currency"],
            obj["counterparty"],
            obj["operation_type"],
            obj["emitted_at"],
        )
    except KeyError:
        return None
    extra_fields = len(obj) - _REQUIRED_FIELDS
    if extra_fields == 1 and "settled_at" in obj:  # a posting date alone: most card debits
        settled = obj["settled_at"]
        if settled is None or type(settled) is str:
            return _plain_transaction(*fields, settled)
        return None
    line = _plain_transaction(*fields, None)
    if line is None or extra_fields == 0:
        return line
    try:
        optional = _fast_optional(obj)
    except (ValueError, ArithmeticError, TypeError):
        return None
    return None if optional is None else tuple.__new__(TransactionLine, line[:7] + optional)


def _plain_transaction(
    ident: Any,
    account: Any,
    amount: Any,
    currency: Any,
    counterparty: Any,
    operation: Any,
    emitted: Any,
    settled: str | None,
) -> TransactionLine | None:
    """`_fast_transaction` of a line holding these values, and no optional field
    but its posting date (`settled`: None or blank when it has none); None means
    "take the careful path".

    The checks of `_fast_amount` (a known amount) and `_fast_instant` are written
    out here: at 100,000 lines, a function call costs about what a check does."""
    try:
        if not (
            type(ident) is str
            and type(account) is str
            and type(currency) is str
            and type(counterparty) is str
            and type(emitted) is str
            and operation in OPERATION_TYPES
        ):
            return None
        ident, account, currency = ident.strip(), account.strip(), currency.strip().upper()
        if not ident or not account or len(currency) != 3 or not currency.isascii():
            return None
        if not currency.isalpha():
            return None
        known = _PLAIN_AMOUNTS.get(amount) if type(amount) is str else None
        amount = known if known is not None else _fast_amount(amount)
        if not amount:  # None, or zero (refused by the careful path)
            return None
        if not (
            len(ident) <= MAX_ID_CHARS
            and len(account) <= MAX_ID_CHARS
            and len(counterparty) <= MAX_TEXT_CHARS
        ):
            return None
        # ASCII text is valid Unicode (`str.isascii` is a flag lookup); other text is
        # checked for lone surrogates.
        if not (ident.isascii() and account.isascii() and counterparty.isascii()) and not (
            _plain_text(ident, MAX_ID_CHARS)
            and _plain_text(account, MAX_ID_CHARS)
            and _plain_text(counterparty, MAX_TEXT_CHARS)
        ):
            return None
        emitted_at = datetime.fromisoformat(emitted.strip())
        if not MIN_YEAR <= emitted_at.year <= MAX_YEAR:
            return None
        if emitted_at.tzinfo is None:
            emitted_at = emitted_at.replace(tzinfo=PARIS)
        settled_at = _POSTING_DATES.get(settled) if settled else None
        if settled and settled_at is None:
            settled_at = _new_posting_date(settled)
        # `tuple.__new__` is what `TransactionLine._make` calls, without its
        # Python-level frame (the fields are all there, in order, in one tuple).
        return tuple.__new__(
            TransactionLine,
            (
                ident,
                account,
                amount,
                currency,
                counterparty.strip(),
                operation,
                emitted_at,
                None,  # local_amount
                None,  # local_currency
                None,  # reference
                None,  # counterparty_iban
                settled_at,
                False,  # has_attachment
            ),
        )
    except (ValueError, ArithmeticError, TypeError):
        return None


# Posting dates already read, by their text: a bank posts card debits in batches
# (100,000 debits, 60,000 posting dates, 20,000 distinct), and a look-up costs a
# tenth of reading one. Emptied when full, as `_PLAIN_AMOUNTS`.
_POSTING_DATES: dict[str, datetime] = {}
_POSTING_DATES_MAX = 1 << 16


def _new_posting_date(text: str) -> datetime | None:
    """The posting date of a plain line (None when blank), kept in `_POSTING_DATES`;
    raises ValueError when the careful path must decide."""
    if not (len(text) <= MAX_TEXT_CHARS and text.isascii()) and not _plain_text(
        text, MAX_TEXT_CHARS
    ):
        raise ValueError(text)
    stripped = text.strip()
    if not stripped:
        return None
    instant = datetime.fromisoformat(stripped)  # (`_fast_instant`, written out)
    if not MIN_YEAR <= instant.year <= MAX_YEAR:
        raise ValueError(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=PARIS)
    if len(_POSTING_DATES) >= _POSTING_DATES_MAX:
        _POSTING_DATES.clear()
    _POSTING_DATES[text] = instant
    return instant


# A JSON text value as `json.dumps` writes one that needs no escape: what it holds
# is the text. At most `MAX_TEXT_CHARS`, so that a line of such values is always
# far below the reader's line length bound.
_JSON_TEXT = rf'"([^"\\\x00-\x1f]{{0,{MAX_TEXT_CHARS}}}+)"'


def _plain_line_pattern(required: tuple[str, ...], optional: tuple[str, ...]) -> re.Pattern:
    """A line as `json.dumps` writes an object of these text fields, in this order,
    the optional ones maybe absent: one group per field (empty when absent)."""
    return re.compile(
        "^{"
        + ", ".join(f'"{name}": {_JSON_TEXT}' for name in required)
        + "".join(f'(?:, "{name}": {_JSON_TEXT})?' for name in optional)
        + "}$",
        re.MULTILINE,
    )


def _plain_lines(text: str, line: re.Pattern, build: Callable[..., T | None]) -> list[T] | None:
    """`build(*values)` of each line of a JSON-lines text when every line is a `line`,
    and every `build` gives a record; None otherwise (the JSON decoder then reads
    the text). What the decoder would give, without a dictionary per line: a fifth
    less work for the whole read (100,000 card debits)."""
    lines = text.count("\n") + (not text.endswith("\n"))
    # Each match is one whole line (a value holds no line end): as many matches
    # as lines means every line matched.
    rows = line.findall(text)
    if not text or len(rows) != lines:
        return None
    records = list(starmap(build, rows))
    return None if None in records else records  # type: ignore[return-value]


# A common transaction line: the required fields, and maybe a posting date.
_PLAIN_TRANSACTION_LINE = _plain_line_pattern(
    TransactionLine._fields[:_REQUIRED_FIELDS], ("settled_at",)
)


def plain_transaction_lines(text: str) -> list[TransactionLine] | None:
    """The transactions of a JSON-lines text of common lines (`_plain_lines`)."""
    return _plain_lines(text, _PLAIN_TRANSACTION_LINE, _plain_transaction)


def _fast_optional(obj: dict) -> tuple | None:
    """local_amount .. has_attachment of a common-shaped line, in field order; None
    otherwise. Raises TypeError for a value that is not text where text is expected."""
    get = obj.get
    reference = _optional_text(get("reference"))
    iban = _optional_text(get("counterparty_iban"))
    local_currency = _optional_text(get("local_currency"))
    settled = _optional_text(get("settled_at"))
    local_amount = get("local_amount")
    if local_amount is not None:
        local_amount = _fast_amount(local_amount)
        if local_amount is None or local_currency is None:
            return None
    if local_currency is not None:
        local_currency = local_currency.upper()
        if not _is_currency(local_currency):
            return None
    settled_at = None
    if settled is not None:
        settled_at = _fast_instant(settled)
        if settled_at is None:
            return None
    attached = get("has_attachment")
    if attached is not None and type(attached) is not bool:
        return None
    return (
        local_amount,
        local_currency,
        reference,
        normalize_iban(iban) if iban is not None else None,
        settled_at,
        bool(attached),
    )


def _fast_instant(text: str) -> datetime | None:
    """`parse_instant` without its messages: None for a year out of bounds; raises
    ValueError for text that is not ISO 8601."""
    instant = datetime.fromisoformat(text)
    if not MIN_YEAR <= instant.year <= MAX_YEAR:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=PARIS)
    return instant


class DocumentLine(NamedTuple):
    """One extracted document (receipt, invoice or credit note) to match.

    `total` is the amount the document says was (or is to be) paid, in `currency`;
    a credit note's total may be written positive or negative. `candidate_totals`
    are other amounts the extractor found plausible (e.g. the total before a
    discount line, or an OCR alternative). `amount_due` is what remains to pay
    when a deposit was already paid.
    """

    id: str
    document_type: str
    total: Decimal
    currency: str
    supplier_name: str | None = None
    supplier_vat: str | None = None
    supplier_iban: str | None = None
    customer_name: str | None = None
    customer_vat: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    amount_due: Decimal | None = None
    candidate_totals: tuple[Decimal, ...] = ()
    invoice_number: str | None = None
    received_at: datetime | None = None
    checksum: str | None = None

    @classmethod
    def from_json(cls, obj: dict, line_no: int | None = None) -> DocumentLine:
        fast = _fast_document(obj)
        if fast is not None:
            return fast
        # The careful path: same rules, and the error names the field at fault.
        r = _Reader(obj, line_no)
        total = r.amount("total", required=True)
        assert total is not None
        return cls(
            id=r.required_text("id"),
            document_type=r.choice("document_type", DOCUMENT_TYPES),
            total=total,
            currency=r.currency("currency", required=True) or "",
            supplier_name=r.text("supplier_name"),
            supplier_vat=normalize_vat(r.text("supplier_vat")),
            supplier_iban=normalize_iban(r.text("supplier_iban")),
            customer_name=r.text("customer_name"),
            customer_vat=normalize_vat(r.text("customer_vat")),
            issue_date=r.day("issue_date"),
            due_date=r.day("due_date"),
            amount_due=r.amount("amount_due"),
            candidate_totals=r.amount_list("candidate_totals"),
            invoice_number=r.text("invoice_number"),
            received_at=r.instant("received_at"),
            checksum=r.text("checksum"),
        )


# The fields of a common document line (a receipt as the extractor writes it):
# `_fast_document` reads a line holding no other.
_FAST_DOCUMENT_FIELDS = frozenset(
    {"id", "document_type", "total", "currency", "supplier_name", "issue_date"}
)


def _fast_document(obj: Any) -> DocumentLine | None:
    """`DocumentLine.from_json` of a common-shaped line, quickly; None means "take
    the careful path" (which accepts the same lines and explains the rejected ones)."""
    try:
        if type(obj) is not dict or not _FAST_DOCUMENT_FIELDS.issuperset(obj):
            return None
        fields = (obj["id"], obj["document_type"], obj["total"], obj["currency"])
    except KeyError:
        return None
    return _plain_document(*fields, obj.get("supplier_name"), obj.get("issue_date"))


def _plain_document(
    ident: Any, document_type: Any, total: Any, currency: Any, name: Any, issued: Any
) -> DocumentLine | None:
    """`_fast_document` of a line holding these values (`name`, `issued`: None or
    blank when absent) and no other field."""
    try:
        if not (type(ident) is str and type(document_type) is str and type(currency) is str):
            return None
        ident, document_type = ident.strip(), document_type.strip()
        currency = currency.strip().upper()
        if not ident or document_type not in DOCUMENT_TYPES or not _is_currency(currency):
            return None
        if not _plain_text(ident, MAX_ID_CHARS):
            return None
        total = _fast_amount(total)
        if total is None:  # (zero is a valid total)
            return None
        if name is not None:
            if type(name) is not str or not _plain_text(name, MAX_TEXT_CHARS):
                return None
            name = name.strip() or None
        issue_date = None
        if issued is not None:
            if type(issued) is not str:
                return None
            issued = issued.strip()
            if issued:
                if len(issued) != 10:
                    return None  # an instant: the careful path converts it
                issue_date = date.fromisoformat(issued)
                if not MIN_YEAR <= issue_date.year <= MAX_YEAR:
                    return None
        # Every field, in order, in one tuple (as for a transaction).
        return tuple.__new__(
            DocumentLine,
            (
                ident,
                document_type,
                total,
                currency,
                name,
                None,  # supplier_vat
                None,  # supplier_iban
                None,  # customer_name
                None,  # customer_vat
                issue_date,
                None,  # due_date
                None,  # amount_due
                (),  # candidate_totals
                None,  # invoice_number
                None,  # received_at
                None,  # checksum
            ),
        )
    except (KeyError, ValueError, ArithmeticError, TypeError):
        return None


# A common document line: id .. currency, and maybe a supplier name and an issue date.
_PLAIN_DOCUMENT_LINE = _plain_line_pattern(
    DocumentLine._fields[:4], ("supplier_name", "issue_date")
)


def plain_document_lines(text: str) -> list[DocumentLine] | None:
    """The documents of a JSON-lines text of common lines (`_plain_lines`)."""
    return _plain_lines(text, _PLAIN_DOCUMENT_LINE, _plain_document)
