"""Mentees and sessions to and from spreadsheets: export, edit in LibreOffice, import back.

The first two columns are ``id`` and ``name`` (sessions: ``id`` and ``title``). Import
upserts by id; a row without an id is new. The whole file is checked before anything is
written, and one bad row refuses the whole file, naming every bad row and why.
"""

from __future__ import annotations

import enum
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _, is_language_code, parse_locale
from coachdesk.model import (
    Capacity,
    CoachingSession,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    SessionCapacity,
    SessionKind,
    SessionParticipant,
    Synced,
    ToolboxMethod,
    named_id,
)
from coachdesk.services.csvfile import CsvError, RowProblem, guard, read_table, rows_refused, unguard, write_table
from coachdesk.store.changes import insert_rows
from coachdesk.store.database import Database

LIST_SEPARATOR = "; "
MENTEE_COLUMNS = ("id", "name", "kind", "community", "region", "languages", "journey_stage", "consent_given_on",
                  "consent_given_by", "email", "phone", "archived", "open_to_peers")
SESSION_COLUMNS = ("id", "title", "kind", "started_at", "duration_minutes", "location", "participants",
                   "participant_ids", "capacities", "method", "language", "notes", "next_steps")
REQUIRED = {"mentees": ("id", "name"), "sessions": ("id", "title", "started_at")}
KINDS = {"mentees": MENTEE_COLUMNS, "sessions": SESSION_COLUMNS}


class Invalid(ValueError):
    """One cell is wrong; the message says how to put it right."""


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


# -- cells ----------------------------------------------------------------------------------


def _split(text: str, *, commas: bool = True) -> list[str]:
    """Split a list cell on semicolons (and on commas, where items cannot contain them)."""
    if commas:
        text = text.replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31").format(value=text)) from None


def _parse_datetime(text: str) -> datetime:
    if not text:
        raise Invalid(_("the date and time are missing; write them as YYYY-MM-DD HH:MM"))
    try:
        value = datetime.fromisoformat(text.replace("T", " "))
    except ValueError:
        raise Invalid(_("“{value}” is not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2026-03-31 14:30")
                      .format(value=text)) from None
    return value.replace(tzinfo=None)


def _parse_enum(enum_class: type[enum.Enum], default: enum.Enum) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if not text:
            return default
        wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
        for member in enum_class:
            if member.value == wanted:
                return member
        raise Invalid(_("“{value}” is not one of: {choices}").format(
            value=text, choices=", ".join(m.value for m in enum_class)))

    return parse


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("", "no", "false", "0", "n"):
        return False
    if lowered in ("yes", "true", "1", "y"):
        return True
    raise Invalid(_("“{value}” is not yes or no").format(value=text))


def _parse_languages(text: str) -> list[str]:
    codes = _split(text)
    bad = [code for code in codes if not is_language_code(code)]
    if bad:
        raise Invalid(_("unknown language code “{code}”; use codes such as ar, hi, pt or pt_BR").format(code=bad[0]))
    return [str(parse_locale(code)) for code in codes]


def _parse_language(text: str) -> str:
    languages = _parse_languages(text)
    if len(languages) > 1:
        raise Invalid(_("give one language code, not several"))
    return languages[0] if languages else ""


def _parse_minutes(text: str) -> int:
    if not text:
        return 60
    try:
        minutes = int(float(text))
    except (ValueError, OverflowError):  # "inf" and "1e400" overflow int()
        raise Invalid(_("“{value}” is not a number of minutes").format(value=text)) from None
    if not 0 <= minutes <= 10080:
        raise Invalid(_("{value} minutes is not between 0 and 10080 (one week)").format(value=minutes))
    return minutes


