"""The desktop entry, the AppStream metadata and the icon: valid for desktops and software centres, and in step with the app."""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coachdesk import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
SCREENSHOTS = ROOT / "docs" / "screenshots"
#: docs/screenshots/ is published unchanged under this address (see the metainfo's comment).
SCREENSHOT_BASE = "https://coachdesk.org/screenshots/"
#: What the freedesktop hicolor theme, docks and installers ask for.
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

#: The only findings of `appstreamcli validate --pedantic` allowed: (tag, severity, hint).
ALLOWED = {
    # The id is the desktop entry's name and what the app reports to the desktop (APP_ID);
    # reverse-DNS ids keep an application's capitals (org.gnome.TextEditor), so this stays.
    ("cid-contains-uppercase-letter", "pedantic", APP_ID),
}
#: AppStream 1.0 replaced <developer_name> with <developer id=…>; validators before 1.0
#: (Debian 12 ships 0.16) do not know the new element yet and say so as information.
ALLOWED_BEFORE_1_0 = {("unknown-tag", "info", "developer")}


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package {package}; .ci/run installs it)")
    return path


def _appstream_findings(output: str) -> tuple[str, set[tuple[str, str, str]]]:
    """The validator's version and its findings, from `appstreamcli … --format yaml`."""
    version, findings, current = "", set(), None
    for line in output.splitlines():
        if line.startswith("Validator:"):
            version = line.split(":", 1)[1].strip()
        elif line.startswith("- tag:"):
            if current:
                findings.add(tuple(current))
            current = [line.split(":", 1)[1].strip(), "", ""]
        elif current and line.startswith("  severity:"):
            current[1] = line.split(":", 1)[1].strip()
        elif current and line.startswith("  hint:"):
            current[2] = line.split(":", 1)[1].strip()
    if current:
        findings.add(tuple(current))
    return version, findings


def _assert_appstream_clean(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    version, findings = _appstream_findings(result.stdout)
    allowed = set(ALLOWED)
    if int(version.split(".")[0] or 0) < 1:
        allowed |= ALLOWED_BEFORE_1_0
    assert findings <= allowed, report


def _metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_metainfo_passes_appstream_validation():
    tool = _tool("appstreamcli", "appstream")
    _assert_appstream_clean([tool, "validate", "--no-net", "--pedantic", "--format", "yaml", str(METAINFO)])


def test_installed_layout_passes_appstream_validation(tmp_path: Path):
    """Laid out as a package installs them, the metainfo finds its desktop entry and icons."""
    tool = _tool("appstreamcli", "appstream")
    share = tmp_path / "usr" / "share"
    (share / "metainfo").mkdir(parents=True)
    (share / "applications").mkdir()
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copy(DESKTOP, share / "applications")
    shutil.copytree(ICONS / "hicolor", share / "icons" / "hicolor")
    _assert_appstream_clean([tool, "validate-tree", "--no-net", "--pedantic", "--format", "yaml", str(tmp_path)])


def test_desktop_entry_passes_desktop_file_validate():
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    # Not even a hint: each one is something a desktop shows wrongly (a second menu entry …).
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_desktop_entry_starts_the_installed_command_with_the_apps_icon():
    entry = _desktop_entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert entry["Exec"].split()[0] in scripts
    assert entry["Icon"] == APP_ID
    # Qt names a window's X11 class after the application name set at start.
    assert entry["StartupWMClass"] == APP_NAME


def test_metainfo_describes_this_release_of_this_app():
    root = _metainfo()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("project_license") == pyproject["license"]
    assert root.findtext("developer/name") == "The CoachDesk team"
    assert root.findtext("provides/binary") in pyproject["scripts"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__  # the newest comes first
    assert releases[0].findall("description/ul/li")


def test_every_screenshot_is_in_the_repository_at_its_stated_size():
    screenshots = _metainfo().findall("screenshots/screenshot")
    assert [s.get("type") for s in screenshots].count("default") == 1
    for screenshot in screenshots:
        assert screenshot.findtext("caption", "").strip()
        for image in screenshot.findall("image"):
            url = image.text.strip()
            assert url.startswith(SCREENSHOT_BASE), url
            path = SCREENSHOTS / url.removeprefix(SCREENSHOT_BASE)
            assert path.is_file(), f"{url} names {path.relative_to(ROOT)}, which does not exist"
            assert _png_size(path) == (int(image.get("width")), int(image.get("height"))), url


@pytest.mark.parametrize("size", SIZES)
def test_every_icon_size_is_a_png_of_that_size(size: int):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert path.is_file()
    assert _png_size(path) == (size, size)


def test_scalable_icon_is_a_square_svg():
    root = ET.parse(ICONS / f"{APP_ID}.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height


def test_icon_pngs_are_drawn_from_the_current_svgs(qtbot):
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    assert make_icons.stale_sizes() == [], "run packaging/make_icons.py and commit the PNGs"


def test_app_icon_holds_every_size_as_drawn(qtbot):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from coachdesk.ui.icon import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= set(SIZES)
    for size in SIZES:
        # The hand-drawn small sizes are used as they are, not a large one scaled down.
        shown = icon.pixmap(QSize(size, size)).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        drawn = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert shown == drawn.convertToFormat(QImage.Format.Format_ARGB32)


def test_the_app_shows_its_icon(qtbot):
    from coachdesk.ui.app import make_application

    app = make_application()
    assert not app.windowIcon().isNull()
    assert 16 in {size.width() for size in app.windowIcon().availableSizes()}
