"""Work off the GUI thread: writes one at a time through a single worker, reads and long jobs beside it.

Callbacks (success, failure, progress) always run on the GUI thread; workers never touch
widgets. Every successful write announces what it changed on the :class:`ChangeBus`, and
each view decides whether it must refresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from coachdesk.errors import Cancelled

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coachdesk.services.progress import ProgressCallback
    from coachdesk.store.database import Database

log = logging.getLogger(__name__)


class ChangeBus(QObject):
    """One signal for every change: ``changed(summary, initiator)``."""

    changed = Signal(object, object)


class Task(QObject):
    """One piece of background work; its signals arrive on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self.title = title
        self._cancel = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, what: str) -> None:
        """The progress callback handed to services; raises Cancelled once cancel() was called."""
        if self._cancel.is_set():
            raise Cancelled("cancelled")
        self.progressed.emit(done, total, what)


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[], Any]) -> None:
        super().__init__()
        self.task, self.work = task, work
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
            if not isinstance(error, Cancelled):
                log.exception("background task %r failed", self.task.title)
            self.task.failed.emit(error)
        else:
            self.task.succeeded.emit(result)
        self.task.finished.emit()


class TaskRunner(QObject):
    """Starts background work. Keeps each task alive until it has finished."""

    def __init__(self, db: Database, bus: ChangeBus) -> None:
        super().__init__()
        self.db, self.bus = db, bus
        self._writer = QThreadPool()
        self._writer.setMaxThreadCount(1)  # SQLite rewards one writer
        self._others = QThreadPool()
        self._others.setMaxThreadCount(2)
        self._running: set[Task] = set()

    def _start(self, pool: QThreadPool, task: Task, work: Callable[[], Any],
               success: Callable[[Any], None] | None, failure: Callable[[BaseException], None] | None) -> Task:
        if success:
            task.succeeded.connect(success)
        if failure:
            task.failed.connect(failure)
        self._running.add(task)

        def forget() -> None:
            task.done = True
            self._running.discard(task)

        task.finished.connect(forget)
        pool.start(_Runnable(task, work))
        return task

    def write(self, work: Callable[[Session], Any], *, success: Callable[[Any], None] | None = None,
              failure: Callable[[BaseException], None] | None = None, initiator: object = None,
              title: str = "") -> Task:
        """Run ``work(session)`` in one write transaction; announce its changes, then call ``success``."""
        task = Task(title)

        def announce(result: Any) -> None:
            value, summary = result
            if summary:
                self.bus.changed.emit(summary, initiator)
            if success:
                success(value)

        return self._start(self._writer, task, lambda: self.db.run_write(work), announce, failure)

    def read(self, work: Callable[[Session], Any], *, success: Callable[[Any], None] | None = None,
             failure: Callable[[BaseException], None] | None = None, title: str = "") -> Task:
        def run() -> Any:
            with self.db.read() as session:
                return work(session)

        return self._start(self._others, Task(title), run, success, failure)

    def long(self, work: Callable[[ProgressCallback], Any], *, title: str, writes: bool = True,
             success: Callable[[Any], None] | None = None,
             failure: Callable[[BaseException], None] | None = None,
             changed_tables: set[str] | None = None, announce: bool = True) -> Task:
        """Long work with progress and cancellation (imports, exports, demo data, PDF batches).

        ``work`` receives the task's progress callback. Long writes queue behind other writes; they
        announce a change to every table unless ``announce`` is False (work that changes no row).
        """
        task = Task(title)

        def finish(value: Any) -> None:
            if writes and announce:
                from coachdesk.store.changes import ChangeSummary

                summary = ChangeSummary()
                for table in changed_tables or {"*"}:
                    summary.add("updated", table)
                self.bus.changed.emit(summary, None)
            if success:
                success(value)

        pool = self._writer if writes else self._others
        return self._start(pool, task, lambda: work(task.report), finish, failure)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until queued work is done (used when the window closes, and by tests)."""
        return self._writer.waitForDone(msecs) and self._others.waitForDone(msecs)
