"""Start the desktop app: the QApplication, language and text direction, the database, the window."""

from __future__ import annotations

import importlib
import locale
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coachdesk import APP_ID, APP_NAME, __version__
from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, current_language, is_language_code, isolated, set_language, text_direction
from coachdesk.paths import default_database
from coachdesk.services.samples import sample_database
from coachdesk.services.settings import Settings, load_settings, save_settings
from coachdesk.ui.context import Navigator, UiContext
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.tasks import ChangeBus, TaskRunner

if TYPE_CHECKING:
    from coachdesk.store.cipher import FileKey, Secret
    from coachdesk.store.database import Database
    from coachdesk.ui.dialogs.welcome import Welcome

#: Which dialog offers back a draft of each kind: "module:Class" with a ``from_draft`` classmethod.
DRAFT_OPENERS = {
    "session": "coachdesk.ui.dialogs.session_dialog:LogSessionDialog",
    "mentee": "coachdesk.ui.dialogs.mentee_dialog:MenteeDialog",
    "assessment": "coachdesk.ui.dialogs.assessment_wizard:AssessmentWizard",
    "plan": "coachdesk.ui.dialogs.plan_forms:NewPlanDialog",
    "plan_goal": "coachdesk.ui.dialogs.plan_forms:GoalDialog",
    "plan_action": "coachdesk.ui.dialogs.plan_forms:ActionDialog",
}


def system_language() -> str:
    """The system's language if CoachDesk speaks it (``pt_BR``, or ``fr`` for ``fr_SN``), else English."""
    from coachdesk.i18n import shipped_languages

    code = QLocale.system().name() or (locale.getlocale()[0] or "en")
    if not is_language_code(code):
        return "en"
    shipped = shipped_languages()
    for candidate in (code, code.split("_")[0]):
        if candidate in shipped:
            return candidate
    return "en"


_qt_translators: list[QTranslator] = []


def _load_qt_translations(app: QApplication, language: str) -> None:
    """Qt's own texts (wizard and dialog buttons, context menus) in ``language``, where Qt ships them."""
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    if language.startswith("en"):
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        # Qt ships no words in this language: its buttons take them from CoachDesk's catalog.
        from coachdesk.ui.qt_texts import QtWords

        translator = QtWords(app)
    app.installTranslator(translator)
    _qt_translators.append(translator)


def apply_language(app: QApplication, settings: Settings) -> None:
    """Activate the person's language (or the system's), with its direction, Qt's locale and Qt's texts."""
    set_language(settings.language or system_language())
    QLocale.setDefault(QLocale(current_language()))
    _load_qt_translations(app, current_language())
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                           else Qt.LayoutDirection.LeftToRight)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    from coachdesk.ui.icon import app_icon

    app.setWindowIcon(app_icon())
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                           else Qt.LayoutDirection.LeftToRight)
    return app


def build_context(db: Database, settings: Settings) -> UiContext:
    from coachdesk.services.provenance import record_local_user
    from coachdesk.ui.folder_sync import FolderSync
    from coachdesk.ui.fonts import load_bundled_fonts

    load_bundled_fonts()
    bus = ChangeBus()
    tasks = TaskRunner(db, bus)
    navigator = Navigator()

    # The device's user name goes with its exports: it is who changed what this device wrote.
    # At start, before any other work is queued, it is recorded at once; later changes of the
    # name (saving the settings) go through the writer like every other write.
    with db.write() as session:
        record_local_user(session, settings.user_name)
    recorded = [settings.user_name]

    def record_user() -> None:
        name = settings.user_name
        if name != recorded[0]:
            recorded[0] = name
            tasks.write(lambda session: record_local_user(session, name))

    navigator.settings_changed.connect(record_user)
    return UiContext(db=db, tasks=tasks, changes=bus, navigator=navigator, settings=settings,
                     folder_sync=FolderSync(db, tasks, bus, settings))


