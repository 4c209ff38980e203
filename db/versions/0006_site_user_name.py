"""Sync: the name of the person who uses each device, so every field can say who changed it last.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_name', sa.String(length=200), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('sync_site', schema=None) as batch_op:
        batch_op.drop_column('user_name')
