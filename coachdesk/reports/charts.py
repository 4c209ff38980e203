"""Charts drawn with reportlab's graphics, labelled with shaped, bidi-ordered paragraphs so they
read right in every script: the capacity radar and the bars of the evaluation report."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.renderPDF import draw as draw_drawing
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Polygon
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from coachdesk.reports import fonts
from coachdesk.reports.layout import ACCENT, INK, MUTED, RULE

LATEST = ACCENT
PREVIOUS = colors.HexColor("#c2410c")
SPREAD = colors.HexColor("#7c9cb5")  # a group's lowest-to-highest band, lighter than the consensus line


class Radar(Flowable):
    """Levels 1–5 per capacity on spokes; the latest assessment filled, the previous one dashed; for a group
    sitting, a band along each spoke from the lowest to the highest level the participants chose."""

    def __init__(self, axes: Sequence[str], latest: Sequence[float], previous: Sequence[float] | None,
                 size: float, rtl: bool, levels: int = 5,
                 spreads: Sequence[tuple[float, float] | None] | None = None) -> None:
        super().__init__()
        self.axes, self.latest, self.previous = list(axes), list(latest), list(previous) if previous else None
        self.spreads = list(spreads) if spreads else []
        self.size, self.rtl, self.levels = size, rtl, levels
        self.label_width = size * 0.22
        self.width = size + 2 * self.label_width
        self.height = size + 36

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        # Labels of three lines at the top or bottom spoke would reach past the chart onto the legend.
        self.height = self.size + 36
        reach = max((abs(bottom - self.height / 2) if bottom < self.height / 2 else abs(top - self.height / 2))
                    for _block, _left, bottom, top in self._labels()) if self.axes else 0.0
        self.height = max(self.height, 2 * reach + 4)
        return self.width, self.height

    def _labels(self) -> list[tuple[Paragraph, float, float, float]]:
        """Each axis label, wrapped, with where it goes: (paragraph, left, bottom, top)."""
        style = ParagraphStyle("axis", fontName=fonts.REGULAR, fontSize=7, leading=8.5, textColor=INK, shaping=1,
                               wordWrap="RTL" if self.rtl else "LTR")
        placed = []
        for i, label in enumerate(self.axes):
            x, y = self._point(i, self.levels + 0.35)
            centre_x = self.width / 2
            align = TA_CENTER if abs(x - centre_x) < 4 else (TA_LEFT if x > centre_x else TA_RIGHT)
            block = Paragraph(fonts.markup(label), ParagraphStyle("a", parent=style, alignment=align))
            w, h = block.wrap(self.label_width, 40)
            left = x - w / 2 if align == TA_CENTER else (x if align == TA_LEFT else x - w)
            bottom = y - h / 2 if align != TA_CENTER else (y if y > self.height / 2 else y - h)
            placed.append((block, left, bottom, bottom + h))
        return placed

    def _point(self, index: int, value: float) -> tuple[float, float]:
        count = len(self.axes)
        # Clockwise from the top; right to left, counter-clockwise, so the order reads the other way.
        turn = (-1 if self.rtl else 1) * 2 * math.pi * index / count
        radius = (self.size / 2 - 4) * value / self.levels
        return self.width / 2 + radius * math.sin(turn), self.height / 2 + radius * math.cos(turn)

    def draw(self) -> None:
        drawing = Drawing(self.width, self.height)
        count = len(self.axes)
        for level in range(1, self.levels + 1):
            ring = [c for i in range(count) for c in self._point(i, level)]
            drawing.add(Polygon(ring, strokeColor=RULE, strokeWidth=0.4, fillColor=None))
        for i in range(count):
            x, y = self._point(i, self.levels)
            drawing.add(Line(self.width / 2, self.height / 2, x, y, strokeColor=RULE, strokeWidth=0.4))
        for i, spread in enumerate(self.spreads):
            if spread is not None:
                low, high = self._point(i, spread[0]), self._point(i, spread[1])
                drawing.add(Line(*low, *high, strokeColor=SPREAD, strokeWidth=5, strokeLineCap=1))
        if self.previous:
            points = [c for i, v in enumerate(self.previous) for c in self._point(i, v)]
            drawing.add(PolyLine(points + points[:2], strokeColor=PREVIOUS, strokeWidth=1.2, strokeDashArray=[3, 2]))
        points = [c for i, v in enumerate(self.latest) for c in self._point(i, v)]
        drawing.add(Polygon(points, strokeColor=LATEST, strokeWidth=1.6,
                            fillColor=colors.Color(LATEST.red, LATEST.green, LATEST.blue, alpha=0.18)))
        for i, v in enumerate(self.latest):
            x, y = self._point(i, v)
            drawing.add(Circle(x, y, 1.8, fillColor=LATEST, strokeColor=None))
        draw_drawing(drawing, self.canv, 0, 0)
        for block, left, bottom, _top in self._labels():
            block.drawOn(self.canv, left, bottom)


class Legend(Flowable):
    """A line of coloured keys: (colour, dashed, text)."""

    def __init__(self, keys: Sequence[tuple[colors.Color, bool, str]], width: float, rtl: bool) -> None:
        super().__init__()
        self.keys, self.width, self.rtl = list(keys), width, rtl
        self.height = 14

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        style = ParagraphStyle("legend", fontName=fonts.REGULAR, fontSize=8, leading=10, textColor=MUTED, shaping=1,
                               wordWrap="RTL" if self.rtl else "LTR")
        slot = self.width / max(1, len(self.keys))
        for n, (colour, dashed, text) in enumerate(self.keys):
            left = self.width - (n + 1) * slot if self.rtl else n * slot
            swatch_x = left + slot - 22 if self.rtl else left
            self.canv.setStrokeColor(colour)
            self.canv.setLineWidth(1.6)
            self.canv.setDash([3, 2] if dashed else [])
            self.canv.line(swatch_x, 5, swatch_x + 18, 5)
            self.canv.setDash([])
            block = Paragraph(fonts.markup(text), ParagraphStyle("l", parent=style,
                                                                 alignment=TA_RIGHT if self.rtl else TA_LEFT))
            _w, h = block.wrap(slot - 28, 20)
            block.drawOn(self.canv, left if self.rtl else left + 24, 1)


class Bar(Flowable):
    """One bar of a bar table: ``value`` out of ``maximum``, growing from the reading start."""

    def __init__(self, value: float, maximum: float, width: float, rtl: bool, colour: colors.Color = ACCENT) -> None:
        super().__init__()
        self.value, self.maximum, self.width, self.rtl, self.colour = value, maximum, width, rtl, colour
        self.height = 9

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        length = 0 if self.maximum <= 0 else self.width * max(0.0, self.value) / self.maximum
        self.canv.setFillColor(self.colour)
        self.canv.setStrokeColor(self.colour)
        x = self.width - length if self.rtl else 0
        self.canv.rect(x, 1, length, 7, stroke=0, fill=1)
