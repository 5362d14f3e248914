"""Scans of signed papers (8101) and the papers each committed function printed (回单, 资金利息归本单), issue 12.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('receipt',
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('journal_id')
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_customer_code'), ['customer_code'], unique=False)

    op.create_table('scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('fund_account', sa.String(), nullable=False),
    sa.Column('paper', sa.String(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('filed_by', sa.String(), nullable=False),
    sa.Column('filename', sa.String(), nullable=False),
    sa.Column('media_type', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_journal_id'), ['journal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_journal_id'))
        batch_op.drop_index(batch_op.f('ix_scan_document_id'))
        batch_op.drop_index(batch_op.f('ix_scan_customer_code'))

    op.drop_table('scan')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_customer_code'))

    op.drop_table('receipt')
