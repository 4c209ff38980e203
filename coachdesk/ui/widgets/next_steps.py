"""Next steps agreed in a session, one per row; a row can become a plan action with a due date and a goal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _
from coachdesk.services.sessions import GoalChoice, NextStep

#: Actions fall due two weeks after the session unless someone says otherwise.
DEFAULT_DUE_DAYS = 14


def short_date_format() -> str:
    """The locale's short date, with a four-digit year so that typing a year is never ambiguous."""
    day = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return day if "yyyy" in day else day.replace("yy", "yyyy")


class NextStepRow(QWidget):
    changed = Signal()

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit()
        self.text.setAccessibleName(_("Next step {number}").format(number=number))
        self.text.setPlaceholderText(_("What was agreed, who does it"))
        self.action = QCheckBox(_("Plan action"))
        self.action.setAccessibleName(_("Make next step {number} a plan action").format(number=number))
        self.action.setToolTip(_("Add this step to a plan, with a due date"))
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(short_date_format())
        self.due.setAccessibleName(_("Due date of next step {number}").format(number=number))
        self.goal = QComboBox()
        self.goal.setAccessibleName(_("Plan goal for next step {number}").format(number=number))
        self.goal.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.goal.setMinimumContentsLength(14)
        self.remove = QToolButton()
        self.remove.setText("×")
        self.remove.setAccessibleName(_("Remove next step {number}").format(number=number))
        self.remove.setToolTip(_("Remove this next step"))
        self.due_touched = self.goal_touched = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 3)
        layout.addWidget(self.action)
        layout.addWidget(self.due)
        layout.addWidget(self.goal, 2)
        layout.addWidget(self.remove)
        self.action.toggled.connect(self._enable)
        self.due.userDateChanged.connect(lambda _d: setattr(self, "due_touched", True))
        self.goal.activated.connect(lambda _i: setattr(self, "goal_touched", True))
        for signal in (self.text.textChanged, self.action.toggled, self.due.dateChanged,
                       self.goal.currentIndexChanged):
            signal.connect(self.changed)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.due.setEnabled(on)
        self.goal.setEnabled(on and self.goal.count() > 1)

    def step(self) -> NextStep:
        if not self.action.isChecked():
            return NextStep(self.text.text())
        goal = self.goal.currentData()
        return NextStep(self.text.text(), True, self.due.date().toPython(), uuid.UUID(goal) if goal else None)

    def focus_chain(self) -> list[QWidget]:
        return [self.text, self.action, self.due, self.goal, self.remove]


