"""Invoice and contract numbers in a transfer's or direct debit's reference text."""

from __future__ import annotations

import re
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def compact_text(text: str) -> str:
    """The letters and digits of `text`, upper case (`F-000123/a` -> `F000123A`)."""
    return _NOT_ALNUM.sub("", text.upper())


_DIGIT_RUN = re.compile(r"[0-9]+")
_CONTRACT_DIGITS = 8
# Sibling contracts' numbers differ in at most this many last digits.
_SIBLING_ENDING = 2
_DATE_DIGITS = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")
_YEAR_MONTH = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])")


@lru_cache(maxsize=65536)
def _number_variants(number: str) -> tuple[str, ...]:
    """Compacted forms of an invoice number to look for; empty if too short to be evidence."""
    wanted = compact_text(number)
    if len(wanted) < 4:
        return ()  # `12` is in many references
    # References often drop leading zeros after a prefix (`F-000123` -> `F123`).
    stripped = re.sub(r"(?<=[A-Z])0+(?=[0-9])", "", wanted)
    variants = [wanted]
    if stripped != wanted and len(stripped) >= 5:
        variants.append(stripped)
    # A contract or customer number inside the invoice's (`61057936400/12`, the
    # contract's December instalment): a direct debit's remittance names the contract.
    run = max(_DIGIT_RUN.findall(number), key=len, default="")
    if len(run) >= _CONTRACT_DIGITS and run != wanted and not _DATE_DIGITS.fullmatch(run):
        variants.append(run)
    # ... or the invoice number is the contract's and the period's (`3799277-03/0125`, the
    # lease's January rent): the debit's remittance names the contract (`CTR 3799277-03`).
    contract = compact_text(number.split("/")[0])
    digits = "".join(c for c in contract if c.isdigit())
    if (
        contract != wanted
        and len(contract) >= _CONTRACT_DIGITS - 1
        and len(digits) >= _CONTRACT_DIGITS - 2
        and not _DATE_DIGITS.fullmatch(digits)
        and not _YEAR_MONTH.fullmatch(digits)
        and contract not in variants
    ):
        variants.append(contract)
    return tuple(variants)


def reference_has_number(compact_reference: str, number: str | None) -> bool:
    """The invoice number appears in the compacted transfer reference.

    A number must not be glued to other digits (`1234` is not in `912345`); an invoice
    numbered by a contract and its period is found by the contract, not by a date.

    >>> reference_has_number("LOYER012025CTR379927703RUMLOCA3799277", "3799277-03/0125")
    True
    >>> reference_has_number("ECH20250115LOYER", "20250115/01")
    False
    """
    if not compact_reference or not number:
        return False
    for wanted in _number_variants(number):
        start = compact_reference.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            before_ok = start == 0 or not (
                wanted[0].isdigit() and compact_reference[start - 1].isdigit()
            )
            after_ok = end == len(compact_reference) or not (
                wanted[-1].isdigit() and compact_reference[end].isdigit()
            )
            if before_ok and after_ok:
                return True
            start = compact_reference.find(wanted, start + 1)
    return False


_WORD = re.compile(r"[A-Z0-9]+")


def number_in_descriptor(descriptor: str, number: str | None) -> bool:
    """The invoice number is a whole word of the counterparty's text, and distinctive
    enough not to be a store's, a terminal's or a phone number there: six characters or
    more, letters and digits (`PIXORA *Q7UB4GMUHX`, the receipt's transaction id).

    >>> number_in_descriptor("PIXORA *Q7UB4GMUHX", "Q7UB4GMUHX")
    True
    >>> number_in_descriptor("PETRAL 06158 LYON", "06158"), number_in_descriptor("X 123", "123")
    (False, False)
    >>> number_in_descriptor("NETWORKLY P 8559187700", "8559187700")  # a phone number
    False
    """
    wanted = _distinctive_number(number) if number and len(number) >= 6 else None
    if wanted is None:
        return False
    upper = descriptor.upper()
    return wanted in upper and wanted in _WORD.findall(upper)


@lru_cache(maxsize=65536)
def _distinctive_number(number: str) -> str | None:
    wanted = compact_text(number)
    letters, digits = any(c.isalpha() for c in wanted), any(c.isdigit() for c in wanted)
    # (letters and digits: a number of digits alone may be the merchant's phone or
    # account, printed on every receipt and in every line)
    if len(wanted) >= 6 and letters and digits:
        return wanted
    return None


def sibling_number_in(
    compact_reference: str, number: str | None, reference: str | None = None
) -> str | None:
    """A number in the reference that is the document's contract or invoice number
    with another ending (`61057936402` for invoice `61057936401/04`): the payment of a
    sibling contract (several leased cars at one price, debited the same day), not a
    date; or, in the reference's own words (`reference`), another invoice of the
    number's series (`Facture 000537` for invoice 000538, `F2025-0173` for F2025-0174:
    a monthly fee of one amount), not an amount (`1002,50`).

    >>> sibling_number_in("", "000538", "Facture 000537 Lumen"), sibling_number_in("", "F2025-0174", "F2025-0173")
    ('000537', 'F20250173')
    >>> sibling_number_in("", "000538", "FACTURE 000538"), sibling_number_in("", "0124", "ECH 0125")
    (None, None)
    >>> sibling_number_in("", "F0174", "VIR REF 0125 LOYER"), sibling_number_in("", "100234", "ACOMPTE 1002,50")
    (None, None)
    >>> sibling_number_in("PAIEMENTDU20250128", "FAC20250174")
    """
    if not number:
        return None
    run = max(_DIGIT_RUN.findall(number), key=len, default="")
    if len(run) < _CONTRACT_DIGITS or _DATE_DIGITS.fullmatch(run):
        return _next_in_series(reference, number) if reference else None
    if not compact_reference:
        return None
    stem = run[: len(run) - _SIBLING_ENDING]
    for found in _DIGIT_RUN.findall(compact_reference):
        if (
            len(found) == len(run)
            and found != run
            and found.startswith(stem)
            and not _DATE_DIGITS.fullmatch(found)
        ):
            return found
    return None


# An invoice's serial (its last digits) is told from a bare number of the reference
# (a date, an amount) by this many digits, or by the letters before it.
_SERIAL_DIGITS = 5
_SERIAL = re.compile(r"[0-9]{4,}$")


def _next_in_series(reference: str, number: str) -> str | None:
    """Another invoice of the number's series among the reference's words: the same
    letters and digits but the last `_SIBLING_ENDING` of its serial (the number's last
    run of digits), which differ; a word that is an amount (`1002,50`) is none."""
    serial = _SERIAL.search(number)
    if serial is None:
        return None
    prefix = compact_text(number[: serial.start()])
    if not any(c.isalpha() for c in prefix) and (prefix or len(serial.group()) < _SERIAL_DIGITS):
        return None  # (`0124`: a month or a price; `7002393-0725`: a contract's period)
    compact_number = prefix + serial.group()
    stem = compact_number[: len(compact_number) - _SIBLING_ENDING]
    for word in reference.upper().split():
        if _AMOUNT.search(word):
            continue
        found = compact_text(word)
        if (
            len(found) == len(compact_number)
            and found != compact_number
            and found.startswith(stem)
            and found[-_SIBLING_ENDING:].isdigit()
        ):
            return found
    return None


_AMOUNT = re.compile(r"[0-9][.,][0-9]{2}$")
