"""Started as a child process by the benchmarks: prints the wall-clock time of the first paint.

``python -m bench.startup_probe bare`` shows a bare PySide6 window; ``... app DB`` starts CoachDesk
exactly as `coachdesk --db DB` does. Either way the process quits after the first paint.
``... memory DB`` starts CoachDesk, opens the Sessions and Mentees pages, scrolls every table to
its end, and prints the resident memory in bytes instead.
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.isWindow():
                if isinstance(watched, QMainWindow) or mode == "bare":
                    app.removeEventFilter(self)
                    if mode == "memory":
                        print(_resident_after_loading(watched), flush=True)
                    else:
                        print(f"{time.time():.6f}", flush=True)
                    app.quit()
            return False

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
