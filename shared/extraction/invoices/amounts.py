"""Invoice amounts by role: gross, net, VAT, prepayment and amount due, from labelled values
and table columns; the gross that reconciles (net + VAT = gross, gross - prepaid = due) is
preferred.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from .. import labels as L
from ..layout import Box, Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    find_amounts,
    find_dates,
)

CENT = Decimal("0.01")
# The highest standard VAT rate in the EU (Hungary's), as a share of the net.
MAX_VAT_RATE = Decimal("0.27")


_ALLOWANCE = L.kw(
    r"\w*zuschl(?:a|ae)g\w*",
    r"\w*abschl(?:a|ae)g(?!s?zahlung)\w*",  # not "Abschlagszahlung", a payment on account
    r"rabatt\w*",
    r"nachlass",
    r"remise\w*",
    r"discount\w*",
    r"allowance\w*",
    r"charges?",
    r"frais",
    r"descuento\w*",
    r"skonto",
    r"escompte",
    r"quantit\w*",
    r"menge",
    r"qty",
    r"stk",
    r"cantidad",
    r"einzelpreis",
    r"unit\w*",
    r"\w*preis",
    r"price",
    r"prix",
    r"precio",
    r"prix\s?unitaire",
)
# A balance left to pay under a one-word label of the invoice's totals ("Saldo" in Spanish,
# "Offen" in German, "Balance" in English), not an earlier balance carried forward ("Saldo
# anterior", "Previous balance", "Balance brought forward").
_BALANCE = L.kw(
    r"saldo(?![\s.\-_/]*(?:anterior|vortrag|inicial))",
    r"offen",
    r"(?<!previous\s)(?<!opening\s)(?<!prior\s)balance(?![\s.\-_/]*(?:brought|b/?f|forward|carried|c/?f))",
)
ANY_AMOUNT_LABEL = re.compile(
    "|".join(
        f"(?:{p.pattern})" for p in (L.GROSS, L.NET, L.VAT, L.PREPAID, L.DUE, _BALANCE, L.ROUNDING)
    )
    + r"|(?<![a-z])(?:total|totaal|summe|betrag|montant|importe|amount)(?![a-z])"
)


# The sum of the tax named as such, which a gross label's words may surround ("Invoice total
# VAT amount", "Total VAT", "Montant total de TVA", "Summe Umsatzsteuer"), unless the label
# says the tax is included ("Total incl. VAT", "Total TTC").
_TAX_WORD = r"(?:vat|tva|tax|iva|gst|mwst|ust|umsatzsteuer|mehrwertsteuer)"
_VAT_SUM = re.compile(
    rf"(?<![a-z])(?:total|summe|montant\s(?:total\s)?(?:de\s(?:la\s)?)?)\s?{_TAX_WORD}(?![a-z])"
    rf"|(?<![a-z]){_TAX_WORD}\s(?:total|amount|sum|betrag)(?![a-z])"
)
_WITH_TAX = re.compile(
    r"(?<![a-z])(?:incl\w*|inc|with|mit|einschl\w*|inkl\w*|avec|ttc|con|including|compris\w*"
    r"|enthalten)(?![a-z])"
)


def _role(label_text: str) -> str | None:
    """What a labelled amount is, from its label's (folded) text."""
    if _ALLOWANCE.search(label_text):
        return None
    if L.ROUNDING.search(label_text):
        return "rounding"
    if L.PREPAID.search(label_text):
        return "prepaid"
    if L.DUE.search(label_text) or _BALANCE.search(label_text):
        return "due"
    if L.NET.search(label_text):
        return "net"
    if _VAT_SUM.search(label_text) and not _WITH_TAX.search(label_text):
        return "vat"  # "Invoice total VAT amount", "Montant total de TVA": the tax alone
    if L.GROSS.search(label_text):
        return "gross"
    if L.VAT.search(label_text):
        return "vat"
    return "total"


