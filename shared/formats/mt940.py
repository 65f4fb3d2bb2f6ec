"""MT940 customer statements: a writer and a strict reader/validator.

Verbs: :func:`write` (Statement -> text), :func:`parse` (text -> ParsedStatement list, strict),
:func:`validate` (text -> None or :class:`FormatValidationError` naming the line).

What we write, per statement (lines end with CRLF, as SWIFT FIN does)::

    :20:STMT240115-00001          transaction reference (16x)
    :25:FR7630006000011234567890189
    :28C:00001/001                statement number / page
    :60F:C240114EUR1000,00        opening balance, dated the day before
    :61:2401150115D250,50NTRFE2E-0001//3F2A9C0D11B7E0A4
    :86:/EREF/E2E-0001/REMI/Invoice 42/NAME/ACME SARL
    ...
    :62F:C240115EUR749,50         closing balance
    :64:C240115EUR749,50          available balance
    -

``:61:`` carries value date, booking date (MMDD), sign, amount, the transaction type (N + 3
letters from the operation type), the end-to-end id as the account owner's reference when it
fits in 16 characters (else NONREF) and a stable bank reference (:func:`bank_reference`).
``:86:`` carries the structured details ``/EREF/`` (end-to-end id), ``/REMI/`` (remittance
reference) and ``/NAME/`` (counterparty), cut into at most 6 lines of 65 characters; no
continuation line starts with ``:`` or ``-``, which a reader would take for a new field or
the end of the message. Every text goes through SWIFT X transliteration.

The validator checks what lenient parsers accept: the SWIFT X character set, 65 characters
per line (field content; the ``:nn:`` tag excluded, as SWIFT counts it; the first line of
``:61:`` is bounded by its sub-field formats instead, up to 66), ``:86:`` at most 6 lines, the mandatory fields and their order (20, [21], 25, 28C, 60F/M, (61 [86])*, 62F/M,
[64], [65]*, [86]), the sub-field formats of 60/61/62/64/65, real dates, amounts with the
currency's decimals, one currency per statement, and opening + entries = closing. A SWIFT
envelope (``{1:...}{2:...}{4:`` ... ``-}``) around a message is accepted.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from shared.formats.errors import FormatValidationError, UnrepresentableError
from shared.formats.statement import (
    ParsedEntry,
    ParsedStatement,
    Statement,
    bank_reference,
    minor_units,
)
from shared.formats.transliterate import SWIFT_X_RE, _to_swift_x

LINE_LENGTH = 65
DETAILS_LINES = 6
AMOUNT_WIDTH = 15
EOL = "\r\n"

# Operation types of the transaction contract -> SWIFT transaction type codes (after "N").
TRANSACTION_TYPE_CODES = {
    "transfer": "TRF",
    "sepa_transfer": "TRF",
    "instant_transfer": "TRF",
    "card": "MSC",
    "direct_debit": "DDT",
    "cheque": "CHK",
    "check": "CHK",
    "fee": "CHG",
    "interest": "INT",
    "cash": "MSC",
}
DEFAULT_TRANSACTION_TYPE = "MSC"

_DETAIL_CODES = ("EREF", "REMI", "NAME")
_DETAIL_RE = re.compile(r"/(EREF|REMI|NAME)/")
_OWNER_REF_RE = re.compile(r"(?!/)(?!.*//)[A-Za-z0-9/\-?:().,'+ ]{1,16}(?<!/)")


# --------------------------------------------------------------------------------- writing


@lru_cache(maxsize=4096)
def _yymmdd_mmdd(value_date: date, booking_date: date) -> str:
    return value_date.strftime("%y%m%d") + booking_date.strftime("%m%d")


@lru_cache(maxsize=64)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _amount(value: Decimal, currency: str, where: str) -> str:
    """SWIFT amount: no sign, comma as decimal mark, the currency's decimals, <= 15 chars."""
    try:
        text = str(value.copy_abs().quantize(_quantum(currency))).replace(".", ",")
    except InvalidOperation:
        text = "9" * (AMOUNT_WIDTH + 1)  # beyond Decimal precision: certainly too long
    if "," not in text:
        text += ","
    if len(text) > AMOUNT_WIDTH:
        raise UnrepresentableError(
            f"amount {value} does not fit in {AMOUNT_WIDTH} characters", where=where
        )
    return text


