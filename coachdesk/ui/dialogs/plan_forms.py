"""The small forms of the Plans page: a new plan for a mentee, a goal, an action; each keeps a draft while one types."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_date
from coachdesk.model import LEVEL_MAX, ActionStatus, Capacity, FundingOpportunity, Mentee, ToolboxMethod
from coachdesk.services.drafts import Draft, discard_draft, save_draft
from coachdesk.services.mentees import MenteeFilter, mentee_keys, mentee_rows
from coachdesk.services.plans import (
    ActionForm,
    GoalForm,
    add_plan,
    load_action_form,
    load_goal_form,
    plan_detail,
    save_action,
    save_goal,
)
from coachdesk.services.vocabulary import capacity_labels, choices, method_labels
from coachdesk.ui.context import UiContext
from coachdesk.ui.views.page_parts import date_edit

DRAFT_DELAY_MS = 1000
MENTEE_MATCHES = 30


def ask_discard(parent: QWidget) -> bool:
    """Module-level so tests can answer it without a modal loop."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Discard changes?"),
                      _("What you typed in this form is not saved. Discard it?"), QMessageBox.StandardButton.NoButton,
                      parent)
    discard = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is discard


def show_error(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, _("Not saved"), text)


def _id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _combo() -> QComboBox:
    """A combo box that does not grow to its longest entry (capacity and funding names can be long)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    return combo


def _select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class DraftForm(QDialog):
    """A dialog whose typing is kept as a draft on disk until it is saved or deliberately dropped."""

    saved = Signal(object)  # the id of what was saved
    kind = ""

    def __init__(self, context: UiContext, draft_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.draft_key = draft_key
        self._baseline: dict[str, Any] = {}
        self._saving = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        # Wide enough to read long capacity names, narrow enough for a 1024-pixel screen at any font size.
        self.setMinimumWidth(min(max(480, self.fontMetrics().averageCharWidth() * 80), 900))

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def apply_values(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def draft_title(self) -> str:
        return self.windowTitle()

    def settle(self) -> None:
        """Take what the form shows now as its unchanged state."""
        self._baseline = self.values()

    def has_unsaved_changes(self) -> bool:
        return self.values() != self._baseline

    def edited(self, *_args: object) -> None:
        self._draft_timer.start()

    def save_draft_now(self) -> None:
        self._draft_timer.stop()
        if self.has_unsaved_changes():
            save_draft(self.draft_key, self.kind, self.draft_title(), self.values())
        else:
            discard_draft(self.draft_key)

    def run_save(self, work: Any) -> None:
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.context.tasks.write(work, success=self._saved, failure=self._failed, initiator=self)

    def _saved(self, row_id: uuid.UUID) -> None:
        self._saving = False
        self._draft_timer.stop()
        discard_draft(self.draft_key)
        self._baseline = self.values()
        self.saved.emit(row_id)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.save_draft_now()  # what was typed survives even if CoachDesk is closed now
        text = str(error) if isinstance(error, CoachDeskError) else _(
            "{what} could not be saved: {reason}").format(what=self.windowTitle(), reason=error)
        show_error(self, text)

    def save(self) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        # Escape and the window's close button come here too.
        if self.has_unsaved_changes() and not ask_discard(self):
            return
        self._draft_timer.stop()
        discard_draft(self.draft_key)
        super().reject()

    @staticmethod
    def row(layout: QFormLayout, text: str, field: QWidget, buddy: QWidget | None = None) -> None:
        caption = QLabel(text)
        caption.setBuddy(buddy or field)
        caption.setWordWrap(True)
        layout.addRow(caption, field)


class NewPlanDialog(DraftForm):
    """Start a plan: find the mentee by typing part of the name, give the plan a title."""

    kind = "plan"

    def __init__(self, context: UiContext, mentee_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, f"plan:new:{mentee_id or ''}", parent)
        self.setWindowTitle(_("New plan"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Type part of a name"))
        self.search.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setAccessibleName(_("Matching mentees"))
        self.title = QLineEdit(_("Capacity-building plan"))
        self.title.setMaxLength(200)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.row(form, _("&Mentee:"), self.search)
        form.addRow(self.matches)
        self.row(form, _("&Title:"), self.title)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.find_mentees)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.textEdited.connect(self.edited)
        self.title.textEdited.connect(self.edited)
        self.matches.currentRowChanged.connect(self.edited)
        if mentee_id is not None:
            with context.db.read() as session:
                mentee = session.get(Mentee, mentee_id)
                name = mentee.name if mentee else ""
            self.search.setText(name)
            self.find_mentees(select_id=mentee_id)
        self.settle()

    def find_mentees(self, select_id: uuid.UUID | None = None) -> None:
        text = self.search.text().strip()
        self.matches.clear()
        if not text:
            return
        with self.context.db.read() as session:
            connection = session.connection()
            keys = mentee_keys(connection, MenteeFilter(text=text))[:MENTEE_MATCHES]
            rows = mentee_rows(connection, keys)
        for key in keys:
            row = rows.get(key)
            if row is None:
                continue
            item = QListWidgetItem(f"{row.name} — {row.community}" if row.community else row.name)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.matches.addItem(item)
            if row.id == select_id:
                self.matches.setCurrentItem(item)
        if self.matches.currentRow() < 0 and self.matches.count():
            self.matches.setCurrentRow(0)

    def mentee_id(self) -> uuid.UUID | None:
        item = self.matches.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def values(self) -> dict[str, Any]:
        mentee = self.mentee_id()
        return {"search": self.search.text(), "mentee_id": str(mentee) if mentee else "", "title": self.title.text()}

    def apply_values(self, values: dict[str, Any]) -> None:
        self.search.setText(str(values.get("search", "")))
        self.find_mentees(select_id=_id(values.get("mentee_id")))
        self.title.setText(str(values.get("title", "")))

    def save(self) -> None:
        mentee, title = self.mentee_id(), self.title.text()
        if mentee is None:
            show_error(self, _("Choose the mentee the plan is for: type part of the name, then pick it in the list."))
            return
        self.run_save(lambda session: add_plan(session, mentee, title))

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> NewPlanDialog:
        dialog = cls(context, None, parent)
        dialog.draft_key = draft.key
        dialog.apply_values(draft.values)
        return dialog


class GoalDialog(DraftForm):
    """Add or edit a goal: the capacity it builds, what it aims for, the level to reach."""

    kind = "plan_goal"

    def __init__(self, context: UiContext, plan_id: uuid.UUID, goal_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, f"plan_goal:{goal_id or f'new:{plan_id}'}", parent)
        self.plan_id, self.goal_id = plan_id, goal_id
        self.setWindowTitle(_("Edit goal") if goal_id else _("New goal"))
        self.capacity = _combo()
        self.capacity.addItem(_("(no capacity)"), None)
        with context.db.read() as session:
            labels = capacity_labels(session)
            removed = {cid for cid, gone in session.execute(select(Capacity.id, Capacity.deleted)) if gone}
            form = load_goal_form(session, goal_id) if goal_id else GoalForm(plan_id, "")
        for cid, text in sorted(labels.items(), key=lambda pair: pair[1].casefold()):
            if cid not in removed or cid == form.capacity_id:
                self.capacity.addItem(text, cid)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("e.g. Run our own trainings in the local language"))
        self.target = QSpinBox()
        self.target.setRange(0, LEVEL_MAX)
        self.target.setSpecialValueText(_("No target"))
        layout_form = QFormLayout()
        layout_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.row(layout_form, _("&Capacity:"), self.capacity)
        self.row(layout_form, _("&Goal:"), self.description)
        self.row(layout_form, _("&Target level (1–5):"), self.target)
        layout = QVBoxLayout(self)
        layout.addLayout(layout_form)
        layout.addWidget(self.buttons)
        self._show(form)
        self.settle()
        self.capacity.currentIndexChanged.connect(self.edited)
        self.description.textEdited.connect(self.edited)
        self.target.valueChanged.connect(self.edited)

    def _show(self, form: GoalForm) -> None:
        _select_data(self.capacity, form.capacity_id)
        self.description.setText(form.description)
        self.target.setValue(form.target_level or 0)

    def form(self) -> GoalForm:
        return GoalForm(self.plan_id, self.description.text(), self.capacity.currentData(),
                        self.target.value() or None, self.goal_id)

    def values(self) -> dict[str, Any]:
        capacity = self.capacity.currentData()
        return {"plan_id": str(self.plan_id), "goal_id": str(self.goal_id or ""),
                "capacity_id": str(capacity) if capacity else "", "description": self.description.text(),
                "target_level": self.target.value()}

    def apply_values(self, values: dict[str, Any]) -> None:
        level = values.get("target_level")
        self._show(GoalForm(self.plan_id, str(values.get("description", "")), _id(values.get("capacity_id")),
                            level if isinstance(level, int) else None))

    def save(self) -> None:
        form = self.form()
        self.run_save(lambda session: save_goal(session, form))

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> GoalDialog:
        plan_id = _id(draft.values.get("plan_id"))
        if plan_id is None:
            raise CoachDeskError(_("This draft does not say which plan it belongs to."))
        dialog = cls(context, plan_id, _id(draft.values.get("goal_id")), parent)
        dialog.draft_key = draft.key
        dialog.apply_values(draft.values)
        return dialog


class ActionDialog(DraftForm):
    """Add or edit an action: what, by which method, who, by when, its status and its funding."""

    kind = "plan_action"

    def __init__(self, context: UiContext, plan_id: uuid.UUID, action_id: uuid.UUID | None = None,
                 goal_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, f"plan_action:{action_id or f'new:{plan_id}'}", parent)
        self.plan_id, self.action_id = plan_id, action_id
        self.setWindowTitle(_("Edit action") if action_id else _("New action"))
        with context.db.read() as session:
            detail = plan_detail(session, plan_id)
            methods = method_labels(session)
            method_order = {mid: (pos, deleted) for mid, pos, deleted in session.execute(
                select(ToolboxMethod.id, ToolboxMethod.position, ToolboxMethod.deleted))}
            funding = session.execute(select(FundingOpportunity.id, FundingOpportunity.program,
                                             FundingOpportunity.deadline).where(
                FundingOpportunity.deleted.is_(False)).order_by(FundingOpportunity.program)).all()
            form = load_action_form(session, action_id) if action_id else ActionForm(
                goal_id or (detail.goals[0].id if detail.goals else uuid.UUID(int=0)), "")
        self.goal = _combo()
        for goal in detail.goals:
            text = " — ".join(t for t in (goal.capacity_label, goal.description) if t) or _("(goal without a name)")
            self.goal.addItem(text, goal.id)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("e.g. Ask two experienced members to co-host the next meetup"))
        self.method = _combo()
        self.method.addItem(_("(no method)"), None)
        for mid, (_pos, deleted) in sorted(method_order.items(), key=lambda pair: pair[1][0]):
            if not deleted or mid == form.method_id:
                self.method.addItem(methods.get(mid, ""), mid)
        self.owner = QLineEdit()
        self.owner.setMaxLength(200)
        self.owner.setPlaceholderText(_("Who does it: the mentee, a board member, a coach…"))
        self.has_due = QCheckBox(_("&Due by:"))
        self.due = date_edit()
        self.due.setAccessibleName(_("Due date"))
        self.due.setDate(QDate.currentDate().addDays(14))
        self.has_due.toggled.connect(self.due.setEnabled)
        self.status = _combo()
        for status, text in choices(ActionStatus):
            self.status.addItem(text, status)
        self.funding = _combo()
        self.funding.addItem(_("(no funding)"), None)
        for fid, program, deadline in funding:
            self.funding.addItem(_("{program} (deadline {date})").format(program=program, date=format_date(
                deadline, "medium")) if deadline else program, fid)
        self._build()
        self._show(form)
        self.settle()
        self.goal.currentIndexChanged.connect(self.edited)
        for edit in (self.description, self.owner):
            edit.textEdited.connect(self.edited)
        for combo in (self.method, self.status, self.funding):
            combo.currentIndexChanged.connect(self.edited)
        self.has_due.toggled.connect(self.edited)
        self.due.dateChanged.connect(self.edited)

    def _build(self) -> None:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.row(form, _("&Goal:"), self.goal)
        self.row(form, _("&Action:"), self.description)
        self.row(form, _("&Method:"), self.method)
        self.row(form, _("&Owner:"), self.owner)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due, 1)
        form.addRow(self.has_due, due_row)
        self.row(form, _("S&tatus:"), self.status)
        self.row(form, _("&Funding:"), self.funding)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _show(self, form: ActionForm) -> None:
        _select_data(self.goal, form.goal_id)
        self.description.setText(form.description)
        _select_data(self.method, form.method_id)
        self.owner.setText(form.owner)
        self.has_due.setChecked(form.due_on is not None)
        self.due.setEnabled(form.due_on is not None)
        if form.due_on is not None:
            self.due.setDate(QDate(form.due_on.year, form.due_on.month, form.due_on.day))
        _select_data(self.status, form.status)
        _select_data(self.funding, form.funding_id)

    def form(self) -> ActionForm:
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        return ActionForm(self.goal.currentData(), self.description.text(), self.method.currentData(),
                          self.owner.text(), due, ActionStatus(self.status.currentData()), self.funding.currentData(),
                          self.action_id)

    def values(self) -> dict[str, Any]:
        form = self.form()
        return {"plan_id": str(self.plan_id), "action_id": str(self.action_id or ""),
                "goal_id": str(form.goal_id or ""), "description": form.description,
                "method_id": str(form.method_id or ""), "owner": form.owner,
                "due_on": form.due_on.isoformat() if form.due_on else "", "status": form.status.value,
                "funding_id": str(form.funding_id or "")}

    def apply_values(self, values: dict[str, Any]) -> None:
        try:
            due = date.fromisoformat(str(values.get("due_on"))) if values.get("due_on") else None
        except ValueError:
            due = None
        try:
            status = ActionStatus(values.get("status", ActionStatus.TODO.value))
        except ValueError:
            status = ActionStatus.TODO
        self._show(ActionForm(_id(values.get("goal_id")) or uuid.UUID(int=0), str(values.get("description", "")),
                              _id(values.get("method_id")), str(values.get("owner", "")), due, status,
                              _id(values.get("funding_id")), self.action_id))

    def draft_title(self) -> str:
        return self.description.text().strip() or self.windowTitle()

    def save(self) -> None:
        form = self.form()
        if form.goal_id is None:
            show_error(self, _("Add a goal to the plan first: every action serves a goal."))
            return
        today = date.today()
        self.run_save(lambda session: save_action(session, form, today))

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> ActionDialog:
        plan_id = _id(draft.values.get("plan_id"))
        if plan_id is None:
            raise CoachDeskError(_("This draft does not say which plan it belongs to."))
        dialog = cls(context, plan_id, _id(draft.values.get("action_id")), parent=parent)
        dialog.draft_key = draft.key
        dialog.apply_values(draft.values)
        return dialog