def _vat_of(vat: Decimal, net: Decimal) -> bool:
    """`vat` may be the VAT on `net`: of its sign (a credit note prints both negative), at
    most `MAX_VAT_RATE` of it (not a base or a share capital read as one)."""
    return vat != 0 and (vat > 0) == (net > 0) and abs(vat) <= abs(net) * MAX_VAT_RATE


def _first_amount(text: str) -> Decimal | None:
    for amount in find_amounts(text, integers=True):
        tail = text[amount.end : amount.end + 2]
        if "%" in tail:
            continue
        return amount.value
    return None


# The words of a net/gross column (`labels.TAX_BASIS_CELL`) that say net.
_NET_BASIS = frozenset({"net", "netto", "ht", "h.t.", "neto"})


def _amount_in_column(box: Box, label: Box, first: object) -> object:
    """The amount of `box` that stands over or under `label`: values of a row of captioned
    cells printed close together come as one box ("EUR 184,47 EUR 26 703,21" over
    "TVA 2,1 % | Total TTC"); each amount's place is read from its share of the box's text,
    and the one overlapping the caption most is its value (else the first)."""
    amounts = [
        a for a in find_amounts(box.text, integers=True) if "%" not in box.text[a.end : a.end + 2]
    ]
    if len(amounts) < 2 or not box.text:
        return first
    per_char = (box.x1 - box.x0) / len(box.text)
    best, best_overlap = first, 0.0
    for amount in amounts:
        x0 = box.x0 + per_char * amount.start
        x1 = box.x0 + per_char * amount.end
        overlap = min(x1, label.x1) - max(x0, label.x0)
        if overlap > best_overlap:
            best, best_overlap = amount.value, overlap
    return best