def _cut(text: str, i: int, n: int, avoid_space: bool) -> int | None:
    for end in range(min(i + LINE_LENGTH, n), i, -1):
        if end == n or (text[end] not in ":-" and not (avoid_space and text[end - 1] == " ")):
            return end
    return None


def _wrap_details(text: str, where: str) -> list[str]:
    """Cut ``text`` into lines of at most 65 characters that a reader joins back exactly.

    A continuation line must not start with ':' or '-' (a reader would take it for a new
    field or the end of the message), and preferably a line does not end with a space that
    a trimming tool would lose.
    """
    lines: list[str] = []
    i, n = 0, len(text)
    while i < n:
        end = _cut(text, i, n, True) or _cut(text, i, n, False)
        if end is None:
            raise UnrepresentableError(
                "details hold a run of ':' or '-' longer than a line; they cannot be wrapped",
                where=where,
            )
        lines.append(text[i:end])
        i = end
    if len(lines) > DETAILS_LINES:
        raise UnrepresentableError(
            f"details need {len(lines)} lines of {LINE_LENGTH}, more than {DETAILS_LINES}",
            where=where,
        )
    return lines


def _unframe(value: str) -> str:
    """A value must not contain our own :86: codes: '/NAME/' inside a reference would split it
    on reading. Such a code becomes '-NAME-' (visible, nothing dropped)."""
    if "/" in value and _DETAIL_RE.search(value):
        return _DETAIL_RE.sub(lambda m: f"-{m[1]}-", value)
    return value


def write(statement: Statement) -> str:
    """Return the MT940 text of ``statement`` (CRLF line ends, ``-`` at the end).

    Raises :class:`UnrepresentableError` naming the entry when an amount does not fit in
    15 characters or the details do not fit in 6 lines of 65.
    """
    account = statement.account
    ccy = account.currency
    day = statement.date
    yymmdd = day.strftime("%y%m%d")
    seq = statement.sequence_number
    opening = statement.opening_balance
    out = [
        f":20:STMT{yymmdd}-{seq:05d}",
        f":25:{account.iban}",
        f":28C:{seq:05d}/001",
        f":60F:{'D' if opening < 0 else 'C'}{(day - timedelta(days=1)).strftime('%y%m%d')}"
        f"{ccy}{_amount(opening, ccy, 'opening balance')}",
    ]
    append = out.append
    codes = TRANSACTION_TYPE_CODES
    swift = _to_swift_x  # the cached converter itself: this loop runs once per entry
    owner_ref_ok = _OWNER_REF_RE.fullmatch
    for entry in statement.entries:
        e2e = swift(entry.end_to_end_id, False).strip() if entry.end_to_end_id else ""
        amount = entry.amount
        append(
            f":61:{_yymmdd_mmdd(entry.value_date, entry.booking_date)}"
            f"{'D' if amount < 0 else 'C'}{_amount(amount, ccy, f'entry {entry.id!r}')}"
            f"N{codes.get(entry.operation_type, DEFAULT_TRANSACTION_TYPE)}"
            f"{e2e if e2e and owner_ref_ok(e2e) else 'NONREF'}//{bank_reference(entry.id)}"
        )
        details = "/EREF/" + _unframe(e2e) if e2e else ""
        if entry.reference:
            reference = swift(entry.reference, False).strip()
            if reference:
                details += "/REMI/" + _unframe(reference)
        if entry.counterparty:
            counterparty = swift(entry.counterparty, False).strip()
            if counterparty:
                details += "/NAME/" + _unframe(counterparty)
        if details:
            if len(details) <= LINE_LENGTH:
                append(":86:" + details)
            else:
                wrapped = _wrap_details(details, f"entry {entry.id!r}")
                wrapped[0] = ":86:" + wrapped[0]
                out.extend(wrapped)
    closing = statement.closing_balance
    closing_field = f"{'D' if closing < 0 else 'C'}{yymmdd}{ccy}"
    closing_field += _amount(closing, ccy, "closing balance")
    out.append(":62F:" + closing_field)
    out.append(":64:" + closing_field)
    out.append("-")
    return EOL.join(out) + EOL


