"""Small pieces the Toolbox, Funding, Requests, Settings, Sync and Reports pages share.

Questions and messages go through these module-level functions so tests can answer them
without a modal loop (``monkeypatch.setattr(page_parts, "ask", ...)``): call them as
``page_parts.ask(...)``, not imported by name.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from coachdesk.errors import CoachDeskError, is_disk_full, os_reason
from coachdesk.i18n import _

IdRole = Qt.ItemDataRole.UserRole + 1


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_number(parent: QWidget, title: str, label: str, value: int, minimum: int, maximum: int) -> int | None:
    number, ok = QInputDialog.getInt(parent, title, label, value, minimum, maximum)
    return number if ok else None


def error_text(what: str, error: BaseException) -> str:
    """Our own errors already speak plainly; anything else gets one plain sentence around it."""
    if isinstance(error, CoachDeskError):
        return str(error)
    if is_disk_full(error):
        return _("{what} could not be saved: the disk is full. Nothing was half saved; free some space and try "
                 "again.").format(what=what)
    if isinstance(error, OSError):
        return _("{what} could not be saved: {reason}.").format(what=what, reason=os_reason(error))
    return _("{what} could not be saved: {reason}").format(what=what, reason=error)


def show_error(parent: QWidget, what: str, error: BaseException) -> None:
    QMessageBox.warning(parent, _("Not saved"), error_text(what, error))


def open_url(url: QUrl) -> None:
    QDesktopServices.openUrl(url)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def quiet(label: QLabel) -> QLabel:
    """Secondary text, in the palette's own colour for it (readable in dark mode too)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def overdue_colour(widget: QWidget) -> QColor:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ef9a9a") if dark else QColor("#c62828")


def tab_order(*widgets: QWidget) -> None:
    """Tab moves through ``widgets`` in reading order, whatever order they were made in."""
    for first, second in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(first, second)


def date_edit() -> QDateEdit:
    """A date field in the locale's short form, but with four-digit years: "11/05/26" is ambiguous."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    edit.setDisplayFormat(pattern)
    return edit


def two_column_form(left: Sequence[tuple[str, QWidget | QLayout]],
                    right: Sequence[tuple[str, QWidget | QLayout]]) -> QHBoxLayout:
    """Two labelled forms side by side (caption with a mnemonic, field or row of fields).

    Under a full-width table this fits a 1024×600 screen, where one long form would not.
    """
    columns = QHBoxLayout()
    for rows in (left, right):
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, field in rows:
            label = QLabel(caption)
            label.setBuddy(field if isinstance(field, QWidget) else field.itemAt(0).widget())
            form.addRow(label, field)
        columns.addLayout(form, 1)
    return columns
