"""Text boxes -> reading lines.

Both text sources (the PDF text layer and OCR) yield boxes: a piece of text with its bounding
box. Field extraction works on lines, so boxes that overlap vertically are grouped into one
line, kept in x-order; a label ("Total") and its value ("9.00") printed far apart on the same
row end up on the same line, which is what the field rules rely on.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """A piece of text at (x0, y0)-(x1, y1) in page pixels (y grows downwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float = 1.0

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1e-6)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Line:
    """Boxes of one visual line, left to right. `page` is 1-based."""

    boxes: list[Box] = field(default_factory=list)
    page: int = 1

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes)

    @property
    def score(self) -> float:
        return min((b.score for b in self.boxes), default=1.0)

    @property
    def y0(self) -> float:
        return min(b.y0 for b in self.boxes)

    @property
    def y1(self) -> float:
        return max(b.y1 for b in self.boxes)

    def box_at(self, offset: int) -> Box:
        """The box holding character `offset` of `text`."""
        position = 0
        for box in self.boxes:
            if offset < position + len(box.text) + 1:
                return box
            position += len(box.text) + 1
        return self.boxes[-1]


# Skews undone by `deskew`, as dy/dx slopes: from about half a degree to about 3.5 degrees;
# the rows' own skew is sought in steps of SKEW_STEP up to SKEW_STEPS steps either way.
SKEW_MIN_SLOPE = 0.01
SKEW_MAX_SLOPE = 0.06
SKEW_STEP = 0.0025
SKEW_STEPS = 24
# How much sharper the rows must come out before a skew is undone (1.0: any gain).
SKEW_MIN_GAIN = 1.05
# Boxes read for the skew at most (a photographed receipt has a few hundred).
SKEW_MAX_BOXES = 2000


