"""Capacity Exchange profiles in the app: the import preview, and the export of the Mentees page.

The file is read and matched off the GUI thread; the preview shows, per profile, the mentee it
will be recorded for (or that a new one is added), the capacities of each list and those skipped,
and nothing is written until Import is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, ngettext
from coachdesk.services.capx import ImportPlan, ProfileData, export_profiles, import_profiles, plan_import, read_document
from coachdesk.ui.context import UiContext
from coachdesk.ui.views.page_parts import error_text, quiet, wrapped

JSON_FILTER = "JSON (*.json)"
#: What an import may change, so the pages that show them refresh.
CHANGED_TABLES = {"mentee", "assessment", "capacity_rating"}


# Module-level questions and messages, so tests answer them without a modal loop.


def ask_open_file(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Import from the Capacity Exchange"), str(Path.home()),
                                                JSON_FILTER)
    return Path(name) if name else None


def ask_save_file(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, _("Export to the Capacity Exchange"), str(suggested),
                                                JSON_FILTER)
    return Path(name) if name else None


def tell(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def tell_error(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def export_all(context: UiContext, parent: QWidget) -> None:
    """Ask where, then write the profiles of every mentee who agreed to be suggested as a peer."""
    path = ask_save_file(parent, Path.home() / "capacity-exchange.json")
    if path is None:
        return
    db = context.db

    def written(count: int) -> None:
        text = ngettext("Wrote {count} profile to {file}.", "Wrote {count} profiles to {file}.", count).format(
            count=count, file=path.name)
        if count == 0:
            text += " " + _("Only mentees who agreed to be suggested as peers are exported.")
        tell(parent, _("Export to the Capacity Exchange"), text)

    context.tasks.long(lambda _report: export_profiles(db, path), title=_("Exporting profiles"), writes=False,
                       success=written,
                       failure=lambda e: tell_error(parent, _("Export to the Capacity Exchange"),
                                                    error_text(_("The profiles"), e)))


class CapxImportDialog(QDialog):
    """The preview of a Capacity Exchange file; Import records it, Cancel leaves everything as it was."""

    imported = Signal(object)  # the ImportPlan recorded

    def __init__(self, context: UiContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = path
        self.plan: ImportPlan | None = None
        self._profiles: list[ProfileData] = []
        self.setWindowTitle(_("Import from the Capacity Exchange"))
        self.intro = wrapped(_("Reading {file}…").format(file=path.name))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Profiles to import"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Profile"), _("What is recorded")])
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.note = quiet(wrapped(_("Each profile becomes a new self-reported assessment dated today: available "
                                    "capacities at level 4, known ones at level 3, wanted ones with a high "
                                    "priority (level 2 when not known).")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        width = self.fontMetrics().averageCharWidth()
        self.resize(max(640, 90 * width), max(420, 26 * self.fontMetrics().lineSpacing()))
        self._load()

    # -- reading

    def _load(self) -> None:
        path = self.path

        def work(session: Any) -> tuple[list[ProfileData], ImportPlan]:
            profiles = read_document(path)
            return profiles, plan_import(session, profiles, create=True)

        self.context.tasks.read(work, success=self._show, failure=self._refused, title=_("Reading profiles"))

    def _refused(self, error: BaseException) -> None:
        self.reject()
        tell_error(self.parentWidget() or self, _("Import from the Capacity Exchange"),
                   error_text(_("The file"), error))

    def _show(self, result: tuple[list[ProfileData], ImportPlan]) -> None:
        self._profiles, self.plan = result
        self.tree.clear()
        count = len(self.plan.recorded)
        self.intro.setText(ngettext("{file}: {count} profile to record. Nothing is changed until you choose Import.",
                                    "{file}: {count} profiles to record. Nothing is changed until you choose Import.",
                                    count).format(file=self.path.name, count=count))
        for profile in self.plan.profiles:
            who = _("{name} — new mentee").format(name=profile.name) if profile.new else profile.name
            top = QTreeWidgetItem([who, "" if profile.ratings else _("Nothing to record")])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for caption, names in ((_("Known"), profile.known), (_("Available"), profile.available),
                                   (_("Wanted"), profile.wanted), (_("Skipped"), profile.skipped)):
                if names:
                    # One capacity a line: every one is read, none cut off at the dialog's edge.
                    child = QTreeWidgetItem([caption, "\n".join(names)])
                    top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self.import_button.setEnabled(count > 0)
        self.import_button.setFocus()

    # -- recording

    def record(self) -> None:
        if self.plan is None or not self.plan.recorded:
            return
        self.import_button.setEnabled(False)
        db, profiles = self.context.db, self._profiles
        self.context.tasks.long(lambda _report: import_profiles(db, create=True, profiles=profiles),
                                title=_("Importing profiles"), changed_tables=CHANGED_TABLES,
                                success=self._recorded, failure=self._not_recorded)

    def _recorded(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.imported.emit(plan)
        self.accept()

    def _not_recorded(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        tell_error(self, _("Import from the Capacity Exchange"), error_text(_("The profiles"), error))


__all__ = ["CapxImportDialog", "ask_open_file", "ask_save_file", "export_all", "tell", "tell_error"]
