"""Peer matching, both ways: for a mentee's priority gaps, other mentees whose latest assessment shows
that capacity as an asset, and what the mentee can give back to each of them.

Only mentees who agreed to be suggested (``Mentee.open_to_peers``) are ever suggested; archived and
erased mentees never are. It runs on whatever database it is given: a device's own, or the hub's,
which holds every device's work. The candidates come from one SQL query over the opted-in mentees'
latest assessments, and what the mentee offers back from a second one; nothing loops over all mentees
in Python, so it stays quick at 50k mentees (``bench/matching.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, false, func, literal, literal_column, or_, select, true
from sqlalchemy.orm import Session, aliased

from coachdesk.errors import InputError
from coachdesk.i18n import _, ngettext
from coachdesk.model import (
    Assessment,
    CapacityRating,
    Community,
    Mentee,
    MenteeKind,
    Priority,
    id_from_text,
)
from coachdesk.services.assessments import previous_assessment, summary_order
from coachdesk.services.vocabulary import capacity_labels

#: The level from which a capacity counts as an asset someone can share. On the anchored scale,
#: level 4 is the first at which the practice is settled (routines, a plan, shared templates) and
#: level 5 is already helping other communities; at 3 and below people are still building it.
ASSET_LEVEL = 4
#: The level up to which a capacity counts as a gap, even when it was not marked a priority:
#: level 2 is "with help, a first attempt".
GAP_LEVEL = 2
#: How many peers are suggested per gap unless asked otherwise.
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Offer:
    """A capacity one side can help the other with, and the giver's level in it."""

    capacity_id: uuid.UUID
    label: str
    level: int


@dataclass(frozen=True)
class PeerSuggestion:
    peer_id: uuid.UUID
    name: str
    kind: MenteeKind
    community: str
    #: The peer's level in the gap capacity.
    level: int
    #: Languages the peer speaks that the mentee speaks too (the peer's codes).
    shared_languages: tuple[str, ...]
    same_region: bool
    #: What the peer can offer: the mentee's gap.
    they_offer: Offer
    #: What the mentee can offer back: the mentee's assets that are the peer's gaps.
    you_offer: tuple[Offer, ...] = ()

    @property
    def two_way(self) -> bool:
        return bool(self.you_offer)


@dataclass(frozen=True)
class GapMatches:
    """One of the mentee's priority gaps and the peers suggested for it, best first."""

    capacity_id: uuid.UUID
    label: str
    level: int
    priority: Priority
    suggestions: tuple[PeerSuggestion, ...]
    #: How many opted-in peers have this capacity as an asset, before the limit.
    found: int = 0


@dataclass(frozen=True)
class PeerMatches:
    mentee_id: uuid.UUID
    name: str
    kind: MenteeKind
    community: str
    languages: tuple[str, ...]
    #: The date of the latest assessment the gaps come from; None when there is none yet.
    assessed_on: date | None
    #: The priority gaps, most urgent first, the weakest first within a priority.
    gaps: tuple[GapMatches, ...] = ()
    #: How many other mentees agreed to be suggested as peers (live, not archived, not erased).
    opted_in: int = 0
    #: The mentee's assets (level ≥ ASSET_LEVEL) in their latest assessment, for "what I can offer".
    assets: tuple[Offer, ...] = field(default_factory=tuple)

    @property
    def pairs(self) -> int:
        return sum(len(g.suggestions) for g in self.gaps)


def mentee_id_of(ref: uuid.UUID | str) -> uuid.UUID:
    """The id in ``ref``, or one sentence saying it is not an id."""
    return id_from_text(ref, _("mentee"))


def _language_base(code: str) -> str:
    return code.replace("-", "_").split("_")[0].casefold()


