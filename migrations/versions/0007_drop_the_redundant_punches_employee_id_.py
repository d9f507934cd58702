"""drop the redundant punches employee_id index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 22:16:00.174494
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_punches_employee_id'))



def downgrade() -> None:
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_punches_employee_id'), ['employee_id'], unique=False)

