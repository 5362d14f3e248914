"""Trust (issue 11): who set each teller's password, so that 8102 never lets them approve that
teller's requests. Roles are stored as text: the new role `trainee` needs no schema change.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('teller', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_set_by', sa.String(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('teller', schema=None) as batch_op:
        batch_op.drop_column('password_set_by')
