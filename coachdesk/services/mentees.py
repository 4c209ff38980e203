"""Mentees: the list that filters as one types (in SQL, at 50k rows), and adding, editing, archiving.

The list works on SQLite rowids: plain integers are the cheapest keys to fetch and hold for
tens of thousands of rows. Rowids are stable while the app runs (nothing VACUUMs under it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, is_language_code, parse_locale
from coachdesk.model import Community, JourneyStage, Mentee, MenteeKind, uuid7
from coachdesk.store.search import escape_like

SORTABLE = {
    "name": "m.name COLLATE NOCASE",
    "community": "c.name COLLATE NOCASE",
    "kind": "m.kind",
    "journey_stage": "m.journey_stage",
    "languages": "m.languages",
    "region": "m.region COLLATE NOCASE",
}


@dataclass(frozen=True)
class MenteeFilter:
    text: str = ""  # matches name, community or region, anywhere, any case
    kind: MenteeKind | None = None
    stage: JourneyStage | None = None
    language: str = ""
    include_archived: bool = False


@dataclass(frozen=True)
class MenteeRow:
    rowid: int
    id: uuid.UUID
    name: str
    kind: MenteeKind
    community: str
    region: str
    languages: list[str]
    journey_stage: JourneyStage
    archived: bool


def _where(f: MenteeFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["m.deleted = 0"]
    params: dict[str, Any] = {}
    if not f.include_archived:
        clauses.append("m.archived = 0")
    text = f.text.strip()
    if text:
        # LIKE is case-insensitive for ASCII only; other scripts match as typed, which is how
        # Arabic, Devanagari and most other scripts are written anyway.
        params["text"] = f"%{escape_like(text)}%"
        clauses.append("(m.name LIKE :text ESCAPE '\\' OR m.region LIKE :text ESCAPE '\\' OR m.community_id IN "
                       "(SELECT id FROM community WHERE name LIKE :text ESCAPE '\\'))")
    if f.kind is not None:
        clauses.append("m.kind = :kind")
        params["kind"] = f.kind.value
    if f.stage is not None:
        clauses.append("m.journey_stage = :stage")
        params["stage"] = f.stage.value
    if f.language:
        clauses.append("m.languages LIKE :language ESCAPE '\\'")
        params["language"] = f'%"{escape_like(f.language)}%'
    return " AND ".join(clauses), params


def mentee_keys(connection: Connection, f: MenteeFilter, sort: str = "name", ascending: bool = True) -> list[int]:
    """Rowids of the mentees that pass ``f``, in the order asked for.

    Runs on the raw SQLite cursor: at 50k rows, building SQLAlchemy rows would cost more
    than the query. Sorting by name walks migration 0003's index and needs no join.
    """
    where, params = _where(f)
    order = SORTABLE.get(sort, SORTABLE["name"])
    direction = "ASC" if ascending else "DESC"
    join = "LEFT JOIN community c ON c.id = m.community_id " if sort == "community" else ""
    sql = f"SELECT m.rowid FROM mentee m {join}WHERE {where} ORDER BY {order} {direction}"
    cursor = connection.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    return [r[0] for r in cursor.fetchall()]


def mentee_rows(connection: Connection, rowids: Sequence[int]) -> dict[int, MenteeRow]:
    """The rows for ``rowids`` (missing ones, deleted since, are left out)."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    sql = (f"SELECT m.rowid, m.id, m.name, m.kind, c.name, m.region, m.languages, m.journey_stage, m.archived "
           f"FROM mentee m LEFT JOIN community c ON c.id = m.community_id WHERE m.rowid IN ({marks})")
    rows = {}
    for rowid, raw_id, name, kind, community, region, languages, stage, archived in connection.exec_driver_sql(
        sql, tuple(rowids)
    ):
        rows[rowid] = MenteeRow(rowid, uuid.UUID(bytes=raw_id), name, MenteeKind(kind), community or "", region,
                                json.loads(languages or "[]"), JourneyStage(stage), bool(archived))
    return rows


# -- editing ---------------------------------------------------------------------------------


