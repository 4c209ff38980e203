"""The Settings page: language (and so text direction), who is using CoachDesk, this device, where data lives."""

from __future__ import annotations

import socket

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, language_name, pgettext
from coachdesk.model import CoachRole
from coachdesk.paths import data_dir
from coachdesk.services import vocabulary
from coachdesk.services.settings import save_settings
from coachdesk.ui.context import UiContext
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import heading, quiet, scrolled, wrapped

#: The languages CoachDesk offers, each shown in its own language.
LANGUAGES = ("en", "es", "fr", "pt_BR", "ar", "hi", "sw", "id")
#: Where the locale data's own name is not what speakers pick from a menu ("Indonesia" is also the country).
NATIVE_NAMES = {"id": "Bahasa Indonesia"}


def native_name(code: str) -> str:
    """The language's name in itself, capitalized as a menu entry: "Español", "Português (Brasil)"."""
    name = NATIVE_NAMES.get(code) or language_name(code, code)
    return name[:1].upper() + name[1:]
SAVE_DELAY_MS = 700


def ask_protection(parent: QWidget, action: str, path):  # type: ignore[no-untyped-def]
    """(old, new) passphrases for ``action`` ("set", "change", "remove"), None when cancelled.

    Tests answer this without a modal loop."""
    from coachdesk.ui.lock import ChoosePassphraseDialog, ConfirmPassphraseDialog

    if action == "remove":
        confirm = ConfirmPassphraseDialog(path, parent)
        return (confirm.secret, None) if confirm.exec() == ConfirmPassphraseDialog.DialogCode.Accepted else None
    title = _("Protect your data") if action == "set" else _("Change the passphrase")
    dialog = ChoosePassphraseDialog(parent, title, database=path, current=action == "change")
    if dialog.exec() != ChoosePassphraseDialog.DialogCode.Accepted:
        return None
    return dialog.old, dialog.secret


