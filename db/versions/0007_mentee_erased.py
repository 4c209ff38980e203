"""Personal data: a mentee whose data was erased at their request is marked so on every device.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default lets SQLite add the column in place; rebuilding the table would copy
    # every mentee and trip over the foreign keys that point at it.
    with op.batch_alter_table('mentee', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('erased', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.drop_column('erased')