class Shell:
    """Owns the window; builds it again when the language changes, so every text and the
    layout direction follow at once."""

    def __init__(self, app: QApplication, context: UiContext) -> None:
        self.app, self.context = app, context
        self.window: MainWindow | None = None
        context.navigator.language_changed.connect(self.rebuild)

    def show(self) -> MainWindow:
        apply_language(self.app, self.context.settings)
        self.window = MainWindow(self.context.db.name, self.context.settings)
        self.window.show()
        self.window.attach(self.context)
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
    from coachdesk.services.drafts import discard_draft, pending_drafts

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
        try:
            dialog = getattr(importlib.import_module(module), cls).from_draft(context, draft, parent)
        except CoachDeskError as error:  # what the draft belonged to is gone (removed on another device)
            QMessageBox.information(parent, _("Draft not restored"), str(error))
            discard_draft(draft.key)
            continue
        dialog.show()
        opened.append(dialog)
    return opened


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once ``window`` has painted, so heavy start-up work never delays the window."""
    window.installEventFilter(_FirstPaint(window, then))


def check_at_start(parent: QWidget, path: Path, key: FileKey | None = None) -> None:
    """A quick look at the database before opening it; when it is damaged, offer the latest good backup.

    Only the cheap part runs here (header, schema, the verdict of the last full check): a full
    ``quick_check`` reads the whole file, seconds on a large one, so it runs after start in the
    background (``check_after_start``) and its finding is acted on here at the next start."""
    from coachdesk.services import safety

    if not path.exists() or safety.looks_whole(path, key):
        return
    good = safety.latest_good_backup(path, key)
    if good is None:
        QMessageBox.warning(parent, APP_NAME, _("The database {file} is damaged and no good backup was found. "
                                                "CoachDesk will try to open it; copy the file somewhere safe "
                                                "and run coachdesk doctor.").format(file=isolated(path)))
        return
    if ask_restore(parent, path, good):
        safety.restore(path, good, key, key)


def check_after_start(window: QWidget, context: UiContext, path: Path) -> None:
    """The full check of the open database, and the day's backup, off the GUI thread."""
    from coachdesk.services import safety

    def found(whole: bool) -> None:
        if not whole:
            QMessageBox.warning(window, APP_NAME, _(
                "CoachDesk found damage in the database {file}. Close CoachDesk and start it again to restore "
                "the latest good backup, or run coachdesk doctor to see what is wrong.").format(file=isolated(path)))

    key = context.db.key
    context.tasks.long(lambda _progress: safety.check_in_background(path, key), title=_("Checking the database"),
                       writes=False, success=found)