def shared_languages(mine: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """The peer's languages the mentee also speaks; pt and pt_BR count as one language."""
    bases = {_language_base(code) for code in mine if code}
    return tuple(code for code in theirs if code and _language_base(code) in bases)


def _live_peer(*conditions: Any) -> Any:
    # ``== true()`` rather than ``IS 1``: plain comparisons, usable by an index on SQLite and PostgreSQL.
    return and_(Mentee.open_to_peers == true(), Mentee.deleted == false(), Mentee.archived == false(),
                Mentee.erased == false(), *conditions)


def opted_in_count(session: Session, except_id: uuid.UUID | None = None) -> int:
    """How many live mentees (other than ``except_id``) agreed to be suggested as peers."""
    conditions = [Mentee.id != except_id] if except_id else []
    return session.scalar(select(func.count()).select_from(Mentee).where(_live_peer(*conditions))) or 0


def _peers(mentee: Mentee) -> Any:
    """Every opted-in mentee but ``mentee``, with the id of their latest live assessment and whether
    they share a language and a region with ``mentee``.

    Latest by (date, id), as everywhere else (``assessments.previous_assessment``). On SQLite it reads
    migration 0009's index of opted-in mentees (which holds every column used here) and finds each
    one's latest assessment through its index of assessments by mentee and date; materialized, so
    each peer is looked at once."""
    latest = (select(Assessment.id).where(Assessment.mentee_id == Mentee.id, Assessment.deleted == false())
              .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1)
              .correlate(Mentee).scalar_subquery())
    region = " ".join(mentee.region.split())
    same_region = _region_key(Mentee.region) == _region_key(literal(region)) if region else false()
    return (select(Mentee.id.label("peer_id"), func.lower(Mentee.name).label("sort_name"),
                   case((_speaks_any(mentee.languages or ()), 1), else_=0).label("speaks"),
                   case((same_region, 1), else_=0).label("near"), latest.label("assessment_id"))
            .where(_live_peer(Mentee.id != mentee.id)).cte("peers").prefix_with("MATERIALIZED"))


def _speaks_any(languages: Iterable[str]) -> Any:
    """SQL: the mentee's languages (a JSON list of codes) hold one of ``languages``' base languages."""
    bases = sorted({_language_base(code) for code in languages if code})
    if not bases:
        return false()
    text = cast(Mentee.languages, String)
    return or_(*(condition for base in bases for condition in (
        text.like(f'%"{base}"%'), text.like(f'%"{base}\\_%', escape="\\"))))


def _region_key(value: Any) -> Any:
    return func.lower(func.trim(value))


