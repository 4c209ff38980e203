"""The Sync page: the team joined, export for the hub, import the central export, and conflicts to review."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, format_datetime
from coachdesk.services import team as team_service
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import heading, quiet, wrapped


def last_sync_text(iso: str) -> str:
    if not iso:
        return _("Never")
    try:
        return format_datetime(datetime.fromisoformat(iso), "medium")
    except ValueError:  # a hand-edited settings file
        return iso


def choose_export_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, _("Export for the hub"), str(suggested),
                                                _("Sync bundles (*.cdsync)"))
    return Path(name) if name else None


def choose_import_path(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Import the central export"), "",
                                                _("Sync bundles (*.cdsync)"))
    return Path(name) if name else None


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


class SyncPage(QWidget):
    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.status = wrapped()
        self.device = QLabel()
        self.last_export = QLabel()
        self.last_import = QLabel()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Values sit beside their captions: a Latin device name in a right-to-left page would
        # otherwise drift to the far side.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("Device name:"), self.device)
        form.addRow(_("Last export:"), self.last_export)
        form.addRow(_("Last import:"), self.last_import)
        self.export_button = QPushButton(_("&Export for the hub…"))
        self.import_button = QPushButton(_("&Import central export…"))
        self.result = quiet(wrapped())
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels([_("Record"), _("Field"), _("Value kept"), _("Value that lost")])
        self.conflicts.setAccessibleName(_("Conflicts to review"))
        self.conflicts.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.keep_button = QPushButton(_("&Keep the current value"))
        self.take_button = QPushButton(_("&Use the value that lost"))
        choice = QHBoxLayout()
        choice.addWidget(self.keep_button)
        choice.addWidget(self.take_button)
        choice.addStretch(1)
        self.conflicts_heading = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Sync")))
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.conflicts_heading)
        layout.addWidget(self.conflicts, 10)
        layout.addLayout(choice)
        layout.addStretch(1)  # keeps the page together when there is no conflict table
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_file)
        self.keep_button.clicked.connect(lambda: self.resolve(take_lost=False))
        self.take_button.clicked.connect(lambda: self.resolve(take_lost=True))
        self.conflicts.itemSelectionChanged.connect(self._update_buttons)
        context.navigator.settings_changed.connect(self.refresh)
        context.changes.changed.connect(self._changed)
        self._conflict_ids: list[Any] = []
        self.refresh()

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "sync_conflict") and self.isVisible():
            self.refresh()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.device.setText(self.context.settings.effective_device_name())
        with self.context.db.read() as session:
            status = team_service.team_status(session)
            views = team_service.conflict_views(session) if status else []
        joined = status is not None
        if joined:
            self.status.setText(_("This device is in the team “{team}”. Export your work for the hub, and import "
                                  "the central export it sends back.").format(team=status.team))
        else:
            self.status.setText(_("This device is not part of a team yet. Join one with the invitation file of "
                                  "your program's hub: coachdesk team join FILE."))
        self.last_export.setText(last_sync_text(status.last_export if status else ""))
        self.last_import.setText(last_sync_text(status.last_import if status else ""))
        self.export_button.setEnabled(joined)
        self.import_button.setEnabled(joined)
        self.conflicts.setRowCount(len(views))
        self._conflict_ids = [v.id for v in views]
        for row, view in enumerate(views):
            for column, text in enumerate((f"{view.table} {str(view.row_id)[:8]}", view.column, _shown(view.kept),
                                           _shown(view.lost))):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))
        self.conflicts_heading.setText(_("Conflicts to review: {count}").format(count=len(views)) if views else
                                       _("No conflicts to review."))
        self.conflicts.setVisible(bool(views))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = bool(self.conflicts.selectionModel().selectedRows()) and self.conflicts.isVisible()
        self.keep_button.setVisible(bool(self._conflict_ids))
        self.take_button.setVisible(bool(self._conflict_ids))
        self.keep_button.setEnabled(chosen)
        self.take_button.setEnabled(chosen)

    def export(self) -> None:
        name = self.context.settings.effective_device_name() or "device"
        path = choose_export_path(self, Path.home() / f"{name}-{datetime.now():%Y%m%d}.cdsync")
        if path is None:
            return
        db, device = self.context.db, self.context.settings.effective_device_name()
        self.result.setText(_("Exporting…"))
        self.context.tasks.long(lambda _progress: team_service.export_for_hub(db, path, device),
                                title=_("Export for the hub"), writes=True, changed_tables={"sync_team"},
                                success=lambda r: self._done(_("Wrote {rows} changed rows to {file}.").format(
                                    rows=r.rows, file=r.path)), failure=self._failed)

    def import_file(self) -> None:
        path = choose_import_path(self)
        if path is None:
            return
        db = self.context.db
        self.result.setText(_("Importing…"))
        self.context.tasks.long(lambda _progress: team_service.import_central(db, path),
                                title=_("Import the central export"), writes=True,
                                success=lambda r: self._done(_("{file} was already imported.").format(file=r.path.name)
                                                             if r.skipped else
                                                             _("Imported {file}: {fields} values applied, {conflicts} "
                                                               "conflicts to review.").format(
                                                                 file=r.path.name, fields=r.fields_applied,
                                                                 conflicts=r.conflicts)),
                                failure=self._failed)

    def _done(self, sentence: str) -> None:
        self.result.setText(sentence)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.result.setText(page_parts.error_text(_("Sync"), error))

    def resolve(self, take_lost: bool) -> None:
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows:
            return
        conflict_id = self._conflict_ids[rows[0].row()]
        self.context.tasks.write(lambda s: team_service.resolve_conflict(s, conflict_id, take_lost),
                                 success=lambda _r: self.refresh(), failure=self._failed, initiator=self)