# --------------------------------------------------------------------------------- reading

_FILE_CHARS_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ \r\n]*")
_TAG_RE = re.compile(r":(\d\d[A-Z]?):")
_BALANCE_RE = re.compile(r"([CD])(\d{6})([A-Z]{3})([0-9,]{2,15})")
_LINE61_RE = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[0-9,]{1,14})(?P<type>[NSF][A-Z0-9]{3})"
    r"(?P<ref>(?:(?!//).){1,16})(?://(?P<bankref>.{1,16}))?"
)
_ORDER = {
    # field -> allowed next fields
    "start": {"20"},
    "20": {"21", "25"},
    "21": {"25"},
    "25": {"28C", "28"},
    "28C": {"60F", "60M"},
    "28": {"60F", "60M"},
    "60F": {"61", "62F", "62M"},
    "60M": {"61", "62F", "62M"},
    "61": {"61", "86", "62F", "62M"},
    "86@61": {"61", "62F", "62M"},
    "62F": {"64", "65", "86", "end"},
    "62M": {"64", "65", "86", "end"},
    "64": {"65", "86", "end"},
    "65": {"65", "86", "end"},
    "86@end": {"end"},
}
_KNOWN = {"20", "21", "25", "28C", "28", "60F", "60M", "61", "86", "62F", "62M", "64", "65"}


def _err(line: int, message: str) -> FormatValidationError:
    return FormatValidationError(message, line=line)


@lru_cache(maxsize=4096)
def _date6_cached(text: str) -> date:
    # 2000..2099, as mt-940 reads them and as our writers refuse any other year.
    return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))


def _date6(text: str, line: int, what: str) -> date:
    try:
        return _date6_cached(text)
    except ValueError:
        raise _err(line, f"{what} {text!r} is not a valid YYMMDD date") from None


def _parse_amount(text: str, currency: str, line: int, what: str) -> Decimal:
    if text.count(",") != 1 or text.startswith(","):
        raise _err(line, f"{what} {text!r}: an amount needs digits and exactly one comma")
    whole, _, frac = text.partition(",")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        raise _err(line, f"{what} {text!r} is not an amount")
    if len(frac) > minor_units(currency):
        raise _err(line, f"{what} {text!r} has more decimals than {currency} allows")
    return Decimal(f"{whole}.{frac or '0'}")


def _balance(content: str, line: int, tag: str) -> tuple[Decimal, date, str]:
    m = _BALANCE_RE.fullmatch(content)
    if not m:
        raise _err(line, f":{tag}: {content!r} is not [C|D]YYMMDD CCY amount")
    mark, day, ccy, amount = m.groups()
    value = _parse_amount(amount, ccy, line, f":{tag}: amount")
    return (-value if mark == "D" else value), _date6(day, line, f":{tag}: date"), ccy


def _split_details(text: str) -> dict[str, str]:
    parts = _DETAIL_RE.split(text)
    if parts[0] or len(parts) < 3:
        return {}
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _messages(text: str) -> list[list[tuple[int, str]]]:
    """Split ``text`` into messages of (line number, line), without the SWIFT envelope.

    A message ends with a ``-`` line (``-}`` with an envelope), an empty line, or the end
    of the file; whether it is complete is for :func:`_parse_message` to say.
    """
    if not isinstance(text, str):
        raise FormatValidationError("MT940 input must be text (str)")
    messages: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    in_header = False
    ended_by_blank = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not current and (line.startswith("{") or in_header):
            # Envelope blocks {1:...}{2:...}{3:...} then "{4:" opens the text block.
            pos = line.find("{4:")
            if pos < 0:
                if not line.startswith("{"):
                    raise _err(number, "SWIFT envelope without a {4: text block")
                in_header = True
                continue
            in_header = False
            line = line[pos + 3 :]
            if not line:
                continue
        if line in ("-", "-}") or line.startswith("-}"):
            if not current:
                if ended_by_blank:
                    ended_by_blank = False  # "...\n\n-": the blank line already ended it
                    continue
                raise _err(number, "end of message '-' without a message")
            messages.append(current)
            current = []
            continue
        if not line:
            if current:
                messages.append(current)
                current = []
                ended_by_blank = True
            continue
        ended_by_blank = False
        current.append((number, line))
    if in_header:
        raise FormatValidationError("SWIFT envelope without a {4: text block", line=1)
    if current:
        messages.append(current)
    if not messages:
        raise FormatValidationError("no MT940 message in the file", line=1)
    return messages


