"""Log a session in under a minute, keyboard first; the same dialog edits a logged one.

Everything (the session, its participants and capacities, new mentees, next steps turned into plan
actions) is written in one transaction on the writer thread. What is typed is kept as a draft.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, current_language, format_number, language_name
from coachdesk.model import SessionKind
from coachdesk.services import sessions as service
from coachdesk.services import vocabulary
from coachdesk.services.drafts import Draft, discard_draft, save_draft
from coachdesk.services.sessions import SessionForm
from coachdesk.ui.context import UiContext
from coachdesk.ui.widgets.next_steps import NextStepsEditor, short_date_format
from coachdesk.ui.widgets.mentee_picker import MenteePicker

DRAFT_KIND = "session"
PRESETS = (30, 60, 90, 120)
_ROLE = Qt.ItemDataRole.UserRole


def confirm_discard(parent: QWidget) -> bool:
    """Ask whether to throw away what was typed (tests replace this)."""
    answer = QMessageBox.question(parent, _("Discard changes?"),
                                  _("What you typed for this session is not saved. Discard it?"),
                                  QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def show_error(parent: QWidget, text: str) -> None:
    """Tell that saving failed (tests replace this)."""
    QMessageBox.warning(parent, _("Session not saved"), text)


def problem_label() -> QLabel:
    """A hidden inline message, bold and red in a way that reads in light and dark palettes."""
    label = QLabel()
    label.setWordWrap(True)
    label.hide()
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    palette = label.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ef9a9a" if dark else "#c62828"))
    label.setPalette(palette)
    return label


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def date_time_format() -> str:
    """The locale's short date with a four-digit year, and its short time."""
    return f"{short_date_format()} {QLocale().timeFormat(QLocale.FormatType.ShortFormat)}"


def _Compact(base: type[QWidget]) -> type[QWidget]:  # noqa: N802 - a class factory
    """``base`` preferring its minimum height: it grows into what is left, so the form scrolls only when
    it must (and wrapped labels elsewhere do not make the scroll area think it is taller than it is)."""

    class Compact(base):  # type: ignore[valid-type, misc]
        def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
            return QSize(super().sizeHint().width(), self.minimumHeight())

    return Compact


