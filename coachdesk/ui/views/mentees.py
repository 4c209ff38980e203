"""The Mentees page: a list that filters as one types (in SQL, lazily loaded), and each mentee's page."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, format_number, language_name, ngettext
from coachdesk.model import JourneyStage, MenteeKind
from coachdesk.services.mentee_profile import mentee_languages, mentee_rowid
from coachdesk.services.mentees import MenteeFilter, MenteeRow, set_archived
from coachdesk.services.vocabulary import choices
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.dialogs import capx_import
from coachdesk.ui.dialogs.mentee_dialog import MenteeDialog
from coachdesk.ui.dialogs.merge_duplicates import MergeDuplicatesDialog
from coachdesk.ui.models.mentee_table import MenteeTableModel
from coachdesk.ui.views import mentee_page
from coachdesk.ui.views.mentee_page import MenteePage

#: Column widths in average characters, so they follow the font size.
COLUMN_CHARS = (30, 12, 28, 14, 18)
FILTER_DELAY_MS = 30


class MenteesPage(QWidget):
    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self._stale = False
        self.model = MenteeTableModel(context.db, self)
        self.list_widget = self._build_list()
        self.mentee_page = MenteePage(context)
        self.mentee_page.back_requested.connect(self.show_list)
        self.mentee_page.session_activated.connect(self._open_session)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.list_widget)
        self.stack.addWidget(self.mentee_page)
        add = QShortcut(QKeySequence("Ctrl+N"), self)
        add.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add.activated.connect(self.add_mentee)
        context.changes.changed.connect(self._on_changed)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self._fill_languages()
        self.apply_filter()
        self.setFocusProxy(self.filter_edit)

    # -- layout

    def _build_list(self) -> QWidget:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter by name, community or region"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(_("Filter mentees"))
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.installEventFilter(self)
        filter_label = QLabel(_("&Filter:"))
        filter_label.setBuddy(self.filter_edit)
        self.show_archived = QCheckBox(_("Show archi&ved"))
        self.show_archived.toggled.connect(self.apply_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("mentee_count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)

        self.kind_combo = QComboBox()
        self.kind_combo.addItem(_("All kinds"), "")
        for value, text in choices(MenteeKind):
            self.kind_combo.addItem(text, value.value)
        self.stage_combo = QComboBox()
        self.stage_combo.addItem(_("All stages"), "")
        for value, text in choices(JourneyStage):
            self.stage_combo.addItem(text, value.value)
        self.language_combo = QComboBox()
        self.language_combo.addItem(_("All languages"), "")
        for combo in (self.kind_combo, self.stage_combo, self.language_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
            # Combos may shrink below their longest entry, so the row fits at large font sizes.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)

        first = QHBoxLayout()
        first.addWidget(filter_label)
        first.addWidget(self.filter_edit, 1)
        first.addWidget(self.count_label)
        first.addWidget(self.show_archived)
        second = QHBoxLayout()
        for caption, combo in ((_("&Kind:"), self.kind_combo), (_("Journey &stage:"), self.stage_combo),
                               (_("&Language:"), self.language_combo)):
            text = QLabel(caption)
            text.setBuddy(combo)
            second.addWidget(text)
            second.addWidget(combo, 1)

        self.table = QTableView()
        self.table.setObjectName("mentee_table")
        self.table.setAccessibleName(_("Mentees"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.table.verticalHeader()
        rows.hide()
        # One fixed height for every row: the view never measures 50k rows to lay them out.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSectionsClickable(True)
        self.table.setSortingEnabled(True)
        average = self.table.fontMetrics().averageCharWidth()
        for column, chars in enumerate(COLUMN_CHARS):
            self.table.setColumnWidth(column, max(chars * average, header.sectionSizeHint(column)))
        self.table.doubleClicked.connect(lambda index: self.open_mentee(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.installEventFilter(self)

        self.add_button = QPushButton(_("&Add mentee"))
        self.add_button.setToolTip(_("Add a mentee (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_mentee)
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setToolTip(_("Open the mentee's page (Enter)"))
        self.open_button.clicked.connect(lambda: self.open_mentee(self.table.currentIndex().row()))
        self.edit_button = QPushButton(_("&Edit"))
        self.edit_button.setToolTip(_("Edit the mentee's details (F2)"))
        self.edit_button.clicked.connect(self.edit_mentee)
        self.archive_button = QPushButton(_("A&rchive"))
        self.archive_button.clicked.connect(self.toggle_archived)
        self.merge_button = QPushButton(_("&Merge duplicates…"))
        self.merge_button.setToolTip(_("Merge the chosen mentee with one entered twice, e.g. on another device"))
        self.merge_button.clicked.connect(self.merge_duplicates)
        self.capx_button = QPushButton(_("Capacity E&xchange"))
        self.capx_button.setToolTip(_("Move capacity profiles to and from the Wikimedia Capacity Exchange"))
        capx_menu = QMenu(self.capx_button)
        capx_menu.addAction(_("&Export to Capacity Exchange…"), self.export_capx)
        capx_menu.addAction(_("&Import from Capacity Exchange…"), self.import_capx)
        self.capx_button.setMenu(capx_menu)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.edit_button, self.archive_button, self.merge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.capx_button)

        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return widget

    # -- filtering and selection

    def current_filter(self) -> MenteeFilter:
        kind, stage = self.kind_combo.currentData(), self.stage_combo.currentData()
        return MenteeFilter(text=self.filter_edit.text(), kind=MenteeKind(kind) if kind else None,
                            stage=JourneyStage(stage) if stage else None,
                            language=self.language_combo.currentData() or "",
                            include_archived=self.show_archived.isChecked())

    def apply_filter(self) -> None:
        """Ask SQL for the matching mentees again, keeping the selected one selected if it still matches."""
        self._filter_timer.stop()
        selected = self.selected_rowid()
        self.model.set_filter(self.current_filter())
        self._stale = False
        count = self.model.rowCount()
        self.count_label.setText(ngettext("{count} mentee", "{count} mentees", count).format(
            count=format_number(count)))
        if selected is not None:
            self.select_rowid(selected)
        self._update_buttons()

    def _fill_languages(self) -> None:
        with self.context.db.read() as session:
            codes = mentee_languages(session)
        current = self.language_combo.currentData() or ""
        known = {self.language_combo.itemData(i) for i in range(1, self.language_combo.count())}
        if known == set(codes):
            return
        self.language_combo.blockSignals(True)
        while self.language_combo.count() > 1:
            self.language_combo.removeItem(1)
        for code in sorted(codes, key=lambda c: language_name(c).casefold()):
            self.language_combo.addItem(language_name(code), code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(current)))
        self.language_combo.blockSignals(False)

    def selected_rowid(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.key_at(index.row())

    def selected_row(self) -> MenteeRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if self.selected_rowid() is not None else None

    def select_rowid(self, rowid: int) -> bool:
        position = self.model.position_of(rowid)
        if position < 0:
            return False
        index = self.model.index(position, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def select_mentee(self, mentee_id: uuid.UUID) -> bool:
        with self.context.db.engine.connect() as connection:
            rowid = mentee_rowid(connection, mentee_id)
        return rowid is not None and self.select_rowid(rowid)

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected_row()
        for button in (self.open_button, self.edit_button, self.archive_button, self.merge_button):
            button.setEnabled(row is not None)
        self.archive_button.setText(_("Unarch&ive") if row is not None and row.archived else _("A&rchive"))

    def _on_changed(self, summary: object, _initiator: object) -> None:
        if not touches(summary, "mentee", "community"):
            return
        if self.isVisible():
            self._fill_languages()
            self.apply_filter()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._fill_languages()
            self.apply_filter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_mentee(self.table.currentIndex().row())
                return True
            if watched is self.table and key == Qt.Key.Key_F2:
                self.edit_mentee()
                return True
            if watched is self.filter_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # From the filter straight into the results: the first match, or the one already chosen.
                if self._filter_timer.isActive():
                    self.apply_filter()
                if self.model.rowCount():
                    if self.selected_rowid() is None:
                        self.select_rowid(self.model.key_at(0))
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    # -- navigation

    def open_mentee(self, position: int) -> None:
        if position < 0 or position >= self.model.rowCount():
            return
        row = self.model.row_at(position)
        if row is not None:
            self.select_rowid(row.rowid)
            self.show_mentee(row.id)

    def show_mentee(self, mentee_id: uuid.UUID) -> None:
        """Show ``mentee_id``'s page; the list keeps its filter, and selects the mentee for coming back."""
        if self.selected_row() is None or self.selected_row().id != mentee_id:  # type: ignore[union-attr]
            self.select_mentee(mentee_id)
        self.mentee_page.show_mentee(mentee_id)
        self.stack.setCurrentWidget(self.mentee_page)
        self.mentee_page.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_widget)
        index = self.table.currentIndex()
        if index.isValid():
            self.table.scrollTo(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_session(self, session_id: uuid.UUID) -> None:
        window = self.window()
        if hasattr(window, "show_session"):
            window.show_session(session_id)

    # -- actions

    def add_mentee(self) -> MenteeDialog:
        dialog = MenteeDialog(self.context, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._show_saved)
        dialog.open()
        return dialog

    def edit_mentee(self) -> MenteeDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = MenteeDialog(self.context, row.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def merge_duplicates(self) -> MergeDuplicatesDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = MergeDuplicatesDialog(self.context, row.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._show_saved(dialog.kept_id))
        dialog.open()
        return dialog

    def export_capx(self) -> None:
        capx_import.export_all(self.context, self)

    def import_capx(self) -> capx_import.CapxImportDialog | None:
        path = capx_import.ask_open_file(self)
        if path is None:
            return None
        dialog = capx_import.CapxImportDialog(self.context, path, self)
        dialog.imported.connect(lambda plan: capx_import.tell(
            self, _("Import from the Capacity Exchange"),
            ngettext("Recorded {count} profile as an assessment.", "Recorded {count} profiles as assessments.",
                     len(plan.recorded)).format(count=len(plan.recorded))))
        dialog.open()
        return dialog

    def _show_saved(self, mentee_id: uuid.UUID) -> None:
        if self.stack.currentWidget() is not self.list_widget:
            return
        if not self.select_mentee(mentee_id):
            # A new mentee the filter hides would look lost: show everyone, then point at it.
            self.filter_edit.clear()
            for combo in (self.kind_combo, self.stage_combo, self.language_combo):
                combo.setCurrentIndex(0)
            self.apply_filter()
            self.select_mentee(mentee_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_archived(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        archive = not row.archived
        if archive and not mentee_page.confirm(
                self, _("Archive mentee"),
                _("Archive {name}? Archived mentees leave the list but keep their sessions, assessments and plans; "
                  "“Show archived” brings them back.").format(name=row.name), _("A&rchive")):
            return
        self.context.tasks.write(
            lambda session: set_archived(session, row.id, archive), initiator=self, title=_("Archive mentee"),
            failure=lambda error: mentee_page.show_error(self, _("Not saved"), error, _("The mentee")))
