"""Reading and writing CSV files the way spreadsheets make them, with errors people can act on.

Files are UTF-8 (a byte-order mark is fine; UTF-16 from a spreadsheet's "Unicode" choice
too), separated by commas, semicolons or tabs, with a header row. Text cells that a
spreadsheet would run as a formula (starting with = + - @) are written with a leading
apostrophe, and the apostrophe is taken off again on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coachdesk.atomic import atomic_write
from coachdesk.errors import InputError, os_reason
from coachdesk.i18n import _, ngettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_FIELD = 1_000_000


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class CsvError(InputError):
    """A CSV file was refused. The first sentence says so; each problem follows on its own line."""

    def __init__(self, path: Path, headline: str, problems: Sequence[RowProblem] = ()) -> None:
        self.path = path
        self.headline = headline
        self.problems = list(problems)
        lines = [headline] + [_("line {line}: {problem}").format(line=p.line, problem=p.message) for p in problems]
        super().__init__("\n  ".join(lines))


def rows_refused(path: Path, problems: Sequence[RowProblem]) -> CsvError:
    bad_lines = len({p.line for p in problems})
    headline = ngettext(
        "{file} was not imported: {count} row has a problem, so nothing was changed.",
        "{file} was not imported: {count} rows have problems, so nothing was changed.",
        bad_lines,
    ).format(file=path.name, count=bad_lines)
    return CsvError(path, headline, problems)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise CsvError(path, _("{file} is not UTF-8 text (line {line} has a byte that is not UTF-8), so nothing "
                                   "was imported. Save it again with the character set “Unicode (UTF-8)”.")
                           .format(file=path.name, line=line)) from error
    raise CsvError(path, _("{file} is not readable text, so nothing was imported. Save it again as CSV with the "
                           "character set “Unicode (UTF-8)”.").format(file=path.name))


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (column names, lower-cased) and the rows with their line numbers.

    Raises :class:`CsvError` for a file that cannot be read as a table at all.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvError(path, _("{file} does not exist.").format(file=path)) from None
    except IsADirectoryError:
        raise CsvError(path, _("{file} is a folder, not a CSV file.").format(file=path)) from None
    except OSError as error:
        raise CsvError(path, _("{file} could not be read: {reason}.").format(file=path, reason=error.strerror)) from None
    text = _decode(path, data)
    if not text.strip():
        raise CsvError(path, _("{file} is empty: it has no header row, so nothing was imported.").format(file=path.name))
    if "\x00" in text:
        raise CsvError(path, _("{file} is not a CSV file (it holds binary data), so nothing was imported.")
                       .format(file=path.name))
    first_line = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        rows = []
        end = reader.line_num
        for cells in reader:
            # A row whose cells hold line breaks spans several lines; name the one it starts on.
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines at the end of spreadsheets
            if len(cells) > len(header):
                rows.append((line, {"\0extra": "|".join(cells[len(header):])} | dict(zip(header, cells))))
            else:
                rows.append((line, dict(zip(header, cells + [""] * (len(header) - len(cells))))))
    except csv.Error as error:
        raise CsvError(path, _("{file} is not a well-formed CSV file (line {line}: {reason}), so nothing was "
                               "imported.").format(file=path.name, line=reader.line_num, reason=error)) from None
    return header, rows


def _looks_guarded(text: str) -> bool:
    """Apostrophes followed by a formula character: what :func:`unguard` takes one apostrophe off."""
    body = text.lstrip("'")
    return len(body) < len(text) and body.startswith(FORMULA_STARTS)


def unguard(text: str) -> str:
    """Take off the apostrophe that guards a formula-like cell."""
    return text[1:] if _looks_guarded(text) else text


def guard(text: str) -> str:
    """Keep a spreadsheet from running a text cell as a formula.

    Text that itself looks guarded ("'=x") gets one more apostrophe, so unguard gives it back whole.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) or _looks_guarded(text) else text


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a UTF-8 CSV (with a byte-order mark, so every spreadsheet detects the encoding).

    The file appears complete or not at all.
    """
    count = 0
    try:
        with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as error:
        raise InputError(_("{file} could not be written: {reason}. Nothing was written.")
                         .format(file=path, reason=os_reason(error))) from None
    return count
