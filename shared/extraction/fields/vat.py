"""VAT by rate: summary rows, captions over or under their values, rates printed without their
sign, a VAT total alone, a stated exemption.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .. import labels as L
from ..invoices.amounts import items_header
from ..layout import Box, Line
from ..model import UNKNOWN_RATE, ExtractedDocument
from ..parsing import find_amounts

RATE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_VAT_WORD = L.kw(
    r"tva",
    r"vat",
    r"mwst",
    r"ust",
    r"iva",
    r"gst",
    r"tax",
    r"btw",
    r"igic",
    r"(?:umsatz|mehrwert)?steuer\w*",
)


# A rate printed without its sign in a VAT line ("Umsatzsteuer (S) | 275,00 | 7 | 19,25", under
# a "Steuersatz [%]" column): a number below 30 that is no amount, taken only when the line's
# amounts make its arithmetic.
_BARE_RATE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)(?![\d.,]*\d)(?!\s?%)")


# The seller charges no VAT, and says so: a small business's exemption (France's art. 293 B,
# Germany's § 19 UStG, not registered), an exempt supply, the buyer liable (reverse charge).
_NO_VAT_CHARGED = L.kw(
    r"tva\s?non\s?applicable",
    r"293\s?b",
    r"exoneration\s?de\s?tva",
    r"autoliquidation",
    r"keine\s?umsatzsteuer",
    r"steuerfrei\w*",
    r"kleinunternehmer\w*",
    r"steuerschuldnerschaft\s?des\s?leistungsempfangers",
    r"not\s?registered\s?for\s?vat",
    r"no\s?vat\s?(?:has\s?been\s?)?charged",
    r"vat\s?exempt\w*",
    r"reverse\s?charge",
    r"exent[oa]s?\s?de\s?iva",
    r"inversion\s?del\s?sujeto\s?pasivo",
)


# The label of a VAT total ("TVA", "Total TVA", "Montant de la TVA", "Steuerbetrag").
_VAT_TOTAL_LABEL = (
    r"\s*(?:(?:total|montant|importe|summe|cuota)\s?)?(?:de\s?(?:la\s?)?|del?\s?)?"
    r"(?:tva|vat|mwst|ust|iva|igic|btw|(?:umsatz|mehrwert)?steuer(?:betrag)?|tax)"
)
# A line that states the VAT total: its label opens it, its amount follows.
_VAT_TOTAL_LINE = re.compile(
    _VAT_TOTAL_LABEL + r"(?![a-z])[\s.:]*(?:total|betrag|eur|€)?[\s.:]*[-\d€]"
)


# A tax withheld from an invoice's total (Spain's IRPF, Italy's ritenuta d'acconto).
_WITHHOLDING = L.kw(r"irpf", r"retencion\w*", r"ritenuta", r"withholding\s?tax")
WITHHELD_AMOUNTS = 4

# A VAT total's caption alone in its cell, its value in the cell under it ("TOTAL HT | TOTAL
# TVA | TOTAL TTC" over "100,00 | 0,00 | 100,00", a line of legal text between them).
_VAT_TOTAL_CAPTION = re.compile(_VAT_TOTAL_LABEL + r"(?:\s?(?:total|betrag))?[\s.:]*")
# How many lines under its caption a value is looked for.
CAPTION_VALUE_REACH = 3


def _rateless_vats(lines: list[Line], i: int, f: str, line_amounts: list[Decimal]) -> list[Decimal]:
    """VAT totals line `i` states without a rate: on the line ("TVA | 507,00"), or under its
    caption cells."""
    found = []
    if len(line_amounts) == 1 and _VAT_TOTAL_LINE.match(f) and not RATE_RE.search(lines[i].text):
        found.append(line_amounts[0])
    return found + _vat_totals_under_captions(lines, i)


def _vat_totals_under_captions(lines: list[Line], i: int) -> list[Decimal]:
    found = []
    for box in lines[i].boxes:
        if not _VAT_TOTAL_CAPTION.fullmatch(L.label_text(box.text)):
            continue
        for j in range(i + 1, min(i + 1 + CAPTION_VALUE_REACH, len(lines))):
            if lines[j].page != lines[i].page:
                break
            value = _lone_amount_across(box, lines[j])
            if value is not None:
                found.append(value)
                break
    return found


def _lone_amount_across(box: Box, line: Line) -> Decimal | None:
    """The amount of `line`'s one cell across `box` (overlapping it horizontally), when that
    cell holds exactly one."""
    across = [b for b in line.boxes if min(box.x1, b.x1) - max(box.x0, b.x0) > 0]
    values = [a.value for b in across for a in find_amounts(b.text, integers=False)]
    return values[0] if len(across) == 1 and len(values) == 1 else None


def _gross_cents(lines: list[Line], folded: list[str], amounts: set[Decimal]) -> set[int]:
    """The printed amounts, in cents, that may be a gross: each one, and each one plus a tax
    withheld from it (a Spanish freelancer's `IRPF -15% | -115,46`: net + VAT - IRPF is
    the total, the gross itself not printed)."""
    cents = {round(a * 100) for a in amounts}
    withheld = {
        round(abs(a) * 100)
        for line, f in zip(lines, folded, strict=True)
        if _WITHHOLDING.search(f)
        for a in _cell_amounts([b.text for b in line.boxes], [])
    }
    # An invoice withholds one tax, two at most; a page of them is no invoice (and would
    # make this set the square of its amounts).
    withheld = set(sorted(withheld)[:WITHHELD_AMOUNTS])
    return cents | {c + w for c in cents for w in withheld}


def _net_of(
    vat_sum: Decimal, document_amounts: set[Decimal], gross_cents: set[int]
) -> Decimal | None:
    """A printed amount that, with `vat_sum`, makes a gross (`_gross_cents`, to the cent):
    the net, or None. (The total may not be the one read yet: a prepaid invoice's amount
    due.)"""
    return next(
        (
            net
            for net in sorted(document_amounts, reverse=True)
            if net > vat_sum
            and any(round((net + vat_sum) * 100) + d in gross_cents for d in (-1, 0, 1))
        ),
        None,
    )


def _stated_vat(
    rate: Decimal, amounts: list[Decimal], vat_word: bool, document_amounts: set[Decimal]
) -> tuple[Decimal | None, Decimal] | None:
    """(base, VAT) a line states at `rate`: its base on the line, or elsewhere in the
    document (0), or printed nowhere (None: "MwSt. 19 %: 1.631,30" under items at several
    rates, to be confirmed by the totals); None when it states none."""
    sizes = [abs(a) for a in amounts]
    pair = _vat_pair(sizes, rate)
    if pair is not None:
        return pair[1], next(a for a in amounts if abs(a) == pair[0])
    if len(amounts) != 1 or not vat_word:
        return None
    # "TVA 20 %   20,00": the base is elsewhere (a net or gross line), or nowhere.
    if any(_is_vat_of(sizes[0], other, rate) for other in document_amounts):
        return Decimal(0), amounts[0]
    return None, amounts[0]


def _vat_total_alone(
    vat: Decimal, document_amounts: set[Decimal], gross_cents: set[int]
) -> dict[str, Decimal]:
    """A VAT total printed without a rate ("TVA | 507,00" between "Total HT | 2535,00" and
    "Total TTC | 3042,00"), when a printed net and gross confirm it: at the rate that makes it
    of the net (20 %), else at an unknown rate (several rates); else nothing."""
    net = _net_of(abs(vat), document_amounts, gross_cents)
    if net is None:
        return {}
    if not vat:
        return {"0": vat}
    rate = (abs(vat) / net * 100).quantize(Decimal("0.1"))
    if 0 < rate < 30 and abs(net * rate / 100 - abs(vat)) <= Decimal("0.01"):
        return {format(rate.normalize(), "f"): vat}
    return {UNKNOWN_RATE: vat}


def _is_vat_of(vat: Decimal, base: Decimal, rate: Decimal) -> bool:
    """`vat` is `rate` percent of the net `base`, or the VAT included in the gross `base`."""
    return base > vat and (
        abs(base * rate / 100 - vat) <= Decimal("0.02")
        or abs(base * rate / (100 + rate) - vat) <= Decimal("0.02")
    )


def _vat_pair(amounts: list[Decimal], rate: Decimal) -> tuple[Decimal, Decimal] | None:
    """(VAT, base) among a line's amounts, the VAT the smallest that fits (none but 0.00 at
    0 %)."""
    for vat_amount in sorted(amounts):
        if not rate and vat_amount:
            continue
        for other in amounts:
            if _is_vat_of(vat_amount, other, rate):
                return vat_amount, other
    return None


def _cell_amounts(cells: list[str], rates: list[tuple[int, re.Match[str]]]) -> list[Decimal]:
    """The amounts of a line's cells, read cell by cell ("19 | 163,16" is no 19 163,16),
    without a rate's own digits ("10,00%"); zeros too (the VAT of a 0 % row)."""
    return [
        a.value
        for k, cell in enumerate(cells)
        for a in find_amounts(cell, integers=False)
        if not any(c == k and a.start < m.end() and m.start() < a.end for c, m in rates)
    ]