def _parse_message(lines: list[tuple[int, str]], check_chars: bool = True) -> ParsedStatement:
    fields = _fields(lines, check_chars)
    state = "start"
    currency = ""
    opening: Decimal | None = None
    opening_date: date | None = None
    closing: Decimal | None = None
    closing_date: date | None = None
    account = ""
    entries: list[ParsedEntry] = []
    total = Decimal(0)
    first_line = lines[0][0]
    for tag, number, content in fields:
        key = tag
        _check_order(state, tag, number)
        if tag == "86":
            key = "86@61" if state == "61" else "86@end"
        if tag != "61":
            _check_line_lengths(tag, number, content)
        if tag == "86":
            if len(content) > DETAILS_LINES:
                raise _err(number, f":86: has {len(content)} lines, more than {DETAILS_LINES}")
            if key == "86@61":
                _details_onto(entries[-1], content)
        elif len(content) > 1 and tag != "61":
            raise _err(number + 1, f":{tag}: must fit on one line")
        elif tag in ("25", "20", "28C", "28"):
            _check_reference_field(tag, number, content[0])
            if tag == "25":
                account = content[0]
        elif tag in ("60F", "60M"):
            opening, opening_date, currency = _balance(content[0], number, tag)
        elif tag in ("62F", "62M", "64", "65"):
            value, day, ccy = _balance(content[0], number, tag)
            if ccy != currency:
                raise _err(number, f":{tag}: currency {ccy} differs from :60: currency {currency}")
            if tag.startswith("62"):
                assert opening is not None and opening_date is not None
                _check_closing(tag, number, (opening, opening_date), total, (value, day))
                closing, closing_date = value, day
        elif tag == "61":
            entry = _statement_line(number, content, currency)
            total += entry.amount
            entries.append(entry)
        state = key
    _check_complete(state, lines[-1][0])
    assert opening is not None and closing is not None
    assert opening_date is not None and closing_date is not None
    return ParsedStatement(
        account=account,
        currency=currency,
        opening_date=opening_date,
        closing_date=closing_date,
        opening_balance=opening,
        closing_balance=closing,
        entries=entries,
        line=first_line,
    )


def _check_order(state: str, tag: str, number: int) -> None:
    allowed = _ORDER[state]
    if tag not in allowed:
        expected = " or ".join(f":{t}:" for t in sorted(allowed) if t != "end")
        raise _err(number, f"field :{tag}: out of order (expected {expected or 'the end'})")


def _check_complete(state: str, number: int) -> None:
    if "end" not in _ORDER[state]:
        expected = " or ".join(f":{t}:" for t in sorted(_ORDER[state]))
        raise _err(number, f"message ends early (expected {expected})")


def _check_closing(
    tag: str,
    number: int,
    opening: tuple[Decimal, date],
    total: Decimal,
    closing: tuple[Decimal, date],
) -> None:
    """The closing balance is the opening one plus the entries, on a date not before it."""
    if opening[0] + total != closing[0]:
        raise _err(
            number,
            f":{tag}: closing balance {closing[0]} != opening {opening[0]} + entries "
            f"{total} = {opening[0] + total}",
        )
    if closing[1] < opening[1]:
        raise _err(number, f":{tag}: closing date is before the opening date")


