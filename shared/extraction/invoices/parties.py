"""Seller and buyer blocks (by their headings, and by the organisation's own name, VAT or
SIREN when the caller passes them), and the supplier's name from the seller's side only.
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
        return bool(under) and _name_text(under[0].text) is None

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
# A sample's word heads a specimen ("Beispielrechnung", "Sample invoice"); before a legal form
# it names a party, as specimens and test invoices name theirs ("Beispiel Handel KG", "Example
# Ltd").
_SAMPLE_WORD = L.kw(r"beispiel\w*", r"example", r"sample")


def _not_a_name(folded: str, name: str) -> bool:
    """A label's, a heading's or a specimen's words (`_NOT_NAME`, `_SAMPLE_WORD`)."""
    if _NOT_NAME.search(folded):
        return True
    return bool(_SAMPLE_WORD.search(folded)) and not ENDS_LEGAL.search(name)


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
        if opening and LEGAL_MENTION.match(" " + line.text.strip()[opening.end() :]):
            return True
    return False


LEGAL_MENTION = re.compile(
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
            and ENDS_LEGAL.search(head.group(1))
            and head.group(1).count("(") == head.group(1).count(")")
            and not _not_a_name(_fold(head.group(1)), head.group(1))
            and not _ADDRESS_WORD.search(_fold(head.group(1)))
            and not ANY_AMOUNT_LABEL.search(_fold(head.group(1)))
        ):
            name = head.group(1)
            break
    if name.endswith(":"):
        return None  # a label whose value is elsewhere or left empty ("Compte :")
    name = name.lstrip(" :")
    # "Caron SARL au capital de 10 000 €", "Vogt GmbH, Sitz Freiburg": the legal mention
    # that follows a name in a footer is not part of it.
    name = LEGAL_MENTION.split(name)[0].strip(" ,;")
    # "Atelier Duval, SAS au capital de ...": the form is the name's, the comma the footer's.
    name = re.sub(r",\s*(?=(?:" + _LEGAL.pattern + r")$)", " ", name, flags=re.IGNORECASE)
    if not name or _not_a_name(_fold(name), name) or _REPRESENTATIVE_CAPTION.fullmatch(_fold(name)):
        return None
    if (_COUNTRY.search(_fold(name)) or _ADDRESS_WORD.search(_fold(name))) and not (
        ENDS_LEGAL.search(name)
    ):
        return None
    if ANY_AMOUNT_LABEL.fullmatch(_fold(name)):
        return None  # "Total", "Net à payer": the label of an amount, whatever else fails
    letters = sum(ch.isalpha() for ch in name)
    if letters < 3 or letters < 0.6 * len(name.replace(" ", "")):
        return None
    if len(name.split()) > 7 or re.search(r"\d{5,}", name):
        return None
    if re.search(r"\d{4}", name) and not ENDS_LEGAL.search(name):
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
ENDS_LEGAL = re.compile(rf"(?:{_LEGAL.pattern})\s*(?:\([^)]*\))?\s*$", re.IGNORECASE)
LEGAL_GOES_ON = re.compile(r"\s*(?:&|\+|und\b|and\b|et\b|y\b|co\b|de\b|\()")


def phrase(line: Line, k: int) -> str:
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
        if ENDS_LEGAL.search(" ".join(words)) and not LEGAL_GOES_ON.match(_fold(other.text)):
            break  # a name complete with its legal form, then the next column's box
        words.append(" " + other.text if spaced else other.text)
        last = other
    return " ".join(words)


def _cell_text(lines: list[Line], j: int, k: int) -> str:
    """The value right of label `k` of line `j`: its phrase, and the lines its cell wraps onto
    (`labels.wrapped_cell`)."""
    rows = L.wrapped_cell(lines, j, lines[j].boxes[k], lines[j].boxes[k + 1])
    return " ".join(phrase(lines[n], lines[n].boxes.index(box)) for n, box in rows)


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
        name = _name_text(phrase(line, k))
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
    name = _name_text(guess) if guess else None
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
            name = _name_text(phrase(line, k))
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
        name = _name_text(doc.supplier_name) or _numbered_name(doc.supplier_name, lines)
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
        or _name_text(doc.supplier_name) is None
    ):
        beside = _beside_own_block(lines, parties)
        if beside is not None:
            candidates.append(FieldCandidate(beside, 1.0, -1))
    if candidates:
        best = max(candidates, key=lambda c: c.score)
        doc.supplier_name = str(best.value)
        doc.confidence["supplier_name"] = round(min(0.9, 0.2 * best.score + 0.1), 3)
    elif doc.supplier_name and (
        parties.is_own_name(doc.supplier_name) or _name_text(doc.supplier_name) is None
    ):
        doc.supplier_name = None
        doc.confidence.pop("supplier_name", None)


def _buyer_names(doc: ExtractedDocument, parties: Parties) -> set[str]:
    """The buyer's names as printed (folded): its block's first name, the customer's."""
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
            text = rest or (_cell_text(lines, j, k) if k + 1 < len(line.boxes) else "")
            name = _name_text(text)
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
            name = _name_text(phrase(line, k))
            if name:
                candidates.append(FieldCandidate(name, 3.5 if _LEGAL.search(name) else 3.0, j))
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
        for part in _phrase_and_first_field(phrase(lines[i], k))
    )
    for i in ends:
        line = lines[i]
        for k, box in enumerate(line.boxes[:3]):
            name = _name_text(phrase(line, k))
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
                    candidates.append(FieldCandidate(name, 2.2 if _LEGAL.search(name) else 2.0, i))
                continue
            text = box.text[label.end() :]
            if not text.strip() and k + 1 < len(line.boxes):
                text = phrase(line, k + 1)
            name = _name_text(text)
            if name and not parties.in_buyer(i, box):
                candidates.append(FieldCandidate(name, 2.2 if _LEGAL.search(name) else 2.0, i))
    return candidates
