"""The domain model: mentees, capacities, assessments, plans, sessions, requests and sync clocks.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coachdesk.model.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('capacity_area',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('wikidata_id', sa.String(length=16), nullable=True),
    sa.Column('custom', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_area')),
    sa.UniqueConstraint('key', name=op.f('uq_capacity_area_key'))
    )
    op.create_table('coach',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('coach', 'mentor', 'trainer', 'circuit_rider', 'program_lead', name='coachrole', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coach'))
    )
    op.create_table('community',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community'))
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_name'), ['name'], unique=False)

    op.create_table('funding_opportunity',
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('program', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('amount', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_opportunity')),
    sa.UniqueConstraint('key', name=op.f('uq_funding_opportunity_key'))
    )
    with op.batch_alter_table('funding_opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_opportunity_deadline'), ['deadline'], unique=False)

    op.create_table('sync_site',
    sa.Column('idx', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('site_id', sa.LargeBinary(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_local', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('idx', name=op.f('pk_sync_site')),
    sa.UniqueConstraint('site_id', name=op.f('uq_sync_site_site_id'))
    )
    op.create_table('toolbox_method',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('custom', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toolbox_method')),
    sa.UniqueConstraint('key', name=op.f('uq_toolbox_method_key'))
    )
    op.create_table('capacity',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('area_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('wikidata_id', sa.String(length=16), nullable=True),
    sa.Column('custom', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('community_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['capacity_area.id'], name=op.f('fk_capacity_area_id_capacity_area')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_capacity_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity')),
    sa.UniqueConstraint('key', name=op.f('uq_capacity_key'))
    )
    with op.batch_alter_table('capacity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_area_id'), ['area_id'], unique=False)

    op.create_table('capacity_area_text',
    sa.Column('area_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['capacity_area.id'], name=op.f('fk_capacity_area_text_area_id_capacity_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_area_text')),
    sa.UniqueConstraint('area_id', 'language', name=op.f('uq_capacity_area_text_area_id'))
    )
    op.create_table('coaching_session',
    sa.Column('kind', sa.Enum('coaching', 'mentoring', 'training', 'consultation', 'visit', name='sessionkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('coach_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('method_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('duration_minutes >= 0 AND duration_minutes <= 10080', name=op.f('ck_coaching_session_duration_sane')),
    sa.ForeignKeyConstraint(['coach_id'], ['coach.id'], name=op.f('fk_coaching_session_coach_id_coach')),
    sa.ForeignKeyConstraint(['method_id'], ['toolbox_method.id'], name=op.f('fk_coaching_session_method_id_toolbox_method')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_session'))
    )
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_session_started_at'), ['started_at'], unique=False)

    op.create_table('mentee',
    sa.Column('kind', sa.Enum('person', 'organization', 'group', name='menteekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('community_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('journey_stage', sa.Enum('first_contact', 'assessment', 'planning', 'funding', 'activities', 'evaluation', name='journeystage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('coach_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('consent_given_on', sa.Date(), nullable=True),
    sa.Column('consent_given_by', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['coach.id'], name=op.f('fk_mentee_coach_id_coach')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mentee_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentee'))
    )
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentee_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentee_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentee_name'), ['name'], unique=False)

    op.create_table('sync_field_clock',
    sa.Column('row_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('column_name', sa.String(length=64), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_sync_field_clock_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('row_id', 'column_name', name=op.f('pk_sync_field_clock'))
    )
    with op.batch_alter_table('sync_field_clock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_field_clock_version'), ['version'], unique=False)

    op.create_table('sync_row_clock',
    sa.Column('row_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('causal_length', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_sync_row_clock_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('row_id', name=op.f('pk_sync_row_clock'))
    )
    with op.batch_alter_table('sync_row_clock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_row_clock_version'), ['version'], unique=False)

    op.create_table('sync_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_site_idx', sa.Integer(), nullable=False),
    sa.Column('db_version', sa.BigInteger(), nullable=False),
    sa.Column('last_hlc', sa.BigInteger(), nullable=False),
    sa.Column('reference_data_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['local_site_idx'], ['sync_site.idx'], name=op.f('fk_sync_state_local_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_state'))
    )
    op.create_table('toolbox_method_text',
    sa.Column('method_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['method_id'], ['toolbox_method.id'], name=op.f('fk_toolbox_method_text_method_id_toolbox_method')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toolbox_method_text')),
    sa.UniqueConstraint('method_id', 'language', name=op.f('uq_toolbox_method_text_method_id'))
    )
    op.create_table('assessment',
    sa.Column('mentee_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('facilitator_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('method_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('mode', sa.Enum('self', 'group', 'peer', name='assessmentmode', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('discover', sa.Text(), nullable=False),
    sa.Column('dream', sa.Text(), nullable=False),
    sa.Column('design', sa.Text(), nullable=False),
    sa.Column('deliver', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['coach.id'], name=op.f('fk_assessment_facilitator_id_coach')),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentee.id'], name=op.f('fk_assessment_mentee_id_mentee')),
    sa.ForeignKeyConstraint(['method_id'], ['toolbox_method.id'], name=op.f('fk_assessment_method_id_toolbox_method')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('capacity_text',
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('level_anchors', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_capacity_text_capacity_id_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_text')),
    sa.UniqueConstraint('capacity_id', 'language', name=op.f('uq_capacity_text_capacity_id'))
    )
    op.create_table('community_request',
    sa.Column('community_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('mentee_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'accepted', 'planned', 'done', 'declined', name='requeststatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_community_request_capacity_id_capacity')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_request_community_id_community')),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentee.id'], name=op.f('fk_community_request_mentee_id_mentee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_request'))
    )
    with op.batch_alter_table('community_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_request_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_request_status'), ['status'], unique=False)

    op.create_table('session_capacity',
    sa.Column('session_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_session_capacity_capacity_id_capacity')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_session_capacity_session_id_coaching_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_capacity')),
    sa.UniqueConstraint('session_id', 'capacity_id', name=op.f('uq_session_capacity_session_id'))
    )
    with op.batch_alter_table('session_capacity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_capacity_capacity_id'), ['capacity_id'], unique=False)

    op.create_table('session_participant',
    sa.Column('session_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('mentee_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentee.id'], name=op.f('fk_session_participant_mentee_id_mentee')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_session_participant_session_id_coaching_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_participant')),
    sa.UniqueConstraint('session_id', 'mentee_id', name=op.f('uq_session_participant_session_id'))
    )
    with op.batch_alter_table('session_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_participant_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('capacity_rating',
    sa.Column('assessment_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('assets', sa.Text(), nullable=False),
    sa.Column('gaps', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_capacity_rating_level_on_scale')),
    sa.CheckConstraint('priority BETWEEN 0 AND 3', name=op.f('ck_capacity_rating_priority_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_capacity_rating_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_capacity_rating_capacity_id_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_rating')),
    sa.UniqueConstraint('assessment_id', 'capacity_id', name=op.f('uq_capacity_rating_assessment_id'))
    )
    with op.batch_alter_table('capacity_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_rating_capacity_id'), ['capacity_id'], unique=False)

    op.create_table('plan',
    sa.Column('mentee_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('draft', 'active', 'completed', 'abandoned', name='planstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('assessment_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_plan_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentee.id'], name=op.f('fk_plan_mentee_id_mentee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('plan_goal',
    sa.Column('plan_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_level', sa.SmallInteger(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('target_level IS NULL OR target_level BETWEEN 1 AND 5', name=op.f('ck_plan_goal_target_on_scale')),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_plan_goal_capacity_id_capacity')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_goal_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal'))
    )
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('goal_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('method_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('owner_coach_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('todo', 'in_progress', 'blocked', 'done', 'dropped', name='actionstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('funding_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding_opportunity.id'], name=op.f('fk_plan_action_funding_id_funding_opportunity')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goal.id'], name=op.f('fk_plan_action_goal_id_plan_goal')),
    sa.ForeignKeyConstraint(['method_id'], ['toolbox_method.id'], name=op.f('fk_plan_action_method_id_toolbox_method')),
    sa.ForeignKeyConstraint(['owner_coach_id'], ['coach.id'], name=op.f('fk_plan_action_owner_coach_id_coach')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_status'))
        batch_op.drop_index(batch_op.f('ix_plan_action_goal_id'))
        batch_op.drop_index(batch_op.f('ix_plan_action_due_on'))

    op.drop_table('plan_action')
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goal_plan_id'))

    op.drop_table('plan_goal')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_mentee_id'))

    op.drop_table('plan')
    with op.batch_alter_table('capacity_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_rating_capacity_id'))

    op.drop_table('capacity_rating')
    with op.batch_alter_table('session_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_participant_mentee_id'))

    op.drop_table('session_participant')
    with op.batch_alter_table('session_capacity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_capacity_capacity_id'))

    op.drop_table('session_capacity')
    with op.batch_alter_table('community_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_request_status'))
        batch_op.drop_index(batch_op.f('ix_community_request_community_id'))

    op.drop_table('community_request')
    op.drop_table('capacity_text')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_mentee_id'))

    op.drop_table('assessment')
    op.drop_table('toolbox_method_text')
    op.drop_table('sync_state')
    with op.batch_alter_table('sync_row_clock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_row_clock_version'))

    op.drop_table('sync_row_clock')
    with op.batch_alter_table('sync_field_clock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_field_clock_version'))

    op.drop_table('sync_field_clock')
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentee_name'))
        batch_op.drop_index(batch_op.f('ix_mentee_community_id'))
        batch_op.drop_index(batch_op.f('ix_mentee_coach_id'))

    op.drop_table('mentee')
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_session_started_at'))

    op.drop_table('coaching_session')
    op.drop_table('capacity_area_text')
    with op.batch_alter_table('capacity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_area_id'))

    op.drop_table('capacity')
    op.drop_table('toolbox_method')
    op.drop_table('sync_site')
    with op.batch_alter_table('funding_opportunity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_opportunity_deadline'))

    op.drop_table('funding_opportunity')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_name'))

    op.drop_table('community')
    op.drop_table('coach')
    op.drop_table('capacity_area')
