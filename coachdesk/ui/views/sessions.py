"""The Sessions page: every logged session, newest first, filtered as one types; the chosen one in full below."""

from __future__ import annotations

import html
import uuid
from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, QLocale, Qt, QTime, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMenu,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_date, format_datetime, format_number, language_name, ngettext
from coachdesk.model import SessionKind
from coachdesk.services import printing, vocabulary
from coachdesk.services.session_list import session_keys, session_rowid
from coachdesk.services.sessions import SessionDetail, remove_session, session_detail
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.dialogs.print_preview import PrintPreviewDialog
from coachdesk.ui.models.session_table import SessionTableModel, duration_text

SESSION_TABLES = ("coaching_session", "session_participant", "session_capacity")


def confirm_remove(parent: QWidget, title: str) -> bool:
    """Ask before removing a session (tests replace this)."""
    answer = QMessageBox.question(
        parent, _("Remove session?"),
        _("Remove “{title}”? It disappears from every device at the next sync.").format(title=title),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, _("Sessions"), text)


class SessionsPage(QWidget):
    loaded = Signal()  # the list shows the keys for the current filter

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self._wanted: uuid.UUID | None = None  # select this session once the keys arrive
        self._shown: uuid.UUID | None = None

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by title, notes, next steps or participant"))
        self.filter.setAccessibleName(_("Filter sessions"))
        self.filter.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind of session"))
        self.kind.addItem(_("All kinds"), "")
        for value, text in vocabulary.choices(SessionKind):
            self.kind.addItem(text, value.value)
        self.count = QLabel()
        self.log_button = QPushButton(_("&Log a session"))
        self.log_button.setToolTip(_("Ctrl+L, from any page"))
        self.edit_button = QPushButton(_("&Edit"))
        self.remove_button = QPushButton(_("&Remove"))
        self.print_button = QPushButton(_("&Print…"))
        print_menu = QMenu(self.print_button)
        print_menu.addAction(_("Session report…"), lambda: self.print_document("session"))
        print_menu.addAction(_("Attendance sheet…"), lambda: self.print_document("attendance"))
        self.print_button.setMenu(print_menu)

        self.model = SessionTableModel(context.db, self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Sessions"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._size_columns()
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(_("Session details"))
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._open_link)

        top = QHBoxLayout()
        filter_label = QLabel(_("&Filter"))
        filter_label.setBuddy(self.filter)
        top.addWidget(filter_label)
        top.addWidget(self.filter, 3)
        top.addWidget(self.kind, 1)
        buttons = QHBoxLayout()
        for button in (self.log_button, self.edit_button, self.remove_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        self._filter_timer = QTimer(self, singleShot=True, interval=250)
        self._filter_timer.timeout.connect(self.reload)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter.returnPressed.connect(self._filter_now)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.log_button.clicked.connect(self.log_session)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.model.modelReset.connect(self._after_reset)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                  context=Qt.ShortcutContext.WidgetShortcut, activated=self.remove_selected)  # type: ignore[call-arg]
        context.changes.changed.connect(self._changed)
        self._selection_changed()
        self.reload()

    def _size_columns(self) -> None:
        """Widths from what the columns hold in this language, so dates and kinds are never cut."""
        metrics = self.table.fontMetrics()
        sample = datetime(2026, 12, 28, 22, 45)
        samples = {0: [format_datetime(sample, "short")], 1: [label for _v, label in vocabulary.choices(SessionKind)],
                   3: ["Aisha Bello and 12 others"], 4: [duration_text(155)], 5: ["Online (video call)"]}
        header = self.table.horizontalHeader()
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(metrics.horizontalAdvance(t) for t in [*texts, title])
            self.table.setColumnWidth(column, widest + 24 + (header.fontMetrics().height() if column == 0 else 0))

    # -- loading

    def reload(self) -> None:
        """Fetch the keys for the filter in the background; the newest answer wins."""
        self._filter_timer.stop()
        self._generation += 1
        generation = self._generation
        text = self.filter.text()
        kind = SessionKind(self.kind.currentData()) if self.kind.currentData() else None
        sort, ascending = self.model.sort_order
        self.model.text, self.model.kind = text, kind
        if self._shown is not None and self._wanted is None:
            self._wanted = self._shown

        def arrived(keys: list[int]) -> None:
            if generation == self._generation:
                self.model.show_keys(keys)
                self.loaded.emit()

        self.context.tasks.read(lambda s: session_keys(s.connection(), text, kind, sort, ascending),
                                success=arrived, failure=self._read_failed, title=_("Listing sessions"))

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.set_sort(column, order == Qt.SortOrder.AscendingOrder):
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(),
                                    Qt.SortOrder.AscendingOrder if self.model.sort_order[1]
                                    else Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)
            return
        self.reload()

    def _filter_now(self) -> None:
        if self._filter_timer.isActive():
            self.reload()

    def _read_failed(self, error: BaseException) -> None:
        self.count.setText(_("The sessions could not be listed: {reason}").format(reason=error))

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, *SESSION_TABLES):
            self.reload()
        elif touches(summary, "mentee", "capacity_text", "toolbox_method_text"):
            self.model.refresh_rows()
            self._show_detail(self._shown)

    def _after_reset(self) -> None:
        total = self.model.rowCount()
        self.count.setText(ngettext("{count} session", "{count} sessions", total).format(count=format_number(total)))
        wanted, self._wanted = self._wanted, None
        if wanted is not None and self._select(wanted):
            return
        self._shown = None
        self._selection_changed()

    # -- selection and details

    def show_session(self, session_id: uuid.UUID) -> None:
        """Select and show ``session_id``, clearing the filter if it hides it."""
        if self._select(session_id):
            return
        with self.context.db.engine.connect() as connection:
            known = session_rowid(connection, session_id) is not None
        if not known:
            return
        self._wanted = session_id
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(0)
        self.kind.blockSignals(False)
        self.reload()

    def _select(self, session_id: uuid.UUID) -> bool:
        with self.context.db.engine.connect() as connection:
            rowid = session_rowid(connection, session_id)
        position = self.model.position_of(rowid) if rowid is not None else -1
        if position < 0:
            return False
        index = self.model.index(position, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._selection_changed()
        return True

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_for(rows[0].row()) if rows else None
        return row.id if row is not None else None

    def _selection_changed(self, *_args: object) -> None:
        session_id = self.selected_id()
        self.edit_button.setEnabled(session_id is not None)
        self.remove_button.setEnabled(session_id is not None)
        self.print_button.setEnabled(session_id is not None)
        self._show_detail(session_id)

    def print_document(self, kind: str) -> PrintPreviewDialog | None:
        """Preview and save or print the chosen session's report or attendance sheet."""
        session_id = self.selected_id()
        if session_id is None:
            return None
        db = self.context.db
        title = _("Session report") if kind == "session" else _("Attendance sheet")
        dialog = PrintPreviewDialog(self.context, title, f"{kind}-{str(session_id)[:8]}",
                                    lambda language: printing.handout_pdf(db, kind, session_id, language), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _show_detail(self, session_id: uuid.UUID | None) -> None:
        self._shown = session_id
        detail = None
        if session_id is not None:
            with self.context.db.read() as s:
                detail = session_detail(s, session_id)
        if detail is None:
            self.detail.setHtml(self._empty_text())
        else:
            self.detail.setHtml(detail_html(detail, self.layoutDirection() == Qt.LayoutDirection.RightToLeft))

    def _empty_text(self) -> str:
        if self.model.rowCount():
            text = _("Choose a session to see its notes and next steps.")
        elif self.filter.text().strip() or self.kind.currentIndex() > 0:
            text = _("No session matches this filter.")
        else:
            text = _("No sessions yet. Log one with “Log a session” or Ctrl+L.")
        return f"<p>{html.escape(text)}</p>"

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() == "mentee":
            self.context.navigator.mentee_requested.emit(uuid.UUID(url.path()))

    # -- actions

    def log_session(self) -> None:
        from coachdesk.ui.dialogs.session_dialog import LogSessionDialog

        dialog = LogSessionDialog(self.context, [], self)
        dialog.saved.connect(self._remember)
        dialog.open()

    def edit_selected(self) -> None:
        session_id = self.selected_id()
        if session_id is None:
            return
        from coachdesk.ui.dialogs.session_dialog import LogSessionDialog

        try:
            dialog = LogSessionDialog.edit(self.context, session_id, self)
        except CoachDeskError as error:
            show_error(self, str(error))
            return
        dialog.saved.connect(self._remember)
        dialog.open()

    def _remember(self, session_id: uuid.UUID) -> None:
        self._wanted = session_id

    def remove_selected(self) -> None:
        session_id = self.selected_id()
        rows = self.table.selectionModel().selectedRows()
        if session_id is None or not rows:
            return
        row = self.model.row_for(rows[0].row())
        if row is None or not confirm_remove(self, row.title or vocabulary.label(row.kind)):
            return
        self._wanted = None
        self._shown = None

        def failed(error: BaseException) -> None:
            text = str(error) if isinstance(error, CoachDeskError) else _(
                "The session could not be removed: {reason}").format(reason=error)
            show_error(self, text)

        self.context.tasks.write(lambda s: remove_session(s, session_id), failure=failed, initiator=self,
                                 title=_("Removing a session"))


def detail_html(detail: SessionDetail, rtl: bool = False) -> str:
    """The detail pane's text: every value escaped, participants as links to their page.

    A direction mark starts each line of facts, so a place or a name in another script does not
    flip the line's direction; notes keep the direction of their own text.
    """
    mark = "\u200f" if rtl else "\u200e"

    def e(text: str) -> str:
        return html.escape(text)

    when = QLocale().toString(QTime(detail.started_at.hour, detail.started_at.minute), QLocale.FormatType.ShortFormat)
    facts = [_("{date}, {time}").format(date=format_date(detail.started_at.date(), "medium"), time=when),
             vocabulary.label(detail.kind), duration_text(detail.duration_minutes)]
    if detail.location:
        facts.append(detail.location)
    parts = [f"<h3>{e(detail.title or vocabulary.label(detail.kind))}</h3>", f"<p>{mark}{e(' · '.join(facts))}</p>"]
    people = ", ".join(f'<a href="mentee:{mid}">{e(name)}</a>' for mid, name in detail.participants)
    rows = [(_("Participants"), people or e(_("None")))]
    if detail.capacities:
        rows.append((_("Capacities"), e(", ".join(label for _id, label in detail.capacities))))
    if detail.method:
        rows.append((_("Method"), e(detail.method)))
    if detail.language:
        rows.append((_("Language"), e(language_name(detail.language))))
    parts.append("<table cellspacing='0' cellpadding='2'>" + "".join(
        f"<tr><td>{mark}<b>{e(label)}</b>&nbsp;</td><td>{mark}{value}</td></tr>" for label, value in rows) + "</table>")
    if detail.notes.strip():
        parts.append(f"<h4>{e(_('Notes'))}</h4>" + "".join(
            f"<p>{e(p)}</p>" for p in detail.notes.split("\n") if p.strip()))
    steps = [line for line in detail.next_steps.splitlines() if line.strip()]
    if steps:
        parts.append(f"<h4>{e(_('Next steps'))}</h4><ul>" + "".join(f"<li>{e(s)}</li>" for s in steps) + "</ul>")
    return "".join(parts)
