"""The amount paid: total, amount due and subtotals from labelled lines, cash tendered and
change kept apart, tips, and the cross-checks (net + VAT, rounding, a misread digit) that
pick among the candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from itertools import combinations

from .. import labels as L
from ..layout import Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    find_amounts,
    find_dates,
)
from .vat import RATE_RE, fill_vat

# "Payable" with its L doubled by OCR ("Total Payablle"), the word a till's total hangs on.
_PAYABLE = r"payabl{1,2}e"

# Labels of the amount the customer pays, strongest first. Weight 3: unambiguous grand total;
# 2: "total"-like; 1: weak (a line that merely says amount).
_TOTAL_STRONG = L.kw(
    r"grand\s?total",
    r"total\s?ttc",
    r"montant\s?ttc",
    r"net\s?a\s?payer",
    r"total\s?a\s?payer",
    r"montant\s?a\s?payer",
    r"total\s?amount",
    r"amount\s?due",
    r"balance\s?due",
    r"bal\.?\s?due",  # an American till's abbreviation: "BAL DUE 37.00"
    r"total\s?due",
    rf"total\s?{_PAYABLE}",
    rf"amount\s?{_PAYABLE}",
    r"round(?:ed|ing)?\s?(?:d\s)?total",
    r"total\s?round(?:ed|ing)?",
    r"nett?\s?total",
    r"total\s?incl\w*",
    r"incl\.?\s?(?:gst|vat|tax)",
    # The tax said included after the total's word: "TOTAL (IVA INCL.)", "Gesamt inkl. MwSt",
    # "Montant TVA comprise", "Total with VAT".
    r"(?:total|gesamt|importe|montant|betrag)\W{0,3}(?:iva|tva|mwst|ust|vat|gst|tax|impuestos)"
    r"\W{0,3}(?:incl\w*|inkl\w*|included|incluid[oa]s?|inclus[ea]?|compris[ea]?)",
    r"(?:total|gesamt|importe|montant|betrag)\W{0,3}(?:incl\w*|inkl\w*|including|with|con|avec)"
    r"\W{0,3}(?:iva|tva|mwst|ust|vat|gst|tax|taxes|impuestos)",
    r"inclusive",
    r"gesamtbetrag",
    r"gesamtsumme",
    r"endbetrag",
    r"rechnungsbetrag",
    r"zu\s?zahlen",
    r"zahlbetrag",
    r"summe",
    r"total\s?a\s?pagar",
    r"importe\s?total",
    r"total\s?factura",
    r"te\s?betalen",
    r"totaalbedrag",
    r"total\s?sales",
    r"invoice\s?total",
    r"total\s?invoice",
    r"total\s?eur(?:os?)?",
    r"total\s?\(?rm\)?",
    r"total\s?usd",
)
_TOTAL_WEAK = L.kw(
    r"total",
    r"totaal",
    r"gesamt",
    r"betrag",
    r"importe",
    r"montant",
    r"amount",
    r"nett?\s?amt",
    # "GROSS AMT: 124.00" is the bill with its tax, but "Gross Amount" is the bill before the
    # service tax on an Indian one: weak, and the larger credible amount wins.
    r"gross\s?amt",
)
# Lines whose amount is not the grand total even if they say "total".
_TOTAL_EXCLUDE = L.kw(
    r"sub\s?-?\s?total\w*",
    # Subtotals of other languages and their till abbreviations: "Sous-total", "S/TOTAL",
    # "Z-SUMME" / "Zw.-Summe" (Zwischensumme).
    r"sous\s?-?\s?total\w*",
    r"s\s?/\s?total\w*",
    r"z\s?-\s?summe",
    r"zw\.?\s?-?\s?summe",
    r"total\s?ht",
    r"total\s?hors",
    r"hors\s?taxes?",
    r"\bht\b",
    r"total\s?excl\w*",
    r"excl\w*",
    r"before\s?tax",
    r"netto",
    r"taxable",
    r"total\s?tax",
    r"total\s?gst",
    r"(?:tax|gst|vat|tva|mwst|iva)\s?total",
    r"tax\s?amount",
    r"gst\s?amount",
    r"total\s?tva",
    r"montant\s?tva",
    r"total\s?qty",
    r"total\s?quantity",
    r"qty",
    r"quantity",
    r"total\s?items?",
    r"items?",
    r"artikel",
    # The count of articles ("TOTAL ARTÍCULOS 20", "Nombre d'articles 7").
    r"articulos",
    r"articles?",
    r"unidades",
    r"discount",
    # The tax a total holds, said after it ("GST INCLUDED IN TOTAL $1.62").
    r"(?:gst|vat|tax|tva|iva|mwst)\s?included",
    r"savings?",
    # What a loyalty scheme saved ("TOTAL SAVED: $44.80", "You saved 3.20").
    r"saved",
    r"remise",
    r"rabatt",
    r"change",
    r"rendu",
    r"ruckgeld",
    r"wechselgeld",
    r"gegeben",
    r"tendered",
    r"tender",  # "AMOUNT TENDER 20.00": the cash handed over
    r"cash\s?received",
    r"received",
    r"vuelto",
    r"cambio",
    r"base\s?imponible",
    r"mwst",
    r"ust\b",
    r"tva",
    r"iva",
    r"gst\s?\d",
    r"points?",
    r"punkte",
    r"deposit",
    r"pfand",
)
# Payment lines: the paid amount echoes the total (helps confirm it) but cash given can be more.
_PAYMENT = L.kw(
    r"cash",
    r"bar",
    r"visa",
    r"mastercard",
    r"master",
    r"card",
    r"carte",
    r"cb",
    r"ec[-\s]?cash",
    r"girocard",
    r"kreditkarte",
    r"efectivo",
    r"tarjeta",
    r"paid",
    r"payment",
    r"paiement",
    r"especes",
    r"zahlung",
    r"credit",
)

_AMOUNT_DUE = L.kw(
    r"amount\s?due",
    r"balance\s?due",
    r"bal\.?\s?due",
    r"net\s?a\s?payer",
    r"reste\s?a\s?payer",
    r"montant\s?du",
    r"zu\s?zahlen",
    r"zahlbetrag",
    r"importe\s?a\s?pagar",
    r"total\s?due",
    r"a\s?payer",
    r"te\s?betalen",
    r"amount\s?payable",
)


# A till receipt says "Customer copy" or "Ticket client": only the captions of a billing
# block are an invoice's ("Bill to", "Adresse de facturation", "Rechnungsempfänger").
_ANY_CUSTOMER = frozenset({"client", "cliente", "customer", "kunde", "kundin"})


# A till's tendered line: the cash handed over and its amount alone on the line.
# (Possessive `\s*+`: what follows each run never starts with a space, so giving spaces
# back never helps a match, and a long run of spaces stays linear instead of polynomial.)
_CASH_TENDERED_LINE = re.compile(
    r"\s*+(?:cash|tunai|especes|efectivo|bargeld|bar)\s*+(?:rm|eur|€|\$)?\s*+[:.]?\s*+"
    r"(?:rm|eur|€|\$)?\s*+\d[\d ,.]*[.,]\d{2}\s*$"
)


def invoice_mentions(folded: list[str]) -> int:
    """How many of an invoice's own mentions the folded lines label, each within a line:
    its number ("Invoice No", "Numéro de facture"), its date ("Invoice date", "Fecha de
    factura"), a billing block's caption. A scanned invoice shows them where a till receipt ("Tax invoice",
    "Invoice No" over a till roll) shows one at most, so two or more are invoice cues."""
    if any(_CASH_TENDERED_LINE.match(f) for f in folded):
        return 0  # "CASH : 101.75": a till took the money; its "Bill To: CASH" is no buyer
    buyer = any(m.group(0) not in _ANY_CUSTOMER for f in folded for m in L.BUYER.finditer(f))
    found = (
        any(L.INVOICE_NUMBER.search(f) for f in folded)
        + any(L.ISSUE_DATE.search(f) for f in folded)
        + buyer
    )
    return found if found >= 2 else 0


def _cash_payments(texts: list[str], folded: list[str]) -> tuple[list[Decimal], list[Decimal]]:
    """The amounts of the lines saying cash was handed over, and of those giving change."""
    tendered: list[Decimal] = []
    change: list[Decimal] = []
    for text, f in zip(texts, folded, strict=True):
        values = _line_amounts(text, integers=False)
        if not values:
            continue
        if L.CHANGE.search(f):
            change.append(values[-1])
        elif L.TENDERED.search(f):
            tendered.append(values[-1])
    return tendered, change


def _cash_paid(texts: list[str], folded: list[str]) -> Decimal | None:
    """What a receipt printing no total's label was paid: the one cash amount handed over
    when it gave no change back; when it did, the cash less the change if that amount is
    printed on another line too (one digit misread in either, and the difference is no
    amount of the receipt's)."""
    tendered, change = _cash_payments(texts, folded)
    if len(tendered) != 1 or len(change) != 1:
        return None
    paid = tendered[0] - abs(change[0])
    if paid <= 0 or (change[0] and not _printed_beyond_cash(paid, texts, folded)):
        return None
    return paid


# An amount's shape with letters allowed among its digits ("10.E0", "6.U0").
_AMOUNT_WITH_LETTERS = re.compile(r"(?<![\w.,])[\dA-Za-z]{1,6}[.,][\dA-Za-z]{2}(?![\w.,])")


def _letters_for_digits(amount: Decimal, text: str) -> bool:
    """Whether `text` prints `amount` with a digit or two read as letters ("10.E0" for
    10.60): the same characters elsewhere, a letter where each digit differs."""
    digits = f"{amount:.2f}"
    for match in _AMOUNT_WITH_LETTERS.finditer(text):
        read = match.group(0).replace(",", ".")
        if len(read) != len(digits) or read == digits or not any(c.isdigit() for c in read):
            continue
        slips = [(r, d) for r, d in zip(read, digits, strict=True) if r != d]
        if len(slips) <= 2 and all(r.isalpha() for r, _ in slips):
            return True
    return False


def reconcile_cash(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    """Receipts: the total is what was paid, not the cash handed over. When the chosen total
    equals a tendered amount and a change line is printed, tendered - change is the total
    if it is printed too."""
    if doc.total is None:
        return
    tendered, change = _cash_payments(texts, folded)
    printed: Counter[Decimal] = Counter()
    for text in texts:
        printed.update(_line_amounts(text, integers=False))
    if not change or not tendered:
        return
    for cash in tendered:
        for back in change:
            paid = cash - abs(back)  # "20.00-": some tills print the change negative
            if paid <= 0:
                continue
            if doc.total == paid:
                doc.confidence["total"] = max(doc.confidence.get("total", 0.0), 0.9)
                return
            digits = re.sub(r"\D", "", f"{paid:.2f}")
            on_total_line = any(
                (_TOTAL_STRONG.search(f) or _TOTAL_WEAK.search(f) or L.DUE.search(f))
                and (digits in re.sub(r"\D", "", text) or _letters_for_digits(paid, text))
                for text, f in zip(texts, folded, strict=True)
            )
            # Cash handed over minus change given back is what was paid: the total, when the
            # receipt prints it (a change of 0 makes it the cash itself, printed twice).
            seen = printed[paid] >= (2 if back == 0 else 1)
            if (seen or on_total_line) and (doc.total == cash or on_total_line or seen):
                doc.total = paid
                doc.confidence["total"] = 0.85
                return


def restore_leading_digit(doc: ExtractedDocument, texts: list[str], folded: list[str]) -> None:
    """A total of 100 or more whose leading digit OCR added (`194.19` for 94.19, a speck
    before the 9) is the amount the summary above its line adds up to: two or three
    amounts of separate lines among the `_SUMMARY_REACH` lines over it (net and tax, the
    per-rate totals: labelled lines only) that add up to the total without that digit, and
    not to the total as read. (A digit lost is not restored: nine readings to try find
    some sum too often.)"""
    total = doc.total
    if total is None or total < 100:
        return
    digits = f"{total:.2f}"
    if digits[1] == "0":
        return  # `105.00` less its 1 is no amount anyone prints
    at = next(
        (
            i
            for i in range(len(texts) - 1, -1, -1)
            if (_TOTAL_STRONG.search(folded[i]) or _TOTAL_WEAK.search(folded[i]))
            and total in _line_amounts(texts[i])
        ),
        None,
    )
    if at is None:
        return
    above: list[tuple[int, Decimal]] = []
    for i in range(max(0, at - _SUMMARY_REACH), at):
        if not _is_summary_line(folded[i]):
            continue  # an item's line: its amounts are not the summary's
        above.extend(
            (i, v) for v in set(_line_amounts(texts[i], integers=False)) if 0 < v < 100_000
        )
    if len(above) > _SUMMARY_AMOUNTS:
        return  # a long bill of items: any reading finds some sum there
    sums = {
        sum(v for _, v in parts)
        for size in (2, 3)
        for parts in combinations(above, size)
        if len({i for i, _ in parts}) == size
    }
    trimmed = Decimal(digits[1:])
    if trimmed in sums and total not in sums:
        doc.total = trimmed
        doc.confidence["total"] = min(doc.confidence.get("total", 0.6), 0.6)


def _is_summary_line(folded_line: str) -> bool:
    """The line carries a total's, a net's or a tax's label: a line of the bill's summary."""
    return any(
        label.search(folded_line) for label in (_TOTAL_STRONG, _TOTAL_WEAK, L.NET, L.VAT, L.GROSS)
    )


# Lines over a receipt's total where the summary that adds up to it is looked for, and the
# most amounts they may hold (each reading tries their pairs and triples).
_SUMMARY_REACH = 8
_SUMMARY_AMOUNTS = 16


# A tip added under the bill ("Gratuity 5.00", "Pourboire", "Trinkgeld", "Propina").
_TIP_LINE = L.kw(r"gratuity", r"tips?", r"pourboire", r"trinkgeld", r"propina", r"mancia")


def _with_tip(total: Decimal, line: int, texts: list[str], folded: list[str]) -> Decimal:
    """The bill plus the tip printed under it, when that sum is printed after the tip (the
    amount paid, charged to the card): what the customer paid. Else the bill."""
    for i in range(line + 1, min(line + _TIP_REACH, len(texts))):
        if not _TIP_LINE.search(folded[i]):
            continue
        tips = _line_amounts(texts[i], integers=False)
        if len(tips) != 1 or not 0 < tips[0] < total:
            continue
        paid = total + tips[0]
        for j in range(i + 1, min(i + _TIP_REACH, len(texts))):
            if paid in _line_amounts(texts[j], integers=False):
                return paid
    return total


# Lines under the bill where its tip, then the amount paid, are looked for.
_TIP_REACH = 5

# The shares a third party pays for the customer, printed under a pharmacy's or a care
# provider's bill: the health insurance, a complementary insurer, a third-party payer.
_THIRD_PARTY_SHARE = L.kw(
    r"part\s?(?:securite\s?sociale|secu|mutuelle|amo|amc|obligatoire|complementaire|caisse)",
    r"tiers\s?payant",
    r"prise\s?en\s?charge",
    r"kassenanteil",
    r"anteil\s?(?:der\s?)?(?:krankenkasse|kasse|versicherung)",
    r"(?:gesetzliche|private)\s?krankenversicherung",
    r"aportacion\s?(?:de\s?la\s?)?(?:seguridad\s?social|mutua|aseguradora)",
    r"(?:seguridad\s?social|mutua|aseguradora)\s?(?:paga|abona)",
    r"insurance\s?(?:share|pays|paid|covered|portion)",
    r"(?:covered|paid)\s?by\s?(?:insurance|insurer|nhs)",
    r"insurer\s?(?:share|pays|paid)",
)
# Lines under the bill where the third parties' shares, then the customer's part, are read.
_SHARE_REACH = 6


def _customer_share(total: Decimal, line: int, texts: list[str], folded: list[str]) -> Decimal:
    """The customer's part of a bill that a health insurance or another third party pays in
    part ("Part Sécurité sociale 24,82", "Part mutuelle 0,00", then "Reste à charge 13,36"):
    the bill less the shares printed under it, when that difference is printed after them.
    Else the bill."""
    shares: list[Decimal] = []
    for i in range(line + 1, min(line + 1 + _SHARE_REACH, len(texts))):
        amounts = _line_amounts(texts[i], integers=False)
        if _THIRD_PARTY_SHARE.search(folded[i]):
            if len(amounts) != 1 or not 0 <= amounts[0] < total:
                return total
            shares.append(amounts[0])
            continue
        if shares and sum(shares) > 0 and total - sum(shares) in amounts:
            return total - sum(shares)
    return total


# Lines of cash handed over and change given back: an amount there is what the customer
# paid, not a total the receipt states.
_CASH_LINE = re.compile(r"\b(?:cash|tunai|tender\w*|change|baki|esp[eè]ces|bar|rendu)\b")


def _paid_total(
    best: FieldCandidate[Decimal],
    credible: list[FieldCandidate[Decimal]],
    texts: list[str],
    folded: list[str],
) -> FieldCandidate[Decimal]:
    """Of two total labels that disagree, the later one when it is exactly the amount paid
    (a payment line, no change given) and the larger one is not: "Total incl. GST 30.88 /
    Rounding 0.02 / Total 30.70 / Cash 30.70", one of its digits misread by OCR so that no
    rounding step explains the difference."""
    given_back = [
        value
        for text, f in zip(texts, folded, strict=True)
        if L.CHANGE.search(f)
        for value in _line_amounts(text)
    ]
    if any(value != 0 for value in given_back):
        return best  # change given back: the amount handed over is not the amount paid
    paid = {
        abs(value)  # "Cash -30.70": some tills print the payment negative
        for text, f in zip(texts, folded, strict=True)
        if _PAYMENT.search(f) and not (_TOTAL_STRONG.search(f) or _TOTAL_WEAK.search(f))
        for value in _line_amounts(text, integers=False)[-1:]
    }
    if best.value in paid:
        return best
    later = [c for c in credible if c.line > best.line and c.value in paid and c.value < best.value]
    return max(later, key=lambda c: c.line) if len(later) == 1 else best


def _printed_beyond_cash(amount: Decimal, texts: list[str], folded: list[str]) -> bool:
    """Whether `amount` is printed on a line other than the cash handed over or the change:
    a total rounded for cash ("TOTAL 42.88 / ROUNDING 0.02 / CASH 42.90") is still 42.88
    unless the receipt states the rounded total itself."""
    return any(
        amount in _line_amounts(text, integers=False) and not _CASH_LINE.search(f)
        for text, f in zip(texts, folded, strict=True)
    )


def _included_tax(candidate: FieldCandidate[Decimal], text: str, counts: Counter[Decimal]) -> bool:
    """Whether a "total incl. tax @ 6%" line states the tax the total includes, not the
    total: its amount is the rate's share of another amount printed on the page
    (0.42 = 7.50 x 6/106)."""
    rates = [Decimal(r.replace(",", ".")) for r in RATE_RE.findall(text)]
    return any(
        0 < rate < 100
        and amount > candidate.value
        and abs(amount * rate / (100 + rate) - candidate.value) <= _TAX_SHARE_SLACK
        for rate in rates
        for amount in counts
    )


# A till computes the tax a total includes line by line, or cuts it instead of rounding it
# (27.50 x 6/106 = 1.5566, printed 1.55): its share is stated within a cent.
_TAX_SHARE_SLACK = Decimal("0.01")


# Charges a subtotal is followed by before the total: the tax, a service charge.
_SURCHARGE = L.kw(r"gst", r"vat", r"tax", r"sst", r"service\s?charge", r"service\s?tax", r"svc")


def _subtotal_candidates(
    texts: list[str], folded: list[str], quality: list[float], counts: Counter[Decimal]
) -> list[FieldCandidate[Decimal]]:
    """With no total label at all, a subtotal is the next best evidence (receipts that print
    "SUBTOTAL" then only the payment lines); when the tax and service charges printed just
    below it add up with it to an amount printed further down (the total's own label lost
    to OCR), that sum is."""
    found: list[FieldCandidate[Decimal]] = []
    for i, f in enumerate(folded):
        if not re.search(r"sub\s?-?\s?total", f):
            continue
        values = _line_amounts(texts[i], integers=False)
        if not values:
            continue
        value = values[-1]
        charges = [
            _line_amounts(texts[j], integers=False)[-1:]
            for j in range(i + 1, min(i + 4, len(texts)))
            if _SURCHARGE.search(folded[j]) or _tax_row_of(texts[j], value)
        ]
        with_charges = value + sum((c[0] for c in charges if c), Decimal(0))
        if with_charges != value and counts[with_charges]:
            value = with_charges
        found.append(FieldCandidate(value, 1.0 * quality[i], i))
    return found


def _taxed_base(values: list[Decimal], rates: set[Decimal]) -> Decimal | None:
    """The base of a line ending on a base and its tax at one of the page's `rates`
    (`73.87 4.43` at 6%), or None."""
    if len(values) < 2:
        return None
    base, tax = values[-2], values[-1]
    if not 0 < tax < base:
        return None
    share = {(base * rate / 100).quantize(Decimal("0.01")) for rate in rates if 0 < rate < 100}
    return base if tax in share else None


def _tax_row_of(text: str, base: Decimal) -> bool:
    """Whether `text` is a tax table's row for `base` (see `_tax_row`)."""
    row = _tax_row(text)
    return row is not None and row[0] == base


def _tax_row(text: str) -> tuple[Decimal, Decimal] | None:
    """The base and the tax of a tax table's row: a rate, then the base and its tax ("SR @
    6% 263.02 15.78", a tax code and no tax word); None for any other line."""
    amounts = _line_amounts(text, integers=False)
    if "%" in text and len(amounts) >= 2 and 0 < amounts[-1] < amounts[-2]:
        return amounts[-2], amounts[-1]
    return None


def _after_excluded_pair(text: str, folded: str) -> int:
    """Where a line's total is read from: after a first label and amount that are not the
    total when another total label follows them (two columns read as one line: "TOTAL
    SAVING: 0.00  TOTAL 6.85"), else from its start."""
    excluded = _TOTAL_EXCLUDE.search(folded)
    if not excluded:
        return 0
    amounts = [a for a in find_amounts(text) if a.start >= excluded.end()]
    if not amounts:
        return 0
    end = amounts[0].end
    following = _TOTAL_STRONG.search(folded, end) or _TOTAL_WEAK.search(folded, end)
    return end if following else 0


def _line_amounts(text: str, *, integers: bool = True) -> list[Decimal]:
    return [a.value for a in find_amounts(text, integers=integers)]


def fill_totals(
    doc: ExtractedDocument,
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
) -> None:
    counts: Counter[Decimal] = Counter()
    for text in texts:
        for value in _line_amounts(text):
            counts[value] += 1

    candidates, due_candidates = _labelled_totals(lines, texts, folded, quality, counts)
    if candidates and all(c.value == 0 for c in candidates) and any(v > 0 for v in counts):
        # Only zeros labelled ("Total Saving 0.00" whose own total OCR garbled): the label
        # of the amount paid was not read; the page's amounts tell it below.
        candidates = []
    if candidates:
        best = _best_total(candidates, texts, folded)
        total = _rounding_applied(best.value, texts, folded)
        total = _cross_check(total, best.line, counts, texts, folded)
        total = _with_tip(total, best.line, texts, folded)
        total = _customer_share(total, best.line, texts, folded)
        doc.total = total
        doc.confidence["total"] = round(min(0.95, 0.3 + 0.2 * best.score), 3)
    elif (paid := _cash_paid(texts, folded)) is not None:
        # No label, but the cash handed over and the change given back: their difference.
        doc.total = paid
        doc.confidence["total"] = 0.5
    else:
        # No label: the most repeated amount (total, paid, card slip), then the largest.
        pool = [v for v in counts if v > 0]
        if pool:
            best_value = max(pool, key=lambda v: (counts[v], v))
            doc.total = best_value
            doc.confidence["total"] = 0.3
    doc.candidate_totals = _other_totals(doc.total, candidates, counts)

    if due_candidates:
        best_due = max(due_candidates, key=lambda c: c.score)
        doc.amount_due = best_due.value
        doc.confidence["amount_due"] = round(min(0.9, 0.3 + 0.2 * best_due.score), 3)
    elif doc.total is not None:
        doc.amount_due = doc.total
        doc.confidence["amount_due"] = round(doc.confidence["total"] * 0.8, 3)

    fill_vat(doc, lines, folded)


def _labelled_totals(
    lines: list[Line],
    texts: list[str],
    folded: list[str],
    quality: list[float],
    counts: Counter[Decimal],
) -> tuple[list[FieldCandidate[Decimal]], list[FieldCandidate[Decimal]]]:
    """The amounts of the lines a total's label marks, scored (a strong label, repeated
    amounts, lower on the page, the line's OCR quality), and those of them labelled as the
    amount due; a subtotal's when no total label is left."""
    candidates: list[FieldCandidate[Decimal]] = []
    due_candidates: list[FieldCandidate[Decimal]] = []
    integer_lines: set[int] = set()
    n = len(texts)
    rates = {Decimal(r.replace(",", ".")) for text in texts for r in RATE_RE.findall(text)}
    for i, f in enumerate(folded):
        start = _after_excluded_pair(texts[i], f)
        strong = _TOTAL_STRONG.search(f, start)
        weak = _TOTAL_WEAK.search(f, start)
        label = strong or weak
        if label is None:
            continue
        excluded = _TOTAL_EXCLUDE.search(f, start)
        if excluded and not (
            strong
            and strong.start() < excluded.start()
            and "sub" not in excluded.group(0)
            and not re.search(r"excl|hors|\bht\b|net", excluded.group(0))
        ):
            continue
        if not strong and _PAYMENT.search(f):
            continue  # "Paid amount 100.00": cash handed over, not the total
        read = _label_values(i, label.end(), lines, texts, folded)
        if read is None:
            continue
        values, where, integer = read
        if integer:
            # "RM 8817" is as likely a decimal point lost by OCR as an amount: use integers
            # only when no label has a proper decimal amount.
            integer_lines.add(i)
        value = values[-1]
        base = _taxed_base(values, rates)
        if base is not None:
            # A tax table's total row ("TOTAL 73.87 4.43": the base and its tax): the bill
            # is their sum, when it is printed.
            if not counts[base + value]:
                continue
            value = base + value
        weight = 3.0 if strong else 2.0
        score = (
            (weight + 0.4 * min(counts[value] - 1, 3) + 0.5 * i / max(n, 1)) * where * quality[i]
        )
        candidates.append(FieldCandidate(value, score, i))
        if _AMOUNT_DUE.search(f):
            due_candidates.append(FieldCandidate(value, score, i))

    candidates = [c for c in candidates if not _included_tax(c, texts[c.line], counts)]
    if not candidates:
        candidates = _subtotal_candidates(texts, folded, quality, counts)
    if any(c.line not in integer_lines for c in candidates):
        candidates = [c for c in candidates if c.line not in integer_lines]
        due_candidates = [c for c in due_candidates if c.line not in integer_lines]
    return candidates, due_candidates


# A currency's code or sign, then digits: an amount printed on the line, read or not.
_CURRENCY_THEN_DIGITS = re.compile(r"(?<![A-Za-z])(?:[A-Z]{3}|[$€£¥])\s?\d")


def _label_values(
    i: int, label_end: int, lines: list[Line], texts: list[str], folded: list[str]
) -> tuple[list[Decimal], float, bool] | None:
    """The amounts a total's label on line `i` gives (after the label, else misread ones
    there, else on one of the next two lines), how surely they are its own (1.0 on its
    line), and whether the last is an integer; None for a table header's label."""
    found = [a for a in find_amounts(texts[i], integers=True) if a.start >= label_end - 2]
    values = [a.value for a in found]
    if values:
        return values, 1.0, found[-1].integer
    values = _misread_values(texts[i][label_end:])
    if values:
        return values, 0.8, False
    if _CURRENCY_THEN_DIGITS.search(texts[i], label_end):
        return None  # its own amount, unread ("Amount Due: AED 105."): not the next line's
    after_label = re.findall(r"[a-z]{2,}", folded[i][label_end:])
    if len(after_label) >= 2 or len(lines[i].boxes) >= 3:
        return None  # a table header ("GST Summary  Amount  Tax"): its values are not totals
    # The value is often printed on the next line (narrow receipts, two-column tables).
    for j in (i + 1, i + 2):
        if j < len(texts) and not _labels_own_amount(folded[j]):
            values = _line_amounts(texts[j])
            if values:
                return values, 0.8, False
    return None


def _best_total(
    candidates: list[FieldCandidate[Decimal]], texts: list[str], folded: list[str]
) -> FieldCandidate[Decimal]:
    """Among credible total labels (within reach of the best-labelled one), the grand total
    is the largest (subtotals, tax and rounding are smaller), unless a rounded total is
    printed: the rounded one is what was paid (cash rounding to 0.05 in Malaysia,
    Switzerland...)."""
    top_weight = max(c.score for c in candidates)
    credible = [c for c in candidates if c.score >= top_weight * 0.6 and c.value > 0]
    if not credible:
        credible = candidates
    final = [c for c in credible if _TOTAL_FINAL.search(folded[c.line])]
    if final:
        credible = final
    best = max(credible, key=lambda c: (c.value, c.score))
    near = Decimal("0.10")
    rounded = [
        c
        for c in credible
        if re.search(r"round", folded[c.line]) and abs(c.value - best.value) <= near
    ]
    if rounded:
        return max(rounded, key=lambda c: (c.score, c.line))
    # "Rounding -0.02" then "Nett Total 7.70": a total printed after a rounding line,
    # within the rounding step of the largest one, is the rounded (paid) total.
    rounding_lines = [i for i, f in enumerate(folded) if re.search(r"round", f)]
    after = [
        c
        for c in credible
        if rounding_lines
        and c.line > rounding_lines[0]
        and c.value != best.value
        and abs(c.value - best.value) <= near
    ]
    if after:
        return max(after, key=lambda c: (c.line, c.score))
    return _paid_total(best, credible, texts, folded)


def _rounding_applied(total: Decimal, texts: list[str], folded: list[str]) -> Decimal:
    """A "rounding adjustment" line next to an unrounded total: applied when the adjusted
    amount is printed too (as the amount paid or a rounded-total line)."""
    for i, f in enumerate(folded):
        if not re.search(r"round", f) or _TOTAL_STRONG.search(f):
            continue
        adjustments = _line_amounts(texts[i], integers=False)
        if not adjustments:
            # OCR often drops the zero of "0.02" on rounding lines.
            bare = re.findall(r"(?<![\d.,])[.,](\d\d)(?!\d)", texts[i])
            adjustments = [Decimal(f"0.{bare[0]}")] if len(bare) == 1 else []
        if len(adjustments) == 1 and abs(adjustments[0] - total) <= Decimal("0.10"):
            return adjustments[0]  # "Rounding  72.75": the rounded total itself
        if len(adjustments) == 1 and 0 < abs(adjustments[0]) <= Decimal("0.10"):
            # "-0.02", "-RM0.02", and "-J.02": the zero read as a letter.
            minus = r"-\s?(?:RM|S?\$|€|EUR)?\s?(?:\d|[A-Za-z]?[.,]\d)"
            sign = -1 if re.search(minus, texts[i]) else 1
            adjusted = total + sign * abs(adjustments[0])
            if adjusted != total and _printed_beyond_cash(adjusted, texts, folded):
                return adjusted
    return total


def _other_totals(
    total: Decimal | None, candidates: list[FieldCandidate[Decimal]], counts: Counter[Decimal]
) -> list[Decimal]:
    """The total first, then the other labelled amounts by score and the most repeated
    ones: the amounts a matcher may try when the first is not the one paid."""
    ordered: list[Decimal] = []
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.value not in ordered and c.value > 0:
            ordered.append(c.value)
    if total is not None and total in ordered:
        ordered.remove(total)
    if total is not None:
        ordered.insert(0, total)
    for value, _count in counts.most_common(5):
        if value > 0 and value not in ordered:
            ordered.append(value)
    return ordered[:8]


_MISREAD_AMOUNT = re.compile(r"(?<![\d.,/:-])(\d{1,5})\s?[-:](\d{2})(?![\d/:.,-])")
# "TOTAL 4.U0", "12.O5": a zero of the cents read as a letter of the same shape.
_ZERO_AS_LETTER_AMOUNT = re.compile(
    r"(?<![\w.,/:-])(\d{1,5})[.,]((?=[0-9]*[OoUD])[0-9OoUD]{2})(?![\w/:.,-])"
)
# "Grand Total 356.0": a till printing one decimal (India's), or its last zero lost.
_ONE_DECIMAL_AMOUNT = re.compile(r"(?<![\w.,/:-])(\d{1,5})\.(\d)(?![\w/:.,%-])")


def _misread_values(text: str) -> list[Decimal]:
    """The one amount of a total's line that OCR misread so no amount pattern takes it:
    the decimal point read as a dash or colon ("TOTAL 28-90"), a zero of the cents read
    as a letter ("TOTAL 4.U0"), or one decimal printed ("Grand Total 356.0")."""
    misread = (
        _MISREAD_AMOUNT.findall(text)
        or [
            (whole, re.sub(r"[OoUD]", "0", cents))
            for whole, cents in _ZERO_AS_LETTER_AMOUNT.findall(text)
        ]
        or [(whole, tenth + "0") for whole, tenth in _ONE_DECIMAL_AMOUNT.findall(text)]
    )
    if len(misread) != 1:
        return []
    return [Decimal(f"{misread[0][0]}.{misread[0][1]}")]


def _labels_own_amount(folded: str) -> bool:
    """Whether a line's amount is its own: a total's, or the cash given or change taken
    (not the value of a total label printed alone on the line above)."""
    return bool(
        _TOTAL_STRONG.search(folded)
        or _TOTAL_WEAK.search(folded)
        or L.TENDERED.search(folded)
        or L.CHANGE.search(folded)
    )


# Labels of the amount actually to pay; among credible totals they win over "Total incl."
# lines of a tax breakdown printed above them.
_TOTAL_FINAL = L.kw(
    rf"(?:total|amount|amt)\s?(?:{_PAYABLE}|due|paid)",
    _PAYABLE,
    r"balance\s?due",
    r"grand\s?total",
    r"net\s?a\s?payer",
    r"total\s?a\s?payer",
    r"zu\s?zahlen",
    r"total\s?a\s?pagar",
    r"total\s?round(?:ed|ing)?",
    r"round(?:ed|ing)?\s?total",
    r"after\s?(?:adj\w*|rounding)",
)


def _one_digit_apart(a: Decimal, b: Decimal) -> bool:
    x, y = f"{a:.2f}", f"{b:.2f}"
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y, strict=True)) == 1


