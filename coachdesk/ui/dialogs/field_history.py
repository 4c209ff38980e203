"""Who changed each field of a record last, on which device and when: a small list shown on demand."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import N_, _, format_datetime
from coachdesk.services.provenance import Provenance, row_provenance
from coachdesk.ui.context import UiContext

ColumnRole = Qt.ItemDataRole.UserRole + 1

#: A mentee's fields as the mentee dialog names them, in its order.
MENTEE_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Name")),
    ("kind", N_("Kind")),
    ("community_id", N_("Community")),
    ("region", N_("Region")),
    ("languages", N_("Languages")),
    ("journey_stage", N_("Journey stage")),
    ("coach_id", N_("Coach")),
    ("consent_given_on", N_("Consent given on")),
    ("consent_given_by", N_("Consent given by")),
    ("email", N_("Email")),
    ("phone", N_("Phone")),
    ("private_notes", N_("Private notes")),
    ("archived", N_("Archived")),
)


def provenance_line(field: str, provenance: Provenance) -> str:
    """One field's last change as a sentence, in the local time of this computer."""
    when = format_datetime(provenance.when.astimezone(), "medium")
    if provenance.who:
        return _("{field} — changed by {who} on {device}, {when}").format(
            field=field, who=provenance.who, device=provenance.device, when=when)
    return _("{field} — changed on {device}, {when}").format(field=field, device=provenance.device, when=when)


class FieldHistoryDialog(QDialog):
    """Lists, for each field of one record, who changed it last, on which device and when."""

    def __init__(self, context: UiContext, table: str, row_id: uuid.UUID, fields: Sequence[tuple[str, str]],
                 title: str, parent: QWidget | None = None, current: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("field_history")
        self.setWindowTitle(title)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Who changed each field"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 360)
        try:
            with context.db.read() as session:
                found = row_provenance(session, table, row_id)
        except CoachDeskError as error:
            found, message = {}, str(error)
        else:
            message = "" if found else _("No change to this record is recorded on this device.")
        self.problem.setText(message)
        self.problem.setVisible(bool(message))
        for column, label in fields:
            if column in found:
                item = QListWidgetItem(provenance_line(_(label), found[column]))
                item.setData(ColumnRole, column)
                self.list.addItem(item)
        self.show_field(current)
        self.list.setFocus()

    def lines(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def show_field(self, column: str | None) -> None:
        """Select ``column``'s line (the first line if it has none)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(ColumnRole) == column:
                self.list.setCurrentRow(row)
                return
        if self.list.count():
            self.list.setCurrentRow(0)


def offer_who_changed(edit: QLineEdit, show: Callable[[], object]) -> None:
    """Add "Who changed this?" to a line edit's context menu; ``show()`` answers it."""
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def open_menu(position: QPoint) -> None:
        menu = edit.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction(_("Who changed this?"), show)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(edit.mapToGlobal(position))

    edit.customContextMenuRequested.connect(open_menu)
