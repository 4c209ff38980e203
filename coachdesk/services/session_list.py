"""The session list: keys filtered and sorted in SQL, rows fetched by page, quick at 100k sessions; and the
mentee names offered as one types a participant.

Like the mentee list (``services.mentees``), it works on SQLite rowids and the raw cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from coachdesk.i18n import ngettext
from coachdesk.model import MenteeKind, SessionKind
from coachdesk.store.search import match_expression
from coachdesk.store.search import escape_like

SORTABLE = {
    "started_at": "s.started_at",
    "kind": "s.kind",
    "title": "s.title COLLATE NOCASE",
    "duration": "s.duration_minutes",
    "location": "s.location COLLATE NOCASE",
}


def participants_summary(first: str | None, count: int) -> str:
    """"Aisha Bello", or "Aisha Bello and 11 others"."""
    if not count or not first:
        return ""
    if count == 1:
        return first
    others = count - 1
    return ngettext("{name} and {count} other", "{name} and {count} others", others).format(name=first, count=others)


def session_keys(connection: Connection, text: str = "", kind: SessionKind | None = None,
                 sort: str = "started_at", ascending: bool = False) -> list[int]:
    """Rowids of live sessions of ``kind`` (if given) whose title, notes or next steps (full text) or
    participants' names hold ``text``, in the order asked for (newest first by default).

    The ``+`` keeps SQLite from walking the started_at index and looking up every row for its
    ``deleted`` flag: at 100k sessions a scan and a sort take less than half as long.
    """
    clauses, params = ["s.deleted = 0"], {}
    if kind is not None:
        clauses.append("s.kind = :kind")
        params["kind"] = kind.value
    if text.strip():
        params["like"] = f"%{escape_like(text.strip())}%"
        found = ["s.id IN (SELECT sp.session_id FROM session_participant sp WHERE sp.deleted = 0 AND sp.mentee_id "
                 "IN (SELECT id FROM mentee WHERE deleted = 0 AND name LIKE :like ESCAPE '\\'))"]
        expression = match_expression(text)
        if expression:
            params["match"] = expression
            found.append("s.rowid IN (SELECT rowid FROM search_session WHERE search_session MATCH :match)")
        clauses.append(f"({' OR '.join(found)})")
    order = "+" + SORTABLE.get(sort, SORTABLE["started_at"])
    direction = "ASC" if ascending else "DESC"
    sql = f"SELECT s.rowid FROM coaching_session s WHERE {' AND '.join(clauses)} ORDER BY {order} {direction}, s.rowid"
    cursor = connection.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    return [r[0] for r in cursor.fetchall()]


@dataclass(frozen=True)
class SessionRow:
    rowid: int
    id: uuid.UUID
    started_at: datetime
    kind: SessionKind
    title: str
    participants: str  # "Aisha Bello and 11 others"
    participant_count: int
    duration_minutes: int
    location: str


def session_rows(connection: Connection, rowids: Sequence[int]) -> dict[int, SessionRow]:
    """The rows for ``rowids`` (ones deleted since are left out), with a participants summary made in SQL."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    sql = ("SELECT s.rowid, s.id, s.started_at, s.kind, s.title, s.duration_minutes, s.location, "
           "(SELECT count(*) FROM session_participant sp WHERE sp.session_id = s.id AND sp.deleted = 0), "
           "(SELECT min(m.name) FROM session_participant sp JOIN mentee m ON m.id = sp.mentee_id "
           " WHERE sp.session_id = s.id AND sp.deleted = 0) "
           f"FROM coaching_session s WHERE s.rowid IN ({marks}) AND s.deleted = 0")
    rows = {}
    for rowid, raw_id, started, kind, title, minutes, location, count, first in connection.exec_driver_sql(
            sql, tuple(rowids)):
        rows[rowid] = SessionRow(rowid, uuid.UUID(bytes=raw_id), datetime.fromisoformat(started), SessionKind(kind),
                                 title, participants_summary(first, count), count, minutes, location)
    return rows


def session_rowid(connection: Connection, session_id: uuid.UUID) -> int | None:
    return connection.exec_driver_sql("SELECT rowid FROM coaching_session WHERE id = ?",
                                      (session_id.bytes,)).scalar()


@dataclass(frozen=True)
class MenteeSuggestion:
    id: uuid.UUID
    name: str
    kind: MenteeKind
    community: str


def mentee_suggestions(connection: Connection, text: str, limit: int = 20) -> list[MenteeSuggestion]:
    """Live, unarchived mentees whose name holds ``text``: names that start with it first, then the rest.

    Both queries walk migration 0003's name index and stop after ``limit`` rows, so this stays
    quick at 50k mentees as one types.
    """
    text = " ".join(text.split())
    if not text:
        return []
    escaped = escape_like(text)
    base = ("SELECT m.id, m.name, m.kind, c.name FROM mentee m LEFT JOIN community c ON c.id = m.community_id "
            "WHERE m.deleted = 0 AND m.archived = 0 AND m.name LIKE ? ESCAPE '\\' {extra} "
            "ORDER BY m.name COLLATE NOCASE LIMIT ?")
    found: dict[bytes, tuple[Any, ...]] = {}
    for row in connection.exec_driver_sql(base.format(extra=""), (f"{escaped}%", limit)):
        found[row[0]] = tuple(row)
    if len(found) < limit:
        rows = connection.exec_driver_sql(base.format(extra="AND m.name NOT LIKE ? ESCAPE '\\'"),
                                          (f"%{escaped}%", f"{escaped}%", limit - len(found)))
        for row in rows:
            found[row[0]] = tuple(row)
    return [MenteeSuggestion(uuid.UUID(bytes=raw), name, MenteeKind(kind), community or "")
            for raw, name, kind, community in found.values()]
