"""A step indicator for the journey: first contact → … → evaluation, with done, current and upcoming steps.

The three states differ in shape and weight, not in colour alone: a done step shows a check
mark, the current one a filled circle with its number and a bold label, an upcoming one a
hollow circle. Steps sit in a layout, so they mirror in right-to-left languages.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QSizePolicy, QWidget

from coachdesk.i18n import _, format_number
from coachdesk.model import JourneyStage
from coachdesk.services.vocabulary import label

DONE, CURRENT, UPCOMING = "done", "current", "upcoming"


class StepButton(QAbstractButton):
    """One step: a marker circle over its label. Focusable; Enter, Space or a click chooses it."""

    def __init__(self, stage: JourneyStage, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage, self.number = stage, number
        self.state = UPCOMING
        self.setText(label(stage))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_state(self, state: str) -> None:
        self.state = state
        words = {DONE: _("{stage}: done"), CURRENT: _("{stage}: current stage"), UPCOMING: _("{stage}: not yet")}
        self.setAccessibleName(words[state].format(stage=self.text()))
        self.setToolTip(self.accessibleName())
        self.updateGeometry()  # the current step's bold label needs more room
        self.update()

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(self.state == CURRENT)
        return font

    def _diameter(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._label_font())
        # Room for two lines so long labels ("Premier contact") wrap instead of being cut.
        width = max(metrics.horizontalAdvance(self.text()) // 2 + 16, self._diameter() + 16, 72)
        height = self._diameter() + 8 + 2 * metrics.height()
        return QSize(min(width, metrics.horizontalAdvance(self.text()) + 16), height)

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self._label_font())
        # Labels wrap between words, never inside one: the longest word sets the narrowest width.
        longest = max((metrics.horizontalAdvance(word) for word in self.text().split()), default=0)
        return QSize(max(self._diameter(), longest) + 4, self._diameter() + 8 + 2 * metrics.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        diameter = self._diameter()
        circle = QRectF((self.width() - diameter) / 2, 2, diameter, diameter)
        if self.state == UPCOMING:
            painter.setPen(QPen(text, 1.5))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
        else:
            painter.setPen(QPen(accent, 1.5))
            painter.setBrush(accent)
        painter.drawEllipse(circle)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText) if self.state != UPCOMING else text)
        mark = "✓" if self.state == DONE else format_number(self.number)
        marker_font = QFont(self.font())
        marker_font.setBold(True)
        painter.setFont(marker_font)
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, mark)

        painter.setFont(self._label_font())
        painter.setPen(text)
        box = QRectF(0, diameter + 6, self.width(), self.height() - diameter - 6)
        painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                         self.text())
        if self.hasFocus():
            pen = QPen(accent, 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)


class _Connector(QWidget):
    """The line between two steps, level with the middle of their circles."""

    def __init__(self, y: float) -> None:
        super().__init__()
        self.y = y
        self.setMinimumWidth(4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        colour.setAlpha(110)
        painter.setPen(QPen(colour, 1.5))
        painter.drawLine(QPointF(0, self.y), QPointF(self.width(), self.y))


class JourneySteps(QWidget):
    """The six journey stages as connected steps; ``stage_chosen`` fires when one is clicked or pressed."""

    stage_chosen = Signal(object)  # a JourneyStage

    def __init__(self, parent: QWidget | None = None, stages: Sequence[JourneyStage] = tuple(JourneyStage)) -> None:
        super().__init__(parent)
        self.stages = list(stages)
        self.current: JourneyStage | None = None
        self.setAccessibleName(_("Journey stage"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.buttons: list[StepButton] = []
        for number, stage in enumerate(self.stages, start=1):
            if self.buttons:
                layout.addWidget(_Connector(self.buttons[0]._diameter() / 2 + 2), 1)
            button = StepButton(stage, number)
            button.clicked.connect(lambda _checked=False, s=stage: self.stage_chosen.emit(s))
            button.installEventFilter(self)
            self.buttons.append(button)
            layout.addWidget(button, 2)
        self.set_stage(self.stages[0])

    def set_stage(self, stage: JourneyStage) -> None:
        self.current = stage
        at = self.stages.index(stage)
        for index, button in enumerate(self.buttons):
            button.set_state(DONE if index < at else CURRENT if index == at else UPCOMING)

    def state_of(self, stage: JourneyStage) -> str:
        return self.buttons[self.stages.index(stage)].state

    def button(self, stage: JourneyStage) -> StepButton:
        return self.buttons[self.stages.index(stage)]

    def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
        # Arrow keys walk the steps in reading order, so Left means "next" in right-to-left text.
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress and watched in self.buttons:
            step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}.get(Qt.Key(event.key()))
            if step is not None:
                if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                    step = -step
                index = max(0, min(len(self.buttons) - 1, self.buttons.index(watched) + step))
                self.buttons[index].setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                watched.click()
                return True
        return super().eventFilter(watched, event)
