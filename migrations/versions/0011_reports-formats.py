"""report jobs

Report files built in the background (issue 15): who asked, the report, format, filters, progress,
the stored file and when it expires.

Revision ID: 0011_reports_formats
Revises: 0010
Create Date: 2026-12-01 23:20:00
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0011_reports_formats'
down_revision = '0011_reports_data'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'report_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('report', sa.String(length=40), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error_code', sa.String(length=64), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('file_name', sa.String(length=120), nullable=False),
        sa.Column('stored_as', sa.String(length=120), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('started_at', engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('expires_at', engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['employees.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_report_jobs_requested_by_id', 'report_jobs', ['requested_by_id'])
    op.create_index('ix_report_jobs_state_expiry', 'report_jobs', ['state', 'expires_at'])


def downgrade() -> None:
    op.drop_index('ix_report_jobs_state_expiry', table_name='report_jobs')
    op.drop_index('ix_report_jobs_requested_by_id', table_name='report_jobs')
    op.drop_table('report_jobs')