def _fields(lines: list[tuple[int, str]], check_chars: bool) -> list[tuple[str, int, list[str]]]:
    """The message's lines grouped into fields: (tag, first line number, [content lines])."""
    fields: list[tuple[str, int, list[str]]] = []
    for number, line in lines:
        if check_chars and not SWIFT_X_RE.fullmatch(line):
            bad = next(ch for ch in line if not SWIFT_X_RE.fullmatch(ch))
            raise _err(number, f"character {bad!r} is outside the SWIFT X character set")
        m = _TAG_RE.match(line)
        if m:
            tag = m.group(1)
            if tag not in _KNOWN:
                raise _err(number, f"field :{tag}: is not an MT940 field")
            fields.append((tag, number, [line[m.end() :]]))
        else:
            if not fields:
                raise _err(number, "text before the first field (expected :20:)")
            fields[-1][2].append(line)
    return fields


def _check_line_lengths(tag: str, number: int, content: list[str]) -> None:
    for offset, part in enumerate(content):
        if len(part) > LINE_LENGTH:
            raise _err(
                number + offset,
                f":{tag}: line has {len(part)} characters, more than {LINE_LENGTH}",
            )


def _check_reference_field(tag: str, number: int, text: str) -> None:
    """:25: account, :20: reference, :28C: statement number[/page]."""
    if tag == "25":
        if not 1 <= len(text) <= 35:
            raise _err(number, ":25: account identification must have 1 to 35 characters")
    elif tag == "20":
        if not 1 <= len(text) <= 16:
            raise _err(number, ":20: reference must have 1 to 16 characters")
    elif not re.fullmatch(r"\d{1,5}(/\d{1,5})?", text):
        raise _err(number, f":{tag}: {text!r} is not number[/page]")


def _details_onto(entry: ParsedEntry, content: list[str]) -> None:
    """An :86: under its :61:: structured details (EREF, REMI, NAME), else its text."""
    details = _split_details("".join(content))
    if details:
        entry.end_to_end_id = details.get("EREF", "")
        entry.reference = details.get("REMI", "")
        entry.counterparty = details.get("NAME", "")
    else:
        entry.reference = "\n".join(content)


def _statement_line(number: int, content: list[str], currency: str) -> ParsedEntry:
    """One :61: statement line (and its supplementary details line)."""
    if len(content) > 2:
        raise _err(number + 2, ":61: has more than 2 lines")
    if len(content) == 2 and len(content[1]) > 34:
        raise _err(number + 1, ":61: supplementary details exceed 34 characters")
    m = _LINE61_RE.fullmatch(content[0])
    if not m:
        raise _err(
            number,
            f":61: {content[0]!r} does not match "
            "YYMMDD[MMDD]C|D|RC|RD[funds]amount N|S|F+code reference[//bank ref]",
        )
    value_date = _date6(m["value"], number, ":61: value date")
    booking_date = value_date
    if m["entry"]:
        booking_date = _entry_date(value_date, m["entry"], number)
    amount = _parse_amount(m["amount"], currency, number, ":61: amount")
    if m["mark"] in ("D", "RC", "ED"):
        amount = -amount
    return ParsedEntry(
        amount=amount,
        booking_date=booking_date,
        value_date=value_date,
        bank_reference=m["bankref"] or "",
        end_to_end_id="" if m["ref"] == "NONREF" else m["ref"],
        line=number,
    )


def _entry_date(value_date: date, mmdd: str, line: int) -> date:
    """The booking date (MMDD) takes the year that puts it nearest to the value date."""
    if mmdd == f"{value_date.month:02d}{value_date.day:02d}":
        return value_date
    month, day = int(mmdd[:2]), int(mmdd[2:])
    best: date | None = None
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - value_date) < abs(best - value_date):
            best = candidate
    if best is None:
        raise _err(line, f":61: booking date {mmdd!r} is not a valid MMDD date")
    return best


def parse(text: str) -> list[ParsedStatement]:
    """Read every statement of an MT940 file, strictly; raise on the first fault."""
    # One pass over the whole file for the character set; only a file that fails it is
    # checked line by line, to name the line.
    # (A file with a SWIFT envelope has braces, so it takes the line-by-line path.)
    check_chars = not isinstance(text, str) or not _FILE_CHARS_RE.fullmatch(text)
    return [_parse_message(message, check_chars) for message in _messages(text)]


# ---------------------------------------------------------------------- fast validation
#
# Daily jobs validate hundreds of thousands of entries, so validate() first tries one
# regular expression per message that accepts a strict subset of what parse() accepts (our
# own writer's shape: no envelope, no blank line, no :61: second line, 2-decimal currencies),
# then checks dates and balances with little Python per entry. Anything it does not accept
# goes through parse(), which names the line at fault. A test checks the subset property.

