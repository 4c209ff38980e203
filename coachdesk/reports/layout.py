"""The page every CoachDesk PDF shares: paper by locale, styles in the document's language and
direction, tables that read right to left in Arabic, running header and "page x of y" footer,
metadata, and an atomic write.

Everything here speaks the active language (``coachdesk.i18n``); printing in another language
than the app's wraps the work in ``i18n.use_language``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coachdesk.reports import fonts

fonts.register()

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4, LETTER  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: E402

from coachdesk import __version__  # noqa: E402
from coachdesk.atomic import atomic_write  # noqa: E402
from coachdesk.errors import InputError, os_reason  # noqa: E402
from coachdesk.i18n import _, current_language, format_date, territory, text_direction  # noqa: E402

#: Countries that print on US Letter; everyone else uses A4.
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "SV", "NI", "DO",
                              "BZ"})
PROGRAM = "CoachDesk"
#: The padding reportlab's page frame keeps inside the margins (Frame's default, in points).
FRAME_PADDING = 6
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e4e7eb")
ACCENT = colors.HexColor("#0b6e99")


def paper(language: str | None = None) -> tuple[float, float]:
    return LETTER if territory(language) in LETTER_COUNTRIES else A4


@dataclass
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    furniture: ParagraphStyle


def styles(rtl: bool) -> Styles:
    align = TA_RIGHT if rtl else TA_LEFT
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5, leading=13.5, textColor=INK, alignment=align,
                          wordWrap="RTL" if rtl else "LTR", shaping=1, spaceAfter=4,
                          # A word cut in two loses its shaping (a Devanagari cluster, Arabic joining).
                          splitLongWords=0)

    def derive(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return Styles(
        title=derive("title", fontName=fonts.BOLD, fontSize=18, leading=24, spaceAfter=2, textColor=ACCENT),
        subtitle=derive("subtitle", fontSize=11, leading=16, textColor=MUTED, spaceAfter=8),
        heading=derive("heading", fontName=fonts.BOLD, fontSize=12, leading=16, spaceBefore=7, spaceAfter=3),
        body=base,
        small=derive("small", fontSize=8.5, leading=12, textColor=MUTED),
        cell=derive("cell", fontSize=9, leading=12.5, spaceAfter=0),
        cell_head=derive("cell_head", fontName=fonts.BOLD, fontSize=9, leading=12.5, spaceAfter=0),
        furniture=derive("furniture", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
    )


class Page:
    """One document being laid out: its language, styles and helpers for paragraphs and tables."""

    def __init__(self, title: str, subject: str = "", author: str = "") -> None:
        self.language = current_language()
        self.rtl = text_direction() == "rtl"
        self.title = title
        self.subject = subject
        self.author = author or PROGRAM
        self.styles = styles(self.rtl)
        self.size = paper(self.language)
        self.margin = 18 * mm
        self.generated = date.today()

    @property
    def width(self) -> float:
        """The width text and tables may use: inside the margins and the frame's own padding, so a
        table that fills it ends where the header's rule ends."""
        return self.size[0] - 2 * (self.margin + FRAME_PADDING)

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(fonts.markup(text), getattr(self.styles, style))

    def bold(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(f"<b>{fonts.markup(text)}</b>", getattr(self.styles, style))

    def space(self, height: float = 6) -> Spacer:
        return Spacer(1, height)

    def table(self, rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
              min_height: float = 0, zebra: bool = True, extra: Sequence[tuple] = ()) -> Table:
        """A ruled table; strings become wrapped cells. Right to left, columns run from the right."""
        cells: list[list[Any]] = []
        for n, row in enumerate(rows):
            style = self.styles.cell_head if header and n == 0 else self.styles.cell
            cells.append([Paragraph(fonts.markup(str(value)), style) if isinstance(value, str) else value
                          for value in row])
        widths = list(widths)
        total = sum(widths)
        widths = [w * self.width / total for w in widths]  # shares of the text width
        columns = len(widths)
        if self.rtl:
            cells = [list(reversed(row)) for row in cells]
            widths.reverse()
        commands: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        if zebra:
            for n in range(2 if header else 1, len(cells), 2):
                commands.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#f5f7fa")))
        for command in extra:
            if self.rtl and len(command) >= 3 and isinstance(command[1], tuple):
                # Columns given left to right for the reading order mirror with the table.
                (c0, r0), (c1, r1) = command[1], command[2]
                c0, c1 = (columns - 1 - (c0 % columns), columns - 1 - (c1 % columns))
                command = (command[0], (min(c0, c1), r0), (max(c0, c1), r1), *command[3:])
            commands.append(command)
        heights = None
        if min_height:
            heights = [None] + [min_height] * (len(cells) - 1) if header else [min_height] * len(cells)
        table = Table(cells, colWidths=widths, rowHeights=heights, repeatRows=1 if header else 0,
                      hAlign="RIGHT" if self.rtl else "LEFT")
        table.setStyle(TableStyle(commands))
        return table

    def lines(self, count: int, caption: str = "") -> list[Flowable]:
        """Ruled lines for handwriting."""
        return [self.p(caption, "small") if caption else self.space(0), _Ruled(self.width, count)]

    # -- writing

    def render(self, story: list[Flowable]) -> tuple[bytes, int]:
        """The PDF's bytes and its number of pages."""
        buffer = io.BytesIO()
        page = self
        pages: list[int] = []

        class _Canvas(_NumberedCanvas):
            def draw_furniture(self, number: int, total: int) -> None:  # noqa: D102
                page._furniture(self, number, total)
                pages.append(total)

        doc = SimpleDocTemplate(buffer, pagesize=self.size, leftMargin=self.margin, rightMargin=self.margin,
                                topMargin=self.margin + 6 * mm, bottomMargin=self.margin + 4 * mm, title=self.title,
                                author=self.author, subject=self.subject, creator=f"{PROGRAM} {__version__}",
                                producer=f"{PROGRAM} {__version__}", lang=self.language.replace("_", "-"),
                                displayDocTitle=1)
        doc.build(story, canvasmaker=_Canvas)
        return buffer.getvalue(), (pages[-1] if pages else 0)

    def write(self, story: list[Flowable], out: Path) -> int:
        """Lay out and write the PDF to ``out`` whole or not at all; returns its page count."""
        data, count = self.render(story)
        write_file(data, out)
        return count

    def _furniture(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = self.size
        left, right = self.margin + FRAME_PADDING, width - self.margin - FRAME_PADDING  # lines up with the text
        style = self.styles.furniture
        top = ParagraphStyle("top", parent=style, alignment=TA_RIGHT if self.rtl else TA_LEFT)
        other = ParagraphStyle("other", parent=style, alignment=TA_LEFT if self.rtl else TA_RIGHT)
        centre = ParagraphStyle("centre", parent=style, alignment=TA_CENTER)
        half = (right - left) / 2

        def put(text: str, paragraph_style: ParagraphStyle, x: float, y: float, w: float) -> None:
            block = Paragraph(fonts.markup(text), paragraph_style)
            _w, h = block.wrap(w, 40)
            block.drawOn(canvas, x, y - h)

        header_y = height - self.margin + 2 * mm
        start, end = (left + half, left) if self.rtl else (left, left + half)
        put(PROGRAM, top, start, header_y, half)
        title = self.title if len(self.title) <= 70 else self.title[:69].rstrip() + "…"
        put(title, other, end, header_y, half)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, header_y - 12, right, header_y - 12)
        footer_y = self.margin - 2 * mm
        put(_("Printed {date}").format(date=format_date(self.generated, "long")), top, start, footer_y, half)
        put(_("Page {page} of {pages}").format(page=number, pages=total), other, end, footer_y, half)
        del centre


def write_file(data: bytes | str, out: Path) -> Path:
    """Write a PDF (or the CSV beside it) whole or not at all: a temporary name, synced, then renamed."""
    try:
        if isinstance(data, str):
            with atomic_write(out, "w", encoding="utf-8", newline="") as handle:
                handle.write(data)
        else:
            with atomic_write(out, "wb") as handle:
                handle.write(data)
    except OSError as error:
        raise InputError(_("{file} could not be written: {reason}.").format(
            file=out, reason=os_reason(error))) from None
    return out


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each can say "page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_furniture(number, total)
            super().showPage()
        super().save()

    def draw_furniture(self, number: int, total: int) -> None:
        raise NotImplementedError


class _Ruled(Flowable):
    """Empty ruled lines to write on by hand."""

    def __init__(self, width: float, count: int, gap: float = 9 * mm) -> None:
        super().__init__()
        self.width, self.count, self.gap = width, count, gap

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        for n in range(self.count):
            y = self.count * self.gap - (n + 1) * self.gap + 2
            self.canv.line(0, y, self.width, y)
