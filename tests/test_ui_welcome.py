"""The first start: the welcome wizard, driven as a person would (keys, typing, clicks), and the
sample data it offers, explored and removed in the running app."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWizard

from coachdesk.i18n import _
from coachdesk.model import Mentee
from coachdesk.paths import data_dir, default_database
from coachdesk.services import samples
from coachdesk.services.hub import init_hub
from coachdesk.services.settings import Settings, load_settings, settings_path
from coachdesk.services.team import team_status
from coachdesk.services.workspace import open_workspace
from coachdesk.store.cipher import Secret, is_encrypted
from coachdesk.store.database import count_live
from coachdesk.ui import app as app_module
from coachdesk.ui.app import apply_language
from coachdesk.ui.dialogs import welcome as welcome_module
from coachdesk.ui.dialogs.welcome import ABOUT_YOU, EXPLORE, PASSPHRASE, TEAM, WelcomeWizard
from coachdesk.ui.main_window import MainWindow

PASSPHRASE_TEXT = "lantern over the river"
ARABIC = re.compile("[\u0600-\u06ff]")
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def app():
    app = QApplication.instance()
    yield app
    apply_language(app, Settings(language="en"))  # the next test starts in English, left to right


def _wizard(qtbot, app, settings=None) -> WelcomeWizard:
    settings = settings if settings is not None else Settings()
    wizard = WelcomeWizard(settings, default_database(),
                           lambda code: apply_language(app, replace(settings, language=code)))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _click(qtbot, wizard, which) -> None:
    qtbot.mouseClick(wizard.button(which), LEFT)


def _next(qtbot, wizard) -> None:
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _pick_language(qtbot, wizard, native: str) -> None:
    """Arrow keys through the list, as a person would, until ``native`` is chosen."""
    languages = wizard.language.languages
    languages.setFocus()
    qtbot.keyClick(languages, Qt.Key.Key_Home)
    while languages.currentItem().text() != native:
        row = languages.currentRow()
        qtbot.keyClick(languages, Qt.Key.Key_Down)
        assert languages.currentRow() == row + 1, f"{native} is not in the list"


def _choose(qtbot, radio) -> None:
    """Click a choice on its round mark, at the side the language reads from."""
    rect = radio.rect()
    x = rect.right() - 8 if radio.layoutDirection() == Qt.LayoutDirection.RightToLeft else rect.left() + 8
    qtbot.mouseClick(radio, LEFT, pos=QPoint(x, rect.center().y()))
    assert radio.isChecked()


def _type(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def _to_page(qtbot, wizard, page_id: int) -> None:
    """Forward with the defaults, choosing Not now for the passphrase."""
    while wizard.currentId() != page_id:
        if wizard.currentId() == PASSPHRASE:
            _choose(qtbot, wizard.passphrase.not_now)
        _next(qtbot, wizard)


def test_choosing_arabic_turns_the_wizard_right_to_left_and_into_arabic_at_once(qtbot, app):
    wizard = _wizard(qtbot, app)
    assert wizard.language.caption.text() == "&Language:"
    assert [wizard.language.languages.item(i).text() for i in range(8)] == [
        "English", "Español", "Français", "Português (Brasil)", "العربية", "हिन्दी", "Kiswahili", "Bahasa Indonesia"]

    _pick_language(qtbot, wizard, "العربية")

    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert wizard.language.caption.text() == "ال&لغة:"  # the same wizard, its texts again, now Arabic
    assert ARABIC.search(wizard.button(QWizard.WizardButton.NextButton).text())  # Qt's own buttons too
    assert ARABIC.search(wizard.button(QWizard.WizardButton.CancelButton).text())
    _next(qtbot, wizard)
    assert wizard.currentId() == ABOUT_YOU
    assert ARABIC.search(wizard.about_you.role_caption.text()) and ARABIC.search(wizard.about_you.role.currentText())
    assert ARABIC.search(wizard.about_you.device_hint.text())
    _next(qtbot, wizard)
    assert wizard.passphrase.protect.text() == "&حماية بياناتي"
    assert ARABIC.search(wizard.passphrase.why.text()) and ARABIC.search(wizard.passphrase.forgotten.text())
    # The passphrase fields stand to the left of their captions, as Arabic reads.
    assert wizard.passphrase.first.mapTo(wizard, wizard.passphrase.first.rect().topLeft()).x() < \
        wizard.passphrase.first_caption.mapTo(wizard, wizard.passphrase.first_caption.rect().topLeft()).x()

    _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    _pick_language(qtbot, wizard, "English")
    assert wizard.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert wizard.language.caption.text() == "&Language:"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Next >"


def test_finishing_keeps_name_role_and_language_and_the_passphrase_encrypts_the_new_database(qtbot, app):
    wizard = _wizard(qtbot, app)
    _pick_language(qtbot, wizard, "Français")
    _next(qtbot, wizard)
    about = wizard.about_you
    assert about.device_name.text()  # the computer's own name, to keep or change
    _type(qtbot, about.user_name, "Grace  Mensah ")
    about.role.setFocus()
    qtbot.keyClick(about.role, Qt.Key.Key_Down)
    qtbot.keyClick(about.role, Qt.Key.Key_Down)
    assert about.role.currentData() == "trainer"
    _type(qtbot, about.device_name, "field-laptop")
    _next(qtbot, wizard)

    page = wizard.passphrase
    assert wizard.currentId() == PASSPHRASE and page.protect.isChecked()  # recommended, so chosen
    _type(qtbot, page.first, "short")
    _type(qtbot, page.again, "short")
    qtbot.keyClick(page.again, Qt.Key.Key_Return)
    assert wizard.currentId() == PASSPHRASE and page.error.isVisible()
    assert "8" in page.error.text()
    _type(qtbot, page.first, PASSPHRASE_TEXT)
    _type(qtbot, page.again, PASSPHRASE_TEXT + "!")
    qtbot.keyClick(page.again, Qt.Key.Key_Return)
    assert wizard.currentId() == PASSPHRASE
    assert page.error.isVisible()
    assert page.error.text() == _("The two passphrases differ; type the same one twice.")  # in French
    assert page.error.text() != "The two passphrases differ; type the same one twice."
    _type(qtbot, page.again, PASSPHRASE_TEXT)
    qtbot.keyClick(page.again, Qt.Key.Key_Return)
    assert wizard.currentId() == TEAM and wizard.team.alone.isChecked()
    _next(qtbot, wizard)
    assert wizard.currentId() == EXPLORE and wizard.explore.own.isChecked()
    assert not default_database().exists()  # nothing is made before Finish
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.result() == QWizard.DialogCode.Accepted
    welcome = wizard.welcome
    with welcome.database as db:
        assert db.path == default_database() and db.secret.passphrase == PASSPHRASE_TEXT
    assert is_encrypted(default_database())
    kept = load_settings()
    assert (kept.language, kept.user_name, kept.role, kept.device_name) == ("fr", "Grace Mensah", "trainer",
                                                                            "field-laptop")
    assert not kept.exploring_sample
    assert PASSPHRASE_TEXT not in settings_path().read_text(encoding="utf-8")


def test_not_now_makes_a_plain_database(qtbot, app):
    wizard = _wizard(qtbot, app)
    _to_page(qtbot, wizard, EXPLORE)
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    with wizard.welcome.database as db:
        assert db.secret is None
    assert default_database().exists() and not is_encrypted(default_database())


def test_a_bad_invitation_is_said_in_one_sentence_and_the_page_stays(qtbot, app, tmp_path, monkeypatch):
    junk = tmp_path / "team.cdteam"
    junk.write_text("not an invitation", encoding="utf-8")
    hub = tmp_path / "hub"
    init_hub(hub, "Kano circuit")
    chosen = [junk]
    monkeypatch.setattr(welcome_module, "choose_invitation", lambda parent: chosen[0])
    wizard = _wizard(qtbot, app)
    _to_page(qtbot, wizard, TEAM)
    team = wizard.team

    _choose(qtbot, team.join)  # choosing to join asks for the file at once
    assert team.error.isVisible()
    assert team.error.text() == "team.cdteam is not a CoachDesk team invitation."
    _next(qtbot, wizard)
    assert wizard.currentId() == TEAM and team.error.isVisible()

    chosen[0] = hub / "invitation.cdteam"
    qtbot.mouseClick(team.choose_button, LEFT)
    assert not team.error.isVisible() and "Kano circuit" in team.chosen.text()
    _next(qtbot, wizard)
    assert wizard.currentId() == EXPLORE
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    with wizard.welcome.database as db, db.read() as session:
        assert team_status(session).team == "Kano circuit"


def test_closing_the_wizard_writes_nothing_and_starts_with_the_defaults(qtbot, app, monkeypatch):
    def ask(parent, path, settings):
        wizard = WelcomeWizard(settings, path, lambda code: apply_language(app, replace(settings, language=code)),
                               parent)
        qtbot.addWidget(wizard)
        wizard.show()
        _pick_language(qtbot, wizard, "العربية")
        _next(qtbot, wizard)
        _type(qtbot, wizard.about_you.user_name, "Grace Mensah")
        qtbot.keyClick(wizard.about_you.user_name, Qt.Key.Key_Escape)
        assert not wizard.isVisible()
        return wizard.welcome

    monkeypatch.setattr(app_module, "ask_welcome", ask)
    settings = Settings()
    window = MainWindow(default_database().name, settings)
    qtbot.addWidget(window)
    db, exploring = app_module.open_at_start(app, window, default_database(), settings)
    with db:
        assert db.secret is None and exploring is None
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight  # the start's language again
    assert not settings_path().exists() and settings == Settings()
    assert default_database().exists() and not is_encrypted(default_database())


def test_the_wizard_is_not_shown_once_a_database_exists(qtbot, app, monkeypatch):
    monkeypatch.setattr(app_module, "ask_welcome", lambda *args: pytest.fail("the wizard was shown"))
    with open_workspace(default_database()):
        pass
    settings = Settings()
    window = MainWindow(default_database().name, settings)
    qtbot.addWidget(window)
    db, exploring = app_module.open_at_start(app, window, default_database(), settings)
    with db:
        assert db.path == default_database() and exploring is None


def _mentees(db) -> int:
    with db.read() as session:
        return count_live(session, Mentee)


def test_exploring_sample_data_then_removing_it_opens_an_empty_database_of_ones_own(qtbot, app, monkeypatch):
    def ask(parent, path, settings):
        wizard = WelcomeWizard(settings, path, parent=parent)
        qtbot.addWidget(wizard)
        wizard.show()
        _next(qtbot, wizard)
        _type(qtbot, wizard.about_you.user_name, "Grace Mensah")
        _next(qtbot, wizard)
        _type(qtbot, wizard.passphrase.first, PASSPHRASE_TEXT)
        _type(qtbot, wizard.passphrase.again, PASSPHRASE_TEXT)
        _next(qtbot, wizard)
        _next(qtbot, wizard)
        _choose(qtbot, wizard.explore.explore)
        assert "passphrase" in wizard.explore.explore_hint.text()
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
        return wizard.welcome

    monkeypatch.setattr(app_module, "ask_welcome", ask)
    settings = Settings()
    own = default_database()
    window = MainWindow(own.name, settings)
    qtbot.addWidget(window)
    window.show()
    shells = []
    db, exploring = app_module.open_at_start(app, window, own, settings)
    window = app_module.window_for(window, "en", db, settings)
    qtbot.addWidget(window)
    shell = app_module.start_workspace(app, window, db, settings, exploring, shells)

    assert db.path == samples.sample_database() and _mentees(db) == samples.SAMPLE_MENTEES
    assert not own.exists()  # the real database is not made while exploring
    assert load_settings().exploring_sample and load_settings().user_name == "Grace Mensah"
    banner = window.sample_banner
    assert banner.isVisible() and banner.title.text() == "You are exploring sample data."
    assert banner.mapTo(window, banner.rect().topLeft()).y() < window.navigation.mapTo(window,
                                                                                        window.navigation.rect().topLeft()).y()
    assert not window.page("sync").join_button.isEnabled()  # the sample never joins a team
    assert window.windowTitle() == "CoachDesk — sample.sqlite"

    settings.language = "ar"  # Settings rebuilds the window in another language: the bar stays
    shell.context.navigator.language_changed.emit("ar")
    qtbot.addWidget(shell.window)
    assert shell.window is not window and shell.window.sample_banner.isVisible()
    assert not shell.window.page("sync").join_button.isEnabled()
    settings.language = "en"
    shell.context.navigator.language_changed.emit("en")
    qtbot.addWidget(shell.window)
    window, banner = shell.window, shell.window.sample_banner

    asked = []
    monkeypatch.setattr(app_module, "ask_remove_sample", lambda parent: asked.append(1) or False)
    qtbot.mouseClick(banner.remove_button, LEFT)
    assert asked == [1] and shells == [shell] and samples.sample_database().exists()  # changed their mind

    monkeypatch.setattr(app_module, "ask_remove_sample", lambda parent: True)
    qtbot.mouseClick(banner.remove_button, LEFT)

    assert len(shells) == 2
    mine = shells[-1]
    qtbot.addWidget(mine.window)
    try:
        assert mine.context.db.path == own and own.exists() and _mentees(mine.context.db) == 0
        assert is_encrypted(own) and mine.context.db.secret.passphrase == PASSPHRASE_TEXT
        assert sorted(p.name for p in data_dir().glob("sample*")) == []
        assert not load_settings().exploring_sample
        assert mine.window.isVisible() and not window.isVisible()
        assert getattr(mine.window, "sample_banner", None) is None
        assert mine.window.windowTitle() == f"CoachDesk — {own.name}"
    finally:
        app_module.retire(mine)


def test_a_later_start_while_exploring_opens_the_sample_and_asks_for_the_passphrase_at_removal(qtbot, app,
                                                                                              monkeypatch):
    samples.create_sample(mentees=3).close()
    settings = Settings(exploring_sample=True)
    monkeypatch.setattr(app_module, "ask_welcome", lambda *args: pytest.fail("the wizard was shown"))
    offered = []
    monkeypatch.setattr(app_module, "offer_passphrase", lambda parent: offered.append(1) or Secret(PASSPHRASE_TEXT))
    monkeypatch.setattr(app_module, "ask_remove_sample", lambda parent: True)
    window = MainWindow("sample.sqlite", settings)
    qtbot.addWidget(window)
    window.show()
    shells = []
    db, exploring = app_module.open_at_start(app, window, default_database(), settings)
    shell = app_module.start_workspace(app, window, db, settings, exploring, shells)
    assert db.path == samples.sample_database() and _mentees(db) == 3

    app_module.remove_sample_data(app, shell, settings, exploring, shells)

    mine = shells[-1]
    qtbot.addWidget(mine.window)
    try:
        assert offered == [1] and is_encrypted(default_database())
        assert not samples.sample_database().exists()
    finally:
        app_module.retire(mine)


def test_a_sample_that_went_away_is_forgotten_and_the_first_start_comes_back(qtbot, app, monkeypatch):
    shown = []
    monkeypatch.setattr(app_module, "ask_welcome", lambda *args: shown.append(1) or None)
    settings = Settings(exploring_sample=True)
    window = MainWindow(default_database().name, settings)
    qtbot.addWidget(window)
    db, exploring = app_module.open_at_start(app, window, default_database(), settings)
    with db:
        assert shown == [1] and db.path == default_database() and exploring is None
    assert not load_settings().exploring_sample
