"""The session list's table model: rowids filtered and sorted in SQL, rows fetched a page at a time.

Keys can arrive from a background read (:meth:`SessionTableModel.show_keys`), so typing in the
filter never waits on a query of 100k sessions on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from coachdesk.i18n import _, format_datetime, format_number, ngettext
from coachdesk.model import SessionKind
from coachdesk.services import vocabulary
from coachdesk.services.session_list import SessionRow, session_keys, session_rows
from coachdesk.store.database import Database
from coachdesk.ui.models.lazy_table import Column, LazyTableModel


def duration_text(minutes: int) -> str:
    """"45 min", "2 h", "1 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=format_number(rest))
    if not rest:
        return _("{hours} h").format(hours=format_number(hours))
    return _("{hours} h {minutes} min").format(hours=format_number(hours), minutes=format_number(rest))


def _trailing(_row: SessionRow, role: int) -> Any:
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
    return None


def _participants_tip(row: SessionRow, role: int) -> Any:
    if role == Qt.ItemDataRole.ToolTipRole:
        return ngettext("{count} participant", "{count} participants", row.participant_count).format(
            count=format_number(row.participant_count))
    return None


def _title_tip(row: SessionRow, role: int) -> Any:
    return row.title if role == Qt.ItemDataRole.ToolTipRole else None


def session_columns() -> list[Column[SessionRow]]:
    return [
        Column("started_at", _("Date"), lambda r: format_datetime(r.started_at, "short")),
        Column("kind", _("Kind"), lambda r: vocabulary.label(r.kind)),
        Column("title", _("Title"), lambda r: r.title, roles=_title_tip),
        Column("participants", _("Participants"), lambda r: r.participants, roles=_participants_tip, sortable=False),
        Column("duration", _("Duration"), lambda r: duration_text(r.duration_minutes), roles=_trailing),
        Column("location", _("Location"), lambda r: r.location),
    ]


class SessionTableModel(LazyTableModel[int, SessionRow]):
    """Newest first unless a header is clicked."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(session_columns(), self._fetch_keys, self._fetch_rows, parent)
        self.db = db
        self.text = ""
        self.kind: SessionKind | None = None
        self._sort_key, self._ascending = "started_at", False
        self._given: list[int] | None = None

    @property
    def sort_order(self) -> tuple[str, bool]:
        return self._sort_key, self._ascending

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == self._sort_key)

    def set_sort(self, column: int, ascending: bool) -> bool:
        """Remember the order for the next keys; False for a column that cannot be sorted."""
        if not self.columns[column].sortable:
            return False
        self._sort_key, self._ascending = self.columns[column].key, ascending
        return True

    def show_keys(self, keys: list[int]) -> None:
        """Show keys fetched elsewhere (for the current filter and order)."""
        self._given = keys
        self.reload()

    def _fetch_keys(self, sort: str, ascending: bool) -> list[int]:
        if self._given is not None:
            keys, self._given = self._given, None
            return keys
        with self.db.engine.connect() as connection:
            return session_keys(connection, self.text, self.kind, sort, ascending)

    def _fetch_rows(self, keys: Sequence[int]) -> dict[int, SessionRow]:
        with self.db.engine.connect() as connection:
            return session_rows(connection, keys)

    def row_for(self, position: int) -> SessionRow | None:
        return self.row_at(position) if 0 <= position < self.rowCount() else None
