"""The bar across the main window while sample data is open: what it is, and one click to remove it."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coachdesk.i18n import _


class SampleBanner(QFrame):
    """In the tooltip's colours, which every palette (dark ones too) makes stand apart from the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sample_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.title = QLabel(_("You are exploring sample data."))
        self.title.setObjectName("sample_banner_title")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(_("The mentees here are made up. Nothing is synced, and none of it goes into your own "
                               "database."))
        self.detail.setWordWrap(True)
        for label in (self.title, self.detail):
            label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.remove_button = QPushButton(_("Re&move the sample data"))
        self.remove_button.setObjectName("remove_sample_button")
        self.remove_button.setToolTip(_("Deletes the sample and opens your own database."))
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title)
        texts.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(texts, 1)
        layout.addWidget(self.remove_button)
        self.setAccessibleName(_("You are exploring sample data."))