def _bare_rates(cells: list[str]) -> list[Decimal]:
    return [
        Decimal(bare.group(1).replace(",", "."))
        for cell in cells
        for bare in _BARE_RATE_RE.finditer(cell)
        if not any(bare.start() < a.end and a.start < bare.end() for a in find_amounts(cell))
    ]


def _rate_vat(found: list[tuple[bool, Decimal, Decimal]]) -> Decimal:
    """The VAT at one rate from the lines that gave it one, as (names the tax, base, VAT):
    of lines naming the tax, each printed part once (`USt. 19% auf 804,35 | 152,83` and
    `Versandkosten USt. 19% auf 4,99 | 0,95` add up), unless one is the sum of the others;
    else the line with the largest base (an item's line states its rate too, the summary's
    base is the items' sum)."""
    named = sorted({(base, vat) for word, base, vat in found if word and base})
    if len(named) > 1:
        *parts, (largest, largest_vat) = named
        if abs(sum(b for b, _ in parts) - largest) <= Decimal("0.02"):
            return largest_vat
        return sum((vat for _, vat in named), Decimal(0))
    return max(found, key=lambda f: (f[0], f[1]))[2]


def _caption_value(lines: list[Line], i: int, k: int) -> list[Decimal]:
    """The amounts of the cell printed just under or over box `k` of line `i` (a caption
    set under its value: "37 165,09 € | 7 364,48 €" over "Total HT | TVA à 20 %")."""
    box = lines[i].boxes[k]
    for j in (i - 1, i + 1):
        if not 0 <= j < len(lines) or lines[j].page != lines[i].page:
            continue
        value = _lone_amount_across(box, lines[j])
        if value is not None:
            return [value]
    return []


