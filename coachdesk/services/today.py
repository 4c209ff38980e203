"""What needs attention today: due plan actions, mentees with no next session, funding deadlines, requests.

The Today page is the first one painted at start, on databases of 50k mentees and 100k
sessions, so every list here is limited and every query walks an index in the order it
shows; only counts look further. SQLite only, like the mentee list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from coachdesk.model import JourneyStage, RequestStatus
from coachdesk.services.plans import DueActions, overdue_and_due_soon

#: How far ahead funding deadlines are shown.
DEADLINE_DAYS = 60
#: How many mentees the waiting list shows at most.
LIMIT = 50
#: How many overdue actions, actions due soon and requests are shown: a screenful or two; the
#: headings count the rest, and every row costs the GUI thread its buttons.
SHORT_LIMIT = 25


@dataclass(frozen=True)
class WaitingMentee:
    """A mentee past first contact with no session booked after now."""

    id: uuid.UUID
    name: str
    #: When their last session started; None if they never had one.
    last_session: datetime | None


@dataclass(frozen=True)
class Deadline:
    id: uuid.UUID
    program: str
    provider: str
    deadline: date
    url: str


@dataclass(frozen=True)
class OpenRequest:
    id: uuid.UUID
    title: str
    community: str
    requested_by: str
    priority: int
    requested_on: date


@dataclass(frozen=True)
class TodayOverview:
    today: date
    actions: DueActions
    waiting: list[WaitingMentee]
    waiting_total: int
    deadlines: list[Deadline]
    requests: list[OpenRequest]
    requests_total: int


def _sql_datetime(value: datetime) -> str:
    # The text form SQLAlchemy stores DateTime columns in on SQLite, so comparisons are textual.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


_WAITING_WHERE = "m.deleted = 0 AND m.archived = 0 AND m.journey_stage != :first"


def waiting_mentees(connection: Connection, now: datetime, limit: int = LIMIT) -> tuple[list[WaitingMentee], int]:
    """The ``limit`` mentees who have waited longest for a next session, and how many wait in all.

    Those never seen come first (by name), then the rest by their last session, oldest first.
    """
    params = {"first": JourneyStage.FIRST_CONTACT.value, "now": _sql_datetime(now), "limit": limit}
    # Few sessions lie in the future: collect their participants from the start-time index and
    # count the mentees outside that set on the covering mentee-list index.
    total = connection.exec_driver_sql(
        f"SELECT count(*) FROM mentee m WHERE {_WAITING_WHERE} AND m.rowid NOT IN ("
        "SELECT f.rowid FROM coaching_session s CROSS JOIN session_participant p ON p.session_id = s.id "
        "CROSS JOIN mentee f ON f.id = p.mentee_id WHERE s.started_at > :now AND s.deleted = 0 AND p.deleted = 0)",
        params).scalar_one()
    never = connection.exec_driver_sql(
        f"SELECT m.id, m.name FROM mentee m WHERE {_WAITING_WHERE} AND NOT EXISTS ("
        "SELECT 1 FROM session_participant p CROSS JOIN coaching_session s ON s.id = p.session_id "
        "WHERE p.mentee_id = m.id AND p.deleted = 0 AND s.deleted = 0) "
        "ORDER BY m.name COLLATE NOCASE LIMIT :limit", params).all()
    rows = [WaitingMentee(uuid.UUID(bytes=mid), name, None) for mid, name in never]
    if len(rows) < limit:
        # Walk sessions from the oldest: a session with no later one for that participant is
        # their last, so the first ones found are those who have waited longest.
        last = connection.exec_driver_sql(
            "SELECT m.id, m.name, s.started_at FROM coaching_session s "
            "CROSS JOIN session_participant p ON p.session_id = s.id CROSS JOIN mentee m ON m.id = p.mentee_id "
            f"WHERE s.started_at <= :now AND s.deleted = 0 AND p.deleted = 0 AND {_WAITING_WHERE} "
            "AND NOT EXISTS (SELECT 1 FROM session_participant p2 CROSS JOIN coaching_session s2 "
            "ON s2.id = p2.session_id WHERE p2.mentee_id = p.mentee_id AND p2.deleted = 0 AND s2.deleted = 0 "
            "AND (s2.started_at > s.started_at OR (s2.started_at = s.started_at AND s2.id > s.id))) "
            "ORDER BY s.started_at LIMIT :rest", {**params, "rest": limit - len(rows)}).all()
        rows += [WaitingMentee(uuid.UUID(bytes=mid), name, datetime.fromisoformat(at)) for mid, name, at in last]
    return rows, total


def funding_deadlines(connection: Connection, today: date, days: int = DEADLINE_DAYS) -> list[Deadline]:
    """Funding programs whose deadline falls from today to ``days`` ahead, soonest first."""
    rows = connection.exec_driver_sql(
        "SELECT id, program, provider, deadline, url FROM funding_opportunity WHERE deleted = 0 "
        "AND deadline >= :start AND deadline <= :end ORDER BY deadline, program LIMIT :limit",
        {"start": today.isoformat(), "end": (today + timedelta(days=days)).isoformat(), "limit": LIMIT})
    return [Deadline(uuid.UUID(bytes=fid), program, provider, date.fromisoformat(deadline), url)
            for fid, program, provider, deadline, url in rows]


def open_requests(connection: Connection, limit: int = SHORT_LIMIT) -> tuple[list[OpenRequest], int]:
    """Open community requests, highest priority (1) first, then oldest; and how many are open."""
    params = {"open": RequestStatus.OPEN.value, "limit": limit}
    rows = connection.exec_driver_sql(
        "SELECT r.id, r.title, c.name, r.requested_by, r.priority, r.requested_on FROM community_request r "
        "LEFT JOIN community c ON c.id = r.community_id WHERE r.deleted = 0 AND r.status = :open "
        "ORDER BY r.priority, r.requested_on, r.rowid LIMIT :limit", params).all()
    requests = [OpenRequest(uuid.UUID(bytes=rid), title, community or "", by, priority, date.fromisoformat(on))
                for rid, title, community, by, priority, on in rows]
    total = len(requests)
    if total == limit:
        total = connection.exec_driver_sql(
            "SELECT count(*) FROM community_request WHERE deleted = 0 AND status = :open", params).scalar_one()
    return requests, total


def today_overview(session: Session, today: date | None = None, now: datetime | None = None) -> TodayOverview:
    """Everything the Today page shows, in one read."""
    now = now or datetime.now()
    today = today or now.date()
    connection = session.connection()
    actions = overdue_and_due_soon(session, today, days=7, limit=SHORT_LIMIT)
    waiting, waiting_total = waiting_mentees(connection, now)
    requests, requests_total = open_requests(connection)
    return TodayOverview(today, actions, waiting, waiting_total, funding_deadlines(connection, today), requests,
                         requests_total)
