"""Pick several mentees by typing: names suggested from the database as one types, Enter adds the highlighted
one, and a name that matches nobody can be added as a new mentee (created when the form is saved)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _
from coachdesk.services import vocabulary
from coachdesk.services.sessions import MenteeSuggestion, Participant, mentee_suggestions
from coachdesk.store.database import Database

_ROLE = Qt.ItemDataRole.UserRole


class MenteePicker(QWidget):
    """A line edit with suggestions under it, above the list of people chosen so far."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._people: list[Participant] = []
        self.edit = QLineEdit()
        self.edit.setAccessibleName(_("Add a participant"))
        self.edit.setPlaceholderText(_("Type a name, then press Enter"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(self.suggest)
        self.edit.installEventFilter(self)

        # A tool-tip window never takes focus, so typing goes on in the line edit while it shows.
        self.suggestions = QListWidget(self)
        self.suggestions.setWindowFlags(Qt.WindowType.ToolTip)
        self.suggestions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.suggestions.setAccessibleName(_("Suggested mentees"))
        self.suggestions.itemClicked.connect(self._take)

        self.chosen = QListWidget()
        self.chosen.setAccessibleName(_("Participants chosen"))
        self.chosen.setToolTip(_("Select a participant and press Delete to remove them."))
        self.chosen.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.chosen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.chosen.installEventFilter(self)
        self.chosen.itemSelectionChanged.connect(self._selection_changed)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setAccessibleName(_("Remove the selected participants"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)

        chosen_row = QHBoxLayout()
        chosen_row.setContentsMargins(0, 0, 0, 0)
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addLayout(chosen_row)
        self._fit_chosen()

    # -- what was chosen

    def participants(self) -> list[Participant]:
        return list(self._people)

    def mentee_ids(self) -> list[uuid.UUID]:
        return [p.mentee_id for p in self._people if p.mentee_id is not None]

    def set_participants(self, people: Sequence[Participant]) -> None:
        self._people = []
        self.chosen.clear()
        for person in people:
            self._append(person)
        self._fit_chosen()
        self.changed.emit()

    def add(self, person: Participant) -> bool:
        """Add ``person`` unless already there; return whether it was added."""
        if person.mentee_id is not None and person.mentee_id in self.mentee_ids():
            return False
        if person.mentee_id is None:
            person = Participant(" ".join(person.name.split()))
            if not person.name or any(p.mentee_id is None and p.name.casefold() == person.name.casefold()
                                      for p in self._people):
                return False
        self._append(person)
        self._fit_chosen()
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        rows = sorted((self.chosen.row(item) for item in self.chosen.selectedItems()), reverse=True)
        for row in rows:
            self.chosen.takeItem(row)
            del self._people[row]
        if rows:
            self.chosen.setCurrentRow(min(rows[-1], self.chosen.count() - 1))
            self._fit_chosen()
            self.changed.emit()
        if not self._people:
            self.edit.setFocus()

    def _append(self, person: Participant) -> None:
        text = person.name if person.mentee_id else _("{name} (new mentee)").format(name=person.name)
        item = QListWidgetItem(text)
        item.setToolTip(text + "\n" + _("Select and press Delete to remove."))
        if person.mentee_id is None:
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
        self.chosen.addItem(item)
        self._people.append(person)

    def _fit_chosen(self) -> None:
        # One line per person, up to four, then it scrolls (a training can have dozens).
        line = max(self.chosen.sizeHintForRow(0), self.chosen.fontMetrics().height() + 4)
        rows = max(1, min(4, len(self._people)))
        self.chosen.setFixedHeight(line * rows + 2 * self.chosen.frameWidth() + 2)

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.chosen.selectedItems()))

    # -- suggestions

    def suggest(self, text: str | None = None) -> None:
        """Fill the suggestions for what is typed; the first one is highlighted."""
        text = self.edit.text() if text is None else text
        self.suggestions.clear()
        name = " ".join(text.split())
        if not name:
            self.suggestions.hide()
            return
        with self.db.engine.connect() as connection:
            found = mentee_suggestions(connection, name, limit=20)
        for hit in found:
            self.suggestions.addItem(self._suggestion_item(hit))
        if not any(hit.name.casefold() == name.casefold() for hit in found):
            item = QListWidgetItem(_("Add “{name}” as a new mentee").format(name=name))
            item.setData(_ROLE, Participant(name))
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            self.suggestions.addItem(item)
        self.suggestions.setCurrentRow(0)
        self._place_suggestions()

    def _suggestion_item(self, hit: MenteeSuggestion) -> QListWidgetItem:
        text = hit.name if not hit.community else _("{name} — {community}").format(name=hit.name,
                                                                                   community=hit.community)
        item = QListWidgetItem(text)
        item.setToolTip(vocabulary.label(hit.kind))
        item.setData(_ROLE, Participant(hit.name, hit.id))
        return item

    def _place_suggestions(self) -> None:
        if not self.edit.isVisible():
            return
        corner = self.edit.mapToGlobal(self.edit.rect().bottomLeft())
        rows = self.suggestions.count()
        height = min(10, rows) * (self.suggestions.sizeHintForRow(0) + 1) + 6
        self.suggestions.setGeometry(corner.x(), corner.y(), max(self.edit.width(), 320), height)
        self.suggestions.show()
        self.suggestions.raise_()

    def highlighted(self) -> Participant | None:
        item = self.suggestions.currentItem()
        return item.data(_ROLE) if item is not None else None

    def _take(self, item: QListWidgetItem | None = None) -> None:
        person = item.data(_ROLE) if item is not None else self.highlighted()
        self.suggestions.hide()
        if person is None:
            return
        self.add(person)
        self.edit.clear()
        self.edit.setFocus()

    def hideEvent(self, event: QEvent) -> None:  # type: ignore[override]
        self.suggestions.hide()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.edit and kind == QEvent.Type.FocusOut:
            self.suggestions.hide()
        elif watched is self.edit and kind == QEvent.Type.KeyPress:
            return self._edit_key(event)  # type: ignore[arg-type]
        elif watched is self.chosen and kind == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.chosen.selectedItems():
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    def _edit_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        showing = self.suggestions.isVisible()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.edit.text().strip():
            if not showing:
                self.suggest()
                return True
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self.suggestions.count() - 1, self.suggestions.currentRow() + step))
            self.suggestions.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if not self.edit.text().strip():
                return False  # an empty box: Enter does what it does elsewhere in the form
            if not showing or self.suggestions.count() == 0:
                self.suggest()
            self._take()
            return True
        if key == Qt.Key.Key_Escape and showing:
            self.suggestions.hide()
            return True
        return False
