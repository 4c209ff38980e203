"""Fonts shipped with CoachDesk, so Arabic, Devanagari and Bengali names show on machines without them."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from coachdesk.paths import resources_dir

_loaded: list[int] = []


def load_bundled_fonts() -> int:
    """Register the Noto fonts in resources/fonts once; Qt falls back to them for missing glyphs."""
    if not _loaded:
        for path in sorted((resources_dir() / "fonts").glob("Noto*.ttf")):  # CoachDeskSans is for PDFs
            _loaded.append(QFontDatabase.addApplicationFont(str(path)))
    return sum(1 for font_id in _loaded if font_id >= 0)
