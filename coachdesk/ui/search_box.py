"""The global search box (Ctrl+K, Ctrl+F): mentees and session notes as one types, via SQLite FTS5."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from coachdesk.i18n import _
from coachdesk.store.database import Database
from coachdesk.store.search import SearchHit, search


class SearchBox(QWidget):
    """A line edit with a result list under it; Enter or a click opens the chosen hit."""

    mentee_chosen = Signal(object)
    session_chosen = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("Search mentees and notes (Ctrl+K)"))
        self.edit.setAccessibleName(_("Search"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setWindowFlags(Qt.WindowType.ToolTip)
        self.results.setAccessibleName(_("Search results"))
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self._open_first)
        self.edit.installEventFilter(self)
        self.hits: list[SearchHit] = []

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def run_search(self) -> None:
        text = self.edit.text()
        with self.db.engine.connect() as connection:
            self.hits = search(connection, text, limit=30) if text.strip() else []
        self.results.clear()
        for hit in self.hits:
            prefix = _("Mentee") if hit.kind == "mentee" else _("Session")
            snippet = hit.snippet.replace("[", "").replace("]", "")
            item = QListWidgetItem(f"{prefix}: {hit.title} — {snippet}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.kind, hit.id))
            self.results.addItem(item)
        if not self.hits:
            self.results.hide()
            return
        self.results.setCurrentRow(0)
        bottom_left = self.edit.mapToGlobal(self.edit.rect().bottomLeft())
        self.results.setGeometry(bottom_left.x(), bottom_left.y(), max(self.edit.width(), 420),
                                 min(320, 24 * len(self.hits) + 8))
        self.results.show()

    def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent

        if watched is self.edit and event.type() == QEvent.Type.KeyPress and self.results.isVisible():
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.results.hide()
                return True
        return super().eventFilter(watched, event)

    def _open_first(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.run_search()
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _open(self, item: QListWidgetItem) -> None:
        kind, hit_id = item.data(Qt.ItemDataRole.UserRole)
        self.results.hide()
        (self.mentee_chosen if kind == "mentee" else self.session_chosen).emit(uuid.UUID(str(hit_id)))
