"""Realistic, deterministic demo data: for trying the app, screenshots and benchmarks.

The same seed and the same ``today`` give the same rows, ids included. Everything is
written in one transaction: a cancelled or failed run leaves the database as it was.
"""

from __future__ import annotations

import random
import tomllib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import (
    ActionStatus,
    Assessment,
    AssessmentMode,
    Capacity,
    CapacityRating,
    Coach,
    CoachingSession,
    CoachRole,
    Community,
    CommunityRequest,
    FundingOpportunity,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    RequestStatus,
    RowClock,
    SessionCapacity,
    SessionKind,
    SessionParticipant,
    Synced,
    ToolboxMethod,
    TrackStepKind,
    TrainerTrackStep,
    named_id,
    uuid7,
)
from coachdesk.paths import resources_dir
from coachdesk.services.progress import ProgressCallback, no_progress
from coachdesk.services.vocabulary import capacity_labels
from coachdesk.store.changes import insert_rows
from coachdesk.store.database import Database

STAGES = list(JourneyStage)
ONE_TO_ONE_NOTES = [
    "Talked through {capacity}. {name} described what already works: {asset}. We agreed to look next at {gap}.",
    "Follow-up on {capacity}. Progress since last time: {asset}. Still hard: {gap}.",
    "{name} asked for help with {capacity}. We mapped who in the community already does this well.",
    "Reviewed the plan together; {capacity} is moving. Open question: {gap}.",
]
TRAINING_NOTES = [
    "Workshop on {capacity} with {count} participants. Exercises in small groups; strong interest in {gap}.",
    "Training day: {capacity}. Participants shared local examples of {asset}.",
]
NEXT_STEPS = [
    "Draft a one-page summary and share it with the group before the next call.",
    "Ask two experienced members to co-host the next meetup.",
    "Collect photos and attendance numbers for the report.",
    "Write to the affiliate's board about the budget line.",
    "Try the checklist at the next event and note what was missing.",
    "Book a follow-up session in three weeks.",
]
ASSETS = [
    "a committed core of volunteers", "good contacts with the local university", "regular online meetups",
    "a shared calendar everyone uses", "experience running editathons", "strong writers in the local language",
    "a trusted relationship with a library", "members who speak at public events",
]
GAPS = [
    "keeping new volunteers after their first event", "writing grant reports on time",
    "a written agreement with partners", "safe handling of participants' data",
    "sharing tasks beyond one or two people", "finding a venue with reliable internet",
    "budgeting for travel", "explaining the project to journalists",
]
EVIDENCE = [
    "Attendance lists from the last three events.", "The latest grant report.", "Minutes of the last board meeting.",
    "Said by three participants in the group discussion.", "Messages in the community's chat group.",
]
ORG_FORMS = ["{community} — {city} chapter", "{city} Education Program", "Wiki Loves Monuments {city} team"]
GROUP_FORMS = ["{city} editathon circle", "Women in Red {city}", "{city} library volunteers", "{city} student club"]
COACH_NAMES = [
    "Grace Mensah", "Karim Haddad", "Lucía Fernández", "Ananya Rao", "Tomasz Nowak", "Amara Okafor",
    "Salma Benali", "Rafael Costa", "Mei Lin", "Jonas Berg", "Fatou Diop", "Hamid Rahimi",
]
CONSENT_FORMS = ["spoken consent at first meeting", "signed consent form", "consent by email"]
#: Capacity builders' profiles, by coach: languages, region, methods trained in, capacities they can support.
BUILDER_PROFILES = [
    (["en", "ak"], "West Africa", ["training", "mentoring_coaching", "assessment"],
     ["fundraising", "financial_management", "leadership_development"]),
    (["ar", "fr"], "Middle East and North Africa", ["mentoring_coaching", "consultation"],
     ["legal", "dangerous_environments", "it_safety"]),
    (["es", "en"], "Latin America", ["training", "online_learning"], ["community_outreach", "public_speaking"]),
    (["hi", "en"], "South Asia", ["training", "onsite_assistance"], ["event_management", "volunteer_engagement"]),
    (["pl", "en"], "Central Europe", ["community_of_practice"], ["technical", "reporting_evaluation"]),
    (["ig", "en"], "West Africa", ["training"], ["fundraising", "communication"]),
]


