"""Keeps this device in step with its watched folder: once at start, every ten minutes, and when
asked; one run at a time, off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, isolated, ngettext

if TYPE_CHECKING:
    from coachdesk.services.settings import Settings
    from coachdesk.services.watch import Fingerprint, WatchResult
    from coachdesk.store.database import Database
    from coachdesk.ui.tasks import ChangeBus, TaskRunner

INTERVAL_MS = 10 * 60 * 1000


def result_text(result: WatchResult) -> str:
    """What a run did, in sentences for people."""
    sentences = []
    folder = isolated(result.folder)
    if result.imported or result.exported:
        sentences.append(_("Synced with {folder}.").format(folder=folder))
        if result.imported:
            sentences.append(ngettext("Imported {count} central export.", "Imported {count} central exports.",
                                      result.imported).format(count=result.imported))
        if result.conflicts:
            sentences.append(ngettext("{count} conflict to review.", "{count} conflicts to review.",
                                      result.conflicts).format(count=result.conflicts))
        if result.exported:
            sentences.append(ngettext("Exported {count} changed row.", "Exported {count} changed rows.",
                                      result.rows_exported).format(count=result.rows_exported))
    else:
        sentences.append(_("Synced with {folder}: nothing new to import or export.").format(folder=folder))
    if result.problems:
        name, reason = result.problems[0]
        sentences.append(ngettext("{count} file was refused: {reason}",
                                  "{count} files were refused; the first: {reason}",
                                  len(result.problems)).format(
            count=len(result.problems), reason=_("{file}: {reason}").format(file=isolated(name), reason=reason)))
    return " ".join(sentences)


class FolderSync(QObject):
    """Runs :func:`coachdesk.services.watch.sync_with_folder` for the folder in the settings.

    ``started`` and ``finished(sentence)`` let whichever page is showing tell the person.
    """

    started = Signal()
    finished = Signal(str)

    def __init__(self, db: Database, tasks: TaskRunner, changes: ChangeBus, settings: Settings) -> None:
        super().__init__()
        self.db, self.tasks, self.changes, self.settings = db, tasks, changes, settings
        self.busy = False
        #: The last run's sentence, for a page built after it finished.
        self.last_text = ""
        self._checked: set[Fingerprint] = set()
        self._checked_in = ""  # the folder those fingerprints belong to
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.run)

    def start(self) -> None:
        """Sync once now (if there is a folder and a team) and then every ten minutes."""
        self.timer.start()
        self.run()

    @property
    def folder(self) -> str:
        return self.settings.watched_folder

    def in_team(self) -> bool:
        from coachdesk.services.team import team_status

        with self.db.read() as session:
            return team_status(session) is not None

    def run(self) -> bool:
        """Start a run unless one is going, no folder is set or this device is in no team; True if started."""
        if self.busy or not self.folder or not self.in_team():
            return False
        from coachdesk.services.watch import sync_with_folder

        db, folder, device = self.db, Path(self.folder), self.settings.effective_device_name()
        if self._checked_in != self.folder:
            self._checked, self._checked_in = set(), self.folder
        checked = self._checked
        self.busy = True
        self.started.emit()
        self.tasks.long(lambda _progress: sync_with_folder(db, folder, device, checked=checked),
                        title=_("Sync with the watched folder"), writes=True, changed_tables={"sync_team"},
                        success=self._succeeded, failure=self._failed)
        return True

    def _succeeded(self, result: WatchResult) -> None:
        self.busy = False
        if result.imported:
            from coachdesk.store.changes import ChangeSummary

            # Another device's work arrived: every view may show some of it.
            summary = ChangeSummary()
            summary.add("updated", "*")
            self.changes.changed.emit(summary, self)
        self._finish(result_text(result))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, CoachDeskError):  # an unreachable folder says so in one sentence
            self._finish(str(error))
        else:
            self._finish(_("Syncing with {folder} failed: {reason}").format(folder=isolated(self.folder),
                                                                             reason=error))

    def _finish(self, text: str) -> None:
        self.last_text = text
        self.finished.emit(text)