def find_peers(session: Session, mentee_ref: uuid.UUID | str, language: str | None = None,
               limit: int = DEFAULT_LIMIT) -> PeerMatches:
    """Peers for each of the mentee's priority gaps, best first, at most ``limit`` per gap.

    Ranking: a shared language first, then the same region (the same text, ignoring case and the
    spaces around it), then a pair where the mentee can give something back, then the peer's level
    (higher first), then the name. Labels are in ``language`` (default: the active one). An unknown
    or malformed id raises ``InputError``.
    """
    if limit < 1:
        raise InputError(_("The number of peers per gap must be at least 1."))
    mentee = session.get(Mentee, mentee_id_of(mentee_ref))
    if mentee is None or mentee.deleted:
        raise InputError(_("No mentee has the id {id}.").format(id=mentee_ref))
    community = session.get(Community, mentee.community_id) if mentee.community_id else None
    opted_in = opted_in_count(session, mentee.id)
    base = dict(mentee_id=mentee.id, name=mentee.name, kind=mentee.kind,
                community=community.name if community else "", languages=tuple(mentee.languages or ()),
                opted_in=opted_in)
    latest = previous_assessment(session, mentee.id)
    if latest is None:
        return PeerMatches(assessed_on=None, **base)
    labels = capacity_labels(session, language)
    own = session.execute(select(CapacityRating.capacity_id, CapacityRating.level, CapacityRating.priority).where(
        CapacityRating.assessment_id == latest[0], CapacityRating.deleted == false())).all()
    gaps = sorted(((cid, level, Priority(priority)) for cid, level, priority in own if priority > Priority.NONE),
                  key=lambda g: summary_order(g[2], g[1], labels.get(g[0], "")))
    assets = sorted((Offer(cid, labels.get(cid, "?"), level) for cid, level, _p in own if level >= ASSET_LEVEL),
                    key=lambda o: (-o.level, o.label.casefold()))
    base["assets"] = tuple(assets)
    if not gaps or not opted_in:
        return PeerMatches(assessed_on=latest[1], gaps=tuple(
            GapMatches(cid, labels.get(cid, "?"), level, priority, ()) for cid, level, priority in gaps), **base)

    # One query: the opted-in mentees' latest ratings of the gaps at asset level, each ranked
    # within its gap in SQL, so only the best ``limit`` per gap come back to Python.
    peers = _peers(mentee)
    asset_ids = [o.capacity_id for o in assets]
    theirs = aliased(CapacityRating)
    gives = (exists().where(theirs.assessment_id == peers.c.assessment_id, theirs.deleted == false(),
                            theirs.capacity_id.in_(asset_ids),
                            or_(theirs.priority > Priority.NONE, theirs.level <= GAP_LEVEL))
             if asset_ids else false())
    candidates = (
        select(CapacityRating.capacity_id, CapacityRating.level, peers, case((gives, 1), else_=0).label("gives"))
        .join(CapacityRating, CapacityRating.assessment_id == peers.c.assessment_id)
        .where(CapacityRating.deleted == false(), CapacityRating.capacity_id.in_([cid for cid, _l, _p in gaps]),
               # A literal, so SQLite can use migration 0009's partial index of asset ratings.
               CapacityRating.level >= literal_column(str(ASSET_LEVEL)))
        .cte("candidates").prefix_with("MATERIALIZED"))
    c = candidates.c
    # Ranked on narrow rows; the peers' names and details are read for the best ``limit`` only.
    ranked = select(c.capacity_id, c.level, c.peer_id, c.assessment_id, c.near, func.row_number().over(
        partition_by=c.capacity_id, order_by=(c.speaks.desc(), c.near.desc(), c.gives.desc(), c.level.desc(),
                                              c.sort_name, c.peer_id)).label("rank"),
        func.count().over(partition_by=c.capacity_id).label("found")).subquery("ranked")
    rows = session.execute(
        select(ranked, Mentee.name, Mentee.kind, Mentee.languages, Community.name.label("community"))
        .join(Mentee, Mentee.id == ranked.c.peer_id)
        .outerjoin(Community, Community.id == Mentee.community_id)
        .where(ranked.c.rank <= limit)).all()

    # What the mentee can give back: its assets that are a suggested peer's gaps, in the peer's
    # latest assessment (the one the peer was found in).
    offered = {o.capacity_id: o for o in assets}
    gives_back: dict[uuid.UUID, list[Offer]] = {}
    suggested = list({row.assessment_id for row in rows})
    if offered and suggested:
        for aid, cid in session.execute(select(CapacityRating.assessment_id, CapacityRating.capacity_id).where(
                CapacityRating.assessment_id.in_(suggested), CapacityRating.deleted == false(),
                CapacityRating.capacity_id.in_(list(offered)),
                or_(CapacityRating.priority > Priority.NONE, CapacityRating.level <= GAP_LEVEL))):
            gives_back.setdefault(aid, []).append(offered[cid])

    by_gap: dict[uuid.UUID, list[tuple[int, PeerSuggestion]]] = {}
    found: dict[uuid.UUID, int] = {}
    for row in rows:
        you_offer = tuple(sorted(gives_back.get(row.assessment_id, ()), key=lambda o: (-o.level, o.label.casefold())))
        suggestion = PeerSuggestion(
            row.peer_id, row.name, MenteeKind(row.kind), row.community or "", row.level,
            shared_languages(mentee.languages or (), row.languages or ()),
            bool(row.near),
            Offer(row.capacity_id, labels.get(row.capacity_id, "?"), row.level), you_offer)
        by_gap.setdefault(row.capacity_id, []).append((row.rank, suggestion))
        found[row.capacity_id] = row.found
    matches = [GapMatches(cid, labels.get(cid, "?"), level, priority,
                          tuple(s for _rank, s in sorted(by_gap.get(cid, []), key=lambda pair: pair[0])),
                          found.get(cid, 0))
               for cid, level, priority in gaps]
    return PeerMatches(assessed_on=latest[1], gaps=tuple(matches), **base)


