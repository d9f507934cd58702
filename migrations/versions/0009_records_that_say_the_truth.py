"""records that say the truth (issue 10): hash formats, hr acceptance of punches, shift work on holidays

Revision ID: 0009_records
Revises: 0008
Create Date: 2026-11-27 10:00:00

Punches stored before this revision were hashed by the old rule: they get hash_format 1 and keep
verifying by it; every punch written from now on is hashed in the canonical format 2.
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0009_records'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written from now on default to the canonical format; the rows already there are format 1.
    # (ADD COLUMN then UPDATE: SQLite can add a column in place, but changing a default rebuilds the table.)
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hash_format', sa.SmallInteger(), nullable=False, server_default='2'))
    op.execute("UPDATE punches SET hash_format = 1")

    op.create_table('punch_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('punch_id', sa.Integer(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('verification_status', sa.String(length=16), nullable=False),
    sa.Column('accepted_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['employees.id'],
                            name=op.f('fk_punch_acceptances_accepted_by_id_employees')),
    sa.ForeignKeyConstraint(['punch_id'], ['punches.id'], name=op.f('fk_punch_acceptances_punch_id_punches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_punch_acceptances')),
    sa.UniqueConstraint('punch_id', name=op.f('uq_punch_acceptances_punch_id'))
    )

    with op.batch_alter_table('work_schedules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('works_on_holidays', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('work_schedules', schema=None) as batch_op:
        batch_op.drop_column('works_on_holidays')
    op.drop_table('punch_acceptances')
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.drop_column('hash_format')
