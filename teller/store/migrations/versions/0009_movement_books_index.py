"""The movements' index by fund account carries the kind and the amount (issue 14): the books check
(day-end, `teller audit books`) sums each account's movements, signed by kind, from the index alone
instead of reading the table row by row in the index's order. It replaces the account-only index
(a prefix of it), so a movement still writes the same number of index entries.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_movement_fund_account_kind_amount', 'movement', ['fund_account', 'kind', 'amount'], unique=False)
    op.drop_index('ix_movement_fund_account', table_name='movement')


def downgrade() -> None:
    op.create_index('ix_movement_fund_account', 'movement', ['fund_account'], unique=False)
    op.drop_index('ix_movement_fund_account_kind_amount', table_name='movement')
