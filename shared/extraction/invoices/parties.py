"""Seller and buyer blocks (by their headings, and by the organisation's own name, VAT or
SIREN when the caller passes them), and the supplier's name from the seller's side only.
What a name looks like on a line (and what is a label, an address or a title instead) is
`party_names`'.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import labels as L
from ..layout import BLOCK_GAP, COLUMN_GAP, Box, Line
from ..model import ExtractedDocument, FieldCandidate, OwnParty
from ..parsing import (
    _fold,
    siren_from_vat,
)
from .amounts import (
    ANY_AMOUNT_LABEL,
    items_header,
)
from .party_names import (
    ENDS_LEGAL,
    LEGAL,
    NUMBER_FIRST_STREET,
    REGISTRY,
    REPRESENTATIVE_CAPTION,
    STREET_LINE,
    TITLE_BOX,
    cell_text,
    legal_form_below,
    name_text,
    numbered_name,
    phrase,
    phrase_and_first_field,
)


def _within_words(compact: str, text: str) -> bool:
    """Whether the letters and digits `compact` stand in `text` as whole words: "Ets Arnaud
    SA" is in "Ets Arnaud SA, Nantes" but not in "Ets Arnaud SARL", another company."""
    if not compact:
        return False
    pattern = r"[^a-z0-9]*".join(re.escape(ch) for ch in compact)
    return re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", _fold(text)) is not None


def alnum(text: str) -> str:
    """Letters and digits only, folded: how names and identifiers of the parties compare
    ("Atelier Lumière SAS" ~ "ATELIER LUMIERE S.A.S.", "FR 40 303…" ~ "FR40303…")."""
    return re.sub(r"[^a-z0-9]", "", _fold(text))


_REPRESENTATIVE = L.kw(r"repr\w*", r"fiscal\w*", r"tax\s?rep\w*", r"vertret\w*", r"agent")


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
        if len(parts) < 3 or re.search(r"\d", parts[0]) or not name_text(parts[0]):
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


def _runs_on(upper: Line, lower: Line, height: float) -> bool:
    """Whether `lower` continues the block of `upper` (same page, no blank line between)."""
    return upper.page == lower.page and lower.y0 - upper.y1 <= BLOCK_GAP * height


# "Service Provider" heads the seller's block only beside the buyer's caption ("Service
# Provider | Client"): alone, it may name a platform's partner, the hotel or the driver.
_SERVICE_PROVIDER = re.compile(r"\s*service\s?provider\s*:?\s*")
_NOT_HEADING = re.compile(
    r"service(?!\s?provider)|nummer|nr|number|(?<![a-z])(?:id|ref\w*|code|no)(?![a-z])"
)


class Parties:
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
                if LEGAL.search(box.text):
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
                    block and name_text(block[0][1].text)
                ):
                    continue  # "From 01.03 to 31.03": a bare "From"/"To" heads only a name
                # (`provider` is True, not a match: a heading of its own, the seller's.)
                seller_at = is_seller.start() if isinstance(is_seller, re.Match) else 0
                if is_buyer and not (is_seller and seller_at < is_buyer.start()):
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
            if REPRESENTATIVE_CAPTION.fullmatch(f):
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
                and not LEGAL.search(inside[0].text)
                and (block or not Parties._name_over_address(lines, j, inside[0]))
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
        return bool(under) and name_text(under[0].text) is None

    def _mark_own(self, lines: list[Line], own: OwnParty) -> None:
        keys: list[str] = []
        if own.name:
            name = alnum(own.name)
            if len(name) >= 3:
                keys.append(name)
                self.own_names.append(name)
                self.own_texts.append(own.name)
                self.own_name_printed = any(_within_words(name, line.text) for line in lines)
        if own.vat:
            keys.append(alnum(own.vat))
        if own.siren:
            keys.append(re.sub(r"\D", "", own.siren))
        if not keys:
            return
        seller_boxes = {(j, id(b)) for j, b in self.seller}
        for i, line in enumerate(lines):
            for box in line.boxes:
                box_compact = alnum(box.text)
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
        name = name_text(text)
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
        if printed_iban and alnum(printed_iban) in {alnum(iban) for iban in own.ibans}:
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
        compact = alnum(name)
        return any(
            (
                (own in compact and _within_words(own, name))
                or (compact in own and _within_words(compact, text))
            )
            and min(len(own), len(compact)) >= self.OWN_NAME_COVER * max(len(own), len(compact))
            for own, text in zip(self.own_names, self.own_texts, strict=True)
            if compact
        )


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
    return name_text(text)


