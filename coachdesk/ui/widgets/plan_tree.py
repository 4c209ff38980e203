"""A plan's goals with their actions under them; Ctrl+arrows move an action's status, Enter edits, Delete removes."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from coachdesk.i18n import _, format_date, format_number
from coachdesk.services.plans import ActionView, GoalView, PlanDetail
from coachdesk.ui.widgets.action_board import overdue_colour, step_key

GOAL, ACTION = "goal", "action"
KindRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2


def goal_text(goal: GoalView) -> str:
    text = " — ".join(t for t in (goal.capacity_label, goal.description) if t) or _("(goal without a name)")
    if goal.target_level:
        text += " · " + _("target level {level}").format(level=format_number(goal.target_level))
    return text


def action_texts(action: ActionView) -> list[str]:
    """The cells of an action's row; two lines a cell in the middle keep six facts readable at 1024 pixels."""
    due = format_date(action.due_on, "medium") if action.due_on else _("no due date")
    method = "\n".join(t for t in (action.method_label, action.owner) if t)
    return [action.description, method, f"{due}\n{action.status_label}", action.funding_program]


class PlanTree(QTreeWidget):
    step = Signal(object, bool)  # action id, forward
    edit_requested = Signal()
    remove_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_("Goals and actions"))
        self.setHeaderLabels([_("Goal or action"), _("Method, owner"), _("Due, status"), _("Funding")])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.itemDoubleClicked.connect(lambda _item, _column: self.edit_requested.emit())
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)

    def selected(self) -> tuple[str, uuid.UUID] | None:
        item = self.currentItem()
        return (item.data(0, KindRole), item.data(0, IdRole)) if item is not None else None

    def find(self, kind: str, row_id: uuid.UUID) -> QTreeWidgetItem | None:
        for g in range(self.topLevelItemCount()):
            goal = self.topLevelItem(g)
            if (kind, row_id) == (GOAL, goal.data(0, IdRole)):
                return goal
            for a in range(goal.childCount()):
                if (kind, row_id) == (ACTION, goal.child(a).data(0, IdRole)):
                    return goal.child(a)
        return None

    def show_plan(self, detail: PlanDetail, keep: tuple[str, uuid.UUID] | None) -> None:
        """Draw ``detail``, choosing ``keep`` again if it is still there (else the first goal)."""
        self.clear()
        colour = QBrush(overdue_colour(self))
        bold = QFont(self.font())
        bold.setBold(True)
        for goal in detail.goals:
            goal_item = QTreeWidgetItem([goal_text(goal)])
            goal_item.setData(0, KindRole, GOAL)
            goal_item.setData(0, IdRole, goal.id)
            goal_item.setFont(0, bold)
            goal_item.setToolTip(0, goal_text(goal))
            self.addTopLevelItem(goal_item)
            goal_item.setFirstColumnSpanned(True)
            for action in goal.actions:
                texts = action_texts(action)
                item = QTreeWidgetItem(goal_item, texts)
                item.setData(0, KindRole, ACTION)
                item.setData(0, IdRole, action.id)
                for column, text in enumerate(texts):
                    item.setToolTip(column, text)
                if action.overdue and action.due_on is not None:
                    for column in range(len(texts)):
                        item.setForeground(column, colour)
                    for column in (0, 2):  # the words that matter; bold everywhere would not fit
                        item.setFont(column, bold)
                    item.setToolTip(2, _("Overdue since {date}").format(date=format_date(action.due_on, "medium")))
        self.expandAll()
        self.fit_columns()
        chosen = self.find(*keep) if keep else None
        if chosen is None and self.topLevelItemCount():
            chosen = self.topLevelItem(0)
        if chosen is not None:
            self.setCurrentItem(chosen)

    def fit_columns(self) -> None:
        """Dates and statuses in full; method and funding share what the description leaves (55%)."""
        header = self.header()
        for column in range(1, self.columnCount()):
            self.resizeColumnToContents(column)
        room = int(self.viewport().width() * 0.55) - header.sectionSize(2)
        wanted = header.sectionSize(1) + header.sectionSize(3)
        scale = min(1.0, room / wanted) if wanted > 0 and room > 0 else 1.0
        floor = self.fontMetrics().averageCharWidth() * 8
        for column in (1, 3):
            header.resizeSection(column, max(floor, int(header.sectionSize(column) * scale)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        forward = step_key(event, self)
        if forward is not None:
            if item is not None and item.data(0, KindRole) == ACTION:
                self.step.emit(item.data(0, IdRole), forward)
            return  # never let Ctrl+arrows fold the tree instead
        if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit()
            return
        if item is not None and event.key() == Qt.Key.Key_Delete:
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)
