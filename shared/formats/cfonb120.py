"""CFONB-120 account statements ("relevé de compte 120 caractères"): writer and strict reader.

Verbs: :func:`write` (Statement -> text), :func:`parse` (text -> ParsedStatement list, strict),
:func:`validate` (text -> None or :class:`FormatValidationError` naming the line).

Records are 120 characters, one per line (CRLF when we write). Positions, 1-based:

====== ==================================================================================
01, 07 1-2 code, 3-7 bank, 8-11 blank, 12-16 branch, 17-19 currency, 20 decimals, 21 blank,
       22-32 account, 33-34 blank, 35-40 date DDMMYY, 41-90 blank, 91-104 balance,
       105-120 blank. 01 = previous balance (dated the day before), 07 = new balance.
04     ... 8-11 bank's internal operation code, 33-34 interbank operation code, 35-40 booking
       date, 41-42 reject code, 43-48 value date, 49-79 label, 80-81 blank, 82-88 entry
       number, 89 commission exemption, 90 unavailability, 91-104 amount, 105-120 reference.
05     same 1-40 as its 04, 41-45 blank, 46-48 qualifier, 49-118 text, 119-120 blank.
====== ==================================================================================

An amount is 14 characters: 13 digits then the last digit as a sign code: ``{`` and A-I
for +0..+9, ``}`` and J-R for -0..-9, in minor units (position 20 gives the decimals).

05 complement records carry what does not fit in a 04: ``NPY`` payer name (credits) or
``NBE`` beneficiary name (debits), ``LCC``/``LC2`` remittance information (2 x 70), ``RCN``
end-to-end id (35) + purpose. Texts are transliterated to the CFONB character set.

The reader is strict where python-cfonb and others are lenient: every record exactly 120
characters, the CFONB character set, numeric zones numeric, blank zones blank, real dates,
01 (04 05*)* 07 per account with one account and currency per statement, a 05 only after a
04 of the same operation, and previous balance + movements = new balance.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from shared.formats.errors import FormatValidationError, UnrepresentableError
from shared.formats.statement import (
    ParsedEntry,
    ParsedStatement,
    Statement,
    bank_reference,
    minor_units,
)
from shared.formats.transliterate import CFONB_CHARS, _to_cfonb

RECORD_LENGTH = 120
EOL = "\r\n"
_POSITIVE = "{ABCDEFGHI"
_NEGATIVE = "}JKLMNOPQR"
_MAX_MINOR = 10**14 - 1

# (operation type, direction) -> (bank internal code, interbank code, label prefix).
# Interbank codes as seen in bank-issued files: 18 SEPA transfer received, 06 transfer
# issued, B1 SEPA direct debit paid, 62 fees. Anything else falls back to 05 (credit) / 06.
OPERATION_CODES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("transfer", "C"): ("VIR ", "18", "VIR "),
    ("transfer", "D"): ("VIR ", "06", "VIR "),
    ("sepa_transfer", "C"): ("VIR ", "18", "VIR "),
    ("sepa_transfer", "D"): ("VIR ", "06", "VIR "),
    ("direct_debit", "D"): ("PRLV", "B1", "PRLV "),
    ("fee", "D"): ("FRAI", "62", "FRAIS "),
    ("card", "D"): ("CB  ", "06", "CB "),
    ("card", "C"): ("CB  ", "05", "CB "),
}
DEFAULT_OPERATION_CODES = {"C": ("    ", "05", ""), "D": ("    ", "06", "")}

_TEXT_CHARS = CFONB_CHARS


@lru_cache(maxsize=4096)
def _ddmmyy_text(day: date) -> str:
    return day.strftime("%d%m%y")


def _amount(value: Decimal, decimals: int, where: str) -> str:
    minor = int(value.scaleb(decimals))
    codes = _POSITIVE
    if minor < 0:
        minor = -minor
        codes = _NEGATIVE
    if minor > _MAX_MINOR:
        raise UnrepresentableError(f"amount {value} exceeds 14 digits", where=where)
    return f"{minor // 10:013d}{codes[minor % 10]}"


def _rib(iban: str) -> tuple[str, str, str]:
    if iban[:2] not in ("FR", "MC") or len(iban) != 27:
        raise UnrepresentableError(
            f"CFONB-120 needs a French (or Monaco) IBAN with a RIB inside, not {iban[:2]}...",
            where="account.iban",
        )
    return iban[4:9], iban[9:14], iban[14:25]


def _refuse_entry(entry_id: str, counterparty: str, reference: str, e2e: str, index: int) -> None:
    where = f"entry {entry_id!r}"
    for what, text, width in (
        ("counterparty", counterparty, 70),
        ("reference", reference, 280),
        ("end-to-end id", e2e, 35),
    ):
        if len(text) > width:
            raise UnrepresentableError(
                f"{what} needs {len(text)} characters after transliteration, more than {width}",
                where=where,
            )
    raise UnrepresentableError("more than 9,999,999 entries in one statement", where=where)


def write(statement: Statement) -> str:
    """Return the CFONB-120 records of ``statement`` (CRLF after every record).

    Raises :class:`UnrepresentableError` naming the entry or account when the IBAN is not
    French, an amount exceeds 14 digits, or a text does not fit its 05 records.
    """
    account = statement.account
    bank, branch, number = _rib(account.iban)
    ccy = account.currency
    decimals = minor_units(ccy)
    # 1-21 and 22-32 are common to all records; 8-11 differs (blank in 01/07).
    head = f"{bank}"
    tail = f"{branch}{ccy}{decimals} {number}"
    day = statement.date
    ddmmyy = day.strftime("%d%m%y")
    opening = statement.opening_balance
    out = [
        f"01{head}    {tail}  {(day - timedelta(days=1)).strftime('%d%m%y')}{' ' * 50}"
        f"{_amount(opening, decimals, 'opening balance')}{' ' * 16}"
    ]
    append = out.append
    convert = _to_cfonb  # the cached converter itself: this loop runs once per entry
    codes_for = OPERATION_CODES.get
    for index, entry in enumerate(statement.entries, start=1):
        amount = entry.amount
        direction = "D" if amount < 0 else "C"
        internal, interbank, prefix = codes_for(
            (entry.operation_type, direction), DEFAULT_OPERATION_CODES[direction]
        )
        counterparty = convert(entry.counterparty, False).strip() if entry.counterparty else ""
        reference = convert(entry.reference, False).strip() if entry.reference else ""
        e2e = convert(entry.end_to_end_id, False).strip() if entry.end_to_end_id else ""
        if len(counterparty) > 70 or len(reference) > 280 or len(e2e) > 35 or index > 9_999_999:
            _refuse_entry(entry.id, counterparty, reference, e2e, index)
        # The label is a summary for humans; the full texts follow in 05 records.
        label = (prefix + (counterparty or reference))[:31]
        common = f"{head}{internal}{tail}{interbank}{_ddmmyy_text(entry.booking_date)}"
        append(
            f"04{common}  {_ddmmyy_text(entry.value_date)}{label:<31}  {index:07d}  "
            f"{_amount(amount, decimals, f'entry {entry.id!r}')}{bank_reference(entry.id):<16}"
        )
        c05 = f"05{common}     "
        if counterparty:
            append(f"{c05}{'NBE' if direction == 'D' else 'NPY'}{counterparty:<70}  ")
        if reference:
            append(f"{c05}LCC{reference[:70]:<70}  ")
            if len(reference) > 70:
                append(f"{c05}LC2{reference[70:140]:<70}  ")
                # Transliteration can lengthen a 140-character reference ('€' -> 'EUR'):
                # the rest follows in LIB records rather than being cut.
                for start in range(140, len(reference), 70):
                    append(f"{c05}LIB{reference[start : start + 70]:<70}  ")
        if e2e:
            append(f"{c05}RCN{e2e:<70}  ")
    append(
        f"07{head}    {tail}  {ddmmyy}{' ' * 50}"
        f"{_amount(statement.closing_balance, decimals, 'closing balance')}{' ' * 16}"
    )
    return EOL.join(out) + EOL


# --------------------------------------------------------------------------------- reading

_AMOUNT_RE = re.compile(r"\d{13}[{}A-R]")
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9]{11}")
# Zones that must be blank. Banks fill some reserved zones (dates in 105-120 of 01/07, a
# letter at 21 of 04): those are tolerated when they hold CFONB characters.
_BLANK_ZONES = {
    "01": ((7, 11), (32, 34)),
    "07": ((7, 11), (32, 34)),
    "04": ((79, 81),),
    "05": ((40, 45), (118, 120)),
}


_C = r"[A-Za-z0-9 /\-?:().,'+*&%=;@_\"!<>#$]"
_HEAD = r"\d{5}" + _C + r"{4}\d{5}[A-Z]{3}\d" + _C + "[A-Za-z0-9]{11}"
# One regular expression per record type checks the whole layout at once (the fast path);
# only a record that fails it goes through the zone-by-zone checks that explain the fault.
_LAYOUT = {
    "01": re.compile(
        r"01\d{5} {4}\d{5}[A-Z]{3}\d"
        + _C
        + r"[A-Za-z0-9]{11}  \d{6}"
        + _C
        + r"{50}\d{13}[{}A-R]"
        + _C
        + "{16}"
    ),
    "07": re.compile(
        r"07\d{5} {4}\d{5}[A-Z]{3}\d"
        + _C
        + r"[A-Za-z0-9]{11}  \d{6}"
        + _C
        + r"{50}\d{13}[{}A-R]"
        + _C
        + "{16}"
    ),
    "04": re.compile(
        "04" + _HEAD + r"[A-Za-z0-9]{2}\d{6}(?:\d\d|  )\d{6}" + _C + "{31}  " + _C + "{9}"
        r"\d{13}[{}A-R]" + _C + "{16}"
    ),
    "05": re.compile("05" + _HEAD + _C + r"{2}\d{6} {5}[A-Z0-9]{3}" + _C + "{70}  "),
}


def _err(line: int, message: str) -> FormatValidationError:
    return FormatValidationError(message, line=line)


def _records(text: str) -> list[tuple[int, str]]:
    if not isinstance(text, str):
        raise FormatValidationError("CFONB-120 input must be text (str)")
    if "\n" not in text and "\r" not in text:
        # Some banks send the records back to back, without line ends.
        if len(text) % RECORD_LENGTH:
            raise FormatValidationError(
                f"file without line ends is {len(text)} characters, not a multiple of 120",
                line=len(text) // RECORD_LENGTH + 1,
            )
        return [
            (i // RECORD_LENGTH + 1, text[i : i + RECORD_LENGTH])
            for i in range(0, len(text), RECORD_LENGTH)
        ]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) == 1 and len(lines[0].rstrip("\r")) > RECORD_LENGTH:
        return _records(lines[0].rstrip("\r"))
    records = []
    for number, line in enumerate(lines, start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue  # an empty line between records carries nothing; tolerated
        if len(line) != RECORD_LENGTH:
            raise _err(number, f"record has {len(line)} characters, not {RECORD_LENGTH}")
        records.append((number, line))
    if not records:
        raise FormatValidationError("no CFONB-120 record in the file", line=1)
    return records


_DATES: dict[str, date] = {}


def _ddmmyy(text: str, line: int, what: str) -> date:
    cached = _DATES.get(text)
    if cached is not None:
        return cached
    if not text.isdigit():
        raise _err(line, f"{what} {text!r} is not a DDMMYY date")
    try:
        # 2000..2099, as our writers refuse any other year (see statement.FIRST_DATE).
        day = date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
    except ValueError:
        raise _err(line, f"{what} {text!r} is not a valid DDMMYY date") from None
    if len(_DATES) < 100_000:
        _DATES[text] = day
    return day


def _decode_amount(field: str, decimals: int, line: int, what: str) -> Decimal:
    if not _AMOUNT_RE.fullmatch(field):
        raise _err(line, f"{what} {field!r} is not 13 digits and a sign code ({{}} A-R)")
    last = field[13]
    if last in _POSITIVE:
        value = int(field[:13] + str(_POSITIVE.index(last)))
    else:
        value = -int(field[:13] + str(_NEGATIVE.index(last)))
    return Decimal(value).scaleb(-decimals)


def _check_common(rec: str, line: int, code: str) -> None:
    text_zone = rec[:90] + rec[104:]
    for i, ch in enumerate(text_zone):
        if ch not in _TEXT_CHARS:
            pos = i + 1 if i < 90 else i + 15
            raise _err(line, f"character {ch!r} at position {pos} is outside the CFONB set")
    if not rec[2:7].isdigit():
        raise _err(line, f"bank code {rec[2:7]!r} (positions 3-7) is not 5 digits")
    if not rec[11:16].isdigit():
        raise _err(line, f"branch code {rec[11:16]!r} (positions 12-16) is not 5 digits")
    if not rec[16:19].isalpha() or not rec[16:19].isupper():
        raise _err(line, f"currency {rec[16:19]!r} (positions 17-19) is not an ISO code")
    if not rec[19].isdigit():
        raise _err(line, f"decimals {rec[19]!r} (position 20) is not a digit")
    if not _ACCOUNT_RE.fullmatch(rec[21:32]):
        raise _err(line, f"account number {rec[21:32]!r} (positions 22-32) is not alphanumeric")
    for start, end in _BLANK_ZONES[code]:
        if rec[start:end].strip():
            raise _err(line, f"positions {start + 1}-{end} must be blank, found {rec[start:end]!r}")


def _check_layout(rec: str, line: int, code: str) -> None:
    """Explain why a record that passed the common checks does not fit its layout."""
    if code in ("01", "07", "04"):
        _decode_amount(rec[90:104], 0, line, "amount")
    if code in ("04", "05") and not rec[34:40].isdigit():
        raise _err(line, f"booking date {rec[34:40]!r} (positions 35-40) is not DDMMYY")
    if code == "04":
        if not rec[32:34].isalnum():
            raise _err(line, f"interbank code {rec[32:34]!r} (positions 33-34) is missing")
        if rec[40:42].strip() and not rec[40:42].isdigit():
            raise _err(line, f"reject code {rec[40:42]!r} (positions 41-42) is not numeric")
        if not rec[42:48].isdigit():
            raise _err(line, f"value date {rec[42:48]!r} (positions 43-48) is not DDMMYY")
    if code in ("01", "07") and not rec[34:40].isdigit():
        raise _err(line, f"balance date {rec[34:40]!r} (positions 35-40) is not DDMMYY")
    if code == "05" and not re.fullmatch(r"[A-Z0-9]{3}", rec[45:48]):
        raise _err(line, f"qualifier {rec[45:48]!r} (positions 46-48) is not 3 capitals")
    raise _err(line, f"record does not match the {code} layout")


def _complement(entry: ParsedEntry, qualifiers: dict[str, str], qualifier: str, info: str) -> None:
    """A 05 record's information onto its 04 entry, by its qualifier (`qualifiers` keeps what
    the entry's 05 records said so far)."""
    qualifiers[qualifier] = qualifiers.get(qualifier, "") + info
    if qualifier in ("NPY", "NBE"):
        entry.counterparty = info.rstrip()
    elif qualifier == "LCC":
        entry.reference = info.rstrip()
    elif qualifier == "LC2":
        entry.reference = (qualifiers.get("LCC", "").ljust(70) + info).rstrip()
    elif qualifier == "LIB" and "LC2" in qualifiers:
        # LIB after LC2: the rest of a long remittance text (see write()).
        entry.reference = (qualifiers["LCC"] + qualifiers["LC2"] + qualifiers["LIB"]).rstrip()
    elif qualifier == "RCN":
        entry.end_to_end_id = info[:35].rstrip()