def _beside_own_block(lines: list[Line], parties: Parties) -> str | None:
    """The name heading the other column on the first line of the own party's block: two
    uncaptioned address blocks side by side, ours (the buyer's) and the seller's."""
    if not parties.own_lines:
        return None
    i = min(parties.own_lines)
    line = lines[i]
    if i + 1 >= len(lines) or i >= Parties.LETTERHEAD_LINES:
        return None
    for k, box in enumerate(line.boxes):
        if parties.in_buyer(i, box) or (i, id(box)) in parties.own_boxes:
            continue
        height = max(box.y1 - box.y0, 1.0)
        column_goes_on = any(abs(b.x0 - box.x0) <= 2 * height for b in lines[i + 1].boxes)
        name = name_text(phrase(line, k))
        if (
            column_goes_on
            and name
            and not parties.is_own_name(name)
            and not ANY_AMOUNT_LABEL.search(_fold(name))
            and not L.NUMBER_WORD.search(_fold(name))
            and not L.INVOICE_NUMBER.search(_fold(name))
        ):
            return name
    return None


# Above the generic header guess (at most 1.6), below every labelled cue: a letterhead
# printed as plain lines is the issuer's when nothing else names one.
LETTERHEAD_SCORE = 1.7


def _guess_in_block(guess: str | None, lines: list[Line], first: int, last: int) -> bool:
    name = name_text(guess) if guess else None
    return name is not None and any(
        alnum(name) in alnum(line.text) for line in lines[first : last + 1]
    )


def _letterhead_name(lines: list[Line], parties: Parties) -> tuple[str, int, int] | None:
    """The name heading a block of the first page's top lines whose next lines in its column
    are an address (a street, or a postcode and town): a letterhead set as plain lines, with
    neither a caption nor a legal form ("Die Gartenprofis" / "Lindenweg 4" / "79098
    Freiburg"). Not the buyer's block, nor the own party's."""
    first_page = lines[0].page
    for i, line in enumerate(lines[: Parties.LETTERHEAD_LINES]):
        if line.page != first_page:
            break
        for k, box in enumerate(line.boxes[:2]):
            if parties.in_buyer(i, box) or (i, id(box)) in parties.own_boxes:
                continue
            name = name_text(phrase(line, k))
            if name is None or parties.is_own_name(name) or TITLE_BOX.fullmatch(_fold(name)):
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
            if any(b.x0 < box.x1 for b in line.boxes):
                return None
            above = line  # only the next column's line ("Nr. 20260601" under its title)
            continue
        text = under.text.strip()
        if (
            STREET_LINE.fullmatch(text)
            or NUMBER_FIRST_STREET.fullmatch(text)
            or _POSTCODE_CITY.search(text)
        ):
            return j
        above = line
    return None


_RECIPIENT = re.compile(
    r"^\s*(?:empf(?:ä|ae|a)nger|recipient|destinataire|destinatario)\s*:\s*", re.IGNORECASE
)


