"""Started as a child process by the benchmarks, so every measurement starts a fresh interpreter.

``python -m bench.startup_probe bare`` shows a bare PySide6 window and prints the wall-clock
time of its first paint. ``... app DB`` starts CoachDesk exactly as `coachdesk --db DB` does
and prints the time of the main window's first paint; ``... ready DB`` the time the database
is attached and the Today page has painted with its content. ``... memory DB`` opens the
Sessions, Mentees, Plans and Today pages, scrolls every table to its end, and prints the
resident memory in bytes. The process quits after printing.
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication(sys.argv[:1])

    def when_attached(window, then) -> None:  # type: ignore[no-untyped-def]
        def poll() -> None:
            if window.context is None:
                QTimer.singleShot(5, poll)
            else:
                then(window)

        poll()

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.isWindow():
                if mode == "bare" or (isinstance(watched, QMainWindow) and mode == "app"):
                    app.removeEventFilter(self)
                    print(f"{time.time():.6f}", flush=True)
                    app.quit()
                elif isinstance(watched, QMainWindow):
                    app.removeEventFilter(self)
                    when_attached(watched, ready if mode == "ready" else memory)
            return False

    def ready(window) -> None:  # type: ignore[no-untyped-def]
        today = window.page("today")

        def poll() -> None:
            if getattr(today, "overview", None) is not None and not today._loading:
                window.repaint()
                print(f"{time.time():.6f}", flush=True)
                app.quit()
            else:
                QTimer.singleShot(5, poll)

        poll()

    def memory(window) -> None:  # type: ignore[no-untyped-def]
        print(_resident_after_loading(window), flush=True)
        app.quit()

    probe = FirstPaint()
    app.installEventFilter(probe)
    if mode == "bare":
        window = QWidget()
        window.resize(1100, 700)
        window.setWindowTitle("bare")
        window.show()
        return app.exec()
    from pathlib import Path

    from coachdesk.ui.app import run_app

    return run_app(Path(sys.argv[2]))


def _resident_after_loading(window) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    for key in ("sessions", "mentees", "plans", "today"):
        window.show_page(key)
        QApplication.processEvents()
        window.context.tasks.wait_idle()
        QApplication.processEvents()
        for view in window.page(key).findChildren(QAbstractItemView):
            view.scrollToBottom()
            QApplication.processEvents()
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main())
