"""The passphrase in the app: unlocking at start, locking on idle, sleep and on demand, and setting,
changing and removing it from Settings while the app runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from coachdesk.model import Mentee
from coachdesk.services import protection
from coachdesk.services.demo import generate_demo
from coachdesk.services.workspace import open_workspace
from coachdesk.store.cipher import Secret, is_encrypted
from coachdesk.store.database import count_live
from coachdesk.ui import app as app_module
from coachdesk.ui.lock import TICK_MS, ChoosePassphraseDialog, Locker, UnlockDialog
from coachdesk.ui.views import settings as settings_view
from coachdesk.ui.views.settings import SettingsPage

PASSPHRASE = "lantern over the river"
NAME = "Imani Wekesa"


@pytest.fixture
def protected(tmp_path) -> Path:
    path = tmp_path / "locked.sqlite"
    with open_workspace(path, secret=Secret(PASSPHRASE)) as db:
        generate_demo(db, mentees=3, seed=2)
    return path


def _type(qtbot, dialog, text: str) -> None:
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, text)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)


def test_a_wrong_passphrase_is_said_plainly_and_the_right_one_opens(qtbot, protected):
    dialog = UnlockDialog(protected)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "not it at all")
    assert dialog.isVisible() and dialog.secret is None and dialog.field.text() == ""
    assert dialog.error.isVisible()
    assert dialog.error.text() == ("That passphrase does not open locked.sqlite. Check Caps Lock and the keyboard "
                                   "layout, then try again.")
    _type(qtbot, dialog, PASSPHRASE)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.secret.passphrase == PASSPHRASE


def test_choosing_a_passphrase_refuses_a_short_or_mistyped_one(qtbot, protected):
    dialog = ChoosePassphraseDialog(None, "Change", database=protected, current=True)
    qtbot.addWidget(dialog)
    dialog.show()

    def fill(current: str, first: str, again: str) -> None:
        for field, text in ((dialog.current, current), (dialog.first, first), (dialog.again, again)):
            field.setText(text)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    fill("wrong passphrase", "a new passphrase", "a new passphrase")
    assert "wrong" in dialog.error.text() and dialog.secret is None
    fill(PASSPHRASE, "short", "short")
    assert "at least 8 characters" in dialog.error.text() and dialog.secret is None
    fill(PASSPHRASE, "a new passphrase", "a new passphrasf")
    assert dialog.error.text() == "The two passphrases differ; type the same one twice."
    fill(PASSPHRASE, "a new passphrase", "a new passphrase")
    assert dialog.result() == ChoosePassphraseDialog.DialogCode.Accepted
    assert (dialog.old.passphrase, dialog.secret.passphrase) == (PASSPHRASE, "a new passphrase")


class Clock:
    def __init__(self) -> None:
        self.now, self.wall = 1000.0, 1_800_000_000.0

    def advance(self, seconds: float, locker=None, *, asleep: bool = False) -> None:
        """Time passes; awake, the locker ticks every few seconds as its timer would."""
        if asleep:  # the monotonic clock stands still while the computer sleeps; the wall clock does not
            self.wall += seconds
            return
        step = TICK_MS / 1000
        while seconds > 0:
            self.now += min(step, seconds)
            self.wall += min(step, seconds)
            seconds -= step
            if locker is not None:
                locker.tick()


@pytest.fixture
def locked_app(qtbot, protected):
    window = QMainWindow()
    window.setWindowTitle(f"CoachDesk — {NAME}")
    window.setCentralWidget(QLabel(NAME))
    qtbot.addWidget(window)
    window.resize(600, 400)
    window.show()
    clock = Clock()
    minutes = [15]
    is_protected = [True]
    locker = Locker(lambda: window, protected, minutes=lambda: minutes[0], protected=lambda: is_protected[0],
                    clock=lambda: clock.now, wall=lambda: clock.wall)
    yield window, locker, clock, minutes, is_protected
    if locker.dialog is not None:
        locker.dialog.hide()
    QApplication.instance().removeEventFilter(locker)
    locker.timer.stop()


def _covered(window) -> bool:
    covers = [c for c in window.findChildren(QLabel) if c.text() == "CoachDesk is locked."]
    return any(c.isVisible() and c.parentWidget().geometry().contains(window.rect()) for c in covers)


def test_the_app_locks_after_the_idle_minutes_and_hides_every_name(qtbot, locked_app):
    window, locker, clock, _minutes, _protected = locked_app
    clock.advance(14 * 60, locker)
    assert not locker.locked
    clock.advance(60, locker)
    assert locker.locked and _covered(window)
    assert window.windowTitle() == "CoachDesk (locked)"
    assert locker.dialog.isVisible() and locker.dialog.isModal()
    locker.dialog.reject()  # Escape: still locked
    assert locker.locked and locker.dialog.isVisible()
    _type(qtbot, locker.dialog, "wrong passphrase")
    assert locker.locked and locker.dialog.error.isVisible()
    _type(qtbot, locker.dialog, PASSPHRASE)
    assert not locker.locked and not _covered(window)
    assert window.windowTitle() == f"CoachDesk — {NAME}"


def test_input_keeps_the_app_open_and_waking_from_sleep_locks_it(qtbot, locked_app):
    window, locker, clock, _minutes, _protected = locked_app
    clock.advance(10 * 60, locker)
    qtbot.keyClick(window, Qt.Key.Key_A)  # someone is working
    clock.advance(10 * 60, locker)
    assert not locker.locked
    clock.advance(3 * 3600, asleep=True)  # the lid was closed for three hours
    locker.tick()
    assert locker.locked


def test_ctrl_shift_l_locks_at_once(qtbot, locked_app):
    window, locker, *_ = locked_app
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: locker.locked)


def test_never_locks_without_a_passphrase_or_when_set_to_never(qtbot, locked_app):
    _window, locker, clock, minutes, is_protected = locked_app
    minutes[0] = 0
    clock.advance(3 * 3600, locker)
    assert not locker.locked
    is_protected[0] = False
    minutes[0] = 1
    clock.advance(3600, asleep=True)
    locker.tick()
    locker.lock()
    assert not locker.locked


def test_start_asks_for_the_passphrase_and_quitting_opens_nothing(qtbot, protected, monkeypatch):
    asked = []
    monkeypatch.setattr(app_module, "ask_unlock", lambda parent, path: asked.append(path) or None)
    monkeypatch.delenv("COACHDESK_PASSPHRASE", raising=False)
    with pytest.raises(app_module.Quit):
        app_module.passphrase_at_start(None, protected)
    assert asked == [protected]
    monkeypatch.setenv("COACHDESK_PASSPHRASE", PASSPHRASE)
    assert app_module.passphrase_at_start(None, protected).passphrase == PASSPHRASE


def test_the_first_start_offers_a_passphrase_for_the_new_database(qtbot, tmp_path, monkeypatch):
    offered = []
    monkeypatch.setattr(app_module, "offer_passphrase", lambda parent: offered.append(1) or Secret(PASSPHRASE))
    secret = app_module.passphrase_at_start(None, tmp_path / "new.sqlite")
    assert offered == [1]
    with open_workspace(tmp_path / "new.sqlite", secret=secret):
        pass
    assert is_encrypted(tmp_path / "new.sqlite")


def _mentees(context) -> int:
    with context.db.read() as session:
        return count_live(session, Mentee)


def test_settings_sets_changes_and_removes_the_passphrase_while_the_app_runs(qtbot, ui_context, monkeypatch):
    generate_demo(ui_context.db, mentees=4, seed=1)
    path = ui_context.db.path
    page = SettingsPage(ui_context)
    qtbot.addWidget(page)
    page.show()
    assert "Not protected" in page.protection_status.text()
    assert page.set_passphrase_button.isVisible() and not page.change_passphrase_button.isVisible()
    answers = [(None, Secret(PASSPHRASE)), (Secret(PASSPHRASE), Secret("a second passphrase")),
               (Secret("a second passphrase"), None)]
    monkeypatch.setattr(settings_view, "ask_protection", lambda parent, action, path: answers.pop(0))

    qtbot.mouseClick(page.set_passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now encrypted" in page.status.text(), timeout=20000)
    assert is_encrypted(path) and ui_context.db.secret.passphrase == PASSPHRASE
    assert _mentees(ui_context) == 4  # the open app reads the encrypted file
    assert page.change_passphrase_button.isVisible() and page.lock_now_button.isVisible()
    assert "encrypted with a passphrase" in page.protection_status.text()

    qtbot.mouseClick(page.change_passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not answers[1:], timeout=20000)
    qtbot.waitUntil(lambda: ui_context.db.secret.passphrase == "a second passphrase", timeout=20000)
    assert protection.check_passphrase(path, Secret("a second passphrase"))
    with ui_context.db.write() as session:  # and writes to it
        session.add(Mentee(name="Written after the change", kind="person"))
    assert _mentees(ui_context) == 5

    qtbot.mouseClick(page.remove_passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no longer encrypted" in page.status.text(), timeout=20000)
    assert not is_encrypted(path) and ui_context.db.secret is None
    assert _mentees(ui_context) == 5
    assert "Not protected" in page.protection_status.text()


def test_the_lock_minutes_are_saved(qtbot, ui_context):
    from coachdesk.services.settings import load_settings

    page = SettingsPage(ui_context)
    qtbot.addWidget(page)
    page.show()
    assert page.lock_after.value() == 15
    page.lock_after.setValue(0)
    assert page.lock_after.text() == "Never"
    page.save()
    assert load_settings().lock_after_minutes == 0 and ui_context.settings.lock_after_minutes == 0


PROBE = """
import subprocess, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from coachdesk.ui.lock import Locker

app = QApplication([])
window = QLabel("Imani Wekesa")
window.show()
locker = Locker(lambda: window, Path(sys.argv[1]), minutes=lambda: 15, protected=lambda: True)
QTimer.singleShot(300, lambda: subprocess.run(
    ["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
     "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"], check=True))
QTimer.singleShot(3000, app.quit)
app.exec()
print("locked" if locker.locked else "open")
"""


def test_the_desktop_locking_the_screen_locks_the_app(tmp_path, protected):
    """The screen saver's ActiveChanged signal on a real (private) D-Bus session bus locks the app; quitting
    the app while it is locked is never refused."""
    import os
    import shutil
    import subprocess
    import sys

    if not (shutil.which("dbus-run-session") and shutil.which("dbus-send")):
        pytest.skip("needs dbus-run-session and dbus-send (Debian package dbus) to start a private session bus")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(["dbus-run-session", "--", sys.executable, "-c", PROBE, str(protected)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "locked"