def refine_supplier(
    doc: ExtractedDocument,
    lines: list[Line],
    boxes: list[list[str]],
    folded: list[str],
    parties: Parties,
) -> None:
    """The supplier's name: the seller block's name, a legal name by registry lines, the
    payee of the bank details, the letterhead, the header guess; never the buyer's nor our own."""
    buyer_names = _buyer_names(doc, parties)
    candidates = _seller_block_names(lines, parties)
    candidates.extend(_legal_names(lines, folded, parties))
    candidates.extend(_payee_names(lines, folded, parties))
    if not candidates:
        # 4. Nothing labels the seller: the name heading the top block, over its address,
        # unless the header guess is a name of that block (it may join a sign printed over
        # several lines, "MAJU" / "JAYA" / "MAJU JAYA TRADING SDN BHD").
        found = _letterhead_name(lines, parties)
        if found is not None and not _guess_in_block(doc.supplier_name, lines, *found[1:]):
            candidates.append(FieldCandidate(found[0], LETTERHEAD_SCORE, -1))
    # 5. The generic header guess, unless it is on the buyer's side.
    if doc.supplier_name and not any(
        _fold(doc.supplier_name) in _fold(b.text) for _, b in parties.buyer
    ):
        name = name_text(doc.supplier_name) or numbered_name(doc.supplier_name, lines)
        if name:
            score = 0.8 + 0.8 * doc.confidence.get("supplier_name", 0.3)
            candidates.append(FieldCandidate(name, score, -1))
    candidates = [
        c
        for c in candidates
        if _fold(str(c.value)) not in buyer_names and not parties.is_own_name(str(c.value))
    ]
    if not candidates and (
        not doc.supplier_name
        or parties.is_own_name(doc.supplier_name)
        or name_text(doc.supplier_name) is None
    ):
        beside = _beside_own_block(lines, parties)
        if beside is not None:
            candidates.append(FieldCandidate(beside, 1.0, -1))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        doc.supplier_name = _with_wrapped_suffix(str(best.value), lines)
        doc.confidence["supplier_name"] = round(min(0.9, 0.2 * best.score + 0.1), 3)
    elif doc.supplier_name and (
        parties.is_own_name(doc.supplier_name) or name_text(doc.supplier_name) is None
    ):
        doc.supplier_name = None
        doc.confidence.pop("supplier_name", None)
    legal = _legal_name_beside_brand(lines, doc.supplier_name, parties)
    if legal is not None:
        doc.supplier_name = legal
        doc.confidence["supplier_name"] = max(doc.confidence.get("supplier_name", 0.0), 0.6)


# The bracketed rest of a German legal form, which a narrow block wraps onto the next line
# ("Miryx Beratung UG" / "(haftungsbeschränkt)"), and of a company being founded ("i. G.").
_LEGAL_SUFFIX_ALONE = re.compile(r"\s*\(\s*(?:haftungsbeschr\w*|in\sgr\w*|i\.\s?g\.)\s*\)\s*")


def _with_wrapped_suffix(name: str, lines: list[Line]) -> str:
    """`name` and the rest of its legal form when that stands alone under it, left-aligned
    with the box that ends with the name."""
    if not ENDS_LEGAL.search(name) or name.rstrip().endswith(")"):
        return name
    for j, line in enumerate(lines[:-1]):
        for box in line.boxes:
            if not _fold(box.text).rstrip().endswith(_fold(name)):
                continue
            height = max(box.y1 - box.y0, 1.0)
            # The other column's line may sit between the two at a slightly other height.
            for next_line in lines[j + 1 : j + 3]:
                for below in next_line.boxes:
                    if (
                        next_line.page == line.page
                        and abs(below.x0 - box.x0) <= height
                        and below.y0 - box.y1 <= height
                        and _LEGAL_SUFFIX_ALONE.fullmatch(_fold(below.text))
                    ):
                        return f"{name} {below.text.strip()}"
    return name


_SEGMENTS = re.compile(r"\s+[·•|]\s+")


def _legal_name_beside_brand(lines: list[Line], name: str | None, parties: Parties) -> str | None:
    """The legal name a shop's footer prints right after its brand ("Quaea Studio · Hartmann
    & Lorenz GmbH · Lindenstraße 25, …"), the brand being the name read or the page's first
    line: the company that issues the invoice is the one with the legal form."""
    if name and LEGAL.search(name):
        return None  # a legal name already
    brands = {_fold(text) for text in (name, lines[0].text if lines else None) if text}
    for line in lines[1:]:
        segments = _SEGMENTS.split(line.text.strip())
        if len(segments) < 3 or _fold(segments[0]) not in brands:
            continue
        legal = name_text(segments[1])
        if (
            legal
            and LEGAL.search(legal)
            and re.search(r"[^\W\d_]{2,}", LEGAL.sub("", legal))
            and not parties.is_own_name(legal)
        ):
            return legal
    return None


