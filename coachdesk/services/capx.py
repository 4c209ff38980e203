"""Capacity profiles to and from the Wikimedia Capacity Exchange (CapX): known, available and wanted capacities.

CapX keeps three lists on a profile, ``skills_known``, ``skills_available`` and ``skills_wanted``,
and identifies each capacity by a Wikidata item. Its own lists hold the row numbers of its
server's capacity table, which mean nothing elsewhere, so a file written here keeps CapX's list
names and writes each capacity as ``{"wikidata": "Q…", "key": "…", "label": "…"}``: the Wikidata
id is what CapX matches on, the CoachDesk key carries capacities that have no id yet.

The mapping, both ways (docs/user-guide.md shows it as a table):

- export, from each mentee's latest assessment: known = level 3 or more; available = level 4 or
  more, only for a mentee who agreed to be suggested as a peer; wanted = any priority.
- import, as a new self-reported assessment dated the day of the import: available → level 4,
  known → level 3, wanted → priority High (and level 2 when not also known).

Contact details, private notes and region never leave; erased mentees are never exported.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.atomic import atomic_write
from coachdesk.errors import InputError
from coachdesk.i18n import _, current_language
from coachdesk.model import (
    AssessmentMode,
    Capacity,
    CapacityArea,
    CapacityRating,
    Mentee,
    MenteeKind,
    Priority,
)
from coachdesk.services.assessments import AssessmentForm, RatingAnswer, previous_assessment, record_assessment
from coachdesk.services.vocabulary import capacity_details

FORMAT = "coachdesk-capx"
VERSION = 1
KNOWN, AVAILABLE, WANTED = "skills_known", "skills_available", "skills_wanted"
LISTS = (KNOWN, AVAILABLE, WANTED)
#: A Wikidata item id, as CapX validates a profile's own ``wikidata_qid``.
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
#: Levels on import and the thresholds on export; one place, so a round trip keeps the lists.
KNOWN_LEVEL, AVAILABLE_LEVEL, WANTED_LEVEL = 3, 4, 2
NAME_LIMIT = 200


class CapxFileError(InputError):
    """A Capacity Exchange file was refused as a whole; nothing was changed."""


# -- reading a file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityRef:
    """One capacity as a file names it."""

    wikidata: str | None = None
    key: str | None = None
    label: str = ""
    capx_id: int | None = None  # CapX's own row number: kept only to say it could not be matched

    def shown(self) -> str:
        if self.capx_id is not None and not (self.wikidata or self.key):
            return _("Capacity Exchange capacity {number}").format(number=self.capx_id)
        return " ".join(p for p in (self.label or self.key or "", f"({self.wikidata})" if self.wikidata else "")
                        if p) or "?"


@dataclass
class ProfileData:
    number: int  # 1-based, as a person counts the profiles of the file
    name: str
    coachdesk_id: uuid.UUID | None = None
    kind: MenteeKind | None = None
    open_to_peers: bool | None = None
    lists: dict[str, list[CapacityRef]] = field(default_factory=dict)


def _where(number: int, single: bool) -> str:
    return _("The profile") if single else _("Profile {number}").format(number=number)


def _parse_ref(item: Any, where: str, list_name: str, position: int) -> CapacityRef:
    spot = _("{where}, {list}, item {position}").format(where=where, list=list_name, position=position)

    def checked_qid(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not WIKIDATA_ID.fullmatch(value.strip()):
            raise CapxFileError(_("{spot}: “{value}” is not a Wikidata id like Q42.").format(spot=spot, value=value))
        return value.strip()

    if isinstance(item, bool):
        raise CapxFileError(_("{spot} is not a capacity.").format(spot=spot))
    if isinstance(item, int):
        return CapacityRef(capx_id=item)
    if isinstance(item, str):
        text = item.strip()
        if re.match(r"[Qq][0-9]", text) or not text:
            return CapacityRef(wikidata=checked_qid(text) if text else checked_qid(item))
        return CapacityRef(key=text)
    if isinstance(item, dict):
        qid = None
        for name in ("wikidata", "skill_wikidata_item", "wd_code"):  # ours, CapX's server, CapX's app
            if item.get(name) not in (None, ""):
                qid = checked_qid(item.get(name))
                break
        key = item.get("key")
        if key is not None and not isinstance(key, str):
            raise CapxFileError(_("{spot}: the key must be text.").format(spot=spot))
        label = item.get("label", item.get("name", ""))
        capx_id = item.get("id") if isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool) else None
        if qid is None and not (key or "").strip() and capx_id is None:
            raise CapxFileError(_("{spot} names no capacity: give it a Wikidata id or a key.").format(spot=spot))
        return CapacityRef(qid, (key or "").strip() or None, str(label or "").strip(), capx_id)
    raise CapxFileError(_("{spot} is not a capacity.").format(spot=spot))


def _parse_profile(raw: Any, number: int, single: bool) -> ProfileData:
    where = _where(number, single)
    if not isinstance(raw, dict):
        raise CapxFileError(_("{where} is not an object with a name and capacity lists.").format(where=where))
    name = raw.get("display_name") or raw.get("name")
    user = raw.get("user")
    if not name and isinstance(user, dict):
        name = user.get("username")  # CapX's profile without a display name
    if not isinstance(name, str) or not name.strip():
        raise CapxFileError(_("{where} has no name (display_name).").format(where=where))
    name = " ".join(name.split())
    if len(name) > NAME_LIMIT:
        raise CapxFileError(_("{where}: the name is longer than {limit} characters.").format(where=where,
                                                                                             limit=NAME_LIMIT))
    profile = ProfileData(number, name)
    if raw.get("coachdesk_id") not in (None, ""):
        try:
            profile.coachdesk_id = uuid.UUID(str(raw["coachdesk_id"]))
        except ValueError:
            raise CapxFileError(_("{where}: coachdesk_id “{value}” is not a CoachDesk id.").format(
                where=where, value=raw["coachdesk_id"])) from None
    if raw.get("kind") not in (None, ""):
        try:
            profile.kind = MenteeKind(raw["kind"])
        except (ValueError, TypeError):
            raise CapxFileError(_("{where}: kind “{value}” is not person, organization or group.").format(
                where=where, value=raw["kind"])) from None
    if "open_to_peers" in raw and raw["open_to_peers"] is not None:
        if not isinstance(raw["open_to_peers"], bool):
            raise CapxFileError(_("{where}: open_to_peers must be true or false.").format(where=where))
        profile.open_to_peers = raw["open_to_peers"]
    for list_name in LISTS:
        items = raw.get(list_name)
        if items is None:
            items = []
        if not isinstance(items, list):
            raise CapxFileError(_("{where}: {list} is not a list.").format(where=where, list=list_name))
        profile.lists[list_name] = [_parse_ref(item, where, list_name, n) for n, item in enumerate(items, start=1)]
    return profile


def parse_document(text: str | bytes, source: str = "") -> list[ProfileData]:
    """The profiles of a Capacity Exchange file: ours, or one bare CapX profile. The whole file is
    checked; the first problem is raised as :class:`CapxFileError` naming where it is."""
    name = source or _("The file")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise CapxFileError(_("{file} is not a JSON file.").format(file=name)) from None
    if not isinstance(data, dict):
        raise CapxFileError(_("{file} is not a Capacity Exchange profile file.").format(file=name))
    if "format" not in data and "profiles" not in data:
        if not any(k in data for k in LISTS):
            raise CapxFileError(_("{file} is not a Capacity Exchange profile file: it has no skills_known, "
                                  "skills_available or skills_wanted.").format(file=name))
        return [_parse_profile(data, 1, single=True)]
    if data.get("format") != FORMAT:
        raise CapxFileError(_("{file} is not a CoachDesk Capacity Exchange file (its format is “{format}”).")
                            .format(file=name, format=data.get("format", "")))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CapxFileError(_("{file} has no valid version number.").format(file=name))
    if version > VERSION:
        raise CapxFileError(_("{file} was written by a newer CoachDesk (version {version}); update CoachDesk "
                              "to read it.").format(file=name, version=version))
    profiles = data.get("profiles")
    if not isinstance(profiles, list):
        raise CapxFileError(_("{file}: profiles is not a list.").format(file=name))
    return [_parse_profile(raw, n, single=False) for n, raw in enumerate(profiles, start=1)]


def read_document(path: Path) -> list[ProfileData]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CapxFileError(_("{file} does not exist.").format(file=path)) from None
    except IsADirectoryError:
        raise CapxFileError(_("{file} is a folder, not a JSON file.").format(file=path)) from None
    except OSError as error:
        raise CapxFileError(_("{file} could not be read: {reason}.").format(file=path, reason=error.strerror)) from None
    return parse_document(data, path.name)


# -- export -------------------------------------------------------------------------------------


def _capacities(session: Session) -> list[Capacity]:
    """Live capacities in taxonomy order: the order of every list written."""
    return list(session.scalars(select(Capacity).join(CapacityArea, CapacityArea.id == Capacity.area_id)
                                .where(Capacity.deleted.is_(False))
                                .order_by(CapacityArea.position, CapacityArea.key, Capacity.position, Capacity.key)))


def _entry(capacity: Capacity, labels: dict[uuid.UUID, tuple[str, str, list[str]]]) -> dict[str, Any]:
    return {"wikidata": capacity.wikidata_id or None, "key": capacity.key,
            "label": labels.get(capacity.id, (capacity.key,))[0]}


def _chosen_mentees(session: Session, mentee_ids: list[uuid.UUID] | None) -> list[Mentee]:
    if mentee_ids is None:
        return list(session.scalars(select(Mentee).where(Mentee.deleted.is_(False), Mentee.erased.is_(False),
                                                         Mentee.open_to_peers.is_(True))
                                    .order_by(Mentee.name, Mentee.id)))
    chosen = []
    for mentee_id in dict.fromkeys(mentee_ids):
        mentee = session.get(Mentee, mentee_id)
        if mentee is None or mentee.deleted:
            raise InputError(_("No mentee has the id {id}.").format(id=mentee_id))
        if mentee.erased:
            raise InputError(_("The data of {name} was erased at their request, so their profile is not exported.")
                             .format(name=mentee.name))
        chosen.append(mentee)
    return chosen


def export_document(session: Session, mentee_ids: list[uuid.UUID] | None = None,
                    language: str | None = None, today: date | None = None) -> dict[str, Any]:
    """The file's content. Default: every mentee who agreed to be suggested as a peer. Named mentees
    are exported even without that, but then nothing is offered as available."""
    language = language or current_language()
    labels = capacity_details(session, language)
    capacities = _capacities(session)
    profiles = []
    for mentee in _chosen_mentees(session, mentee_ids):
        latest = previous_assessment(session, mentee.id)
        ratings = {} if latest is None else {r.capacity_id: r for r in session.scalars(
            select(CapacityRating).where(CapacityRating.assessment_id == latest[0],
                                         CapacityRating.deleted.is_(False)))}
        lists: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS}
        for capacity in capacities:
            rating = ratings.get(capacity.id)
            if rating is None:
                continue
            if rating.level >= KNOWN_LEVEL:
                lists[KNOWN].append(_entry(capacity, labels))
            if rating.level >= AVAILABLE_LEVEL and mentee.open_to_peers:
                lists[AVAILABLE].append(_entry(capacity, labels))
            if rating.priority > Priority.NONE:
                lists[WANTED].append(_entry(capacity, labels))
        profiles.append({"display_name": mentee.name, "coachdesk_id": str(mentee.id), "kind": str(mentee.kind),
                         "open_to_peers": bool(mentee.open_to_peers),
                         "assessed_on": latest[1].isoformat() if latest else None, **lists})
    return {"format": FORMAT, "version": VERSION, "exported_on": (today or date.today()).isoformat(),
            "language": language, "profiles": profiles}


def write_document(document: dict[str, Any], path: Path) -> None:
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def export_profiles(db: Any, path: Path, mentee_ids: list[uuid.UUID] | None = None,
                    language: str | None = None) -> int:
    """Write the file; return how many profiles it holds."""
    with db.read() as session:
        document = export_document(session, mentee_ids, language)
    write_document(document, Path(path))
    return len(document["profiles"])


# -- import -------------------------------------------------------------------------------------


@dataclass
class PlannedProfile:
    """What importing one profile records, as the preview shows it."""

    number: int
    name: str
    mentee_id: uuid.UUID | None  # None: a new mentee is added
    kind: MenteeKind
    open_to_peers: bool
    known: list[str] = field(default_factory=list)
    available: list[str] = field(default_factory=list)
    wanted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: capacity id → (level, priority), in taxonomy order
    ratings: dict[uuid.UUID, tuple[int, Priority]] = field(default_factory=dict)
    new: bool = False  # the profile matched no mentee: importing it adds one

    def as_dict(self) -> dict[str, Any]:
        return {"profile": self.number, "name": self.name, "mentee_id": str(self.mentee_id) if self.mentee_id else None,
                "new": self.new, "known": self.known, "available": self.available, "wanted": self.wanted,
                "skipped": self.skipped, "recorded": bool(self.ratings)}


@dataclass
class ImportPlan:
    profiles: list[PlannedProfile]
    assessment_ids: list[uuid.UUID] = field(default_factory=list)  # filled once recorded

    @property
    def recorded(self) -> list[PlannedProfile]:
        return [p for p in self.profiles if p.ratings]


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def plan_import(session: Session, profiles: list[ProfileData], create: bool = False,
                language: str | None = None) -> ImportPlan:
    """Match every profile to a mentee and every capacity to the taxonomy, writing nothing. A profile
    that matches no mentee (without ``create``), several, or one already matched refuses the file."""
    labels = capacity_details(session, language or current_language())
    capacities = _capacities(session)
    order = {c.id: n for n, c in enumerate(capacities)}
    by_qid: dict[str, Capacity] = {}
    by_key: dict[str, Capacity] = {}
    for capacity in capacities:
        if capacity.wikidata_id:
            by_qid.setdefault(capacity.wikidata_id, capacity)
        by_key[capacity.key] = capacity
    by_name: dict[str, list[Mentee]] = {}
    for mentee in session.scalars(select(Mentee).where(Mentee.deleted.is_(False), Mentee.erased.is_(False))):
        by_name.setdefault(_normal(mentee.name), []).append(mentee)

    planned: list[PlannedProfile] = []
    taken: dict[Any, int] = {}
    for profile in profiles:
        where = _("Profile {number} (“{name}”)").format(number=profile.number, name=profile.name)
        mentee = None
        if profile.coachdesk_id is not None:
            found = session.get(Mentee, profile.coachdesk_id)
            if found is not None and not found.deleted:
                if found.erased:
                    raise CapxFileError(_("{where} names a mentee whose data was erased; it cannot be imported.")
                                        .format(where=where))
                mentee = found
        if mentee is None:
            same = by_name.get(_normal(profile.name), [])
            if len(same) > 1:
                raise CapxFileError(_("{where} matches {count} mentees of that name; give them different names "
                                      "first.").format(where=where, count=len(same)))
            if same:
                mentee = same[0]
            elif not create:
                raise CapxFileError(_("{where} matches no mentee here; import it as a new mentee (--create) "
                                      "or add the mentee first.").format(where=where))
        identity: Any = mentee.id if mentee else ("new", _normal(profile.name))
        if identity in taken:
            raise CapxFileError(_("Profiles {first} and {second} are the same mentee; keep one of them.").format(
                first=taken[identity], second=profile.number))
        taken[identity] = profile.number

        plan = PlannedProfile(profile.number, mentee.name if mentee else profile.name,
                              mentee.id if mentee else None,
                              mentee.kind if mentee else (profile.kind or MenteeKind.PERSON),
                              bool(mentee.open_to_peers) if mentee else bool(profile.open_to_peers),
                              new=mentee is None)
        found_in: dict[str, list[Capacity]] = {}
        for list_name in LISTS:
            found_in[list_name] = []
            for ref in profile.lists.get(list_name, []):
                capacity = (by_qid.get(ref.wikidata) if ref.wikidata else None) or (
                    by_key.get(ref.key) if ref.key else None)
                if capacity is None:
                    if ref.shown() not in plan.skipped:
                        plan.skipped.append(ref.shown())
                elif capacity not in found_in[list_name]:
                    found_in[list_name].append(capacity)
        available = {c.id for c in found_in[AVAILABLE]}
        known = {c.id for c in found_in[KNOWN]} | available
        wanted = {c.id for c in found_in[WANTED]}
        for cid in sorted(known | wanted, key=order.__getitem__):
            level = AVAILABLE_LEVEL if cid in available else KNOWN_LEVEL if cid in known else WANTED_LEVEL
            plan.ratings[cid] = (level, Priority.HIGH if cid in wanted else Priority.NONE)
        label = {c.id: labels.get(c.id, (c.key,))[0] for c in capacities}
        plan.known = [label[c] for c in plan.ratings if c in known]
        plan.available = [label[c] for c in plan.ratings if c in available]
        plan.wanted = [label[c] for c in plan.ratings if c in wanted]
        planned.append(plan)
    return ImportPlan(planned)


def apply_import(session: Session, plan: ImportPlan, today: date | None = None) -> ImportPlan:
    """Record the planned assessments (and new mentees) in the caller's write transaction."""
    from coachdesk.services.mentees import MenteeForm, save_mentee

    today = today or date.today()
    note = _("From a Capacity Exchange profile, imported on {date}.").format(date=today.isoformat())
    for profile in plan.recorded:
        mentee_id = profile.mentee_id
        if mentee_id is None:
            mentee_id = save_mentee(session, MenteeForm(name=profile.name, kind=profile.kind))
            # Only a file that says so (a CoachDesk export of a mentee who agreed) carries the consent.
            session.get(Mentee, mentee_id).open_to_peers = profile.open_to_peers
            profile.mentee_id = mentee_id
        answers = [RatingAnswer(cid, level, priority, evidence=note)
                   for cid, (level, priority) in profile.ratings.items()]
        form = AssessmentForm(mentee_id=mentee_id, assessed_on=today, mode=AssessmentMode.SELF,
                              language=current_language(), answers=answers)
        assessment_id, _plan = record_assessment(session, form, create_plan=False)
        plan.assessment_ids.append(assessment_id)
    return plan


def import_profiles(db: Any, path: Path | None = None, create: bool = False, dry_run: bool = False,
                    profiles: list[ProfileData] | None = None, language: str | None = None) -> ImportPlan:
    """Check the whole file, then record it in one transaction (or, with ``dry_run``, only say what
    it would record). A refused file changes nothing."""
    if profiles is None:
        assert path is not None
        profiles = read_document(Path(path))
    if dry_run:
        with db.read() as session:
            return plan_import(session, profiles, create, language)
    from coachdesk.services.safety import backup_before_import

    with db.read() as session:
        plan_import(session, profiles, create, language)  # refuse before a backup is made
    backup_before_import(db.path, db.key)
    with db.write() as session:
        return apply_import(session, plan_import(session, profiles, create, language))
