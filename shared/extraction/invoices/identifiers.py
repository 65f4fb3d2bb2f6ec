"""The supplier's VAT id and SIREN, from the seller's side only; VAT ids with a bad checksum
(sample ids) kept with a low confidence.
"""

from __future__ import annotations

import re

from .. import labels as L
from ..layout import Box, Line
from ..model import ExtractedDocument, FieldCandidate
from ..parsing import (
    _fold,
    compact_token,
    find_ibans,
    find_malformed_vat,
    find_sirens,
    find_vat_candidates,
    restore_repeated_digit,
    siren_from_vat,
)
from .parties import Parties
from .party_names import LEGAL_MENTION, phrase

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


def refine_supplier_vat(
    doc: ExtractedDocument, lines: list[Line], folded: list[str], parties: Parties
) -> None:
    candidates: list[FieldCandidate] = []
    seller_lines = {j for j, _ in parties.seller}
    for i, line in enumerate(lines):
        for k, box in enumerate(line.boxes):
            ibans = find_ibans(box.text)
            context = _label_context(lines, i, k)
            text = box.text
            if re.fullmatch(r"\s*[A-Z]{2}\s*", text) and k + 1 < len(line.boxes):
                # "DE | 811 | 569 | 869": a spaced VAT id set word by word in the text layer.
                text = phrase(line, k)
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
                score += 0.5 if LEGAL_MENTION.search(" " + line.text) else 0.0
                candidates.append(
                    FieldCandidate((vat, valid), score - 0.2 * i / max(len(lines), 1), i)
                )
    if not candidates:
        if doc.supplier_vat and any(
            doc.supplier_vat in compact_token(b.text) for _, b in parties.buyer
        ):
            doc.supplier_vat = None
            doc.confidence.pop("supplier_vat", None)
        return
    best = max(candidates, key=lambda c: c.score)
    vat, valid = best.value
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


def _label_context(lines: list[Line], i: int, k: int) -> str:
    """The label of box `k` of line `i`: in its own box or the ones just left of it
    (`_left_context`), else the caption over it ("NIF-IVA" over "A-90611674": a national
    id's own label)."""
    box = lines[i].boxes[k]
    context = _left_context(lines[i], k)
    if not _VAT_CONTEXT.search(context) and re.search(r"\d{3}", box.text):
        context = f"{_caption_above(lines, i, box)} {context}"
    return context


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


def refine_siren(doc: ExtractedDocument, lines: list[Line], parties: Parties) -> None:
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
