"""The guided assessment wizard: its answers, its draft, and saving it (the pages are in assessment_pages)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _
from coachdesk.model import AssessmentMode
from coachdesk.services.assessments import (
    AreaInfo,
    AssessmentForm,
    RatingAnswer,
    mentee_choice,
    record_assessment,
    taxonomy_for_wizard,
    validate,
)
from coachdesk.services.drafts import Draft, discard_draft, save_draft
from coachdesk.services.templates import questions_for_wizard
from coachdesk.services.vocabulary import template_names
from coachdesk.ui.context import UiContext
from coachdesk.ui.dialogs.assessment_pages import AreaPage, CapacityBlock, InquiryPage, SummaryPage, WhoPage

WHO, INQUIRY, FIRST_AREA = 0, 1, 2


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question (module-level so tests can answer it)."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """A message that needs only acknowledging (module-level so tests can read it)."""
    QMessageBox.warning(parent, title, text)


class AssessmentWizard(QWizard):
    """Guided assessment of one mentee (a person, or a group in the room)."""

    def __init__(self, context: UiContext, mentee_id: uuid.UUID | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.draft_key = f"assessment:{mentee_id or 'new'}"
        self._restoring = False
        self._dirty = False
        self._saving = False
        self.saved: tuple[uuid.UUID, uuid.UUID | None] | None = None
        with context.db.read() as session:
            fixed = mentee_choice(session, mentee_id) if mentee_id else None
        self.areas: list[AreaInfo] = []
        self.area_pages: list[AreaPage] = []
        self.labels: dict[uuid.UUID, str] = {}
        self._asked: tuple[uuid.UUID | None, str] | None = None
        self.template_name = ""
        self.setWindowTitle(_("Guided assessment — {name}").format(name=fixed.name) if fixed
                            else _("Guided assessment"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.who = WhoPage(context, fixed)
        self.inquiry = InquiryPage()
        self.summary = SummaryPage(self)
        for page_id, page in enumerate([self.who, self.inquiry]):
            self.setPage(page_id, page)
            page.changed.connect(self._on_change)  # type: ignore[attr-defined]
        self.summary.changed.connect(self._on_change)
        self.summary_id = FIRST_AREA
        self.build_capacity_pages()
        self.who.questions_changed.connect(self.build_capacity_pages)
        self._autosave = QTimer(self, singleShot=True, interval=1000)
        self._autosave.timeout.connect(self.save_draft_now)
        self.currentIdChanged.connect(lambda _id: self._autosave.start() if self._dirty else None)
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(min(960, screen.width() if screen else 960), min(580, screen.height() if screen else 580))

    def build_capacity_pages(self) -> None:
        """One page per capacity area with the chosen template's questions, in the assessment's language.

        Called again when the template or the language changes; answers to capacities still
        asked are kept."""
        template_id, language = self.who.template_id(), self.who.language.currentData() or ""
        if self._asked == (template_id, language):
            return
        self._asked = (template_id, language)
        answers = {block.capacity.id: block.answer() for block in self.blocks}
        with self.context.db.read() as session:
            try:
                self.areas = (questions_for_wizard(session, template_id, language or None) if template_id
                              else taxonomy_for_wizard(session, language or None))
            except CoachDeskError:  # removed on another device since the list was filled
                self.areas = taxonomy_for_wizard(session, language or None)
            self.template_name = template_names(session).get(template_id, "") if template_id else ""
        for page_id in range(FIRST_AREA, self.summary_id + 1):
            if self.page(page_id) is not None:
                self.removePage(page_id)
        for page in self.area_pages:
            page.deleteLater()
        self.labels = {c.id: c.label for area in self.areas for c in area.capacities}
        self.area_pages = [AreaPage(area, n, len(self.areas)) for n, area in enumerate(self.areas, start=1)]
        for page_id, page in enumerate(self.area_pages, start=FIRST_AREA):
            self.setPage(page_id, page)
            page.changed.connect(self._on_change)
        self.summary_id = FIRST_AREA + len(self.area_pages)
        self.setPage(self.summary_id, self.summary)
        self.summary.setSubTitle(
            _("Asked with the template “{name}”. Check the ratings, then press Finish to save the assessment.").format(
                name=self.template_name) if self.template_name
            else _("Asked about every capacity. Check the ratings, then press Finish to save the assessment."))
        restoring, self._restoring = self._restoring, True
        try:
            for block in self.blocks:
                if block.capacity.id in answers:
                    block.apply(answers[block.capacity.id])
        finally:
            self._restoring = restoring

    @property
    def blocks(self) -> list[CapacityBlock]:
        return [block for page in self.area_pages for block in page.blocks]

    def form(self) -> AssessmentForm:
        mentee = self.who.mentee
        day = self.who.date.date()
        fields = {name: edit.toPlainText() for name, edit in self.inquiry.fields.items()}
        return AssessmentForm(mentee_id=mentee.id if mentee else None,
                              assessed_on=date(day.year(), day.month(), day.day()),
                              mode=AssessmentMode(self.who.mode.currentData()),
                              language=self.who.language.currentData() or "",
                              participants=self.who.participants_count(), template_id=self.who.template_id(),
                              facilitator=self.context.settings.user_name, answers=[b.answer() for b in self.blocks],
                              **fields)

    def apply(self, form: AssessmentForm) -> None:
        """Put ``form``'s answers into the pages (used to restore a draft)."""
        self._restoring = True
        try:
            self.who.apply(form)
            for name, edit in self.inquiry.fields.items():
                edit.setPlainText(getattr(form, name))
            answers = {a.capacity_id: a for a in form.answers}
            for block in self.blocks:
                block.apply(answers.get(block.capacity.id, RatingAnswer(block.capacity.id)))
        finally:
            self._restoring = False

    # -- drafts

    def _on_change(self) -> None:
        if self._restoring:
            return
        self._dirty = True
        self._autosave.start()

    def draft_values(self) -> dict[str, Any]:
        return {**self.form().to_values(), "page": self.currentId(),
                "create_plan": self.summary.create_plan.isChecked()}

    def save_draft_now(self) -> None:
        if not self._dirty or self.saved is not None:
            return
        mentee = self.who.mentee
        title = (_("Assessment of {name}").format(name=mentee.name) if mentee else _("New assessment"))
        save_draft(self.draft_key, "assessment", title, self.draft_values())

    def has_unsaved_changes(self) -> bool:
        return self._dirty and self.saved is None

    @classmethod
    def from_draft(cls, context: UiContext, draft: Draft, parent: QWidget | None = None) -> AssessmentWizard:
        form = AssessmentForm.from_values(draft.values)
        fixed = form.mentee_id if not draft.key.endswith(":new") else None
        wizard = cls(context, fixed, parent)
        wizard.draft_key = draft.key
        if wizard.who.picker is not None and form.mentee_id is not None:
            with context.db.read() as session:
                choice = mentee_choice(session, form.mentee_id)
            wizard._restoring = True
            wizard.who.picker.set_choice(choice)
            wizard._restoring = False
        wizard.apply(form)
        target = draft.values.get("page", WHO)
        wizard.restart()
        while isinstance(target, int) and wizard.currentId() < min(target, wizard.summary_id):
            before = wizard.currentId()
            wizard.next()
            if wizard.currentId() == before:
                break
        if wizard.currentId() == wizard.summary_id and wizard.summary.create_plan.isEnabled():
            wizard.summary.create_plan.setChecked(bool(draft.values.get("create_plan")))
        wizard._dirty = True
        return wizard

    # -- finishing and leaving

    def accept(self) -> None:
        if self._saving:
            return
        form = self.form()
        problems = validate(form)
        if problems:
            tell(self, _("Not finished yet"), " ".join(problems))
            return
        create_plan = self.summary.create_plan.isEnabled() and self.summary.create_plan.isChecked()
        self._busy(True)
        self.context.tasks.write(lambda session: record_assessment(session, form, create_plan),
                                 success=self._saved, failure=self._failed, initiator=self,
                                 title=_("Saving the assessment"))

    def _busy(self, busy: bool) -> None:
        self._saving = busy
        for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton,
                      QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not busy)

    def _saved(self, result: tuple[uuid.UUID, uuid.UUID | None]) -> None:
        self._busy(False)
        self.saved = result
        self._autosave.stop()
        discard_draft(self.draft_key)
        mentee = self.who.mentee
        super().accept()
        if mentee is not None and ask(self.parentWidget(), _("Assessment saved"),
                                      _("The assessment of {name} is saved. Open {name}'s page now?").format(
                                          name=mentee.name)):
            self.context.navigator.mentee_requested.emit(mentee.id)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        reason = str(error) if isinstance(error, CoachDeskError) else _(
            "The assessment could not be saved: {reason}").format(reason=error)
        tell(self, _("Not saved"), reason)

    def reject(self) -> None:
        if self._saving:
            return
        if self.has_unsaved_changes() and not ask(
                self, _("Discard changes?"), _("Close the assessment and lose the answers given so far?")):
            return
        self._autosave.stop()
        discard_draft(self.draft_key)
        self._dirty = False
        super().reject()
