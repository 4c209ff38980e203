"""Build resources/fonts/CoachDeskSans-{Regular,Bold}.ttf: Noto Sans with Noto Sans Arabic,
Devanagari and Bengali merged in (all OFL; see resources/fonts/OFL.txt).

PDFs print with this one family so that a line mixing scripts (an Arabic handout naming a
mentee in Latin letters) is one font: reportlab's right-to-left layout is only correct within
a single font. Run with ``make fonts`` after updating the Noto files; the output is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.merge import Merger, Options

FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
SOURCES = ("NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansBengali")


def build(weight: str) -> Path:
    merged = Merger(options=Options(drop_tables=["vhea", "vmtx"])).merge(
        [str(FONTS / f"{stem}-{weight}.ttf") for stem in SOURCES])
    names = merged["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    names.setName("CoachDesk Sans", 1, 3, 1, 0x409)
    names.setName(weight, 2, 3, 1, 0x409)
    names.setName(f"CoachDesk Sans {weight}; merged from Noto Sans, Arabic, Devanagari, Bengali", 3, 3, 1, 0x409)
    names.setName(f"CoachDesk Sans {weight}", 4, 3, 1, 0x409)
    names.setName(f"CoachDeskSans-{weight}", 6, 3, 1, 0x409)
    out = FONTS / f"CoachDeskSans-{weight}.ttf"
    merged.save(str(out))
    return out


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        print(build(weight))
    sys.exit(0)
