"""The Requests page: what communities ask for, most urgent first, and turning a request into a mentee with a plan."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_date, format_number
from coachdesk.model import MenteeKind, RequestStatus
from coachdesk.services import vocabulary
from coachdesk.services.drafts import discard_draft, pending_drafts, save_draft
from coachdesk.services.mentees import community_names
from coachdesk.services.reference_edit import capacity_tree
from coachdesk.services.requests import (
    PRIORITY_MAX,
    PRIORITY_MIN,
    RequestForm,
    RequestRow,
    load_request,
    request_keys,
    request_rows,
    request_to_mentee_and_plan,
    save_request,
)
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.models.lazy_table import Column, LazyTableModel
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import date_edit, heading, quiet, scrolled, wrapped

REQUEST_DRAFT = "request"
STATUS_COLUMN = 5


def ask_mentee(parent: QWidget, default_name: str) -> tuple[MenteeKind, str] | None:
    """Ask whether the request becomes an organization or a group, and its name (module-level for tests)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_("Turn into mentee and plan"))
    organization = QRadioButton(vocabulary.label(MenteeKind.ORGANIZATION))
    group = QRadioButton(vocabulary.label(MenteeKind.GROUP))
    organization.setChecked(True)
    name = QLineEdit(default_name)
    name.setMaxLength(200)
    name.setAccessibleName(_("Name of the new mentee"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    name.textChanged.connect(lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
        bool(text.strip())))
    form = QFormLayout(dialog)
    form.addRow(wrapped(_("The community becomes a mentee with a plan for this request. Is it an organization "
                          "(an affiliate, a user group) or an informal group?")))
    kinds = QHBoxLayout()
    kinds.addWidget(organization)
    kinds.addWidget(group)
    kinds.addStretch(1)
    form.addRow(kinds)
    caption = QLabel(_("&Name:"))
    caption.setBuddy(name)
    form.addRow(caption, name)
    form.addRow(buttons)
    name.selectAll()
    dialog.resize(dialog.fontMetrics().averageCharWidth() * 60, dialog.sizeHint().height())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return (MenteeKind.ORGANIZATION if organization.isChecked() else MenteeKind.GROUP), name.text()


class RequestsPage(QWidget):
    """Community requests, open first and most urgent on top, with a form to record or edit one."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.status_filter: RequestStatus | None = None
        self.model: LazyTableModel[uuid.UUID, RequestRow] = LazyTableModel(
            [Column("priority", _("Priority"), lambda r: format_number(r.priority)),
             Column("title", _("Title"), lambda r: r.title),
             Column("community", _("Community"), lambda r: r.community),
             Column("capacity", _("Capacity"), lambda r: r.capacity, sortable=False),
             Column("requested_on", _("Requested on"), lambda r: format_date(r.requested_on, "medium")),
             Column("status", _("Status"), lambda r: vocabulary.label(r.status))],
            self._fetch_keys, self._fetch_rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Community requests"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(0)  # measure the rows on screen only: never fetch them all
        modes = (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                 QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Interactive,
                 QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents)
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(3, self.table.fontMetrics().averageCharWidth() * 20)
        header.setSortIndicator(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # sorts once: open first, then by priority

        self.filter = QComboBox()
        self.filter.addItem(_("All requests"), None)
        for status, text in vocabulary.choices(RequestStatus):
            self.filter.addItem(text, str(status))
        filter_label = QLabel(_("S&how:"))
        filter_label.setBuddy(self.filter)
        self.new_button = QPushButton(_("&New request"))

        self.community = QComboBox()
        self.community.setEditable(True)
        self.community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.community.lineEdit().setPlaceholderText(_("Choose, or type a new community"))
        self.requested_by, self.title = QLineEdit(), QLineEdit()
        self.requested_by.setMaxLength(200)
        self.title.setMaxLength(200)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(self.description.fontMetrics().lineSpacing() * 4 + 12)
        self.capacity = QComboBox()
        self.priority = QSpinBox()
        self.priority.setRange(PRIORITY_MIN, PRIORITY_MAX)
        self.status = QComboBox()
        for status, text in vocabulary.choices(RequestStatus):
            self.status.addItem(text, str(status))
        self.requested_on = date_edit()
        self.save_button = QPushButton(_("&Save"))
        self.undo_button = QPushButton(_("&Undo changes"))
        self.convert_button = QPushButton(_("Turn into mentee and p&lan…"))
        self.mentee_note = quiet(wrapped())
        self.open_mentee_button = QPushButton(_("Open &mentee"))
        self.restored = wrapped(_("Restored what you were typing before CoachDesk closed."))
        self.restored.hide()
        self._build_layout(filter_label)

        self._id: uuid.UUID | None = None
        self._mentee_id: uuid.UUID | None = None
        self._baseline: dict[str, Any] = {}
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(1000)
        self._draft_timer.timeout.connect(self._save_draft)
        for edit in (self.requested_by, self.title, self.community.lineEdit()):
            edit.textEdited.connect(self._edited)
            edit.returnPressed.connect(self.save)
        self.community.currentIndexChanged.connect(self._edited)
        self.description.textChanged.connect(self._edited)
        for combo in (self.capacity, self.status):
            combo.currentIndexChanged.connect(self._edited)
        self.priority.valueChanged.connect(self._edited)
        self.requested_on.dateChanged.connect(self._edited)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        self.convert_button.clicked.connect(self.convert)
        self.open_mentee_button.clicked.connect(
            lambda: self._mentee_id and self.context.navigator.mentee_requested.emit(self._mentee_id))
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.New, self, self.new, context=shortcut)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=shortcut)
        page_parts.tab_order(self.filter, self.new_button, self.table, self.title, self.community,
                             self.requested_by, self.capacity, self.priority, self.description, self.status,
                             self.requested_on, self.save_button, self.undo_button, self.open_mentee_button,
                             self.convert_button)
        context.changes.changed.connect(self._changed)
        self._fill_choices()
        self._load(RequestForm(""))
        self._restore_draft()

    def _build_layout(self, filter_label: QLabel) -> None:
        toolbar = QHBoxLayout()
        toolbar.addWidget(filter_label)
        toolbar.addWidget(self.filter)
        toolbar.addStretch(1)
        toolbar.addWidget(self.new_button)
        priority_row = QHBoxLayout()
        priority_row.addWidget(self.priority)
        priority_row.addWidget(quiet(QLabel(_("1 = most urgent"))), 1)
        columns = page_parts.two_column_form(
            ((_("&Title:"), self.title), (_("C&ommunity:"), self.community), (_("Requested &by:"), self.requested_by),
             (_("&Capacity:"), self.capacity), (_("&Priority:"), priority_row)),
            ((_("&What they ask for:"), self.description), (_("St&atus:"), self.status),
             (_("Re&quested on:"), self.requested_on)))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.mentee_note, 2)
        buttons.addWidget(self.open_mentee_button)
        buttons.addWidget(self.convert_button)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.restored)
        editor_layout.addLayout(columns)
        editor_layout.addLayout(buttons)
        editor_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(scrolled(editor))
        splitter.setSizes([270, 210])
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Requests")))
        layout.addWidget(wrapped(_("What communities ask for comes first. Record each request with its priority, "
                                   "and turn it into a mentee with a plan when you take it on.")))
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)

    # -- the list

    def _fetch_keys(self, sort: str, ascending: bool) -> list[uuid.UUID]:
        with self.context.db.read() as session:
            return request_keys(session, self.status_filter, sort, ascending)

    def _fetch_rows(self, keys: Any) -> dict[uuid.UUID, RequestRow]:
        with self.context.db.read() as session:
            return request_rows(session, keys)

    def _fill_choices(self) -> None:
        with self.context.db.read() as session:
            names = community_names(session)
            tree = capacity_tree(session)
        text = self.community.currentText()
        with QSignalBlocker(self.community), QSignalBlocker(self.capacity):
            self.community.clear()
            self.community.addItems(names)
            self.community.setEditText(text)
            chosen = self.capacity.currentData()
            self.capacity.clear()
            # Ids as text: Qt compares text data in findData(), not Python objects.
            self.capacity.addItem(_("No capacity named"), "")
            for area in tree:
                self.capacity.insertSeparator(self.capacity.count())
                for capacity in area.capacities:
                    self.capacity.addItem(capacity.label, str(capacity.id))
            self.capacity.setCurrentIndex(max(0, self.capacity.findData(chosen)))

    def reload(self) -> None:
        self.model.reload()
        self._select(self._id)

    def _select(self, request_id: uuid.UUID | None) -> None:
        row = self.model.position_of(request_id) if request_id else -1
        with QSignalBlocker(self.table.selectionModel()):
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            else:
                self.table.clearSelection()

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "community", "capacity", "capacity_text"):
            self._fill_choices()
        if touches(summary, "community_request", "community", "capacity_text"):
            self.reload()

    def _filter_changed(self) -> None:
        data = self.filter.currentData()  # combo boxes hand a StrEnum back as plain text
        self.status_filter = RequestStatus(data) if data else None
        self.reload()

    def _row_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        request_id = self.model.key_at(current.row())
        if request_id == self._id:
            return
        if not self._may_discard():
            self._select(self._id)
            return
        with self.context.db.read() as session:
            form = load_request(session, request_id)
        self._load(form)

    # -- the form

    def _load(self, form: RequestForm) -> None:
        self._id, self._mentee_id = form.id, form.mentee_id
        self._fill(form)
        self._baseline = self.values()
        self.restored.hide()
        self._update_buttons()

    def _fill(self, form: RequestForm) -> None:
        widgets = (self.title, self.community, self.requested_by, self.description, self.capacity, self.priority,
                   self.status, self.requested_on)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.title.setText(form.title)
        self.community.setEditText(form.community)
        self.requested_by.setText(form.requested_by)
        self.description.setPlainText(form.description)
        self.capacity.setCurrentIndex(max(0, self.capacity.findData(str(form.capacity_id or ""))))
        self.priority.setValue(form.priority)
        self.status.setCurrentIndex(max(0, self.status.findData(str(form.status))))
        self.requested_on.setDate(QDate(form.requested_on or date.today()))
        del blockers

    def values(self) -> dict[str, Any]:
        """The form as JSON-ready values: what drafts keep and what "unsaved" compares."""
        return {"id": str(self._id) if self._id else "", "title": self.title.text(),
                "community": self.community.currentText(), "requested_by": self.requested_by.text(),
                "description": self.description.toPlainText(), "capacity_id": self.capacity.currentData() or "",
                "priority": self.priority.value(), "status": str(self.status.currentData()),
                "requested_on": self.requested_on.date().toPython().isoformat()}

    def _form(self) -> RequestForm:
        v = self.values()
        return RequestForm(v["title"], v["community"], v["requested_by"], v["description"],
                           uuid.UUID(v["capacity_id"]) if v["capacity_id"] else None, int(v["priority"]),
                           RequestStatus(v["status"]), date.fromisoformat(v["requested_on"]), self._id)

    def has_unsaved_changes(self) -> bool:
        return self.values() != self._baseline

    def _edited(self, *_args: object) -> None:
        self._update_buttons()
        if self.has_unsaved_changes():
            self._draft_timer.start()

    def _update_buttons(self) -> None:
        dirty, titled = self.has_unsaved_changes(), bool(self.title.text().strip())
        self.save_button.setEnabled(dirty and titled)
        self.undo_button.setEnabled(dirty)
        self.convert_button.setVisible(self._mentee_id is None)
        self.convert_button.setEnabled(titled and (dirty or self._id is not None))
        self.open_mentee_button.setVisible(self._mentee_id is not None)
        self.mentee_note.setText(_("This request has become a mentee with a plan.") if self._mentee_id else "")

    def _save_draft(self) -> None:
        if self.has_unsaved_changes():
            save_draft(REQUEST_DRAFT, "request", self.title.text().strip() or _("New request"), self.values())

    def _restore_draft(self) -> None:
        draft = next((d for d in pending_drafts() if d.kind == "request"), None)
        if draft is None:
            return
        v = draft.values
        try:
            form = RequestForm(str(v.get("title", "")), str(v.get("community", "")), str(v.get("requested_by", "")),
                               str(v.get("description", "")),
                               uuid.UUID(v["capacity_id"]) if v.get("capacity_id") else None,
                               int(v.get("priority", 3)), RequestStatus(v.get("status", "open")),
                               date.fromisoformat(v["requested_on"]) if v.get("requested_on") else None,
                               uuid.UUID(v["id"]) if v.get("id") else None)
            with self.context.db.read() as session:
                saved = load_request(session, form.id) if form.id else RequestForm("")
        except (ValueError, KeyError, TypeError, CoachDeskError):
            discard_draft(REQUEST_DRAFT)  # a draft we cannot read back, or of a request removed since
            return
        self._load(saved)
        self._fill(form)
        self._select(self._id)
        self.restored.show()
        self._update_buttons()

    def _may_discard(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        if page_parts.ask(self, _("Discard changes?"), _("The changes to this request are not saved. Discard them?")):
            self._forget_draft()
            return True
        return False

    def _forget_draft(self) -> None:
        self._draft_timer.stop()
        discard_draft(REQUEST_DRAFT)

    # -- actions

    def new(self) -> None:
        if self._may_discard():
            self._select(None)
            self._load(RequestForm(""))
            self.title.setFocus()

    def undo(self) -> None:
        self._forget_draft()
        if self._id is None:
            self._load(RequestForm(""))
            return
        with self.context.db.read() as session:
            self._load(load_request(session, self._id))

    def save(self) -> None:
        if not (self.has_unsaved_changes() and self.title.text().strip()):
            return
        form = self._form()
        self.context.tasks.write(lambda s: save_request(s, form), success=self._saved,
                                 failure=lambda e: page_parts.show_error(self, _("The request"), e), initiator=self)

    def _saved(self, request_id: uuid.UUID) -> None:
        self._forget_draft()
        self._id = request_id
        self.reload()
        with self.context.db.read() as session:
            self._load(load_request(session, request_id))

    def convert(self) -> None:
        """Turn the request (saving what was typed first, in the same write) into a mentee with a plan."""
        if not self.title.text().strip() or self._mentee_id is not None:
            return
        choice = ask_mentee(self, self.community.currentText().strip() or self.title.text().strip())
        if choice is None:
            return
        kind, name = choice
        form = self._form() if self.has_unsaved_changes() or self._id is None else None
        request_id = self._id

        def work(session: Any) -> tuple[uuid.UUID, Any]:
            saved = save_request(session, form) if form is not None else request_id
            return saved, request_to_mentee_and_plan(session, saved, kind, name)

        def done(result: tuple[uuid.UUID, Any]) -> None:
            saved, made = result
            self._saved(saved)
            self.context.navigator.mentee_requested.emit(made.mentee_id)

        self.context.tasks.write(work, success=done, initiator=self,
                                 failure=lambda e: page_parts.show_error(self, _("The mentee and plan"), e))