def refine_amounts(
    doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]], folded: list[str]
) -> None:
    roles: dict[str, list[FieldCandidate]] = {
        r: [] for r in ("gross", "net", "vat", "prepaid", "due", "total", "rounding")
    }
    rows: set[tuple[int, object]] = set()  # (line, value) of table rows, not totals
    for found in L.find_labelled(lines, boxes, ANY_AMOUNT_LABEL, _first_amount, right_gap=0.85):
        read = _labelled_amount(found, lines, boxes)
        if read is None:
            continue
        role, value, weight, row_share = read
        if row_share:
            rows.add((found.line, value))
        roles[role].append(FieldCandidate(value, weight, found.line))
    vat_sum = sum(doc.vat_amounts.values(), Decimal(0)) if doc.vat_amounts else None
    if vat_sum is not None:
        roles["vat"].append(FieldCandidate(vat_sum, 0.7, -1))

    gross_pool = roles["gross"] + [
        FieldCandidate(c.value, c.score * 0.7, c.line) for c in roles["total"]
    ]
    labelled_totals = len(gross_pool)
    gross_pool += [FieldCandidate(c.value, c.score * 0.5, c.line) for c in roles["due"]]
    nets = {c.value for c in roles["net"] if (c.line, c.value) not in rows}
    # A sum labelled only "Total" may be the net of a "net + VAT = gross" chain too.
    chain_nets = nets | {c.value for c in roles["total"]}
    vats = {c.value for c in roles["vat"] if (c.line, c.value) not in rows} | {Decimal(0)}
    # Two sums under the same word ("Gesamtsumme 1.246,00", "Gesamtsumme 1.520,12": a layout
    # that drops the "netto" / "brutto" column) apart by a printed VAT of the smaller: the
    # arithmetic says which is the net.
    sums = {c.value for c in roles["gross"] + roles["total"] if (c.line, c.value) not in rows}
    nets |= {s for s in sums if any(_vat_of(vat, s) and s + vat in sums for vat in vats)}
    # A prepayment is deducted whatever sign it is printed with ("Anticipo -400,00").
    prepaid = {abs(c.value) for c in roles["prepaid"] if isinstance(c.value, Decimal) and c.value}
    # Several deductions on their own lines ("abzgl. 1. Abschlagsrechnung", "abzgl. 2. ...")
    # add up; one printed twice (in the totals and in a payment table) is one of them.
    by_line = {c.line: abs(c.value) for c in roles["prepaid"] if isinstance(c.value, Decimal)}
    deducted = prepaid | {sum(by_line.values(), Decimal(0))} if len(by_line) > 1 else prepaid
    # A rounding line moves the amount to pay off the total by its own, signed amount.
    roundings = {c.value for c in roles["rounding"] if isinstance(c.value, Decimal)} | {Decimal(0)}
    dues = {c.value for c in roles["due"]}

    # A net is its own gross where no VAT is added to it (exempt, reverse charge); where a
    # net plus a VAT of it (at most `MAX_VAT_RATE` of it: not a base or a share capital
    # read as one) is printed, a net taken for the total does not reconcile it.
    printed = Counter(a.value for line in lines if nets for a in find_amounts(line.text))
    taxed_sums = [
        net + vat for net in nets for vat in vats if _vat_of(vat, net) and printed[net + vat]
    ]

    def reconciles(g: Decimal) -> bool:
        return any(
            abs(net + vat - g) <= CENT
            for net in nets
            for vat in vats
            if net != g or (vat == 0 and not taxed_sums)
        )

    best: FieldCandidate | None = None
    best_key = None
    for n_pool, c in enumerate(gross_pool):
        value = c.value
        assert isinstance(value, Decimal)
        bonus = 0.0
        if chain_nets and reconciles(value) and (c.line, value) not in rows:
            bonus += 2.0
        if n_pool < labelled_totals and (
            value in dues or any(_less(value, p) in dues for p in prepaid)
        ):
            bonus += 0.5  # a total that the amount due confirms (not the due confirming itself)
        if value in nets and not reconciles(value) and any(net < value for net in nets) is False:
            bonus -= 0.5  # the net total, printed under a generic "Total"
        key = (c.score + bonus, abs(value))
        if best_key is None or key > best_key:
            best, best_key = c, key
    if taxed_sums and (best is None or (best.value in nets and not reconciles(best.value))):
        # No gross label, or a net taken for the total (a tax summary's column under
        # "Amount"): net + VAT, printed somewhere.
        best, best_key = FieldCandidate(max(taxed_sums, key=abs), 1.0, -1), (3.0, Decimal(0))
    if best is None:
        if doc.total is not None:
            doc.confidence["total"] = round(min(doc.confidence.get("total", 0.5), 0.4), 3)
        return
    total = best.value
    assert isinstance(total, Decimal) and best_key is not None
    reconciled = reconciles(total)
    doc.total = total
    doc.confidence["total"] = 0.95 if reconciled else round(min(0.7, 0.35 + 0.15 * best_key[0]), 3)
    if total not in doc.candidate_totals:
        doc.candidate_totals.insert(0, total)
    else:
        doc.candidate_totals.remove(total)
        doc.candidate_totals.insert(0, total)

    doc.amount_due, doc.confidence["amount_due"] = _amount_due(
        total, reconciled, roles, lines, folded, (prepaid, deducted, roundings, dues)
    )


def _label_span(found: L.Labelled, line: Line, folded_row: list[str]) -> tuple[int, int, str]:
    """(first box, end box) of the label an amount was found by, and the net/gross column
    between them (`basis`, or "")."""
    k = line.boxes.index(found.label_box)
    label_end = k + 1
    if found.how == "right":
        # The label is every box from the match to the value ("Rechnungssumme | ohne |
        # USt." or "Gesamtbetrag | der | Zuschläge" when each word is its own box).
        label_end = next(
            (m for m in range(k + 1, len(line.boxes)) if line.boxes[m] is found.box), k + 1
        )
    basis = ""
    if found.how == "right" and L.TAX_BASIS_CELL.fullmatch(folded_row[label_end - 1]):
        basis = folded_row[label_end - 1].strip(" ():")
        if label_end - 1 == k:
            # "Fälliger Betrag | brutto | 1.090,00": the column saying net or gross is no
            # label of its own; the row's caption before it says what the amount is.
            while k > 0 and _first_amount(line.boxes[k - 1].text) is None:
                k -= 1
    return k, label_end, basis