class SettingsPage(QWidget):
    """Changes are saved as they are made (after a short pause) or at once with Save."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        settings = context.settings
        self.language = QComboBox()
        self.language.addItem(_("System language"), "")
        for code in LANGUAGES:
            self.language.addItem(native_name(code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.user_name = QLineEdit(settings.user_name)
        self.user_name.setMaxLength(200)
        self.role = QComboBox()
        for role, text in vocabulary.choices(CoachRole):
            self.role.addItem(text, str(role))
        self.role.setCurrentIndex(max(0, self.role.findData(settings.role)))
        self.device_name = QLineEdit(settings.device_name)
        self.device_name.setMaxLength(200)
        self.device_name.setPlaceholderText(socket.gethostname())
        self.data_folder = QLineEdit(str(data_dir()))
        database = context.db.path
        self.database_file = QLineEdit(str(database) if database else context.db.name)
        for field in (self.data_folder, self.database_file):
            field.setReadOnly(True)
            field.setCursorPosition(0)
        self.open_folder_button = QPushButton(_("&Open folder"))
        self.protection_status = wrapped()
        self.protection_status.setObjectName("protection_status")
        self.set_passphrase_button = QPushButton(_("Set a &passphrase…"))
        self.change_passphrase_button = QPushButton(_("C&hange passphrase…"))
        self.remove_passphrase_button = QPushButton(_("Remo&ve passphrase…"))
        self.lock_now_button = QPushButton(_("Loc&k now"))
        self.lock_now_button.setToolTip(_("Ctrl+Shift+L"))
        self.lock_after = QSpinBox()
        self.lock_after.setRange(0, 240)
        self.lock_after.setSpecialValueText(pgettext("lock after", "Never"))
        self.lock_after.setValue(max(0, min(240, settings.lock_after_minutes)))
        self.lock_after.setAccessibleName(_("Minutes without use before CoachDesk locks"))
        self.save_button = QPushButton(_("&Save"))
        self.status = quiet(wrapped())

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_folder, 1)
        folder_row.addWidget(self.open_folder_button)
        protection_buttons = QHBoxLayout()
        for button in (self.set_passphrase_button, self.change_passphrase_button, self.remove_passphrase_button,
                       self.lock_now_button):
            protection_buttons.addWidget(button)
        protection_buttons.addStretch(1)
        protection_row = QVBoxLayout()
        protection_row.addWidget(self.protection_status)
        protection_row.addLayout(protection_buttons)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock_after)
        lock_row.addStretch(1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = (
            (_("&Language:"), self.language, _("CoachDesk starts again in this language; Arabic reads right to left.")),
            (_("Your &name:"), self.user_name, ""),
            (_("Your &role:"), self.role, ""),
            (_("&Device name:"), self.device_name, _("How your team will know this laptop when you sync.")),
            (_("Data &folder:"), folder_row, _("The database, its backups and unsaved drafts are kept here.")),
            (_("Data&base file:"), self.database_file, ""),
            (_("Passphrase:"), protection_row, ""),
            (_("Lock &after (minutes without use):"), lock_row,
             _("With a passphrase, CoachDesk also locks when the computer sleeps or the screen locks.")),
        )
        for caption, field, hint in rows:
            label = QLabel(caption)
            buddy = field if isinstance(field, QWidget) else field.itemAt(0).widget()
            label.setBuddy(buddy or self.set_passphrase_button)
            if hint:
                holder = QVBoxLayout()
                holder.setSpacing(2)
                if isinstance(field, QWidget):
                    holder.addWidget(field)
                else:
                    holder.addLayout(field)
                holder.addWidget(quiet(wrapped(hint)))
                form.addRow(label, holder)
            else:
                form.addRow(label, field)
        form.addRow(QLabel(_("Theme:")), wrapped(_("Theme follows your system's light or dark setting.")))
        self.language.setAccessibleName(_("Language"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(heading(_("Settings")))
        body_layout.addLayout(form)
        body_layout.addLayout(buttons)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(body))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        for edit in (self.user_name, self.device_name):
            edit.textEdited.connect(self._edited)
        self.role.currentIndexChanged.connect(self._edited)
        self.lock_after.valueChanged.connect(self._edited)
        self.set_passphrase_button.clicked.connect(lambda: self.protect("set"))
        self.change_passphrase_button.clicked.connect(lambda: self.protect("change"))
        self.remove_passphrase_button.clicked.connect(lambda: self.protect("remove"))
        self.lock_now_button.clicked.connect(self.lock_now)
        self.show_protection()
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.save_button.clicked.connect(self.save)
        self.open_folder_button.clicked.connect(lambda: page_parts.open_url(QUrl.fromLocalFile(str(data_dir()))))
        self.save_button.setEnabled(False)
        page_parts.tab_order(self.language, self.user_name, self.role, self.device_name, self.data_folder,
                             self.open_folder_button, self.database_file, self.set_passphrase_button,
                             self.change_passphrase_button, self.remove_passphrase_button, self.lock_now_button,
                             self.lock_after, self.save_button)

    # -- the passphrase

    def show_protection(self) -> None:
        db = self.context.db
        protected = db.secret is not None
        if db.path is None:
            self.protection_status.setText(_("This database is not a file on this computer."))
        elif protected:
            self.protection_status.setText(_("Your data is encrypted with a passphrase: the database, this "
                                             "device's keys and every backup."))
        else:
            self.protection_status.setText(_("Not protected: anyone who has this laptop can read the people's "
                                             "names and your notes. A passphrase is recommended."))
        self.set_passphrase_button.setVisible(not protected)
        self.set_passphrase_button.setEnabled(db.path is not None)
        self.change_passphrase_button.setVisible(protected)
        self.remove_passphrase_button.setVisible(protected)
        self.lock_now_button.setVisible(protected)

    def lock_now(self) -> None:
        if self.context.locker is not None:
            self.context.locker.lock()

    def protect(self, action: str) -> None:
        """Set, change or remove the passphrase: ask (see ``ask_protection``), then re-encrypt with progress."""
        path = self.context.db.path
        if path is None:
            return
        answer = ask_protection(self, action, path)
        if answer is None:
            return
        old, new = answer
        from coachdesk.services import protection

        if action == "set":
            def work(report):  # type: ignore[no-untyped-def]
                return protection.set_passphrase(path, new, report)
        elif action == "change":
            def work(report):  # type: ignore[no-untyped-def]
                return protection.change_passphrase(path, old, new, report)
        else:
            def work(report):  # type: ignore[no-untyped-def]
                return protection.remove_passphrase(path, old, report)
        self.run_protection(work, new)

    def run_protection(self, work, new) -> None:  # type: ignore[no-untyped-def]
        context, db = self.context, self.context.db
        context.folder_sync.timer.stop()
        context.tasks.wait_idle()
        progress = QProgressDialog(_("Encrypting your data…") if new else _("Decrypting your data…"), "", 0, 0, self)
        progress.setWindowTitle(_("Passphrase"))
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.show()
        before = (db.secret, db.key)

        def run(report):  # type: ignore[no-untyped-def]
            db.engine.dispose()  # on the single writer: no other write runs while files are replaced
            return work(report)

        def reopen(secret) -> None:  # type: ignore[no-untyped-def]
            key = secret.key_for(db.path) if secret is not None else None
            db.rebind(secret, key)
            progress.close()
            context.folder_sync.timer.start()
            self.show_protection()

        def done(result) -> None:  # type: ignore[no-untyped-def]
            reopen(new)
            text = (_("Your data is now encrypted with your passphrase.") if new else
                    _("The passphrase is removed; your data is no longer encrypted."))
            self.status.setText(" ".join(part for part in (text, result.skipped_text()) if part))

        def failed(error: BaseException) -> None:
            db.rebind(*before)
            progress.close()
            context.folder_sync.timer.start()
            self.show_protection()
            self.status.setText(page_parts.error_text(_("The passphrase"), error))
            page_parts.show_error(self, _("The passphrase"), error)

        task = context.tasks.long(run, title=_("Passphrase"), writes=True, announce=False, success=done,
                                  failure=failed)
        task.progressed.connect(lambda n, total, what: (progress.setRange(0, total), progress.setValue(n),
                                                        progress.setLabelText(what)))

    def _edited(self, *_args: object) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(_("Saving…"))
        self._timer.start()

    def _language_chosen(self) -> None:
        code = self.language.currentData() or ""
        if code == self.context.settings.language:
            return
        if self.save():
            # The shell rebuilds the window in the new language and direction; this page goes with it.
            self.context.navigator.language_changed.emit(code)

    def save(self) -> bool:
        """Copy the fields into the shared settings, write them, and tell the window; False if writing failed."""
        self._timer.stop()
        settings = self.context.settings
        previous = (settings.language, settings.user_name, settings.role, settings.device_name,
                    settings.lock_after_minutes)
        settings.lock_after_minutes = self.lock_after.value()
        settings.language = self.language.currentData() or ""
        settings.user_name = " ".join(self.user_name.text().split())
        settings.role = self.role.currentData() or "coach"
        settings.device_name = " ".join(self.device_name.text().split())
        try:
            save_settings(settings)
        except OSError as error:
            (settings.language, settings.user_name, settings.role, settings.device_name,
             settings.lock_after_minutes) = previous
            with QSignalBlocker(self.language):
                self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
            self.status.setText(page_parts.error_text(_("The settings"), error))
            page_parts.show_error(self, _("The settings"), error)
            return False
        self.save_button.setEnabled(False)
        self.status.setText(_("Saved."))
        self.context.navigator.settings_changed.emit()
        return True

    def has_unsaved_changes(self) -> bool:
        # Settings save themselves after a pause; when asked (the window is closing) end the pause now.
        return self._timer.isActive() and not self.save()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._timer.isActive():  # leaving the page (or closing the window) before the pause ended
            self.save()
        super().hideEvent(event)