def _buyer_names(doc: ExtractedDocument, parties: Parties) -> set[str]:
    """The buyer's names as printed (folded): its block's first name, the customer's."""
    buyer_names = set()
    for _j, box in parties.buyer[:3]:
        name = name_text(box.text)
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
    return buyer_names


def _seller_block_names(lines: list[Line], parties: Parties) -> list[FieldCandidate]:
    """The seller block's name (its `Name:` field, else its first name-like line)."""
    candidates: list[FieldCandidate] = []
    # 1. The seller block: a "Name:" field, else its first name-like line.
    seller_boxes = parties.seller
    named = False
    for j, box in seller_boxes:
        f = _fold(box.text)
        row_label = f.split(":")[0]
        # "Name", "Raison sociale :", "Business name: Acme Ltd": a short label naming the name,
        # alone or before a colon (a name that merely contains "company" is not one).
        if L.NAME_LABEL.search(row_label) and (
            re.fullmatch(r"\s*\w+\s*:?\s*", f) or (":" in f and len(row_label.split()) <= 3)
        ):
            line = lines[j]
            k = line.boxes.index(box)
            rest = re.sub(r"^[^:]*:\s*", "", box.text) if ":" in box.text else ""
            text = rest or (cell_text(lines, j, k) if k + 1 < len(line.boxes) else "")
            name = name_text(text)
            if name:
                candidates.append(FieldCandidate(name, 4.0, j))
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
            name = name_text(phrase(line, k))
            if name:
                candidates.append(FieldCandidate(name, 3.5 if LEGAL.search(name) else 3.0, j))
                break
            if len(seen_lines) >= 6:
                break
    return candidates


def _legal_names(lines: list[Line], folded: list[str], parties: Parties) -> list[FieldCandidate]:
    """Names with a legal form at the page's ends, scored by the registry lines near them."""
    candidates: list[FieldCandidate] = []
    # 2. A name with a legal form next to registry lines (the legal footer or letterhead).
    n = len(lines)
    # Letterheads and legal footers are the first and last lines of a page.
    ends = _page_ends(lines, 40)
    seen = Counter(
        _fold(part)
        for i in ends
        for k in range(min(3, len(lines[i].boxes)))
        for part in phrase_and_first_field(phrase(lines[i], k))
    )
    for i in ends:
        line = lines[i]
        for k, box in enumerate(line.boxes[:3]):
            name = name_text(phrase(line, k))
            if not name or parties.in_buyer(i, box):
                continue
            if not (LEGAL.search(name) or (k == 0 and legal_form_below(lines, i))):
                continue
            nearby = " ".join(folded[max(0, i - 1) : i + 6])
            score = 1.2
            if REGISTRY.search(nearby):
                score += 1.3
            if i < 5:
                score += 0.6
            if seen[_fold(name)] >= 2:
                score += 0.4  # letterhead and sender line, or letterhead and footer
            candidates.append(FieldCandidate(name, score - 0.2 * i / max(n, 1), i))
    return candidates


def _payee_names(lines: list[Line], folded: list[str], parties: Parties) -> list[FieldCandidate]:
    """The payee named by the payment slip or the bank details."""
    candidates: list[FieldCandidate] = []
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
                    candidates.append(FieldCandidate(name, 2.2 if LEGAL.search(name) else 2.0, i))
                continue
            text = box.text[label.end() :]
            if not text.strip() and k + 1 < len(line.boxes):
                text = phrase(line, k + 1)
            name = name_text(text)
            if name and not parties.in_buyer(i, box):
                candidates.append(FieldCandidate(name, 2.2 if LEGAL.search(name) else 2.0, i))
    return candidates
