"""The welcome wizard of the very first start: language, who you are, a passphrase, a team, and an
offer to look around with sample data first.

Every text is set in ``retranslate``, so choosing a language on the first page turns the wizard
into that language at once, right to left where it reads so. Nothing is written until Finish:
closing the wizard (Escape) leaves everything as it was.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coachdesk.errors import CoachDeskError, PassphraseError
from coachdesk.i18n import _, current_language, isolated, set_language, text_direction
from coachdesk.model import CoachRole
from coachdesk.services import vocabulary
from coachdesk.services.samples import SAMPLE_MENTEES
from coachdesk.services.settings import Settings, save_settings
from coachdesk.store.cipher import MIN_PASSPHRASE, Secret, check_new_passphrase
from coachdesk.store.database import Database
from coachdesk.ui.lock import FORGOTTEN, WHY, _error_label, _password_field
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import quiet, wrapped
from coachdesk.ui.views.settings import LANGUAGES, native_name

LANGUAGE, ABOUT_YOU, PASSPHRASE, TEAM, EXPLORE = range(5)


def choose_invitation(parent: QWidget) -> Path | None:
    """The team invitation file the person picks (tests answer this without a modal loop)."""
    from coachdesk.ui.views.sync import choose_invitation_path

    return choose_invitation_path(parent)


@dataclass
class Welcome:
    """What the wizard leaves the app: the database to work on, already open, and — while the person
    explores the sample — what waits for their own database until the sample is removed."""

    database: Database
    exploring: bool = False
    #: The passphrase chosen for the person's own database (None: not now).
    secret: Secret | None = None
    #: The team to join with the person's own database (None: working alone).
    invitation: Path | None = None
    #: One sentence when the team could not be joined after the database was made.
    join_error: str = ""


def switch_language(code: str) -> None:
    """Speak ``code`` in this window and mirror it where the language reads right to left."""
    set_language(code)
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction() == "rtl"
                                    else Qt.LayoutDirection.LeftToRight)


def _offered(code: str) -> str:
    """The offered language closest to ``code`` (``fr`` for ``fr_SN``), else English."""
    for candidate in (code, code.split("_")[0]):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _indented(*parts: QWidget | QVBoxLayout | QHBoxLayout | QFormLayout) -> QHBoxLayout:
    """``parts`` under the choice they belong to, set in from the side the language reads from."""
    column = QVBoxLayout()
    for part in parts:
        if isinstance(part, QWidget):
            column.addWidget(part)
        else:
            column.addLayout(part)
    row = QHBoxLayout()
    row.addSpacing(24)  # a box layout mirrors in right-to-left; contents margins would not
    row.addLayout(column, 1)
    return row


class LanguagePage(QWizardPage):
    """The languages, each in its own words; a choice applies at once."""

    def __init__(self, current: str) -> None:
        super().__init__()
        self.languages = QListWidget()
        self.languages.setObjectName("welcome_languages")
        # Devanagari and Arabic letters reach higher and lower than Latin ones: every row gets their room.
        row_height = max(self.languages.sizeHintForRow(0), round(self.languages.fontMetrics().height() * 1.6))
        for code in LANGUAGES:
            item = QListWidgetItem(native_name(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setSizeHint(QSize(self.languages.fontMetrics().horizontalAdvance(item.text()) + 16, row_height))
            self.languages.addItem(item)
        self.languages.setCurrentRow(LANGUAGES.index(_offered(current)))
        self.languages.setFixedHeight(row_height * len(LANGUAGES) + 2 * self.languages.frameWidth() + 2)
        self.languages.setMaximumWidth(360)
        self.caption = _caption("", self.languages)
        self.later = quiet(wrapped())
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.languages)
        layout.addWidget(self.later)
        layout.addStretch(1)

    def code(self) -> str:
        item = self.languages.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "en"

    def retranslate(self) -> None:
        self.setTitle(_("Welcome to CoachDesk"))
        self.setSubTitle(_("A few questions and you are ready to work. Everything can be changed later in "
                           "Settings."))
        self.caption.setText(_("&Language:"))
        self.languages.setAccessibleName(_("Language"))
        self.later.setText(_("CoachDesk speaks the language you choose at once; Arabic reads right to left."))


class AboutYouPage(QWizardPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.user_name = QLineEdit(settings.user_name)
        self.user_name.setMaxLength(200)
        self.user_name.setObjectName("welcome_user_name")
        self.role = QComboBox()
        self.role.setObjectName("welcome_role")
        self._role = settings.role
        self.device_name = QLineEdit(settings.device_name or socket.gethostname())
        self.device_name.setMaxLength(200)
        self.device_name.setObjectName("welcome_device_name")
        self.name_caption = _caption("", self.user_name)
        self.role_caption = _caption("", self.role)
        self.device_caption = _caption("", self.device_name)
        self.name_hint = quiet(wrapped())
        self.device_hint = quiet(wrapped())
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.name_caption, self._with_hint(self.user_name, self.name_hint))
        form.addRow(self.role_caption, self.role)
        form.addRow(self.device_caption, self._with_hint(self.device_name, self.device_hint))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        self.role.currentIndexChanged.connect(lambda _i: setattr(self, "_role", self.role.currentData() or "coach"))

    @staticmethod
    def _with_hint(field: QWidget, hint: QLabel) -> QVBoxLayout:
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(field)
        holder.addWidget(hint)
        return holder

    def retranslate(self) -> None:
        self.setTitle(_("About you"))
        self.setSubTitle(_("Your name goes with your work when you sync, so your team knows who wrote what."))
        # Captions whose mnemonics do not clash with the wizard's own Next (Alt+N) and Back (Alt+B).
        self.name_caption.setText(_("Your na&me:"))
        self.role_caption.setText(_("Your &role:"))
        self.device_caption.setText(_("&Device name:"))
        self.name_hint.setText(_("As your team knows you, for example “Grace Mensah”."))
        self.device_hint.setText(_("How your team will know this laptop when you sync."))
        role = self._role
        self.role.blockSignals(True)
        self.role.clear()
        for value, text in vocabulary.choices(CoachRole):
            self.role.addItem(text, str(value))
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.role.blockSignals(False)
        for caption, field in ((self.name_caption, self.user_name), (self.role_caption, self.role),
                               (self.device_caption, self.device_name)):
            field.setAccessibleName(caption.text().replace("&", "").rstrip(":"))


class PassphrasePage(QWizardPage):
    """A passphrase typed twice (recommended), or not now; checked as Settings checks it."""

    def __init__(self) -> None:
        super().__init__()
        self.secret: Secret | None = None
        self.why = wrapped()
        self.protect = QRadioButton()
        self.protect.setObjectName("welcome_protect")
        self.not_now = QRadioButton()
        self.not_now.setObjectName("welcome_not_now")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.protect)
        self.choice.addButton(self.not_now)
        self.protect.setChecked(True)
        self.first = _password_field()
        self.first.setObjectName("welcome_passphrase")
        self.again = _password_field()
        self.again.setObjectName("welcome_passphrase_again")
        self.first_caption = _caption("", self.first)
        self.again_caption = _caption("", self.again)
        self.hint = quiet(wrapped())
        self.later = quiet(wrapped())
        self.error = _error_label()
        self.forgotten = quiet(wrapped())
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.first_caption, self.first)
        form.addRow(self.again_caption, self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why)
        layout.addWidget(self.protect)
        layout.addLayout(_indented(form, self.hint, self.error))
        layout.addWidget(self.not_now)
        layout.addLayout(_indented(self.later))
        layout.addStretch(1)
        layout.addWidget(self.forgotten)
        self.protect.toggled.connect(self._chosen)
        page_parts.tab_order(self.protect, self.first, self.again, self.not_now)

    def _chosen(self, protect: bool) -> None:
        self.first.setEnabled(protect)
        self.again.setEnabled(protect)
        self.error.hide()
        if protect:
            self.first.setFocus()

    def initializePage(self) -> None:
        if self.protect.isChecked():
            self.first.setFocus()

    def retranslate(self) -> None:
        self.setTitle(_("Protect the people in your records"))
        self.setSubTitle(_("Recommended. CoachDesk then asks for it when it starts and when it has locked itself."))
        self.why.setText(_(WHY))
        self.protect.setText(_("&Protect my data"))
        self.not_now.setText(_("N&ot now"))
        self.first_caption.setText(_("New pass&phrase:"))
        self.again_caption.setText(_("&Again:"))
        for caption, field in ((self.first_caption, self.first), (self.again_caption, self.again)):
            field.setAccessibleName(caption.text().replace("&", "").rstrip(":"))
        self.hint.setText(_("At least {count} characters. A few unrelated words you will remember are strong "
                            "and easy to type.").format(count=MIN_PASSPHRASE))
        self.later.setText(_("You can set one later in Settings; until then, anyone who has this laptop can read "
                             "your notes."))
        self.forgotten.setText(_(FORGOTTEN))
        self.error.setAccessibleName(_("Error"))

    def validatePage(self) -> bool:
        if self.not_now.isChecked():
            self.secret = None
            return True
        try:
            secret = check_new_passphrase(self.first.text())
        except PassphraseError as error:
            self._refuse(str(error), self.first)
            return False
        if self.again.text() != self.first.text():
            self._refuse(_("The two passphrases differ; type the same one twice."), self.again)
            return False
        self.error.hide()
        self.secret = secret
        return True

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.secret = None
        self.error.setText(text)
        self.error.show()
        field.selectAll()
        field.setFocus()


class TeamPage(QWizardPage):
    """Work alone (the default) or join a team with the hub's invitation, read at once so a wrong
    file is said before anything is made."""

    def __init__(self) -> None:
        super().__init__()
        self.invitation: Path | None = None
        self.team = ""
        self.alone = QRadioButton()
        self.alone.setObjectName("welcome_alone")
        self.join = QRadioButton()
        self.join.setObjectName("welcome_join")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.alone)
        self.choice.addButton(self.join)
        self.alone.setChecked(True)
        self.alone_hint = quiet(wrapped())
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("welcome_choose_invitation")
        self.chosen = wrapped()
        self.chosen.setObjectName("welcome_team")
        self.error = _error_label()
        self.error.setObjectName("welcome_team_error")
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_button)
        choose_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alone)
        layout.addLayout(_indented(self.alone_hint))
        layout.addWidget(self.join)
        layout.addLayout(_indented(choose_row, self.chosen, self.error))
        layout.addStretch(1)
        self.join.toggled.connect(self._join_toggled)
        self.choose_button.clicked.connect(self.choose)
        self._join_toggled(False)

    def _join_toggled(self, join: bool) -> None:
        self.choose_button.setEnabled(join)
        self.error.hide()
        if join and self.invitation is None and self.isVisible():
            self.choose()

    def choose(self) -> None:
        from coachdesk.services.team import read_invitation

        path = choose_invitation(self)
        if path is None:
            return
        try:
            invitation = read_invitation(path)
        except CoachDeskError as error:
            self.invitation, self.team = None, ""
            self._refuse(str(error))
            self._show_chosen()
            return
        self.invitation, self.team = path, invitation.team
        self.error.hide()
        self._show_chosen()

    def _show_chosen(self) -> None:
        if self.invitation is None:
            self.chosen.setText("")
            self.chosen.hide()
            return
        self.chosen.setText(_("Team “{team}” ({file}): this device joins it when CoachDesk opens.").format(
            team=self.team, file=isolated(self.invitation.name)))
        self.chosen.show()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def retranslate(self) -> None:
        self.setTitle(_("Join a team"))
        self.setSubTitle(_("If your program has a hub, it gave you an invitation file (.cdteam). You can also join "
                           "later on the Sync page."))
        self.alone.setText(_("Work &alone for now"))
        self.alone_hint.setText(_("Everything stays on this laptop until you join a team."))
        self.join.setText(_("&Join a team with an invitation file…"))
        self.choose_button.setText(_("C&hoose the invitation file…"))
        self.error.setAccessibleName(_("Error"))
        self._show_chosen()

    def validatePage(self) -> bool:
        if self.join.isChecked() and self.invitation is None:
            if self.error.isHidden():
                self._refuse(_("Choose the invitation file your program's hub gave you, or work alone for now."))
            return False
        return True

    def chosen_invitation(self) -> Path | None:
        return self.invitation if self.join.isChecked() else None


class ExplorePage(QWizardPage):
    """An offer to look around with sample data first; Finish makes what was chosen."""

    def __init__(self, wizard: WelcomeWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.text = wrapped()
        self.own = QRadioButton()
        self.own.setObjectName("welcome_own_data")
        self.explore = QRadioButton()
        self.explore.setObjectName("welcome_explore")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.own)
        self.choice.addButton(self.explore)
        self.own.setChecked(True)
        self.own_hint = quiet(wrapped())
        self.explore_hint = quiet(wrapped())
        self.error = _error_label()
        self.error.setObjectName("welcome_finish_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        for button, hint in ((self.own, self.own_hint), (self.explore, self.explore_hint)):
            layout.addWidget(button)
            layout.addLayout(_indented(hint))
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.retranslate()  # the hints mention what the earlier pages chose

    def retranslate(self) -> None:
        self.setTitle(_("Look around first?"))
        self.setSubTitle(_("Try every page with sample data before you type in your own."))
        self.text.setText(_("The sample holds {count} made-up mentees with their sessions, assessments and plans. "
                            "It is kept in a file of its own and never synced; one click removes it and opens your "
                            "own, empty database.").format(count=SAMPLE_MENTEES))
        self.own.setText(_("&Start with my own data"))
        self.explore.setText(_("&Explore with sample data first"))
        self.own_hint.setText(_("CoachDesk opens your own database, empty and ready."))
        wizard = self.wizard_
        protect = wizard.passphrase.protect.isChecked()
        team = wizard.team.chosen_invitation() is not None
        if protect and team:
            self.explore_hint.setText(_("Your passphrase and your team apply to your own database when you remove "
                                        "the sample data."))
        elif protect:
            self.explore_hint.setText(_("Your passphrase applies to your own database when you remove the sample "
                                        "data."))
        elif team:
            self.explore_hint.setText(_("Your team is joined with your own database when you remove the sample "
                                        "data."))
        else:
            self.explore_hint.setText(_("A bar across the window reminds you, with the button that removes it."))
        self.error.setAccessibleName(_("Error"))

    def validatePage(self) -> bool:
        return self.wizard_.finish_setup()


class WelcomeWizard(QWizard):
    """The first start's questions. On Finish, the settings are saved and the database to work on is
    made and opened (``welcome``); on Cancel nothing is written."""

    def __init__(self, settings: Settings, database: Path,
                 on_language: Callable[[str], None] = switch_language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_wizard")
        self.settings = settings
        self.database_path = database
        self.on_language = on_language
        self.welcome: Welcome | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.language = LanguagePage(settings.language or current_language())
        self.about_you = AboutYouPage(settings)
        self.passphrase = PassphrasePage()
        self.team = TeamPage()
        self.explore = ExplorePage(self)
        for page_id, page in ((LANGUAGE, self.language), (ABOUT_YOU, self.about_you),
                              (PASSPHRASE, self.passphrase), (TEAM, self.team), (EXPLORE, self.explore)):
            self.setPage(page_id, page)
        self.chosen_language = self.language.code()
        self.retranslate()
        self.language.languages.currentRowChanged.connect(lambda _row: self.choose_language(self.language.code()))
        self.resize(640, 500)  # fits a netbook's 1024×600 screen with its panel

    @property
    def pages(self) -> tuple[QWizardPage, ...]:
        return (self.language, self.about_you, self.passphrase, self.team, self.explore)

    def choose_language(self, code: str) -> None:
        """Speak ``code`` from now on, in this wizard first."""
        if code == self.chosen_language:
            return
        self.chosen_language = code
        self.on_language(code)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if text_direction(code) == "rtl"
                                else Qt.LayoutDirection.LeftToRight)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to CoachDesk"))
        for page in self.pages:
            page.retranslate()  # type: ignore[attr-defined]
        # Qt's own buttons (Next, Back, Finish, Cancel): their texts again, from Qt's translations.
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                      QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton):
            self.button(which).setText(self.buttonText(which))

    # -- Finish

    def finish_setup(self) -> bool:
        """Save the answers and make the database to work on; on failure say why on the page and stay."""
        from coachdesk.services import samples
        from coachdesk.services.team import join_team, read_invitation
        from coachdesk.services.workspace import open_workspace

        settings = self.settings
        before = (settings.language, settings.user_name, settings.role, settings.device_name,
                  settings.exploring_sample)
        exploring = self.explore.explore.isChecked()
        secret = self.passphrase.secret if self.passphrase.protect.isChecked() else None
        invitation = self.team.chosen_invitation()
        settings.language = self.chosen_language
        settings.user_name = " ".join(self.about_you.user_name.text().split())
        settings.role = self.about_you.role.currentData() or "coach"
        device = " ".join(self.about_you.device_name.text().split())
        settings.device_name = device
        settings.exploring_sample = exploring
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if invitation is not None:
                read_invitation(invitation)  # still there and whole, before anything is made
            save_settings(settings)
            if exploring:
                db = samples.create_sample()
            else:
                db = open_workspace(self.database_path, daily_backup=False, secret=secret)
        except (CoachDeskError, OSError) as error:
            (settings.language, settings.user_name, settings.role, settings.device_name,
             settings.exploring_sample) = before
            try:
                save_settings(settings)  # as they were: a later start must not look for a sample never made
            except OSError:
                pass
            self.explore.error.setText(page_parts.error_text(_("Your settings"), error))
            self.explore.error.show()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        join_error = ""
        if invitation is not None and not exploring:
            try:
                join_team(db, invitation)
            except (CoachDeskError, OSError) as error:
                join_error = page_parts.error_text(_("Join a team"), error)
        self.welcome = Welcome(db, exploring=exploring, secret=secret, invitation=invitation, join_error=join_error)
        return True

