"""The main window: a shell that hosts pages, a sidebar, the global search and the status bar.

It holds layout and routes navigation requests; pages bring their own behaviour. Pages are
built the first time they are shown, so start-up costs only the first page.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from typing import TYPE_CHECKING

from coachdesk.i18n import N_, _, format_datetime
from coachdesk.services.settings import Settings

if TYPE_CHECKING:  # the database layers load after the first paint
    from coachdesk.ui.context import UiContext
    from coachdesk.ui.search_box import SearchBox


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # untranslated; translated when shown
    module: str
    cls: str


# The first ten keep Ctrl+1 … Ctrl+0 where people learned them; later pages are reached from the sidebar.
PAGES = (
    PageSpec("today", N_("Today"), "coachdesk.ui.views.today", "TodayPage"),
    PageSpec("mentees", N_("Mentees"), "coachdesk.ui.views.mentees", "MenteesPage"),
    PageSpec("sessions", N_("Sessions"), "coachdesk.ui.views.sessions", "SessionsPage"),
    PageSpec("assessments", N_("Assessments"), "coachdesk.ui.views.assessments", "AssessmentsPage"),
    PageSpec("plans", N_("Plans"), "coachdesk.ui.views.plans", "PlansPage"),
    PageSpec("toolbox", N_("Toolbox"), "coachdesk.ui.views.reference", "ToolboxPage"),
    PageSpec("funding", N_("Funding"), "coachdesk.ui.views.reference", "FundingPage"),
    PageSpec("requests", N_("Requests"), "coachdesk.ui.views.requests", "RequestsPage"),
    PageSpec("sync", N_("Sync"), "coachdesk.ui.views.sync", "SyncPage"),
    PageSpec("reports", N_("Reports"), "coachdesk.ui.views.reports", "ReportsPage"),
    PageSpec("templates", N_("Templates"), "coachdesk.ui.views.templates", "TemplatesPage"),
    PageSpec("builders", N_("Capacity builders"), "coachdesk.ui.views.builders", "BuildersPage"),
    PageSpec("settings", N_("Settings"), "coachdesk.ui.views.settings", "SettingsPage"),
)


class MainWindow(QMainWindow):
    """Built in two steps so the window paints before the database opens: the frame first
    (sidebar, status bar), then :meth:`attach` wires pages, search and navigation."""

    def __init__(self, database_name: str, settings: Settings) -> None:
        super().__init__()
        self.context: UiContext | None = None
        self.settings = settings
        self.database_name = database_name
        self.setWindowTitle(_("CoachDesk — {name}").format(name=database_name))
        self.setObjectName("main_window")

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(_("Pages"))
        for number, page in enumerate(PAGES, start=1):
            item = QListWidgetItem(_(page.title))
            if number <= 10:
                item.setToolTip(_("Ctrl+{number}").format(number=number % 10))
            self.navigation.addItem(item)
        self.navigation.setMinimumWidth(150)
        self.navigation.setMaximumWidth(220)
        self.pages = QStackedWidget()
        self._built: dict[str, QWidget] = {}
        for page in PAGES:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            holder.setObjectName(f"holder_{page.key}")
            self.pages.addWidget(holder)

        self.top = QWidget()
        top_layout = QHBoxLayout(self.top)
        top_layout.setContentsMargins(8, 6, 8, 6)
        top_layout.addStretch(1)
        self.search: SearchBox | None = None

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.top)
        right_layout.addWidget(self.pages, 1)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.navigation)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 850])
        self.setCentralWidget(splitter)

        self.database_label = QLabel()
        self.device_label = QLabel()
        self.sync_label = QLabel()
        for label in (self.database_label, self.device_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self.update_status()
        self.statusBar().showMessage(_("Opening the database…"))
        self.navigation.setEnabled(False)
        self.resize(1100, 700)
        self._build_menus()

    def attach(self, context: UiContext) -> None:
        """Connect the opened database: search, pages, navigation and shortcuts; show Today."""
        from coachdesk.ui.search_box import SearchBox

        self.context = context
        self.search = SearchBox(context.db)
        self.search.setMaximumWidth(520)
        self.search.mentee_chosen.connect(self.show_mentee)
        self.search.session_chosen.connect(self.show_session)
        self.top.layout().addWidget(self.search, 2)
        self.navigation.currentRowChanged.connect(self._show_row)
        context.navigator.page_requested.connect(self.show_page)
        context.navigator.mentee_requested.connect(self.show_mentee)
        context.navigator.session_log_requested.connect(self.log_session)
        context.navigator.assessment_requested.connect(self.start_assessment)
        context.navigator.settings_changed.connect(self.update_status)
        self._shortcuts()
        self.statusBar().clearMessage()
        self.navigation.setEnabled(True)
        self.navigation.setCurrentRow(0)

    # -- navigation

    def _shortcuts(self) -> None:
        for number, page in enumerate(PAGES[:10], start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number % 10}"), self)
            shortcut.activated.connect(lambda key=page.key: self.show_page(key))
        search = self.search
        assert search is not None
        for keys in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(keys), self).activated.connect(search.focus)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(lambda: self.log_session([]))
        QShortcut(QKeySequence("Ctrl+Shift+A"), self).activated.connect(lambda: self.start_assessment(None))

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        if key not in self._built:
            spec = next(p for p in PAGES if p.key == key)
            cls = getattr(importlib.import_module(spec.module), spec.cls)
            if self.context is None:
                raise RuntimeError("pages exist only once the database is attached")
            widget = cls(self.context)
            widget.setObjectName(f"page_{key}")
            self._built[key] = widget
            holder = self.pages.widget(PAGES.index(spec))
            holder.layout().addWidget(widget)
        return self._built[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        widget = self.page(PAGES[row].key)
        self.pages.setCurrentIndex(row)
        activated = getattr(widget, "activated", None)
        if callable(activated):
            activated()

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, p in enumerate(PAGES) if p.key == key)
        self.navigation.setCurrentRow(row)
        return self.page(key)

    def current_page_key(self) -> str:
        return PAGES[self.pages.currentIndex()].key

    def show_mentee(self, mentee_id: uuid.UUID) -> None:
        page = self.show_page("mentees")
        page.show_mentee(mentee_id)  # type: ignore[attr-defined]

    def show_session(self, session_id: uuid.UUID) -> None:
        page = self.show_page("sessions")
        page.show_session(session_id)  # type: ignore[attr-defined]

    def log_session(self, mentee_ids: list[uuid.UUID] | None = None) -> QWidget:
        """Open the "log a session" dialog (Ctrl+L), with ``mentee_ids`` already chosen."""
        from coachdesk.ui.dialogs.session_dialog import LogSessionDialog

        dialog = LogSessionDialog(self.context, list(mentee_ids or []), self)
        dialog.open()
        return dialog

    def start_assessment(self, mentee_id: uuid.UUID | None) -> QWidget:
        """Open the guided assessment (Ctrl+Shift+A), for ``mentee_id`` if given."""
        from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard

        wizard = AssessmentWizard(self.context, mentee_id, self)
        wizard.open()
        return wizard

    # -- help

    def _build_menus(self) -> None:
        """The menu bar: Help, with the user guide (F1) and the About box; both work before the database opens."""
        menu = self.menuBar().addMenu(_("&Help"))
        menu.setObjectName("help_menu")
        guide = menu.addAction(_("CoachDesk &Help"))
        guide.setObjectName("help_guide_action")
        guide.setShortcuts(list(dict.fromkeys(
            [QKeySequence("F1"), *QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)])))
        guide.triggered.connect(lambda: self.show_help())
        keys = menu.addAction(_("&Keyboard shortcuts"))
        keys.setObjectName("help_shortcuts_action")
        keys.triggered.connect(self.show_shortcuts)
        menu.addSeparator()
        about = menu.addAction(_("&About CoachDesk"))
        about.setObjectName("help_about_action")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        about_qt = menu.addAction(_("About &Qt"))
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
        about_qt.triggered.connect(QApplication.aboutQt)

    def show_help(self, topic: str = "") -> QWidget:
        """The user guide's window (one per main window), at the heading ``topic`` if given."""
        from coachdesk.ui.help import HelpWindow

        window = self.findChild(HelpWindow, "help_window")
        if window is None:
            window = HelpWindow(self)
        if topic:
            window.show_topic(topic)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def show_shortcuts(self) -> QWidget:
        from coachdesk.ui.help import SHORTCUTS_TOPIC

        return self.show_help(SHORTCUTS_TOPIC)

    def show_about(self) -> QWidget:
        from coachdesk.ui.help import AboutDialog

        dialog = AboutDialog(self.context.db.path if self.context else None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- sample data

    def show_sample_banner(self, remove: Callable[[], None]) -> QWidget:
        """A bar across the whole window, above the sidebar and the pages, while sample data is open."""
        from coachdesk.ui.widgets.sample_banner import SampleBanner

        banner = SampleBanner()
        banner.remove_button.clicked.connect(remove)
        body = self.takeCentralWidget()
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(banner)
        layout.addWidget(body, 1)
        self.setCentralWidget(holder)
        body.show()  # taken out of the window, it was hidden
        holder.show()
        self.sample_banner = banner
        return banner

    # -- status and closing

    def update_status(self) -> None:
        settings = self.settings
        self.database_label.setText(_("Database: {name}").format(name=self.database_name))
        self.device_label.setText(_("Device: {name}").format(name=settings.effective_device_name()))
        if settings.last_sync:
            from datetime import datetime

            when = format_datetime(datetime.fromisoformat(settings.last_sync), "short")
            self.sync_label.setText(_("Last sync: {when}").format(when=when))
        else:
            self.sync_label.setText(_("Not synced yet"))

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = [w for w in self.findChildren(QWidget) if getattr(w, "has_unsaved_changes", lambda: False)()]
        if unsaved:
            answer = QMessageBox.question(
                self, _("Unsaved changes"),
                _("Some forms have changes that are not saved. Close CoachDesk anyway? "
                  "Their drafts are kept and offered back next time."),
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        if self.context is not None:
            self.context.tasks.wait_idle()
        event.accept()


__all__ = ["PAGES", "MainWindow", "PageSpec"]