def _labelled_amount(
    found: L.Labelled, lines: list[Line], boxes: list[list[str]]
) -> tuple[str, object, float, bool] | None:
    """(role, value, weight, whether it is one row's share) of an amount found by its label,
    or None when the label names no amount role or the amount is not the label's."""
    n = len(lines)
    line = lines[found.label]
    k, label_end, basis = _label_span(found, line, boxes[found.label])
    row_share = False
    role = _role(" ".join(boxes[found.label][k:label_end]))
    if role is None:
        return None
    if basis in _NET_BASIS:
        if role in ("gross", "total"):
            role = "net"  # "Total amount | net": the column says which total
    elif basis and role == "total":
        role = "gross"
    if found.how != "below" and _ALLOWANCE.search(" ".join(boxes[found.label][:k])):
        # "Gesamtbetrag der Zuschläge"; under a column header the boxes to its left are
        # the other columns' headers ("Zu-/Abschlag | Skonto | Endbetrag"), not its words.
        return None
    if role == "total" and found.how == "below" and not _totals_strip(boxes[found.label]):
        return None  # a column header ("Betrag") over one row's amount
    value = found.value
    if found.how in ("above", "below"):
        value = _amount_in_column(found.box, found.label_box, value)
    if found.how == "right":
        after = [b for b in line.boxes if b.x0 > found.box.x0 and _first_amount(b.text)]
        if after and role == "vat":
            return None  # a table row ("VAT 19 % | 336.00 | 63.84"): the first is the base
        if after and role in ("gross", "total", "due"):
            # "Total | 24.99 | 5.00 | 29.99": net, VAT, gross; the gross is the last.
            value = _first_amount(after[-1].text)
    weight = L.POSITION_WEIGHT[found.how] * (1.0 + 0.3 * found.label / max(n, 1))
    if found.how == "below" and isinstance(value, Decimal):
        value, summed = _column_total(lines, found.line, found.box, value)
        if not summed:
            # The first of several rows under a column header with no sum row (a table
            # per VAT rate): one row's share, which reconciles only with its own row.
            row_share = True
            weight *= 0.6
    if (
        found.how == "right"
        and isinstance(value, Decimal)
        and value > 0
        and label_end > k + 1
        and line.boxes[label_end - 1].text.strip() in ("-", "–", "−")
    ):
        value = -value  # the sign printed in a box of its own: "Bruttosumme | - | 8,79"
    if found.label_box.text.strip().endswith(":") or found.how == "same":
        weight += 0.05
    return role, value, weight, row_share


def _amount_due(
    total: Decimal,
    reconciled: bool,
    roles: dict[str, list[FieldCandidate]],
    lines: list[Line],
    folded: list[str],
    paid: tuple[set[Decimal], set[Decimal], set[Decimal], set[Decimal]],
) -> tuple[Decimal, float]:
    """(amount due, confidence): a labelled due amount that reconciles with the total and a
    prepayment, else the total minus a labelled prepayment, else the total."""
    prepaid, deducted, roundings, dues = paid
    due_value: Decimal | None = None
    confidence = 0.0
    carried = {
        a.value
        for i, line in enumerate(lines)
        if L.CARRIED.search(folded[i])
        for a in find_amounts(line.text)
        if a.value > 0
    }
    for c in sorted(roles["due"], key=lambda c: -c.score):
        value = c.value
        assert isinstance(value, Decimal)
        if (
            value == total
            or any(
                abs(_less(total, p) + r - value) <= CENT
                for p in deducted | {Decimal(0)}
                for r in roundings
            )
            # "Offene Zahlungen 220,00 / Zahlbetrag 440,00": an earlier balance added.
            or any(abs(total + b - value) <= CENT for b in carried)
        ):
            due_value, confidence = value, 0.9
            break
    if due_value is None and prepaid:
        value = _less(total, max(prepaid))
        if value in dues or not dues:
            due_value, confidence = value, 0.7
    if due_value is None and roles["due"]:
        top = max(roles["due"], key=lambda c: c.score)
        if isinstance(top.value, Decimal) and abs(top.value) <= abs(total):
            due_value, confidence = top.value, 0.5
    if due_value is None:
        due_value, confidence = total, 0.6 if reconciled else 0.4
    return due_value, confidence


