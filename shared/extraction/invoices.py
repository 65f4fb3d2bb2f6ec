"""Invoice and credit-note fields read by label and position, then checked against each other.

`refine_invoice` runs after the generic rules of `fields.py` on documents that are invoices or
credit notes (not till receipts). It reads labelled values with `labels.find_labelled` and:
- amounts: gross, net, VAT, prepayment and amount due by role; the gross that reconciles
  (net + VAT = gross, gross - prepaid = due) is preferred, and the confidence is lowered when
  nothing reconciles;
- dates: the issue date apart from due, delivery, order and service-period dates, dates of
  another document (the invoice a credit note corrects) and dates of cited laws;
- the invoice number after a number label or the document title;
- parties: seller and buyer blocks (by their headings, and by the organisation's own name,
  VAT or SIREN when the caller passes them), the supplier's name and VAT from the seller's
  side only. VAT ids with a bad checksum (sample ids) are kept with a low confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import labels as L
from .layout import Box, Line
from .model import ExtractedDocument, OwnParty
from .parsing import (
    _fold,
    find_amounts,
    find_dates,
    find_ibans,
    find_malformed_vat,
    find_sirens,
    find_vat_candidates,
    restore_repeated_digit,
    siren_from_vat,
)

CENT = Decimal("0.01")
# The highest standard VAT rate in the EU (Hungary's), as a share of the net.
MAX_VAT_RATE = Decimal("0.27")


@dataclass
class _Scored:
    value: object
    score: float
    line: int


def refine_invoice(
    doc: ExtractedDocument, lines: list[Line], *, own: OwnParty | None = None
) -> None:
    """Overwrite `doc`'s invoice fields with what labels, layout and arithmetic support."""
    if not lines:
        return
    if own is not None and own.name:
        lines = _split_at_own_name(lines, own.name)
    boxes = L.fold_boxes(lines)
    folded = [_fold(line.text) for line in lines]
    parties = _Parties(lines, boxes, folded, own)
    ours = own is not None and parties.issued_by_own(own, doc.supplier_iban)
    if ours:
        # Our own sales invoice: we are the supplier, read as if no own party were known.
        parties = _Parties(lines, boxes, folded, None)
    _refine_amounts(doc, lines, boxes, folded)
    # The number first: a date after another document's number is not the issue date.
    _refine_number(doc, lines, boxes)
    _refine_dates(doc, lines, boxes, folded)
    _deduct_payments_received(doc, lines, boxes)
    _settle_on_paid_stamp(doc, lines)
    _refine_supplier(doc, lines, boxes, folded, parties)
    if ours:
        assert own is not None
        _state_issued_by_own(doc, own)


def _split_at_own_name(lines: list[Line], name: str) -> list[Line]:
    """Lines whose box runs one party's name into the other's split between the two: a long
    name in the left column printed up to the right column's name, one space apart
    ("Hartmann Logistik UG (haftungsbeschränkt) Schäfer GmbH & Co. KG"), is two boxes when
    either of them is the own name and the other ends with its legal form. Each part keeps
    its share of the box's width."""
    letters = [re.escape(ch) for ch in name if ch.isalnum()]
    if len(letters) < 4:
        return lines
    own = re.compile(r"(?<!\w)" + r"\W*".join(letters) + r"(?!\w)", re.IGNORECASE)
    result = []
    for line in lines:
        split: list[Box] = []
        for box in line.boxes:
            found = own.search(box.text)
            before = box.text[: found.start()].strip() if found else ""
            after = box.text[found.end() :].strip() if found else ""
            if not found or not (
                (before and _ENDS_LEGAL.search(before) and not after)
                or (
                    after
                    and _ENDS_LEGAL.search(after)
                    and not before
                    and not _LEGAL_GOES_ON.match(_fold(after))
                )
            ):
                split.append(box)
                continue
            per_char = (box.x1 - box.x0) / len(box.text)
            cut = found.start() if before else found.end()
            x = box.x0 + per_char * cut
            split.append(Box(box.text[:cut].strip(), box.x0, box.y0, x, box.y1, box.score))
            split.append(Box(box.text[cut:].strip(), x, box.y0, box.x1, box.y1, box.score))
        result.append(Line(split, line.page) if len(split) != len(line.boxes) else line)
    return result


def _state_issued_by_own(doc: ExtractedDocument, own: OwnParty) -> None:
    """The issuer of our own sales invoice is us, in the words the matcher recognises (our VAT
    id, our name) even when the page prints a trade name or the VAT id is unreadable."""
    doc.issued_by_own = True
    vat = _alnum(own.vat or "").upper()
    if vat:
        doc.supplier_vat = vat
        doc.confidence["supplier_vat"] = 0.9
    if own.name and not (doc.supplier_name and _same_party(doc.supplier_name, own.name)):
        doc.supplier_name = own.name
        doc.confidence["supplier_name"] = 0.9


def _same_party(printed: str, known: str) -> bool:
    a, b = _alnum(printed), _alnum(known)
    return bool(a and b) and (a in b or b in a)


def _within_words(compact: str, text: str) -> bool:
    """Whether the letters and digits `compact` stand in `text` as whole words: "Ets Arnaud
    SA" is in "Ets Arnaud SA, Nantes" but not in "Ets Arnaud SARL", another company."""
    if not compact:
        return False
    pattern = r"[^a-z0-9]*".join(re.escape(ch) for ch in compact)
    return re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", _fold(text)) is not None


def _alnum(text: str) -> str:
    """Letters and digits only, folded: how names and identifiers of the parties compare
    ("Atelier Lumière SAS" ~ "ATELIER LUMIERE S.A.S.", "FR 40 303…" ~ "FR40303…")."""
    return re.sub(r"[^a-z0-9]", "", _fold(text))


# --- amounts ---------------------------------------------------------------------------------

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
_ANY_AMOUNT_LABEL = re.compile(
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


def _refine_amounts(  # noqa: C901 - predates the complexity check; split when next changed
    doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]], folded: list[str]
) -> None:
    roles: dict[str, list[_Scored]] = {
        r: [] for r in ("gross", "net", "vat", "prepaid", "due", "total", "rounding")
    }
    n = len(lines)
    rows: set[tuple[int, object]] = set()  # (line, value) of table rows, not totals
    for found in L.find_labelled(lines, boxes, _ANY_AMOUNT_LABEL, _first_amount, right_gap=0.8):
        line = lines[found.label]
        k = line.boxes.index(found.label_box)
        label_end = k + 1
        if found.how == "right":
            # The label is every box from the match to the value ("Rechnungssumme | ohne |
            # USt." or "Gesamtbetrag | der | Zuschläge" when each word is its own box).
            label_end = next(
                (m for m in range(k + 1, len(line.boxes)) if line.boxes[m] is found.box), k + 1
            )
        basis = ""
        if found.how == "right" and L.TAX_BASIS_CELL.fullmatch(boxes[found.label][label_end - 1]):
            basis = boxes[found.label][label_end - 1].strip(" ():")
            if label_end - 1 == k:
                # "Fälliger Betrag | brutto | 1.090,00": the column saying net or gross is no
                # label of its own; the row's caption before it says what the amount is.
                while k > 0 and _first_amount(line.boxes[k - 1].text) is None:
                    k -= 1
        role = _role(" ".join(boxes[found.label][k:label_end]))
        if role is None:
            continue
        if basis in _NET_BASIS:
            if role in ("gross", "total"):
                role = "net"  # "Total amount | net": the column says which total
        elif basis and role == "total":
            role = "gross"
        if found.how != "below" and _ALLOWANCE.search(" ".join(boxes[found.label][:k])):
            # "Gesamtbetrag der Zuschläge"; under a column header the boxes to its left are
            # the other columns' headers ("Zu-/Abschlag | Skonto | Endbetrag"), not its words.
            continue
        if role == "total" and found.how == "below" and not _totals_strip(boxes[found.label]):
            continue  # a column header ("Betrag") over one row's amount
        value = found.value
        if found.how in ("above", "below"):
            value = _amount_in_column(found.box, found.label_box, value)
        if found.how == "right":
            after = [b for b in line.boxes if b.x0 > found.box.x0 and _first_amount(b.text)]
            if after and role == "vat":
                continue  # a table row ("VAT 19 % | 336.00 | 63.84"): the first is the base
            if after and role in ("gross", "total", "due"):
                # "Total | 24.99 | 5.00 | 29.99": net, VAT, gross; the gross is the last.
                value = _first_amount(after[-1].text)
        weight = L.POSITION_WEIGHT[found.how] * (1.0 + 0.3 * found.label / max(n, 1))
        if found.how == "below" and isinstance(value, Decimal):
            value, summed = _column_total(lines, found.line, found.box, value)
            if not summed:
                # The first of several rows under a column header with no sum row (a table
                # per VAT rate): one row's share, which reconciles only with its own row.
                rows.add((found.line, value))
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
        roles[role].append(_Scored(value, weight, found.line))
    vat_sum = sum(doc.vat_amounts.values(), Decimal(0)) if doc.vat_amounts else None
    if vat_sum is not None:
        roles["vat"].append(_Scored(vat_sum, 0.7, -1))

    gross_pool = roles["gross"] + [_Scored(c.value, c.score * 0.7, c.line) for c in roles["total"]]
    labelled_totals = len(gross_pool)
    gross_pool += [_Scored(c.value, c.score * 0.5, c.line) for c in roles["due"]]
    nets = {c.value for c in roles["net"] if (c.line, c.value) not in rows}
    # A sum labelled only "Total" may be the net of a "net + VAT = gross" chain too.
    chain_nets = nets | {c.value for c in roles["total"]}
    vats = {c.value for c in roles["vat"] if (c.line, c.value) not in rows} | {Decimal(0)}
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
        net + vat
        for net in nets
        for vat in vats
        if 0 < vat <= net * MAX_VAT_RATE and printed[net + vat]
    ]

    def reconciles(g: Decimal) -> bool:
        return any(
            abs(net + vat - g) <= CENT
            for net in nets
            for vat in vats
            if net != g or (vat == 0 and not taxed_sums)
        )

    best: _Scored | None = None
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
        best, best_key = _Scored(max(taxed_sums), 1.0, -1), (3.0, 0)
    if best is None:
        if doc.total is not None:
            doc.confidence["total"] = round(min(doc.confidence.get("total", 0.5), 0.4), 3)
        return
    total = best.value
    assert isinstance(total, Decimal)
    reconciled = reconciles(total)
    doc.total = total
    doc.confidence["total"] = 0.95 if reconciled else round(min(0.7, 0.35 + 0.15 * best_key[0]), 3)
    if total not in doc.candidate_totals:
        doc.candidate_totals.insert(0, total)
    else:
        doc.candidate_totals.remove(total)
        doc.candidate_totals.insert(0, total)

    # Amount due: a labelled due amount that reconciles with the total and a prepayment, else
    # the total minus a labelled prepayment, else the total.
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
    doc.amount_due = due_value
    doc.confidence["amount_due"] = confidence


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
    named = sum(bool(_ANY_AMOUNT_LABEL.search(c)) for c in captions)
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


