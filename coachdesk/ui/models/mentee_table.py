"""The mentee list's table model: filtered and sorted in SQL, rows fetched a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from coachdesk.i18n import _, current_language, language_name
from coachdesk.services.mentees import MenteeFilter, MenteeRow, mentee_keys, mentee_rows
from coachdesk.services.vocabulary import label
from coachdesk.store.database import Database
from coachdesk.ui.models.lazy_table import Column, LazyTableModel


@lru_cache(maxsize=512)
def _language_name(code: str, _in_language: str) -> str:
    # Babel builds a Locale per call; the view asks for the same few codes on every repaint.
    return language_name(code)


def languages_text(codes: Sequence[str]) -> str:
    """Language codes as names in the active language, e.g. "Hausa, English"."""
    return _(", ").join(_language_name(code, current_language()) for code in codes)


def _name(row: MenteeRow) -> str:
    return _("{name} (archived)").format(name=row.name) if row.archived else row.name


def _archived_style(row: MenteeRow, role: int) -> Any:
    if not row.archived:
        return None
    if role == Qt.ItemDataRole.FontRole:
        font = QFont(QApplication.font())
        font.setItalic(True)
        return font
    if role == Qt.ItemDataRole.ForegroundRole:
        return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    if role == Qt.ItemDataRole.ToolTipRole:
        return _("Archived: hidden unless “Show archived” is on.")
    return None


def mentee_columns() -> list[Column[MenteeRow]]:
    return [
        Column("name", _("Name"), _name, _archived_style),
        Column("kind", _("Kind"), lambda r: label(r.kind), _archived_style),
        Column("community", _("Community"), lambda r: r.community, _archived_style),
        Column("journey_stage", _("Journey stage"), lambda r: label(r.journey_stage), _archived_style),
        Column("languages", _("Languages"), lambda r: languages_text(r.languages), _archived_style),
        Column("region", _("Region"), lambda r: r.region, _archived_style),
    ]


class MenteeTableModel(LazyTableModel[int, MenteeRow]):
    """Keys are SQLite rowids; ``set_filter`` asks SQL again and keeps the current sort."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(mentee_columns(), self._keys_for, self._rows_for, parent)
        self.db = db
        self.filter = MenteeFilter()

    def _keys_for(self, sort: str, ascending: bool) -> list[int]:
        with self.db.engine.connect() as connection:
            return mentee_keys(connection, self.filter, sort, ascending)

    def _rows_for(self, rowids: Sequence[int]) -> dict[int, MenteeRow]:
        with self.db.engine.connect() as connection:
            return mentee_rows(connection, rowids)

    def set_filter(self, mentee_filter: MenteeFilter) -> None:
        self.filter = mentee_filter
        self.reload()

    @property
    def sort_key(self) -> str:
        return self._sort_key