@dataclass
class _Ids:
    """Time-ordered ids drawn from the seeded generator."""

    rng: random.Random
    ms: int
    issued: int = 0

    def __call__(self) -> uuid.UUID:
        self.issued += 1
        return uuid7(self.ms + self.issued // 64, self.rng)


def _load_people() -> list[dict[str, Any]]:
    with (resources_dir() / "demo" / "people.toml").open("rb") as handle:
        return list(tomllib.load(handle)["community"])


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 18), rng.choice((0, 30))))


def generate_demo(
    db: Database,
    mentees: int = 200,
    seed: int = 1,
    today: date | None = None,
    progress: ProgressCallback = no_progress,
) -> dict[str, int]:
    """Add demo data for ``mentees`` mentees; return how many rows of each table were added."""
    if mentees < 1:
        raise InputError(_("The number of demo mentees must be at least 1."))
    today = today or date.today()
    rng = random.Random(seed)
    ids = _Ids(rng, int(datetime.combine(today - timedelta(days=400), time()).timestamp() * 1000))
    with db.write() as session:
        first = _Ids(random.Random(seed), ids.ms)()
        if session.get(RowClock, first) is not None:
            raise InputError(
                _("This database already holds the demo data for seed {seed}; use another --seed or a new "
                  "database.").format(seed=seed)
            )
        builder = _DemoBuilder(session, rng, ids, today, mentees, progress)
        return builder.build()