_N = r"\r?\n"
_XC = r"[A-Za-z0-9/\-?:().,'+ ]"
_AMOUNT = r"(?=[0-9,]{2,15}[^0-9,])\d+,\d{0,2}"
_FAST_DETAILS = ":86:" + _XC + "{0,65}(?:" + _N + r"(?![:\-])" + _XC + "{1,65}){0,5}" + _N


def _bal(g: str) -> str:
    """A balance [C|D]YYMMDD CCY amount; ``g`` opens a group: "(" captures, "(?:" not."""
    return f"{g}[CD]){g}\\d{{6}}){g}[A-Z]{{3}}){g}{_AMOUNT})"


def _line61(g: str) -> str:
    return (
        f":61:{g}\\d{{6}}){g}\\d{{4}})?{g}C|D|RC|RD)[A-Z]?{g}{_AMOUNT})[NSF][A-Z0-9]{{3}}"
        f"(?:(?!//){_XC}){{1,16}}(?://{_XC}{{1,16}})?{_N}"
    )


_FAST61 = _line61("(")
_FAST_MESSAGE = re.compile(
    ":20:" + _XC + "{1,16}" + _N
    + "(?::21:" + _XC + "{1,16}" + _N + ")?"
    + ":25:" + _XC + "{1,35}" + _N
    + r":28C?:\d{1,5}(?:/\d{1,5})?" + _N
    + ":60[FM]:" + _bal("(") + _N
    + "(?:" + _line61("(?:") + "(?:" + _FAST_DETAILS + ")?)*"
    + ":62[FM]:" + _bal("(") + _N
    + "(?::64:" + _bal("(?:") + _N + ")?"
    + "(?::65:" + _bal("(?:") + _N + ")*"
    + "(?:" + _FAST_DETAILS + ")?"
    + "-(?:" + _N + "|$)"
)  # fmt: skip
_FAST61_RE = re.compile(_FAST61)
_FAST_BALANCE_CURRENCY_RE = re.compile(r":6[245][FM]?:[CD](\d{6})([A-Z]{3})")


def _fast_ok(text: str) -> bool:
    """True when ``text`` is certainly valid; False means "ask parse()", not "invalid"."""
    if not isinstance(text, str) or not _FILE_CHARS_RE.fullmatch(text):
        return False
    pos, n = 0, len(text)
    if n == 0:
        return False
    date6 = _date6_cached
    while pos < n:
        m = _FAST_MESSAGE.match(text, pos)
        if m is None:
            return False
        o_mark, o_day, currency, o_amount, c_mark, c_day, c_currency, c_amount = m.groups()
        if minor_units(currency) != 2 or c_currency != currency:
            return False
        try:
            # Every balance (:64:, :65: included): same currency, a real date.
            for day6, other in _FAST_BALANCE_CURRENCY_RE.findall(text, m.start(), m.end()):
                if other != currency:
                    return False
                date6(day6)
            if date6(c_day) < date6(o_day):
                return False
            total = Decimal(o_amount.replace(",", "."))
            if o_mark == "D":
                total = -total
            for value, entry, mark, amount in _FAST61_RE.findall(text, m.start(), m.end()):
                day = date6(value)
                if entry and not _entry_ok(day, entry):
                    return False
                if mark in ("D", "RC"):
                    total -= Decimal(amount.replace(",", "."))
                else:
                    total += Decimal(amount.replace(",", "."))
        except ValueError:
            return False
        closing = Decimal(c_amount.replace(",", "."))
        if total != (-closing if c_mark == "D" else closing):
            return False
        pos = m.end()
    return True


@lru_cache(maxsize=4096)
def _entry_ok(value_date: date, mmdd: str) -> bool:
    try:
        _entry_date(value_date, mmdd, 0)
    except FormatValidationError:
        return False
    return True


def validate(text: str) -> None:
    """Raise :class:`FormatValidationError` naming the line at fault, or return None."""
    if not _fast_ok(text):
        parse(text)
