"""The Templates page: the assessment templates per stakeholder type, and a community's adapted copies.

The shipped templates show read-only with a call to copy them; a copy is edited here: its name
and introduction, its questions (which capacities, in which order), each question's prompt and
five level anchors, per language. Questions and messages go through this module's ``ask_*`` and
``tell`` functions so tests can answer them without a modal loop.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, current_language, language_name, ngettext
from coachdesk.model import MenteeKind
from coachdesk.services import templates as service
from coachdesk.services.reference_edit import capacity_tree
from coachdesk.services.vocabulary import label
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import IdRole, heading, quiet, scrolled, wrapped

ADD_LANGUAGE = "+"
TABLES = ("assessment_template", "assessment_template_text", "template_question", "template_question_text",
          "capacity", "capacity_text", "community")


def ask(parent: QWidget, title: str, text: str) -> bool:
    return page_parts.ask(parent, title, text)


def ask_text(parent: QWidget, title: str, caption: str, text: str = "") -> str | None:
    return page_parts.ask_text(parent, title, caption, text)


def ask_choice(parent: QWidget, title: str, caption: str, items: list[str]) -> int | None:
    """The index of the item chosen from a list (type to jump), or None when cancelled."""
    chosen, ok = QInputDialog.getItem(parent, title, caption, items, 0, False)
    return items.index(chosen) if ok and chosen in items else None


def tell(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


class TemplatesPage(QWidget):
    """Templates grouped by stakeholder type on the left; the chosen one's wording and questions on the right."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.current: uuid.UUID | None = None
        self.language = current_language()
        self.detail: service.TemplateDetail | None = None
        self.question: uuid.UUID | None = None
        self._baseline: tuple[str, ...] = ()

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Assessment templates"))
        self.copy_button = QPushButton(_("&Copy to adapt…"))
        self.copy_button.setToolTip(_("Make your community's own copy of this template, to reword and change it"))
        self.delete_button = QPushButton(_("&Delete…"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        # The editor.
        self.title = heading("")
        self.about = quiet(wrapped())
        self.builtin_note = QFrame()
        self.builtin_note.setFrameShape(QFrame.Shape.StyledPanel)
        note_layout = QHBoxLayout(self.builtin_note)
        note_text = wrapped(_("Shipped with CoachDesk, so it reads the same on every device. To change its "
                              "questions or wording, make your own copy."))
        self.cta_button = QPushButton(_("Copy to &adapt…"))
        note_layout.addWidget(note_text, 1)
        note_layout.addWidget(self.cta_button)
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(_("Language of the wording"))
        self.name = QLineEdit()
        self.name.setMaxLength(service.NAME_LIMIT)
        self.introduction = self._text_box(3)
        self.questions = QTreeWidget()
        self.questions.setAccessibleName(_("Questions, in the order they are asked"))
        self.questions.setHeaderLabels([_("Capacity"), _("Prompt")])
        self.questions.setRootIsDecorated(False)
        self.questions.setColumnWidth(0, self.fontMetrics().horizontalAdvance("M") * 21)
        self.questions.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        self.add_button = QPushButton(_("Add &question…"))
        self.remove_button = QPushButton(_("&Remove"))
        self.up_button = QPushButton(_("Move &up"))
        self.down_button = QPushButton(_("Move do&wn"))
        self.prompt = self._text_box(2)
        self.anchors = [QLineEdit() for _level in range(service.LEVELS)]
        self.save_button = QPushButton(_("&Save"))
        self.undo_button = QPushButton(_("U&ndo changes"))

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, widget in ((_("&Language:"), self.language_box), (_("Na&me:"), self.name),
                                (_("&Introduction:"), self.introduction)):
            self._add_row(form, caption, widget)
        question_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            question_buttons.addWidget(button)
        question_buttons.addStretch(1)
        questions_caption = QLabel(_("Questions, in the order they are asked:"))
        questions_caption.setBuddy(self.questions)
        self.question_title = heading("")
        question_form = QFormLayout()
        question_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._add_row(question_form, _("&Prompt:"), self.prompt)
        for level, edit in enumerate(self.anchors, start=1):
            edit.setAccessibleName(_("Level {level}").format(level=level))
            self._add_row(question_form, _("Level &{level}:").format(level=level), edit)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.undo_button)
        save_row.addStretch(1)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addWidget(self.title)
        editor_layout.addWidget(self.about)
        editor_layout.addWidget(self.builtin_note)
        editor_layout.addLayout(form)
        editor_layout.addWidget(questions_caption)
        editor_layout.addWidget(self.questions)
        editor_layout.addLayout(question_buttons)
        editor_layout.addWidget(self.question_title)
        editor_layout.addLayout(question_form)
        editor_layout.addLayout(save_row)
        editor_layout.addStretch(1)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(scrolled(editor))
        splitter.setSizes([260, 660])
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Assessment templates")))
        layout.addWidget(wrapped(_("The questions a guided assessment asks a volunteer, an organization's board or "
                                   "a group, with anchors for levels 1 to 5 worded for them. Copy one to adapt it "
                                   "for your community.")))
        layout.addWidget(splitter, 1)

        self.tree.currentItemChanged.connect(self._template_chosen)
        self.questions.currentItemChanged.connect(self._question_chosen)
        self.language_box.activated.connect(self._language_chosen)
        self.copy_button.clicked.connect(self.copy_template)
        self.cta_button.clicked.connect(self.copy_template)
        self.delete_button.clicked.connect(self.delete_template)
        self.add_button.clicked.connect(self.add_question)
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button.clicked.connect(lambda: self.move_question(1))
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        for edit in (self.name, *self.anchors):
            edit.textChanged.connect(self._update_buttons)
        for box in (self.introduction, self.prompt):
            box.textChanged.connect(self._update_buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        context.changes.changed.connect(self._changed)
        self.reload()

    def _row_size(self) -> QSize:
        # Rows as tall as the font plus room, so Arabic and Devanagari letters are not cut off.
        return QSize(0, self.fontMetrics().height() + 4)

    @staticmethod
    def _text_box(lines: int) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setMaximumHeight(box.fontMetrics().lineSpacing() * (lines + 1) + 12)
        return box

    @staticmethod
    def _add_row(form: QFormLayout, caption: str, widget: QWidget) -> None:
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        form.addRow(caption_label, widget)

    # -- loading

    def reload(self) -> None:
        with self.context.db.read() as session:
            listed = service.list_templates(session)
        with QSignalBlocker(self.tree):
            self.tree.clear()
            groups: dict[MenteeKind, QTreeWidgetItem] = {}
            for kind in MenteeKind:
                group = QTreeWidgetItem([label(kind)])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setSizeHint(0, self._row_size())
                groups[kind] = group
                self.tree.addTopLevelItem(group)
            for template in listed:
                text = (_("{name} (shipped)").format(name=template.name) if template.builtin else template.name)
                item = QTreeWidgetItem([text])
                item.setData(0, IdRole, template.id)
                details = [ngettext_questions(template.questions),
                           _("Languages: {codes}").format(codes=", ".join(template.languages))]
                if template.based_on:
                    details.append(_("Copied from {name}").format(name=template.based_on))
                if template.community:
                    details.append(_("Community: {name}").format(name=template.community))
                item.setToolTip(0, "\n".join([template.name, *details]))
                item.setSizeHint(0, self._row_size())
                groups[template.kind].addChild(item)
                if template.id == self.current:
                    self.tree.setCurrentItem(item)
            self.tree.expandAll()
        if self.current not in {t.id for t in listed}:
            self.current = listed[0].id if listed else None
            self._select(self.current)
        self.show_template(keep_edits=self.is_dirty())

    def _select(self, template_id: uuid.UUID | None) -> None:
        with QSignalBlocker(self.tree):
            for n in range(self.tree.topLevelItemCount()):
                group = self.tree.topLevelItem(n)
                for m in range(group.childCount()):
                    if group.child(m).data(0, IdRole) == template_id:
                        self.tree.setCurrentItem(group.child(m))

    def _changed(self, summary: object, initiator: object) -> None:
        if initiator is not self and touches(summary, *TABLES):
            self.reload()

    def show_template(self, keep_edits: bool = False) -> None:
        """Show the current template in the chosen language (its own languages: the UI's, else English, else any)."""
        self.detail = None
        if self.current is not None:
            with self.context.db.read() as session:
                try:
                    languages = service.template_detail(session, self.current, self.language).languages
                    if self.language not in languages:
                        base = self.language.split("_")[0]
                        self.language = next((c for c in (base, "en") if c in languages),
                                             languages[0] if languages else self.language)
                    self.detail = service.template_detail(session, self.current, self.language)
                except CoachDeskError:  # removed on another device
                    self.detail = None
        detail = self.detail
        editable = detail is not None and not detail.builtin
        self.title.setText(detail.name if detail else "")
        if detail is not None:
            about = [label(detail.kind), ngettext_questions(len(detail.questions))]
            if detail.based_on:
                about.append(_("copied from {name}").format(name=detail.based_on))
            if detail.community:
                about.append(_("for {community}").format(community=detail.community))
            self.about.setText(" · ".join(about))
        else:
            self.about.setText(_("Choose a template on the left."))
        self.builtin_note.setVisible(bool(detail and detail.builtin))
        self.copy_button.setEnabled(detail is not None)
        self.delete_button.setEnabled(editable)
        with QSignalBlocker(self.language_box):
            self.language_box.clear()
            for code in (detail.languages if detail else ()):
                self.language_box.addItem(_("{name} ({code})").format(name=language_name(code), code=code), code)
            if editable:
                self.language_box.addItem(_("Add language…"), ADD_LANGUAGE)
            self.language_box.setCurrentIndex(max(0, self.language_box.findData(self.language)))
        self.language_box.setEnabled(detail is not None)
        with QSignalBlocker(self.questions):
            self.questions.clear()
            for question in (detail.questions if detail else []):
                item = QTreeWidgetItem([question.capacity_label, question.prompt])
                item.setData(0, IdRole, question.id)
                item.setToolTip(1, question.prompt)
                item.setSizeHint(0, self._row_size())
                self.questions.addTopLevelItem(item)
                if question.id == self.question:
                    self.questions.setCurrentItem(item)
            if self.questions.currentItem() is None and self.questions.topLevelItemCount():
                self.questions.setCurrentItem(self.questions.topLevelItem(0))
        current = self.questions.currentItem()
        self.question = current.data(0, IdRole) if current else None
        for widget in (self.name, self.introduction, self.prompt, *self.anchors):
            widget.setReadOnly(not editable)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(editable)
        self.save_button.setVisible(editable)
        self.undo_button.setVisible(editable)
        if not keep_edits:
            self._fill_fields()
        self._update_buttons()

    def _shown_question(self) -> service.QuestionDetail | None:
        if self.detail is None:
            return None
        return next((q for q in self.detail.questions if q.id == self.question), None)

    def _fill_fields(self) -> None:
        detail, question = self.detail, self._shown_question()
        blockers = [QSignalBlocker(w) for w in (self.name, self.introduction, self.prompt, *self.anchors)]
        self.name.setText(detail.name if detail else "")
        self.introduction.setPlainText(detail.introduction if detail else "")
        self.question_title.setText(question.capacity_label if question else "")
        self.prompt.setPlainText(question.prompt if question else "")
        for n, edit in enumerate(self.anchors):
            edit.setText(question.anchors[n] if question else "")
            edit.setCursorPosition(0)
        del blockers
        self._baseline = self._values()
        self._update_buttons()

    def _values(self) -> tuple[str, ...]:
        return (self.name.text(), self.introduction.toPlainText(), self.prompt.toPlainText(),
                *(edit.text() for edit in self.anchors))

    def is_dirty(self) -> bool:
        return bool(self.detail and not self.detail.builtin and self._values() != self._baseline)

    has_unsaved_changes = is_dirty

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        current = self.questions.currentItem()
        row = self.questions.indexOfTopLevelItem(current) if current is not None else -1
        editable = bool(self.detail and not self.detail.builtin)
        self.remove_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < self.questions.topLevelItemCount() - 1)

    def undo(self) -> None:
        self._fill_fields()

    def _may_leave(self) -> bool:
        if not self.is_dirty():
            return True
        if ask(self, _("Discard changes?"), _("The changes to “{name}” are not saved. Discard them?").format(
                name=self.title.text())):
            self._fill_fields()
            return True
        return False

    # -- choosing

    def _template_chosen(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if current is None or current.data(0, IdRole) is None:
            return
        if not self._may_leave():
            with QSignalBlocker(self.tree):
                self.tree.setCurrentItem(previous)
            return
        self.current = current.data(0, IdRole)
        self.question = None
        self.language = current_language()
        self.show_template()

    def _question_chosen(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        if not self._may_leave():
            with QSignalBlocker(self.questions):
                self.questions.setCurrentItem(previous)
            return
        self.question = current.data(0, IdRole)
        self._fill_fields()

    def _language_chosen(self, index: int) -> None:
        code = self.language_box.itemData(index)
        if code == self.language:
            return
        if not self._may_leave():
            self.language_box.setCurrentIndex(max(0, self.language_box.findData(self.language)))
            return
        if code == ADD_LANGUAGE:
            self.language_box.setCurrentIndex(max(0, self.language_box.findData(self.language)))
            self.add_language()
            return
        self.language = code
        self.show_template()

    # -- editing

    def _write(self, work, what: str, done=None) -> None:  # type: ignore[no-untyped-def]
        def succeeded(result: object) -> None:
            if done is not None:
                done(result)
            self.reload()

        self.context.tasks.write(work, success=succeeded, initiator=self,
                                 failure=lambda error: tell(self, _("Not saved"), page_parts.error_text(what, error)))

    def save(self) -> None:
        if not self.is_dirty() or self.detail is None:
            return
        template_id, question_id, language = self.detail.id, self.question, self.language
        name, introduction, prompt, *anchors = self._values()
        template_dirty = (name, introduction) != self._baseline[:2]
        question_dirty = question_id is not None and tuple([prompt, *anchors]) != self._baseline[2:]

        def work(session):  # type: ignore[no-untyped-def]
            if template_dirty:
                service.save_template_text(session, template_id, language, name, introduction)
            if question_dirty:
                service.save_question_text(session, question_id, language, prompt, anchors)

        def saved(_result: object) -> None:
            self._baseline = self._values()

        self._write(work, _("The template"), saved)

    def copy_template(self) -> None:
        if self.detail is None or not self._may_leave():
            return
        name = ask_text(self, _("Copy to adapt"), _("Name of your community's copy:"),
                        _("{name} (copy)").format(name=self.detail.name))
        if name is None:
            return
        if not name.strip():
            tell(self, _("Not copied"), _("Give the template a name; the name cannot be empty."))
            return
        with self.context.db.read() as session:
            communities = service.community_choices(session)
        community = None
        if communities:
            index = ask_choice(self, _("Copy to adapt"), _("Whose copy is it?"),
                               [_("No community in particular"), *(name for _id, name in communities)])
            if index is None:
                return
            community = communities[index - 1][0] if index else None
        origin, language = self.detail.id, self.language

        def copied(template_id: uuid.UUID) -> None:
            self.current, self.question = template_id, None

        self._write(lambda s: service.copy_template(s, origin, name, community, language), _("The copy"), copied)

    def delete_template(self) -> None:
        if self.detail is None or self.detail.builtin:
            return
        if not ask(self, _("Delete template?"), _("Delete “{name}”? Assessments made with it keep their answers.")
                   .format(name=self.detail.name)):
            return
        template_id = self.detail.id

        def deleted(_result: object) -> None:
            self.current = None
            self._baseline = ()

        self._write(lambda s: service.delete_template(s, template_id), _("The template"), deleted)

    def add_question(self) -> None:
        if self.detail is None or not self._may_leave():
            return
        asked = {q.capacity_id for q in self.detail.questions}
        with self.context.db.read() as session:
            tree = capacity_tree(session, self.language)
        choices = [(c.id, f"{area.label} › {c.label}") for area in tree for c in area.capacities
                   if c.id not in asked]
        if not choices:
            tell(self, _("Add question"), _("This template already asks about every capacity."))
            return
        index = ask_choice(self, _("Add question"), _("Capacity to ask about:"), [text for _id, text in choices])
        if index is None:
            return
        template_id, capacity_id = self.detail.id, choices[index][0]

        def added(question_id: uuid.UUID) -> None:
            self.question = question_id

        self._write(lambda s: service.add_question(s, template_id, capacity_id), _("The question"), added)

    def remove_question(self) -> None:
        question = self._shown_question()
        if question is None or not self._may_leave():
            return
        self.question = None
        self._write(lambda s: service.remove_question(s, question.id), _("The question"))

    def move_question(self, offset: int) -> None:
        question_id = self.question
        if question_id is None or not self._may_leave():
            return
        self._write(lambda s: service.move_question(s, question_id, offset), _("The question"))

    def add_language(self) -> None:
        if self.detail is None:
            return
        code = ask_text(self, _("Add language"), _("Language code (for example ha for Hausa, yo for Yoruba, "
                                                   "pt_BR for Brazilian Portuguese):"))
        if not code or not code.strip():
            return
        template_id, from_language = self.detail.id, self.language

        def added(language: str) -> None:
            self.language = language

        self._write(lambda s: service.add_language(s, template_id, code.strip(), from_language),
                    _("The language"), added)


def ngettext_questions(count: int) -> str:
    return ngettext("{count} question", "{count} questions", count).format(count=count)