@dataclass
class MenteeForm:
    """What the mentee dialog edits; ``id`` is None for a new mentee."""

    name: str
    kind: MenteeKind = MenteeKind.PERSON
    community: str = ""
    region: str = ""
    languages: list[str] = field(default_factory=list)
    journey_stage: JourneyStage = JourneyStage.FIRST_CONTACT
    consent_given_on: date | None = None
    consent_given_by: str = ""
    email: str = ""
    phone: str = ""
    private_notes: str = ""
    id: uuid.UUID | None = None
    #: The mentee agreed to be suggested to other mentees as a peer (services/matching.py).
    open_to_peers: bool = False


def validate(form: MenteeForm) -> list[str]:
    """Problems with ``form``, in plain words; empty when it can be saved."""
    problems = []
    if not form.name.strip():
        problems.append(_("Give the mentee a name."))
    elif len(form.name) > 200:
        problems.append(_("The name is longer than 200 characters."))
    bad = [code for code in form.languages if not is_language_code(code)]
    if bad:
        problems.append(_("“{code}” is not a language code; use codes such as ar, hi or pt_BR.").format(code=bad[0]))
    if form.email and "@" not in form.email:
        problems.append(_("“{email}” does not look like an email address.").format(email=form.email))
    return problems


def find_or_add_community(session: Session, name: str) -> uuid.UUID | None:
    name = " ".join(name.split())
    if not name:
        return None
    for community in session.scalars(select(Community).where(Community.deleted.is_(False))):
        if community.name.casefold() == name.casefold():
            return community.id
    community = Community(id=uuid7(), name=name, region="", languages=[], notes="")
    session.add(community)
    session.flush()
    return community.id


def save_mentee(session: Session, form: MenteeForm) -> uuid.UUID:
    """Add or update a mentee from ``form`` (inside the caller's write transaction)."""
    if form.id is not None:
        existing = session.get(Mentee, form.id)
        if existing is not None and existing.erased:
            raise InputError(_("This person's data has been erased; their record can no longer be edited."))
    problems = validate(form)
    if problems:
        raise InputError(" ".join(problems))
    values = {
        "name": " ".join(form.name.split()), "kind": form.kind, "region": form.region.strip(),
        "languages": [str(parse_locale(c)) for c in form.languages], "journey_stage": form.journey_stage,
        "consent_given_on": form.consent_given_on, "consent_given_by": form.consent_given_by.strip(),
        "email": form.email.strip(), "phone": form.phone.strip(), "private_notes": form.private_notes,
        "open_to_peers": bool(form.open_to_peers), "community_id": find_or_add_community(session, form.community),
    }
    if form.id is None:
        mentee = Mentee(id=uuid7(), archived=False, **values)
        session.add(mentee)
        session.flush()
        return mentee.id
    mentee = session.get(Mentee, form.id)
    if mentee is None or mentee.deleted:
        raise InputError(_("This mentee no longer exists; it may have been removed on another device."))
    for key, value in values.items():
        if getattr(mentee, key) != value:
            setattr(mentee, key, value)
    return mentee.id


def load_form(session: Session, mentee_id: uuid.UUID) -> MenteeForm:
    mentee = session.get(Mentee, mentee_id)
    if mentee is None:
        raise InputError(_("No mentee has the id {id}.").format(id=mentee_id))
    community = session.get(Community, mentee.community_id) if mentee.community_id else None
    return MenteeForm(name=mentee.name, kind=mentee.kind, community=community.name if community else "",
                      region=mentee.region, languages=list(mentee.languages), journey_stage=mentee.journey_stage,
                      consent_given_on=mentee.consent_given_on, consent_given_by=mentee.consent_given_by,
                      email=mentee.email, phone=mentee.phone, private_notes=mentee.private_notes, id=mentee.id,
                      open_to_peers=bool(mentee.open_to_peers))


def set_archived(session: Session, mentee_id: uuid.UUID, archived: bool) -> None:
    mentee = session.get(Mentee, mentee_id)
    if mentee is None:
        raise InputError(_("No mentee has the id {id}.").format(id=mentee_id))
    mentee.archived = archived


def set_stage(session: Session, mentee_id: uuid.UUID, stage: JourneyStage) -> None:
    mentee = session.get(Mentee, mentee_id)
    if mentee is None:
        raise InputError(_("No mentee has the id {id}.").format(id=mentee_id))
    mentee.journey_stage = stage


def community_names(session: Session) -> list[str]:
    return sorted(session.scalars(select(Community.name).where(Community.deleted.is_(False))), key=str.casefold)
