"""Help: the user guide offline (F1), links between its headings, Find, the About box, one version number."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QMenu

from coachdesk import __version__, cli
from coachdesk.paths import data_dir, user_guide
from coachdesk.ui import help as help_ui
from coachdesk.ui.help import AboutDialog, HelpWindow
from coachdesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "user-guide.md"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
HEADING_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def _window(qtbot, context) -> MainWindow:
    window = MainWindow(context.db.name, context.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(context)
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts fire only in the active window
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _help(window: MainWindow) -> HelpWindow | None:
    return window.findChild(HelpWindow, "help_window")


def _guide(qtbot) -> HelpWindow:
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    guide.activateWindow()  # shortcuts fire only in the active window
    qtbot.waitUntil(guide.isActiveWindow)
    return guide


def _top_of(guide: HelpWindow, anchor: str) -> int:
    document = guide.browser.document()
    block = document.findBlock(guide.anchors[anchor])
    return round(document.documentLayout().blockBoundingRect(block).top())


def test_f1_opens_the_guide_at_its_first_heading_with_its_screenshots(qtbot, ui_context):
    window = _window(qtbot, ui_context)
    assert _help(window) is None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = _help(window)
    assert guide is not None and guide.isVisible()
    assert guide.windowTitle() == "CoachDesk Help"

    first_heading = next(line[2:].strip() for line in GUIDE.read_text(encoding="utf-8").splitlines()
                         if line.startswith("# "))
    document = guide.browser.document()
    assert document.begin().text() == first_heading
    assert document.begin().blockFormat().headingLevel() == 1
    assert guide.browser.verticalScrollBar().value() == 0
    assert guide.contents.item(0).text() == "Your first day"

    images = guide.images()
    assert len(images) >= 5
    shown = 0
    for name, width, height in images:
        loaded = document.resource(QTextDocument.ResourceType.ImageResource, document.baseUrl().resolved(QUrl(name)))
        assert isinstance(loaded, QImage) and not loaded.isNull(), f"{name} did not load"
        assert width > 100 and height > 100, f"{name} is drawn as a broken image ({width}×{height})"
        assert width <= guide.browser.viewport().width(), f"{name} is wider than the page"
        shown += 1
    assert shown == len(IMAGE.findall(GUIDE.read_text(encoding="utf-8")))
    # The block that holds the first screenshot is as tall as the screenshot: it is drawn, not a placeholder.
    holder = next(b for b in _blocks(document) if "\ufffc" in b.text())
    assert document.documentLayout().blockBoundingRect(holder).height() >= images[0][2]

    qtbot.keyClick(window, Qt.Key.Key_F1)  # a second F1 brings back the same window
    assert window.findChildren(HelpWindow) == [guide]


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def test_a_link_to_a_heading_scrolls_there_and_back_returns(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(help_ui, "open_external", lambda url: opened.append(url.toString()) or True)
    guide = _guide(qtbot)
    browser = guide.browser
    bar = browser.verticalScrollBar()
    # The chapter list at the top of the guide: click "Building a plan" as a reader would.
    cursor = browser.document().find("Building a plan")
    assert cursor.charFormat().anchorHref() == "#building-a-plan"
    cursor.setPosition(cursor.selectionStart() + 3)
    spot = browser.cursorRect(cursor).center()
    assert browser.anchorAt(spot) == "#building-a-plan"
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=spot)

    top = _top_of(guide, "building-a-plan")
    qtbot.waitUntil(lambda: bar.value() > 0)
    assert abs(bar.value() - top) <= 30, (bar.value(), top)
    assert guide.contents.currentItem().text() == "Building a plan"

    qtbot.keyClick(browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert bar.value() == 0
    qtbot.keyClick(browser, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert abs(bar.value() - top) <= 30

    # Choosing a chapter in the list beside the guide goes there too.
    guide.contents.setCurrentRow(guide.contents.count() - 1)
    assert guide.contents.currentItem().text() == "Where your data lives"
    assert abs(bar.value() - min(_top_of(guide, "where-your-data-lives"), bar.maximum())) <= 30

    # A web link opens in the browser and leaves the guide where it was.
    where = bar.value()
    guide.follow(QUrl("https://www.gnu.org/licenses/gpl-3.0.html"))
    assert opened == ["https://www.gnu.org/licenses/gpl-3.0.html"]
    assert bar.value() == where


def test_every_heading_link_and_image_of_the_guide_exists(qtbot):
    text = GUIDE.read_text(encoding="utf-8")
    guide = _guide(qtbot)
    links = HEADING_LINK.findall(text)
    assert len(links) >= 10
    missing = [link for link in links if link not in guide.anchors]
    assert not missing, f"links to headings the guide does not have: {missing}"
    assert help_ui.SHORTCUTS_TOPIC in guide.anchors
    for link in IMAGE.findall(text):
        assert link.startswith("screenshots/en/"), link
        assert (GUIDE.parent / link).is_file(), f"{link} is not in docs/ (make screenshots)"
    assert guide.guide == user_guide() == GUIDE


def test_the_shortcuts_item_opens_the_guide_at_that_chapter(qtbot, ui_context):
    window = _window(qtbot, ui_context)
    window.findChild(QMenu, "help_menu").actions()[1].trigger()
    guide = _help(window)
    bar = guide.browser.verticalScrollBar()
    assert abs(bar.value() - min(_top_of(guide, "keyboard-shortcuts"), bar.maximum())) <= 30
    assert guide.contents.currentItem().text() == "Keyboard shortcuts"


def test_find_in_the_guide(qtbot):
    guide = _guide(qtbot)
    assert not guide.find_bar.isVisible()
    qtbot.keyClick(guide.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert guide.find_bar.isVisible() and guide.find_edit.hasFocus()
    qtbot.keyClicks(guide.find_edit, "passphrase")
    assert guide.browser.textCursor().selectedText().lower() == "passphrase"
    first = guide.browser.textCursor().selectionStart()
    qtbot.keyClick(guide.find_edit, Qt.Key.Key_Return)
    assert guide.browser.textCursor().selectionStart() > first
    assert guide.find_status.text() == ""

    guide.find_edit.clear()
    qtbot.keyClicks(guide.find_edit, "zebrafinch")
    assert guide.find_status.text() == "Not found"
    qtbot.keyClick(guide.find_edit, Qt.Key.Key_Escape)
    assert not guide.find_bar.isVisible() and guide.isVisible()
    qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_a_missing_guide_is_said_in_one_sentence(qtbot, tmp_path):
    guide = HelpWindow(guide=tmp_path / "user-guide.md")
    qtbot.addWidget(guide)
    assert guide.browser.toPlainText().startswith("The user guide is missing from this installation: ")
    assert guide.contents.count() == 0


def test_about_shows_the_version_the_data_folder_and_the_database(qtbot, ui_context):
    window = _window(qtbot, ui_context)
    window.findChild(QMenu, "help_menu").actions()[-1 - 1].trigger()  # the last is About Qt
    about = window.findChild(AboutDialog, "about_dialog")
    assert about is not None and about.isVisible()
    assert about.windowTitle() == "About CoachDesk"
    assert __version__ in about.version_label.text()
    assert str(data_dir()) in about.folder_label.text()
    assert str(ui_context.db.path) in about.database_label.text()
    assert "GPL-3.0-or-later" in about.findChild(type(about.folder_label), "about_licence").text()
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"CoachDesk {__version__}" in copied and str(data_dir()) in copied


def test_the_help_menu_is_reachable_with_the_keyboard(qtbot, ui_context):
    window = _window(qtbot, ui_context)
    menu = window.findChild(QMenu, "help_menu")
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "CoachDesk &Help", "&Keyboard shortcuts", "&About CoachDesk", "About &Qt"]
    assert menu.actions()[0].shortcut().toString() == "F1"
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_A)  # &About CoachDesk
    qtbot.waitUntil(lambda: window.findChild(AboutDialog, "about_dialog") is not None)
    assert not menu.isVisible()


def test_in_arabic_the_window_mirrors_and_the_english_guide_reads_left_to_right(qtbot):
    app = QApplication.instance()
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        guide = _guide(qtbot)
        about = AboutDialog(None)
        qtbot.addWidget(about)
        assert guide.isRightToLeft() and about.isRightToLeft()
        assert guide.browser.layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert guide.browser.document().begin().layout().textOption().textDirection() \
            == Qt.LayoutDirection.LeftToRight
        # The chapters list sits at the right, the side Arabic starts from.
        right_of = guide.contents.mapTo(guide, QPoint(0, 0)).x()
        assert right_of > guide.browser.mapTo(guide, QPoint(0, 0)).x()
    finally:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_one_version_number_in_the_changelog_the_command_line_and_the_package(capsys):
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
    assert released, "the changelog names no released version"
    assert released[0] == __version__, f"CHANGELOG.md's newest release is {released[0]}, coachdesk is {__version__}"
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"CoachDesk {__version__}"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["version"]["path"] == "coachdesk/__init__.py"
    assert pyproject["project"]["license"] == help_ui.LICENCE


@pytest.mark.slow
def test_the_wheel_carries_the_guide_and_help_reads_it_installed(tmp_path):
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (wheel,) = out.glob("coachdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "coachdesk/docs/user-guide.md" in names
    shown = IMAGE.findall(GUIDE.read_text(encoding="utf-8"))
    for link in shown:
        assert f"coachdesk/docs/{link}" in names
    assert not any(n.startswith("coachdesk/docs/") and n.endswith(".md") and n != "coachdesk/docs/user-guide.md"
                   for n in names), "only the user guide is shipped"

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("from PySide6.QtWidgets import QApplication; app = QApplication([]);"
             "from coachdesk.ui.help import HelpWindow; w = HelpWindow(); w.show(); app.processEvents();"
             "print(w.guide); print(sum(1 for _n, width, _h in w.images() if width > 100))")
    env = os.environ | {"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen",
                        "COACHDESK_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    where, images = run.stdout.split()[-2:]
    assert where == str(site / "coachdesk" / "docs" / "user-guide.md")
    assert int(images) == len(shown)