# The captions of an items table's columns besides its amounts: a row holding one is the
# table's header, not a strip of the totals.
_ITEM_CAPTION = L.kw(
    r"description",
    r"item\w*",
    r"article\w*",
    r"designation",
    r"libelle",
    r"\w*bezeichnung",
    r"artikel\w*",
    r"leistung\w*",
    r"pos\w*",
    r"concepto",
    r"detalle",
    r"service\w*",
    r"product\w*",
    r"produit\w*",
    r"hours?",
    r"rate",
)


def items_header(line: Line) -> bool:
    """Whether `line` heads an items table: two of its boxes or more are short captions of
    its columns ("Name | Description | Units | Unit Price | Amount")."""
    captions = 0
    for box in line.boxes:
        f = _fold(box.text)
        if len(f.split()) <= 3 and not re.search(r"\d", f):
            captions += bool(_ITEM_CAPTION.search(f) or _ALLOWANCE.search(f))
    return captions >= 2


def _totals_strip(captions: list[str]) -> bool:
    """Whether a row of (folded) captions heads the invoice's totals side by side ("Net |
    VAT | Total | Balance due" over their amounts): three of its captions name amounts,
    none an items table's column ("Description | Qty | Price | VAT | Total")."""
    named = sum(bool(ANY_AMOUNT_LABEL.search(c)) for c in captions)
    return named >= 3 and not any(_ALLOWANCE.search(c) or _ITEM_CAPTION.search(c) for c in captions)


def _less(total: Decimal, paid: Decimal) -> Decimal:
    """`total` after a prepayment of `paid` (positive): nearer zero, a credit note's too."""
    return total - paid if total >= 0 else total + paid


def _signed(line: Line, box: Box, value: Decimal) -> Decimal:
    """`value` negated when a lone minus sign is printed just left of its box."""
    k = next((m for m, b in enumerate(line.boxes) if b is box), 0)
    if value > 0 and k > 0 and line.boxes[k - 1].text.strip() in ("-", "–", "−"):
        return -value
    return value


def deduct_payments_received(
    doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]]
) -> None:
    """A table of payments ("Payment | Date | Amount") whose rows are dated on or before the
    invoice: those were received already, and the amount due is what remains. Rows dated
    later are a schedule of payments to come, not payments made."""
    total, issued = doc.total, doc.issue_date
    if total is None or issued is None or doc.amount_due != total or total <= 0:
        return
    for i, line in enumerate(lines):
        heads = boxes[i]
        if not 3 <= len(heads) <= 6 or any(ch.isdigit() for ch in line.text):
            continue
        if not (
            any(L.PAYMENT_HEADER.fullmatch(h.strip(" :")) for h in heads)
            and any(re.search(r"\b(?:date|datum|fecha)\b", h) for h in heads)
            and any(re.search(r"\b(?:amount|montant|betrag|importe)\b", h) for h in heads)
        ):
            continue
        paid: list[Decimal] = []
        for row in lines[i + 1 : i + 6]:
            if row.page != line.page:
                break
            dates: list[date] = []
            amounts: list[Decimal] = []
            for b in row.boxes:
                in_box = [d.value for d in find_dates(b.text)]
                amount = None if in_box else _first_amount(b.text)
                dates += in_box
                amounts += [amount] if amount else []
            if not dates and not amounts:
                continue
            if len(dates) != 1 or len(amounts) != 1 or dates[0] > issued:
                break
            paid.append(amounts[0])
        received = sum(paid, Decimal(0))
        if paid and 0 < received < total:
            doc.amount_due = total - received
            doc.confidence["amount_due"] = 0.6
        return


