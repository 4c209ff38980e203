"""The Funding page: funding opportunities by next deadline, and a form to add, correct or remove one."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, format_date
from coachdesk.services.drafts import discard_draft, pending_drafts, save_draft
from coachdesk.services.reference_edit import FundingForm, is_web_url, list_funding, remove_funding, save_funding
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import IdRole, date_edit, heading, overdue_colour, scrolled, wrapped

FUNDING_DRAFT = "funding"


def deadline_text(deadline: date | None) -> str:
    return format_date(deadline, "medium") if deadline else _("Open all year")


class FundingPage(QWidget):
    """Funding opportunities: a list by next deadline, and a form to add, correct or remove one."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Program"), _("Provider"), _("Deadline"), _("Amount")])
        self.table.setAccessibleName(_("Funding opportunities"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        self.new_button = QPushButton(_("&New opportunity"))
        self.remove_button = QPushButton(_("&Remove…"))

        self.program, self.provider, self.amount, self.url = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        for edit, limit in ((self.program, 200), (self.provider, 200), (self.amount, 200), (self.url, 500)):
            edit.setMaxLength(limit)
        self.url.setPlaceholderText("https://")
        self.deadline = date_edit()
        self.no_deadline = QCheckBox(_("No deadline (open all &year)"))
        self.eligibility, self.notes = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.eligibility, self.notes):
            edit.setTabChangesFocus(True)
            # About four lines: the form must fit under the table on a 600-pixel-high screen.
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        self.open_button = QPushButton(_("&Open website"))
        self.save_button = QPushButton(_("&Save"))
        self.undo_button = QPushButton(_("&Undo changes"))
        self.restored = wrapped(_("Restored what you were typing before CoachDesk closed."))
        self.restored.hide()

        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(self.no_deadline, 1)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.open_button)
        # Two columns under a full-width table: at 1024×600 a side-by-side form squeezes both.
        columns = page_parts.two_column_form(
            ((_("&Program:"), self.program), (_("Pro&vider:"), self.provider), (_("&Deadline:"), deadline_row),
             (_("&Amount:"), self.amount), (_("Web &link:"), url_row)),
            ((_("&Eligibility:"), self.eligibility), (_("No&tes:"), self.notes)))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.restored)
        editor_layout.addLayout(columns)
        editor_layout.addLayout(buttons)
        editor_layout.addStretch(1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        top_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(scrolled(editor))
        splitter.setSizes([240, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Funding")))
        layout.addWidget(wrapped(_("Programs that pay for capacity building: who can apply, how much, and until "
                                   "when. Correct them as you learn more.")))
        layout.addWidget(splitter, 1)

        self._entries: dict[uuid.UUID, FundingForm] = {}
        self._id: uuid.UUID | None = None
        self._baseline: dict[str, str] = {}
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(1000)
        self._draft_timer.timeout.connect(self._save_draft)
        for edit in (self.program, self.provider, self.amount, self.url):
            edit.textEdited.connect(self._edited)
            edit.returnPressed.connect(self.save)
        for plain in (self.eligibility, self.notes):
            plain.textChanged.connect(self._edited)
        self.deadline.dateChanged.connect(self._edited)
        self.no_deadline.toggled.connect(self._edited)
        self.table.currentCellChanged.connect(self._row_chosen)
        self.new_button.clicked.connect(self.new)
        self.remove_button.clicked.connect(self.remove)
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        self.open_button.clicked.connect(lambda: page_parts.open_url(QUrl(self.url.text().strip())))
        QShortcut(QKeySequence.StandardKey.New, self, self.new,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        page_parts.tab_order(self.table, self.new_button, self.remove_button, self.program, self.provider,
                             self.deadline, self.no_deadline, self.amount, self.url, self.open_button,
                             self.eligibility, self.notes, self.save_button, self.undo_button)
        context.changes.changed.connect(self._changed)
        self.reload()
        self._load(FundingForm(""))
        if self.table.rowCount():
            self.table.selectRow(0)
        self._restore_draft()

    # -- the list

    def reload(self) -> None:
        with self.context.db.read() as session:
            entries = list_funding(session)
        self._entries = {e.id: e for e in entries if e.id is not None}
        today = date.today()
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(entries))
            for row, entry in enumerate(entries):
                cells = (entry.program, entry.provider, deadline_text(entry.deadline), entry.amount)
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setData(IdRole, entry.id)
                    item.setToolTip(text)
                    if column == 2 and entry.deadline and entry.deadline < today:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                        item.setForeground(overdue_colour(self.table))
                        item.setToolTip(_("The deadline has passed: {date}").format(date=text))
                    self.table.setItem(row, column, item)
            self._select(self._id)
        self.remove_button.setEnabled(self._id is not None)

    def _select(self, funding_id: uuid.UUID | None) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(IdRole) == funding_id:
                self.table.setCurrentCell(row, 0)
                return
        self.table.clearSelection()

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "funding_opportunity"):
            self.reload()
            if not self.has_unsaved_changes() and self._id in self._entries:
                self._load(self._entries[self._id])

    def _row_chosen(self, row: int, _column: int, previous_row: int, _previous_column: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None or item.data(IdRole) == self._id:
            return
        if not self._may_discard():
            with QSignalBlocker(self.table):
                self.table.setCurrentCell(previous_row, 0)
            return
        self._load(self._entries[item.data(IdRole)])

    # -- the form

    def _load(self, entry: FundingForm) -> None:
        self._id = entry.id
        self._fill(entry)
        self._baseline = self.values()
        self.restored.hide()
        self._update_buttons()

    def _fill(self, entry: FundingForm) -> None:
        widgets = (self.program, self.provider, self.amount, self.url, self.eligibility, self.notes,
                   self.deadline, self.no_deadline)
        blockers = [QSignalBlocker(w) for w in widgets]
        for edit, text in ((self.program, entry.program), (self.provider, entry.provider),
                           (self.amount, entry.amount), (self.url, entry.url)):
            edit.setText(text)
            edit.setCursorPosition(0)  # show the start of long names and links
        self.eligibility.setPlainText(entry.eligibility)
        self.notes.setPlainText(entry.notes)
        self.deadline.setDate(QDate(entry.deadline or date.today()))
        self.no_deadline.setChecked(entry.deadline is None)
        del blockers

    def values(self) -> dict[str, str]:
        """The form as JSON-ready text: what drafts keep and what "unsaved" compares."""
        deadline = "" if self.no_deadline.isChecked() else self.deadline.date().toPython().isoformat()
        return {"id": str(self._id) if self._id else "", "program": self.program.text(),
                "provider": self.provider.text(), "deadline": deadline, "amount": self.amount.text(),
                "eligibility": self.eligibility.toPlainText(), "url": self.url.text(), "notes": self.notes.toPlainText()}

    def _form(self) -> FundingForm:
        v = self.values()
        return FundingForm(v["program"], v["provider"], date.fromisoformat(v["deadline"]) if v["deadline"] else None,
                           v["amount"], v["eligibility"], v["url"], v["notes"], self._id)

    def has_unsaved_changes(self) -> bool:
        return self.values() != self._baseline

    def _edited(self, *_args: object) -> None:
        self._update_buttons()
        if self.has_unsaved_changes():
            self._draft_timer.start()

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        self.deadline.setEnabled(not self.no_deadline.isChecked())
        self.save_button.setEnabled(dirty and bool(self.program.text().strip()))
        self.undo_button.setEnabled(dirty)
        self.open_button.setEnabled(is_web_url(self.url.text()))
        self.remove_button.setEnabled(self._id is not None)

    def _save_draft(self) -> None:
        if self.has_unsaved_changes():
            title = self.program.text().strip() or _("New funding opportunity")
            save_draft(FUNDING_DRAFT, "funding", title, self.values())

    def _restore_draft(self) -> None:
        draft = next((d for d in pending_drafts() if d.kind == "funding"), None)
        if draft is None:
            return
        v = draft.values
        try:
            known = uuid.UUID(v["id"]) if v.get("id") else None
            typed = FundingForm(*(str(v.get(k, "")) for k in ("program", "provider")),
                                date.fromisoformat(v["deadline"]) if v.get("deadline") else None,
                                *(str(v.get(k, "")) for k in ("amount", "eligibility", "url", "notes")))
        except (ValueError, KeyError, TypeError):
            discard_draft(FUNDING_DRAFT)  # a draft we cannot read back
            return
        if known is not None and known not in self._entries:
            known = None  # removed since: what was typed becomes a new opportunity
        self._load(self._entries[known] if known else FundingForm(""))
        self._fill(typed)
        self._select(self._id)
        self.restored.show()
        self._update_buttons()

    def _may_discard(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        if page_parts.ask(self, _("Discard changes?"), _("The changes to this funding opportunity are not saved. "
                                              "Discard them?")):
            self._draft_timer.stop()
            discard_draft(FUNDING_DRAFT)
            return True
        return False

    # -- actions

    def new(self) -> None:
        if self._may_discard():
            with QSignalBlocker(self.table):
                self.table.clearSelection()
                self.table.setCurrentCell(-1, -1)
            self._load(FundingForm(""))
            self.program.setFocus()

    def undo(self) -> None:
        self._draft_timer.stop()
        discard_draft(FUNDING_DRAFT)
        self._load(self._entries.get(self._id, FundingForm("")) if self._id else FundingForm(""))

    def save(self) -> None:
        if not (self.has_unsaved_changes() and self.program.text().strip()):
            return
        form = self._form()

        def saved(funding_id: uuid.UUID) -> None:
            self._draft_timer.stop()
            discard_draft(FUNDING_DRAFT)
            self._id = funding_id
            self.reload()
            self._load(self._entries[funding_id])

        self.context.tasks.write(lambda s: save_funding(s, form), success=saved,
                                 failure=lambda e: page_parts.show_error(self, _("The funding opportunity"), e), initiator=self)

    def remove(self) -> None:
        funding_id = self._id
        if funding_id is None or not page_parts.ask(self, _("Remove funding opportunity?"), _(
                "Remove “{program}” from the list? Plans that name it keep their link.").format(
                program=self._entries[funding_id].program)):
            return

        def removed(_result: object) -> None:
            self._draft_timer.stop()
            discard_draft(FUNDING_DRAFT)
            self._load(FundingForm(""))
            self.reload()

        self.context.tasks.write(lambda s: remove_funding(s, funding_id), success=removed,
                                 failure=lambda e: page_parts.show_error(self, _("The funding opportunity"), e), initiator=self)