def _deduct_payments_received(
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


def _settle_on_paid_stamp(doc: ExtractedDocument, lines: list[Line]) -> None:
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


# --- dates -----------------------------------------------------------------------------------

_DATE_AFTER_NUMBER = re.compile(
    r"(?<![a-z])(?:vom|von|du|del|of|dated|issued\s(?:at|on)|le|from|am)\s*$"
)
# A business letter's place and date: "München, den 01.11.2024", "Paris, le 3 mars 2026",
# "Madrid, a 18 de marzo de 2026" (the folded text before the date, from the box's start).
_PLACE_DATE = re.compile(
    r"\s*[a-z][a-z'\-]+\.?(?:\s[a-z][a-z'\-]*\.?){0,5},\s*(?:den|le|am|a|el)\s*"
)
# ... and without the article ("London, 16 March 2026", "Madrid, 16 de marzo de 2026",
# "Hamburg, 16.03.2026"): only a town of up to three words, near the top of the first page.
_PLACE_DATE_BARE = re.compile(r"\s*[a-z][a-z'\-]+\.?(?:[\s\-][a-z][a-z'\-]*\.?){0,2},\s*")


def _not_issue(context: str) -> bool:
    return bool(
        L.DUE_DATE.search(context)
        or L.DELIVERY_DATE.search(context)
        or L.ORDER_DATE.search(context)
        or L.OTHER_DOCUMENT_DATE.search(context)
        or L.SERVICE_PERIOD.search(context)
        or L.REGISTRATION_DATE.search(context)
    )


def _dated_clause(label_text: str, match_text: str) -> bool:
    """Whether a plain date word ("dated", "du", "vom") closes a clause naming terms, a price
    list or a law: the date is theirs, not the document's."""
    at = label_text.find(match_text)
    clause = re.split(r"[.:;|]", label_text[: max(at, 0)])[-1]
    return bool(L.TERMS.search(clause) or L.LEGAL_REFERENCE.search(clause))


def _opens_with_other_date_label(text: str) -> bool:
    """The text after a date label (in its box or the next) that holds another date's label
    before its date: that date is the other label's ("Date d'échéance 09/11/2023")."""
    found = find_dates(text)
    return bool(found) and _not_issue(_fold(text[: found[0].start]))


def _refine_dates(  # noqa: C901 - predates the complexity check; split when next changed
    doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]], folded: list[str]
) -> None:
    candidates: list[_Scored] = []
    n = len(lines)
    # Month first only when the document shows it ("11/17/2017" somewhere).
    month_first = any(
        int(m.group(2)) > 12 >= int(m.group(1))
        for line in lines
        for m in re.finditer(r"(?<!\d)(\d{1,2})/(\d{1,2})/(?:19|20)?\d\d(?!\d)", line.text)
    )

    def _date_value(text: str) -> date | None:
        found = find_dates(text, month_first=month_first)
        return found[0].value if found else None

    for pattern, weight in ((L.ISSUE_DATE, 3.0), (L.DATE_WORD, 1.5)):
        for found in L.find_labelled(lines, boxes, pattern, _date_value):
            label_text = boxes[found.label][lines[found.label].boxes.index(found.label_box)]
            if weight < 3.0 and (_not_issue(label_text) or L.ISSUE_DATE.search(label_text)):
                continue
            if weight < 3.0 and _dated_clause(label_text, found.match_text):
                continue  # "Standard terms dated 01/01/2024 apply."
            if weight == 3.0 and L.OTHER_DOCUMENT_DATE.search(label_text):
                continue
            if found.how != "below" and _opens_with_other_date_label(found.text):
                continue  # "30 jours date de facture – Date d'échéance 09/11/2023"
            score = weight * L.POSITION_WEIGHT[found.how] - 0.3 * found.label / max(n, 1)
            candidates.append(_Scored(found.value, score, found.line))
    # "Rechnung Nr. 471102 vom 05.03.2018", "Invoice # X issued at 2019-06-10"; the date may
    # wrap to the next line ("vom" / "05.03.2018").
    for i in range(n):
        f = folded[i]
        number_word = L.NUMBER_WORD.search(f)
        if not (
            L.INVOICE_NUMBER.search(f)
            or L.TITLE_INVOICE.search(f)
            or L.TITLE_CREDIT_NOTE.search(f)
            or (number_word and i < n // 3 and not L.OTHER_NUMBER.search(f[: number_word.start()]))
        ):
            continue
        for j in (i, i + 1):
            wraps = re.search(r"(?<![a-z])(?:vom|von|du|del|dated|of|le)\s*$", f)
            starts = j < n and re.match(r"\s*(?:vom|von|du|del|dated|of|le)\b", folded[j])
            if j >= n or (j > i and not (wraps or starts)):
                continue
            for d in find_dates(lines[j].text, month_first=month_first):
                before = folded[j][: d.start]
                if _quotes_another_number(folded[i] if j > i else before, doc.invoice_number):
                    continue  # "Acompte facture FA-0041 du 02/02/2026": that invoice's date
                if (
                    _DATE_AFTER_NUMBER.search(before)
                    or (
                        j > i
                        and wraps
                        and not before.strip()
                        and not _under_date_label(lines, j, d.start)
                    )
                ) and not _not_issue(before[-30:]):
                    candidates.append(_Scored(d.value, 2.8 - 0.3 * i / max(n, 1), j))
    candidates.extend(_place_dates(lines, month_first))
    candidates.extend(_bare_header_dates(lines, month_first))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        doc.issue_date = best.value  # type: ignore[assignment]
        doc.confidence["issue_date"] = round(min(0.95, 0.4 + 0.15 * best.score), 3)
    elif doc.issue_date is not None:
        # Unlabelled: drop a date that the text says is something else (a law, a delivery).
        for i, line in enumerate(lines):
            for d in find_dates(line.text):
                if d.value != doc.issue_date:
                    continue
                context = folded[i][max(0, d.start - 40) : d.start]
                if i > 0 and not re.sub(r"[\W_]", "", context):
                    context = folded[i - 1][-40:]  # its caption on the line above
                if _not_issue(context) or L.LEGAL_REFERENCE.search(context):
                    doc.confidence["issue_date"] = 0.2
    for found in L.find_labelled(lines, boxes, L.DUE_DATE, _date_value):
        value = found.value
        if isinstance(value, date) and (doc.issue_date is None or value >= doc.issue_date):
            doc.due_date = value
            doc.confidence["due_date"] = round(0.85 * L.POSITION_WEIGHT[found.how], 3)
            break


def _quotes_another_number(text: str, number: str | None) -> bool:
    """Whether `text` quotes a reference (a token with a digit) but not this document's
    `number`: a deposit invoice deducted, the invoice a credit note corrects."""
    if not number:
        return False
    own = _compact(number)
    tokens = [_compact(t) for t in re.findall(r"[\w/.-]*\d[\w/.-]*", text)]
    return bool(tokens) and not any(own in t or t in own for t in tokens if len(t) >= 2)


def _under_date_label(lines: list[Line], j: int, offset: int) -> bool:
    """Whether the date at `offset` of line `j` stands under a box of the line above that
    labels another date: a row of captions over a row of values ("Livré le | Date de facture
    | Commande du" over three dates), not a sentence wrapped onto the next line."""
    value = lines[j].box_at(offset)
    above = lines[j - 1]
    for other in above.boxes[:-1]:  # the last box holds the wrapped sentence's end
        if min(value.x1, other.x1) - max(value.x0, other.x0) > 0:
            f = _fold(other.text)
            return bool(_not_issue(f) or L.DATE_WORD.search(f) or L.ISSUE_DATE.search(f))
    return False


def _place_dates(lines: list[Line], month_first: bool) -> list[_Scored]:
    """The date of a letter's "place, den" line: the issue date where no label names it."""
    found: list[_Scored] = []
    n = len(lines)
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            if "," not in box.text:
                continue
            text = box.text
            if k + 1 < len(line.boxes) and not find_dates(text):
                text = f"{text} {line.boxes[k + 1].text}"
            dates = find_dates(text, month_first=month_first)
            if not dates:
                continue
            place = _fold(text[: dates[0].start])
            if _PLACE_DATE.fullmatch(place) or (
                _PLACE_DATE_BARE.fullmatch(place)
                and line.page == lines[0].page
                and i < PLACE_DATE_BARE_LINES
                and not _labels_a_date(place)
            ):
                found.append(_Scored(dates[0].value, 2.6 - 0.3 * i / max(n, 1), i))
    return found


# A letter's date line without its article stands among the first lines of the first page.
PLACE_DATE_BARE_LINES = 12


def _bare_header_dates(lines: list[Line], month_first: bool) -> list[_Scored]:
    """A date standing alone on a line of the first page's header, or alone in its column
    there, under no caption of another date ("FACTURE" / "20/09/2023" / "nº 2023-6013"):
    the issue date where no label names one; below every labelled or dated-sentence
    candidate."""
    found: list[_Scored] = []
    for i, line in enumerate(lines[:PLACE_DATE_BARE_LINES]):
        if line.page != lines[0].page:
            break
        offset = 0
        for k, box in enumerate(line.boxes):
            start, offset = offset, offset + len(box.text) + 1
            dates = find_dates(box.text, month_first=month_first)
            if len(dates) != 1 or re.sub(r"[\W_]", "", box.text[: dates[0].start]):
                continue
            if re.sub(r"[\W_]", "", box.text[dates[0].end :]):
                continue
            if not _alone_in_its_column(line, k):
                continue  # a sentence's date
            if i > 0 and (
                _not_issue(_fold(lines[i - 1].text)) or _under_date_label(lines, i, start)
            ):
                continue
            found.append(_Scored(dates[0].value, 1.0 - 0.3 * i / PLACE_DATE_BARE_LINES, i))
    return found


def _alone_in_its_column(line: Line, k: int) -> bool:
    """Whether box `k` stands a column's gap away from the boxes beside it on its line (a
    scan reads the logo's words left of the header's date as the same line)."""
    box = line.boxes[k]
    height = box.y1 - box.y0
    before = k == 0 or columns_apart(line.boxes[k - 1], box, height)
    after = k + 1 == len(line.boxes) or columns_apart(box, line.boxes[k + 1], height)
    return before and after


def _labels_a_date(text: str) -> bool:
    """Whether folded `text` holds a date's label or a word that is no town ("Paid, …")."""
    return bool(
        _not_issue(text)
        or L.DATE_WORD.search(text)
        or L.ISSUE_DATE.search(text)
        or L.TERMS.search(text)
        or L.LEGAL_REFERENCE.search(text)
        or _NOT_A_TOWN.search(text)
    )


_NOT_A_TOWN = L.kw(
    r"paid",
    r"payee",
    r"bezahlt",
    r"paye\w*",
    r"pagad[oa]",
    r"signed",
    r"unterschrieben",
    r"signe",
    r"firmado",
    r"total",
    r"invoice",
    r"facture",
    r"rechnung",
    r"factura",
    r"order",
    r"commande",
    r"pedido",
    r"bestellung",
)


# --- invoice number --------------------------------------------------------------------------

_TOKEN = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9/_\-.]{0,39}$")
# The word (and date) after a number, glued to it where OCR lost the spaces: "471102vom05.06.2018"
# for "Nr. 471102 vom 05.06.2018", "R87654321012345VOM".
# A word that could end a code ("du", "del") is cut only with its date, glued or next.
_GLUED_DATE = r"\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})"
_GLUED_DATE_WORD = re.compile(
    rf"(?<=\d)(?:(?:vom|dated)(?:{_GLUED_DATE})?|(?:von|du|del|from){_GLUED_DATE})$",
    re.IGNORECASE,
)
# ... and alone, when a date follows it after a space.
_GLUED_DATE_WORD_ALONE = re.compile(r"(?<=\d)(?:von|du|del|from)$", re.IGNORECASE)


