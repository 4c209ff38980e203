"""Funding opportunities in every language: amount, eligibility and notes per language.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coachdesk.model.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('funding_text',
    sa.Column('funding_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.String(length=200), nullable=False),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding_opportunity.id'],
                            name=op.f('fk_funding_text_funding_id_funding_opportunity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_text')),
    sa.UniqueConstraint('funding_id', 'language', name=op.f('uq_funding_text_funding_id'))
    )
    with op.batch_alter_table('funding_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_text_funding_id'), ['funding_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('funding_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_text_funding_id'))
    op.drop_table('funding_text')