class _DemoBuilder:
    def __init__(self, session: Session, rng: random.Random, ids: _Ids, today: date, size: int,
                 progress: ProgressCallback) -> None:
        self.session, self.rng, self.ids, self.today, self.size = session, rng, ids, today, size
        self.progress = progress
        self.rows: dict[type[Synced], list[dict[str, Any]]] = {}
        self.capacities = {c.key: c.id for c in session.scalars(select(Capacity).where(Capacity.deleted.is_(False)))}
        self.capacity_keys = sorted(self.capacities)
        self.methods = {m.key: m.id for m in session.scalars(select(ToolboxMethod))}
        self.funding = list(session.scalars(select(FundingOpportunity.id).order_by(FundingOpportunity.key)))
        english = capacity_labels(session, "en")
        self.titles = {key: english.get(cid, key) for key, cid in self.capacities.items()}
        if not self.capacity_keys:
            raise InputError(_("The capacity taxonomy is missing from this database, so demo data cannot refer to it."))

    def add(self, cls: type[Synced], **values: Any) -> uuid.UUID:
        values.setdefault("id", self.ids())
        self.rows.setdefault(cls, []).append(values)
        return values["id"]

    def label(self, key: str) -> str:
        """A capacity's English label as it reads inside a sentence."""
        title = self.titles.get(key, key.replace("_", " "))
        return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title

    def build(self) -> dict[str, int]:
        coaches = [
            self.add(Coach, name=name, role=list(CoachRole)[i % len(CoachRole)], languages=["en"],
                     email=f"coach{i + 1}@example.org")
            for i, name in enumerate(COACH_NAMES[: max(3, min(len(COACH_NAMES), self.size // 250))])
        ]
        communities = []
        for info in _load_people():
            cid = self.add(Community, name=info["name"], region=info["region"], languages=info["languages"], notes="")
            communities.append((cid, info))
        members: dict[uuid.UUID, list[uuid.UUID]] = {cid: [] for cid, _ in communities}
        for i in range(self.size):
            self._mentee(i, communities, coaches, members)
            if i % 5000 == 4999:
                self.progress(i + 1, self.size, _("Creating mentees"))
        self._trainings(communities, members, coaches)
        self._requests(communities)
        self._capacity_builders()
        return self._write()

    def _mentee(self, i: int, communities: list[tuple[uuid.UUID, dict[str, Any]]], coaches: list[uuid.UUID],
                members: dict[uuid.UUID, list[uuid.UUID]]) -> None:
        rng = self.rng
        cid, info = communities[rng.randrange(len(communities))]
        kind = rng.choices(list(MenteeKind), weights=(70, 10, 20))[0]
        city = rng.choice(info["cities"])
        if kind is MenteeKind.PERSON:
            name = f"{rng.choice(info['given'])} {rng.choice(info['family'])}"
        elif kind is MenteeKind.ORGANIZATION:
            name = rng.choice(ORG_FORMS).format(community=info["name"], city=city)
        else:
            name = rng.choice(GROUP_FORMS).format(city=city)
        stage_index = rng.choices(range(len(STAGES)), weights=(15, 20, 20, 15, 20, 10))[0]
        first_contact = self.today - timedelta(days=rng.randrange(30, 400))
        coach = rng.choice(coaches)
        mid = self.add(
            Mentee, kind=kind, name=name, community_id=cid, languages=list(info["languages"]),
            region=info["region"], journey_stage=STAGES[stage_index], coach_id=coach,
            consent_given_on=first_contact, consent_given_by=rng.choice(CONSENT_FORMS) if kind is MenteeKind.PERSON
            else "decision of the organizers",
            email=f"mentee{i + 1}@example.org" if kind is MenteeKind.PERSON else "",
            phone="", private_notes="", archived=rng.random() < 0.03,
            # Three in ten agree to be suggested as peers; drawn from the index, not the generator,
            # so the rest of the demo data stays as it was.
            open_to_peers=i % 10 in (2, 5, 8),
        )
        members[cid].append(mid)
        focus = rng.sample(self.capacity_keys, k=min(len(self.capacity_keys), rng.randrange(6, 12)))
        levels = {key: rng.randrange(1, 4) for key in focus}
        if stage_index >= STAGES.index(JourneyStage.ASSESSMENT):
            self._assessments(mid, coach, first_contact, focus, levels, info)
        if stage_index >= STAGES.index(JourneyStage.PLANNING):
            self._plan(mid, coach, first_contact, levels, stage_index)
        for _n in range(rng.choice((0, 1, 2, 2, 3, 4))):
            self._session(rng.choice((SessionKind.COACHING, SessionKind.MENTORING, SessionKind.CONSULTATION,
                                      SessionKind.VISIT)), [mid], coach, focus, info, name)

    def _assessments(self, mid: uuid.UUID, coach: uuid.UUID, start: date, focus: list[str],
                     levels: dict[str, int], info: dict[str, Any]) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.randrange(5, 30))
        for _n in range(rng.choice((1, 1, 2, 2, 3))):
            if day > self.today:
                break
            mode = rng.choice(list(AssessmentMode))
            # A group sitting's size and spreads come from the data at hand, not the generator.
            participants = 6 + len(focus) + day.day % 9 if mode is AssessmentMode.GROUP else None
            aid = self.add(Assessment, mentee_id=mid, assessed_on=day, facilitator_id=coach,
                           method_id=self.methods.get("assessment"), mode=mode, participants=participants,
                           language=info["languages"][0], discover=rng.choice(ASSETS).capitalize() + ".",
                           dream="A community that runs its own trainings in its own language.",
                           design="Pair new organizers with experienced ones.", deliver=rng.choice(NEXT_STEPS))
            for key in focus:
                level = levels[key]
                cap = self.capacities[key]
                spread: dict[str, int | None] = dict(lowest=None, highest=None, raters=None)  # one shape for every row
                if participants:
                    spread = dict(lowest=max(1, level - len(key) % 2), highest=min(5, level + len(key) % 3),
                                  raters=participants - len(key) % 2)
                self.add(CapacityRating, id=named_id(aid, cap), assessment_id=aid, capacity_id=cap, level=level,
                         priority=max(0, 3 - level + rng.randrange(0, 2)) if level < 5 else 0,
                         assets=rng.choice(ASSETS), gaps=rng.choice(GAPS), evidence=rng.choice(EVIDENCE), **spread)
                levels[key] = min(5, level + rng.choice((0, 0, 1, 1, 2)))
            day += timedelta(days=rng.randrange(90, 150))

    def _plan(self, mid: uuid.UUID, coach: uuid.UUID, start: date, levels: dict[str, int], stage: int) -> None:
        rng = self.rng
        created = min(self.today, start + timedelta(days=rng.randrange(20, 60)))
        status = PlanStatus.COMPLETED if stage == len(STAGES) - 1 and rng.random() < 0.5 else PlanStatus.ACTIVE
        pid = self.add(Plan, mentee_id=mid, title="Capacity-building plan", status=status, created_on=created,
                       review_on=created + timedelta(days=180), assessment_id=None)
        weakest = sorted(levels, key=lambda k: (levels[k], k))[: rng.randrange(2, 4)]
        for g, key in enumerate(weakest):
            gid = self.add(PlanGoal, plan_id=pid, capacity_id=self.capacities[key], position=g,
                           description=f"Strengthen {self.label(key)}", target_level=min(5, levels[key] + 1))
            for a in range(rng.randrange(1, 4)):
                due = self.today + timedelta(days=rng.randrange(-60, 90))
                action_status = rng.choices(list(ActionStatus), weights=(35, 25, 8, 27, 5))[0]
                method = rng.choice(sorted(self.methods))
                self.add(PlanAction, goal_id=gid, description=rng.choice(NEXT_STEPS), method_id=self.methods[method],
                         owner=rng.choice(("mentee", "coach", "board")), owner_coach_id=coach if a == 0 else None,
                         due_on=due, status=action_status,
                         completed_on=min(due, self.today) if action_status is ActionStatus.DONE else None,
                         funding_id=rng.choice(self.funding) if self.funding and stage >= 3 and a == 0 else None,
                         position=a)

    def _session(self, kind: SessionKind, participants: list[uuid.UUID], coach: uuid.UUID, focus: list[str],
                 info: dict[str, Any], name: str) -> None:
        rng = self.rng
        day = self.today + timedelta(days=rng.randrange(-365, 21))
        caps = rng.sample(focus, k=min(len(focus), rng.randrange(1, 4)))
        method = {SessionKind.TRAINING: "training", SessionKind.CONSULTATION: "consultation",
                  SessionKind.VISIT: "onsite_assistance"}.get(kind, "mentoring_coaching")
        template = rng.choice(TRAINING_NOTES if kind is SessionKind.TRAINING else ONE_TO_ONE_NOTES)
        notes = template.format(capacity=self.label(caps[0]), name=name, asset=rng.choice(ASSETS),
                                gap=rng.choice(GAPS), count=len(participants))
        online = kind is not SessionKind.VISIT and rng.random() < 0.4
        sid = self.add(CoachingSession, kind=kind, title=f"{kind.value.capitalize()}: {self.titles[caps[0]]}",
                       started_at=_at(day, rng),
                       duration_minutes=rng.choice((120, 180, 240) if kind is SessionKind.TRAINING else (30, 45, 60, 90)),
                       location=_("Online (video call)") if online else rng.choice(info["cities"]),
                       coach_id=coach, method_id=self.methods.get(method), language=info["languages"][0],
                       notes=notes, next_steps=rng.choice(NEXT_STEPS) if day <= self.today else "", private_notes="")
        for mid in participants:
            self.add(SessionParticipant, id=named_id(sid, mid), session_id=sid, mentee_id=mid)
        for key in caps:
            cap = self.capacities[key]
            self.add(SessionCapacity, id=named_id(sid, cap), session_id=sid, capacity_id=cap)

    def _trainings(self, communities: list[tuple[uuid.UUID, dict[str, Any]]],
                   members: dict[uuid.UUID, list[uuid.UUID]], coaches: list[uuid.UUID]) -> None:
        rng = self.rng
        for _n in range(max(1, self.size // 20)):
            cid, info = communities[rng.randrange(len(communities))]
            pool = members[cid]
            if not pool:
                continue
            group = rng.sample(pool, k=min(len(pool), rng.randrange(3, 16)))
            self._session(SessionKind.TRAINING, group, rng.choice(coaches), self.capacity_keys, info, info["name"])

    def _requests(self, communities: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
        rng = self.rng
        for _n in range(self.size // 25 + 3):
            cid, info = communities[rng.randrange(len(communities))]
            key = rng.choice(self.capacity_keys)
            self.add(CommunityRequest, community_id=cid, mentee_id=None, capacity_id=self.capacities[key],
                     requested_on=self.today - timedelta(days=rng.randrange(0, 200)),
                     requested_by=f"{rng.choice(info['given'])} {rng.choice(info['family'])}",
                     title=f"Support with {self.label(key)}", description=f"Our community asks for help with "
                     f"{self.label(key)}: {rng.choice(GAPS)}.", priority=rng.randrange(1, 6),
                     status=rng.choices(list(RequestStatus), weights=(40, 20, 15, 15, 10))[0])

    def _capacity_builders(self) -> None:
        """Profiles for the coaches, and the last one a new trainer part-way along the training-of-trainers
        track with the first as their mentor. Drawn without the generator, so the rest of the data stays the same."""
        rows = self.rows[Coach]
        for i, row in enumerate(rows):
            languages, region, methods, capacities = BUILDER_PROFILES[i % len(BUILDER_PROFILES)]
            row.update(languages=list(languages), region=region, capacities=[k for k in capacities if k in
                                                                            self.capacities],
                       methods=[k for k in methods if k in self.methods])
        trainee, mentor = rows[-1], rows[0]
        trainee["methods"] = trainee["methods"][:1]
        delivered = sorted((s for s in self.rows.get(CoachingSession, []) if s["coach_id"] == mentor["id"]
                            and s["started_at"].date() <= self.today - timedelta(days=7)),
                           key=lambda s: s["started_at"], reverse=True)
        steps = [(TrackStepKind.TRAINING, 120, None, "training", 480, "Regional training of trainers")]
        trainings = [s for s in delivered if s["kind"] is SessionKind.TRAINING] or delivered
        first = min((s["started_at"] for s in trainings[:2]), default=None)
        others = [s for s in delivered if s not in trainings[:2] and (first is None or s["started_at"] < first)]
        steps += [(TrackStepKind.OBSERVATION, 0, s, None, 0, "") for s in others[:2]]
        steps += [(TrackStepKind.CO_FACILITATION, 0, s, "training", s["duration_minutes"], "Led the second half")
                  for s in trainings[:2]]
        steps += [(TrackStepKind.MENTORING, 45 - 14 * n, None, None, 60, "Debrief and next steps") for n in range(3)]
        for kind, days_ago, linked, method, minutes, notes in steps:
            on = linked["started_at"].date() if linked else self.today - timedelta(days=days_ago)
            self.add(TrainerTrackStep, trainee_id=trainee["id"], kind=kind, done_on=on, mentor_id=None
                     if kind is TrackStepKind.TRAINING else mentor["id"], session_id=linked["id"] if linked else None,
                     method_id=self.methods.get(method) if method else None, minutes=minutes, notes=notes)
        # An experienced one, signed off long ago, shows what the end of the track looks like.
        self.add(TrainerTrackStep, trainee_id=rows[1]["id"], kind=TrackStepKind.SIGN_OFF,
                 done_on=self.today - timedelta(days=300), mentor_id=mentor["id"], session_id=None,
                 method_id=self.methods.get("mentoring_coaching"), minutes=0, notes="")

    def _write(self) -> dict[str, int]:
        order = [Coach, Community, Mentee, CoachingSession, SessionParticipant, SessionCapacity, Assessment,
                 CapacityRating, Plan, PlanGoal, PlanAction, CommunityRequest, TrainerTrackStep]
        total = sum(len(self.rows.get(cls, ())) for cls in order)
        done = 0
        counts = {}
        for cls in order:
            rows = self.rows.get(cls, [])
            insert_rows(self.session, cls, rows)
            counts[cls.__tablename__] = len(rows)
            done += len(rows)
            self.progress(done, total, _("Writing demo data"))
        return counts
