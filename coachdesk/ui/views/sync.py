"""The Sync page, for now an honest status: this device works alone until team sync arrives."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from coachdesk.i18n import _, format_datetime
from coachdesk.ui.context import UiContext
from coachdesk.ui.views.page_parts import heading, quiet, wrapped


def last_sync_text(iso: str) -> str:
    if not iso:
        return _("Never")
    try:
        return format_datetime(datetime.fromisoformat(iso), "medium")
    except ValueError:  # a hand-edited settings file
        return iso


class SyncPage(QWidget):
    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.status = wrapped(_("This device is not part of a team yet."))
        self.device = QLabel()
        self.last_sync = QLabel()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Device name:"), self.device)
        form.addRow(_("Last sync:"), self.last_sync)
        self.later = quiet(wrapped(_("Sending your work to your program and receiving theirs (export and import) "
                                     "will arrive with team sync. Until then everything stays on this laptop.")))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Sync")))
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.later)
        layout.addStretch(1)
        context.navigator.settings_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        settings = self.context.settings
        self.device.setText(settings.effective_device_name())
        self.last_sync.setText(last_sync_text(settings.last_sync))

    def activated(self) -> None:
        self.refresh()
