"""Two-way capacity building: assessment templates per stakeholder type, group spread, peer opt-in,
capacity builders' profiles and their training-of-trainers track.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coachdesk.model.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_template',
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.Enum('person', 'organization', 'group', name='menteekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('based_on_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('community_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('builtin', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['based_on_id'], ['assessment_template.id'], name=op.f('fk_assessment_template_based_on_id_assessment_template')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_assessment_template_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_template')),
    sa.UniqueConstraint('key', name=op.f('uq_assessment_template_key'))
    )
    op.create_table('assessment_template_text',
    sa.Column('template_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['assessment_template.id'], name=op.f('fk_assessment_template_text_template_id_assessment_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_template_text')),
    sa.UniqueConstraint('template_id', 'language', name=op.f('uq_assessment_template_text_template_id'))
    )
    with op.batch_alter_table('assessment_template_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_template_text_template_id'), ['template_id'], unique=False)

    op.create_table('template_question',
    sa.Column('template_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('capacity_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacity.id'], name=op.f('fk_template_question_capacity_id_capacity')),
    sa.ForeignKeyConstraint(['template_id'], ['assessment_template.id'], name=op.f('fk_template_question_template_id_assessment_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_question')),
    sa.UniqueConstraint('template_id', 'capacity_id', name=op.f('uq_template_question_template_id'))
    )
    with op.batch_alter_table('template_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_question_template_id'), ['template_id'], unique=False)

    op.create_table('trainer_track_step',
    sa.Column('trainee_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('kind', sa.Enum('training', 'observation', 'co_facilitation', 'mentoring', 'sign_off', name='trackstepkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('mentor_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('session_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('method_id', coachdesk.model.base.RowId(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('minutes >= 0 AND minutes <= 10080', name=op.f('ck_trainer_track_step_minutes_sane')),
    sa.ForeignKeyConstraint(['mentor_id'], ['coach.id'], name=op.f('fk_trainer_track_step_mentor_id_coach')),
    sa.ForeignKeyConstraint(['method_id'], ['toolbox_method.id'], name=op.f('fk_trainer_track_step_method_id_toolbox_method')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_trainer_track_step_session_id_coaching_session')),
    sa.ForeignKeyConstraint(['trainee_id'], ['coach.id'], name=op.f('fk_trainer_track_step_trainee_id_coach')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_track_step'))
    )
    with op.batch_alter_table('trainer_track_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_track_step_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('template_question_text',
    sa.Column('question_id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('level_anchors', sa.Text(), nullable=False),
    sa.Column('id', coachdesk.model.base.RowId(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['template_question.id'], name=op.f('fk_template_question_text_question_id_template_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_question_text')),
    sa.UniqueConstraint('question_id', 'language', name=op.f('uq_template_question_text_question_id'))
    )
    with op.batch_alter_table('template_question_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_question_text_question_id'), ['question_id'], unique=False)

    # New columns go in place (constant or no defaults): rebuilding these tables would copy every
    # row and trip over the foreign keys that point at them.
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a REFERENCES clause in place when its default is NULL.
        op.execute("ALTER TABLE assessment ADD COLUMN template_id BLOB REFERENCES assessment_template (id)")
        op.add_column('assessment', sa.Column('participants', sa.Integer(), nullable=True))
    else:
        op.add_column('assessment', sa.Column('template_id', coachdesk.model.base.RowId(), nullable=True))
        op.add_column('assessment', sa.Column('participants', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_assessment_template_id_assessment_template'), 'assessment',
                              'assessment_template', ['template_id'], ['id'])

    with op.batch_alter_table('capacity_rating', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('lowest', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('highest', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('raters', sa.Integer(), nullable=True))

    with op.batch_alter_table('coach', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('methods', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('capacities', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('mentee', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('open_to_peers', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.drop_column('open_to_peers')

    with op.batch_alter_table('coach', schema=None) as batch_op:
        batch_op.drop_column('archived')
        batch_op.drop_column('notes')
        batch_op.drop_column('capacities')
        batch_op.drop_column('methods')
        batch_op.drop_column('region')

    with op.batch_alter_table('capacity_rating', schema=None) as batch_op:
        batch_op.drop_column('raters')
        batch_op.drop_column('highest')
        batch_op.drop_column('lowest')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('participants')
        batch_op.drop_column('template_id')

    with op.batch_alter_table('template_question_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_question_text_question_id'))

    op.drop_table('template_question_text')
    with op.batch_alter_table('trainer_track_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_track_step_trainee_id'))

    op.drop_table('trainer_track_step')
    with op.batch_alter_table('template_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_question_template_id'))

    op.drop_table('template_question')
    with op.batch_alter_table('assessment_template_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_template_text_template_id'))

    op.drop_table('assessment_template_text')
    op.drop_table('assessment_template')
