"""The bank link (the bank simulator's ledger and faults, request attempts and settlement), journal
chain heads so concurrent terminals seal lines one after another, and reversals naming their line.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bankfault',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank', sa.String(), nullable=False),
    sa.Column('fault', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('skip', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('bank_applies', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bankfault', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankfault_bank'), ['bank'], unique=False)

    op.create_table('bankledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank', sa.String(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('result', sa.String(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('undelivered', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bank', 'request_id')
    )
    with op.batch_alter_table('bankledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankledger_bank'), ['bank'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankledger_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankledger_customer_code'), ['customer_code'], unique=False)

    op.create_table('journalchain',
    sa.Column('chain', sa.String(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('chain')
    )
    with op.batch_alter_table('bankrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('applied_journal', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('settled_journal', sa.Integer(), nullable=True))

    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    # Lines written before this revision were sealed in id order on one branch chain.
    op.execute("UPDATE journal SET seq = id")
    op.execute(
        "INSERT INTO journalchain (chain, seq, hash) "
        "SELECT '', id, hash FROM journal WHERE id = (SELECT MAX(id) FROM journal)"
    )
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_journal_chain_seq', ['chain', 'seq'])

    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverses', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_column('reverses')

    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.drop_constraint('uq_journal_chain_seq', type_='unique')
        batch_op.drop_column('seq')
        batch_op.drop_column('chain')

    with op.batch_alter_table('bankrequest', schema=None) as batch_op:
        batch_op.drop_column('settled_journal')
        batch_op.drop_column('applied_journal')
        batch_op.drop_column('attempts')

    op.drop_table('journalchain')
    with op.batch_alter_table('bankledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankledger_customer_code'))
        batch_op.drop_index(batch_op.f('ix_bankledger_business_date'))
        batch_op.drop_index(batch_op.f('ix_bankledger_bank'))

    op.drop_table('bankledger')
    with op.batch_alter_table('bankfault', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankfault_bank'))

    op.drop_table('bankfault')
