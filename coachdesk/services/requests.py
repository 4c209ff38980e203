"""Community requests: record them with a priority, list them open-first, and turn one into a mentee and a plan.

Requests come before "a preconceived notion of what capacities should be built", so the
list puts open requests first and the most urgent (priority 1) at the top.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from coachdesk.errors import InputError
from coachdesk.i18n import _
from coachdesk.model import (
    Capacity,
    Community,
    CommunityRequest,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanGoal,
    PlanStatus,
    RequestStatus,
    uuid7,
)
from coachdesk.services.mentees import find_or_add_community
from coachdesk.services.vocabulary import capacity_labels

PRIORITY_MIN, PRIORITY_MAX = 1, 5
#: Kinds of mentee a community request can become (a request speaks for more than one person).
MENTEE_KINDS = (MenteeKind.ORGANIZATION, MenteeKind.GROUP)

_STATUS_RANK = case(*[(CommunityRequest.status == s, rank) for rank, s in enumerate(RequestStatus)], else_=99)
_ORDER = {
    "status": (_STATUS_RANK, CommunityRequest.priority, CommunityRequest.requested_on.desc()),
    "priority": (CommunityRequest.priority, _STATUS_RANK, CommunityRequest.requested_on.desc()),
    "title": (CommunityRequest.title, _STATUS_RANK),
    "community": (Community.name, _STATUS_RANK, CommunityRequest.priority),
    "requested_on": (CommunityRequest.requested_on, _STATUS_RANK),
}


@dataclass(frozen=True)
class RequestRow:
    id: uuid.UUID
    priority: int
    title: str
    community: str
    capacity: str  # the capacity's label in the active language; empty when none is named
    requested_on: date
    requested_by: str
    status: RequestStatus
    mentee_id: uuid.UUID | None
    capacity_id: uuid.UUID | None
    community_id: uuid.UUID | None


@dataclass
class RequestForm:
    """What the request form edits; ``id`` is None for a new request."""

    title: str
    community: str = ""
    requested_by: str = ""
    description: str = ""
    capacity_id: uuid.UUID | None = None
    priority: int = 3
    status: RequestStatus = RequestStatus.OPEN
    requested_on: date | None = None
    id: uuid.UUID | None = None
    #: The mentee the request became (shown, never edited through the form).
    mentee_id: uuid.UUID | None = None


@dataclass(frozen=True)
class MenteeAndPlan:
    mentee_id: uuid.UUID
    plan_id: uuid.UUID
    goal_id: uuid.UUID


def _live_requests(status: RequestStatus | None):  # type: ignore[no-untyped-def]
    query = select(CommunityRequest.id).outerjoin(Community, Community.id == CommunityRequest.community_id).where(
        CommunityRequest.deleted.is_(False))
    if status is not None:
        query = query.where(CommunityRequest.status == status)
    return query


def request_keys(session: Session, status: RequestStatus | None = None, sort: str = "status",
                 ascending: bool = True) -> list[uuid.UUID]:
    """Ids of live requests (of one status, or all), open first then most urgent, unless sorted otherwise."""
    order = _ORDER.get(sort, _ORDER["status"])
    first = order[0] if ascending else order[0].desc()
    query = _live_requests(status).order_by(first, *order[1:], CommunityRequest.id)
    return list(session.scalars(query))


def request_rows(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, RequestRow]:
    """The rows for ``ids``; ones removed since are left out."""
    if not ids:
        return {}
    labels = capacity_labels(session)
    query = (select(CommunityRequest, Community.name)
             .outerjoin(Community, Community.id == CommunityRequest.community_id)
             .where(CommunityRequest.id.in_(list(ids)), CommunityRequest.deleted.is_(False)))
    rows = {}
    for request, community in session.execute(query):
        rows[request.id] = RequestRow(
            request.id, request.priority, request.title, community or "",
            labels.get(request.capacity_id, "") if request.capacity_id else "", request.requested_on,
            request.requested_by, request.status, request.mentee_id, request.capacity_id, request.community_id)
    return rows


def list_requests(session: Session, status: RequestStatus | None = None) -> list[RequestRow]:
    """Live requests, open first, then by priority (1 = most urgent), newest first within a priority."""
    keys = request_keys(session, status)
    rows = request_rows(session, keys)
    return [rows[k] for k in keys if k in rows]


def validate_request(form: RequestForm) -> list[str]:
    problems = []
    if not form.title.strip():
        problems.append(_("Give the request a title: what does the community ask for?"))
    elif len(form.title.strip()) > 200:
        problems.append(_("The title is longer than 200 characters."))
    if len(form.requested_by.strip()) > 200:
        problems.append(_("The name of who asked is longer than 200 characters."))
    if len(" ".join(form.community.split())) > 200:
        problems.append(_("The community's name is longer than 200 characters."))
    if not PRIORITY_MIN <= form.priority <= PRIORITY_MAX:
        problems.append(_("The priority must be between 1 (most urgent) and 5."))
    return problems


def load_request(session: Session, request_id: uuid.UUID) -> RequestForm:
    request = session.get(CommunityRequest, request_id)
    if request is None or request.deleted:
        raise InputError(_("This request no longer exists; it may have been removed on another device."))
    community = session.get(Community, request.community_id) if request.community_id else None
    return RequestForm(request.title, community.name if community else "", request.requested_by,
                       request.description, request.capacity_id, request.priority, request.status,
                       request.requested_on, request.id, request.mentee_id)


def request_description(session: Session, request_id: uuid.UUID) -> str:
    request = session.get(CommunityRequest, request_id)
    return request.description if request is not None else ""


def save_request(session: Session, form: RequestForm) -> uuid.UUID:
    """Record a new request or update one (inside the caller's write transaction); return its id."""
    problems = validate_request(form)
    if problems:
        raise InputError(" ".join(problems))
    if form.capacity_id is not None and session.get(Capacity, form.capacity_id) is None:
        raise InputError(_("The chosen capacity no longer exists; choose another one."))
    values = {
        "title": " ".join(form.title.split()), "requested_by": " ".join(form.requested_by.split()),
        "description": form.description.strip(), "capacity_id": form.capacity_id, "priority": int(form.priority),
        "status": form.status, "requested_on": form.requested_on or date.today(),
        "community_id": find_or_add_community(session, form.community),
    }
    if form.id is None:
        request = CommunityRequest(id=uuid7(), mentee_id=None, **values)
        session.add(request)
        session.flush()
        return request.id
    request = session.get(CommunityRequest, form.id)
    if request is None or request.deleted:
        raise InputError(_("This request no longer exists; it may have been removed on another device."))
    for key, value in values.items():
        if getattr(request, key) != value:
            setattr(request, key, value)
    return request.id


def request_to_mentee_and_plan(session: Session, request_id: uuid.UUID, kind: MenteeKind, name: str,
                               today: date | None = None) -> MenteeAndPlan:
    """Make the request's community an organization or group mentee with a plan whose one goal is
    the requested capacity; link the request to the mentee and mark it planned."""
    if kind not in MENTEE_KINDS:
        raise InputError(_("A request becomes an organization or a group, not a single person."))
    name = " ".join(name.split())
    if not name:
        raise InputError(_("Give the new mentee a name."))
    if len(name) > 200:
        raise InputError(_("The name is longer than 200 characters."))
    request = session.get(CommunityRequest, request_id)
    if request is None or request.deleted:
        raise InputError(_("This request no longer exists; it may have been removed on another device."))
    if request.mentee_id is not None:
        existing = session.get(Mentee, request.mentee_id)
        if existing is not None and not existing.deleted:
            raise InputError(_("This request has already become the mentee “{name}”.").format(name=existing.name))
    today = today or date.today()
    community = session.get(Community, request.community_id) if request.community_id else None
    mentee = Mentee(id=uuid7(), kind=kind, name=name, community_id=request.community_id,
                    languages=list(community.languages) if community else [], region=community.region if community
                    else "", journey_stage=JourneyStage.PLANNING, archived=False)
    plan = Plan(id=uuid7(), mentee_id=mentee.id, title=_("Plan for: {title}").format(title=request.title)[:200],
                status=PlanStatus.DRAFT, created_on=today)
    goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=request.capacity_id,
                    description=request.description or request.title, position=0)
    session.add_all([mentee, plan, goal])
    session.flush()
    request.mentee_id = mentee.id
    if request.status in (RequestStatus.OPEN, RequestStatus.ACCEPTED):
        request.status = RequestStatus.PLANNED
    return MenteeAndPlan(mentee.id, plan.id, goal.id)
