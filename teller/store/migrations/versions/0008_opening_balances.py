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

# The same statement as teller.services.books.OPENINGS_SQL at this revision (a migration keeps its own copy):
# set-based, each table summed once by account (a correlated sum per account took hours on a firm's store).
OPENINGS_SQL = """
UPDATE fundaccount SET
  opening_cash = fundaccount.cash - t.moved,
  opening_frozen = fundaccount.frozen - t.held,
  opening_bank_balance = fundaccount.bank_balance + t.banked
FROM (SELECT a.no AS no, COALESCE(m.s, 0) AS moved, COALESCE(r.s, 0) AS held, COALESCE(l.s, 0) AS banked
      FROM fundaccount a
      LEFT JOIN (SELECT fund_account, SUM(CASE WHEN kind IN ('bank_in', 'ledger_in', 'sell', 'interest', 'bank_out_reversal')
                                           THEN amount ELSE -amount END) AS s
                 FROM movement GROUP BY fund_account) m ON m.fund_account = a.no
      LEFT JOIN (SELECT fund_account, SUM(amount) AS s FROM bankrequest
                 WHERE kind = 'transfer_out' AND state IN ('未报', '已报', '超时')
                 GROUP BY fund_account) r ON r.fund_account = a.no
      LEFT JOIN (SELECT fund_account, SUM(CASE WHEN kind = 'transfer_in' THEN amount
                                           WHEN kind = 'transfer_out' THEN -amount ELSE 0 END) AS s
                 FROM bankledger WHERE result = '成功' GROUP BY fund_account) l ON l.fund_account = a.no) AS t
WHERE fundaccount.no = t.no"""


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
