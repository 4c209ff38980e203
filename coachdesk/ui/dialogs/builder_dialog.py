"""A capacity builder's profile dialog and the dialog for one step of their training-of-trainers track.

Both write through the task runner and close once stored; a refusal stays in the dialog, said in
one sentence, and is shown through ``tell`` (module-level, so tests answer it without a modal loop).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_date
from coachdesk.model import CoachRole, TrackStepKind
from coachdesk.services.builders import (
    MAX_MINUTES,
    BuilderChange,
    BuilderForm,
    StepForm,
    load_builder,
    load_step,
    mentor_choices,
    save_builder,
    save_step,
    session_choices,
    validate_builder,
    validate_step,
)
from coachdesk.services.reference_edit import capacity_tree, list_methods
from coachdesk.services.vocabulary import choices
from coachdesk.ui.context import UiContext
from coachdesk.ui.dialogs.mentee_dialog import languages_hint, split_languages
from coachdesk.ui.views.page_parts import date_edit

#: Step kinds for which linking a logged session makes sense.
SESSION_KINDS = (TrackStepKind.CO_FACILITATION, TrackStepKind.OBSERVATION, TrackStepKind.MENTORING)


def tell(parent: QWidget, title: str, text: str) -> None:
    """Say why something was not saved (tests replace this)."""
    QMessageBox.warning(parent, title, text)


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _problems_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problems")
    label.setWordWrap(True)
    bold = label.font()
    bold.setBold(True)
    label.setFont(bold)
    label.setAccessibleName(_("Problems"))
    label.hide()
    return label


def _buttons(dialog: QDialog) -> tuple[QDialogButtonBox, Any]:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(_("&Save"))
    save.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("&Cancel"))
    buttons.rejected.connect(dialog.reject)
    return buttons, save


class _WritingDialog(QDialog):
    """Saves through the task runner; shows a refusal and stays open."""

    saved = Signal(object)  # the BuilderChange

    def __init__(self, context: UiContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self._saving = False
        self.problems = _problems_label()

    def _show_problems(self, problems: list[str]) -> bool:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        return not problems

    def _write(self, work: Any, what: str) -> None:
        self._saving = True
        self.save_button.setEnabled(False)
        self.context.tasks.write(work, success=self._saved, failure=lambda e: self._failed(e, what), initiator=self,
                                 title=what)

    def _saved(self, change: BuilderChange) -> None:
        self._saving = False
        self.saved.emit(change)
        self.accept()

    def _failed(self, error: BaseException, what: str) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        message = str(error) if isinstance(error, CoachDeskError) else _("{what} could not be saved: {reason}").format(
            what=what, reason=error)
        self._show_problems([message])
        tell(self, _("Not saved"), message)

    def reject(self) -> None:
        if not self._saving:
            super().reject()


class BuilderDialog(_WritingDialog):
    """Add a capacity builder (``builder_id`` None) or edit their profile."""

    def __init__(self, context: UiContext, builder_id: uuid.UUID | None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.builder_id = builder_id
        self.setObjectName("builder_dialog")
        self.setWindowTitle(_("New capacity builder") if builder_id is None else _("Edit profile"))
        form = BuilderForm("")
        load_problem = ""
        with context.db.read() as session:
            methods = list_methods(session)
            tree = capacity_tree(session)
            if builder_id is not None:
                try:
                    form = load_builder(session, builder_id)
                except CoachDeskError as error:
                    load_problem = str(error)
        self._build(methods, tree)
        self._show(form)
        self._show_problems([load_problem] if load_problem else [])
        self.name.setFocus()

    def _build(self, methods: list[Any], tree: list[Any]) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.role = QComboBox()
        for value, text in choices(CoachRole):
            self.role.addItem(text, value.value)
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(_("e.g. ha; en"))
        self.languages_hint = QLabel()
        self.languages_hint.setWordWrap(True)
        self.languages.textChanged.connect(self._update_languages_hint)
        self.region = QLineEdit()
        self.region.setMaxLength(100)
        self.email = QLineEdit()
        self.email.setMaxLength(200)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setMaximumHeight(self.notes.fontMetrics().lineSpacing() * 4 + 14)

        self.methods = QListWidget()
        self.methods.setAccessibleName(_("Methods trained in"))
        for method in methods:
            item = QListWidgetItem(method.label)
            item.setData(Qt.ItemDataRole.UserRole, method.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.methods.addItem(item)
        self.capacities = QTreeWidget()
        self.capacities.setHeaderHidden(True)
        self.capacities.setAccessibleName(_("Capacities they can support"))
        for area in tree:
            parent = QTreeWidgetItem([area.label])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.capacities.addTopLevelItem(parent)
            for capacity in area.capacities:
                child = QTreeWidgetItem([capacity.label])
                child.setData(0, Qt.ItemDataRole.UserRole, capacity.key)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Unchecked)
                parent.addChild(child)
        self.capacities.expandAll()

        left, profile = QFormLayout(), QFormLayout()
        for form in (left, profile):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        left.addRow(_caption(_("&Name (required):"), self.name), self.name)
        left.addRow(_caption(_("&Role:"), self.role), self.role)
        left.addRow(_caption(_("&Languages:"), self.languages), self.languages)
        left.addRow("", self.languages_hint)
        left.addRow(_caption(_("Re&gion:"), self.region), self.region)
        profile.addRow(_caption(_("&Email:"), self.email), self.email)
        note = QLabel(_("The email address stays on this device: it is never synced."))
        note.setWordWrap(True)
        small = note.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        note.setFont(small)
        profile.addRow("", note)
        profile.addRow(_caption(_("N&otes:"), self.notes), self.notes)

        methods_box = QGroupBox(_("&Methods trained in"))
        QVBoxLayout(methods_box).addWidget(self.methods)
        capacities_box = QGroupBox(_("&Capacities they can support"))
        QVBoxLayout(capacities_box).addWidget(self.capacities)
        # Group boxes take the mnemonic; Alt+M / Alt+C should land in the list itself.
        methods_box.setFocusProxy(self.methods)
        capacities_box.setFocusProxy(self.capacities)
        lists = QHBoxLayout()
        lists.addWidget(methods_box, 2)
        lists.addWidget(capacities_box, 3)

        self.buttons, self.save_button = _buttons(self)
        self.buttons.accepted.connect(self.save)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(profile, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(lists, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        width = self.fontMetrics().averageCharWidth() * 120
        self.resize(width, int(width * 0.62))

    def _update_languages_hint(self) -> None:
        self.languages_hint.setText(languages_hint(self.languages.text()))

    def _capacity_items(self) -> list[QTreeWidgetItem]:
        root = self.capacities.invisibleRootItem()
        return [root.child(i).child(j) for i in range(root.childCount()) for j in range(root.child(i).childCount())]

    def _show(self, form: BuilderForm) -> None:
        self.name.setText(form.name)
        self.role.setCurrentIndex(max(0, self.role.findData(form.role.value)))
        self.languages.setText("; ".join(form.languages))
        self._update_languages_hint()
        self.region.setText(form.region)
        self.email.setText(form.email)
        self.notes.setPlainText(form.notes)
        for i in range(self.methods.count()):
            item = self.methods.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in form.methods
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        for item in self._capacity_items():
            on = item.data(0, Qt.ItemDataRole.UserRole) in form.capacities
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_method(self, key: str, on: bool = True) -> None:
        for i in range(self.methods.count()):
            if self.methods.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.methods.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_capacity(self, key: str, on: bool = True) -> None:
        for item in self._capacity_items():
            if item.data(0, Qt.ItemDataRole.UserRole) == key:
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def form(self) -> BuilderForm:
        methods = [self.methods.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.methods.count())
                   if self.methods.item(i).checkState() == Qt.CheckState.Checked]
        capacities = [item.data(0, Qt.ItemDataRole.UserRole) for item in self._capacity_items()
                      if item.checkState(0) == Qt.CheckState.Checked]
        return BuilderForm(self.name.text(), CoachRole(self.role.currentData()), split_languages(self.languages.text()),
                           self.region.text(), methods, capacities, self.email.text(), self.notes.toPlainText(),
                           self.builder_id)

    def save(self) -> None:
        if self._saving:
            return
        form = self.form()
        with self.context.db.read() as session:
            problems = validate_builder(session, form)
        if self._show_problems(problems):
            self._write(lambda session: save_builder(session, form), _("The profile"))


class StepDialog(_WritingDialog):
    """Add a step to a capacity builder's track (``step_id`` None) or edit one."""

    def __init__(self, context: UiContext, trainee_id: uuid.UUID, step_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.trainee_id, self.step_id = trainee_id, step_id
        self.setObjectName("step_dialog")
        self.setWindowTitle(_("Add a step") if step_id is None else _("Edit step"))
        form = StepForm(trainee_id, done_on=date.today())
        load_problem = ""
        with context.db.read() as session:
            mentors = mentor_choices(session, trainee_id)
            methods = list_methods(session)
            if step_id is not None:
                try:
                    form = load_step(session, step_id)
                except CoachDeskError as error:
                    load_problem = str(error)
        self._build(mentors, methods)
        self._show(form)
        self._show_problems([load_problem] if load_problem else [])
        self.kind.setFocus()

    def _build(self, mentors: list[tuple[uuid.UUID, str]], methods: list[Any]) -> None:
        self.kind = QComboBox()
        for value, text in choices(TrackStepKind):
            self.kind.addItem(text, value.value)
        self.done_on = date_edit()
        self.done_on.setMaximumDate(QDate.currentDate())
        self.mentor = QComboBox()
        self.mentor.addItem(_("Nobody"), "")
        for mentor_id, name in mentors:
            self.mentor.addItem(name, str(mentor_id))
        self.session = QComboBox()
        self.method = QComboBox()
        self.method.addItem(_("No method"), "")
        for method in methods:
            self.method.addItem(method.label, method.key)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(_(" min"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setMaximumHeight(self.notes.fontMetrics().lineSpacing() * 4 + 14)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        small = self.hint.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.hint.setFont(small)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_caption(_("&Step:"), self.kind), self.kind)
        form.addRow(_caption(_("&Date:"), self.done_on), self.done_on)
        form.addRow(_caption(_("&Mentor:"), self.mentor), self.mentor)
        form.addRow(_caption(_("Logged s&ession:"), self.session), self.session)
        form.addRow(_caption(_("Me&thod:"), self.method), self.method)
        form.addRow(_caption(_("M&inutes:"), self.minutes), self.minutes)
        form.addRow(_caption(_("N&otes:"), self.notes), self.notes)
        form.addRow("", self.hint)
        self.buttons, self.save_button = _buttons(self)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.mentor.currentIndexChanged.connect(lambda: self._fill_sessions(self.session.currentData()))
        self.resize(self.fontMetrics().averageCharWidth() * 84, self.sizeHint().height())

    def _fill_sessions(self, chosen: str | None) -> None:
        mentor = self.mentor.currentData()
        with self.context.db.read() as session:
            logged = session_choices(session, self.trainee_id, uuid.UUID(mentor) if mentor else None)
        self.session.blockSignals(True)
        self.session.clear()
        self.session.addItem(_("None"), "")
        for sid, title, day in logged:
            self.session.addItem(_("{date} — {title}").format(date=format_date(day, "medium"),
                                                              title=title or _("(untitled)")), str(sid))
        self.session.setCurrentIndex(max(0, self.session.findData(chosen or "")))
        self.session.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = TrackStepKind(self.kind.currentData())
        self.session.setEnabled(kind in SESSION_KINDS)
        hints = {
            TrackStepKind.TRAINING: _("A training of trainers they took part in."),
            TrackStepKind.OBSERVATION: _("They watched an experienced trainer deliver a session."),
            TrackStepKind.CO_FACILITATION: _("They delivered a session together with an experienced trainer; "
                                             "link the logged session if there is one."),
            TrackStepKind.MENTORING: _("A mentoring conversation; the minutes add up to the hours of mentoring."),
            TrackStepKind.SIGN_OFF: _("An experienced trainer (the mentor) signs them off to deliver one method "
                                      "alone."),
        }
        self.hint.setText(hints[kind])

    def _show(self, form: StepForm) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind.value)))
        day = form.done_on or date.today()
        self.done_on.setDate(QDate(day.year, day.month, day.day))
        self.mentor.setCurrentIndex(max(0, self.mentor.findData(str(form.mentor_id or ""))))
        self._fill_sessions(str(form.session_id or ""))
        self.method.setCurrentIndex(max(0, self.method.findData(form.method)))
        self.minutes.setValue(form.minutes)
        self.notes.setPlainText(form.notes)
        self._kind_changed()

    def form(self) -> StepForm:
        kind = TrackStepKind(self.kind.currentData())
        mentor, linked = self.mentor.currentData(), self.session.currentData()
        return StepForm(self.trainee_id, kind, self.done_on.date().toPython(), uuid.UUID(mentor) if mentor else None,
                        uuid.UUID(linked) if linked and kind in SESSION_KINDS else None, self.method.currentData(),
                        self.minutes.value(), self.notes.toPlainText(), self.step_id)

    def save(self) -> None:
        if self._saving:
            return
        form = self.form()
        with self.context.db.read() as session:
            problems = validate_step(session, form)
        if self._show_problems(problems):
            self._write(lambda session: save_step(session, form), _("The step"))
