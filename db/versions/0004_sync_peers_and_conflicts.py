"""Sync: peers (hub or devices) with their public keys, the team joined, bundles already merged, and the conflict log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coachdesk.model.base

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_field_clock', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hlc', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_site_idx', sa.Integer(), nullable=True))
    op.create_table('sync_conflict',
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('column_name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('value_hlc', sa.BigInteger(), nullable=False),
    sa.Column('value_site', sa.String(length=32), nullable=False),
    sa.Column('winner_hlc', sa.BigInteger(), nullable=False),
    sa.Column('winner_site', sa.String(length=32), nullable=False),
    sa.Column('resolved', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_row_id'), ['row_id'], unique=False)

    op.create_table('sync_peer',
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('sign_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('box_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('approved', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('revoked', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('acked_version', sa.BigInteger(), nullable=False),
    sa.Column('last_seen', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_sync_peer_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('site_idx', name=op.f('pk_sync_peer'))
    )
    op.create_table('sync_seen_bundle',
    sa.Column('bundle_id', sa.String(length=64), nullable=False),
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('to_version', sa.BigInteger(), nullable=False),
    sa.Column('merged_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_sync_seen_bundle_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_sync_seen_bundle'))
    )
    op.create_table('sync_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hub_site_idx', sa.Integer(), nullable=False),
    sa.Column('invitation_secret', sa.LargeBinary(length=32), nullable=False),
    sa.Column('last_export', sa.String(length=32), nullable=False),
    sa.Column('last_import', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['hub_site_idx'], ['sync_site.idx'], name=op.f('fk_sync_team_hub_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_team'))
    )


def downgrade() -> None:
    with op.batch_alter_table('sync_field_clock', schema=None) as batch_op:
        batch_op.drop_column('prev_site_idx')
        batch_op.drop_column('prev_hlc')
    op.drop_table('sync_team')
    op.drop_table('sync_seen_bundle')
    op.drop_table('sync_peer')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_row_id'))

    op.drop_table('sync_conflict')
