"""The Sync page: joining a team, export for the hub, import the central export, the watched folder,
and conflicts to review."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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

from coachdesk.i18n import _, format_datetime, isolated, pgettext
from coachdesk.services import team as team_service
from coachdesk.services.settings import save_settings
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import heading, quiet, wrapped


#: Pixels the watched folder's path may take before its middle gives way to "…".
FOLDER_WIDTH = 520


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


def choose_invitation_path(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Join a team"), "",
                                                _("Team invitations (*.cdteam)"))
    return Path(name) if name else None


def choose_watched_folder(parent: QWidget, current: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, _("Choose the folder to watch"), current or str(Path.home()))
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
        self.watched_folder = QLabel()
        self.watched_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_folder_button = QPushButton(_("&Choose…"))
        self.stop_watching_button = QPushButton(_("S&top watching"))
        self.sync_now_button = QPushButton(_("&Sync now"))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.watched_folder)
        folder_row.addWidget(self.choose_folder_button)
        folder_row.addWidget(self.stop_watching_button)
        folder_row.addWidget(self.sync_now_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Values sit beside their captions: a Latin device name in a right-to-left page would
        # otherwise drift to the far side.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("Device name:"), self.device)
        form.addRow(_("Last export:"), self.last_export)
        form.addRow(_("Last import:"), self.last_import)
        form.addRow(_("Watched folder:"), folder_row)
        self.join_button = QPushButton(_("&Join a team…"))
        self.export_button = QPushButton(_("&Export for the hub…"))
        self.import_button = QPushButton(_("&Import central export…"))
        self.result = quiet(wrapped())
        buttons = QHBoxLayout()
        buttons.addWidget(self.join_button)
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
        self.join_button.clicked.connect(self.join)
        self.choose_folder_button.clicked.connect(self.choose_folder)
        self.stop_watching_button.clicked.connect(self.stop_watching)
        self.sync_now_button.clicked.connect(self.sync_now)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_file)
        self.keep_button.clicked.connect(lambda: self.resolve(take_lost=False))
        self.take_button.clicked.connect(lambda: self.resolve(take_lost=True))
        self.conflicts.itemSelectionChanged.connect(self._update_buttons)
        context.navigator.settings_changed.connect(self.refresh)
        context.changes.changed.connect(self._changed)
        context.folder_sync.started.connect(self._folder_sync_started)
        context.folder_sync.finished.connect(self._done)
        self._conflict_ids: list[Any] = []
        self._joined = False
        self.refresh()
        if context.folder_sync.busy:
            self._folder_sync_started()
        elif context.folder_sync.last_text:
            self.result.setText(context.folder_sync.last_text)

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "sync_conflict") and self.isVisible():
            self.refresh()

    def activated(self) -> None:
        self.refresh()
        self.context.folder_sync.run()

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
            self.status.setText(_("This device is not part of a team yet. To join one, choose Join a team… and "
                                  "open the invitation file (.cdteam) your program's hub gave you."))
        self._joined = joined
        self.last_export.setText(last_sync_text(status.last_export if status else ""))
        self.last_import.setText(last_sync_text(status.last_import if status else ""))
        self.join_button.setVisible(not joined)
        self.export_button.setEnabled(joined)
        self.import_button.setEnabled(joined)
        self._update_folder_row()
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

    def _update_folder_row(self) -> None:
        folder = self.context.settings.watched_folder
        # A deep path would otherwise push the page wider than a netbook's screen; the tooltip has it whole.
        shown = self.watched_folder.fontMetrics().elidedText(folder, Qt.TextElideMode.ElideMiddle, FOLDER_WIDTH)
        self.watched_folder.setText(shown or pgettext("watched folder", "None"))
        self.watched_folder.setToolTip(folder)
        self.stop_watching_button.setVisible(bool(folder))
        self.sync_now_button.setVisible(bool(folder))
        self.sync_now_button.setEnabled(self._joined and not self.context.folder_sync.busy)

    def join(self) -> None:
        path = choose_invitation_path(self)
        if path is None:
            return
        db = self.context.db
        self.result.setText(_("Joining…"))
        self.context.tasks.long(lambda _progress: team_service.join_team(db, path), title=_("Join a team"),
                                writes=True, changed_tables={"sync_team"}, success=self._joined_team,
                                failure=self._failed)

    def _joined_team(self, team: str) -> None:
        self._done(_("Joined the team “{team}”.").format(team=team))
        self.context.folder_sync.run()

    def choose_folder(self) -> None:
        folder = choose_watched_folder(self, self.context.settings.watched_folder)
        if folder is not None and self._save_watched_folder(str(folder)):
            self.context.folder_sync.run()

    def stop_watching(self) -> None:
        if self._save_watched_folder(""):
            self.result.setText(_("No folder is watched now; export and import by hand, or choose a folder."))

    def _save_watched_folder(self, folder: str) -> bool:
        settings = self.context.settings
        previous, settings.watched_folder = settings.watched_folder, folder
        try:
            save_settings(settings)
        except OSError as error:
            settings.watched_folder = previous
            self.result.setText(page_parts.error_text(_("The settings"), error))
            return False
        self.context.navigator.settings_changed.emit()  # refreshes this page too
        return True

    def sync_now(self) -> None:
        self.context.folder_sync.run()

    def _folder_sync_started(self) -> None:
        folder = isolated(self.context.settings.watched_folder)
        self.result.setText(_("Syncing with {folder}…").format(folder=folder))
        self.sync_now_button.setEnabled(False)

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
                                    rows=r.rows, file=isolated(r.path))), failure=self._failed)

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
