"""A plan's actions as a board of status columns: drag a card to another column, or move it with Ctrl+arrows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, format_date, format_number, ngettext
from coachdesk.model import ActionStatus
from coachdesk.services.plans import ActionView
from coachdesk.services.vocabulary import label

#: The columns, in reading order; dropped actions stay off the board.
BOARD_STATUSES = (ActionStatus.TODO, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED, ActionStatus.DONE)
ACTION_MIME = "application/x-coachdesk-plan-actions"
IdRole = Qt.ItemDataRole.UserRole + 1


def overdue_colour(widget: QWidget) -> QColor:
    """Red for overdue work, light enough to read on a dark palette."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ef9a9a") if dark else QColor("#c62828")


def _quiet_label(text: str = "") -> QLabel:
    note = QLabel(text)
    note.setWordWrap(True)
    note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return note


def step_key(event: QKeyEvent, widget: QWidget) -> bool | None:
    """Whether a key press asks to move an action forward (True) or back (False) along its statuses.

    Ctrl+Right goes forward when text runs left to right; in right-to-left layouts the board is
    mirrored, so Ctrl+Left does.
    """
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return None
    if event.key() not in (Qt.Key.Key_Right, Qt.Key.Key_Left):
        return None
    forward = event.key() == Qt.Key.Key_Right
    return forward != (widget.layoutDirection() == Qt.LayoutDirection.RightToLeft)


class StatusColumn(QListWidget):
    """One column of cards; takes cards dropped from the others."""

    dropped = Signal(object, object)  # action ids, the column's status
    step = Signal(object, bool)  # action id, forward
    open_action = Signal(object)  # action id

    def __init__(self, status: ActionStatus) -> None:
        super().__init__()
        self.status = status
        self.setAccessibleName(label(status))
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSpacing(2)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemDoubleClicked.connect(lambda item: self.open_action.emit(item.data(IdRole)))

    def current_id(self) -> uuid.UUID | None:
        item = self.currentItem()
        return item.data(IdRole) if item is not None else None

    def mimeTypes(self) -> list[str]:
        return [ACTION_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        data.setData(ACTION_MIME, "\n".join(str(i.data(IdRole)) for i in items).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ACTION_MIME) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(ACTION_MIME) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(ACTION_MIME) or event.source() is self:
            event.ignore()
            return
        raw = bytes(event.mimeData().data(ACTION_MIME).data()).decode()
        ids = [uuid.UUID(text) for text in raw.split("\n") if text.strip()]
        # Copy, not move: the source column must not drop its card on its own; the board
        # is drawn again from the database once the new status is kept.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if ids:
            self.dropped.emit(ids, self.status)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        forward = step_key(event, self)
        if forward is not None and self.current_id() is not None:
            self.step.emit(self.current_id(), forward)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_id() is not None:
            self.open_action.emit(self.current_id())
            return
        super().keyPressEvent(event)


class ActionBoard(QWidget):
    """To do, in progress, blocked, done: one column each, for the plan on show."""

    status_wanted = Signal(object, object)  # action id, status
    step_wanted = Signal(object, bool)  # action id, forward
    open_action = Signal(object)  # action id
    current_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: uuid.UUID | None = None
        self._filling = False
        self.columns: dict[ActionStatus, StatusColumn] = {}
        self.captions: dict[ActionStatus, QLabel] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for status in BOARD_STATUSES:
            column = StatusColumn(status)
            caption = QLabel()
            caption.setBuddy(column)
            caption.setWordWrap(True)
            column.dropped.connect(lambda ids, s: [self.status_wanted.emit(i, s) for i in ids])
            column.step.connect(self.step_wanted)
            column.open_action.connect(self.open_action)
            column.currentItemChanged.connect(lambda item, _old, c=column: self._chosen(c, item))
            holder = QVBoxLayout()
            holder.addWidget(caption)
            holder.addWidget(column, 1)
            row.addLayout(holder, 1)
            self.columns[status] = column
            self.captions[status] = caption
        self.hidden_note = _quiet_label()
        self.hint = _quiet_label(_("Drag a card to another column, or select it and press Ctrl+Right or "
                                   "Ctrl+Left to move it along to do, in progress and done."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row, 1)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.hint)
        self.set_actions([])

    def current_id(self) -> uuid.UUID | None:
        """The card chosen last, in whichever column."""
        return self._current

    def _chosen(self, column: StatusColumn, item: QListWidgetItem | None) -> None:
        if self._filling or item is None:
            return
        self._current = item.data(IdRole)
        for other in self.columns.values():
            if other is not column:
                other.setCurrentItem(None)
        self.current_changed.emit()

    def set_actions(self, actions: Sequence[ActionView], select: uuid.UUID | None = None) -> None:
        colour = QBrush(overdue_colour(self))
        had_focus = any(c.hasFocus() for c in self.columns.values())
        self._filling = True
        self._current = select if any(a.id == select for a in actions) else None
        for status, column in self.columns.items():
            column.clear()
            mine = [a for a in actions if a.status is status]
            for action in mine:
                lines = [action.description]
                if action.due_on:
                    lines.append(_("Due {date}").format(date=format_date(action.due_on, "medium")))
                if action.owner:
                    lines.append(action.owner)
                item = QListWidgetItem("\n".join(lines))
                item.setData(IdRole, action.id)
                item.setToolTip("\n".join(lines))
                if action.overdue:
                    item.setForeground(colour)
                    font = QFont(column.font())
                    font.setBold(True)
                    item.setFont(font)
                column.addItem(item)
                if action.id == self._current:
                    column.setCurrentItem(item)
                    if had_focus:
                        column.setFocus(Qt.FocusReason.OtherFocusReason)
            self.captions[status].setText(_("{status} ({count})").format(status=label(status),
                                                                         count=format_number(len(mine))))
        self._filling = False
        dropped = sum(1 for a in actions if a.status is ActionStatus.DROPPED)
        self.hidden_note.setText(ngettext("{count} dropped action is not shown here.",
                                          "{count} dropped actions are not shown here.", dropped).format(
            count=format_number(dropped)))
        self.hidden_note.setVisible(dropped > 0)

    def column_of(self, action_id: uuid.UUID) -> StatusColumn | None:
        for column in self.columns.values():
            for row in range(column.count()):
                if column.item(row).data(IdRole) == action_id:
                    return column
        return None
