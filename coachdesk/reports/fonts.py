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


#: Arabic's optional vowel marks (tashkeel). Printed, each is a separate glyph placed over its
#: letter, and PDF readers then cut the word in two when they extract or search it; everyday
#: Arabic print leaves them out, and so do CoachDesk's PDFs.
_TASHKEEL = dict.fromkeys([*range(0x064B, 0x0653), 0x0670])


def markup(text: str) -> str:
    """Paragraph markup of plain ``text``: escaped, line breaks kept, optional Arabic vowel marks left out."""
    return escape(text.translate(_TASHKEEL)).replace("\n", "<br/>")


# -- searchable shaped text --------------------------------------------------------------------
#
# HarfBuzz turns some letters into glyphs no Unicode character names: an Arabic lam-alef or a
# letter with its shadda, a Devanagari conjunct such as क्ष. reportlab gives each such glyph a
# private-use code, and a PDF reader extracting or searching the text then finds nothing there.
# The shaper knows which characters each glyph came from (its cluster), so these wrappers keep
# that text and write it into the font's ToUnicode map: copy, search and screen readers get the
# real words back.

from reportlab.pdfbase import ttfonts  # noqa: E402
from reportlab.pdfgen import canvas as _canvas_module  # noqa: E402
from reportlab.platypus import paragraph as _paragraph_module  # noqa: E402

_PRIVATE_TEXT: dict[tuple[str, int], str] = {}
_shape_word = ttfonts.shapeFragWord
_unicode_map = ttfonts.makeToUnicodeCMap


def _face_name(font_name: str) -> str:
    name = pdfmetrics.getFont(font_name).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _remembering_shape(word, *args, **kwargs):  # type: ignore[no-untyped-def]
    shaped = _shape_word(word, *args, **kwargs)
    if shaped is word:
        return shaped
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    pieces = [(f, s, getattr(s, "__shapeData__", None)) for f, s in shaped[1:] if not hasattr(f, "cbDefn")]
    clusters = sorted({d.cluster for _f, _s, data in pieces if data for d in data})
    for frag, string, data in pieces:
        if not data:
            continue
        face = None
        for char, item in zip(string, data, strict=False):
            code = ord(char)
            if 0xE000 <= code <= 0xF8FF:
                face = face or _face_name(frag.fontName)
                following = next((c for c in clusters if c > item.cluster), len(text))
                _PRIVATE_TEXT.setdefault((face, code), text[item.cluster:following])
    return shaped


def _searchable_unicode_map(fontname, subset):  # type: ignore[no-untyped-def]
    face = str(fontname).split("+", 1)[-1]
    cmap = _unicode_map(fontname, subset)
    for index, code in enumerate(subset):
        text = _PRIVATE_TEXT.get((face, code))
        if text:
            cmap = cmap.replace("<%02X> <%04X>" % (index, code),
                                "<%02X> <%s>" % (index, text.encode("utf-16-be").hex().upper()), 1)
    return cmap


ttfonts.shapeFragWord = _remembering_shape
_paragraph_module.shapeFragWord = _remembering_shape
_canvas_module.shapeFragWord = _remembering_shape
ttfonts.makeToUnicodeCMap = _searchable_unicode_map