# The most amounts (or rates) a line stating a VAT carries: an item's or a summary's row
# has a few cells.
VAT_ROW_AMOUNTS = 12


def _line_vats(
    line: Line, f: str, lines: list[Line], i: int, in_vat_table: bool
) -> list[tuple[Decimal, list[Decimal], bool]]:
    """(rate, amounts, names the tax) of each VAT a line may state; a row of a VAT table
    names the tax by its header."""
    cells = [b.text for b in line.boxes]
    rates = [(k, m) for k, cell in enumerate(cells) for m in RATE_RE.finditer(cell)]
    vat_word = in_vat_table or bool(_VAT_WORD.search(f))
    amounts = _cell_amounts(cells, rates)
    if len(amounts) > VAT_ROW_AMOUNTS or len(rates) > VAT_ROW_AMOUNTS:
        return []  # no VAT row (and its pairs would cost the square of its amounts)
    if rates and not amounts and vat_word:
        # Captions over or under their values, one rate a cell ("TVA à 20 % | TVA à 10 %").
        return [
            (_rate_of(m), values, True) for k, m in rates if (values := _caption_value(lines, i, k))
        ]
    if len(rates) == 1 and (vat_word or len(amounts) >= 2):
        return [(_rate_of(rates[0][1]), amounts, vat_word)]
    if not rates and vat_word and len(amounts) >= 2:
        for rate in _bare_rates(cells):
            if 0 < rate < 30 and _vat_pair([abs(a) for a in amounts], rate):
                return [(rate, amounts, vat_word)]
    return []


