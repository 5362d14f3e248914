"""Each fund account's opening figures (cash, frozen, bank side), the starting point of the books
check (`teller audit books`, and day-end before it closes a day), issue 11.

A store upgraded to this revision takes its books as they stand at the upgrade: each opening is the
account's figure less what its movements, open requests and bank ledger did since.

Revision ID: 0008
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None

# The same statement as teller.services.books.OPENINGS_SQL at this revision (a migration keeps its own copy).
OPENINGS_SQL = """
UPDATE fundaccount SET
  opening_cash = cash - COALESCE((SELECT SUM(CASE WHEN m.kind IN ('bank_in', 'ledger_in', 'sell', 'interest', 'bank_out_reversal')
                                             THEN m.amount ELSE -m.amount END)
                                  FROM movement m WHERE m.fund_account = fundaccount.no), 0),
  opening_frozen = frozen - COALESCE((SELECT SUM(r.amount) FROM bankrequest r WHERE r.fund_account = fundaccount.no
                                      AND r.kind = 'transfer_out' AND r.state IN ('未报', '已报', '超时')), 0),
  opening_bank_balance = bank_balance + COALESCE((SELECT SUM(CASE WHEN l.kind = 'transfer_in' THEN l.amount
                                                                  WHEN l.kind = 'transfer_out' THEN -l.amount ELSE 0 END)
                                                  FROM bankledger l WHERE l.fund_account = fundaccount.no
                                                  AND l.result = '成功'), 0)
"""


def upgrade() -> None:
    with op.batch_alter_table('fundaccount', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_cash', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('opening_frozen', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('opening_bank_balance', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(OPENINGS_SQL)


def downgrade() -> None:
    with op.batch_alter_table('fundaccount', schema=None) as batch_op:
        batch_op.drop_column('opening_bank_balance')
        batch_op.drop_column('opening_frozen')
        batch_op.drop_column('opening_cash')
