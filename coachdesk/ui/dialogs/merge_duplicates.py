"""Merge duplicates: the mentee chosen in the list beside the likely duplicates of it, side by side,
and a choice of which one to keep."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, language_name, ngettext
from coachdesk.services import duplicates
from coachdesk.services.duplicates import MenteeSummary
from coachdesk.services.vocabulary import label
from coachdesk.ui.context import UiContext
from coachdesk.ui.views import mentee_page
from coachdesk.ui.views.page_parts import wrapped


def _facts(summary: MenteeSummary) -> list[tuple[str, str]]:
    return [
        (_("Name:"), summary.name),
        (_("Community:"), summary.community or "—"),
        (_("Region:"), summary.region or "—"),
        (_("Languages:"), ", ".join(language_name(code) for code in summary.languages) or "—"),
        (_("Sessions:"), str(summary.sessions)),
        (_("Assessments:"), str(summary.assessments)),
        (_("Plans:"), str(summary.plans)),
    ]


class MergeDuplicatesDialog(QDialog):
    """Pick a likely duplicate of ``mentee_id``, choose which of the two to keep, and merge."""

    def __init__(self, context: UiContext, mentee_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Merge duplicates"))
        with context.db.read() as session:
            self.chosen = duplicates.summary(session, mentee_id)
            self.offered = duplicates.candidates(session, mentee_id)
        intro = wrapped()
        if self.offered:
            intro.setText(_("The same person, organization or group entered twice — often on two devices between "
                            "syncs — can be merged into one. Choose the duplicate, then the record to keep: the "
                            "other one's sessions, assessments and plans move to it, and it is removed on every "
                            "device at the next sync."))
        else:
            intro.setText(_("No other mentee of the kind “{kind}” has a name like “{name}”.").format(
                kind=label(self.chosen.kind), name=self.chosen.name))
        self.table = QTableWidget(len(self.offered), 4)
        self.table.setHorizontalHeaderLabels([_("Name"), _("Community"), _("Region"), _("Sessions")])
        self.table.setAccessibleName(_("Likely duplicates"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, offered in enumerate(self.offered):
            for column, text in enumerate((offered.name, offered.community, offered.region, str(offered.sessions))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(self.offered))
        self.keep_chosen = QRadioButton(_("&Keep this one"))
        self.keep_other = QRadioButton(_("Keep &that one"))
        self.keep_chosen.setChecked(True)
        self.side_by_side = QGridLayout()
        self.side_by_side.setColumnStretch(1, 1)
        self.side_by_side.setColumnStretch(2, 1)
        self._values: list[tuple[QLabel, QLabel]] = []
        for row, (caption, value) in enumerate(_facts(self.chosen)):
            mine, theirs = QLabel(value), QLabel("")
            for widget in (mine, theirs):
                widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                widget.setWordWrap(True)
            self.side_by_side.addWidget(QLabel(caption), row, 0)
            self.side_by_side.addWidget(mine, row, 1)
            self.side_by_side.addWidget(theirs, row, 2)
            self._values.append((mine, theirs))
        row = len(self._values)
        self.side_by_side.addWidget(self.keep_chosen, row, 1)
        self.side_by_side.addWidget(self.keep_other, row, 2)
        self.compare = QWidget()
        self.compare.setLayout(self.side_by_side)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(_("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.compare)
        if not self.offered:
            layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._show_other)
        self._select_first()
        self._show_other()
        self.resize(640, 480)

    def _select_first(self) -> None:
        if self.offered and not self.table.selectionModel().hasSelection():
            self.table.selectionModel().setCurrentIndex(
                self.table.model().index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._select_first()  # a right-to-left layout pass may drop the selection made before showing

    def other(self) -> MenteeSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.offered[rows[0].row()] if rows else None

    def _show_other(self) -> None:
        other = self.other()
        self.compare.setVisible(other is not None)
        self.merge_button.setEnabled(other is not None)
        if other is None:
            return
        for (_mine, theirs), (_caption, value) in zip(self._values, _facts(other), strict=True):
            theirs.setText(value)

    def merge(self) -> None:
        other = self.other()
        if other is None:
            return
        keep, remove = (self.chosen, other) if self.keep_chosen.isChecked() else (other, self.chosen)
        sessions = ngettext("{count} session", "{count} sessions", remove.sessions).format(count=remove.sessions)
        assessments = ngettext("{count} assessment", "{count} assessments", remove.assessments).format(
            count=remove.assessments)
        plans = ngettext("{count} plan", "{count} plans", remove.plans).format(count=remove.plans)
        question = _("Merge “{removed}” into “{kept}”? Its sessions ({sessions}), assessments ({assessments}) and "
                     "plans ({plans}) move to “{kept}”, details only it has are kept, and “{removed}” is removed on "
                     "every device at the next sync.").format(removed=remove.name, kept=keep.name, sessions=sessions,
                                                             assessments=assessments, plans=plans)
        if not mentee_page.confirm(self, _("Merge duplicates"), question, _("&Merge")):
            return
        self.kept_id = keep.id
        self.context.tasks.write(
            lambda session: duplicates.merge_mentees(session, keep.id, remove.id), initiator=self,
            title=_("Merge duplicates"), success=lambda _result: self.accept(),
            failure=lambda error: mentee_page.show_error(self, _("Not merged"), error, _("The mentees")))
