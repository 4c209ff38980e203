"""The Capacity builders page: who can support which capacity in which language, and where each new trainer is
on the training-of-trainers track."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, format_date, format_datetime, format_decimal, format_number, language_name, ngettext
from coachdesk.model import CoachRole
from coachdesk.services import vocabulary
from coachdesk.services.builders import (
    BuilderDetail,
    BuilderFilter,
    BuilderRow,
    builder_detail,
    list_builders,
    remove_step,
    restore_step,
    set_builder_archived,
)
from coachdesk.services.reference_edit import capacity_tree, list_methods
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.dialogs.builder_dialog import BuilderDialog, StepDialog
from coachdesk.ui.models.lazy_table import Column, LazyTableModel
from coachdesk.ui.models.session_table import duration_text
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import heading, quiet, scrolled, wrapped

TABLES = ("coach", "trainer_track_step", "coaching_session", "toolbox_method", "toolbox_method_text", "capacity",
          "capacity_text")
_SORT = {
    "name": lambda r: r.name.casefold(),
    "role": lambda r: vocabulary.label(r.role),
    "languages": lambda r: ",".join(r.languages),
    "capacities": lambda r: len(r.capacities),
    "sessions": lambda r: r.sessions,
    "track": lambda r: (len(r.track.signed_off), r.track.steps),
}


def hours_text(minutes: int) -> str:
    hours = minutes / 60
    return _("{hours} h").format(hours=format_decimal(hours, 0 if minutes % 60 == 0 else 1))


class BuildersPage(QWidget):
    """Capacity builders on the left, with filters; the chosen one's profile and track on the right."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self._rows: dict[uuid.UUID, BuilderRow] = {}
        self._id: uuid.UUID | None = None
        self.detail: BuilderDetail | None = None
        self.model: LazyTableModel[uuid.UUID, BuilderRow] = LazyTableModel(
            [Column("name", _("Name"), lambda r: r.name),
             Column("role", _("Role"), lambda r: vocabulary.label(r.role)),
             Column("languages", _("Languages"), lambda r: ", ".join(r.languages),
                    roles=lambda r, role: _(", ").join(language_name(c) for c in r.languages)
                    if role == Qt.ItemDataRole.ToolTipRole else None),
             Column("capacities", _("Capacities"), lambda r: format_number(len(r.capacities)),
                    roles=lambda r, role: "\n".join(r.capacities) if role == Qt.ItemDataRole.ToolTipRole else
                    (Qt.AlignmentFlag.AlignCenter if role == Qt.ItemDataRole.TextAlignmentRole else None)),
             Column("sessions", _("Sessions"), lambda r: format_number(r.sessions),
                    roles=lambda r, role: hours_text(r.minutes) if role == Qt.ItemDataRole.ToolTipRole else
                    (Qt.AlignmentFlag.AlignCenter if role == Qt.ItemDataRole.TextAlignmentRole else None)),
             Column("track", _("Track"), lambda r: r.track.text())],
            self._fetch_keys, self._fetch_rows, self)
        self._build()
        self._fill_choices()
        self.reload()
        context.changes.changed.connect(self._changed)

    # -- layout

    def _build(self) -> None:
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by name or region"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(_("Filter capacity builders"))
        self.capacity = QComboBox()
        self.capacity.setAccessibleName(_("Capacity they can support"))
        self.method = QComboBox()
        self.method.setAccessibleName(_("Method trained in"))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        self.role = QComboBox()
        self.role.setAccessibleName(_("Role"))
        for box in (self.language, self.role):  # short lists: room for "Any language", never clipped
            box.setMinimumContentsLength(12)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.role.addItem(_("Every role"), "")
        for value, text in vocabulary.choices(CoachRole):
            self.role.addItem(text, value.value)
        self.show_archived = QCheckBox(_("Show a&rchived"))
        self.new_button = QPushButton(_("&New capacity builder…"))
        self.count = quiet(QLabel())

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Capacity builders"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # the track status, the longest text
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.name = heading("")
        self.summary = wrapped()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton(_("&Edit profile…"))
        self.archive_button = QPushButton(_("Archi&ve"))
        self.progress = wrapped()
        self.progress.setAccessibleName(_("Progress on the track"))
        bold = self.progress.font()
        bold.setBold(True)
        self.progress.setFont(bold)
        self.steps = QTreeWidget()
        self.steps.setAccessibleName(_("Track steps"))
        self.steps.setRootIsDecorated(False)
        self.steps.setAlternatingRowColors(True)
        self.steps.setHeaderLabels([_("Date"), _("Step"), _("Mentor"), _("Session"), _("Method"), _("Time"),
                                    _("Notes")])
        steps_header = self.steps.header()
        steps_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        steps_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        steps_header.resizeSection(3, self.steps.fontMetrics().averageCharWidth() * 16)
        steps_header.setStretchLastSection(True)
        self.add_step_button = QPushButton(_("&Add step…"))
        self.edit_step_button = QPushButton(_("Edit s&tep…"))
        self.remove_step_button = QPushButton(_("Re&move step"))
        self.undo_label = quiet(QLabel())
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.hide()
        self.delivered = wrapped()
        self.delivered.setTextFormat(Qt.TextFormat.PlainText)
        self.empty = quiet(wrapped(_("Choose a capacity builder on the left, or add one with "
                                     "“New capacity builder…” (Ctrl+N).")))

        filters = QHBoxLayout()
        filters.addWidget(self.capacity, 2)
        filters.addWidget(self.method, 2)
        filters.addWidget(self.language, 1)
        filters.addWidget(self.role, 1)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_archived)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.new_button)
        left_layout.addLayout(bottom)

        profile_buttons = QHBoxLayout()
        profile_buttons.addWidget(self.edit_button)
        profile_buttons.addWidget(self.archive_button)
        profile_buttons.addStretch(1)
        step_buttons = QHBoxLayout()
        step_buttons.addWidget(self.add_step_button)
        step_buttons.addWidget(self.edit_step_button)
        step_buttons.addWidget(self.remove_step_button)
        step_buttons.addStretch(1)
        step_buttons.addWidget(self.undo_label)
        step_buttons.addWidget(self.undo_button)
        self.profile = QWidget()
        right = QVBoxLayout(self.profile)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.name)
        right.addWidget(self.summary)
        right.addLayout(profile_buttons)
        right.addWidget(heading(_("Training-of-trainers track")))
        right.addWidget(self.progress)
        right.addWidget(self.steps, 1)
        right.addLayout(step_buttons)
        right.addWidget(heading(_("Sessions delivered")))
        right.addWidget(self.delivered)
        right.addStretch(0)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.empty)
        holder_layout.addWidget(self.profile, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(scrolled(holder))
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([500, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Capacity builders")))
        layout.addWidget(wrapped(_("Coaches, mentors, trainers and circuit riders from the communities: what they are "
                                   "trained in, which capacities they can support in which languages, and each new "
                                   "trainer's path to sign-off.")))
        layout.addWidget(splitter, 1)

        self.filter.textChanged.connect(self.reload)
        for combo in (self.capacity, self.method, self.language, self.role):
            combo.currentIndexChanged.connect(self.reload)
        self.show_archived.toggled.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.table.activated.connect(lambda _index: self.edit_profile())
        self.steps.itemActivated.connect(lambda *_args: self.edit_step())
        self.steps.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.new_button.clicked.connect(self.new_builder)
        self.edit_button.clicked.connect(self.edit_profile)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.add_step_button.clicked.connect(self.add_step)
        self.edit_step_button.clicked.connect(self.edit_step)
        self.remove_step_button.clicked.connect(self.remove_step)
        self.undo_button.clicked.connect(self.undo_remove)
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.New, self, self.new_builder, context=scope)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filter.setFocus, context=scope)
        QShortcut(QKeySequence.StandardKey.Delete, self.steps, self.remove_step, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.add_step, context=scope)
        page_parts.tab_order(self.filter, self.show_archived, self.capacity, self.method, self.language, self.role,
                             self.table, self.new_button, self.edit_button, self.archive_button, self.steps,
                             self.add_step_button, self.edit_step_button, self.remove_step_button, self.undo_button)
        self._removed: uuid.UUID | None = None
        self._show_detail(None)

    def _fill_choices(self) -> None:
        with self.context.db.read() as session:
            tree = capacity_tree(session)
            methods = list_methods(session)
            spoken = sorted({c for r in list_builders(session, BuilderFilter(include_archived=True))
                             for c in r.languages})
        with QSignalBlocker(self.capacity), QSignalBlocker(self.method), QSignalBlocker(self.language):
            chosen = self.capacity.currentData()
            self.capacity.clear()
            self.capacity.addItem(_("Any capacity"), "")
            for area in tree:
                self.capacity.insertSeparator(self.capacity.count())
                for capacity in area.capacities:
                    self.capacity.addItem(capacity.label, capacity.key)
            self.capacity.setCurrentIndex(max(0, self.capacity.findData(chosen or "")))
            chosen = self.method.currentData()
            self.method.clear()
            self.method.addItem(_("Any method"), "")
            for method in methods:
                self.method.addItem(method.label, method.key)
            self.method.setCurrentIndex(max(0, self.method.findData(chosen or "")))
            chosen = self.language.currentData()
            self.language.clear()
            self.language.addItem(_("Any language"), "")
            for code in spoken:
                self.language.addItem(language_name(code), code)
            self.language.setCurrentIndex(max(0, self.language.findData(chosen or "")))

    # -- the list

    def current_filter(self) -> BuilderFilter:
        role = self.role.currentData()
        return BuilderFilter(self.filter.text(), self.capacity.currentData() or "", self.method.currentData() or "",
                             self.language.currentData() or "", CoachRole(role) if role else None,
                             self.show_archived.isChecked())

    def _fetch_keys(self, sort: str, ascending: bool) -> list[uuid.UUID]:
        with self.context.db.read() as session:
            rows = list_builders(session, self.current_filter())
        rows.sort(key=_SORT.get(sort, _SORT["name"]), reverse=not ascending)
        self._rows = {r.id: r for r in rows}
        return [r.id for r in rows]

    def _fetch_rows(self, keys: Any) -> dict[uuid.UUID, BuilderRow]:
        return {k: self._rows[k] for k in keys if k in self._rows}

    def reload(self) -> None:
        self.model.reload()
        shown = self.model.rowCount()
        self.count.setText(ngettext("{count} capacity builder", "{count} capacity builders", shown).format(
            count=format_number(shown)))
        self.select(self._id)

    def select(self, builder_id: uuid.UUID | None) -> None:
        self._id = builder_id
        row = self.model.position_of(builder_id) if builder_id else -1
        with QSignalBlocker(self.table.selectionModel()):
            if row >= 0:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                self.table.scrollTo(self.model.index(row, 0))
            else:
                self.table.clearSelection()
        self._show_detail(builder_id if row >= 0 else None)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._id = self.model.key_at(current.row())
            self._show_detail(self._id)

    def _changed(self, summary: object, _initiator: object) -> None:
        if not touches(summary, *TABLES):
            return
        if touches(summary, "coach", "toolbox_method", "toolbox_method_text", "capacity", "capacity_text"):
            self._fill_choices()
        self.reload()

    # -- the profile and track

    def _show_detail(self, builder_id: uuid.UUID | None) -> None:
        detail = None
        if builder_id is not None:
            with self.context.db.read() as session:
                try:
                    detail = builder_detail(session, builder_id)
                except CoachDeskError:
                    detail = None
        self.detail = detail
        self.profile.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        if detail is None:
            self.steps.clear()
            self._update_buttons()
            return
        row = detail.row
        self.name.setText(row.name)
        lines = [" · ".join(p for p in (vocabulary.label(row.role), row.region) if p)]
        if row.archived:
            lines[0] += " · " + _("archived")
        none = _("none yet")
        lines.append(_("Languages: {languages}").format(
            languages=_(", ").join(language_name(c) for c in row.languages) or none))
        lines.append(_("Trained in: {methods}").format(methods=_(", ").join(row.methods) or none))
        lines.append(_("Can support: {capacities}").format(capacities=_(", ").join(row.capacities) or none))
        lines.append(ngettext("Delivered {count} session ({hours})", "Delivered {count} sessions ({hours})",
                              row.sessions).format(count=format_number(row.sessions), hours=hours_text(row.minutes)))
        if detail.email:
            lines.append(_("Email (on this device only): {email}").format(email=detail.email))
        if detail.notes:
            lines.append(detail.notes)
        self.summary.setText("\n".join(lines))
        self.archive_button.setText(_("Unarchi&ve") if row.archived else _("Archi&ve"))
        self.progress.setText(detail.progress)
        current = self.steps.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        self.steps.clear()
        for step in detail.steps:
            session = (step.session_title or _("(untitled)")) if step.session_on else ""
            item = QTreeWidgetItem([format_date(step.done_on, "medium"), vocabulary.label(step.kind), step.mentor,
                                    session, step.method, duration_text(step.minutes) if step.minutes else "",
                                    " ".join(step.notes.split())])
            item.setData(0, Qt.ItemDataRole.UserRole, step.id)
            item.setToolTip(6, step.notes)
            if step.session_on:
                item.setToolTip(3, _("{date} — {title}").format(date=format_date(step.session_on, "medium"),
                                                                 title=session))
            self.steps.addTopLevelItem(item)
            if step.id == keep:
                self.steps.setCurrentItem(item)
        if detail.delivered:
            self.delivered.setText("\n".join(
                _("{when} — {title} ({kind}, {hours})").format(
                    when=format_datetime(s.started_at, "medium"), title=s.title or _("(untitled)"),
                    kind=vocabulary.label(s.kind), hours=duration_text(s.minutes)) for s in detail.delivered))
        else:
            self.delivered.setText(_("No logged session names them as the coach yet."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.detail is not None
        step = self.steps.currentItem() is not None
        for button in (self.edit_button, self.archive_button, self.add_step_button):
            button.setEnabled(chosen)
        self.edit_step_button.setEnabled(chosen and step)
        self.remove_step_button.setEnabled(chosen and step)

    def _current_step(self) -> uuid.UUID | None:
        item = self.steps.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    # -- actions

    def _open(self, dialog: BuilderDialog | StepDialog) -> BuilderDialog | StepDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, change: Any) -> None:
        if change.what == "builder":
            self._id = change.id
            if self.model.position_of(change.id) < 0 and change.created:
                # A new builder the filters would hide: clear them so they can be seen.
                with QSignalBlocker(self.filter), QSignalBlocker(self.capacity), QSignalBlocker(self.method), \
                        QSignalBlocker(self.language), QSignalBlocker(self.role):
                    self.filter.clear()
                    for combo in (self.capacity, self.method, self.language, self.role):
                        combo.setCurrentIndex(0)
        self.reload()
        if change.what == "step":
            for i in range(self.steps.topLevelItemCount()):
                if self.steps.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == change.id:
                    self.steps.setCurrentItem(self.steps.topLevelItem(i))
            self.steps.setFocus()
        else:
            self.table.setFocus()

    def new_builder(self) -> BuilderDialog:
        return self._open(BuilderDialog(self.context, None, self))  # type: ignore[return-value]

    def edit_profile(self) -> BuilderDialog | None:
        if self.detail is None:
            return None
        return self._open(BuilderDialog(self.context, self.detail.row.id, self))  # type: ignore[return-value]

    def toggle_archived(self) -> None:
        if self.detail is None:
            return
        builder_id, archive = self.detail.row.id, not self.detail.row.archived
        self.context.tasks.write(lambda s: set_builder_archived(s, builder_id, archive), initiator=self,
                                 failure=lambda e: page_parts.show_error(self, _("The profile"), e))

    def add_step(self) -> StepDialog | None:
        if self.detail is None:
            return None
        return self._open(StepDialog(self.context, self.detail.row.id, None, self))  # type: ignore[return-value]

    def edit_step(self) -> StepDialog | None:
        step_id = self._current_step()
        if self.detail is None or step_id is None:
            return None
        return self._open(StepDialog(self.context, self.detail.row.id, step_id, self))  # type: ignore[return-value]

    def remove_step(self) -> None:
        step_id = self._current_step()
        item = self.steps.currentItem()
        if step_id is None or item is None:
            return
        what = f"{item.text(1)}, {item.text(0)}"
        if not page_parts.ask(self, _("Remove step?"), _("Remove “{step}” from the track? It is removed on every "
                                                         "device after the next sync.").format(step=what)):
            return

        def done(_change: Any) -> None:
            self._removed = step_id
            self.undo_label.setText(_("Step removed."))
            self.undo_button.show()

        self.context.tasks.write(lambda s: remove_step(s, step_id), success=done, initiator=self,
                                 failure=lambda e: page_parts.show_error(self, _("The step"), e))

    def undo_remove(self) -> None:
        step_id = self._removed
        if step_id is None:
            return

        def done(_change: Any) -> None:
            self._removed = None
            self.undo_label.setText("")
            self.undo_button.hide()

        self.context.tasks.write(lambda s: restore_step(s, step_id), success=done, initiator=self,
                                 failure=lambda e: page_parts.show_error(self, _("The step"), e))