def _cross_check(
    total: Decimal, line: int, counts: Counter[Decimal], texts: list[str], folded: list[str]
) -> Decimal:
    """Correct a total misread by OCR by one digit ("19,16" for "19,46"), when a payment line
    shows the other value and the receipt confirms it: printed twice (tax table, card slip),
    equal to the sum of the item lines above the total, or to a tax table's base plus its
    tax ("SR@6% 27.46 1.64" for 29.10)."""
    if counts[total] > 1:
        return total
    taxed = {sum(row) for row in map(_tax_row, texts) if row}
    items = Decimal(0)
    for i in range(line):
        if _TOTAL_STRONG.search(folded[i]) or _TOTAL_WEAK.search(folded[i]):
            continue
        if _TOTAL_EXCLUDE.search(folded[i]) or _PAYMENT.search(folded[i]) or find_dates(texts[i]):
            continue
        values = _line_amounts(texts[i], integers=False)
        if values:
            items += values[-1]
    for i, f in enumerate(folded):
        if i == line or not _PAYMENT.search(f):
            continue
        values = _line_amounts(texts[i], integers=False)
        if not values:
            continue
        paid = values[-1]
        if (
            paid > 0
            and _one_digit_apart(paid, total)
            and (counts[paid] > 1 or paid == items or paid in taxed)
        ):
            return paid
    return total
