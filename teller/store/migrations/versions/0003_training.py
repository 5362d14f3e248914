"""Training results (9103): exam, practice and drill attempts with their items, and the question
banks trainers import (issue 4).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trainingattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('timed_out', sa.Boolean(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('trainingattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainingattempt_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainingattempt_trainee'), ['trainee'], unique=False)

    op.create_table('trainingbank',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('traininganswer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(), nullable=False),
    sa.Column('given', sa.String(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('earned', sa.Float(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['trainingattempt.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('traininganswer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_traininganswer_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_traininganswer_item'), ['item'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('traininganswer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_traininganswer_item'))
        batch_op.drop_index(batch_op.f('ix_traininganswer_attempt_id'))

    op.drop_table('traininganswer')
    op.drop_table('trainingbank')
    with op.batch_alter_table('trainingattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainingattempt_trainee'))
        batch_op.drop_index(batch_op.f('ix_trainingattempt_kind'))

    op.drop_table('trainingattempt')
