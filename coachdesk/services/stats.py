"""Counts of what a database holds, for `coachdesk stats` and the status bar."""

from __future__ import annotations

from coachdesk.model import (
    Assessment,
    Capacity,
    CapacityArea,
    CapacityRating,
    Coach,
    CoachingSession,
    Community,
    CommunityRequest,
    FundingOpportunity,
    Mentee,
    Plan,
    PlanAction,
    PlanGoal,
    Synced,
    ToolboxMethod,
)
from coachdesk.store.database import Database, count_live

#: The JSON keys of `coachdesk stats --json`, in order, with what they count.
COUNTED: dict[str, type[Synced]] = {
    "communities": Community,
    "coaches": Coach,
    "mentees": Mentee,
    "sessions": CoachingSession,
    "assessments": Assessment,
    "capacity_ratings": CapacityRating,
    "plans": Plan,
    "plan_goals": PlanGoal,
    "plan_actions": PlanAction,
    "capacity_areas": CapacityArea,
    "capacities": Capacity,
    "toolbox_methods": ToolboxMethod,
    "funding_opportunities": FundingOpportunity,
    "requests": CommunityRequest,
}


def counts(db: Database) -> dict[str, int]:
    """How many live (not deleted) rows of each kind the database holds."""
    with db.read() as session:
        return {key: count_live(session, cls) for key, cls in COUNTED.items()}