class LogSessionDialog(QDialog):
    """The "log a session" form; with ``session_id`` it edits that session instead."""

    saved = Signal(object)  # the session id

    def __init__(self, context: UiContext, mentee_ids: list[uuid.UUID], parent: QWidget | None = None, *,
                 session_id: uuid.UUID | None = None, form: SessionForm | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.session_id = session_id
        self.draft_key = DRAFT_KIND if session_id is None else f"{DRAFT_KIND}:{session_id}"
        self._saving = self._finished = False
        if parent is not None:  # a window opens a new one each time: do not keep the closed ones
            self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._method_chosen = self._language_chosen = False
        self.setWindowTitle(_("Log a session") if session_id is None else _("Edit session"))
        with context.db.read() as s:
            self._groups = service.capacity_groups(s)
            self._methods = service.method_choices(s)
            if form is None:
                form = SessionForm(participants=service.participants_named(s, mentee_ids))
        self._build()
        self.set_form(form, chosen=session_id is not None)
        self._baseline = self.form().to_values()
        self._draft_timer = QTimer(self, singleShot=True, interval=1000)
        self._draft_timer.timeout.connect(self.save_draft)
        self._connect_changes()
        self._fit_to_screen()

    @classmethod
    def edit(cls, context: UiContext, session_id: uuid.UUID, parent: QWidget | None = None) -> LogSessionDialog:
        with context.db.read() as s:
            form = service.load_form(s, session_id)
        return cls(context, [], parent, session_id=session_id, form=form)

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> LogSessionDialog:
        form = SessionForm.from_values(draft.values)
        dialog = None
        if form.id is not None:
            try:
                dialog = cls.edit(context, form.id, parent)
            except CoachDeskError:
                form.id = None  # the session was removed meanwhile: offer the work back as a new one
        if dialog is None:
            dialog = cls(context, [], parent)
        dialog.set_form(form, chosen=True)
        dialog.save_draft()
        return dialog

    # -- building

    def _build(self) -> None:
        self.kind = QComboBox()
        for value, text in vocabulary.choices(SessionKind):
            self.kind.addItem(text, value.value)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(date_time_format())
        self.duration = QSpinBox()
        self.duration.setRange(0, service.MAX_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setAccessibleName(_("Duration in minutes"))
        self.presets = []
        duration_row = QHBoxLayout()
        duration_row.addWidget(self.duration)
        for minutes in PRESETS:
            button = QToolButton()
            button.setText(format_number(minutes))
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(_("{minutes} minutes").format(minutes=format_number(minutes)))
            button.clicked.connect(lambda _checked=False, m=minutes: self.duration.setValue(m))
            self.presets.append(button)
            duration_row.addWidget(button)
        duration_row.addStretch(1)
        self.picker = MenteePicker(self.context.db)
        self.capacities = _Compact(QTreeWidget)()
        self.capacities.setHeaderHidden(True)
        self.capacities.setAccessibleName(_("Capacities worked on"))
        self.capacities.setToolTip(_("Space ticks or unticks a capacity; type to jump to one."))
        for group in self._groups:
            area = QTreeWidgetItem([group.area])
            area.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = area.font(0)
            font.setBold(True)
            area.setFont(0, font)
            self.capacities.addTopLevelItem(area)
            for capacity_id, text in group.capacities:
                item = QTreeWidgetItem(area, [text])
                item.setToolTip(0, text)
                item.setData(0, _ROLE, str(capacity_id))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
        self.capacities.expandAll()
        self._capacity_order: list[uuid.UUID] = []
        self.capacities.itemChanged.connect(self._capacity_ticked)
        self.method = QComboBox()
        for method_id, _key, text in self._methods:
            self.method.addItem(text, str(method_id))
        self.method.activated.connect(lambda _i: setattr(self, "_method_chosen", True))
        self.language = QComboBox()
        self.language.activated.connect(lambda _i: setattr(self, "_language_chosen", True))
        self.location = QLineEdit()
        self.location.setMaxLength(200)
        self.location.setPlaceholderText(_("Optional: a city, a venue or “online”"))
        self.notes = _Compact(QPlainTextEdit)()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(_("What happened, what was learned, what was hard"))
        self.notes.setMinimumHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        self.capacities.setMinimumHeight(self.capacities.fontMetrics().lineSpacing() * 6 + 12)
        self.steps = NextStepsEditor()
        self.problems = {name: problem_label() for name in ("started_at", "duration", "participants", "next_steps")}

        # A grid rather than a form layout: it keeps wrapped messages from squeezing the fields above them.
        left = QGridLayout()
        left.setColumnStretch(1, 1)
        rows = ((_("&Kind"), self.kind, self.kind, None), (_("&Date and time"), self.when, self.when, "started_at"),
                (_("D&uration (minutes)"), self.duration, duration_row, "duration"),
                (_("&Participants"), self.picker.edit, self.picker, "participants"))
        for text, buddy, field, problem in rows:
            row = left.rowCount()
            label = self._label(text, buddy)
            label.setWordWrap(False)
            if field is self.picker:  # beside the line edit at the top of the picker, not its middle
                gap = max(0, (self.picker.edit.sizeHint().height() - label.sizeHint().height()) // 2)
                label.setContentsMargins(0, gap, 0, 0)
                left.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            else:
                left.addWidget(label, row, 0)
            if isinstance(field, QWidget):
                left.addWidget(field, row, 1)
            else:
                left.addLayout(field, row, 1)
            if problem:
                left.addWidget(self.problems[problem], row + 1, 1)
        left.setRowStretch(left.rowCount(), 1)
        right = QVBoxLayout()
        right.addWidget(self._label(_("&Capacities"), self.capacities))
        right.addWidget(self.capacities, 1)
        details = QGridLayout()
        for column, (text, widget) in enumerate(((_("&Method"), self.method), (_("La&nguage"), self.language),
                                                 (_("L&ocation"), self.location))):
            details.addWidget(self._label(text, widget), 0, column)
            details.addWidget(widget, 1, column)
            details.setColumnStretch(column, 1)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right, 1)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(top, 3)
        column.addLayout(details)
        column.addWidget(self._label(_("No&tes"), self.notes))
        column.addWidget(self.notes, 2)
        column.addWidget(self._label(_("Ne&xt steps"), self.steps))
        column.addWidget(self.steps)
        column.addWidget(self.problems["next_steps"])
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(_("Ctrl+Enter saves from anywhere; Escape cancels."))
        hint.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)  # type: ignore[call-arg]
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.picker.changed.connect(self._participants_changed)
        self.when.dateTimeChanged.connect(lambda value: self.steps.set_session_day(value.date().toPython()))
        self.steps.rows_changed.connect(self._tab_order)
        self._tab_order()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setWordWrap(True)
        return label

    def _tab_order(self) -> None:
        chain = [self.kind, self.when, self.duration, *self.presets, self.picker.edit, self.picker.chosen,
                 self.picker.remove_button, self.capacities, self.method, self.language, self.location, self.notes,
                 *self.steps.focus_chain(), self.save_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect_changes(self) -> None:
        for signal in (self.kind.currentIndexChanged, self.when.dateTimeChanged, self.duration.valueChanged,
                       self.picker.changed, self.capacities.itemChanged, self.method.currentIndexChanged,
                       self.language.currentIndexChanged, self.location.textChanged, self.notes.textChanged,
                       self.steps.changed):
            signal.connect(self._changed)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 940, 600
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
        self.resize(width, height)

    # -- the form's values

    def form(self) -> SessionForm:
        return SessionForm(
            kind=SessionKind(self.kind.currentData()),
            started_at=self.when.dateTime().toPython().replace(second=0, microsecond=0),
            duration_minutes=self.duration.value(), participants=self.picker.participants(),
            capacity_ids=list(self._capacity_order),
            method_id=uuid.UUID(self.method.currentData()) if self.method.currentData() else None,
            language=self.language.currentData() or "", location=self.location.text(),
            notes=self.notes.toPlainText(), next_steps=self.steps.steps(), title=self._title, id=self.session_id)

    def set_form(self, form: SessionForm, chosen: bool = False) -> None:
        """Show ``form``; ``chosen`` says its method and language were picked by a person, not defaults."""
        self._title = form.title
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind.value)))
        self.when.setDateTime(to_qdatetime(form.started_at))
        self.duration.setValue(form.duration_minutes)
        self.picker.set_participants(form.participants)
        self.capacities.blockSignals(True)
        known = set()
        for item in self._capacity_items():
            capacity_id = uuid.UUID(item.data(0, _ROLE))
            known.add(capacity_id)
            ticked = capacity_id in form.capacity_ids
            item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.capacities.blockSignals(False)
        self._capacity_order = [c for c in form.capacity_ids if c in known]
        if form.method_id is not None and self.method.findData(str(form.method_id)) >= 0:
            self.method.setCurrentIndex(self.method.findData(str(form.method_id)))
            self._method_chosen = chosen
        else:
            self._kind_changed()
        self._fill_languages(form.language)
        self._language_chosen = chosen and bool(form.language)
        self.location.setText(form.location)
        self.notes.setPlainText(form.notes)
        self.notes.moveCursor(QTextCursor.MoveOperation.End)  # to add to the notes, not type over their start
        self.steps.set_session_day(form.started_at.date())
        self.steps.set_steps(form.next_steps)
        self._refresh_goals()

    def has_unsaved_changes(self) -> bool:
        return not (self._saving or self._finished) and self.form().to_values() != self._baseline

    def _capacity_items(self) -> list[QTreeWidgetItem]:
        items = []
        for a in range(self.capacities.topLevelItemCount()):
            area = self.capacities.topLevelItem(a)
            items.extend(area.child(c) for c in range(area.childCount()))
        return items

    def _capacity_ticked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, _ROLE) is None:
            return
        capacity_id = uuid.UUID(item.data(0, _ROLE))
        ticked = item.checkState(0) == Qt.CheckState.Checked
        if ticked and capacity_id not in self._capacity_order:
            self._capacity_order.append(capacity_id)
        elif not ticked and capacity_id in self._capacity_order:
            self._capacity_order.remove(capacity_id)
        self.steps.prefer_capacity(self._capacity_order[0] if self._capacity_order else None)

    def _kind_changed(self, _index: int = 0) -> None:
        if self._method_chosen:
            return
        wanted = service.DEFAULT_METHOD.get(SessionKind(self.kind.currentData()))
        for index, (_id, key, _text) in enumerate(self._methods):
            if key == wanted:
                self.method.setCurrentIndex(index)

    def _participants_changed(self) -> None:
        self._fill_languages(self.language.currentData() if self._language_chosen else "")
        self._refresh_goals()

    def _fill_languages(self, keep: str) -> None:
        with self.context.db.read() as s:
            codes, spoken = service.language_choices(s, self.picker.mentee_ids())
        wanted = keep or spoken or current_language().split("_")[0]
        if wanted and wanted not in codes:
            codes.insert(0, wanted)
        self.language.blockSignals(True)
        self.language.clear()
        for code in codes:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(wanted)))
        self.language.blockSignals(False)

    def _refresh_goals(self) -> None:
        people = self.picker.participants()
        goals, plan_title = [], ""
        if len(people) == 1 and people[0].mentee_id is not None:
            with self.context.db.read() as s:
                goals = service.plan_goals_for(s, people[0].mentee_id)
            plan_title = goals[0].plan_title if goals else ""
        self.steps.set_targets(len(people), goals, plan_title,
                               self._capacity_order[0] if self._capacity_order else None)

    # -- drafts, saving, closing

    def _changed(self, *_args: Any) -> None:
        if not self._saving:
            self._draft_timer.start()

    def save_draft(self) -> None:
        if not self.has_unsaved_changes():
            discard_draft(self.draft_key)
            return
        people = self.picker.participants()
        if people:
            title = _("Session with {people}").format(people=service.participants_summary(people[0].name, len(people)))
        else:
            title = _("A session not yet saved")
        save_draft(self.draft_key, DRAFT_KIND, title, self.form().to_values())

    def save(self) -> None:
        if self._saving:
            return
        form = self.form()
        problems = service.validate(form)
        pending = " ".join(self.picker.edit.text().split())
        if pending:  # a name typed but not added is almost always meant to be added
            problems["participants"] = _("Press Enter to add “{name}”, or clear the box.").format(name=pending)
        for name, label in self.problems.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)
        if problems:
            first = next(name for name in self.problems if name in problems)
            {"started_at": self.when, "duration": self.duration, "participants": self.picker.edit,
             "next_steps": self.steps}[first].setFocus()
            return
        self._saving = True
        self._draft_timer.stop()
        self.save_button.setEnabled(False)
        session_id = self.session_id
        if session_id is None:
            def work(s: Any) -> uuid.UUID:
                return service.log_session(s, form)
        else:
            def work(s: Any) -> uuid.UUID:
                return service.update_session(s, session_id, form)
        self.context.tasks.write(work, success=self._saved, failure=self._failed, initiator=self,
                                 title=_("Saving the session"))

    def _saved(self, session_id: uuid.UUID) -> None:
        discard_draft(self.draft_key)
        self.saved.emit(session_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, CoachDeskError):
            text = str(error)
        else:
            text = _("The session could not be saved: {reason}").format(reason=error)
        show_error(self, text + "\n\n" + _("What you typed is still here."))
        self._draft_timer.start()

    def done(self, result: int) -> None:
        self._finished = True
        self._draft_timer.stop()
        super().done(result)

    def reject(self) -> None:
        if self._saving:
            return
        if self.has_unsaved_changes() and not confirm_discard(self):
            return
        self._draft_timer.stop()
        discard_draft(self.draft_key)
        super().reject()


__all__ = ["LogSessionDialog", "confirm_discard", "show_error"]
