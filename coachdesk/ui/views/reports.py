"""The Reports page: spreadsheets out and in, and demo data, as long work with progress and Cancel.

Everything runs through ``context.tasks.long`` off the GUI thread; the page shows progress
itself and never freezes. Only work that reports progress can stop part-way (demo data);
an export or an import is a single step that finishes or changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QDateEdit,
    QLabel,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import Cancelled, CoachDeskError
from coachdesk.i18n import _, format_number, ngettext
from coachdesk.services import printing
from coachdesk.services.csvfile import CsvError
from coachdesk.services.demo import generate_demo
from coachdesk.services.spreadsheets import ImportResult, export_csv, import_csv
from coachdesk.ui.context import UiContext
from coachdesk.ui.dialogs.print_preview import PrintPreviewDialog
from coachdesk.ui.tasks import Task
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.page_parts import heading, quiet, scrolled, wrapped

CSV_FILTER = "CSV (*.csv *.txt)"
#: Tables an import touches, so only the views that show them refresh.
IMPORT_TABLES = {"mentees": {"mentee", "community"},
                 "sessions": {"coaching_session", "session_participant", "session_capacity"}}


# Module-level so tests can answer them without a modal loop.
def choose_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), CSV_FILTER)
    return Path(path) if path else None


def choose_open_path(parent: QWidget, title: str) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(Path.home()), CSV_FILTER)
    return Path(path) if path else None


def ask_demo_count(parent: QWidget) -> int | None:
    return page_parts.ask_number(parent, _("Add demo data"), _("How many demo mentees should be added?"),
                                 200, 1, 100_000)


class RefusedFileDialog(QDialog):
    """Why a file was refused: the headline, then every bad row, scrollable, to fix in the spreadsheet."""

    def __init__(self, error: CsvError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("File not imported"))
        self.headline = wrapped(error.headline)
        self.problems = QPlainTextEdit("\n".join(
            _("line {line}: {problem}").format(line=p.line, problem=p.message) for p in error.problems))
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(_("Rows with problems"))
        self.problems.setVisible(bool(error.problems))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.problems, 1)
        layout.addWidget(quiet(wrapped(_("Correct these rows in the spreadsheet, save it as CSV and import it "
                                         "again. Nothing was changed."))))
        layout.addWidget(buttons)
        self.resize(620, 380)


class ReportsPage(QWidget):
    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.task: Task | None = None
        self.refused_dialog: RefusedFileDialog | None = None
        self.export_mentees_button = QPushButton(_("&Export mentees to a spreadsheet…"))
        self.export_sessions_button = QPushButton(_("Export &sessions…"))
        self.import_mentees_button = QPushButton(_("&Import mentees from a spreadsheet…"))
        self.import_sessions_button = QPushButton(_("Import sessions from a s&preadsheet…"))
        self.demo_button = QPushButton(_("Add &demo data…"))
        self.start_buttons = (self.export_mentees_button, self.export_sessions_button, self.import_mentees_button,
                              self.import_sessions_button, self.demo_button)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Progress"))
        self.progress.setTextVisible(False)
        self.status = wrapped()
        self.status.setAccessibleName(_("Progress and results"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton(_("&Cancel"))

        spreadsheets = QGroupBox(_("Spreadsheets"))
        grid = QGridLayout(spreadsheets)
        grid.addWidget(quiet(wrapped(_("Spreadsheets are CSV files that LibreOffice, Excel and Google Sheets open. "
                                       "An import checks the whole file first: if one row is wrong, nothing is "
                                       "changed."))), 0, 0, 1, 2)
        grid.addWidget(self.export_mentees_button, 1, 0)
        grid.addWidget(self.import_mentees_button, 1, 1)
        grid.addWidget(self.export_sessions_button, 2, 0)
        grid.addWidget(self.import_sessions_button, 2, 1)
        evaluation = QGroupBox(_("Evaluation report"))
        evaluation_layout = QGridLayout(evaluation)
        evaluation_layout.addWidget(quiet(wrapped(_(
            "Sessions and hours by capacity, method, community and month, assessment progress and plan completion, "
            "over everything in this database or a period. Leave a date empty for no limit."))), 0, 0, 1, 4)
        self.evaluation_from = QDateEdit()
        self.evaluation_to = QDateEdit()
        for edit, caption in ((self.evaluation_from, _("From:")), (self.evaluation_to, _("To:"))):
            edit.setCalendarPopup(True)
            edit.setSpecialValueText(_("no limit"))
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
            edit.setAccessibleName(caption)
        self.evaluation_from.setToolTip(_("First day of the period"))
        self.evaluation_to.setToolTip(_("Last day of the period"))
        evaluation_layout.addWidget(QLabel(_("From:")), 1, 0)
        evaluation_layout.addWidget(self.evaluation_from, 1, 1)
        evaluation_layout.addWidget(QLabel(_("To:")), 1, 2)
        evaluation_layout.addWidget(self.evaluation_to, 1, 3)
        self.evaluation_button = QPushButton(_("&Preview evaluation report…"))
        self.evaluation_csv_button = QPushButton(_("Save its &figures as CSV…"))
        evaluation_layout.addWidget(self.evaluation_button, 2, 0, 1, 2)
        evaluation_layout.addWidget(self.evaluation_csv_button, 2, 2, 1, 2)
        demo = QGroupBox(_("Demo data"))
        demo_layout = QVBoxLayout(demo)
        demo_layout.addWidget(quiet(wrapped(_("Adds made-up mentees with sessions, assessments, plans and requests: "
                                              "for trying CoachDesk out or training others, not for real work."))))
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_button)
        demo_row.addStretch(1)
        demo_layout.addLayout(demo_row)
        work = QGroupBox(_("Progress"))
        work_layout = QVBoxLayout(work)
        work_layout.addWidget(self.status)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        work_layout.addLayout(progress_row)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading(_("Reports")))
        layout.addWidget(spreadsheets)
        layout.addWidget(evaluation)
        layout.addWidget(demo)
        layout.addWidget(work)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(body))

        self.export_mentees_button.clicked.connect(lambda: self.export("mentees"))
        self.export_sessions_button.clicked.connect(lambda: self.export("sessions"))
        self.import_mentees_button.clicked.connect(lambda: self.import_file("mentees"))
        self.import_sessions_button.clicked.connect(lambda: self.import_file("sessions"))
        self.demo_button.clicked.connect(self.add_demo)
        self.evaluation_button.clicked.connect(self.preview_evaluation)
        self.evaluation_csv_button.clicked.connect(self.save_evaluation_csv)
        self.cancel_button.clicked.connect(self.cancel)
        self.status.setText(_("Nothing is running."))
        self._show_running(False)

    # -- the evaluation report

    def evaluation_period(self) -> tuple[date | None, date | None]:
        def day(edit: QDateEdit) -> date | None:
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()

        return day(self.evaluation_from), day(self.evaluation_to)

    def preview_evaluation(self) -> PrintPreviewDialog:
        start, end = self.evaluation_period()
        db = self.context.db
        dialog = PrintPreviewDialog(self.context, _("Evaluation report"), f"evaluation-{date.today():%Y%m%d}",
                                    lambda language: printing.evaluation_pdf(db, language, start, end), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def save_evaluation_csv(self) -> None:
        path = choose_save_path(self, _("Save the evaluation figures"),
                                Path.home() / f"evaluation-{date.today():%Y%m%d}.csv")
        if path is None:
            return
        start, end = self.evaluation_period()
        db, language = self.context.db, self.context.settings.language or "en"
        self.context.tasks.long(lambda _progress: printing.write_evaluation(db, path, start, end, language),
                                title=_("Evaluation report"), writes=False,
                                success=lambda printed: self.status.setText(_("Wrote {file}.").format(
                                    file=printed.path)),
                                failure=lambda error: self.status.setText(page_parts.error_text(
                                    _("Evaluation report"), error)))

    # -- running work

    def is_running(self) -> bool:
        return self.task is not None

    def _show_running(self, running: bool, *, cancellable: bool = False) -> None:
        for button in self.start_buttons:
            button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running and cancellable)
        self.cancel_button.setToolTip("" if cancellable else _("This step finishes on its own in a moment."))

    def _run(self, title: str, work: Callable[[Any], Any], done: Callable[[Any], str], *, writes: bool,
             cancellable: bool, tables: set[str] | None = None) -> Task:
        self.status.setText(title)
        self.progress.setRange(0, 0)  # busy until the work reports how far it is
        self._show_running(True, cancellable=cancellable)
        task = self.context.tasks.long(work, title=title, writes=writes, changed_tables=tables,
                                       success=lambda value: self._finished(done(value)) if isValid(self) else None,
                                       failure=self._failed)
        task.progressed.connect(self._progressed)
        self.task = task
        if cancellable:
            self.cancel_button.setFocus()
        return task

    def _progressed(self, done: int, total: int, what: str) -> None:
        if not isValid(self):  # the window was rebuilt (a new language) while the work ran
            return
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if what:
            self.status.setText(what)

    def _finished(self, sentence: str) -> None:
        if not isValid(self):
            return
        self.task = None
        self._show_running(False)
        self.status.setText(sentence)

    def _failed(self, error: BaseException) -> None:
        if not isValid(self):
            return
        self.task = None
        self._show_running(False)
        if isinstance(error, Cancelled):
            self.status.setText(_("Cancelled; nothing was changed."))
        elif isinstance(error, CsvError):
            self.status.setText(error.headline)
            self.refused_dialog = RefusedFileDialog(error, self)
            self.refused_dialog.open()
        elif isinstance(error, CoachDeskError):
            self.status.setText(str(error))
        else:
            self.status.setText(_("It did not work: {reason}").format(reason=error))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Cancelling…"))

    # -- the work itself

    def export(self, kind: str) -> Task | None:
        title = _("Export mentees") if kind == "mentees" else _("Export sessions")
        suggested = Path.home() / f"{_('mentees') if kind == 'mentees' else _('sessions')}-{date.today()}.csv"
        path = choose_save_path(self, title, suggested)
        if path is None:
            return None
        if not path.suffix:
            path = path.with_suffix(".csv")

        def done(count: int) -> str:
            return ngettext("Exported {count} row to {file}.", "Exported {count} rows to {file}.", count).format(
                count=format_number(count), file=path)

        return self._run(_("Exporting to {file}…").format(file=path.name), lambda _progress: export_csv(
            self.context.db, kind, path), done, writes=False, cancellable=False)

    def import_file(self, kind: str) -> Task | None:
        title = _("Import mentees") if kind == "mentees" else _("Import sessions")
        path = choose_open_path(self, title)
        if path is None:
            return None

        def done(result: ImportResult) -> str:
            return _("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged.").format(
                file=path.name, added=format_number(result.added), updated=format_number(result.updated),
                unchanged=format_number(result.unchanged))

        return self._run(_("Importing {file}…").format(file=path.name), lambda _progress: import_csv(
            self.context.db, kind, path), done, writes=True, cancellable=False, tables=IMPORT_TABLES[kind])

    def add_demo(self) -> Task | None:
        count = ask_demo_count(self)
        if not count:
            return None
        # A fresh seed each time: the demo refuses to add the same seed's rows twice.
        seed = random.SystemRandom().randrange(1, 2**31)

        def done(counts: dict[str, int]) -> str:
            added = counts.get("mentee", count)
            return ngettext("Added {count} demo mentee with sessions, assessments and plans.",
                            "Added {count} demo mentees with sessions, assessments and plans.", added).format(
                count=format_number(added))

        return self._run(_("Adding demo data…"), lambda progress: generate_demo(
            self.context.db, mentees=count, seed=seed, progress=progress), done, writes=True, cancellable=True)
