"""trust boundaries (issue 11): a delegation can be ended before its last day

Revision ID: 0012_trust_core
Revises: 0011_reports_formats
Create Date: 2026-12-01 23:30:00
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0012_trust_core'
down_revision = '0012_trust_terminals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', engine.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_column('ended_at')
