"""Help that works without a connection: the user guide in its own window, and the About box.

The guide is ``docs/user-guide.md`` with the screenshots beside it, shipped in the wheel
(``coachdesk.paths.docs_dir``). Qt's Markdown reader gives headings no anchors, so the window adds
GitHub's: a link such as ``[Backups](#backups-and-the-doctor)`` works here as it does on the forge.
"""

from __future__ import annotations

import platform
import re
from pathlib import Path

import PySide6
from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coachdesk import APP_NAME, __version__
from coachdesk.i18n import _, isolated
from coachdesk.paths import data_dir, user_guide

#: The guide is written in English for now; its page reads left to right whatever the app's language.
GUIDE_DIRECTION = Qt.LayoutDirection.LeftToRight
#: The licence in pyproject.toml; a test keeps the two the same.
LICENCE = "GPL-3.0-or-later"
LICENCE_URL = "https://www.gnu.org/licenses/gpl-3.0.html"
#: The guide's chapter that Help → Keyboard shortcuts opens.
SHORTCUTS_TOPIC = "keyboard-shortcuts"
EXTERNAL_SCHEMES = {"http", "https", "mailto"}


def open_external(url: QUrl) -> bool:
    """Open a web link in the browser (tests replace this)."""
    return QDesktopServices.openUrl(url)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


