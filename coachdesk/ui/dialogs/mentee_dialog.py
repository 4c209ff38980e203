"""The form to add a mentee or edit one's details, with a draft kept on disk while one types."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, is_language_code, language_name
from coachdesk.model import JourneyStage, MenteeKind
from coachdesk.services.drafts import Draft, discard_draft, save_draft
from coachdesk.services.mentees import MenteeForm, community_names, load_form, save_mentee, validate
from coachdesk.services.vocabulary import choices
from coachdesk.ui.context import UiContext
from coachdesk.ui.dialogs.field_history import MENTEE_FIELDS, FieldHistoryDialog, offer_who_changed

DRAFT_KIND = "mentee"
DRAFT_DELAY_MS = 1000


def ask(parent: QWidget, title: str, question: str, yes_text: str) -> bool:
    """A yes/cancel question; tests replace this to answer without a modal loop."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def show_error(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def _date_format() -> str:
    """The locale's short date with a four-digit year: consent dates may lie decades back."""
    text = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return text if "yyyy" in text else text.replace("yy", "yyyy")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def split_languages(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def languages_hint(text: str) -> str:
    """What a typed list of language codes is understood as, under the field, as one types."""
    codes = split_languages(text)
    names = [language_name(c) for c in codes if is_language_code(c)]
    unknown = [c for c in codes if not is_language_code(c)]
    parts = [_("Language codes separated by “;”, for example: ha; en; pt_BR.")]
    if names:
        parts.append(_("Understood as: {names}.").format(names=_(", ").join(names)))
    if unknown:
        parts.append(_("Not a language code: {codes}.").format(codes=_(", ").join(unknown)))
    return " ".join(parts)


class MenteeDialog(QDialog):
    """Add a mentee (``mentee_id`` None) or edit one. Emits ``saved(mentee_id)`` once stored."""

    saved = Signal(object)

    def __init__(self, context: UiContext, mentee_id: uuid.UUID | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.mentee_id = mentee_id
        self.draft_key = f"mentee:{mentee_id}" if mentee_id else "mentee:new"
        self._saving = False
        self._done = False
        self.setWindowTitle(_("Add mentee") if mentee_id is None else _("Edit mentee details"))
        self.setObjectName("mentee_dialog")
        self._build()
        form = MenteeForm(name="")
        load_problem = ""
        with context.db.read() as session:
            communities = community_names(session)
            if mentee_id is not None:
                try:
                    form = load_form(session, mentee_id)
                except CoachDeskError as error:
                    load_problem = str(error)
        self.community.addItems(communities)
        self._show_form(form)
        self._baseline = self.values()
        self.problems.setText(load_problem)
        self.problems.setVisible(bool(load_problem))
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self._watch_changes()
        self.name.setFocus()

    # -- layout

    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.kind = QComboBox()
        for value, text in choices(MenteeKind):
            self.kind.addItem(text, value.value)
        self.community = QComboBox()
        self.community.setEditable(True)
        self.community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.community.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.community.lineEdit().setPlaceholderText(_("Choose or type a new community"))
        self.region = QLineEdit()
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(_("e.g. ha; en"))
        self.languages_hint = QLabel()
        self.languages_hint.setWordWrap(True)
        self.stage = QComboBox()
        for value, text in choices(JourneyStage):
            self.stage.addItem(text, value.value)

        self.consent_on = QDateEdit()
        self.consent_on.setCalendarPopup(True)
        self.consent_on.setDisplayFormat(_date_format())
        self.consent_on.setDate(QDate.currentDate())
        self.consent_on.setAccessibleName(_("Consent given on"))
        self.consent_unknown = QCheckBox(_("&Not recorded"))
        self.consent_unknown.setAccessibleName(_("Consent not recorded"))
        self.consent_unknown.toggled.connect(lambda on: self.consent_on.setEnabled(not on))
        self.consent_by = QLineEdit()
        self.consent_by.setPlaceholderText(_("e.g. signed consent form"))
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.private_notes = QPlainTextEdit()
        self.private_notes.setTabChangesFocus(True)
        self.private_notes.setAccessibleName(_("Private notes"))
        self.private_notes.setMinimumHeight(60)

        profile = QGroupBox(_("Profile"))
        left = QFormLayout(profile)
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._row(left, _("&Name (required):"), self.name)
        self._row(left, _("&Kind:"), self.kind)
        self._row(left, _("C&ommunity:"), self.community)
        self._row(left, _("&Region:"), self.region)
        self._row(left, _("&Languages:"), self.languages)
        left.addRow("", self.languages_hint)
        self._row(left, _("&Journey stage:"), self.stage)
        self.open_to_peers = QCheckBox(_("&May be suggested to other mentees as a peer (they agreed)"))
        self.open_to_peers.setObjectName("open_to_peers")
        self.peers_hint = QLabel(_("Other mentees' coaches then see only their name, community, languages, region "
                                   "and assessed capacities; never their contact details or notes."))
        self.peers_hint.setWordWrap(True)
        hint_font = self.peers_hint.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 0.9)
        self.peers_hint.setFont(hint_font)
        left.addRow(self.open_to_peers)
        left.addRow(self.peers_hint)

        private = QGroupBox(_("Consent and contact"))
        right = QFormLayout(private)
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        right.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        consent_row = QWidget()
        consent_layout = QHBoxLayout(consent_row)
        consent_layout.setContentsMargins(0, 0, 0, 0)
        consent_layout.addWidget(self.consent_on, 1)
        consent_layout.addWidget(self.consent_unknown)
        self._row(right, _("Consent &given on:"), consent_row, buddy=self.consent_on)
        self._row(right, _("Consent given &by:"), self.consent_by)
        self._row(right, _("&Email:"), self.email)
        self._row(right, _("&Phone:"), self.phone)
        self._row(right, _("Private no&tes:"), self.private_notes)
        note = QLabel(_("Contact details and private notes are private: they never leave this device."))
        note.setWordWrap(True)
        small = note.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        note.setFont(small)
        right.addRow(note)

        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(profile, 1)
        columns.addWidget(private, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        bold = self.problems.font()
        bold.setBold(True)
        self.problems.setFont(bold)
        self.problems.setAccessibleName(_("Problems"))
        self.problems.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("&Save"))
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("&Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.history_button = self.buttons.addButton(_("&History…"), QDialogButtonBox.ButtonRole.HelpRole)
        self.history_button.setToolTip(_("Who changed each field last, on which device and when"))
        self.history_button.setAutoDefault(False)
        self.history_button.setEnabled(self.mentee_id is not None)
        self.history_button.clicked.connect(lambda: self.show_history())
        for column, edit in (("name", self.name), ("region", self.region), ("languages", self.languages),
                             ("consent_given_by", self.consent_by), ("email", self.email), ("phone", self.phone)):
            offer_who_changed(edit, lambda column=column: self.show_history(column))

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(760, 490)

    @staticmethod
    def _row(layout: QFormLayout, text: str, field: QWidget, buddy: QWidget | None = None) -> None:
        caption = QLabel(text)
        caption.setBuddy(buddy or field)
        caption.setWordWrap(True)
        layout.addRow(caption, field)

    def _watch_changes(self) -> None:
        for edit in (self.name, self.region, self.languages, self.consent_by, self.email, self.phone):
            edit.textChanged.connect(self._changed)
        self.community.editTextChanged.connect(self._changed)
        for combo in (self.kind, self.stage):
            combo.currentIndexChanged.connect(self._changed)
        self.consent_on.dateChanged.connect(self._changed)
        self.consent_unknown.toggled.connect(self._changed)
        self.open_to_peers.toggled.connect(self._changed)
        self.private_notes.textChanged.connect(self._changed)
        self.languages.textChanged.connect(self._update_languages_hint)

    # -- values

    def _show_form(self, form: MenteeForm) -> None:
        self.name.setText(form.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind.value)))
        self.community.setEditText(form.community)
        self.region.setText(form.region)
        self.languages.setText("; ".join(form.languages))
        self.stage.setCurrentIndex(max(0, self.stage.findData(form.journey_stage.value)))
        self.consent_unknown.setChecked(form.consent_given_on is None)
        self.consent_on.setEnabled(form.consent_given_on is not None)
        if form.consent_given_on is not None:
            self.consent_on.setDate(_qdate(form.consent_given_on))
        self.consent_by.setText(form.consent_given_by)
        self.email.setText(form.email)
        self.phone.setText(form.phone)
        self.private_notes.setPlainText(form.private_notes)
        self.open_to_peers.setChecked(form.open_to_peers)
        self._update_languages_hint()

    def values(self) -> dict[str, Any]:
        """What the form holds, as JSON-ready values (the draft's content)."""
        return {
            "id": str(self.mentee_id) if self.mentee_id else None,
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "community": self.community.currentText(),
            "region": self.region.text(),
            "languages": self.languages.text(),
            "journey_stage": self.stage.currentData(),
            "consent_recorded": not self.consent_unknown.isChecked(),
            "consent_given_on": self.consent_on.date().toPython().isoformat(),
            "consent_given_by": self.consent_by.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "private_notes": self.private_notes.toPlainText(),
            "open_to_peers": self.open_to_peers.isChecked(),
        }

    def apply_values(self, values: dict[str, Any]) -> None:
        """Put draft values back into the form (unknown or damaged entries are skipped)."""
        consent_on = values.get("consent_given_on")
        try:
            consent_day = date.fromisoformat(consent_on) if consent_on else None
        except ValueError:
            consent_day = None
        try:
            kind = MenteeKind(values.get("kind", MenteeKind.PERSON.value))
        except ValueError:
            kind = MenteeKind.PERSON
        try:
            stage = JourneyStage(values.get("journey_stage", JourneyStage.FIRST_CONTACT.value))
        except ValueError:
            stage = JourneyStage.FIRST_CONTACT
        form = MenteeForm(
            name=str(values.get("name", "")), kind=kind, community=str(values.get("community", "")),
            region=str(values.get("region", "")), languages=split_languages(str(values.get("languages", ""))),
            journey_stage=stage, consent_given_on=consent_day if values.get("consent_recorded") else None,
            consent_given_by=str(values.get("consent_given_by", "")), email=str(values.get("email", "")),
            phone=str(values.get("phone", "")), private_notes=str(values.get("private_notes", "")),
            open_to_peers=values.get("open_to_peers") is True)
        self._show_form(form)
        if consent_day is not None:
            self.consent_on.setDate(_qdate(consent_day))
        # Keep the languages exactly as typed, even a half-written code.
        self.languages.setText(str(values.get("languages", "")))

    def form(self) -> MenteeForm:
        return MenteeForm(
            name=self.name.text(), kind=MenteeKind(self.kind.currentData()), community=self.community.currentText(),
            region=self.region.text(), languages=split_languages(self.languages.text()),
            journey_stage=JourneyStage(self.stage.currentData()),
            consent_given_on=None if self.consent_unknown.isChecked() else self.consent_on.date().toPython(),
            consent_given_by=self.consent_by.text(), email=self.email.text(), phone=self.phone.text(),
            private_notes=self.private_notes.toPlainText(), id=self.mentee_id,
            open_to_peers=self.open_to_peers.isChecked())

    def has_unsaved_changes(self) -> bool:
        return not self._done and self.values() != self._baseline

    def _update_languages_hint(self) -> None:
        self.languages_hint.setText(languages_hint(self.languages.text()))

    # -- drafts

    def _changed(self, *_args: object) -> None:
        if not self._done:
            self._draft_timer.start()

    def draft_title(self) -> str:
        name = self.name.text().strip() or _("(no name yet)")
        if self.mentee_id is None:
            return _("New mentee: {name}").format(name=name)
        return _("Mentee details: {name}").format(name=name)

    def save_draft_now(self) -> None:
        if self._done:
            return
        if self.has_unsaved_changes():
            save_draft(self.draft_key, DRAFT_KIND, self.draft_title(), self.values())
        else:
            discard_draft(self.draft_key)

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> MenteeDialog:
        raw_id = draft.values.get("id")
        try:
            mentee_id = uuid.UUID(str(raw_id)) if raw_id else None
        except ValueError:
            mentee_id = None
        dialog = cls(context, mentee_id, parent)
        dialog.apply_values(draft.values)
        dialog.draft_key = draft.key
        return dialog

    # -- history

    def show_history(self, column: str | None = None) -> FieldHistoryDialog | None:
        """Who changed each field of this mentee last (the line of ``column`` selected)."""
        if self.mentee_id is None:
            return None
        title = _("History of {name}").format(name=self.name.text().strip() or _("(no name yet)"))
        dialog = FieldHistoryDialog(self.context, "mentee", self.mentee_id, MENTEE_FIELDS, title, self, column)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- saving and closing

    def save(self) -> None:
        if self._saving:
            return
        form = self.form()
        problems = validate(form)
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        if problems:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.context.tasks.write(lambda session: save_mentee(session, form), success=self._saved,
                                 failure=self._failed, initiator=self, title=_("Save mentee"))

    def _saved(self, mentee_id: uuid.UUID) -> None:
        self._saving = False
        self._done = True
        self._draft_timer.stop()
        discard_draft(self.draft_key)
        self.mentee_id = mentee_id
        self.saved.emit(mentee_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, CoachDeskError):
            message = str(error)
        else:
            message = _("The mentee could not be saved: {reason}").format(reason=error)
        self.problems.setText(message)
        self.problems.show()
        # The draft stays on disk, so nothing typed is lost even if CoachDesk is closed now.
        self.save_draft_now()
        show_error(self, _("Not saved"), message)

    def reject(self) -> None:
        if self._saving:
            return
        if self.has_unsaved_changes() and not ask(
                self, _("Discard changes?"), _("The changes to this mentee are not saved. Discard them?"),
                _("&Discard")):
            return
        self._done = True
        self._draft_timer.stop()
        discard_draft(self.draft_key)
        super().reject()