def as_json(matches: PeerMatches) -> dict[str, Any]:
    """A stable, JSON-ready document of the suggestions, for scripts (``coachdesk match --json``)."""

    def offer(o: Offer) -> dict[str, Any]:
        return {"capacity_id": str(o.capacity_id), "capacity": o.label, "level": o.level}

    return {
        "mentee": {"id": str(matches.mentee_id), "name": matches.name, "kind": matches.kind.value,
                   "community": matches.community, "languages": list(matches.languages)},
        "assessed_on": matches.assessed_on.isoformat() if matches.assessed_on else None,
        "opted_in_peers": matches.opted_in,
        "gaps": [{
            "capacity_id": str(g.capacity_id), "capacity": g.label, "level": g.level,
            "priority": g.priority.name.lower(), "found": g.found,
            "peers": [{
                "id": str(s.peer_id), "name": s.name, "kind": s.kind.value, "community": s.community,
                "level": s.level, "shared_languages": list(s.shared_languages), "same_region": s.same_region,
                "they_offer": offer(s.they_offer), "you_offer": [offer(o) for o in s.you_offer],
            } for s in g.suggestions],
        } for g in matches.gaps],
    }


def offers_text(offers: Iterable[Offer]) -> str:
    """"Event management 5, Public speaking 4": capacities with the giver's level."""
    return _(", ").join(_("{capacity} {level}").format(capacity=o.label, level=o.level) for o in offers)


def empty_reason(matches: PeerMatches, gap: GapMatches | None = None) -> str:
    """Why there is nothing to suggest, in one sentence; empty when there is something."""
    if matches.assessed_on is None:
        return _("{name} has no assessment yet: peers are matched to the priority gaps of the latest "
                 "one.").format(name=matches.name)
    if not matches.gaps:
        return _("{name}'s latest assessment marks no capacity as a priority, so there is nothing to "
                 "match.").format(name=matches.name)
    if gap is not None and not gap.suggestions:
        return ngettext("Nobody who agreed to be suggested has this as an asset ({count} mentee agreed).",
                        "Nobody who agreed to be suggested has this as an asset ({count} mentees agreed).",
                        matches.opted_in).format(count=matches.opted_in)
    return ""


def match_table(matches: PeerMatches) -> str:
    """The suggestions as columns for a terminal: capacity, peer, the peer's level, what the mentee
    offers back and the shared languages, one line per peer."""
    lines = [_("Peers for {name}").format(name=matches.name)
             + (" — " + _("assessed on {date}").format(date=matches.assessed_on.isoformat())
                if matches.assessed_on else "")]
    reason = empty_reason(matches)
    if reason:
        return "\n".join([*lines, reason])
    header = [_("Capacity"), _("Level"), _("Peer"), _("Peer's level"), _("You can offer"), _("Shared languages")]
    rows: list[list[str]] = []
    for gap in matches.gaps:
        first = [gap.label, str(gap.level)]
        if not gap.suggestions:  # the sentence runs on past the columns
            rows.append(first + [empty_reason(matches, gap)])
        for n, s in enumerate(gap.suggestions):
            rows.append((first if n == 0 else ["", ""]) + [
                s.name, str(s.level), offers_text(s.you_offer) or "—", ", ".join(s.shared_languages) or "—"])
    widths = [max(len(row[i]) for row in [header, *rows] if len(row) == len(header) or i < 2)
              for i in range(len(header))]
    lines.append("")
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    lines.append("")
    lines.append(ngettext("{count} mentee agreed to be suggested as a peer.",
                          "{count} mentees agreed to be suggested as peers.", matches.opted_in).format(
        count=matches.opted_in))
    return "\n".join(lines)
