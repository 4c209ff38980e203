"""The anchored 1–5 level input: five large buttons, "skip", and the anchor text of the level in view.

Built to be read on a projector by a group and driven from the keyboard: when the scale has
focus, digits 1–5 choose a level, 0 or S skips, the arrow keys step through the levels.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coachdesk.i18n import _
from coachdesk.model import LEVEL_MAX, LEVEL_MIN

SKIP = 0  # the button id of "skip / does not apply"
_STEPS = [None, *range(LEVEL_MIN, LEVEL_MAX + 1)]


class LevelScale(QWidget):
    """Choose a level 1–5 or skip; ``level`` is None when skipped (the default)."""

    level_changed = Signal(object)  # int, or None for skipped

    def __init__(self, anchors: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anchors = list(anchors)
        self._level: int | None = None
        self._hovered: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        big = self.font()
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.buttons: dict[int, QPushButton] = {}
        for level in range(LEVEL_MIN, LEVEL_MAX + 1):
            button = QPushButton(str(level))
            button.setFont(big)
            button.setMinimumHeight(button.fontMetrics().height() + 16)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("00") + 24)
            button.setToolTip(self.anchor(level))
            button.setAccessibleName(_("Level {level}").format(level=level))
            self.buttons[level] = button
        skip = QPushButton(_("Skip / does not apply"))
        skip.setMinimumHeight(self.buttons[LEVEL_MIN].minimumHeight())
        skip.setAccessibleName(_("Skip, does not apply"))
        self.buttons[SKIP] = skip
        for level, button in self.buttons.items():
            button.setCheckable(True)
            # Keys reach the scale itself, so one Tab stop covers the six buttons.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.installEventFilter(self)
            self.group.addButton(button, level)
            buttons.addWidget(button, 0 if level == SKIP else 1)
            if level == LEVEL_MAX:
                buttons.addSpacing(12)
        skip.setChecked(True)
        # A group must see the chosen level from the back of the room: palette colours, never fixed ones.
        self.setStyleSheet("QPushButton { padding: 4px 12px; }"
                           " QPushButton:checked { background-color: palette(highlight);"
                           " color: palette(highlighted-text); border: 1px solid palette(highlight);"
                           " border-radius: 4px; }")
        self.group.idClicked.connect(lambda level: self.set_level(level or None))

        self.anchor_label = QLabel()
        self.anchor_label.setWordWrap(True)
        self.anchor_label.setTextFormat(Qt.TextFormat.PlainText)
        readable = self.font()
        readable.setPointSizeF(readable.pointSizeF() * 1.15)
        self.anchor_label.setFont(readable)
        self.anchor_label.setMinimumHeight(self.anchor_label.fontMetrics().lineSpacing() * 2)
        self.anchor_label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.anchor_label)
        self._show_anchor()

    # -- value

    @property
    def level(self) -> int | None:
        return self._level

    def anchor(self, level: int) -> str:
        if LEVEL_MIN <= level <= len(self.anchors):
            return self.anchors[level - 1]
        return ""

    def set_level(self, level: int | None) -> None:
        """Choose ``level`` (None skips); ``level_changed`` is emitted only when it changes."""
        if level is not None and not LEVEL_MIN <= level <= LEVEL_MAX:
            level = None
        self.buttons[level or SKIP].setChecked(True)
        changed = level != self._level
        self._level = level
        self._show_anchor()
        if changed:
            self.level_changed.emit(level)

    def _show_anchor(self) -> None:
        shown = self._hovered if self._hovered is not None else self._level
        if shown is None or shown == SKIP:
            text = _("Not rated. Choose the level that fits best, from 1 (not yet) to 5 (we can teach others).")
        else:
            anchor = self.anchor(shown)
            text = (_("Level {level}: {anchor}").format(level=shown, anchor=anchor) if anchor
                    else _("Level {level}").format(level=shown))
        self.anchor_label.setText(text)
        self.setAccessibleDescription(text)
        self._mute_label(shown is None or shown == SKIP)

    def _mute_label(self, muted: bool) -> None:
        palette = self.anchor_label.palette()
        role = QPalette.ColorRole.PlaceholderText if muted else QPalette.ColorRole.WindowText
        palette.setColor(QPalette.ColorRole.WindowText, self.palette().color(role))
        self.anchor_label.setPalette(palette)

    # -- keyboard and mouse

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text().casefold()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_5 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.set_level(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_0 or (text == "s" and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier):
            self.set_level(None)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            forward = (key == Qt.Key.Key_Right) != (self.layoutDirection() == Qt.LayoutDirection.RightToLeft)
            step = _STEPS.index(self._level) + (1 if forward else -1)
            self.set_level(_STEPS[max(0, min(len(_STEPS) - 1, step))])
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QAbstractButton):
            if event.type() == QEvent.Type.Enter:
                self._hovered = self.group.id(watched)
                self._show_anchor()
            elif event.type() == QEvent.Type.Leave:
                self._hovered = None
                self._show_anchor()
            elif event.type() == QEvent.Type.MouseButtonPress:
                self.setFocus(Qt.FocusReason.MouseFocusReason)
        return super().eventFilter(watched, event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            # The buttons take no focus, so the scale shows where the keyboard is.
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
