"""Start the desktop app: the QApplication, the language and text direction, the database, the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from coachdesk import APP_ID, APP_NAME, __version__
from coachdesk.errors import CoachDeskError
from coachdesk.i18n import text_direction
from coachdesk.services.stats import counts
from coachdesk.services.workspace import open_workspace
from coachdesk.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                           else Qt.LayoutDirection.LeftToRight)
    return app


def run_app(database: Path | None) -> int:
    app = make_application()
    try:
        db = open_workspace(database)
    except CoachDeskError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return error.exit_status
    try:
        window = MainWindow(db.name, counts(db))
        window.show()
        return app.exec()
    finally:
        db.close()


__all__ = ["make_application", "run_app"]
