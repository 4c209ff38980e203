"""The application's icon, for windows, dialogs and the task bar, from the PNGs CoachDesk ships."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from coachdesk import APP_ID
from coachdesk.paths import resources_dir

#: The sizes rendered by packaging/make_icons.py, as the freedesktop hicolor theme lays them out.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_file(size: int) -> Path:
    return resources_dir() / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def app_icon() -> QIcon:
    """The CoachDesk icon in every shipped size, so Qt never scales a large one down to 16 px."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_file(size)), QSize(size, size))
    return icon