def settle_on_paid_stamp(doc: ExtractedDocument, lines: list[Line]) -> None:
    """An invoice stamped paid ("PAYÉE", "Bezahlt am ...", "Paid by Visa ****1234 on ...")
    leaves nothing to pay. Only when the amount due is still the whole total and no amount
    is printed as the one to pay: a balance read from the totals, or the seller's own "Net à
    payer" / "Zahlbetrag" (what its e-invoice data states), says more than a stamp."""
    if doc.total is None or doc.amount_due != doc.total or not doc.total:
        return
    if any(L.DUE.search(_fold(line.text)) and find_amounts(line.text) for line in lines):
        return
    if any(_paid_stamp(lines, i, box) for i, line in enumerate(lines) for box in line.boxes):
        doc.amount_due = Decimal("0.00")
        doc.confidence["amount_due"] = 0.6


def _paid_stamp(lines: list[Line], i: int, box: Box) -> bool:
    line = lines[i]
    folded = _fold(box.text).strip()
    if not L.SETTLED_STAMP.fullmatch(folded):
        return False
    # "Payee" is also the English caption of the party paid: the French word only with its
    # accent.
    if folded.split()[0] == "payee" and not re.search(r"[éÉ]", box.text):
        return False
    if len(folded.split()) > 1:
        return True
    # One word could be a caption ("Paid" over the amount paid, or among a row of column
    # captions): a stamp only alone on its line with no amount under it.
    return len(line.boxes) == 1 and not _amount_under(lines, i, box)


def _amount_under(lines: list[Line], i: int, box: Box) -> bool:
    """Whether the next line, close below, has an amount in a box overlapping `box`."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return False
    below = lines[i + 1]
    if below.y0 - box.y1 > 3 * box.height:
        return False
    return any(min(box.x1, b.x1) > max(box.x0, b.x0) and find_amounts(b.text) for b in below.boxes)


def _column_total(lines: list[Line], j: int, box: Box, first: Decimal) -> tuple[Decimal, bool]:
    """Under a column header, rows per VAT rate may come before their sum: when the amounts
    going down the column end with one that is the sum of those above it, that is the
    column's total. Otherwise the first row's amount. With it, whether the value stands for
    the column: the sum, or the column's only amount (not the first of several rows)."""
    values = [_signed(lines[j], box, first)]
    current = box
    rows = 1  # rows of the column's table: amounts without a label of their own
    for m in range(j + 1, min(j + 7, len(lines))):
        line = lines[m]
        if line.page != lines[j].page:
            break
        below = [
            b
            for b in line.boxes
            if min(current.x1, b.x1) - max(current.x0, b.x0) > 0 and _first_amount(b.text)
        ]
        if not below:
            break
        current = below[-1]
        values.append(_signed(line, current, _first_amount(current.text) or Decimal(0)))
        k = next(m for m, b in enumerate(line.boxes) if b is current)
        if rows == len(values) - 1 and not (
            k and re.search(r"[^\W\d_]{3}", line.boxes[k - 1].text)
        ):
            rows += 1  # not "Acompte : 10,00", a labelled amount under the column
    for end in range(len(values) - 1, 0, -1):
        if abs(sum(values[:end], Decimal(0)) - values[end]) <= CENT * end:
            return values[end], True
    return values[0], rows == 1
