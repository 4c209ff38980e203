"""A table model that holds only row keys and fetches rows page by page as the view asks for them.

``data()`` never runs a query per cell: a miss fetches the page of rows around it in one
query, and later cells come from the cache. Filtering and sorting happen in SQL, by the
``fetch_keys`` callable; the model only asks again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Key = TypeVar("Key")
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    key: str
    title: str
    display: Callable[[Row], str]
    #: Extra roles (ToolTip, Foreground, TextAlignment …) computed from the row, if any.
    roles: Callable[[Row, int], Any] | None = None
    sortable: bool = True


class LazyTableModel(QAbstractTableModel, Generic[Key, Row]):
    PAGE = 200
    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[Row]], fetch_keys: Callable[[str, bool], list[Key]],
                 fetch_rows: Callable[[Sequence[Key]], dict[Key, Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch_keys = fetch_keys
        self._fetch_rows = fetch_rows
        self._keys: list[Key] = []
        self._cache: dict[Key, Row] = {}
        self._sort_key = self.columns[0].key
        self._ascending = True

    # -- loading

    def reload(self) -> None:
        """Ask for the keys again (after a filter, a sort or a change) and drop cached rows."""
        self.beginResetModel()
        self._keys = self._fetch_keys(self._sort_key, self._ascending)
        self._cache.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Drop cached rows but keep the keys: for edits that do not change membership or order."""
        self._cache.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(self.columns) - 1))

    def _row(self, position: int) -> Row | None:
        key = self._keys[position]
        row = self._cache.get(key)
        if row is None:
            start = max(0, position - self.PAGE // 4)
            page = [k for k in self._keys[start : start + self.PAGE] if k not in self._cache]
            self._cache.update(self._fetch_rows(page))
            row = self._cache.get(key)
        return row

    def key_at(self, position: int) -> Key:
        return self._keys[position]

    def row_at(self, position: int) -> Row | None:
        return self._row(position)

    def position_of(self, key: Key) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    @property
    def keys(self) -> list[Key]:
        return self._keys

    # -- Qt model interface

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._keys):
            return None
        if role == self.KeyRole:
            return self._keys[index.row()]
        row = self._row(index.row())
        if row is None:  # deleted since the keys were fetched
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.display(row)
        if column.roles is not None:
            return column.roles(row, role)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.columns[column].sortable:
            return
        self._sort_key = self.columns[column].key
        self._ascending = order == Qt.SortOrder.AscendingOrder
        self.reload()
