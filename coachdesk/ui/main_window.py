"""The main window: a shell that hosts pages. It holds layout only; pages bring their own behaviour."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from coachdesk.i18n import N_, _

PAGES = (N_("Today"), N_("Mentees"), N_("Sessions"), N_("Assessments"), N_("Plans"), N_("Toolbox"),
         N_("Funding"), N_("Requests"), N_("Sync"), N_("Reports"), N_("Settings"))


class MainWindow(QMainWindow):
    def __init__(self, database_name: str, counts: dict[str, int]) -> None:
        super().__init__()
        self.setWindowTitle(_("CoachDesk — {name}").format(name=database_name))
        self.navigation = QListWidget()
        self.navigation.setAccessibleName(_("Pages"))
        self.navigation.addItems([_(page) for page in PAGES])
        self.pages = QStackedWidget()
        for page in PAGES:
            self.pages.addWidget(self._overview(_(page), counts))
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.setCurrentRow(0)
        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 844])
        self.setCentralWidget(splitter)
        self.statusBar().showMessage(_("Database: {name}").format(name=database_name))
        self.resize(1024, 640)

    def _overview(self, title: str, counts: dict[str, int]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(f"<h2>{title}</h2>")
        layout.addWidget(heading)
        summary = QLabel(
            _("{mentees} mentees, {sessions} sessions, {assessments} assessments, {plans} plans.").format(**counts)
        )
        summary.setObjectName("summary")
        layout.addWidget(summary)
        layout.addStretch(1)
        return page