def _text(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise Invalid(_("the text is {length} characters long; at most {limit} fit").format(
                length=len(text), limit=limit))
        return text

    return parse


def _required_text(limit: int) -> Callable[[str], str]:
    parse_text = _text(limit)

    def parse(text: str) -> str:
        if not text.strip():
            raise Invalid(_("it is empty, and it must not be"))
        return parse_text(text.strip())

    return parse


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return guard(str(value))


# -- mentees ----------------------------------------------------------------------------------

MENTEE_PARSERS: dict[str, Callable[[str], Any]] = {
    "name": _required_text(200),
    "kind": _parse_enum(MenteeKind, MenteeKind.PERSON),
    "region": _text(100),
    "languages": _parse_languages,
    "journey_stage": _parse_enum(JourneyStage, JourneyStage.FIRST_CONTACT),
    "consent_given_on": _parse_date,
    "consent_given_by": _text(200),
    "email": _text(200),
    "phone": _text(50),
    "archived": _parse_bool,
    # The mentee agreed to be suggested to other mentees as a peer (services/matching.py).
    "open_to_peers": _parse_bool,
}

SESSION_PARSERS: dict[str, Callable[[str], Any]] = {
    "title": _text(200),
    "kind": _parse_enum(SessionKind, SessionKind.COACHING),
    "started_at": _parse_datetime,
    "duration_minutes": _parse_minutes,
    "location": _text(200),
    "language": _parse_language,
    "notes": _text(100_000),
    "next_steps": _text(100_000),
}


def _live(session: Session, cls: type[Synced]) -> Any:
    return select(cls).where(cls.deleted.is_(False))


def _mentee_rows(session: Session) -> Iterator[list[str]]:
    communities = {c.id: c.name for c in session.scalars(select(Community))}
    for m in session.scalars(_live(session, Mentee).order_by(Mentee.name, Mentee.id)):
        yield [str(m.id), guard(m.name), _format(m.kind), guard(communities.get(m.community_id, "")),
               _format(m.region), _format(m.languages), _format(m.journey_stage), _format(m.consent_given_on),
               _format(m.consent_given_by), _format(m.email), _format(m.phone), _format(m.archived),
               _format(m.open_to_peers)]


def _session_rows(session: Session) -> Iterator[list[str]]:
    names = dict(session.execute(select(Mentee.id, Mentee.name)).all())
    capacity_keys = dict(session.execute(select(Capacity.id, Capacity.key)).all())
    method_keys = dict(session.execute(select(ToolboxMethod.id, ToolboxMethod.key)).all())
    participants: dict[uuid.UUID, list[uuid.UUID]] = {}
    for sid, mid in session.execute(select(SessionParticipant.session_id, SessionParticipant.mentee_id)
                                    .where(SessionParticipant.deleted.is_(False))):
        participants.setdefault(sid, []).append(mid)
    capacities: dict[uuid.UUID, list[str]] = {}
    for sid, cid in session.execute(select(SessionCapacity.session_id, SessionCapacity.capacity_id)
                                    .where(SessionCapacity.deleted.is_(False))):
        capacities.setdefault(sid, []).append(capacity_keys[cid])
    for s in session.scalars(_live(session, CoachingSession).order_by(CoachingSession.started_at,
                                                                        CoachingSession.id)):
        people = sorted(participants.get(s.id, []), key=lambda mid: (names.get(mid, ""), mid))
        yield [str(s.id), guard(s.title), _format(s.kind), _format(s.started_at), str(s.duration_minutes),
               _format(s.location), guard(LIST_SEPARATOR.join(names.get(m, "") for m in people)),
               LIST_SEPARATOR.join(str(m) for m in people), LIST_SEPARATOR.join(sorted(capacities.get(s.id, []))),
               method_keys.get(s.method_id, "") if s.method_id else "", s.language, _format(s.notes),
               _format(s.next_steps)]


def export_csv(db: Database, kind: str, path: Path) -> int:
    """Write every live mentee or session to ``path``; return how many rows were written."""
    if kind not in KINDS:
        raise InputError(_("“{kind}” cannot be exported; choose mentees or sessions.").format(kind=kind))
    with db.read() as session:
        rows = list(_mentee_rows(session) if kind == "mentees" else _session_rows(session))
    return write_table(path, KINDS[kind], rows)


# -- import ----------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    id: uuid.UUID | None
    values: dict[str, Any]


def _check_header(path: Path, kind: str, header: list[str]) -> None:
    known = KINDS[kind]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise CsvError(path, _("{file} was not imported: it has no “{column}” column. The first row must name the "
                               "columns, e.g. {columns}.").format(file=path.name, column=missing[0],
                                                                  columns=",".join(known[:4])))
    unknown = [c for c in header if c not in known]
    if unknown:
        raise CsvError(path, _("{file} was not imported: “{column}” is not a column CoachDesk knows. Known columns "
                               "are: {columns}.").format(file=path.name, column=unknown[0], columns=", ".join(known)))
    repeated = [c for c, n in Counter(header).items() if n > 1]
    if repeated:
        raise CsvError(path, _("{file} was not imported: the column “{column}” appears twice.")
                       .format(file=path.name, column=repeated[0]))


def _parse_rows(path: Path, kind: str, session: Session) -> tuple[list[_Row], list[RowProblem]]:
    header, table = read_table(path)
    _check_header(path, kind, header)
    parsers = MENTEE_PARSERS if kind == "mentees" else SESSION_PARSERS
    cls = Mentee if kind == "mentees" else CoachingSession
    problems: list[RowProblem] = []
    rows: list[_Row] = []
    seen: dict[uuid.UUID, int] = {}
    for line, cells in table:
        if "\0extra" in cells:
            problems.append(RowProblem(line, _("it has more cells than the header has columns")))
            continue
        row_id = None
        raw_id = cells.get("id", "").strip()
        if raw_id:
            try:
                row_id = uuid.UUID(raw_id.strip("{}"))
            except ValueError:
                problems.append(RowProblem(line, _("id “{value}” is not a CoachDesk id").format(value=raw_id)))
            else:
                if row_id in seen:
                    problems.append(RowProblem(line, _("id {id} is already on line {other}").format(
                        id=row_id, other=seen[row_id])))
                seen[row_id] = line
        values: dict[str, Any] = {}
        for column, text in cells.items():
            if column in parsers:
                try:
                    values[column] = parsers[column](unguard(text.strip()))
                except Invalid as error:
                    problems.append(RowProblem(line, _("{column}: {problem}").format(column=column, problem=error)))
            elif column != "id":
                values[column] = unguard(text.strip())
        rows.append(_Row(line, row_id, values))
    known = _existing_ids(session, cls, [r.id for r in rows if r.id is not None])
    for row in rows:
        if row.id is not None and row.id not in known:
            problems.append(RowProblem(row.line, _("id {id} is not a {kind} in this database; leave the id empty "
                                                   "to add a new one").format(id=row.id, kind=_("mentee") if kind == "mentees" else _("session"))))
    return rows, problems


def _existing_ids(session: Session, cls: type[Synced], ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found |= set(session.scalars(select(cls.id).where(cls.id.in_(chunk), cls.deleted.is_(False))))
    return found


def import_csv(db: Database, kind: str, path: Path) -> ImportResult:
    """Check all of ``path`` and then apply it in one transaction, or refuse it and change nothing."""
    if kind not in KINDS:
        raise InputError(_("“{kind}” cannot be imported; choose mentees or sessions.").format(kind=kind))
    from coachdesk.services.safety import backup_before_import

    backup_before_import(db.path, db.key)
    with db.write() as session:
        rows, problems = _parse_rows(path, kind, session)
        apply = _apply_mentees if kind == "mentees" else _apply_sessions
        result = apply(session, rows, problems)
        if problems:
            problems.sort(key=lambda p: p.line)
            raise rows_refused(path, problems)  # leaving the block rolls everything back
        return result


def _update(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for column, value in values.items():
        if getattr(obj, column) != value:
            setattr(obj, column, value)
            changed = True
    return changed


def _apply_mentees(session: Session, rows: list[_Row], problems: list[RowProblem]) -> ImportResult:
    result = ImportResult()
    communities = {c.name.casefold(): c.id for c in session.scalars(_live(session, Community))}
    new_communities = []
    for row in rows:
        name = row.values.pop("community", None)
        if name is None:
            continue
        if not name:
            row.values["community_id"] = None
            continue
        if name.casefold() not in communities:
            communities[name.casefold()] = named_id("community", name.casefold(), row.line, uuid.uuid4())
            new_communities.append({"id": communities[name.casefold()], "name": name, "region": "",
                                    "languages": [], "notes": ""})
        row.values["community_id"] = communities[name.casefold()]
    if problems:
        return result
    insert_rows(session, Community, new_communities)
    defaults = {"kind": MenteeKind.PERSON, "region": "", "languages": [], "journey_stage": JourneyStage.FIRST_CONTACT,
                "consent_given_on": None, "consent_given_by": "", "email": "", "phone": "", "archived": False,
                "open_to_peers": False, "community_id": None, "coach_id": None, "private_notes": ""}
    insert_rows(session, Mentee, [defaults | row.values for row in rows if row.id is None])
    result.added = sum(1 for row in rows if row.id is None)
    existing = _load(session, Mentee, [row.id for row in rows if row.id is not None])
    for row in rows:
        if row.id is not None:
            if _update(existing[row.id], row.values):
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _load(session: Session, cls: type[Synced], ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    found: dict[uuid.UUID, Any] = {}
    for start in range(0, len(ids), 500):
        found |= {obj.id: obj for obj in session.scalars(select(cls).where(cls.id.in_(ids[start : start + 500])))}
    return found


def _resolve_sessions(session: Session, rows: list[_Row], problems: list[RowProblem]) -> None:
    """Turn participant, capacity and method cells into ids, noting every one that is unknown."""
    capacities = {c.key: c.id for c in session.scalars(_live(session, Capacity))}
    methods = {m.key: m.id for m in session.scalars(_live(session, ToolboxMethod))}
    by_name: dict[str, list[uuid.UUID]] = {}
    names: dict[uuid.UUID, str] = {}
    for mid, name in session.execute(select(Mentee.id, Mentee.name).where(Mentee.deleted.is_(False))):
        by_name.setdefault(" ".join(name.casefold().split()), []).append(mid)
        names[mid] = name
    for row in rows:
        values = row.values
        if "capacities" in values:
            keys = _split(values.pop("capacities"))
            unknown = [k for k in keys if k not in capacities]
            if unknown:
                problems.append(RowProblem(row.line, _("capacities: “{key}” is not a capacity key; known keys are "
                                                       "listed by the Toolbox page, e.g. fundraising, it_safety")
                                           .format(key=unknown[0])))
            values["capacity_ids"] = list(dict.fromkeys(capacities[k] for k in keys if k in capacities))
        if "method" in values:
            key = values.pop("method")
            if key and key not in methods:
                problems.append(RowProblem(row.line, _("method: “{key}” is not a toolbox method key, e.g. training, "
                                                       "mentoring_coaching").format(key=key)))
            values["method_id"] = methods.get(key) if key else None
        id_text = values.pop("participant_ids", None)
        name_text = values.pop("participants", None)
        people: list[uuid.UUID] | None = None
        if id_text:
            people = []
            for part in _split(id_text):
                try:
                    mid = uuid.UUID(part.strip("{}"))
                except ValueError:
                    mid = None
                if mid is None or mid not in names:
                    problems.append(RowProblem(row.line, _("participant_ids: “{value}” is not a mentee in this "
                                                           "database").format(value=part)))
                else:
                    people.append(mid)
            if name_text is not None and people is not None:
                given = sorted(" ".join(n.casefold().split()) for n in _split(name_text, commas=False))
                expected = sorted(" ".join(part.casefold().split())  # split names as the cell was split
                                  for m in people for part in _split(names[m], commas=False))
                if given != expected:
                    problems.append(RowProblem(row.line, _("participants and participant_ids disagree; to change who "
                                                           "took part by name, empty the participant_ids cell")))
        elif name_text:
            people = []
            for name in _split(name_text, commas=False):
                matches = by_name.get(" ".join(name.casefold().split()), [])
                if not matches:
                    problems.append(RowProblem(row.line, _("participants: no mentee is called “{name}”")
                                               .format(name=name)))
                elif len(matches) > 1:
                    problems.append(RowProblem(row.line, _("participants: {count} mentees are called “{name}”; give "
                                                           "their ids in participant_ids").format(
                        count=len(matches), name=name)))
                else:
                    people.append(matches[0])
        elif name_text is not None or id_text is not None:
            people = []
        if people is not None:
            values["participant_ids"] = list(dict.fromkeys(people))


def _set_links(session: Session, link: type[SessionParticipant] | type[SessionCapacity], column: str,
               session_id: uuid.UUID, wanted: list[uuid.UUID]) -> bool:
    """Make the live links of one session exactly ``wanted``; tombstone the rest."""
    current = {getattr(obj, column): obj for obj in session.scalars(select(link).where(link.session_id == session_id))}
    changed = False
    for target, obj in current.items():
        alive = target in wanted
        if obj.deleted == alive:
            obj.deleted = not alive
            changed = True
    for target in wanted:
        if target not in current:
            session.add(link(id=named_id(session_id, target), session_id=session_id, **{column: target}))
            changed = True
    return changed


def _apply_sessions(session: Session, rows: list[_Row], problems: list[RowProblem]) -> ImportResult:
    _resolve_sessions(session, rows, problems)
    result = ImportResult()
    if problems:
        return result
    existing = _load(session, CoachingSession, [row.id for row in rows if row.id is not None])
    defaults = {"kind": SessionKind.COACHING, "title": "", "duration_minutes": 60, "location": "", "language": "",
                "notes": "", "next_steps": "", "private_notes": "", "coach_id": None, "method_id": None}
    for row in rows:
        participants = row.values.pop("participant_ids", None)
        capacities = row.values.pop("capacity_ids", None)
        if row.id is None:
            (sid,) = insert_rows(session, CoachingSession, [defaults | row.values])
            result.added += 1
            changed = True
        else:
            sid = row.id
            changed = _update(existing[sid], row.values)
        if participants is not None:
            changed |= _set_links(session, SessionParticipant, "mentee_id", sid, participants)
        if capacities is not None:
            changed |= _set_links(session, SessionCapacity, "capacity_id", sid, capacities)
        if row.id is not None:
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
    return result
