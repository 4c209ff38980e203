"""``coachdesk --smoke-test``: start the real app on a throwaway database, check that it comes up, and quit.

It is how a packaged build (a wheel in a fresh environment, the PyInstaller folder) proves that it
starts: the window paints, the migrations run, the reference data loads, the Today page fills and
every page builds. It also reaches the native parts a start alone would not load — a handout printed
in Arabic (reportlab, HarfBuzz, the bundled fonts), its first page rendered as the print preview
does (pdfium), and an encrypted connection (SQLCipher) — so a build that left one out fails here,
not in a person's hands. It asks nothing: the data folder and database are new and temporary, and
no passphrase is offered or asked for. The output is for build scripts, so it is not translated.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import APP_NAME, __version__
from coachdesk.paths import DATA_DIR_ENV

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from coachdesk.store.database import Database
    from coachdesk.ui.context import UiContext
    from coachdesk.ui.main_window import MainWindow

#: The whole run, start to quit; a build that needs longer is broken for a person too.
TIMEOUT_SECONDS = 20.0
EXIT_FAILED = 1
#: Set to a .png path to keep a picture of the window as the run left it (to look at a build's rendering).
SCREENSHOT_ENV = "COACHDESK_SMOKE_SCREENSHOT"
#: Arabic needs what a build most easily leaves out: its font, HarfBuzz's shaping and right-to-left layout.
HANDOUT_LANGUAGE = "ar"
#: Set to anything to see Qt's warnings and the tracebacks of a failed run (quiet otherwise).
TRACE_ENV = "COACHDESK_SMOKE_TRACE"


class SmokeFailure(Exception):
    """A step of the start did not happen; the message says which and why, in one line."""


def _headless_if_needed() -> None:
    """Without a display (a build machine, a container), Qt draws offscreen rather than refusing to start."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def run_smoke_test(language: str = "", timeout: float = TIMEOUT_SECONDS) -> int:
    """Start, check, quit; print one line and return 0, or print one line to stderr and return non-zero."""
    folder = Path(tempfile.mkdtemp(prefix="coachdesk-smoke-"))
    saved = {name: os.environ.get(name) for name in (DATA_DIR_ENV, "COACHDESK_PASSPHRASE")}
    os.environ[DATA_DIR_ENV] = str(folder)  # fresh settings, no drafts, nothing of the person's own
    os.environ.pop("COACHDESK_PASSPHRASE", None)
    _headless_if_needed()
    # A start that hangs (a modal dialog nobody answers, a dead lock) must still end the run.
    watchdog = threading.Timer(timeout + 10, _give_up, args=(timeout,))
    watchdog.daemon = True
    watchdog.start()
    try:
        line = _SmokeRun(folder / "coachdesk.sqlite", language, timeout).run()
    except SmokeFailure as failure:
        print(f"{APP_NAME} {__version__} smoke test failed: {failure}", file=sys.stderr, flush=True)
        return EXIT_FAILED
    except Exception as error:  # noqa: BLE001 - Qt itself did not load: the build lacks it
        print(f"{APP_NAME} {__version__} smoke test failed: starting Qt: {_one_line(error)}", file=sys.stderr,
              flush=True)
        return EXIT_FAILED
    finally:
        watchdog.cancel()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)
    print(line, flush=True)
    return 0


def _give_up(timeout: float) -> None:
    print(f"{APP_NAME} {__version__} smoke test failed: the app did not quit within {timeout + 10:.0f} s",
          file=sys.stderr, flush=True)
    os._exit(EXIT_FAILED)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}" if not isinstance(error, SmokeFailure) else text


