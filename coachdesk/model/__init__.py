"""The domain: mentees, capacities, assessments, plans, sessions, requests, and sync bookkeeping."""

from coachdesk.model.assessment import (
    LEVEL_MAX,
    LEVEL_MIN,
    Assessment,
    AssessmentMode,
    CapacityRating,
    Priority,
)
from coachdesk.model.base import PRIVATE, Base, RowId, Synced
from coachdesk.model.ids import id_from_text, named_id, parse_id, uuid7
from coachdesk.model.people import (
    PERSONAL_FIELDS,
    Coach,
    CoachRole,
    Community,
    JourneyStage,
    Mentee,
    MenteeKind,
    erased_name,
    erased_values,
)
from coachdesk.model.plan import OPEN_ACTION_STATUSES, ActionStatus, Plan, PlanAction, PlanGoal, PlanStatus
from coachdesk.model.reference import (
    Capacity,
    CapacityArea,
    CapacityAreaText,
    CapacityText,
    FundingOpportunity,
    FundingText,
    ToolboxMethod,
    ToolboxMethodText,
)
from coachdesk.model.request import CommunityRequest, RequestStatus
from coachdesk.model.session import CoachingSession, SessionCapacity, SessionKind, SessionParticipant
from coachdesk.model.template import (
    AssessmentTemplate,
    AssessmentTemplateText,
    TemplateQuestion,
    TemplateQuestionText,
)
from coachdesk.model.track import TrackStepKind, TrainerTrackStep
from coachdesk.model.syncstate import (
    FieldClock,
    RowClock,
    SeenBundle,
    SyncConflict,
    SyncPeer,
    SyncSite,
    SyncState,
    SyncTeam,
)


def synced_classes() -> list[type[Synced]]:
    """Every mapped class whose rows travel between devices, in dependency order."""
    order = {table: i for i, table in enumerate(Base.metadata.sorted_tables)}
    classes = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, Synced)]
    return sorted(classes, key=lambda c: order[c.__table__])


def private_columns(cls: type[Synced]) -> frozenset[str]:
    """Columns of ``cls`` whose values never leave this device."""
    return frozenset(c.name for c in cls.__table__.columns if c.info.get(PRIVATE))


__all__ = [
    "LEVEL_MAX", "LEVEL_MIN", "OPEN_ACTION_STATUSES", "PERSONAL_FIELDS", "PRIVATE",
    "ActionStatus", "Assessment", "AssessmentMode", "AssessmentTemplate", "AssessmentTemplateText",
    "TemplateQuestion", "TemplateQuestionText", "TrackStepKind", "TrainerTrackStep", "Base", "Capacity", "CapacityArea",
    "CapacityAreaText", "CapacityRating", "CapacityText", "Coach", "CoachRole", "CoachingSession",
    "Community", "CommunityRequest", "FieldClock", "FundingOpportunity", "FundingText", "JourneyStage", "Mentee",
    "MenteeKind", "Plan", "PlanAction", "PlanGoal", "PlanStatus", "Priority", "RequestStatus",
    "RowClock", "RowId", "SeenBundle", "SessionCapacity", "SyncConflict", "SyncPeer", "SyncTeam", "SessionKind", "SessionParticipant", "Synced",
    "SyncSite", "SyncState", "ToolboxMethod", "ToolboxMethodText", "erased_name", "erased_values", "id_from_text", "named_id",
    "parse_id",
    "private_columns", "synced_classes", "uuid7",
]
