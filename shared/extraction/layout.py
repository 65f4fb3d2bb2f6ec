"""Text boxes -> reading lines.

Both text sources (the PDF text layer and OCR) yield boxes: a piece of text with its bounding
box. Field extraction works on lines, so boxes that overlap vertically are grouped into one
line, kept in x-order; a label ("Total") and its value ("9.00") printed far apart on the same
row end up on the same line, which is what the field rules rely on.
"""

from __future__ import annotations

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


def group_lines(boxes: list[Box], *, page: int = 1, overlap: float = 0.5) -> list[Line]:
    """Group boxes into lines by vertical overlap, top to bottom, each line in x-order.

    A box joins the line whose vertical span overlaps it by at least `overlap` of the smaller
    height (and whose centre line is nearest); otherwise it starts a new line. Tall boxes (a
    logo, a stamp) thus do not swallow the rows beside them.
    """
    lines: list[tuple[float, float, list[Box]]] = []  # (y0, y1, boxes) of the line's core
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        best = None
        best_distance = None
        for index, (ly0, ly1, members) in enumerate(lines):
            inter = min(ly1, box.y1) - max(ly0, box.y0)
            smaller = min(ly1 - ly0, box.height)
            if smaller <= 0 or inter / smaller < overlap:
                continue
            if any(_collides(box, other) for other in members):
                continue
            distance = abs((ly0 + ly1) / 2 - box.cy)
            if best_distance is None or distance < best_distance:
                best, best_distance = index, distance
        if best is None:
            lines.append((box.y0, box.y1, [box]))
        else:
            ly0, ly1, members = lines[best]
            members.append(box)
            # The line's span is the median box's span, so skew does not let it grow forever.
            heights = sorted(members, key=lambda b: b.height)
            mid = heights[len(heights) // 2]
            lines[best] = (
                mid.y0 if len(members) > 2 else min(ly0, box.y0),
                mid.y1 if len(members) > 2 else max(ly1, box.y1),
                members,
            )
    result = [Line(sorted(members, key=lambda b: b.x0), page) for _, _, members in lines]
    result.sort(key=lambda line: sum(b.cy for b in line.boxes) / len(line.boxes))
    return result


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
