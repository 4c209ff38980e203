"""Full-text search over session notes and mentee names (SQLite FTS5, made by migration 0002)."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, text


def words(query: str) -> list[str]:
    """Split ``query`` into words as the index's tokenizer does: letters, numbers and marks."""
    found: list[str] = []
    current: list[str] = []
    for char in query:
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "session" or "mentee"
    id: uuid.UUID
    title: str
    snippet: str


def match_expression(query: str) -> str | None:
    """Turn what a person typed into an FTS5 query: every word must appear, the last as a prefix.

    Quoting each word keeps FTS5 operators and punctuation in user input from being parsed.
    """
    found = words(query)
    if not found:
        return None
    quoted = [f'"{w}"' for w in found]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(connection: Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """Mentees, then sessions, whose text holds every word of ``query``; most recently entered first.

    Recent first rather than by relevance: it lets SQLite stop after ``limit`` matches
    instead of ranking every match, and recent work is what a coach looks for most.
    """
    expression = match_expression(query)
    if expression is None:
        return []
    mentees = connection.execute(
        text(
            "SELECT m.id, m.name, snippet(search_mentee, -1, '[', ']', '…', 8) FROM search_mentee "
            "JOIN mentee m ON m.rowid = search_mentee.rowid "
            "WHERE search_mentee MATCH :q AND m.deleted = 0 ORDER BY search_mentee.rowid DESC LIMIT :limit"
        ),
        {"q": expression, "limit": limit},
    ).all()
    sessions = connection.execute(
        text(
            "SELECT s.id, s.title, snippet(search_session, -1, '[', ']', '…', 12) FROM search_session "
            "JOIN coaching_session s ON s.rowid = search_session.rowid "
            "WHERE search_session MATCH :q AND s.deleted = 0 ORDER BY search_session.rowid DESC LIMIT :limit"
        ),
        {"q": expression, "limit": limit},
    ).all()
    hits = [SearchHit("mentee", uuid.UUID(bytes=r[0]), r[1], r[2]) for r in mentees]
    hits += [SearchHit("session", uuid.UUID(bytes=r[0]), r[1], r[2]) for r in sessions]
    return hits[:limit]


def rebuild(connection: Connection) -> None:
    """Rebuild the indexes from their tables (after a VACUUM, or to repair them)."""
    for index in ("search_session", "search_mentee"):
        connection.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ``ESCAPE '\\'``: its own %, _ and \\ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
