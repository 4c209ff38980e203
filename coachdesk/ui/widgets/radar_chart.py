"""A radar chart of capacity levels (1–5), the latest assessment drawn over the previous one.

Drawn with QPainter from the palette, so it reads in light and dark themes and mirrors
nothing: the axes go clockwise from the top in every language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from coachdesk.i18n import _

LEVELS = 5


@dataclass(frozen=True)
class RadarSeries:
    label: str  # e.g. "12 March 2026"
    levels: Sequence[float | None]  # one per axis; None where not assessed


class RadarChart(QWidget):
    #: Latest in the highlight colour, earlier ones in a muted one.
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[str] = []
        self.series: list[RadarSeries] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 220)
        self.setAccessibleName(_("Capacity chart"))

    def sizeHint(self) -> QSize:
        return QSize(420, 360)

    def set_data(self, axes: Sequence[str], series: Sequence[RadarSeries]) -> None:
        """``series`` oldest first; the last one is drawn on top and highlighted."""
        self.axes = list(axes)
        self.series = list(series)
        described = "; ".join(
            f"{axis}: " + ", ".join("-" if s.levels[i] is None else f"{s.levels[i]:g}" for s in self.series)
            for i, axis in enumerate(self.axes)
        )
        self.setAccessibleDescription(described)
        self.update()

    def _point(self, centre: QPointF, radius: float, index: int, value: float) -> QPointF:
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(self.axes))
        r = radius * value / LEVELS
        return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(70)
        metrics = QFontMetrics(self.font())
        if len(self.axes) < 3:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             _("Rate at least three capacities to see the chart."))
            return
        legend_height = metrics.height() + 6 if self.series else 0
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8 - legend_height)
        # Labels get up to three lines in a box a quarter of the chart wide; the web shrinks
        # to leave them room rather than clipping them.
        label_width = max(70.0, min(170.0, area.width() / 4))
        line = metrics.height()
        radius = max(20.0, min(area.width() / 2 - label_width * 0.9, area.height() / 2 - line * 2.2))
        centre = area.center()

        painter.setPen(QPen(grid, 1))
        for level in range(1, LEVELS + 1):
            ring = QPolygonF([self._point(centre, radius, i, level) for i in range(len(self.axes))])
            painter.drawPolygon(ring)
        for i in range(len(self.axes)):
            painter.drawLine(centre, self._point(centre, radius, i, LEVELS))

        painter.setPen(text)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        for i, axis in enumerate(self.axes):
            tip = self._point(centre, radius, i, LEVELS)
            dx, dy = tip.x() - centre.x(), tip.y() - centre.y()
            tall = QRect(0, 0, int(label_width), line * 20)
            shown = axis
            while metrics.boundingRect(tall, int(flags), shown).height() > line * 3 and len(shown) > 4:
                shown = shown[: max(4, len(shown) - 4)].rstrip() + "…"
            needed = metrics.boundingRect(tall, int(flags), shown).height()
            box = QRectF(0, 0, label_width, needed)
            # Push the box outward from the tip so it never covers the web.
            box.moveCenter(QPointF(tip.x() + (label_width / 2 + 4) * (1 if dx > 1 else -1 if dx < -1 else 0),
                                   tip.y() + (needed / 2 + 4) * (1 if dy > 1 else -1 if dy < -1 else 0)))
            bounds = QRectF(self.rect())
            box.moveLeft(min(max(box.left(), bounds.left()), bounds.right() - box.width()))
            box.moveTop(min(max(box.top(), bounds.top()), bounds.bottom() - legend_height - box.height()))
            painter.drawText(box, flags, shown)

        highlight = palette.color(QPalette.ColorRole.Highlight)
        muted = QColor(text)
        muted.setAlpha(140)
        for n, series in enumerate(self.series):
            latest = n == len(self.series) - 1
            colour = highlight if latest else muted
            fill = QColor(colour)
            fill.setAlpha(70 if latest else 25)
            # Axes a series did not rate are left out of its outline, not drawn at zero.
            points = [self._point(centre, radius, i, v) for i, v in enumerate(series.levels) if v is not None]
            if not points:
                continue
            painter.setPen(QPen(colour, 2.5 if latest else 1.5, Qt.PenStyle.SolidLine if latest else Qt.PenStyle.DashLine))
            painter.setBrush(fill)
            painter.drawPolygon(QPolygonF(points))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for point in points:
                painter.drawEllipse(point, 2.5, 2.5)

        if self.series:
            x = area.left()
            y = self.rect().bottom() - legend_height + 2
            for n, series in enumerate(self.series[-2:]):
                latest = series is self.series[-1]
                colour = highlight if latest else muted
                painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine if latest else Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, y + metrics.height() / 2), QPointF(x + 24, y + metrics.height() / 2))
                painter.setPen(text)
                painter.drawText(QPointF(x + 30, y + metrics.ascent()), series.label)
                x += 40 + metrics.horizontalAdvance(series.label)
