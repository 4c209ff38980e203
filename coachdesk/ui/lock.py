"""The passphrase in the app: asking for it to open or unlock, choosing one, and locking the app.

The app locks after the minutes without use chosen in Settings, when the computer wakes from sleep
(a jump of the wall clock between two ticks), when the system hides or suspends the app, and when the
desktop says over D-Bus that the screen locked or the computer is about to sleep. Locked, every window's
content is covered and titles name no one; only the passphrase uncovers them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coachdesk import APP_NAME
from coachdesk.errors import InputError, PassphraseError
from coachdesk.i18n import N_, _, isolated
from coachdesk.store.cipher import MIN_PASSPHRASE, Secret, check_new_passphrase, key_for_file
from coachdesk.ui.views.page_parts import heading, quiet, wrapped

#: Why a passphrase, in the words the app uses wherever it offers one.
WHY = N_("A passphrase encrypts everything CoachDesk keeps on this computer: the people you work with, "
               "your notes and assessments, this device's keys and every backup. If the laptop is lost, "
               "stolen or seized, nobody can read them without it. Recommended.")
FORGOTTEN = N_("Nobody can recover a forgotten passphrase. Your data then comes back only from your team's hub, "
             "in its central export.")


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("passphrase_error")
    label.setStyleSheet("color: palette(highlight); font-weight: bold;")
    label.setAccessibleName(_("Error"))
    label.hide()
    return label


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(1024)
    field.setMinimumWidth(280)
    return field


class UnlockDialog(QDialog):
    """Asks for the passphrase of a protected database and checks it; a wrong one is said plainly and
    the field is cleared for another try. ``secret`` holds the accepted passphrase."""

    def __init__(self, database: Path, parent: QWidget | None = None, *, locked: bool = False) -> None:
        super().__init__(parent)
        self.database = database
        self.secret: Secret | None = None
        self.attempts = 0
        self.setObjectName("unlock_dialog")
        self.setWindowTitle(_("CoachDesk is locked") if locked else _("Unlock CoachDesk"))
        intro = (_("CoachDesk locked itself to keep your data private. Type your passphrase to go on where you "
                   "left off.") if locked else
                 _("{file} is protected by a passphrase. Type it to open your data.").format(
                     file=isolated(database.name)))
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.field = _password_field()
        self.field.setAccessibleName(_("Passphrase"))
        self.error = _error_label()
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(_("&Unlock") if locked else _("&Open"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(_("&Quit CoachDesk"), QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.setDefault(True)
        self.locked = locked
        self.buttons.accepted.connect(self.check)
        self.quit_button.clicked.connect(lambda: self.done(QDialog.DialogCode.Rejected))
        form = QFormLayout()
        label = QLabel(_("&Passphrase:"))
        label.setBuddy(self.field)
        form.addRow(label, self.field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(quiet(wrapped(_(FORGOTTEN))))
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def reject(self) -> None:
        # Escape or the window's close button: when locked, the app stays locked (only Quit leaves).
        if not self.locked:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked and event.spontaneous():  # the person: stay locked
            event.ignore()
            return
        self.locked = False  # the application or the session is closing: never stand in its way
        super().closeEvent(event)

    def check(self) -> None:
        text = self.field.text()
        if not text:
            self._refuse(_("Type your passphrase."))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            secret = Secret(text)
            key_for_file(self.database, secret)  # a tenth of a second: the key derivation itself
        except PassphraseError:
            self.attempts += 1
            self._refuse(_("That passphrase does not open {file}. Check Caps Lock and the keyboard layout, "
                           "then try again.").format(file=isolated(self.database.name)))
            return
        except InputError as error:
            self._refuse(str(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.secret = secret
        self.accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.field.clear()
        self.field.setFocus()


class ChoosePassphraseDialog(QDialog):
    """Choose a passphrase (typed twice), to protect a database or change its passphrase. With
    ``current``, the present passphrase is asked first and checked against ``database``."""

    def __init__(self, parent: QWidget | None, title: str, *, database: Path | None = None,
                 current: bool = False, first_start: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("choose_passphrase_dialog")
        self.setWindowTitle(title)
        self.database = database
        self.secret: Secret | None = None
        self.old: Secret | None = None
        why = wrapped(_(WHY))
        self.current = _password_field() if current else None
        self.first = _password_field()
        self.again = _password_field()
        self.error = _error_label()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = []
        if self.current is not None:
            rows.append((_("&Current passphrase:"), self.current))
        rows += [(_("&New passphrase:"), self.first), (_("&Again:"), self.again)]
        for caption, field in rows:
            label = QLabel(caption)
            label.setBuddy(field)
            field.setAccessibleName(caption.replace("&", "").rstrip(":"))
            form.addRow(label, field)
        hint = quiet(wrapped(_("At least {count} characters. A few unrelated words you will remember are strong "
                               "and easy to type.").format(count=MIN_PASSPHRASE)))
        forgotten = quiet(wrapped(_(FORGOTTEN)))
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("&Protect my data") if not current else _("&Change passphrase"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_("&Not now") if first_start else _("Cancel"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_start:
            layout.addWidget(heading(_("Protect the people in your records")))
        layout.addWidget(why)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(forgotten)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def check(self) -> None:
        if self.current is not None and self.database is not None:
            try:
                old = Secret(self.current.text()) if self.current.text() else None
                if old is None:
                    raise PassphraseError(_("Type your current passphrase."))
                key_for_file(self.database, old)
            except InputError as error:
                self._refuse(str(error), self.current)
                return
            self.old = old
        try:
            secret = check_new_passphrase(self.first.text())
        except PassphraseError as error:
            self._refuse(str(error), self.first)
            return
        if self.again.text() != self.first.text():
            self._refuse(_("The two passphrases differ; type the same one twice."), self.again)
            return
        self.secret = secret
        self.accept()

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        field.selectAll()
        field.setFocus()


class ConfirmPassphraseDialog(UnlockDialog):
    """The present passphrase, asked before it is removed."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.setWindowTitle(_("Remove the passphrase"))
        self.intro.setText(_("Without a passphrase, anyone who has this laptop can read the people's names, your "
                             "notes and every backup. Type the passphrase to remove it."))
        self.unlock_button.setText(_("&Remove passphrase"))
        self.quit_button.setText(_("Cancel"))


INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride}
TICK_MS = 5000
#: Lock now, from any window.
LOCK_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_L
#: A wall clock that moved this much further than the tick means the computer slept in between.
SLEEP_GAP_S = 60


class _Cover(QWidget):
    """An opaque sheet over a window's content while the app is locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        label = QLabel(_("CoachDesk is locked."), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())  # type: ignore[attr-defined]
        return False


class Locker(QObject):
    """Locks the app of a protected database: on idle, on sleep and screen lock, and on demand."""

    locked_changed = Signal(bool)

    def __init__(self, window: Callable[[], QWidget | None], database: Path, minutes: Callable[[], int],
                 protected: Callable[[], bool], clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.window, self.database = window, database
        self.minutes, self.protected = minutes, protected
        self.clock, self.wall = clock, wall
        self.last_input = clock()
        self.last_wall = wall()
        self.locked = False
        self.dialog: UnlockDialog | None = None
        self._covers: list[_Cover] = []
        self._titles: dict[QWidget, str] = {}
        app = QApplication.instance()
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._listen_to_desktop()

    # -- what locks

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.locked:
            self.last_input = self.clock()
            if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                    and event.keyCombination().toCombined() == LOCK_KEYS.toCombined()):
                QTimer.singleShot(0, self.lock)
                return True
        return False

    def tick(self) -> None:
        now_wall = self.wall()
        slept = now_wall - self.last_wall > TICK_MS / 1000 + SLEEP_GAP_S
        self.last_wall = now_wall
        if self.locked or not self.protected():
            return
        minutes = self.minutes()
        if slept or (minutes > 0 and self.clock() - self.last_input >= minutes * 60):
            self.lock()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state in (Qt.ApplicationState.ApplicationSuspended, Qt.ApplicationState.ApplicationHidden):
            self.lock()

    def _listen_to_desktop(self) -> None:
        """The screen saver's lock and the system going to sleep, where the desktop announces them."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        from PySide6.QtCore import SLOT

        session, system = QDBusConnection.sessionBus(), QDBusConnection.systemBus()
        if session.isConnected():
            for service, path in (("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
                                  ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver")):
                session.connect("", path, service, "ActiveChanged", self, SLOT("_screen_saver(bool)"))
        if system.isConnected():
            system.connect("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                           "PrepareForSleep", self, SLOT("_screen_saver(bool)"))

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.lock()

    # -- locking and unlocking

    def lock(self) -> None:
        if self.locked or not self.protected():
            return
        self.locked = True
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not isinstance(widget, UnlockDialog) and widget.isWindow():
                self._covers.append(_Cover(widget))
                self._titles[widget] = widget.windowTitle()
                widget.setWindowTitle(_("CoachDesk (locked)"))
        self.dialog = UnlockDialog(self.database, self.window(), locked=True)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self.unlock)
        self.dialog.rejected.connect(self._quit)
        self.locked_changed.emit(True)
        self.dialog.open()

    def unlock(self) -> None:
        for cover in self._covers:
            cover.parentWidget().removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        for widget, title in self._titles.items():
            widget.setWindowTitle(title)
        self._covers.clear()
        self._titles.clear()
        self.locked = False
        self.last_input = self.clock()
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        self.locked_changed.emit(False)

    def _quit(self) -> None:
        # Leaving while locked: drafts are already kept, so nothing is lost and nothing is shown.
        QGuiApplication.instance().exit(0)