def _number_token(text: str) -> str | None:
    parts = text.strip().lstrip(":#°º. ").split()
    if not parts:
        return None
    # "nºR04215", "N°FA-2024-7": the number sign set against the number.
    token = re.sub(r"^(?:[Nn][°º]|N[Rr]\.|N[Oo]\.)(?=[A-Z0-9])", "", parts[0]).rstrip(".,;:)")
    following = parts[1:]
    if token.lower() in ("nr", "no", "n°", "nº", "num", "#"):
        if len(parts) < 2:
            return None
        token, following = parts[1].rstrip(".,;:)"), parts[2:]
    token = _GLUED_DATE_WORD.sub("", token)
    # A date spans up to four words ("02 Juillet 2015", "2. Juli 2015").
    if following and any(d.start == 0 for d in find_dates(" ".join(following[:4]))):
        token = _GLUED_DATE_WORD_ALONE.sub("", token)  # "562044387du 03/02/2026"
    if not _TOKEN.match(token) or not re.search(r"\d", token):
        return None
    if find_dates(token) and not re.search(r"[A-Za-z]", token):
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*[.,]\d\d", token):
        return None  # an amount
    if find_vat_candidates(token) or find_ibans(token):
        return None  # a tax id or a bank account
    if len(re.sub(r"\D", "", token)) < 2 and len(token) < 3:
        return None
    return token.lstrip("#")


# How far left of a bare "n°" a law's name is looked for ("(décret n°", "la loi du ... n°").
_LAW_WORDS_REACH = 12
# ... and of the words citing a corrected invoice ("Avoir sur facture n°", "Bezug: Rechnung").
_CITED_REACH = 20

_TITLE_THEN_NUMBER = re.compile(
    r"(?<![a-z])(?:\w*rechnung|gutschrift|facture|avoir|factura|invoice|credit\snote)"
    r"(?:\s*\([^)]*\))?\s*(?:n\s?[°º]|no\.?|nr\.?|num(?:ero|ber)?\.?|#|:)?\s*$"
)


def _box_before(line: Line, k: int, folded: list[str]) -> str:
    """Folded text of the box just left of box `k` when it is of the same column (not the
    seller's "Tél. : 03 …" far left of an "N° :"), else ""."""
    if k == 0:
        return ""
    box = line.boxes[k]
    height = max(box.y1 - box.y0, 1.0)
    return folded[k - 1] if box.x0 - line.boxes[k - 1].x1 <= COLUMN_GAP * height else ""


_REF_CAPTION = re.compile(r"\s*(?:ref|reference|referencia|referenz)\.?\s?:?\s*")


def _ref_column_numbers(lines: list[Line], boxes: list[list[str]]) -> list[_Scored]:
    """ "Ref" heading a column of the document's own row of captions, beside its date ("Ref |
    Invoice Date | Pay by" over or under a row of values with a date): the invoice's
    reference."""
    n = len(lines)
    found_numbers: list[_Scored] = []
    for i, line in enumerate(lines):
        row = boxes[i]
        for k, box in enumerate(line.boxes):
            if not _REF_CAPTION.fullmatch(row[k]) or not any(
                L.ISSUE_DATE.search(other) or L.DATE_WORD.search(other)
                for j, other in enumerate(row)
                if j != k and not re.search(r"\d", other)
            ):
                continue
            for how, value_line in (("below", i + 1), ("above", i - 1)):
                if not 0 <= value_line < len(lines) or lines[value_line].page != line.page:
                    continue
                values = lines[value_line]
                if not any(find_dates(b.text) for b in values.boxes):
                    continue  # not the row of the document's values
                under = [b for b in values.boxes if min(box.x1, b.x1) - max(box.x0, b.x0) > 0]
                token = _number_token(under[0].text) if under else None
                if token:
                    score = 2.6 * L.POSITION_WEIGHT[how] - 0.5 * i / max(n, 1)
                    found_numbers.append(_Scored(token, score, value_line))
                    break
    return found_numbers


