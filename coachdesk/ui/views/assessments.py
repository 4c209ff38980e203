"""The Assessments page: recent assessments with a filter, and the ratings and chart of the one selected."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, format_date, format_number, ngettext
from coachdesk.model import AssessmentMode
from coachdesk.services.assessments import (
    AssessmentDetail,
    AssessmentSummary,
    RatingRow,
    Spread,
    assessment_detail,
    list_assessments,
    radar_for_assessment,
)
from coachdesk.services.vocabulary import label
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.widgets.radar_chart import RadarChart, RadarSeries

LIMIT = 500
SortRole = Qt.ItemDataRole.UserRole + 2
IdRole = Qt.ItemDataRole.UserRole + 1
WIDE_SPREAD = 2  # levels between the lowest and the highest vote from which a spread is worth discussing


def is_wide(spread: Spread | None) -> bool:
    return spread is not None and spread.highest - spread.lowest >= WIDE_SPREAD


def spread_text(spread: Spread | None, short: bool = False) -> str:
    """A group's spread as the detail shows it; a wide one says so in words, not by colour alone."""
    if spread is None:
        return "–"
    if is_wide(spread):
        text = _("{spread} · wide") if short else _("{spread} · wide, worth discussing")
        return text.format(spread=spread.text())
    return spread.text()


