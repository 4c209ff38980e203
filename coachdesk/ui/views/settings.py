"""The Settings page: language (and so text direction), who is using CoachDesk, this device, where data lives."""

from __future__ import annotations

import socket

from PySide6.QtCore import QSignalBlocker, QTimer, QUrl
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, language_name
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
        self.save_button = QPushButton(_("&Save"))
        self.status = quiet(wrapped())

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_folder, 1)
        folder_row.addWidget(self.open_folder_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = (
            (_("&Language:"), self.language, _("CoachDesk starts again in this language; Arabic reads right to left.")),
            (_("Your &name:"), self.user_name, ""),
            (_("Your &role:"), self.role, ""),
            (_("&Device name:"), self.device_name, _("How your team will know this laptop when you sync.")),
            (_("Data &folder:"), folder_row, _("The database, its backups and unsaved drafts are kept here.")),
            (_("Data&base file:"), self.database_file, ""),
        )
        for caption, field, hint in rows:
            label = QLabel(caption)
            label.setBuddy(field if isinstance(field, QWidget) else field.itemAt(0).widget())
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
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.save_button.clicked.connect(self.save)
        self.open_folder_button.clicked.connect(lambda: page_parts.open_url(QUrl.fromLocalFile(str(data_dir()))))
        self.save_button.setEnabled(False)
        page_parts.tab_order(self.language, self.user_name, self.role, self.device_name, self.data_folder,
                             self.open_folder_button, self.database_file, self.save_button)

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
        previous = (settings.language, settings.user_name, settings.role, settings.device_name)
        settings.language = self.language.currentData() or ""
        settings.user_name = " ".join(self.user_name.text().split())
        settings.role = self.role.currentData() or "coach"
        settings.device_name = " ".join(self.device_name.text().split())
        try:
            save_settings(settings)
        except OSError as error:
            settings.language, settings.user_name, settings.role, settings.device_name = previous
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