def _refine_number(doc: ExtractedDocument, lines: list[Line], boxes: list[list[str]]) -> None:
    candidates: list[_Scored] = []
    n = len(lines)
    cited_lines = L.cited_invoice_lines(lines)
    for pattern, weight in ((L.INVOICE_NUMBER, 3.0), (L.NUMBER_WORD, 1.6)):
        for found in L.find_labelled(lines, boxes, pattern, _number_token):
            label_text = boxes[found.label][lines[found.label].boxes.index(found.label_box)]
            before = label_text[: label_text.find(found.match_text)] if found.match_text else ""
            line = lines[found.label]
            k = line.boxes.index(found.label_box)
            previous = _box_before(line, k, boxes[found.label])
            cited = (previous + " " + before)[-_CITED_REACH:] + found.match_text
            if L.ORIGINAL_INVOICE.search(cited) or found.label in cited_lines:
                # "Bezug: Rechnung Nr. …": the invoice this credit note corrects; a number
                # under "Previous invoices": a preceding invoice's.
                continue
            if weight < 3.0:
                if L.OTHER_NUMBER.search(label_text) and not L.INVOICE_NUMBER.search(label_text):
                    continue
                # "Handelsrechnung (380) | Nr. 471102": the title is the box before the label.
                if _TITLE_THEN_NUMBER.search(before) or _TITLE_THEN_NUMBER.search(previous + " "):
                    weight_here = 3.2
                elif L.OTHER_NUMBER.search(before) or L.OTHER_NUMBER.search(previous):
                    continue
                elif L.LEGAL_REFERENCE.search((previous + " " + before)[-_LAW_WORDS_REACH:]):
                    continue  # "décret n° 2012-1115", "loi n° 80-335": a law's number
                else:
                    weight_here = weight
            else:
                if L.OTHER_NUMBER.search(before) and not L.TITLE_INVOICE.search(before):
                    continue
                weight_here = weight
            score = weight_here * L.POSITION_WEIGHT[found.how] - 0.5 * found.label / max(n, 1)
            candidates.append(_Scored(found.value, score, found.line))
    candidates.extend(_ref_column_numbers(lines, boxes))
    # "Facture FA-2017-0009", "Avoir AV-2017-0005": a title followed by a numbered token.
    for i, line in enumerate(lines[: max(12, n // 3)]):
        for k, box in enumerate(line.boxes):
            f = boxes[i][k]
            match = re.match(
                r"\s*(?:\w*rechnung|gutschrift|facture|avoir|factura|invoice|credit\snote)"
                r"(?:\s(?:rectificativa|de\sabono|d.avoir))?\s+",
                f,
            )
            if match:
                token = _number_token(box.text[match.end() :])
                if token and re.search(r"[A-Za-z]", token) or (token and len(token) >= 4):
                    candidates.append(_Scored(token, 2.5 - 0.5 * i / max(n, 1), i))
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.line))
        doc.invoice_number = str(best.value).strip(".-:")
        doc.confidence["invoice_number"] = round(min(0.9, 0.25 * best.score + 0.1), 3)


# --- parties ---------------------------------------------------------------------------------


_REPRESENTATIVE = L.kw(r"repr\w*", r"fiscal\w*", r"tax\s?rep\w*", r"vertret\w*", r"agent")
# The caption of a tax representative's block, alone on its line ("Représentant fiscal",
# "Fiscal representative", "Fiskalvertreter", "Representante fiscal"): neither a party's name
# nor part of the block above it.
_REPRESENTATIVE_CAPTION = re.compile(
    r"\s*(?:(?:le|el|the|der|die)\s)?(?:(?:representant|representante)\s(?:fiscal|tributario)"
    r"|(?:fiscal|tax|vat)\s?representative|fiskalvertret(?:er|ung)"
    r"|steuerliche[rn]?\s?vertret(?:er|ung))\s?:?\s*"
)


# What separates the parts of a return-address line: "Vogt GmbH · Lindenweg 4 · 79098 Freiburg".
_SENDER_SPLIT = re.compile(r"\s*[·•|]\s*|\s+[-–]\s+")
_POSTCODE_CITY = re.compile(r"(?<!\d)(?:[A-Z]{1,2}-?)?\d{4,5}\s+[^\W\d]{2,}")
# The return-address line is printed above the address window, near the top of page one.
SENDER_LINE_SEARCH = 20
# ... and in the upper half of the page's text (DIN 5008: 45 mm down an A4 page of 297 mm).
SENDER_LINE_REACH = 0.5
ADDRESS_WINDOW_LINES = 6


def _sender_line(lines: list[Line]) -> tuple[int, list[tuple[int, Box]]] | None:
    """The return-address line ("name · street · postcode city" on one line above the
    recipient's address) and the address window under it, or None."""
    first_page = lines[0].page
    # A footer "name · street · city" line over the legal mentions is not a return address,
    # even on a short page where it falls within the first `SENDER_LINE_SEARCH` lines.
    page_bottom = max(line.y1 for line in lines if line.page == first_page)
    for i, line in enumerate(lines[:SENDER_LINE_SEARCH]):
        if line.page != first_page or line.y0 > SENDER_LINE_REACH * page_bottom:
            break
        parts = [p for p in _SENDER_SPLIT.split(line.text) if p.strip()]
        if len(parts) < 3 or re.search(r"\d", parts[0]) or not _name_text(parts[0]):
            continue
        if not _POSTCODE_CITY.search(" ".join(parts[1:])):
            continue
        window = _address_window(lines, i)
        if window:
            return i, window
    return None


def _address_window(lines: list[Line], sender: int) -> list[tuple[int, Box]]:
    """The recipient's address block right under a return-address line: the boxes of its
    column down to the line with a postcode and city; empty if there is no such block."""
    top = lines[sender]
    x0 = top.boxes[0].x0
    height = max(top.y1 - top.y0, 1.0)
    block: list[tuple[int, Box]] = []
    last = top.y1
    for j in range(sender + 1, min(sender + 1 + ADDRESS_WINDOW_LINES, len(lines))):
        line = lines[j]
        if line.page != top.page or line.y0 - last > 3.0 * height:
            break
        inside = [b for b in line.boxes if abs(b.x0 - x0) <= 3 * height]
        if not inside:
            # A line of another column set on its own baseline between two of the block's
            # lines ("6 :" wrapped in the right-hand column): not the block's end.
            continue
        block.extend((j, b) for b in inside)
        last = line.y1
        if _POSTCODE_CITY.search(inside[0].text):
            return block
    return []


# A gap wider than this many box heights between two boxes of a line separates two columns.
COLUMN_GAP = 4.0
# Lines of one address block follow each other within this many box heights of blank.
BLOCK_GAP = 1.2


def columns_apart(left: Box, right: Box, height: float) -> bool:
    """Whether a column's gap (`COLUMN_GAP` times `height`, the text's height) separates two
    boxes of a line."""
    return right.x0 - left.x1 > COLUMN_GAP * max(height, 1.0)


def _runs_on(upper: Line, lower: Line, height: float) -> bool:
    """Whether `lower` continues the block of `upper` (same page, no blank line between)."""
    return upper.page == lower.page and lower.y0 - upper.y1 <= BLOCK_GAP * height


# "Service Provider" heads the seller's block only beside the buyer's caption ("Service
# Provider | Client"): alone, it may name a platform's partner, the hotel or the driver.
_SERVICE_PROVIDER = re.compile(r"\s*service\s?provider\s*:?\s*")
_NOT_HEADING = re.compile(
    r"service(?!\s?provider)|nummer|nr|number|(?<![a-z])(?:id|ref\w*|code|no)(?![a-z])"
)


class _Parties:
    """Seller and buyer blocks: the lines under a "Seller"/"Buyer" heading in its column, and
    the lines where the organisation's own name, VAT or SIREN appear (the buyer's side of a
    purchase invoice)."""

    def __init__(
        self, lines: list[Line], boxes: list[list[str]], folded: list[str], own: OwnParty | None
    ) -> None:
        self.seller: list[tuple[int, Box]] = []
        self.buyer: list[tuple[int, Box]] = []
        self._buyer_keys: set[tuple[int, int]] = set()
        self._keyed = 0
        self.buyer_lines: set[int] = set()
        for i, line in enumerate(lines):
            for k, box in enumerate(line.boxes):
                f = boxes[i][k]
                if len(f.split()) > 4 or re.search(r"\d{3}", f):
                    continue  # a heading is short
                provider = _SERVICE_PROVIDER.fullmatch(f) and any(map(L.BUYER.search, boxes[i]))
                is_seller = L.SELLER.search(f) or L.FROM_CAPTION.fullmatch(f) or provider
                is_buyer = L.BUYER.search(f) or L.TO_CAPTION.fullmatch(f)
                if not (is_seller or is_buyer) or _NOT_HEADING.search(f):
                    continue  # "Kundennummer", "Client ref", "Code client": a reference's label
                if _REPRESENTATIVE.search(f):
                    continue  # a tax representative's block is neither party's
                if _LEGAL.search(box.text):
                    continue  # a name with a legal form, not a heading ("Supplies Ltd.")
                value = line.boxes[k + 1] if k + 1 < len(line.boxes) else None
                if value is not None and self._in_gutter(lines, i, box, value):
                    # "From:  Acme SARL" with the address under the name, not under the label:
                    # the block is the value's column, starting on the label's own line.
                    # It ends before the next box of the label's line (another column).
                    right = line.boxes[k + 2].x0 if k + 2 < len(line.boxes) else float("inf")
                    block = [(i, value), *self._block(lines, i, value, right, True)]
                else:
                    right = value.x0 if value is not None else float("inf")
                    block = self._block(lines, i, box, right)
                if not (L.SELLER.search(f) or L.BUYER.search(f) or provider) and not (
                    block and _name_text(block[0][1].text)
                ):
                    continue  # "From 01.03 to 31.03": a bare "From"/"To" heads only a name
                if is_buyer and not (is_seller and is_seller.start() < is_buyer.start()):
                    self.buyer.extend(block)
                    self.buyer_lines.update(j for j, _ in block)
                    self.buyer_lines.add(i)
                else:
                    self.seller.extend(block)
        found = _sender_line(lines)
        self.sender = found[0] if found is not None else -1
        if found is not None:
            # A business letter's return-address line names the sender; the address window
            # under it, the recipient (DIN 5008 and its French and Spanish kin).
            sender, window = found
            self.seller.append((sender, lines[sender].boxes[0]))
            self.buyer.extend(window)
            self.buyer_lines.update(j for j, _ in window)
        # The blocks as their headings make them, before the own party's marks are added.
        self._labelled_buyer_lines = set(self.buyer_lines)
        self.own_lines: set[int] = set()
        self.own_boxes: set[tuple[int, int]] = set()
        self.own_names: list[str] = []
        self.own_texts: list[str] = []
        self.own_name_printed = False
        self.own_vat = re.sub(r"[^A-Z0-9]", "", (own.vat or "").upper()) if own else ""
        self.own_siren = (own.siren or siren_from_vat(self.own_vat) or "") if own else ""
        if own is not None:
            self._mark_own(lines, own)

    @staticmethod
    def _in_gutter(lines: list[Line], i: int, label: Box, value: Box) -> bool:
        """Whether `label` stands in a left gutter beside its block: the next line has nothing
        under the label, only boxes from `value`'s column on."""
        if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
            return False
        height = max(label.y1 - label.y0, 1.0)
        below = lines[i + 1].boxes
        return (
            lines[i + 1].y0 - lines[i].y1 <= 2.6 * height
            and all(b.x0 >= value.x0 - height for b in below)
            and any(abs(b.x0 - value.x0) <= height for b in below)
        )

    @staticmethod
    def _block(
        lines: list[Line], i: int, heading: Box, right: float, gutter: bool = False
    ) -> list[tuple[int, Box]]:
        """Boxes of the column under `heading` (from its left edge to `right`), until a gap;
        with `gutter`, also until a line with a box left of the column (the next caption in
        the gutter, or the body starting at the margin)."""
        block: list[tuple[int, Box]] = []
        height = max(heading.y1 - heading.y0, 1.0)
        last = heading.y1
        for j in range(i + 1, min(i + 9, len(lines))):
            line = lines[j]
            if line.page != lines[i].page or line.y0 - last > 2.6 * height:
                break
            if gutter and any(b.x0 < heading.x0 - height for b in line.boxes):
                break
            inside = [
                b for b in line.boxes if b.x0 >= heading.x0 - height and b.x0 < right - height
            ]
            for before, after in zip(inside, inside[1:], strict=False):
                if after.x0 - before.x1 > COLUMN_GAP * height and not before.text.rstrip().endswith(
                    ":"
                ):
                    # A wide gutter, not after a label: the boxes past it are another column's
                    # (a caption alone on its line over the buyer's block, the seller's beside).
                    right = after.x0 + height
                    inside = [b for b in inside if b.x0 < after.x0]
                    break
            if (
                inside
                and inside[0].x0 > heading.x0 + COLUMN_GAP * height
                and not any(abs(b.x0 - inside[0].x0) <= height for _, b in block)
            ):
                # Nothing under the heading on this line, only a box far to its right and
                # under none of the block's values: a line of the next column (a
                # right-aligned block reaching leftwards), not a wrapped value.
                inside = []
            if not inside:
                if not block:
                    # Side-by-side panels whose first rows are the other panel's only (a
                    # buyer's reference beside nothing): the page runs on, so does the gap's
                    # measure.
                    last = line.y1
                continue
            if items_header(line):
                break  # the items table follows the parties' blocks
            f = _fold(inside[0].text)
            if _REPRESENTATIVE_CAPTION.fullmatch(f):
                break  # a tax representative's block follows: neither party's
            if (
                (
                    L.SELLER.search(f)
                    or L.BUYER.search(f)
                    or L.FROM_CAPTION.fullmatch(f)
                    or L.TO_CAPTION.fullmatch(f)
                )
                and len(f.split()) <= 4
                and not re.search(r"\d", f)
                and not _LEGAL.search(inside[0].text)
                and (block or not _Parties._name_over_address(lines, j, inside[0]))
            ):
                break  # the next heading
            block.extend((j, b) for b in inside)
            last = line.y1
        return block

    @staticmethod
    def _name_over_address(lines: list[Line], j: int, box: Box) -> bool:
        """Whether `box`, first under a heading and worded like one, is the block's name: the
        line under it, from the same left edge, is no name but an address or an identifier
        ("AU VENDEUR DU COIN" over "12 rue des Lilas"). Headings stacked one over the other
        ("Seller" over "Verkäufer") head a name."""
        if j + 1 >= len(lines) or lines[j + 1].page != lines[j].page:
            return False
        height = max(box.y1 - box.y0, 1.0)
        if lines[j + 1].y0 - lines[j].y1 > BLOCK_GAP * height:
            return False
        under = [b for b in lines[j + 1].boxes if abs(b.x0 - box.x0) <= height]
        return bool(under) and _name_text(under[0].text) is None

    def _mark_own(self, lines: list[Line], own: OwnParty) -> None:
        keys: list[str] = []
        if own.name:
            name = _alnum(own.name)
            if len(name) >= 3:
                keys.append(name)
                self.own_names.append(name)
                self.own_texts.append(own.name)
                self.own_name_printed = any(_within_words(name, line.text) for line in lines)
        if own.vat:
            keys.append(_alnum(own.vat))
        if own.siren:
            keys.append(re.sub(r"\D", "", own.siren))
        if not keys:
            return
        seller_boxes = {(j, id(b)) for j, b in self.seller}
        for i, line in enumerate(lines):
            for box in line.boxes:
                box_compact = _alnum(box.text)
                if any(
                    key in box_compact
                    and (
                        key not in self.own_names
                        or (_within_words(key, box.text) and not self._longer_name(box.text))
                    )
                    for key in keys
                    if len(key) >= 3
                ) or (own.siren and re.sub(r"\D", "", own.siren) in re.sub(r"\D", "", box.text)):
                    self.own_lines.add(i)
                    self.own_boxes.add((i, id(box)))
                    self._mark_own_block(lines, i, box, seller_boxes)

    def _mark_own_block(
        self, lines: list[Line], i: int, box: Box, seller_boxes: set[tuple[int, int]]
    ) -> None:
        """The own party's block as the buyer's: `box` and the few lines of its column
        around, as far as the lines run on without a blank (a block stacked above or below
        it in the same column, "From:" over "To:", is another party's). A box under a
        "Seller" heading stays the seller's, however close the lines run."""
        height = max(box.y1 - box.y0, 1.0)
        first = last = i
        while first > max(0, i - 3) and _runs_on(lines[first - 1], lines[first], height):
            first -= 1
        while last < min(len(lines), i + 5) - 1 and _runs_on(lines[last], lines[last + 1], height):
            last += 1
        for j in range(first, last + 1):
            if j == self.sender:
                continue  # the return address over the window is the sender's
            for other in lines[j].boxes:
                if (j, id(other)) not in seller_boxes and abs(other.x0 - box.x0) <= 2 * height:
                    self.buyer.append((j, other))
                    self.buyer_lines.add(j)

    def _longer_name(self, text: str) -> bool:
        """Whether `text` reads as another organisation's name that merely holds the own name
        ("Zahlbar an Softwareentwicklung Krause GmbH & Co. KG" for "Krause GmbH")."""
        name = _name_text(text)
        return name is not None and not self.is_own_name(name)

    # How far down the first page a letterhead reaches, in lines.
    LETTERHEAD_LINES = 6

    def issued_by_own(self, own: OwnParty, printed_iban: str | None) -> bool:
        """Whether the document was issued by the own party (a sales invoice of ours).

        Evidence, from strongest: the bank details to pay are ours (a supplier never prints
        its customer's IBAN to be paid on); our identity stands under a "Seller" heading; a
        headed buyer block ("Client", "Bill to") names someone else while our identity heads
        the first page. Without such evidence the own party is the buyer: a purchase
        invoice's buyer block is often unlabelled, and reading a purchase as a sale would
        keep it from ever being matched."""
        if printed_iban and _alnum(printed_iban) in {_alnum(iban) for iban in own.ibans}:
            return True
        if not self.own_lines:
            return False
        if self.own_boxes & {(j, id(b)) for j, b in self.seller}:
            # Our identity inside the seller's block itself, not merely on one of its lines:
            # side-by-side "Seller" / "Buyer" panels share their lines.
            return True
        return (
            bool(self._labelled_buyer_lines)
            and not self.own_lines & self._labelled_buyer_lines
            and min(self.own_lines) < self.LETTERHEAD_LINES
        )

    def in_buyer(self, i: int, box: Box) -> bool:
        if self._keyed != len(self.buyer):
            self._buyer_keys = {(j, id(b)) for j, b in self.buyer}
            self._keyed = len(self.buyer)
        return (i, id(box)) in self._buyer_keys

    # A printed name inside the own name (or around it) is the own name only when it covers
    # most of it: "Atelier Lumière" ~ "Atelier Lumière SAS", but "Voigt GmbH" sells to
    # "Bürobedarf Voigt GmbH & Co. KG".
    OWN_NAME_COVER = 0.75

    def is_own_name(self, name: str) -> bool:
        compact = _alnum(name)
        return any(
            (
                (own in compact and _within_words(own, name))
                or (compact in own and _within_words(compact, text))
            )
            and min(len(own), len(compact)) >= self.OWN_NAME_COVER * max(len(own), len(compact))
            for own, text in zip(self.own_names, self.own_texts, strict=True)
            if compact
        )


_NOT_NAME = L.kw(
    r"nummer",
    r"number",
    r"numero",
    r"n[°º]",
    r"nr",
    r"gln",
    r"id",
    # A phone's label, not every word it opens ("Deutsche Telekom AG", "Telefónica").
    r"tel",
    r"telf",
    r"telefon(?:nummer|nr)?",
    r"telefono",
    r"telephone",
    r"telefax",
    r"phone",
    r"fax",
    r"e-?mail",
    r"www",
    r"http\w*",
    r"iban",
    r"bic",
    r"swift",
    r"tva",
    r"vat",
    r"ust\w*",
    r"steuer(?!berat)\w*",  # a tax adviser's firm is a name ("Steuerberatungsgesellschaft")
    r"mwst",
    r"iva",
    r"n\.?\s?i\.?\s?f",
    r"c\.?\s?i\.?\s?f",
    r"uid",
    r"btw",
    r"company\s?no",
    r"registro",
    r"handelsregister\w*",
    r"siret",
    r"siren",
    r"rcs",
    r"anschrift",
    r"adresse",
    r"address",
    r"contact",
    r"kontakt",
    r"date",
    r"datum",
    r"page",
    r"seite",
    r"stylesheet",
    r"beispiel\w*",
    r"example",
    r"sample",
    r"muster\w*rechnung",
    r"visualisierung",
    r"erechnung",
    r"xml",
    r"zugferd",
    r"factur-?x",
    r"logo",
    r"\w*datum",
    r"referenz\w*",
    r"bitte",
    r"please",
    r"veuillez",
    r"references?",
    r"referenzen",
    r"referencias",
)
# A street's word opens an address line; before a legal form it is part of a name ("Rue du
# Commerce SAS", "Avenue Software Ltd").
_ADDRESS_WORD = L.kw(
    r"strasse",
    r"str",
    r"rue",
    r"street",
    r"calle",
    r"avenue",
    r"road",
    r"\w*(?:strasse|straße|str\.|weg|platz|allee|gasse|damm)",
    r"chemin",
    r"boulevard",
    r"avenida",
)
# A country alone is an address's last line; before a legal form it is part of a group's
# national company's name ("Vodafone Deutschland GmbH", "Orange France SA").
_COUNTRY = L.kw(
    r"deutschland",
    r"germany",
    r"france",
    r"espana",
    r"spain",
    r"belgique",
    r"belgie",
    r"nederland",
    r"osterreich",
    r"austria",
    r"schweiz",
    r"suisse",
    r"italia",
    r"italy",
    r"luxembourg",
    r"united\s?kingdom",
)
# The final dot of "S.A." / "S.L." is optional: `_name_text` trims it off a name.
_LEGAL = re.compile(
    r"(?<![A-Za-z])(?:GMBH|AG|KG|KGAA|OHG|UG|GBR|PARTG|E\.?\s?K\.?|E\.?\s?V\.?|A\.?\s?G\.?|"
    r"SARL|SAS|SASU|EURL|SA|SNC|SCI|SCP|SCOP|SELARL|SELAS|SPRL|SCRL|DAC|CLG|"
    r"S\.A\.T|S\.L\.L|S\.L\.N\.E|S\.\s?COOP|S\.\s?COM|S\.C\.P|"
    r"S\.A(?:\.S|\.U)?|S\.L(?:\.U)?|SL|SLU|SAU|B\.?V\.?|N\.?V\.?|LTD|LIMITED|PLC|LLC|INC|CORP|LLP|SDN\.?\s?BHD|BHD|"
    r"S\.?R\.?L\.?|SPA|S\.P\.A\.?|SE|CO\.?)(?![A-Za-z])\.?",
    re.IGNORECASE,
)
_REGISTRY = L.kw(
    r"gesch(?:a|ae)ftsf(?:u|ue)hr\w*",
    r"handelsregister\w*",
    r"registergericht",
    r"amtsgericht",
    r"hrb",
    r"hra",
    r"capital",
    r"kapital",
    r"rcs",
    r"siret",
    r"siren",
    r"registered",
    r"company\s?(?:no|number|reg\w*)",
    r"registro\s?mercantil",
    r"vorstand",
    r"sitz",
    r"ape",
    r"naf",
)


def _legal_form_below(lines: list[Line], i: int) -> bool:
    """Whether a line of legal mentions opening with a legal form follows line `i` within
    two lines ("Société Hôtelière du Pacano" / its address / "SASU au capital de 200000 €
    - SIRET ..."): the name's legal form is printed there, not after it."""
    for line in lines[i + 1 : i + 3]:
        opening = _LEGAL.match(line.text.strip())
        if opening and _LEGAL_MENTION.match(" " + line.text.strip()[opening.end() :]):
            return True
    return False


_LEGAL_MENTION = re.compile(
    r"[\s,]+(?:au\s+capital|capital\s+social|soci[ée]t[ée]\s+(?:anonyme|par\s+actions)|"
    r"si[èe]ge\s+social|rcs\b|siret\b|siren\b|mit\s+sitz|sitz\b|registergericht|"
    r"amtsgericht|hrb\b|hra\b|registered\s+(?:office|in)|company\s+(?:no|number)|"
    r"capital\s+de|con\s+domicilio|inscrita\s+en)",
    re.IGNORECASE,
)


# A letter-spaced heading ("B L A C K W O O D   L T D"): its words are the runs of single
# letters, parted by wider gaps where the text keeps them.
_SPACED_WORD = re.compile(r"(?:[^\W\d_] )+[^\W\d_]")
# Legal forms set off from a letter-spaced name once its letters are joined and the gap
# before the form was lost: only forms no common word ends with ("...SA" would part MIMOSA).
_JOINED_LEGAL_END = re.compile(
    r"(?<=[^\W\d_]{3})(?:GMBH|LTD|LIMITED|LLP|PLC|LLC|INC|SARL|SASU|SAS|EURL)$"
)


def unspaced_letters(text: str) -> str:
    """`text` with its letter-spacing undone when it is a letter-spaced heading: "B L A C K
    W O O D   L T D" and "B L A C K W O O D L T D" read "BLACKWOOD LTD"; other text as is.

        >>> unspaced_letters("M O D E")
        'MODE'
    """
    chunks = re.split(r"\s{2,}", text.strip())
    if not all(_SPACED_WORD.fullmatch(c) for c in chunks) or len(text.split()) < 3:
        return text
    words = [c.replace(" ", "") for c in chunks]
    if len(words) == 1:
        words[0] = _JOINED_LEGAL_END.sub(r" \g<0>", words[0])
    return " ".join(words)


# A name ending in a number ("Studio 54", "Club 55") reads like a street and its house number.
_NUMBERED_NAME = re.compile(r"[^\W\d_][^\d,:]*\s\d{1,4}")
# The street line of an address: its house number first ("14 Church Road", "8 rue des
# Lilas"), or the street, a German one in one word, then its number ("Calle Mayor 12",
# "Hauptstraße 9").
_STREET_LINE = re.compile(
    r"\d{1,5}[a-z]?,?\s+[^\W\d_]{2,}.*"
    r"|.*(?:strasse|straße|str\.|weg|platz|allee|gasse|damm|ring|ufer)\s?\d{1,4}[a-z]?\b.*"
    r"|(?:rue|avenue|av\.|boulevard|bd|chemin|calle|avda\.?|avenida|paseo|plaza|c/)\s.*\d.*",
    re.IGNORECASE,
)


def _numbered_name(name: str, lines: list[Line]) -> str | None:
    """`name` when it ends in a number yet heads the address, the line under it being the
    street: a street is not printed over another street ("Studio 54" / "14 Church Road"),
    while "Hauptstraße 9" has its town under it."""
    if not _NUMBERED_NAME.fullmatch(name) or _STREET_LINE.fullmatch(name):
        return None
    for i, line in enumerate(lines[:-1]):
        if line.boxes and line.boxes[0].text.strip() == name:
            under = lines[i + 1]
            if under.page == line.page and _STREET_LINE.fullmatch(under.boxes[0].text.strip()):
                return name
            return None
    return None


# An English-speaking street line: its house number, then the street's name closed by its kind
# ("123 Main St", "4500 Lakeshore Blvd.", "9 Quay Street"), which no firm is named after.
_NUMBER_FIRST_STREET = re.compile(
    r"\d{1,6}[a-z]?,?\s+(?:[^\W\d_][\w'.-]*\s+){1,4}(?:st|street|rd|road|ave|avenue|blvd"
    r"|boulevard|lane|ln|drive|dr|way|ct|court|pl|place|hwy|highway|pkwy|parkway|terrace|ter"
    r"|sq|square|close|crescent|cres)\.?",
    re.IGNORECASE,
)
# The unit within a building an address may add on a line of its own ("Suite 100",
# "Building B", "Floor 3", "Bâtiment C", "Etage 2"): never a name.
_ADDRESS_UNIT = re.compile(
    r"(?:suite|ste\.?|building|bldg\.?|floor|unit|apt\.?|apartment|room|b[aâ]timent|bat\.?"
    r"|[eé]tage|escalier|geb[aä]ude|stock|haus|planta|piso|edificio)\s+(?:\d{1,4}[a-z]?|[a-z]|[ivx]{1,4})",
    re.IGNORECASE,
)
# A British postcode closing a line: "Reading RG1 2LU", "London SW1A 1AA".
_UK_POSTCODE_END = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$")


def _name_text(text: str) -> str | None:
    """`text` as a party name, or None if it is a label, an address or a sentence."""
    # "Zahlbar an Haas KG": the payee's name without its label.
    name = unspaced_letters(L.PAYEE_LABEL.sub("", text).strip())
    name = re.sub(r"\s+", " ", name).strip(" ;,.-*|•●·")
    name = L.TRADING_NAME_OF.sub("", name)
    # A bullet or a bar parts a name from what follows even where OCR lost the spaces
    # around it ("Bonnet Plomberie SA·au capital", "... SARL |au capital"): no name holds one.
    name = re.split(r"\s+[-–]\s+|\s*[|•●·]\s*", name)[0].strip()
    for run_in in (
        r"(.+)\s+[^\s:]+\s?:",
        r"(.+)\s+[^\s:]+\s[^\s:]+\s?:",
        r"(.+\.)[^\s:.]+\s?:",
    ):
        # "Harrington Services Limited Company:": a long name printed into the next column,
        # up to that column's label (glued to it when the name overflows its cell:
        # "Distribuciones del Levante S.A.T.Name:").
        head = re.fullmatch(run_in, name)
        if (
            head
            and _ENDS_LEGAL.search(head.group(1))
            and head.group(1).count("(") == head.group(1).count(")")
            and not _NOT_NAME.search(_fold(head.group(1)))
            and not _ADDRESS_WORD.search(_fold(head.group(1)))
            and not _ANY_AMOUNT_LABEL.search(_fold(head.group(1)))
        ):
            name = head.group(1)
            break
    if name.endswith(":"):
        return None  # a label whose value is elsewhere or left empty ("Compte :")
    name = name.lstrip(" :")
    # "Caron SARL au capital de 10 000 €", "Vogt GmbH, Sitz Freiburg": the legal mention
    # that follows a name in a footer is not part of it.
    name = _LEGAL_MENTION.split(name)[0].strip(" ,;")
    # "Atelier Duval, SAS au capital de ...": the form is the name's, the comma the footer's.
    name = re.sub(r",\s*(?=(?:" + _LEGAL.pattern + r")$)", " ", name, flags=re.IGNORECASE)
    if not name or _NOT_NAME.search(_fold(name)) or _REPRESENTATIVE_CAPTION.fullmatch(_fold(name)):
        return None
    if (_COUNTRY.search(_fold(name)) or _ADDRESS_WORD.search(_fold(name))) and not (
        _ENDS_LEGAL.search(name)
    ):
        return None
    if _ANY_AMOUNT_LABEL.fullmatch(_fold(name)):
        return None  # "Total", "Net à payer": the label of an amount, whatever else fails
    letters = sum(ch.isalpha() for ch in name)
    if letters < 3 or letters < 0.6 * len(name.replace(" ", "")):
        return None
    if len(name.split()) > 7 or re.search(r"\d{5,}", name):
        return None
    if re.search(r"\d{4}", name) and not _ENDS_LEGAL.search(name):
        return None  # "1000 Bruxelles", a date; "Garage 2000 GmbH" is a name
    if ":" in name or "@" in name or re.search(r"\s\d{1,4}\s?[a-zA-Z]?$", name):
        return None  # a label, or a street and its house number
    if _UK_POSTCODE_END.search(name):
        return None  # a town and its postcode ("Reading RG1 2LU")
    if _NUMBER_FIRST_STREET.fullmatch(name) or _ADDRESS_UNIT.fullmatch(name):
        return None  # "123 Main St", "Suite 100", "Building B": a line of an address
    return name


# A box that is the document's title alone ("FACTURA RECTIFICATIVA", "VAT INVOICE").
_TITLE_BOX = re.compile(
    rf"(?:vat\s)?(?:{L.TITLE_INVOICE.pattern}|{L.TITLE_CREDIT_NOTE.pattern})\s?[:.]?"
)


# A phrase that ends with a legal form ("… GmbH", "… UG (haftungsbeschränkt)", "… S.L.U.")
# and the words that may still follow one ("GmbH & Co. KG", "S.A. de C.V.").
_ENDS_LEGAL = re.compile(rf"(?:{_LEGAL.pattern})\s*(?:\([^)]*\))?\s*$", re.IGNORECASE)
_LEGAL_GOES_ON = re.compile(r"\s*(?:&|\+|und\b|and\b|et\b|y\b|co\b|de\b|\()")


def _phrase(line: Line, k: int) -> str:
    """Box `k` and the boxes right after it that are close enough to be the same phrase (some
    PDFs set every word apart: "Werkzeug" "GmbH"), short of a title printed on the same line
    ("Distribuciones Ruiz S.L.U.  FACTURA RECTIFICATIVA")."""
    words = [line.boxes[k].text]
    last = line.boxes[k]
    for other in line.boxes[k + 1 :]:
        height = max(last.y1 - last.y0, 1.0)
        # A letter-spaced heading sets its words wider apart: kept apart by two spaces,
        # which `unspaced_letters` reads as the gap between words.
        spaced = bool(_SPACED_WORD.fullmatch(last.text) and _SPACED_WORD.fullmatch(other.text))
        reach = 3.5 if spaced else 1.6
        if other.x0 - last.x1 > reach * height or re.match(r"\s*[-–|•●·]\s*$", other.text):
            break
        if _TITLE_BOX.fullmatch(_fold(other.text).strip()):
            break
        if other.text.rstrip().endswith(":"):
            break  # the next field's label ("Name: | Nolty, Poland and Donohoe | Name: | ...")
        if last.text.rstrip().endswith(":") and _name_text(last.text):
            break  # a name run into the next label in one box ("... S.L. Name:"), as OCR reads
        if _ENDS_LEGAL.search(" ".join(words)) and not _LEGAL_GOES_ON.match(_fold(other.text)):
            break  # a name complete with its legal form, then the next column's box
        words.append(" " + other.text if spaced else other.text)
        last = other
    return " ".join(words)


def _cell_text(lines: list[Line], j: int, k: int) -> str:
    """The value right of label `k` of line `j`: its phrase, and the lines its cell wraps onto
    when the label stands in the middle of them, as a table centres a label beside a value of
    two or three lines ("Firmenname:" beside "The" / "Sellercompany" / "Incorporated"). A
    label level with the first line of its value keeps that line alone: the lines under it
    may be the address."""
    label, value = lines[j].boxes[k], lines[j].boxes[k + 1]
    height = max(value.y1 - value.y0, 1.0)
    nearby = range(max(0, j - 4), min(len(lines), j + 5))

    def centre(box: Box) -> float:
        return (box.y0 + box.y1) / 2

    def in_caption_column(box: Box) -> bool:
        return label.x0 - height <= box.x0 < value.x0 - height

    # The other rows' captions, in the label's column: a line is theirs when it stands
    # nearer one of them (OCR may set a centred caption a line below its value's first line).
    captions = [
        centre(b)
        for n in nearby
        if lines[n].page == lines[j].page
        for b in lines[n].boxes
        if b is not label and in_caption_column(b)
    ]
    cell = [(value.y0, value.y1, _phrase(lines[j], k + 1))]
    for step in (-1, 1):
        edge = value
        for n in range(j + step, j + 4 * step, step):
            if not 0 <= n < len(lines) or lines[n].page != lines[j].page:
                break
            if any(map(in_caption_column, lines[n].boxes)):
                break  # the next row's label
            under = [b for b in lines[n].boxes if abs(b.x0 - value.x0) <= height / 2]
            if not under or (under[0].y0 - edge.y1 if step > 0 else edge.y0 - under[0].y1) > (
                height / 2
            ):
                break
            mine = abs(centre(under[0]) - centre(label))
            if any(abs(centre(under[0]) - other) < mine for other in captions):
                break
            edge = under[0]
            cell.append((edge.y0, edge.y1, _phrase(lines[n], lines[n].boxes.index(edge))))
    if len(cell) == 1:
        return cell[0][2]
    top, bottom = min(c[0] for c in cell), max(c[1] for c in cell)
    if abs((label.y0 + label.y1) / 2 - (top + bottom) / 2) > height / 3:
        return cell[0][2]
    return " ".join(text for _, _, text in sorted(cell))


# Fields of a sender line set apart by bullets or wide gaps, which OCR reads as one box
# with its bullets lost: "Kirin Denki GmbH  Ecke 12  12345 Stadthausen".
_FIELD_GAP = re.compile(r"\s{2,}|\s*[•●·|]\s*")


def _phrase_and_first_field(phrase: str) -> list[str]:
    """`phrase`, and its first field when separators set fields apart in it."""
    first = _FIELD_GAP.split(phrase.strip(), maxsplit=1)[0]
    return [phrase] if first == phrase.strip() else [phrase, first]


def _page_ends(lines: list[Line], size: int) -> list[int]:
    """Indexes of the first and last `size` lines of every page, in order."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        by_page.setdefault(line.page, []).append(i)
    picked: list[int] = []
    for indexes in by_page.values():
        picked.extend(sorted(set(indexes[:size]) | set(indexes[-size:])))
    return picked


# A payee caption alone in its box, heading the bank details under it ("Bénéficiaire" over
# "Nom : Caron SARL" / "IBAN : …").
_PAYEE_CAPTION = re.compile(
    r"\s*(?:payee|beneficiary|account\s?holder|beneficiaire|titulaire(?:\s?du\s?compte)?"
    r"|zahlungsempf(?:a|ae)nger|kontoinhaber|beg(?:u|ue)nstigter|beneficiario"
    r"|titular(?:\s?de\s?la\s?cuenta)?)\s?:?\s*"
)


def _captioned_payee(lines: list[Line], i: int, k: int) -> str | None:
    """The name under a payee caption (box `k` of line `i`): the first box of the next line
    in the caption's column, after its name label if it has one ("Nom : Caron SARL")."""
    caption = lines[i].boxes[k]
    if not _PAYEE_CAPTION.fullmatch(_fold(caption.text)) or i + 1 >= len(lines):
        return None
    below = lines[i + 1]
    height = max(caption.y1 - caption.y0, 1.0)
    if below.page != lines[i].page or below.y0 - lines[i].y1 > 2.0 * height:
        return None
    box = next((b for b in below.boxes if abs(b.x0 - caption.x0) <= 2 * height), None)
    if box is None:
        return None
    text = box.text
    if ":" in text:
        label, _, text = text.partition(":")
        if not L.NAME_LABEL.fullmatch(_fold(label).strip()):
            return None  # "IBAN : …": no name under the caption
    return _name_text(text)


def _beside_own_block(lines: list[Line], parties: _Parties) -> str | None:
    """The name heading the other column on the first line of the own party's block: two
    uncaptioned address blocks side by side, ours (the buyer's) and the seller's."""
    if not parties.own_lines:
        return None
    i = min(parties.own_lines)
    line = lines[i]
    if i + 1 >= len(lines) or i >= _Parties.LETTERHEAD_LINES:
        return None
    for k, box in enumerate(line.boxes):
        if parties.in_buyer(i, box) or (i, id(box)) in parties.own_boxes:
            continue
        height = max(box.y1 - box.y0, 1.0)
        column_goes_on = any(abs(b.x0 - box.x0) <= 2 * height for b in lines[i + 1].boxes)
        name = _name_text(_phrase(line, k))
        if (
            column_goes_on
            and name
            and not parties.is_own_name(name)
            and not _ANY_AMOUNT_LABEL.search(_fold(name))
            and not L.NUMBER_WORD.search(_fold(name))
            and not L.INVOICE_NUMBER.search(_fold(name))
        ):
            return name
    return None


# Above the generic header guess (at most 1.6), below every labelled cue: a letterhead
# printed as plain lines is the issuer's when nothing else names one.
LETTERHEAD_SCORE = 1.7


def _guess_in_block(guess: str | None, lines: list[Line], first: int, last: int) -> bool:
    name = _name_text(guess) if guess else None
    return name is not None and any(
        _alnum(name) in _alnum(line.text) for line in lines[first : last + 1]
    )


def _letterhead_name(lines: list[Line], parties: _Parties) -> tuple[str, int, int] | None:
    """The name heading a block of the first page's top lines whose next lines in its column
    are an address (a street, or a postcode and town): a letterhead set as plain lines, with
    neither a caption nor a legal form ("Die Gartenprofis" / "Lindenweg 4" / "79098
    Freiburg"). Not the buyer's block, nor the own party's."""
    first_page = lines[0].page
    for i, line in enumerate(lines[: _Parties.LETTERHEAD_LINES]):
        if line.page != first_page:
            break
        for k, box in enumerate(line.boxes[:2]):
            if parties.in_buyer(i, box) or (i, id(box)) in parties.own_boxes:
                continue
            name = _name_text(_phrase(line, k))
            if name is None or parties.is_own_name(name) or _TITLE_BOX.fullmatch(_fold(name)):
                continue
            address = _address_under(lines, i, box)
            if address is not None:
                return name, i, address
    return None


def _address_under(lines: list[Line], i: int, box: Box) -> int | None:
    """The line of a street or a postcode and town among the three lines under `box`, in its
    column and without a blank between (a trade line may come between: "Katrin Vogel" /
    "Webdesign" / "Gewerbepark 1" / "90411 Nürnberg"), or None."""
    height = max(box.y1 - box.y0, 1.0)
    above = lines[i]
    for j in range(i + 1, min(i + 4, len(lines))):
        line = lines[j]
        if not _runs_on(above, line, height):
            return None
        under = next((b for b in line.boxes if abs(b.x0 - box.x0) <= 2 * height), None)
        if under is None:
            return None
        text = under.text.strip()
        if (
            _STREET_LINE.fullmatch(text)
            or _NUMBER_FIRST_STREET.fullmatch(text)
            or _POSTCODE_CITY.search(text)
        ):
            return j
        above = line
    return None


_RECIPIENT = re.compile(
    r"^\s*(?:empf(?:ä|ae|a)nger|recipient|destinataire|destinatario)\s*:\s*", re.IGNORECASE
)


def _refine_supplier(  # noqa: C901 - predates the complexity check; split when next changed
    doc: ExtractedDocument,
    lines: list[Line],
    boxes: list[list[str]],
    folded: list[str],
    parties: _Parties,
) -> None:
    candidates: list[_Scored] = []
    buyer_names = set()
    for _j, box in parties.buyer[:3]:
        name = _name_text(box.text)
        if name:
            buyer_names.add(_fold(name))
            break
    if doc.customer_name and not (
        parties.own_name_printed and not parties.is_own_name(doc.customer_name)
    ):
        # The name after a customer label ("Client : Studio Nord SARL"), wherever it stands;
        # not when the own name is printed and this is another: the box under the caption was
        # the seller's name running across the customer's column.
        buyer_names.add(_fold(doc.customer_name))
    # 1. The seller block: a "Name:" field, else its first name-like line.
    seller_boxes = parties.seller
    named = False
    for j, box in seller_boxes:
        f = _fold(box.text)
        label = f.split(":")[0]
        # "Name", "Raison sociale :", "Business name: Acme Ltd": a short label naming the name,
        # alone or before a colon (a name that merely contains "company" is not one).
        if L.NAME_LABEL.search(label) and (
            re.fullmatch(r"\s*\w+\s*:?\s*", f) or (":" in f and len(label.split()) <= 3)
        ):
            line = lines[j]
            k = line.boxes.index(box)
            rest = re.sub(r"^[^:]*:\s*", "", box.text) if ":" in box.text else ""
            text = rest or (_cell_text(lines, j, k) if k + 1 < len(line.boxes) else "")
            name = _name_text(text)
            if name:
                candidates.append(_Scored(name, 4.0, j))
                named = True
                break
    if not named:
        seen_lines: set[int] = set()
        for j, box in seller_boxes:
            if j in seen_lines:
                continue
            seen_lines.add(j)
            line = lines[j]
            k = line.boxes.index(box)
            if box.text.rstrip().endswith(":") and k + 1 < len(line.boxes):
                if not L.NAME_LABEL.search(_fold(box.text)):
                    continue  # "City: | Salamanca": a row of the address, not the name
                k += 1  # "Business name: | Acme Ltd": the value right of a row's label
            name = _name_text(_phrase(line, k))
            if name:
                candidates.append(_Scored(name, 3.5 if _LEGAL.search(name) else 3.0, j))
                break
            if len(seen_lines) >= 6:
                break
    # 2. A name with a legal form next to registry lines (the legal footer or letterhead).
    n = len(lines)
    # Letterheads and legal footers are the first and last lines of a page.
    ends = _page_ends(lines, 40)
    seen = Counter(
        _fold(part)
        for i in ends
        for k in range(min(3, len(lines[i].boxes)))
        for part in _phrase_and_first_field(_phrase(lines[i], k))
    )
    for i in ends:
        line = lines[i]
        for k, box in enumerate(line.boxes[:3]):
            name = _name_text(_phrase(line, k))
            if not name or parties.in_buyer(i, box):
                continue
            if not (_LEGAL.search(name) or (k == 0 and _legal_form_below(lines, i))):
                continue
            nearby = " ".join(folded[max(0, i - 1) : i + 6])
            score = 1.2
            if _REGISTRY.search(nearby):
                score += 1.3
            if i < 5:
                score += 0.6
            if seen[_fold(name)] >= 2:
                score += 0.4  # letterhead and sender line, or letterhead and footer
            candidates.append(_Scored(name, score - 0.2 * i / max(n, 1), i))
    # 3. The payee of a payment slip or of the bank details: the account holder is as a rule
    # the seller's legal name where the top of the page shows a brand. Below a seller's block
    # and a legal footer with registry lines: a factoring company can be the payee.
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            label = L.PAYEE_LABEL.match(box.text)
            if label is None:
                # "Empfänger:" names the payee only beside bank details; elsewhere it is the
                # addressee, the buyer.
                label = _RECIPIENT.match(box.text)
                if label is not None and not re.search(
                    r"\biban\b", " ".join(folded[max(0, i - 1) : i + 3])
                ):
                    label = None
            if label is None:
                name = _captioned_payee(lines, i, k)
                if name and not parties.in_buyer(i, box):
                    candidates.append(_Scored(name, 2.2 if _LEGAL.search(name) else 2.0, i))
                continue
            text = box.text[label.end() :]
            if not text.strip() and k + 1 < len(line.boxes):
                text = _phrase(line, k + 1)
            name = _name_text(text)
            if name and not parties.in_buyer(i, box):
                candidates.append(_Scored(name, 2.2 if _LEGAL.search(name) else 2.0, i))
    if not candidates:
        # 4. Nothing labels the seller: the name heading the top block, over its address,
        # unless the header guess is a name of that block (it may join a sign printed over
        # several lines, "MAJU" / "JAYA" / "MAJU JAYA TRADING SDN BHD").
        found = _letterhead_name(lines, parties)
        if found is not None and not _guess_in_block(doc.supplier_name, lines, *found[1:]):
            candidates.append(_Scored(found[0], LETTERHEAD_SCORE, -1))
    # 5. The generic header guess, unless it is on the buyer's side.
    if doc.supplier_name and not any(
        _fold(doc.supplier_name) in _fold(b.text) for _, b in parties.buyer
    ):
        name = _name_text(doc.supplier_name) or _numbered_name(doc.supplier_name, lines)
        if name:
            score = 0.8 + 0.8 * doc.confidence.get("supplier_name", 0.3)
            candidates.append(_Scored(name, score, -1))
    candidates = [
        c
        for c in candidates
        if _fold(str(c.value)) not in buyer_names and not parties.is_own_name(str(c.value))
    ]
    if not candidates and (
        not doc.supplier_name
        or parties.is_own_name(doc.supplier_name)
        or _name_text(doc.supplier_name) is None
    ):
        beside = _beside_own_block(lines, parties)
        if beside is not None:
            candidates.append(_Scored(beside, 1.0, -1))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        doc.supplier_name = str(best.value)
        doc.confidence["supplier_name"] = round(min(0.9, 0.2 * best.score + 0.1), 3)
    elif doc.supplier_name and (
        parties.is_own_name(doc.supplier_name) or _name_text(doc.supplier_name) is None
    ):
        doc.supplier_name = None
        doc.confidence.pop("supplier_name", None)

    _refine_supplier_vat(doc, lines, folded, parties)
    _refine_siren(doc, lines, parties)


_VAT_CONTEXT = L.kw(
    r"tva",
    r"vat",
    r"ust\w*",
    r"umsatzsteuer\w*",  # "Umsatzsteuer-ID", "Umsatzsteuer-Identifikationsnummer"
    r"n\.\s?i\.\s?f\.?",
    r"c\.\s?i\.\s?f\.?",
    r"mwst",
    r"uid",
    r"iva",
    r"nif",
    r"cif",
    r"btw",
    r"tax\s?id",
    r"steuer\w*",
    r"identifi\w*",
    r"intracom\w*",
    r"intra",
    r"n[°º]\s?tva",
)
_BUYER_VAT_CONTEXT = L.kw(
    r"client",
    r"customer",
    r"kunde\w*",
    r"ihre",
    r"your",
    r"buyer",
    r"acheteur",
    r"cliente",
    r"destinataire",
    r"empf(?:a|ae)nger\w*",
    r"k(?:a|ae)ufer\w*",
    r"votre",
    r"acquereur",
    r"receptor",
    r"destinatario",
    r"comprador",
    r"adquirente",
)


def _refine_supplier_vat(
    doc: ExtractedDocument, lines: list[Line], folded: list[str], parties: _Parties
) -> None:
    candidates: list[_Scored] = []
    seller_lines = {j for j, _ in parties.seller}
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            ibans = find_ibans(box.text)
            # The label of a value is in its own box or the one just left of it.
            context = _left_context(line, k)
            text = box.text
            if re.fullmatch(r"\s*[A-Z]{2}\s*", text) and k + 1 < len(line.boxes):
                # "DE | 811 | 569 | 869": a spaced VAT id set word by word in the text layer.
                text = _phrase(line, k)
            if k == len(line.boxes) - 1:
                text = _wrapped_tail(lines, i, text)
            for vat, valid in _vat_ids(text, context, ocr=doc.text_source == "ocr"):
                if any(vat[2:] in iban for iban in ibans) or vat == parties.own_vat:
                    continue
                if re.search(
                    r"(?<![a-z])(?:iban|bic|swift|konto|compte|account)(?![a-z])", context
                ):
                    continue  # an account number, even one whose checksum fails
                labelled = _vat_labelled(lines, i, box, context)
                if labelled is None:
                    continue  # under the customer's caption
                if not valid and not labelled and i not in seller_lines:
                    continue
                if parties.in_buyer(i, box):
                    continue
                if _BUYER_VAT_CONTEXT.search(context):
                    continue
                score = 1.0 + (1.0 if i in seller_lines else 0.0) + (0.5 if labelled else 0.0)
                score += 0.5 if valid else 0.0
                # Legal mentions (capital, RCS, register) are the seller's to print: a VAT id
                # among them is the seller's ("SASU au capital de ... - TVA FR40123456824").
                score += 0.5 if _LEGAL_MENTION.search(" " + line.text) else 0.0
                candidates.append(_Scored((vat, valid), score - 0.2 * i / max(len(lines), 1), i))
    if not candidates:
        if doc.supplier_vat and any(doc.supplier_vat in _compact(b.text) for _, b in parties.buyer):
            doc.supplier_vat = None
            doc.confidence.pop("supplier_vat", None)
        return
    best = max(candidates, key=lambda c: c.score)
    vat, valid = best.value  # type: ignore[misc]
    doc.supplier_vat = vat
    doc.confidence["supplier_vat"] = round(min(0.9, 0.25 * best.score + 0.2), 3) if valid else 0.3
    if doc.customer_vat == vat:
        doc.customer_vat = None
        doc.confidence.pop("customer_vat", None)


def _vat_ids(text: str, context: str, *, ocr: bool = False) -> list[tuple[str, bool]]:
    """The VAT ids of a box, each with whether its checksum holds: with their country code,
    or after a national label without it; one no format admits only after a VAT label
    ("USt.-Id.-Nr.: DE12435679", a digit short: kept, flagged invalid). Read by OCR, such
    an id is taken as the one restoration of a doubled digit whose checksum holds
    (`restore_repeated_digit`), still flagged: the lost digit may have been another."""
    found = find_vat_candidates(text) or _national_vat(text, context)
    if not found and _VAT_CONTEXT.search(context):
        for vat in find_malformed_vat(text):
            found.append(((restore_repeated_digit(vat) if ocr else None) or vat, False))
    return found


# VAT ids printed without their country code under a national label: a Spanish CIF/NIF
# ("CIF: B-50466424", "N.I.F. 12345678Z") and a UK VAT registration number ("VAT Reg No:
# 235 8579 28"). Taken only when the checksum holds.
_ES_LABEL = re.compile(r"(?<![a-z])(?:c\.?\s?i\.?\s?f|n\.?\s?i\.?\s?f)(?![a-z])")
_ES_ID = re.compile(
    r"(?<![A-Z0-9])(?:([A-HJ-NP-SUVW])[-\s.]?(\d{7})[-\s.]?([0-9A-J])|(\d{8})[-\s]?([A-Z]))"
    r"(?![A-Z0-9])"
)
_GB_LABEL = re.compile(r"(?<![a-z])vat(?![a-z])")
_GB_ID = re.compile(r"(?<![\d.,/])(\d{3})\s?(\d{4})\s?(\d{2})(?:\s?(\d{3}))?(?![\d.,/])")


def _national_vat(text: str, context: str) -> list[tuple[str, bool]]:
    """A VAT id without its country code after a label that names the country's id."""
    if _ES_LABEL.search(context):
        patterns: tuple[tuple[re.Pattern[str], str], ...] = ((_ES_ID, "ES"),)
    elif _GB_LABEL.search(context):
        patterns = ((_GB_ID, "GB"),)
    else:
        return []
    found: list[tuple[str, bool]] = []
    for pattern, country in patterns:
        for match in pattern.finditer(text.upper()):
            digits = "".join(g for g in match.groups() if g)
            found += [c for c in find_vat_candidates(country + digits) if c[1]]
    return found


def _wrapped_tail(lines: list[Line], i: int, text: str) -> str:
    """`text` (the last box of line `i`) with the digits that open the next line when a
    wrapped paragraph of small print split a VAT id there ("… TVA FR 63" / "317769495"),
    that is when only the joined text holds a valid VAT id."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return text
    head = lines[i + 1].boxes[0].text
    if not re.fullmatch(r"\s*\d[\d ]{0,13}", head):
        return text
    joined = f"{text} {head.strip()}"
    before = {vat for vat, valid in find_vat_candidates(text) if valid}
    after = {vat for vat, valid in find_vat_candidates(joined) if valid}
    return joined if after - before else text


def _vat_labelled(lines: list[Line], i: int, box: Box, context: str) -> bool | None:
    """Whether the VAT id in box `box` of line `i` has a VAT label: in its `context` (its box
    and the labels left of it), else the caption over it ("USt-IdNr." over "DE123456789" in
    a footer column or a row of identifiers); None under the customer's caption."""
    if _VAT_CONTEXT.search(context):
        return True
    caption = _caption_above(lines, i, box)
    if _BUYER_VAT_CONTEXT.search(caption):
        return None
    return bool(_VAT_CONTEXT.search(caption))


def _caption_above(lines: list[Line], i: int, box: Box) -> str:
    """Folded text of the label right above `box` in its column (a caption over its value:
    overlapping it or aligned on its left edge, without three digits), up to two lines up
    when the lines between leave the column empty, or ""."""
    height = max(box.y1 - box.y0, 1.0)
    top = box.y0
    for j in range(i - 1, max(i - 3, -1), -1):
        above = lines[j]
        if above.page != lines[i].page or top - above.y1 > 1.5 * height:
            return ""
        best, best_score = "", 0.0
        for other in above.boxes:
            overlap = min(box.x1, other.x1) - max(box.x0, other.x0)
            aligned = abs(other.x0 - box.x0) <= height
            score = overlap + (height if aligned else 0.0)
            if (overlap > 0 or aligned) and score > best_score:
                best, best_score = other.text, score
        if best:
            return "" if re.search(r"\d{3}", best) else _fold(best)
        top = above.y0
    return ""


def _left_context(line: Line, k: int) -> str:
    """Folded text of box `k` and the label boxes just left of it (up to two, skipping lone
    punctuation such as a ":" box, stopping at another value)."""
    parts = [_fold(line.boxes[k].text)]
    taken = 0
    for other in reversed(line.boxes[:k]):
        text = other.text.strip()
        if re.fullmatch(r"[:#\-–.|]*", text):
            continue
        if re.search(r"\d{3}", text) or taken == 2:
            break
        parts.insert(0, _fold(text))
        taken += 1
    return " ".join(parts)


def _refine_siren(doc: ExtractedDocument, lines: list[Line], parties: _Parties) -> None:
    """The supplier's SIREN: inside its French VAT id, else a SIREN/SIRET printed outside the
    buyer's block (never the organisation's own)."""
    own = re.sub(r"\D", "", parties.own_siren)
    siren = siren_from_vat(doc.supplier_vat)
    if siren is None:
        for i, line in enumerate(lines):
            for box in line.boxes:
                if parties.in_buyer(i, box) or not re.search(r"siren|siret|rcs", _fold(box.text)):
                    continue
                found = [s for s in find_sirens(box.text) if s != own]
                if found:
                    siren = found[0]
                    break
            if siren:
                break
    if siren and siren != own:
        doc.supplier_siren = siren
        doc.confidence["supplier_siren"] = 0.9 if doc.supplier_vat else 0.8
    elif doc.supplier_siren and (doc.supplier_siren == own or siren is None and own):
        doc.supplier_siren = None
        doc.confidence.pop("supplier_siren", None)


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text.upper())