class NextStepsEditor(QWidget):
    """The rows, an "add" button, and a line saying where actions go when several people took part."""

    changed = Signal()
    rows_changed = Signal()  # rows added or removed: the tab order must follow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[NextStepRow] = []
        self._day = date.today()
        self._targets: list[tuple[str, uuid.UUID | None]] = []
        self._tip = ""
        self._preferred: uuid.UUID | None = None
        self._goals: list[GoalChoice] = []
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(_("&Add a next step"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row().text.setFocus())
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._list)
        layout.addWidget(self.explanation)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.add_row()

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_chain()] + [self.add_button]

    def add_row(self, step: NextStep | None = None) -> NextStepRow:
        row = NextStepRow(len(self.rows) + 1)
        self._fill_goals(row)
        row.due.setDate(QDate(self._default_due()))
        if step is not None:
            row.text.setText(step.text)
            if step.due_on is not None:
                row.due.setDate(QDate(step.due_on))
                row.due_touched = True
            if step.goal_id is not None and row.goal.findData(str(step.goal_id)) >= 0:
                row.goal.setCurrentIndex(row.goal.findData(str(step.goal_id)))
                row.goal_touched = True
            row.action.setChecked(step.make_action)
        row.changed.connect(self.changed)
        row.remove.clicked.connect(lambda: self.remove_row(row))
        row.text.installEventFilter(self)
        self.rows.append(row)
        self._list.addWidget(row)
        self.setFocusProxy(self.rows[0].text)
        self.rows_changed.emit()
        self.changed.emit()
        return row

    def remove_row(self, row: NextStepRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        if not self.rows:
            self.add_row()
        self.setFocusProxy(self.rows[0].text)
        self.rows[min(index, len(self.rows) - 1)].text.setFocus()
        self.rows_changed.emit()
        self.changed.emit()

    def set_steps(self, steps: Sequence[NextStep]) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        for step in steps:
            self.add_row(step)
        if not self.rows:
            self.add_row()

    def steps(self) -> list[NextStep]:
        return [row.step() for row in self.rows if row.text.text().strip() or row.action.isChecked()]

    # -- defaults that follow the rest of the form

    def _default_due(self) -> date:
        return self._day + timedelta(days=DEFAULT_DUE_DAYS)

    def set_session_day(self, day: date) -> None:
        self._day = day
        for row in self.rows:
            if not row.due_touched:
                row.due.blockSignals(True)
                row.due.setDate(QDate(self._default_due()))
                row.due.blockSignals(False)

    def set_targets(self, participants: int, goals: Sequence[GoalChoice], plan_title: str,
                    preferred: uuid.UUID | None) -> None:
        """Where actions can go: a goal of the one participant's plan, a new plan, or each participant's plan."""
        self._goals, self._preferred = list(goals), preferred
        if participants == 0:
            self._targets = [(_("Choose a participant first"), None)]
            self._tip = _("Actions go into the participant's plan; add a participant first.")
        elif participants > 1:
            self._targets = [(_("Each participant's plan"), None)]
            self._tip = _("With several participants, each action is added to every participant's plan "
                          "(a new plan for those who have none).")
        elif goals:
            self._targets = [(g.label, g.goal_id) for g in goals]
            self._targets.append((_("A new goal in “{plan}”").format(plan=plan_title), None))
            self._tip = ""
        else:
            self._targets = [(_("A new plan"), None)]
            self._tip = _("This participant has no current plan: a new “Capacity-building plan” will be started.")
        self.explanation.setText(self._tip if participants > 1 else "")
        self.explanation.setVisible(participants > 1)
        for row in self.rows:
            self._fill_goals(row)

    def prefer_capacity(self, capacity_id: uuid.UUID | None) -> None:
        self._preferred = capacity_id
        for row in self.rows:
            if not row.goal_touched:
                self._select_default(row)

    def _fill_goals(self, row: NextStepRow) -> None:
        kept = row.goal.currentData() if row.goal_touched else ""
        row.goal.blockSignals(True)
        row.goal.clear()
        for text, goal_id in self._targets:
            row.goal.addItem(text, str(goal_id) if goal_id else "")
        row.goal.setToolTip(self._tip)
        row.goal.blockSignals(False)
        if kept and row.goal.findData(kept) >= 0:
            row.goal.setCurrentIndex(row.goal.findData(kept))
        else:
            row.goal_touched = False
            self._select_default(row)
        row.goal.setEnabled(row.action.isChecked() and row.goal.count() > 1)

    def _select_default(self, row: NextStepRow) -> None:
        """The goal for the session's main capacity, else the plan's first goal."""
        match = next((g.goal_id for g in self._goals if self._preferred and g.capacity_id == self._preferred), None)
        index = row.goal.findData(str(match)) if match is not None else 0
        row.goal.setCurrentIndex(max(0, index))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in a filled-in step starts the next one; in an empty one it does what Enter does in the form.
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # type: ignore[attr-defined]
            row = next((r for r in self.rows if r.text is watched), None)
            if row is not None and row.text.text().strip():
                index = self.rows.index(row)
                if index + 1 < len(self.rows):
                    self.rows[index + 1].text.setFocus()
                else:
                    self.add_row().text.setFocus()
                return True
        return super().eventFilter(watched, event)
