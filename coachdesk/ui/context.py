"""The narrow set of things a page or dialog may use: the database, the task runner, the change
bus, navigation requests, the person's settings and the watched folder's sync. Never "the app" or
the main window."""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from coachdesk.services.settings import Settings
    from coachdesk.store.database import Database
    from coachdesk.ui.folder_sync import FolderSync
    from coachdesk.ui.lock import Locker
    from coachdesk.ui.tasks import ChangeBus, TaskRunner


class Navigator(QObject):
    """Requests to show something elsewhere; the main window answers them."""

    page_requested = Signal(str)  # a page key such as "plans"
    mentee_requested = Signal(object)  # a mentee id
    session_log_requested = Signal(object)  # a list of mentee ids to preselect (may be empty)
    assessment_requested = Signal(object)  # a mentee id
    language_changed = Signal(str)  # the window is rebuilt in the new language
    settings_changed = Signal()


@dataclass
class UiContext:
    db: Database
    tasks: TaskRunner
    changes: ChangeBus
    navigator: Navigator
    settings: Settings
    #: Syncs through the watched folder, if the settings name one.
    folder_sync: FolderSync
    #: Locks the app of a protected database (made once the database is open; None in tests that need none).
    locker: Locker | None = None


def touches(summary: object, *tables: str) -> bool:
    """Whether a change summary concerns any of ``tables`` (``"*"`` in a summary means everything)."""
    changed = getattr(summary, "tables", set())
    return "*" in changed or any(t in changed for t in tables)