class HelpWindow(QWidget):
    """The user guide with its chapters beside it, links between them, Back and Forward, and Find."""

    def __init__(self, parent: QWidget | None = None, guide: Path | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("help_window")
        self.setWindowTitle(_("CoachDesk Help"))
        self.guide = guide or user_guide()
        self.anchors: dict[str, int] = {}  # heading anchor → position of its block
        self._back: list[int] = []  # where the reader was before each jump (scroll positions)
        self._forward: list[int] = []
        self._originals: dict[str, QImage | None] = {}  # image name → the file as shipped
        self._waiting = ""  # a heading to show once the window is shown

        self.contents = QListWidget()
        self.contents.setObjectName("help_contents")
        self.contents.setAccessibleName(_("Chapters"))
        self.contents.setLayoutDirection(GUIDE_DIRECTION)
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_browser")
        self.browser.setAccessibleName(_("User guide"))
        self.browser.setOpenLinks(False)  # links are ours: headings here, the web in the browser
        self.browser.setLayoutDirection(GUIDE_DIRECTION)
        self.browser.document().setUndoRedoEnabled(False)
        self.browser.anchorClicked.connect(self.follow)
        self.browser.verticalScrollBar().valueChanged.connect(self._follow_scrolling)
        self.contents.currentRowChanged.connect(self._chapter_chosen)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 760])

        self.find_bar = QWidget()
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("help_find")
        self.find_edit.setPlaceholderText(_("Word or phrase in the guide"))
        find_label = QLabel(_("&Find:"))
        find_label.setBuddy(self.find_edit)
        self.find_previous_button = QPushButton(_("&Previous"))
        self.find_next_button = QPushButton(_("&Next"))
        self.find_status = QLabel()
        self.find_status.setObjectName("help_find_status")
        close_find = QPushButton(_("Close"))
        close_find.setToolTip(_("Escape"))
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (find_label, self.find_edit, self.find_previous_button, self.find_next_button):
            bar.addWidget(widget)
        bar.addWidget(self.find_status, 1)
        bar.addWidget(close_find)
        self.find_bar.hide()
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(lambda _text: self.find(from_start=True))
        self.find_next_button.clicked.connect(self.find_next)
        self.find_previous_button.clicked.connect(self.find_previous)
        close_find.clicked.connect(self.close_find)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.find_bar)
        self._keys()

        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(80)
        self._fit_timer.timeout.connect(self._fit_images)
        self.resize(1000, 720)
        self.load()

    def _keys(self) -> None:
        for keys, slot in ((QKeySequence.StandardKey.Find, self.open_find),
                           (QKeySequence.StandardKey.FindNext, self.find_next),
                           (QKeySequence.StandardKey.FindPrevious, self.find_previous),
                           (QKeySequence.StandardKey.Back, self.back),
                           (QKeySequence.StandardKey.Forward, self.forward),
                           (QKeySequence(Qt.Key.Key_Escape), self.escape)):
            QShortcut(QKeySequence(keys), self, slot)

    # -- the guide

    def guide_url(self, anchor: str = "") -> QUrl:
        url = QUrl.fromLocalFile(str(self.guide))
        if anchor:
            url.setFragment(anchor)
        return url

    def load(self) -> None:
        document = self.browser.document()
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(GUIDE_DIRECTION)
        document.setDefaultTextOption(option)
        if not self.guide.is_file():
            self.browser.setPlainText(_("The user guide is missing from this installation: {file}. Reinstalling "
                                        "CoachDesk brings it back.").format(file=isolated(self.guide)))
            return
        # Loaded once, by hand: setSource would load it again on every jump to a heading, losing the anchors.
        self.browser.setSearchPaths([str(self.guide.parent)])
        document.setBaseUrl(self.guide_url())
        document.setMarkdown(self.guide.read_text(encoding="utf-8"))
        document.setDocumentMargin(14)
        self._mark_headings()
        self._fit_images()
        self.browser.setTextCursor(QTextCursor(document))  # the guide opens at its top, not at its end
        self.contents.blockSignals(True)
        for level, text, _anchor, _position in self.headings():
            if level == 2:
                self.contents.addItem(text)
        self.contents.setCurrentRow(0)
        self.contents.blockSignals(False)

    def headings(self) -> list[tuple[int, str, str, int]]:
        """(level, text, anchor, position) of every heading, in order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                anchor = next((name for name, at in self.anchors.items() if at == block.position()), "")
                found.append((level, block.text(), anchor, block.position()))
            block = block.next()
        return found

    def _mark_headings(self) -> None:
        """Give every heading GitHub's anchor, and room above it."""
        document = self.browser.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        block = document.begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                anchor = base = slug(block.text())
                number = 0
                while anchor in self.anchors:
                    number += 1
                    anchor = f"{base}-{number}"
                self.anchors[anchor] = block.position()
                cursor.setPosition(block.position())
                cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
                names = QTextCharFormat()
                names.setAnchor(True)
                names.setAnchorNames([anchor])
                cursor.mergeCharFormat(names)
                room = QTextBlockFormat()
                room.setTopMargin({1: 4, 2: 22}.get(level, 14))
                room.setBottomMargin(6)
                cursor.mergeBlockFormat(room)
            block = block.next()
        cursor.endEditBlock()

    def images(self) -> list[tuple[str, int, int]]:
        """(name, shown width, shown height) of every image in the guide."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                image = it.fragment().charFormat().toImageFormat()
                if image.isValid() and image.isImageFormat():
                    found.append((image.name(), round(image.width()), round(image.height())))
                it += 1
            block = block.next()
        return found

    def _fit_images(self) -> None:
        """Screenshots at their own size, or narrower to fit the window (scaled smoothly, framed so they
        do not pass for the real window); never wider than the page."""
        document = self.browser.document()
        room = max(200, self.browser.viewport().width() - 2 * int(document.documentMargin()) - 8)
        ratio = self.devicePixelRatioF()
        bar = self.browser.verticalScrollBar()
        reading = self.browser.cursorForPosition(QPoint(0, 0)).block() if bar.value() else None
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                image = fragment.charFormat().toImageFormat()
                original = self._original(image.name()) if image.isValid() and image.isImageFormat() else None
                if original is not None:
                    shown = original.size()
                    if shown.width() > room:
                        shown = shown.scaled(room, 10**6, Qt.AspectRatioMode.KeepAspectRatio)
                    # The document looks a resource up by its name resolved against the guide's address.
                    document.addResource(QTextDocument.ResourceType.ImageResource,
                                         document.baseUrl().resolved(QUrl(image.name())),
                                         self._framed(original, shown, ratio))
                    image.setWidth(shown.width())
                    image.setHeight(shown.height())
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
                it += 1
            block = block.next()
        cursor.endEditBlock()
        if reading is not None:  # the pictures changed height: keep the reader at the text they were reading
            bar.setValue(round(document.documentLayout().blockBoundingRect(reading).top()))

    def _original(self, name: str) -> QImage | None:
        if name not in self._originals:
            url = QUrl(name)
            path = Path(url.toLocalFile()) if url.isLocalFile() else self.guide.parent / name
            image = QImage(str(path))
            self._originals[name] = None if image.isNull() else image
        return self._originals[name]

    def _framed(self, original: QImage, shown: QSize, ratio: float) -> QImage:
        image = original.scaled(shown * ratio, Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.SmoothTransformation).convertToFormat(QImage.Format.Format_RGB32)
        painter = QPainter(image)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
        painter.end()
        image.setDevicePixelRatio(ratio)
        return image

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_images()
        if self._waiting:  # asked for before the window had its size
            self.browser.scrollToAnchor(self._waiting)
            self._waiting = ""

    # -- moving around

    def show_topic(self, anchor: str) -> bool:
        """Scroll to the heading with ``anchor`` (Back returns); False when the guide has none."""
        if anchor not in self.anchors:
            return False
        self._back.append(self._scrolled())
        self._forward.clear()
        if self.isVisible():
            self.browser.scrollToAnchor(anchor)
        else:
            self._waiting = anchor
        return True

    def _scrolled(self) -> int:
        return self.browser.verticalScrollBar().value()

    def back(self) -> None:
        if self._back:
            self._forward.append(self._scrolled())
            self.browser.verticalScrollBar().setValue(self._back.pop())

    def forward(self) -> None:
        if self._forward:
            self._back.append(self._scrolled())
            self.browser.verticalScrollBar().setValue(self._forward.pop())

    def follow(self, url: QUrl) -> None:
        """A click on a link: a heading of the guide scrolls there, a web address opens in the browser."""
        if url.scheme() in EXTERNAL_SCHEMES:
            open_external(url)
        elif url.fragment() and (not url.path() or url.adjusted(QUrl.UrlFormattingOption.RemoveFragment)
                                 == self.guide_url()):
            self.show_topic(url.fragment())

    def _chapter_chosen(self, row: int) -> None:
        chapters = [anchor for level, _text, anchor, _position in self.headings() if level == 2]
        if 0 <= row < len(chapters):
            self.show_topic(chapters[row])

    def _follow_scrolling(self, value: int) -> None:
        """The chapter being read stays selected in the list."""
        document = self.browser.document()
        layout = document.documentLayout()
        row = -1
        for level, _text, _anchor, position in self.headings():
            if level != 2:
                continue
            if layout.blockBoundingRect(document.findBlock(position)).top() > value + 40:
                break
            row += 1
        self.contents.blockSignals(True)
        self.contents.setCurrentRow(max(row, 0))
        self.contents.blockSignals(False)

    # -- finding

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.find_status.clear()
        self.browser.setFocus()

    def escape(self) -> None:
        if self.find_bar.isVisible():
            self.close_find()
        else:
            self.close()

    def find(self, backward: bool = False, from_start: bool = False) -> bool:
        """Select the next (or previous) place the find box's text appears, going round at the end."""
        text = self.find_edit.text()
        if not text:
            self.find_status.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if from_start:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        found = self.browser.find(text, flags)
        if not found:  # go round
            self.browser.moveCursor(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = self.browser.find(text, flags)
        self.find_status.setText("" if found else _("Not found"))
        return found

    def find_next(self) -> bool:
        if not self.find_bar.isVisible():
            self.open_find()
        return self.find()

    def find_previous(self) -> bool:
        if not self.find_bar.isVisible():
            self.open_find()
        return self.find(backward=True)


def versions() -> str:
    return _("Python {python}, Qt {qt}, PySide6 {pyside}").format(
        python=platform.python_version(), qt=qVersion(), pyside=PySide6.__version__)


class AboutDialog(QDialog):
    """The version, where the data lives, the licence and what CoachDesk runs on; Copy puts it in a bug report."""

    def __init__(self, database: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About CoachDesk"))
        self.database = database
        name = QLabel(APP_NAME)
        font = QFont(name.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        name.setFont(font)
        self.version_label = QLabel(_("Version {version}").format(version=__version__))
        self.version_label.setObjectName("about_version")
        summary = QLabel(_("For coaches, mentors, trainers and circuit riders who build capacity in open-knowledge "
                           "communities. It works without a connection."))
        summary.setWordWrap(True)

        self.folder_label = self._value(str(data_dir()))
        self.folder_label.setObjectName("about_data_folder")
        self.database_label = self._value(str(database) if database else _("Not open yet"))
        self.database_label.setObjectName("about_database")
        licence = QLabel('<a href="{url}">{text}</a>'.format(
            url=LICENCE_URL, text=_("GNU General Public License, version 3 or later ({licence})").format(
                licence=LICENCE)))
        licence.setObjectName("about_licence")
        licence.setTextFormat(Qt.TextFormat.RichText)
        licence.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        licence.setWordWrap(True)
        licence.linkActivated.connect(lambda link: open_external(QUrl(link)))
        self.versions_label = self._value(versions())
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Data folder:"), self.folder_label)
        form.addRow(_("Database:"), self.database_label)
        form.addRow(_("Licence:"), licence)
        form.addRow(_("Runs on:"), self.versions_label)

        self.copy_button = QPushButton(_("&Copy details"))
        self.copy_button.setToolTip(_("For a message to whoever helps you with CoachDesk"))
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton(_("&Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(self.version_label)
        layout.addWidget(summary)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        width = max(520, self.sizeHint().width())
        self.resize(width, self.heightForWidth(width))  # as tall as the wrapped text needs, no taller

    @staticmethod
    def _value(text: str) -> QLabel:
        label = QLabel(isolated(text))
        label.setWordWrap(True)
        if QGuiApplication.isRightToLeft():  # a Latin path would drift to the far side, away from its caption
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        return label

    def details(self) -> str:
        return "\n".join([
            f"{APP_NAME} {__version__}",
            _("Data folder: {folder}").format(folder=data_dir()),
            _("Database: {file}").format(file=self.database or "-"),
            _("Licence: {licence}").format(licence=LICENCE),
            versions(),
            platform.platform(),
        ])

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self.copy_button.setText(_("Copied"))


__all__ = ["AboutDialog", "HelpWindow", "LICENCE", "SHORTCUTS_TOPIC", "open_external", "slug", "versions"]
