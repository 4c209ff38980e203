"""An index that lets the mentee list filter and sort 50k mentees as one types.

A partial, covering index over live, unarchived mentees in name order (case-insensitive):
the list query scans it in order and filters without touching the table or sorting.
SQLite only, like search; other databases do without.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE INDEX list_mentee_by_name ON mentee "
        "(name COLLATE NOCASE, community_id, region, kind, journey_stage, languages) "
        "WHERE deleted = 0 AND archived = 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS list_mentee_by_name")