def parse(text: str) -> list[ParsedStatement]:
    """Read every statement of a CFONB-120 file, strictly; raise on the first fault."""
    statements: list[ParsedStatement] = []
    current: ParsedStatement | None = None
    last04: str | None = None
    decimals = 2
    total = Decimal(0)
    qualifiers: dict[str, str] = {}
    entry: ParsedEntry | None = None
    for line, rec in _records(text):
        code = rec[:2]
        if code not in _BLANK_ZONES:
            raise _err(line, f"record code {code!r} is not 01, 04, 05 or 07")
        if not _LAYOUT[code].fullmatch(rec):
            _check_common(rec, line, code)
            _check_layout(rec, line, code)
        rib = rec[2:7] + rec[11:16] + rec[21:32]
        if code == "01":
            if current is not None:
                raise _err(line, "new 01 record before the 07 that closes the previous one")
            decimals = int(rec[19])
            current = ParsedStatement(
                account=rib,
                currency=rec[16:19],
                opening_date=_ddmmyy(rec[34:40], line, "previous balance date"),
                closing_date=date.min,
                opening_balance=_decode_amount(rec[90:104], decimals, line, "previous balance"),
                closing_balance=Decimal(0),
                line=line,
            )
            total = Decimal(0)
            last04 = None
            continue
        if current is None:
            raise _err(line, f"{code} record outside a statement (no 01 before it)")
        if rib != current.account or rec[16:19] != current.currency or int(rec[19]) != decimals:
            raise _err(line, "account, currency or decimals differ from the 01 record's")
        if code == "04":
            amount = _decode_amount(rec[90:104], decimals, line, "amount")
            entry = ParsedEntry(
                amount=amount,
                booking_date=_ddmmyy(rec[34:40], line, "booking date"),
                value_date=_ddmmyy(rec[42:48], line, "value date"),
                label=rec[48:79].rstrip(),
                bank_reference=rec[104:120].strip(),
                line=line,
            )
            qualifiers = {}
            current.entries.append(entry)
            total += amount
            last04 = rec[:40]
        elif code == "05":
            if last04 is None or entry is None:
                raise _err(line, "05 complement record without a 04 before it")
            if rec[2:40] != last04[2:40]:
                raise _err(line, "05 record's positions 3-40 differ from its 04 record's")
            _complement(entry, qualifiers, rec[45:48], rec[48:118])
        else:  # 07
            closing = _decode_amount(rec[90:104], decimals, line, "new balance")
            current.closing_date = _ddmmyy(rec[34:40], line, "new balance date")
            current.closing_balance = closing
            if current.opening_balance + total != closing:
                raise _err(
                    line,
                    f"new balance {closing} != previous balance {current.opening_balance} + "
                    f"movements {total} = {current.opening_balance + total}",
                )
            if current.closing_date < current.opening_date:
                raise _err(line, "new balance date is before the previous balance date")
            statements.append(current)
            current = None
            last04 = entry = None
    if current is not None:
        raise FormatValidationError(
            "statement opened by the 01 record is never closed by a 07", line=current.line
        )
    return statements