class _SmokeRun:
    """The steps of one start, run from the event loop as the real start runs them."""

    def __init__(self, path: Path, language: str, timeout: float) -> None:
        self.path, self.language, self.timeout = path, language, timeout
        self.stage = "starting Qt"
        self.failure: str | None = None
        self.pages = 0
        self.db: Database | None = None
        self.context: UiContext | None = None
        self.window: MainWindow | None = None
        self.app: QApplication | None = None

    def run(self) -> str:
        from PySide6.QtCore import QTimer, qInstallMessageHandler

        previous_hook = sys.excepthook
        sys.excepthook = self._unhandled  # an exception in any slot fails the run instead of scrolling by
        previous_handler = qInstallMessageHandler(self._qt_message)
        try:
            from coachdesk.services.settings import load_settings
            from coachdesk.ui.app import after_first_paint, apply_language, make_application
            from coachdesk.ui.main_window import MainWindow

            self.app = make_application()
            self.stage = "showing the window"
            settings = load_settings()  # the data folder is new: the defaults, as at a first start
            if self.language:
                settings.language = self.language
            apply_language(self.app, settings)
            self.window = MainWindow(self.path.name, settings)
            self.window.show()
            self.stage = "waiting for the window's first paint"
            after_first_paint(self.window, self._step(self._open, settings))
            deadline = QTimer()
            deadline.setSingleShot(True)
            deadline.timeout.connect(lambda: self._fail(f"timed out after {self.timeout:.0f} s {self.stage}"))
            deadline.start(int(self.timeout * 1000))
            self.app.exec()
            deadline.stop()
        except Exception as error:  # noqa: BLE001 - before the event loop: a module or library the build lacks
            self._unhandled(type(error), error, error.__traceback__)
        finally:
            sys.excepthook = previous_hook
            self._close()
            qInstallMessageHandler(previous_handler)
        if self.failure is not None:
            raise SmokeFailure(self.failure)
        return f"{APP_NAME} {__version__} started: {self.pages} pages, database {self.path}"

    # -- the steps

    def _open(self, settings: object) -> None:
        from coachdesk.services.workspace import open_workspace
        from coachdesk.ui.app import Shell, build_context

        self.stage = "opening the database"
        assert self.app is not None and self.window is not None
        self.db = open_workspace(self.path, daily_backup=False, secret=None)
        self.context = build_context(self.db, settings)  # type: ignore[arg-type]
        shell = Shell(self.app, self.context)
        shell.window = self.window
        self.window.attach(self.context)
        self.context.folder_sync.start()
        self.stage = "filling the Today page"
        self._poll(self._today_filled, self._build_pages)

    def _today_filled(self) -> bool:
        assert self.window is not None
        today = self.window.page("today")
        if getattr(today, "overview", None) is not None:
            return True
        if not getattr(today, "_loading", True):  # it gave up: its status line says why
            raise SmokeFailure(f"the Today page could not be read: {today.status.text()}")  # type: ignore[attr-defined]
        return False

    def _build_pages(self) -> None:
        from coachdesk.ui.main_window import PAGES

        assert self.window is not None
        self.stage = "building the pages"
        for spec in PAGES:  # each page's module is imported by name: a bundle must carry every one
            self.stage = f"building the {spec.key} page"
            self.window.show_page(spec.key)
            self.pages += 1
        self.window.show_page("today")
        self._check_printing()
        self._check_encryption()
        self.stage = "waiting for the background work to finish"
        self._poll(self._idle, self._quit)

    def _check_printing(self) -> None:
        from coachdesk.services.printing import handout_pdf, toolbox_keys
        from coachdesk.ui.dialogs.print_preview import page_images

        assert self.db is not None
        self.stage = "printing a handout"
        with self.db.read() as session:
            capacities, methods = toolbox_keys(session)
        keys = capacities + methods
        if not keys:
            raise SmokeFailure("the toolbox is empty: the reference data did not load")
        data, pages = handout_pdf(self.db, "toolbox", keys[0], HANDOUT_LANGUAGE)
        if not data.startswith(b"%PDF") or pages < 1:
            raise SmokeFailure("the handout printed no PDF")
        self.stage = "rendering the print preview"
        images = page_images(data[:], scale=0.5)
        if not images or images[0].isNull():
            raise SmokeFailure("the print preview rendered no page")

    def _check_encryption(self) -> None:
        from coachdesk.store.cipher import Secret, sqlcipher_module

        self.stage = "opening an encrypted database"
        key = Secret("smoke-test passphrase").key_for_salt(b"\0" * 16)
        connection = sqlcipher_module().connect(":memory:")
        try:
            connection.execute(f"PRAGMA key = \"{key.pragma_value()}\"")
            (version,) = connection.execute("PRAGMA cipher_version").fetchone() or ("",)
            connection.execute("CREATE VIRTUAL TABLE notes USING fts5(body)")  # the app's search needs FTS5
        finally:
            connection.close()
        if not version:
            raise SmokeFailure("the SQLCipher module is plain SQLite: it has no cipher")

    def _idle(self) -> bool:
        assert self.context is not None and self.window is not None
        # Today reads again when it is shown once more; its answer arrives through the event loop.
        return self.context.tasks.wait_idle(0) and not getattr(self.window.page("today"), "_loading", False)

    def _quit(self) -> None:
        assert self.app is not None and self.window is not None
        picture = os.environ.get(SCREENSHOT_ENV)
        if picture and not self.window.grab().save(picture):
            raise SmokeFailure(f"the window's picture could not be saved to {picture}")
        self.app.exit(0)

    # -- running steps from the event loop

    def _step(self, work: Callable[..., None], *args: object) -> Callable[[], None]:
        def run() -> None:
            if self.failure is not None:
                return
            try:
                work(*args)
            except Exception as error:  # noqa: BLE001 - every failure ends the run with its one line
                self._fail(f"{self.stage}: {_one_line(error)}")
        return run

    def _poll(self, ready: Callable[[], bool], then: Callable[[], None]) -> None:
        from PySide6.QtCore import QTimer

        def check() -> None:
            if ready():
                then()
            else:
                QTimer.singleShot(20, self._step(check))

        self._step(check)()

    def _fail(self, text: str) -> None:
        if self.failure is None:
            self.failure = text
        if self.app is not None:
            self.app.exit(EXIT_FAILED)

    def _qt_message(self, kind: object, _context: object, message: str) -> None:
        """Qt's critical and fatal messages say why a start failed; its warnings are noise unless asked for."""
        from PySide6.QtCore import QtMsgType

        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) or os.environ.get(TRACE_ENV):
            print(message, file=sys.stderr, flush=True)

    def _unhandled(self, kind: type[BaseException], error: BaseException, trace: object) -> None:
        if os.environ.get(TRACE_ENV):
            traceback.print_exception(kind, error, trace)  # type: ignore[arg-type]
        self._fail(f"{self.stage}: {_one_line(error)}")

    def _close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        if self.context is not None:
            self.context.folder_sync.timer.stop()
            # A run that failed early leaves pages' reads in flight: their answers must land while the
            # pages that asked still exist, not in whatever event loop runs next.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                idle = self.context.tasks.wait_idle(100)
                QCoreApplication.processEvents()
                if idle and self.context.tasks.wait_idle(0):
                    break
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            # Gone now, not at some later turn of an event loop (a caller may go on using the application).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if self.db is not None:
            self.db.close()
