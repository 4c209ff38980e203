"""The Toolbox page: the methods and the capacity taxonomy, each worded per language by the people using them.

The Funding page lives in :mod:`coachdesk.ui.views.funding` and is offered from here too,
where the main window's page list looks for it.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMessageBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.i18n import _, current_language, language_name
from coachdesk.services.reference_edit import (
    add_method,
    capacity_tree,
    list_methods,
    save_capacity_text,
    save_capacity_wikidata,
    save_method_text,
)
from coachdesk.services import printing
from coachdesk.ui.dialogs.print_preview import PrintPreviewDialog
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.funding import FundingPage
from coachdesk.ui.views.page_parts import IdRole, heading, quiet, scrolled, wrapped

__all__ = ["FundingPage", "TextEditor", "ToolboxPage"]


class TextEditor(QWidget):
    """A name and a description in the current language, with Save and Undo."""

    save_requested = Signal()

    def __init__(self, name_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("")
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        # Room for about six lines, so the level anchors below stay in view on a small screen.
        self.description.setMaximumHeight(self.description.fontMetrics().lineSpacing() * 6 + 12)
        self.note = quiet(wrapped(_("You are editing the {language} wording; other languages keep theirs.")
                                  .format(language=language_name(current_language()))))
        self.save_button = QPushButton(_("&Save"))
        self.undo_button = QPushButton(_("&Undo changes"))
        self.extra = QVBoxLayout()  # room for what a caller shows below (level anchors)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        name_caption = QLabel(name_label)
        name_caption.setBuddy(self.name)
        description_caption = QLabel(_("&Description:"))
        description_caption.setBuddy(self.description)
        form.addRow(name_caption, self.name)
        form.addRow(description_caption, self.description)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addLayout(self.extra)
        layout.addStretch(1)
        self._baseline = ("", "")
        self.editable = False
        self.name.textChanged.connect(self._update_buttons)
        self.description.textChanged.connect(self._update_buttons)
        self.name.returnPressed.connect(self._save)
        self.save_button.clicked.connect(self._save)
        self.undo_button.clicked.connect(self.undo)
        self.load("", "", "", editable=False)

    def load(self, title: str, name: str, description: str, *, editable: bool = True) -> None:
        self.title.setText(title)
        self.editable = editable
        self._baseline = (name, description)
        with QSignalBlocker(self.name), QSignalBlocker(self.description):
            self.name.setText(name)
            self.description.setPlainText(description)
        for widget in (self.name, self.description):
            widget.setReadOnly(not editable)
        self.note.setVisible(editable)
        self.save_button.setVisible(editable)
        self.undo_button.setVisible(editable)
        self._update_buttons()

    def values(self) -> tuple[str, str]:
        return self.name.text(), self.description.toPlainText()

    def is_dirty(self) -> bool:
        return self.editable and self.values() != self._baseline

    def undo(self) -> None:
        self.load(self.title.text(), *self._baseline, editable=self.editable)

    def _save(self) -> None:
        if self.is_dirty() and self.name.text().strip():
            self.save_requested.emit()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and bool(self.name.text().strip()))
        self.undo_button.setEnabled(dirty)


class ToolboxPage(QWidget):
    """The toolbox methods and the capacity taxonomy, each renamable and re-describable per language."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.language = current_language()
        self.methods = QListWidget()
        self.methods.setAccessibleName(_("Toolbox methods"))
        self.methods.setWordWrap(True)
        self.add_button = QPushButton(_("&Add method…"))
        self.method_editor = TextEditor(_("&Name:"))
        self.method_editor.save_requested.connect(self._save_method)
        self.add_button.clicked.connect(self._add_method)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.methods, 1)
        left_layout.addWidget(self.add_button)
        methods_tab = QSplitter()
        methods_tab.setChildrenCollapsible(False)
        methods_tab.addWidget(left)
        methods_tab.addWidget(scrolled(self.method_editor))
        methods_tab.setSizes([260, 500])

        self.capacities = QTreeWidget()
        self.capacities.setHeaderHidden(True)
        self.capacities.setAccessibleName(_("Capacity areas and capacities"))
        self.capacity_editor = TextEditor(_("&Name:"))
        self.capacity_editor.save_requested.connect(self._save_capacity)
        self.anchors_title = QLabel(_("Levels 1 to 5:"))
        self.anchors = wrapped()
        self.anchors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.wikidata = WikidataRow()
        self.wikidata.save_requested.connect(self._save_wikidata)
        self.capacity_editor.extra.addWidget(self.wikidata)
        self.capacity_editor.extra.addWidget(self.anchors_title)
        self.capacity_editor.extra.addWidget(self.anchors)
        capacities_tab = QSplitter()
        capacities_tab.setChildrenCollapsible(False)
        capacities_tab.addWidget(self.capacities)
        capacities_tab.addWidget(scrolled(self.capacity_editor))
        capacities_tab.setSizes([330, 430])

        self.tabs = QTabWidget()
        self.tabs.addTab(methods_tab, _("&Methods"))
        self.tabs.addTab(capacities_tab, _("&Capacities"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Toolbox")))
        layout.addWidget(wrapped(_("The methods of the capacity-building toolbox and the capacities they build. "
                                   "Choose one to change how it is named and described in {language}.")
                                 .format(language=language_name(self.language))))
        layout.addWidget(self.tabs, 1)
        self.print_button = QPushButton(_("&Print handout…"))
        self.print_button.setToolTip(_("A one-page handout of the chosen method or capacity, in any language"))
        self.print_button.clicked.connect(self.print_handout)
        print_row = QHBoxLayout()
        print_row.addStretch(1)
        print_row.addWidget(self.print_button)
        layout.addLayout(print_row)

        self._method_entries: dict[uuid.UUID, Any] = {}
        self._capacity_entries: dict[uuid.UUID, Any] = {}
        self._current_method: uuid.UUID | None = None
        self._current_capacity: uuid.UUID | None = None
        self.methods.currentItemChanged.connect(self._method_chosen)
        self.capacities.currentItemChanged.connect(self._capacity_chosen)
        QShortcut(QKeySequence.StandardKey.Save, self, self._save_shown,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        context.changes.changed.connect(self._changed)
        self.reload()
        if self.methods.count():
            self.methods.setCurrentRow(0)

    # -- loading

    def reload(self) -> None:
        with self.context.db.read() as session:
            methods = list_methods(session, self.language)
            tree = capacity_tree(session, self.language)
        self._method_entries = {m.id: m for m in methods}
        with QSignalBlocker(self.methods):
            self.methods.clear()
            for method in methods:
                item = QListWidgetItem(method.label)
                item.setData(IdRole, method.id)
                item.setToolTip(method.description)
                self.methods.addItem(item)
                if method.id == self._current_method:
                    self.methods.setCurrentItem(item)
        self._capacity_entries = {}
        with QSignalBlocker(self.capacities):
            self.capacities.clear()
            for area in tree:
                area_item = QTreeWidgetItem([area.label])
                area_item.setData(0, IdRole, area.id)
                font = area_item.font(0)
                font.setBold(True)
                area_item.setFont(0, font)
                self._capacity_entries[area.id] = area
                self.capacities.addTopLevelItem(area_item)
                for capacity in area.capacities:
                    item = QTreeWidgetItem([capacity.label])
                    item.setData(0, IdRole, capacity.id)
                    item.setToolTip(0, "\n\n".join(t for t in (capacity.label, capacity.description) if t))
                    self._capacity_entries[capacity.id] = capacity
                    area_item.addChild(item)
                    if capacity.id == self._current_capacity:
                        self.capacities.setCurrentItem(item)
            self.capacities.expandAll()
        if not self.method_editor.is_dirty():
            self._show_method()
        if not self.capacity_editor.is_dirty():
            self._show_capacity()

    def _changed(self, summary: object, _initiator: object) -> None:
        if touches(summary, "toolbox_method", "toolbox_method_text", "capacity", "capacity_text",
                   "capacity_area", "capacity_area_text"):
            self.reload()

    def has_unsaved_changes(self) -> bool:
        return self.method_editor.is_dirty() or self.capacity_editor.is_dirty() or self.wikidata.is_dirty()

    def _save_shown(self) -> None:
        editor = self.method_editor if self.tabs.currentIndex() == 0 else self.capacity_editor
        if editor.is_dirty() and editor.name.text().strip():
            editor.save_requested.emit()

    def _may_leave(self, editor: TextEditor) -> bool:
        # A capacity's Wikidata item is edited beside its texts: an unsaved one counts too.
        wikidata = self.wikidata if editor is self.capacity_editor else None
        if not editor.is_dirty() and not (wikidata and wikidata.is_dirty()):
            return True
        if page_parts.ask(self, _("Discard changes?"), _("The changes to “{name}” are not saved. Discard them?")
               .format(name=editor.title.text())):
            editor.undo()
            if wikidata:
                wikidata.undo()
            return True
        return False

    # -- methods

    def _method_chosen(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        if not self._may_leave(self.method_editor):
            with QSignalBlocker(self.methods):
                self.methods.setCurrentItem(previous)
            return
        self._current_method = current.data(IdRole)
        self._show_method()

    def _show_method(self) -> None:
        entry = self._method_entries.get(self._current_method) if self._current_method else None
        if entry is None:
            self.method_editor.load("", "", "", editable=False)
        else:
            self.method_editor.load(entry.label, entry.label, entry.description)

    def _save_method(self) -> None:
        method_id, language = self._current_method, self.language
        label, description = self.method_editor.values()
        self.context.tasks.write(lambda s: save_method_text(s, method_id, label, description, language),
                                 success=lambda _r: self._saved(self.method_editor),
                                 failure=lambda e: page_parts.show_error(self, _("The method"), e), initiator=self)

    def _saved(self, editor: TextEditor) -> None:
        editor.load(editor.name.text().strip(), *editor.values())
        self.reload()

    def _add_method(self) -> None:
        if not self._may_leave(self.method_editor):
            return
        label = page_parts.ask_text(self, _("Add a method"), _("Name of the new method:"))
        if not label or not label.strip():
            return
        language = self.language

        def added(method_id: uuid.UUID) -> None:
            self._current_method = method_id
            self.reload()
            self.tabs.setCurrentIndex(0)
            self.method_editor.description.setFocus()

        self.context.tasks.write(lambda s: add_method(s, label, "", language), success=added,
                                 failure=lambda e: page_parts.show_error(self, _("The new method"), e), initiator=self)

    def handout_key(self) -> str | None:
        """The key of the method or capacity shown, if the shipped toolbox has a handout for it."""
        if self.tabs.currentIndex() == 0:
            entry = self._method_entries.get(self._current_method) if self._current_method else None
        else:
            entry = self._capacity_entries.get(self._current_capacity) if self._current_capacity else None
            if entry is not None and getattr(entry, "anchors", None) is None:
                entry = None  # an area
        return None if entry is None or entry.custom else entry.key

    def print_handout(self) -> PrintPreviewDialog | None:
        key = self.handout_key()
        if key is None:
            QMessageBox.information(self, _("Print handout"), _("Choose one of the shipped methods or capacities: "
                                                                "handouts are written for those."))
            return None
        db = self.context.db
        dialog = PrintPreviewDialog(self.context, _("Toolbox handout"), f"handout-{key}",
                                    lambda language: printing.handout_pdf(db, "toolbox", key, language), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- capacities

    def _capacity_chosen(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        if not self._may_leave(self.capacity_editor):
            with QSignalBlocker(self.capacities):
                self.capacities.setCurrentItem(previous)
            return
        self._current_capacity = current.data(0, IdRole)
        self._show_capacity()

    def _show_capacity(self) -> None:
        entry = self._capacity_entries.get(self._current_capacity) if self._current_capacity else None
        anchors = getattr(entry, "anchors", None)
        if entry is None:
            self.capacity_editor.load("", "", "", editable=False)
        else:
            # Areas are shown, not edited: communities adapt the capacities they work on.
            self.capacity_editor.load(entry.label, entry.label, entry.description, editable=anchors is not None)
        self.wikidata.load(getattr(entry, "wikidata", ""), visible=anchors is not None)
        self.anchors_title.setVisible(bool(anchors))
        self.anchors.setText("\n".join(_("{level} — {anchor}").format(level=i, anchor=a)
                                       for i, a in enumerate(anchors or [], start=1)))

    def _save_capacity(self) -> None:
        capacity_id, language = self._current_capacity, self.language
        label, description = self.capacity_editor.values()
        self.context.tasks.write(lambda s: save_capacity_text(s, capacity_id, label, description, language),
                                 success=lambda _r: self._saved(self.capacity_editor),
                                 failure=lambda e: page_parts.show_error(self, _("The capacity"), e), initiator=self)

    def _save_wikidata(self) -> None:
        capacity_id, text = self._current_capacity, self.wikidata.value()
        self.context.tasks.write(lambda s: save_capacity_wikidata(s, capacity_id, text),
                                 success=lambda kept: (self.wikidata.load(kept), self.reload()),
                                 failure=lambda e: page_parts.show_error(self, _("The Wikidata item"), e),
                                 initiator=self)


class WikidataRow(QWidget):
    """A capacity's Wikidata item id, which the Capacity Exchange matches capacities on."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setMaxLength(16)
        self.field.setPlaceholderText("Q11024")
        self.field.setAccessibleName(_("Wikidata item"))
        caption = QLabel(_("&Wikidata item:"))
        caption.setBuddy(self.field)
        self.save_button = QPushButton(_("Save &item"))
        self.address = quiet(QLabel())
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = quiet(wrapped(_("The Capacity Exchange and other tools know a capacity by this id.")))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(caption)
        row.addWidget(self.field, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addLayout(row)
        layout.addWidget(self.address)
        layout.addWidget(self.hint)
        self._baseline = ""
        self.field.textChanged.connect(self._update)
        self.field.returnPressed.connect(self._save)
        self.save_button.clicked.connect(self._save)
        self.load("")

    def load(self, value: str, *, visible: bool | None = None) -> None:
        self._baseline = value
        with QSignalBlocker(self.field):
            self.field.setText(value)
        if visible is not None:
            self.setVisible(visible)
        self._update()

    def value(self) -> str:
        return self.field.text()

    def is_dirty(self) -> bool:
        return not self.isHidden() and self.field.text().strip() != self._baseline

    def undo(self) -> None:
        self.load(self._baseline)

    def _save(self) -> None:
        if self.field.text().strip() != self._baseline:
            self.save_requested.emit()

    def _update(self) -> None:
        self.save_button.setEnabled(self.field.text().strip() != self._baseline)
        # Shown as text, not fetched: the page works without a connection.
        self.address.setText(f"https://www.wikidata.org/wiki/{self._baseline}" if self._baseline else
                             _("No Wikidata item yet."))