class AssessmentListModel(QAbstractTableModel):
    """At most LIMIT rows, already filtered in SQL, so sorting them in a proxy is cheap."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[AssessmentSummary] = []
        self.titles = [_("Date"), _("Mentee"), _("How"), _("Rated"), _("Average level")]

    def set_rows(self, rows: list[AssessmentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == IdRole:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (format_date(row.assessed_on), row.mentee_name, label(row.mode), format_number(row.rated),
                    format_number(round(row.average, 1)) if row.average is not None else "–")[column]
        if role == SortRole:
            return (row.assessed_on.toordinal(), row.mentee_name.casefold(), label(row.mode), row.rated,
                    row.average if row.average is not None else -1.0)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None


class AssessmentDetailView(QWidget):
    """Read-only: one assessment's ratings, its chart over the previous one, and its inquiry notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.ratings = QTableWidget(0, 3)
        self.ratings.setHorizontalHeaderLabels([_("Capacity"), _("Level"), _("Priority")])
        self.ratings.setAccessibleName(_("Ratings"))
        self.ratings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ratings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ratings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ratings.verticalHeader().hide()
        header = self.ratings.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Assets, gaps and evidence are sentences: shown whole for the selected rating, not squeezed into cells.
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ratings.currentCellChanged.connect(lambda row, *_args: self._show_notes(row))
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.ratings, 1)
        table_layout.addWidget(self.notes)
        self._rows: list[RatingRow] = []
        self.radar = RadarChart()
        ratings_tab = QSplitter()
        ratings_tab.setChildrenCollapsible(False)
        ratings_tab.addWidget(table_box)
        ratings_tab.addWidget(self.radar)
        ratings_tab.setStretchFactor(0, 3)
        ratings_tab.setStretchFactor(1, 2)
        self.inquiry = QPlainTextEdit()
        self.inquiry.setReadOnly(True)
        self.inquiry.setAccessibleName(_("Discover and dream"))
        self.tabs = QTabWidget()
        self.tabs.addTab(ratings_tab, _("&Ratings"))
        self.tabs.addTab(self.inquiry, _("D&iscover and dream"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.show_detail(None, None)

    def show_detail(self, detail: AssessmentDetail | None, radar: Any) -> None:
        if detail is None:
            self.heading.setText(_("Select an assessment to see its ratings."))
            self._rows = []
            self.ratings.setRowCount(0)
            self.notes.clear()
            self.radar.set_data([], [])
            self.inquiry.clear()
            self.tabs.setEnabled(False)
            return
        self.tabs.setEnabled(True)
        summary = detail.summary
        parts = [summary.mentee_name, format_date(summary.assessed_on, "long"), label(summary.mode)]
        group = summary.mode == AssessmentMode.GROUP
        if group and detail.participants:
            parts.append(ngettext("Group of {count}", "Group of {count}", detail.participants).format(
                count=format_number(detail.participants)))
        if detail.facilitator:
            parts.append(_("facilitated by {name}").format(name=detail.facilitator))
        self.heading.setText(" · ".join(parts))
        self._rows = detail.ratings
        # A group sitting: the level is the consensus, and the spread of the show of hands sits beside it.
        titles = ([_("Capacity"), _("Consensus"), _("Spread"), _("Priority")] if group
                  else [_("Capacity"), _("Level"), _("Priority")])
        self.ratings.setColumnCount(len(titles))
        self.ratings.setHorizontalHeaderLabels(titles)
        for column in range(1, len(titles)):
            self.ratings.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.ratings.setRowCount(len(detail.ratings))
        for row, rating in enumerate(detail.ratings):
            texts = [rating.label, str(rating.level), label(rating.priority)]
            if group:
                texts.insert(2, spread_text(rating.spread, short=True))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if group and column == 2 and is_wide(rating.spread):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(_("The participants were two levels or more apart: worth discussing."))
                self.ratings.setItem(row, column, item)
        if detail.ratings:
            self.ratings.setCurrentCell(0, 0)
        self._show_notes(0)
        self.radar.set_data(radar.axes, [RadarSeries(line.label, line.levels) for line in radar.series])
        notes = [(_("Discover"), detail.discover), (_("Dream"), detail.dream), (_("Design"), detail.design),
                 (_("Deliver"), detail.deliver)]
        self.inquiry.setPlainText("\n\n".join(f"{title}\n{text or '–'}" for title, text in notes))


    def _show_notes(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            self.notes.clear()
            return
        rating = self._rows[row]
        if rating.spread is not None:
            lines = [_("{capacity}, consensus {level} (spread {spread})").format(
                capacity=rating.label, level=rating.level, spread=spread_text(rating.spread))]
        else:
            lines = [_("{capacity}, level {level}").format(capacity=rating.label, level=rating.level)]
        for title, text in ((_("Assets"), rating.assets), (_("Gaps"), rating.gaps), (_("Evidence"), rating.evidence)):
            lines.append(_("{title}: {text}").format(title=title, text=" ".join(text.split()) or "–"))
        self.notes.setText("\n".join(lines))


class AssessmentsPage(QWidget):
    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self._stale = False
        self._generation = 0
        self.loaded_rows = -1  # how many rows the last finished load brought; -1 before the first
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Mentee or community"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(_("Filter assessments"))
        filter_label = QLabel(_("&Filter:"))
        filter_label.setBuddy(self.filter)
        self.new_button = QPushButton(_("&New assessment"))
        self.new_button.setToolTip(_("Ctrl+Shift+A"))
        self.open_button = QPushButton(_("Open &mentee"))
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(filter_label)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        bar.addWidget(self.open_button)
        bar.addWidget(self.new_button)

        self.model = AssessmentListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Assessments"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(_("No assessments yet. Press “New assessment” (Ctrl+Shift+A) to run a guided "
                              "assessment with a mentee or a group."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.detail = AssessmentDetailView()
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(list_box)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter.returnPressed.connect(self.table.setFocus)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._show_selected())
        self.table.activated.connect(lambda _index: self.open_mentee())
        self.new_button.clicked.connect(self.new_assessment)
        self.open_button.clicked.connect(self.open_mentee)
        context.changes.changed.connect(self._changed)
        self.refresh()

    # -- data

    def refresh(self) -> None:
        """Load the list in the background: with tens of thousands of assessments the sort by date
        takes longer than a keystroke should."""
        self._stale = False
        self._generation += 1
        generation, text = self._generation, self.filter.text()
        self.context.tasks.read(lambda session: list_assessments(session, text, limit=LIMIT),
                                success=lambda rows: self._loaded(generation, rows),
                                failure=lambda error: self._load_failed(generation, error),
                                title=_("Loading assessments"))

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.count.setText(_("The list could not be loaded: {reason}").format(reason=error))

    def _loaded(self, generation: int, rows: list[AssessmentSummary]) -> None:
        if generation != self._generation:
            return  # a newer filter is already on its way
        keep = self.selected_id()
        self.model.set_rows(rows)
        self.loaded_rows = len(rows)
        has_filter = bool(self.filter.text().strip())
        self.table.setVisible(bool(rows) or has_filter)
        self.empty.setVisible(not rows and not has_filter)
        self.detail.setVisible(bool(rows) or has_filter)
        if len(rows) >= LIMIT:
            self.count.setText(_("The latest {count}").format(count=format_number(LIMIT)))
        else:
            self.count.setText(ngettext("{count} assessment", "{count} assessments", len(rows)).format(
                count=format_number(len(rows))))
        if not (keep and self.show_assessment(keep)):
            if self.proxy.rowCount():
                # Not selectRow(): before the first paint it finds no column in right-to-left layouts.
                self._select(self.proxy.index(0, 0))
            else:
                self._show_selected()

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "assessment", "capacity_rating", "mentee"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def activated(self) -> None:
        """Called by the main window when the page is shown."""
        if self._stale:
            self.refresh()

    def selected_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() and self.table.selectionModel().isSelected(index) else None

    def selected_summary(self) -> AssessmentSummary | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def show_assessment(self, assessment_id: uuid.UUID) -> bool:
        """Select ``assessment_id`` if the list holds it."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(IdRole) == assessment_id:
                self._select(index)  # the detail follows through currentRowChanged
                return True
        return False

    def _select(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _show_selected(self) -> None:
        summary = self.selected_summary()
        self.open_button.setEnabled(summary is not None)
        if summary is None:
            self.detail.show_detail(None, None)
            return
        with self.context.db.read() as session:
            detail = assessment_detail(session, summary.id)
            radar = radar_for_assessment(session, summary.id)
        self.detail.show_detail(detail, radar)

    # -- actions

    def new_assessment(self) -> None:
        summary = self.selected_summary()
        self.context.navigator.assessment_requested.emit(summary.mentee_id if summary else None)

    def open_mentee(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.context.navigator.mentee_requested.emit(summary.mentee_id)
