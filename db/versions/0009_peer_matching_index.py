"""Indexes that keep peer matching quick at 50k mentees (``coachdesk.services.matching``).

Three partial indexes, measured by ``bench/matching.py`` (without them one mentee's matching
took about 0.9 s at 50k mentees and 1M ratings):

- ``match_peer``: the mentees who agreed to be suggested, live, unarchived and not erased, with
  every column matching reads from them, so the query never touches the mentee table;
- ``match_latest``: live assessments by mentee and date, to find each one's latest at once;
- ``match_asset``: live ratings at an asset level (4 or more, ``matching.ASSET_LEVEL``) by
  assessment and capacity, a small part of all ratings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = ("match_peer", "match_latest", "match_asset")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        yes, no = "1", "0"
        peer_columns = "(id, name, kind, languages, region, community_id)"
    elif dialect == "postgresql":
        yes, no = "true", "false"
        # A json column has no ordering in PostgreSQL; it rides along in the index instead.
        peer_columns = "(id) INCLUDE (name, kind, languages, region, community_id)"
    else:
        return
    op.execute(f"CREATE INDEX match_peer ON mentee {peer_columns} "
               f"WHERE open_to_peers = {yes} AND deleted = {no} AND archived = {no} AND erased = {no}")
    op.execute(f"CREATE INDEX match_latest ON assessment (mentee_id, assessed_on, id) WHERE deleted = {no}")
    op.execute(f"CREATE INDEX match_asset ON capacity_rating (assessment_id, capacity_id, level) "
               f"WHERE deleted = {no} AND level >= 4")


def downgrade() -> None:
    if op.get_bind().dialect.name not in ("sqlite", "postgresql"):
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
