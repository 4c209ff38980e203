"""The Plans page: every plan on the left; the chosen plan's goals and actions on the right, as a tree and as
a board of status columns, with keys, drag and drop and small forms to change them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QSignalBlocker, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_number, ngettext
from coachdesk.model import ActionStatus, PlanStatus
from coachdesk.services.plans import (
    PlanDetail,
    PlanSummary,
    plan_detail,
    plan_keys,
    plan_rowid,
    plan_rows,
    remove_action,
    remove_goal,
    set_action_status,
    set_plan_status,
    step_status,
)
from coachdesk.services.vocabulary import choices
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.dialogs.plan_forms import ActionDialog, DraftForm, GoalDialog, NewPlanDialog
from coachdesk.ui.models.lazy_table import Column, LazyTableModel
from coachdesk.ui.views.page_parts import heading, quiet, wrapped
from coachdesk.ui.widgets.action_board import ActionBoard, overdue_colour
from coachdesk.ui.widgets.plan_tree import ACTION, GOAL, IdRole, KindRole, PlanTree, goal_text

DETAIL_TABLES = ("plan", "plan_goal", "plan_action", "funding_opportunity", "toolbox_method", "toolbox_method_text",
                 "capacity", "capacity_text", "mentee")


def confirm(parent: QWidget, title: str, text: str, yes_text: str) -> bool:
    """Module-level so tests can answer it without a modal loop; the safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(_("&Keep it"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is yes


def show_error(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, _("Not saved"), text)


class PlansPage(QWidget):
    """Plans, their goals and actions: method, owner, due date, status, funding; overdue in red."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.detail: PlanDetail | None = None
        self._plan_rowid: int | None = None
        self._stale = False
        self._dialogs: list[DraftForm] = []
        self.model: LazyTableModel[int, PlanSummary] = LazyTableModel(
            [Column("plan", _("Plan"), self._plan_text, roles=self._plan_roles, sortable=False)],
            self._fetch_keys, self._fetch_rows, self)
        self._build_left()
        self._build_right()
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 630])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.New, self, self.new_action, context=shortcut)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.new_plan, context=shortcut)
        context.changes.changed.connect(self._changed)
        self.reload_plans()

    # -- layout

    def _build_left(self) -> None:
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Mentee or plan title"))
        self.filter.setClearButtonEnabled(True)
        filter_label = QLabel(_("F&ind:"))
        filter_label.setBuddy(self.filter)
        self.active_only = QCheckBox(_("&Active plans only"))
        self.active_only.setToolTip(_("Draft and active plans of mentees who are not archived"))
        self.active_only.setChecked(True)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName(_("Plans"))
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.count = quiet(wrapped())
        self.new_plan_button = QPushButton(_("&New plan…"))
        self.new_plan_button.setToolTip(_("Start a plan for a mentee (Ctrl+Shift+N)"))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.reload_plans)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.active_only.toggled.connect(lambda _on: self.reload_plans())
        self.list.selectionModel().currentRowChanged.connect(self._plan_chosen)
        self.new_plan_button.clicked.connect(self.new_plan)
        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter, 1)
        self.left = QWidget()
        layout = QVBoxLayout(self.left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Plans")))
        layout.addLayout(filter_row)
        layout.addWidget(self.active_only)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.new_plan_button)

    def _build_right(self) -> None:
        self.title = heading("")
        self.plan_status = QComboBox()
        for status, text in choices(PlanStatus):
            self.plan_status.addItem(text, status)
        status_label = QLabel(_("Plan &status:"))
        status_label.setBuddy(self.plan_status)
        self.open_mentee_button = QPushButton(_("Open &mentee"))
        self.plan_status.activated.connect(self._plan_status_chosen)
        self.open_mentee_button.clicked.connect(
            lambda: self.detail and self.context.navigator.mentee_requested.emit(self.detail.mentee_id))
        header = QHBoxLayout()
        header.addWidget(status_label)
        header.addWidget(self.plan_status)
        header.addStretch(1)
        header.addWidget(self.open_mentee_button)

        self.tree = PlanTree()
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.edit_requested.connect(self.edit_selected)
        self.tree.remove_requested.connect(self.remove_selected)
        self.tree.step.connect(self.step)
        self.tree.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.board = ActionBoard()
        self.board.status_wanted.connect(self.set_status)
        self.board.step_wanted.connect(self.step)
        self.board.open_action.connect(self.edit_action)
        self.board.current_changed.connect(self._update_buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, _("&Goals and actions"))
        self.tabs.addTab(self.board, _("&Board"))
        self.tabs.currentChanged.connect(lambda _index: self._update_buttons())

        self.add_goal_button = QPushButton(_("Add g&oal…"))
        self.add_action_button = QPushButton(_("Add a&ction…"))
        self.add_action_button.setToolTip(_("Add an action to the selected goal (Ctrl+N)"))
        self.edit_button = QPushButton(_("&Edit…"))
        self.remove_button = QPushButton(_("&Remove…"))
        self.action_status = QComboBox()
        for status, text in choices(ActionStatus):
            self.action_status.addItem(text, status)
        self.action_status.setAccessibleName(_("Status of the selected action"))
        self.action_status.setToolTip(_("Ctrl+Right and Ctrl+Left move the selected action along to do, "
                                        "in progress and done."))
        action_status_label = QLabel(_("Ac&tion status:"))
        action_status_label.setBuddy(self.action_status)
        self.add_goal_button.clicked.connect(self.new_goal)
        self.add_action_button.clicked.connect(self.new_action)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.action_status.activated.connect(self._action_status_chosen)
        buttons = QHBoxLayout()
        for button in (self.add_goal_button, self.add_action_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # On a row of its own: beside the buttons it would not fit 1024 pixels at large font sizes.
        status_row = QHBoxLayout()
        status_row.addWidget(action_status_label)
        status_row.addWidget(self.action_status)
        status_row.addWidget(quiet(wrapped(_("or Ctrl+Right and Ctrl+Left in the list"))), 1)

        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.title)
        plan_layout.addLayout(header)
        plan_layout.addWidget(self.tabs, 1)
        plan_layout.addLayout(buttons)
        plan_layout.addLayout(status_row)
        self.empty = wrapped(_("Choose a plan on the left to see its goals and actions, or start one with "
                               "“New plan”."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(plan)

    # -- the plan list

    def _fetch_keys(self, _sort: str, _ascending: bool) -> list[int]:
        with self.context.db.read() as session:
            return plan_keys(session.connection(), self.filter.text(), self.active_only.isChecked())

    def _fetch_rows(self, keys: Any) -> dict[int, PlanSummary]:
        with self.context.db.read() as session:
            return plan_rows(session.connection(), list(keys))

    @staticmethod
    def _plan_text(plan: PlanSummary) -> str:
        # Two lines: the mentee's name on its own fits a narrow list.
        text = _("{mentee}\n{title} — {status}").format(mentee=plan.mentee_name, title=plan.title,
                                                        status=plan.status_label)
        if plan.overdue_actions:
            text += " · " + ngettext("{count} overdue", "{count} overdue", plan.overdue_actions).format(
                count=format_number(plan.overdue_actions))
        return text

    def _plan_roles(self, plan: PlanSummary, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([
                _("{mentee} — {title} — {status}").format(mentee=plan.mentee_name, title=plan.title,
                                                          status=plan.status_label),
                ngettext("{count} open action", "{count} open actions", plan.open_actions).format(
                    count=format_number(plan.open_actions)),
                ngettext("{count} overdue", "{count} overdue", plan.overdue_actions).format(
                    count=format_number(plan.overdue_actions))])
        if role == Qt.ItemDataRole.ForegroundRole and plan.overdue_actions:
            return QBrush(overdue_colour(self))
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(0, self.list.fontMetrics().lineSpacing() * 2 + 8)
        return None

    def reload_plans(self) -> None:
        """Ask for the list again (filter, change) and keep the chosen plan chosen if it is still there."""
        self.model.reload()
        count = len(self.model.keys)
        self.count.setText(ngettext("{count} plan", "{count} plans", count).format(count=format_number(count)))
        position = self.model.position_of(self._plan_rowid) if self._plan_rowid is not None else -1
        if position >= 0:
            with QSignalBlocker(self.list.selectionModel()):
                self.list.setCurrentIndex(self.model.index(position, 0))
            self.reload_detail()
        else:
            self._show_detail(None)

    def _plan_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._plan_rowid = None
            self._show_detail(None)
            return
        self._plan_rowid = self.model.key_at(current.row())
        self.reload_detail()

    def show_plan(self, plan_id: uuid.UUID) -> None:
        """Choose ``plan_id`` in the list, widening the filter if it hides the plan."""
        with self.context.db.read() as session:
            rowid = plan_rowid(session.connection(), plan_id)
        if rowid is None:
            return
        self._plan_rowid = rowid
        if self.model.position_of(rowid) < 0:
            with QSignalBlocker(self.filter), QSignalBlocker(self.active_only):
                self.filter.clear()
                self.active_only.setChecked(False)
        self.reload_plans()

    # -- the chosen plan

    def current_plan_id(self) -> uuid.UUID | None:
        return self.detail.id if self.detail else None

    def reload_detail(self, select: tuple[str, uuid.UUID] | None = None) -> None:
        position = self.model.position_of(self._plan_rowid) if self._plan_rowid is not None else -1
        summary = self.model.row_at(position) if position >= 0 else None
        if summary is None:
            self._show_detail(None)
            return
        try:
            with self.context.db.read() as session:
                detail = plan_detail(session, summary.id)
        except CoachDeskError:
            detail = None
        self._show_detail(detail, select)

    def _selected(self) -> tuple[str, uuid.UUID] | None:
        if self.tabs.currentWidget() is self.board:
            card = self.board.current_id()
            return (ACTION, card) if card is not None else None
        return self.tree.selected()

    def _show_detail(self, detail: PlanDetail | None, select: tuple[str, uuid.UUID] | None = None) -> None:
        keep = select or self._selected()
        self.detail = detail
        self.right.setCurrentIndex(1 if detail else 0)
        if detail is None:
            self.tree.clear()
            self.board.set_actions([])
            self._update_buttons()
            return
        self.title.setText(_("{mentee} — {title}").format(mentee=detail.mentee_name, title=detail.title))
        self.plan_status.setCurrentIndex(max(0, self.plan_status.findData(detail.status)))
        self.tree.show_plan(detail, keep)
        actions = [a for g in detail.goals for a in g.actions]
        self.board.set_actions(actions, select=keep[1] if keep and keep[0] == ACTION else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self._selected() if self.detail else None
        has_goals = bool(self.detail and self.detail.goals)
        self.add_goal_button.setEnabled(self.detail is not None)
        self.add_action_button.setEnabled(has_goals)
        self.edit_button.setEnabled(selected is not None)
        self.remove_button.setEnabled(selected is not None)
        action = self.detail.action(selected[1]) if self.detail and selected and selected[0] == ACTION else None
        self.action_status.setEnabled(action is not None)
        if action is not None:
            with QSignalBlocker(self.action_status):
                self.action_status.setCurrentIndex(self.action_status.findData(action.status))

    # -- changes from elsewhere

    def activated(self) -> None:
        if self._stale:
            self._stale = False
            self.reload_plans()

    def _changed(self, summary: object, _initiator: object) -> None:
        if not touches(summary, *DETAIL_TABLES):
            return
        if not self.isVisible():
            self._stale = True
            return
        if touches(summary, "plan", "mentee"):
            self.reload_plans()
        else:
            self.model.refresh_rows()  # counts of open and overdue actions
            self.reload_detail()

    # -- acting

    def _write(self, work: Any, what: str) -> None:
        def failed(error: BaseException) -> None:
            text = str(error) if isinstance(error, CoachDeskError) else _(
                "{what} could not be saved: {reason}").format(what=what, reason=error)
            show_error(self, text)

        self.context.tasks.write(work, failure=failed, initiator=self)

    def set_status(self, action_id: uuid.UUID, status: ActionStatus) -> None:
        today = date.today()
        self._write(lambda s: set_action_status(s, action_id, status, today), _("The action's status"))

    def step(self, action_id: uuid.UUID, forward: bool) -> None:
        action = self.detail.action(action_id) if self.detail else None
        target = step_status(action.status, forward) if action else None
        if target is not None:
            self.set_status(action_id, target)

    def _action_status_chosen(self, _index: int) -> None:
        selected = self._selected()
        if selected and selected[0] == ACTION:
            self.set_status(selected[1], ActionStatus(self.action_status.currentData()))

    def _plan_status_chosen(self, _index: int) -> None:
        if self.detail is not None and self.plan_status.currentData() != self.detail.status:
            plan_id, status = self.detail.id, PlanStatus(self.plan_status.currentData())
            self._write(lambda s: set_plan_status(s, plan_id, status), _("The plan's status"))

    def _open(self, dialog: DraftForm) -> DraftForm:
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _result: self._dialogs.remove(dialog) if dialog in self._dialogs else None)
        dialog.open()
        return dialog

    def new_plan(self) -> DraftForm:
        dialog = NewPlanDialog(self.context, None, self)
        dialog.saved.connect(self.show_plan)
        return self._open(dialog)

    def new_goal(self) -> DraftForm | None:
        if self.detail is None:
            return None
        dialog = GoalDialog(self.context, self.detail.id, None, self)
        dialog.saved.connect(lambda goal_id: self._after_save(GOAL, goal_id))
        return self._open(dialog)

    def new_action(self) -> DraftForm | None:
        if self.detail is None or not self.detail.goals:
            return None
        selected = self._selected()
        goal_id = None
        if selected and selected[0] == GOAL:
            goal_id = selected[1]
        elif selected and (action := self.detail.action(selected[1])):
            goal_id = action.goal_id
        dialog = ActionDialog(self.context, self.detail.id, None, goal_id, self)
        dialog.saved.connect(lambda action_id: self._after_save(ACTION, action_id))
        return self._open(dialog)

    def edit_action(self, action_id: uuid.UUID) -> DraftForm | None:
        if self.detail is None:
            return None
        try:
            dialog = ActionDialog(self.context, self.detail.id, action_id, parent=self)
        except CoachDeskError as error:
            show_error(self, str(error))
            return None
        dialog.saved.connect(lambda saved_id: self._after_save(ACTION, saved_id))
        return self._open(dialog)

    def edit_selected(self) -> DraftForm | None:
        selected = self._selected()
        if self.detail is None or selected is None:
            return None
        if selected[0] == ACTION:
            return self.edit_action(selected[1])
        try:
            dialog = GoalDialog(self.context, self.detail.id, selected[1], self)
        except CoachDeskError as error:
            show_error(self, str(error))
            return None
        dialog.saved.connect(lambda goal_id: self._after_save(GOAL, goal_id))
        return self._open(dialog)

    def _after_save(self, kind: str, row_id: uuid.UUID) -> None:
        # The change bus has already redrawn the plan; now point at what was just saved.
        if self.detail is not None:
            self.reload_detail((kind, row_id))

    def remove_selected(self) -> None:
        selected = self._selected()
        if self.detail is None or selected is None:
            return
        kind, row_id = selected
        if kind == ACTION:
            action = self.detail.action(row_id)
            if action is None or not confirm(
                    self, _("Remove action?"),
                    _("Remove the action “{action}” from this plan?").format(action=action.description),
                    _("&Remove")):
                return
            self._write(lambda s: remove_action(s, row_id), _("The removal"))
            return
        goal = next((g for g in self.detail.goals if g.id == row_id), None)
        if goal is None:
            return
        question = ngettext("Remove the goal “{goal}” and its {count} action?",
                            "Remove the goal “{goal}” and its {count} actions?", len(goal.actions)).format(
            goal=goal_text(goal), count=format_number(len(goal.actions)))
        if confirm(self, _("Remove goal?"), question, _("&Remove")):
            self._write(lambda s: remove_goal(s, row_id), _("The removal"))

    def _menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position) or self.tree.currentItem()
        menu = QMenu(self)
        if item is not None and item.data(0, KindRole) == ACTION and self.detail is not None:
            action = self.detail.action(item.data(0, IdRole))
            menu.addAction(_("&Edit action…"), self.edit_selected)
            statuses = menu.addMenu(_("Set &status"))
            for status, text in choices(ActionStatus):
                entry = statuses.addAction(text)
                entry.setCheckable(True)
                entry.setChecked(action is not None and action.status is status)
                entry.triggered.connect(lambda _checked=False, s=status, i=item.data(0, IdRole): self.set_status(i, s))
            menu.addSeparator()
            menu.addAction(_("&Remove action…"), self.remove_selected)
        elif item is not None:
            menu.addAction(_("&Edit goal…"), self.edit_selected)
            menu.addAction(_("Add a&ction to this goal…"), self.new_action)
            menu.addSeparator()
            menu.addAction(_("&Remove goal…"), self.remove_selected)
        if self.detail is not None:
            menu.addAction(_("Add &goal…"), self.new_goal)
        menu.exec(self.tree.viewport().mapToGlobal(position))


__all__ = ["PlansPage", "confirm", "show_error"]