def _rate_of(match: re.Match[str]) -> Decimal:
    return Decimal(match.group(1).replace(",", "."))


def fill_vat(doc: ExtractedDocument, lines: list[Line], folded: list[str]) -> None:
    """VAT by rate: on a line stating a rate, the VAT is the amount that equals another amount
    (on the line, else anywhere in the document) times the rate (net) or times
    rate/(100+rate) (gross); a VAT line's rate may be printed without its sign, when the
    arithmetic holds (`_rate_vat` chooses among the lines of one rate). A VAT labelled with
    its rate and no base printed anywhere ("MwSt. 19 %: 1.631,30", the items' lines at
    several rates) is taken, over what items' lines suggest, when a printed net and these
    VATs add up to a printed gross. Signed as the total is (a credit note's printed negative)."""
    signed_amounts = {
        a.value for line in lines for b in line.boxes for a in find_amounts(b.text, integers=False)
    }
    document_amounts = {abs(a) for a in signed_amounts}
    # A credit note may print its refund unsigned ("Amount credited €737.21") under a negative
    # gross ("Total incl. VAT -€737.21"): its largest amount printed negative says so (not a
    # prepayment deducted, "Paid to date -£4,617.17", which is half the gross at most).
    largest = max(document_amounts, default=Decimal(0))
    credit = doc.total is not None and (
        doc.total < 0 or (largest > 0 and -largest in signed_amounts)
    )
    by_rate: dict[Decimal, list[tuple[bool, Decimal, Decimal]]] = {}
    labelled: dict[Decimal, Decimal] = {}
    rateless: list[Decimal] = []
    in_vat_table = False
    for i, (line, f) in enumerate(zip(lines, folded, strict=True)):
        line_amounts = _cell_amounts([b.text for b in line.boxes], [])
        rateless += _rateless_vats(lines, i, f, line_amounts)
        # A VAT table's header names the tax twice ("Base TVA | Montant TVA", "Steuersatz
        # [%] | Steuerbetrag"; an items' header once, "P.U. HT | TVA | Total HT"); its rows
        # run on to the first line without an amount.
        in_vat_table = bool(line_amounts) and in_vat_table
        # An items' header may name it twice too ("Tax | Total price with tax"): not a VAT
        # table's, its rows state their rate but do not name the tax.
        if not line_amounts and len(_VAT_WORD.findall(f)) >= 2 and not items_header(line):
            in_vat_table = True
        for rate, amounts, vat_word in _line_vats(line, f, lines, i, in_vat_table):
            if not 0 <= rate < 30:
                continue
            found = _stated_vat(rate, amounts, vat_word, document_amounts)
            if found is None:
                continue
            base, vat = found
            if vat and (vat < 0) != credit:
                continue  # "Abschlag | 115,30 | 7% UST | -8,07": a discount's VAT
            if base is None:
                labelled.setdefault(rate, vat)
            else:
                by_rate.setdefault(rate, []).append((vat_word, base, vat))
    vats = {rate: _rate_vat(found) for rate, found in by_rate.items()}
    tentative = {
        rate: vat
        for rate, vat in labelled.items()
        if not any(word for word, _, _ in by_rate.get(rate, ()))
    }
    gross_cents = _gross_cents(lines, folded, document_amounts)
    vat_sum = abs(sum(({**vats, **tentative}).values(), Decimal(0)))
    if tentative and _net_of(vat_sum, document_amounts, gross_cents):
        vats.update(tentative)
    for rate, vat in vats.items():
        doc.vat_amounts[format(rate.normalize(), "f")] = vat
    if not doc.vat_amounts and rateless:
        doc.vat_amounts.update(_vat_total_alone(rateless[0], document_amounts, gross_cents))
    if not doc.vat_amounts and any(_NO_VAT_CHARGED.search(f) for f in folded):
        doc.vat_amounts["0"] = Decimal("0.00")
    if doc.vat_amounts:
        doc.confidence["vat_amounts"] = 0.6
