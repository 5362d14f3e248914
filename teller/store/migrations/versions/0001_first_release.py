"""The schema of the first release (the counter core), before migrations existed.

Revision ID: 0001
Revises: 
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_customer_code'), ['customer_code'], unique=False)

    op.create_table('bankkeyinfo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('bank', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id_type', sa.String(), nullable=False),
    sa.Column('id_no', sa.String(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_code', 'bank')
    )
    with op.batch_alter_table('bankkeyinfo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankkeyinfo_customer_code'), ['customer_code'], unique=False)

    op.create_table('bankrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('bank', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('detail', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bankrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankrequest_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankrequest_journal_id'), ['journal_id'], unique=False)

    op.create_table('customer',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('id_type', sa.String(), nullable=False),
    sa.Column('id_no', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('branch', sa.String(), nullable=False),
    sa.Column('warning_streak', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_id_no'), ['id_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)

    op.create_table('dayend',
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('teller_id', sa.String(), nullable=False),
    sa.Column('next_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('business_date')
    )
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('function_code', sa.String(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_journal_id'), ['journal_id'], unique=False)

    op.create_table('journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('teller_id', sa.String(), nullable=False),
    sa.Column('terminal', sa.String(), nullable=False),
    sa.Column('function_code', sa.String(), nullable=False),
    sa.Column('op', sa.String(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('rule', sa.String(), nullable=False),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('agent', sa.Boolean(), nullable=False),
    sa.Column('prev_hash', sa.String(), nullable=False),
    sa.Column('hash', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_business_date'), ['business_date'], unique=False)
        batch_op.create_index('ix_journal_customer_date', ['customer_code', 'business_date'], unique=False)

    op.create_table('movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('counterpart', sa.String(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_movement_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_movement_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_movement_fund_account'), ['fund_account'], unique=False)
        batch_op.create_index(batch_op.f('ix_movement_journal_id'), ['journal_id'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('content', sa.String(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_customer_code'), ['customer_code'], unique=False)

    op.create_table('ofaccount',
    sa.Column('no', sa.String(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('no')
    )
    with op.batch_alter_table('ofaccount', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ofaccount_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_ofaccount_fund_account'), ['fund_account'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('op', sa.String(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=True),
    sa.Column('agent', sa.Boolean(), nullable=False),
    sa.Column('requested_by', sa.String(), nullable=False),
    sa.Column('requested_journal', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('decided_by', sa.String(), nullable=False),
    sa.Column('decided_journal', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_customer_code'), ['customer_code'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('shareholderaccount',
    sa.Column('no', sa.String(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('market', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('no')
    )
    with op.batch_alter_table('shareholderaccount', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shareholderaccount_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_shareholderaccount_fund_account'), ['fund_account'], unique=False)

    op.create_table('teller',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('tradeevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tradeevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradeevent_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_tradeevent_customer_code'), ['customer_code'], unique=False)

    op.create_table('fundaccount',
    sa.Column('no', sa.String(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('bank', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('in_service', sa.Boolean(), nullable=False),
    sa.Column('transfer_flag', sa.Integer(), nullable=False),
    sa.Column('custody', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('cash', sa.BigInteger(), nullable=False),
    sa.Column('frozen', sa.BigInteger(), nullable=False),
    sa.Column('non_withdrawable_today', sa.BigInteger(), nullable=False),
    sa.Column('interest_base', sa.BigInteger(), nullable=False),
    sa.Column('liabilities', sa.BigInteger(), nullable=False),
    sa.Column('bank_balance', sa.BigInteger(), nullable=False),
    sa.Column('commission_class', sa.String(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('capitalized_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_code'], ['customer.code'], ),
    sa.PrimaryKeyConstraint('no')
    )
    with op.batch_alter_table('fundaccount', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fundaccount_customer_code'), ['customer_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fundaccount', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fundaccount_customer_code'))

    op.drop_table('fundaccount')
    with op.batch_alter_table('tradeevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradeevent_customer_code'))
        batch_op.drop_index(batch_op.f('ix_tradeevent_business_date'))

    op.drop_table('tradeevent')
    op.drop_table('teller')
    with op.batch_alter_table('shareholderaccount', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shareholderaccount_fund_account'))
        batch_op.drop_index(batch_op.f('ix_shareholderaccount_customer_code'))

    op.drop_table('shareholderaccount')
    op.drop_table('setting')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_customer_code'))

    op.drop_table('review')
    with op.batch_alter_table('ofaccount', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ofaccount_fund_account'))
        batch_op.drop_index(batch_op.f('ix_ofaccount_customer_code'))

    op.drop_table('ofaccount')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_customer_code'))

    op.drop_table('notice')
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_movement_journal_id'))
        batch_op.drop_index(batch_op.f('ix_movement_fund_account'))
        batch_op.drop_index(batch_op.f('ix_movement_customer_code'))
        batch_op.drop_index(batch_op.f('ix_movement_business_date'))

    op.drop_table('movement')
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_customer_date')
        batch_op.drop_index(batch_op.f('ix_journal_business_date'))

    op.drop_table('journal')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_journal_id'))
        batch_op.drop_index(batch_op.f('ix_document_customer_code'))

    op.drop_table('document')
    op.drop_table('dayend')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.drop_index(batch_op.f('ix_customer_id_no'))

    op.drop_table('customer')
    with op.batch_alter_table('bankrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankrequest_journal_id'))
        batch_op.drop_index(batch_op.f('ix_bankrequest_customer_code'))

    op.drop_table('bankrequest')
    with op.batch_alter_table('bankkeyinfo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankkeyinfo_customer_code'))

    op.drop_table('bankkeyinfo')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_customer_code'))

    op.drop_table('alert')