def ask_restore(parent: QWidget, path: Path, good: Path) -> bool:
    """Tests answer this without a modal loop."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME,
                      _("The database {file} is damaged. Restore the latest good backup, {backup}? The "
                        "damaged file is kept as a backup too.").format(file=isolated(path.name),
                                                                       backup=isolated(good.name)),
                      QMessageBox.StandardButton.NoButton, parent)
    restore_button = box.addButton(_("&Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Open it anyway"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)
    box.exec()
    return box.clickedButton() is restore_button


class Quit(Exception):
    """The person chose to quit rather than give the passphrase."""


def passphrase_at_start(parent: QWidget, path: Path) -> Secret | None:
    """The passphrase the database needs (from COACHDESK_PASSPHRASE, else asked), or, on the very first
    start, the one the person chooses to protect a new database with (None: not now)."""
    import os

    from coachdesk.store.cipher import Secret, is_encrypted, opens_with

    if is_encrypted(path):
        given = os.environ.get("COACHDESK_PASSPHRASE", "")
        if given:
            secret = Secret(given)
            if opens_with(path, secret.key_for(path)):
                return secret  # its key, derived once, is kept for the rest of the start
        secret = ask_unlock(parent, path)
        if secret is None:
            raise Quit()
        return secret
    if not path.exists():
        return offer_passphrase(parent)
    return None


def ask_unlock(parent: QWidget, path: Path) -> Secret | None:
    """Tests answer this without a modal loop."""
    from coachdesk.ui.lock import UnlockDialog

    dialog = UnlockDialog(path, parent)
    return dialog.secret if dialog.exec() == UnlockDialog.DialogCode.Accepted else None


def offer_passphrase(parent: QWidget) -> Secret | None:
    """At the first start: protect the new database with a passphrase (recommended), or not now."""
    from coachdesk.ui.lock import ChoosePassphraseDialog

    dialog = ChoosePassphraseDialog(parent, _("Protect your data"), first_start=True)
    return dialog.secret if dialog.exec() == ChoosePassphraseDialog.DialogCode.Accepted else None


def ask_welcome(parent: QWidget, path: Path, settings: Settings) -> Welcome | None:
    """The welcome wizard of the very first start (None: closed without finishing).

    Tests answer this without a modal loop."""
    from coachdesk.ui.dialogs.welcome import WelcomeWizard

    app = QApplication.instance()
    wizard = WelcomeWizard(settings, path, lambda code: apply_language(app, replace(settings, language=code)),
                           parent)
    return wizard.welcome if wizard.exec() == WelcomeWizard.DialogCode.Accepted else None


def ask_remove_sample(parent: QWidget) -> bool:
    """The short confirmation before the sample data goes. Tests answer this without a modal loop."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Remove the sample data"),
                      _("Remove the sample data and open your own database? Nothing you did in the sample is "
                        "kept."), QMessageBox.StandardButton.NoButton, parent)
    remove = box.addButton(_("Re&move"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(remove)
    box.exec()
    return box.clickedButton() is remove


def tell(parent: QWidget | None, text: str) -> None:
    """A sentence that needs only acknowledging. Tests read it instead."""
    QMessageBox.warning(parent, APP_NAME, text)


@dataclass
class Exploring:
    """While the sample data is open: the person's own database, and what they chose for it at the
    first start (kept for this run only; a passphrase is never written down)."""

    own: Path
    secret: Secret | None = None
    invitation: Path | None = None


def open_at_start(app: QApplication, window: QWidget, path: Path, settings: Settings, *,
                  named: bool = False) -> tuple[Database, Exploring | None]:
    """The database this start works on: the sample while the person explores it, else ``path`` —
    made by the welcome wizard when it does not exist yet. A database ``named`` on the command line
    is opened whatever the settings say."""
    from coachdesk.services import samples
    from coachdesk.services.workspace import open_workspace

    if not named and settings.exploring_sample:
        sample = samples.sample_database()
        if sample.exists():
            return open_workspace(sample, daily_backup=False), Exploring(path)
        settings.exploring_sample = False  # the sample file went away: start as if it never was
        try:
            save_settings(settings)
        except OSError:
            pass
    if not path.exists():
        welcome = ask_welcome(window, path, settings)
        apply_language(app, settings)  # the language chosen, or the start's again when the wizard was closed
        if welcome is None:
            return open_workspace(path, daily_backup=False), None  # the defaults, no passphrase
        if welcome.join_error:
            tell(window, welcome.join_error)
        if welcome.exploring:
            return welcome.database, Exploring(path, welcome.secret, welcome.invitation)
        return welcome.database, None
    secret = passphrase_at_start(window, path)
    check_at_start(window, path, secret.key_for(path) if secret and path.exists() else None)
    return open_workspace(path, daily_backup=False, secret=secret), None


def window_for(old: MainWindow, language: str, db: Database, settings: Settings) -> MainWindow:
    """``old`` (built in ``language``) if it still fits the database and the language, else a new
    window in its place."""
    if old.database_name == db.name and language == current_language():
        return old
    window = MainWindow(db.name, settings)
    window.restoreGeometry(old.saveGeometry())
    window.show()
    old.hide()
    old.deleteLater()
    return window


def start_workspace(app: QApplication, window: MainWindow, db: Database, settings: Settings,
                    exploring: Exploring | None, shells: list[Shell]) -> Shell:
    """Attach the opened database to ``window``: context, sync, lock, the full check, drafts, and
    the sample's bar while exploring."""
    context = build_context(db, settings)
    shell = Shell(app, context)
    shell.window = window
    window.attach(context)
    shells.append(shell)
    context.folder_sync.start()
    if db.path is not None:
        from coachdesk.ui.lock import Locker

        context.locker = Locker(lambda: shell.window, db.path, minutes=lambda: settings.lock_after_minutes,
                                protected=lambda: db.secret is not None)
        if exploring is None:  # the sample is no one's work: no check, no backup
            check_after_start(window, context, db.path)
    if exploring is not None:
        show_exploring(app, shell, settings, exploring, shells)
    offer_drafts(window, context)
    return shell


def show_exploring(app: QApplication, shell: Shell, settings: Settings, exploring: Exploring,
                   shells: list[Shell]) -> None:
    """The sample's bar on the window (again after a change of language rebuilds it), and no team for
    the sample: sample data is never synced."""

    def mark() -> None:
        window = shell.window
        if window is None:
            return
        window.show_sample_banner(lambda: remove_sample_data(app, shell, settings, exploring, shells))
        sync = window.page("sync")
        join = getattr(sync, "join_button", None)
        if join is not None:
            join.setEnabled(False)
            join.setToolTip(_("Sample data is never synced. Remove it to join your team with your own database."))

    mark()
    shell.context.navigator.language_changed.connect(lambda _code: mark())  # after the shell's rebuild


def retire(shell: Shell) -> None:
    """Stop everything that works on ``shell``'s database, then close it."""
    context = shell.context
    context.folder_sync.timer.stop()
    context.tasks.wait_idle()
    locker = context.locker
    if locker is not None:
        locker.timer.stop()
        QApplication.instance().removeEventFilter(locker)
        context.locker = None
    context.db.close()


def remove_sample_data(app: QApplication, shell: Shell, settings: Settings, exploring: Exploring,
                       shells: list[Shell]) -> Shell | None:
    """Close and delete the sample, and open the person's own database in a new window; None when the
    person changed their mind or their own database did not open (the sample then stays as it was)."""
    from coachdesk.services import samples
    from coachdesk.services.drafts import discard_draft, pending_drafts
    from coachdesk.services.team import join_team
    from coachdesk.services.workspace import open_workspace
    from coachdesk.ui.views.page_parts import error_text

    old = shell.window
    assert old is not None
    if not ask_remove_sample(old):
        return None
    own = exploring.own
    try:
        if exploring.secret is not None and not own.exists():
            secret: Secret | None = exploring.secret
        else:  # a later run: asked, or offered as at a first start
            secret = passphrase_at_start(old, own)
        db = open_workspace(own, daily_backup=False, secret=secret)
    except Quit:
        return None
    except CoachDeskError as error:
        tell(old, str(error))
        return None
    sample = shell.context.db.path
    retire(shell)
    problems = []
    if samples.is_sample(sample):
        try:
            samples.remove_sample(sample)
        except OSError as error:
            problems.append(error_text(_("The sample data"), error))
    for draft in pending_drafts():  # drafts of the sample's made-up mentees
        discard_draft(draft.key)
    settings.exploring_sample = False
    try:
        save_settings(settings)
    except OSError as error:
        problems.append(error_text(_("Your settings"), error))
    if exploring.invitation is not None:
        try:
            join_team(db, exploring.invitation)
        except (CoachDeskError, OSError) as error:
            problems.append(error_text(_("Join a team"), error))
    window = MainWindow(db.name, settings)
    window.restoreGeometry(old.saveGeometry())
    window.show()
    old.hide()
    old.deleteLater()
    new_shell = start_workspace(app, window, db, settings, None, shells)
    for problem in problems:
        tell(window, problem)
    return new_shell


def run_app(database: Path | None, language: str = "") -> int:
    """Paint the window first, then open the database and fill it in.

    The database layers (SQLAlchemy, Alembic, the migration check) load after the first
    paint, so the window appears as fast as a bare Qt window would. At the very first start
    (no database yet) the welcome wizard comes first; while sample data is explored, the
    sample database is opened instead of the person's own.
    """
    app = make_application()
    settings = load_settings()
    if language:  # coachdesk --lang CODE: this run only, until the person picks one in Settings
        settings.language = language
    apply_language(app, settings)
    path = database or default_database()
    exploring = database is None and settings.exploring_sample and sample_database().exists()
    window = MainWindow(sample_database().name if exploring else path.name, settings)
    window.show()
    language_shown = current_language()
    shells: list[Shell] = []  # the shells live as long as the app runs; the last one is the open database

    def finish_start() -> None:
        try:
            db, sample = open_at_start(app, window, path, settings, named=database is not None)
        except Quit:
            app.exit(0)
            return
        except CoachDeskError as error:
            QMessageBox.critical(window, APP_NAME, str(error))
            app.exit(error.exit_status)
            return
        start_workspace(app, window_for(window, language_shown, db, settings), db, settings, sample, shells)

    after_first_paint(window, finish_start)
    try:
        return app.exec()
    finally:
        if shells:
            shells[-1].context.db.close()
