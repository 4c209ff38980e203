"""Start the desktop app: the QApplication, language and text direction, the database, the window."""

from __future__ import annotations

import importlib
import locale
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coachdesk import APP_ID, APP_NAME, __version__
from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, current_language, is_language_code, set_language, text_direction
from coachdesk.services.drafts import discard_draft, pending_drafts
from coachdesk.services.settings import Settings, load_settings
from coachdesk.services.workspace import open_workspace
from coachdesk.store.database import Database
from coachdesk.ui.context import Navigator, UiContext
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.tasks import ChangeBus, TaskRunner

#: Which dialog offers back a draft of each kind: "module:Class" with a ``from_draft`` classmethod.
DRAFT_OPENERS = {
    "session": "coachdesk.ui.dialogs.session_dialog:LogSessionDialog",
    "mentee": "coachdesk.ui.dialogs.mentee_dialog:MenteeDialog",
    "assessment": "coachdesk.ui.dialogs.assessment_wizard:AssessmentWizard",
}


def system_language() -> str:
    code = QLocale.system().name() or (locale.getlocale()[0] or "en")
    return code if is_language_code(code) else "en"


def apply_language(app: QApplication, settings: Settings) -> None:
    """Activate the person's language (or the system's), with its direction and Qt's locale."""
    set_language(settings.language or system_language())
    QLocale.setDefault(QLocale(current_language()))
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                           else Qt.LayoutDirection.LeftToRight)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                           else Qt.LayoutDirection.LeftToRight)
    return app


def build_context(db: Database, settings: Settings) -> UiContext:
    bus = ChangeBus()
    return UiContext(db=db, tasks=TaskRunner(db, bus), changes=bus, navigator=Navigator(), settings=settings)


class Shell:
    """Owns the window; builds it again when the language changes, so every text and the
    layout direction follow at once."""

    def __init__(self, app: QApplication, context: UiContext) -> None:
        self.app, self.context = app, context
        self.window: MainWindow | None = None
        context.navigator.language_changed.connect(self.rebuild)

    def show(self) -> MainWindow:
        apply_language(self.app, self.context.settings)
        self.window = MainWindow(self.context)
        self.window.show()
        return self.window

    def rebuild(self) -> None:
        old = self.window
        key = old.current_page_key() if old else "today"
        geometry = old.saveGeometry() if old else None
        window = self.show()
        if geometry is not None:
            window.restoreGeometry(geometry)
        window.show_page(key)
        if old is not None:
            old.hide()
            old.deleteLater()


def offer_drafts(parent: QWidget, context: UiContext) -> list[QWidget]:
    """Offer back the drafts an earlier run left; return the dialogs opened."""
    opened = []
    for draft in pending_drafts():
        target = DRAFT_OPENERS.get(draft.kind)
        if target is None:
            continue
        answer = QMessageBox.question(
            parent, _("Restore unsaved work?"),
            _("CoachDesk closed before this was saved: “{title}” ({when}). Restore it?").format(
                title=draft.title, when=draft.saved_at.strftime("%Y-%m-%d %H:%M")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            discard_draft(draft.key)
            continue
        module, cls = target.split(":")
        dialog = getattr(importlib.import_module(module), cls).from_draft(context, draft, parent)
        dialog.show()
        opened.append(dialog)
    return opened


def run_app(database: Path | None) -> int:
    app = make_application()
    settings = load_settings()
    apply_language(app, settings)
    try:
        db = open_workspace(database)
    except CoachDeskError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return error.exit_status
    try:
        context = build_context(db, settings)
        shell = Shell(app, context)
        window = shell.show()
        offer_drafts(window, context)
        return app.exec()
    finally:
        db.close()