# ---------------------------------------------------------------------- fast validation
#
# One regular expression per statement (01, then 04 each followed by its 05s, then 07) with
# back-references tying every record to its 01 and every 05 to its 04, then dates and the
# balance in integer minor units. It accepts a subset of what parse() accepts (no blank
# lines, records separated by line ends); anything else goes through parse(), which names
# the line at fault. A test checks the subset property.

_NL = r"\r?\n"
_FAST_STATEMENT = re.compile(
    r"01(?P<b>\d{5}) {4}(?P<d>\d{5}[A-Z]{3}\d)" + _C + r"(?P<a>[A-Za-z0-9]{11})  "
    r"(?P<od>\d{6})" + _C + r"{50}(?P<oa>\d{13}[{}A-R])" + _C + "{16}" + _NL
    + r"(?:04(?P<h>(?P=b)" + _C + r"{4}(?P=d)" + _C + r"(?P=a)[A-Za-z0-9]{2}\d{6})"
    + r"(?:\d\d|  )\d{6}" + _C + "{31}  " + _C + r"{9}\d{13}[{}A-R]" + _C + "{16}" + _NL
    + r"(?:05(?P=h) {5}[A-Z0-9]{3}" + _C + "{70}  " + _NL + ")*)*"
    + r"07(?P=b) {4}(?P=d)" + _C + r"(?P=a)  (?P<cd>\d{6})" + _C
    + r"{50}(?P<ca>\d{13}[{}A-R])" + _C + "{16}(?:" + _NL + "|$)"
)  # fmt: skip
_FAST04 = re.compile(r"(?m)^04.{32}(\d{6}).{2}(\d{6}).{42}(\d{13})([{}A-R])")
_SIGN_VALUE = {c: i for i, c in enumerate(_POSITIVE)} | {c: -i for i, c in enumerate(_NEGATIVE)}


def _minor(digits: str, code: str) -> int:
    value = int(digits) * 10
    return -(value - _SIGN_VALUE[code]) if code in _NEGATIVE else value + _SIGN_VALUE[code]


def _fast_ok(text: str) -> bool:
    """True when ``text`` is certainly valid; False means "ask parse()", not "invalid"."""
    if not isinstance(text, str) or not text:
        return False
    pos, n = 0, len(text)
    try:
        while pos < n:
            m = _FAST_STATEMENT.match(text, pos)
            if m is None:
                return False
            if _ddmmyy(m["cd"], 0, "") < _ddmmyy(m["od"], 0, ""):
                return False
            oa, ca = m["oa"], m["ca"]
            total = _minor(oa[:13], oa[13])
            for booking, value, digits, code in _FAST04.findall(text, m.start(), m.end()):
                _ddmmyy(booking, 0, "")
                _ddmmyy(value, 0, "")
                total += _minor(digits, code)
            if total != _minor(ca[:13], ca[13]):
                return False
            pos = m.end()
    except FormatValidationError:
        return False
    return True


def validate(text: str) -> None:
    """Raise :class:`FormatValidationError` naming the line at fault, or return None."""
    if not _fast_ok(text):
        parse(text)