def _row_profile(boxes: list[Box], slope: float, bin_height: float) -> float:
    """How sharply the boxes fall into rows once the page is sheared by `slope`: the sum of
    squares of the text width per band of `bin_height` (a projection profile)."""
    bands: dict[int, float] = {}
    for b in boxes:
        band = int((b.cy - slope * (b.x0 + b.x1) / 2) // bin_height)
        bands[band] = bands.get(band, 0.0) + (b.x1 - b.x0)
    return sum(v * v for v in bands.values())


def _margin_slope(boxes: list[Box], height: float) -> float | None:
    """The skew told by the left margin: boxes starting at the page's left edge drift right
    down the page when it is turned anticlockwise (its right side then rides higher), left
    when turned clockwise. None without a margin of a few rows."""
    left = min(b.x0 for b in boxes)
    edge = [b for b in boxes if b.x0 <= left + 1.5 * height]
    if len(edge) < 6:
        return None
    mean_y = sum(b.cy for b in edge) / len(edge)
    mean_x = sum(b.x0 for b in edge) / len(edge)
    var_y = sum((b.cy - mean_y) ** 2 for b in edge)
    if var_y < (4 * height) ** 2:
        return None
    drift = sum((b.cy - mean_y) * (b.x0 - mean_x) for b in edge) / var_y
    return -drift


def deskew(boxes: list[Box]) -> list[Box]:
    """OCR boxes of a photographed or scanned page turned a degree or two: a label at the
    left edge and its amount at the right edge then sit at different heights, so that an
    amount may group with the row above or below its label. The skew told by the left
    margin is undone by shearing each box vertically by its centre, when the rows then come
    out sharper (a projection profile of the boxes); an upright page is returned unchanged."""
    if len(boxes) < 8 or len(boxes) > SKEW_MAX_BOXES:
        return boxes
    heights = sorted(b.height for b in boxes)
    height = heights[len(heights) // 2]
    slope = _margin_slope(boxes, height)
    if slope is None or abs(slope) < SKEW_MIN_SLOPE or abs(slope) > SKEW_MAX_SLOPE:
        return boxes
    bin_height = max(height / 2, 1.0)
    if _row_profile(boxes, slope, bin_height) < SKEW_MIN_GAIN * _row_profile(
        boxes, 0.0, bin_height
    ):
        return boxes
    # The rows must agree: no skew nearer upright, or on the other side, lines them up as
    # well (a shear by a whole row lines them up one row off, hence only skews that move
    # the far edge by less than half a row).
    span = max(b.x1 for b in boxes) - min(b.x0 for b in boxes)
    widest = 0.5 * height / max(span, 1.0)
    tried = [k * SKEW_STEP for k in range(-SKEW_STEPS, SKEW_STEPS + 1)]
    tried = [t for t in tried if abs(t) <= widest]
    if tried:
        sharpest = max(tried, key=lambda t: (_row_profile(boxes, t, bin_height), -abs(t)))
        if sharpest * slope <= 0:
            return boxes
    sheared = []
    for b in boxes:
        dy = slope * (b.x0 + b.x1) / 2
        sheared.append(Box(b.text, b.x0, b.y0 - dy, b.x1, b.y1 - dy, b.score))
    return sheared


# Lines compared with each box at most; see `group_lines`.
MAX_OPEN_LINES = 12


def group_lines(boxes: list[Box], *, page: int = 1, overlap: float = 0.5) -> list[Line]:
    """Group boxes into lines by vertical overlap, top to bottom, each line in x-order.

    A box joins the line whose vertical span overlaps it by at least `overlap` of the smaller
    height (and whose centre line is nearest), unless it collides horizontally with a box
    already on that line; otherwise it starts a new line. Tall boxes (a logo, a stamp) thus do
    not swallow the rows beside them.

    O(n log n): boxes are visited in order of their centre line, and only lines still "open"
    near that centre are compared (a line closes once it ends more than a few typical box
    heights above the current box); within a line, collisions are looked up by x with bisect.
    A 2-million-character text layer groups in seconds, not hours.
    """
    if not boxes:
        return []
    ordered = sorted(boxes, key=lambda b: (b.cy, b.x0))
    heights = sorted(b.height for b in ordered)
    # How far above the current centre line an open line may still end: boxes are visited
    # by centre, so a later box reaches higher only by being taller than this.
    reach = 4 * heights[len(heights) // 2] + 1e-6
    open_lines: list[_OpenLine] = []
    closed: list[_OpenLine] = []
    for box in ordered:
        limit = box.cy - reach
        if len(open_lines) > 1 or (open_lines and open_lines[0].y1 < limit):
            still = [line for line in open_lines if line.y1 >= limit]
            if len(still) != len(open_lines):
                closed.extend(line for line in open_lines if line.y1 < limit)
                open_lines = still
        best = None
        best_distance = 0.0
        by0, by1, height, cy = box.y0, box.y1, box.y1 - box.y0, box.cy
        for line in open_lines:
            ly0, ly1 = line.y0, line.y1
            inter = (ly1 if ly1 < by1 else by1) - (ly0 if ly0 > by0 else by0)
            if inter <= 0:
                continue
            smaller = min(ly1 - ly0, height)
            if smaller <= 0 or inter < overlap * smaller or line.collides(box):
                continue
            distance = abs((ly0 + ly1) / 2 - cy)
            if best is None or distance < best_distance:
                best, best_distance = line, distance
        if best is not None:
            best.add(box)
            continue
        if len(open_lines) >= MAX_OPEN_LINES:
            # Boxes stacked on one another (a hostile or broken text layer) would open a line
            # each; close the one that ends highest so that every box costs O(MAX_OPEN_LINES).
            highest = min(range(len(open_lines)), key=lambda k: open_lines[k].y1)
            closed.append(open_lines.pop(highest))
        open_lines.append(_OpenLine(box))
    closed.extend(open_lines)
    closed.sort(key=lambda line: line.centre)
    return [Line(line.members_in_x_order(), page) for line in closed]


class _OpenLine:
    """A line being built: its members sorted by x0 (for collision look-ups) and its core
    span, the span of its median-height member once it has three (so that skew does not
    let the span grow forever). The median is kept with two heaps."""

    __slots__ = ("xs", "members", "y0", "y1", "low", "high", "widest", "cy_sum", "count")

    def __init__(self, box: Box) -> None:
        self.xs = [box.x0]
        self.members = [box]
        self.y0, self.y1 = box.y0, box.y1
        self.low: list[tuple[float, int, Box]] = []  # max-heap (negated) of the lower half
        self.high: list[tuple[float, int, Box]] = [(box.height, 0, box)]  # min-heap, upper
        self.widest = box.x1 - box.x0
        self.cy_sum = box.cy
        self.count = 1

    def collides(self, box: Box) -> bool:
        """Whether `box` overlaps a member horizontally by more than half (see `_collides`)."""
        start = bisect.bisect_left(self.xs, box.x0 - self.widest)
        for index in range(start, len(self.xs)):
            other = self.members[index]
            if other.x0 > box.x1:
                break
            if _collides(box, other):
                return True
        return False

    def add(self, box: Box) -> None:
        index = bisect.bisect_right(self.xs, box.x0)
        self.xs.insert(index, box.x0)
        self.members.insert(index, box)
        self.widest = max(self.widest, box.x1 - box.x0)
        self.cy_sum += box.cy
        self.count += 1
        entry = (box.height, self.count, box)
        if self.high and box.height >= self.high[0][0]:
            heapq.heappush(self.high, entry)
        else:
            heapq.heappush(self.low, (-entry[0], entry[1], entry[2]))
        # Keep len(high) == len(low) + (0 or 1): high[0] is then members sorted by height [n // 2].
        target_low = self.count // 2
        while len(self.low) > target_low:
            h, k, b = heapq.heappop(self.low)
            heapq.heappush(self.high, (-h, k, b))
        while len(self.low) < target_low:
            h, k, b = heapq.heappop(self.high)
            heapq.heappush(self.low, (-h, k, b))
        if self.count > 2:
            mid = self.high[0][2]
            self.y0, self.y1 = mid.y0, mid.y1
        else:
            self.y0, self.y1 = min(self.y0, box.y0), max(self.y1, box.y1)

    def members_in_x_order(self) -> list[Box]:
        return list(self.members)

    @property
    def centre(self) -> float:
        return self.cy_sum / self.count


def _collides(a: Box, b: Box) -> bool:
    """Two boxes that overlap horizontally by more than half belong to different lines."""
    inter = min(a.x1, b.x1) - max(a.x0, b.x0)
    return inter > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def merge_close_boxes(line: Line, *, gap: float = 0.8) -> Line:
    """Join boxes of a line that are closer than `gap` x their height (PDF text layers often
    give one box per glyph or per word); a space is kept where the gap looks like one."""
    merged: list[Box] = []
    for box in line.boxes:
        if merged:
            last = merged[-1]
            height = min(last.height, box.height)
            distance = box.x0 - last.x1
            if -0.5 * height <= distance <= gap * height:
                sep = "" if distance < 0.12 * height and not last.text.endswith(" ") else " "
                if sep == "" and last.text[-1:].isdigit() and box.text[:1].isdigit():
                    # Two words of the text layer, digits touching digits: two numbers
                    # printed edge to edge ("November 2, 2024" running into "84618").
                    sep = " "
                text = (
                    (last.text.rstrip() + sep + box.text.lstrip()) if sep else last.text + box.text
                )
                merged[-1] = Box(
                    text.strip(),
                    last.x0,
                    min(last.y0, box.y0),
                    max(last.x1, box.x1),
                    max(last.y1, box.y1),
                    min(last.score, box.score),
                )
                continue
        merged.append(Box(box.text.strip(), box.x0, box.y0, box.x1, box.y1, box.score))
    return Line([b for b in merged if b.text], line.page)


# A gap wider than this many box heights between two boxes of a line separates two columns.
COLUMN_GAP = 4.0
# Lines of one address block follow each other within this many box heights of blank.
BLOCK_GAP = 1.2


def columns_apart(left: Box, right: Box, height: float) -> bool:
    """Whether a column's gap (`COLUMN_GAP` times `height`, the text's height) separates two
    boxes of a line."""
    return right.x0 - left.x1 > COLUMN_GAP * max(height, 1.0)
