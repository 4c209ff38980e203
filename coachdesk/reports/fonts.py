"""The font PDFs print with: CoachDesk Sans, Noto Sans with the Arabic, Devanagari and Bengali
Noto families merged in (OFL; built by packaging/merge_fonts.py into resources/fonts/).

One font for every script keeps mixed lines right (an Arabic handout naming a mentee in Latin
letters): reportlab lays out right-to-left text correctly only within a single font. Fonts are
embedded as subsets and text stays text, so PDFs are selectable and searchable. Words are shaped
by HarfBuzz (uharfbuzz) and lines ordered by the bidirectional algorithm (``reports.bidi``).
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from coachdesk.reports import bidi

bidi.install()  # before reportlab's text module is imported anywhere below

from reportlab.lib.fonts import addMapping  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402

from coachdesk.paths import resources_dir  # noqa: E402

REGULAR = "CoachDeskSans"
BOLD = "CoachDeskSans-Bold"


@cache
def register() -> None:
    """Register the regular and bold faces with reportlab (once per process)."""
    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "CoachDeskSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "CoachDeskSans-Bold.ttf")))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def markup(text: str) -> str:
    """Paragraph markup of plain ``text``: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")
