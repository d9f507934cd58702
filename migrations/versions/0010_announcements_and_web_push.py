"""announcements and web push

Announcements with their target units and recipients (one notification each, read marks); browsers'
push subscriptions and the push outbox.

Revision ID: 0010
Revises: 0009_records
Create Date: 2026-12-01 20:49:40.204494
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0010'
down_revision = '0009_records'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=2000), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('publish_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('announced_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['employees.id'], name=op.f('fk_announcements_author_id_employees')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['employees.id'], name=op.f('fk_announcements_withdrawn_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_due', ['announced_at', 'publish_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_publish_at'), ['publish_at'], unique=False)

    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=2048), nullable=False),
    sa.Column('p256dh', sa.String(length=128), nullable=False),
    sa.Column('auth', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_success_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_push_subscriptions_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_employee_id'), ['employee_id'], unique=False)

    op.create_table('announcement_recipients',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_recipients_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_announcement_recipients_employee_id_employees')),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_announcement_recipients_notification_id_notifications'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('announcement_id', 'employee_id', name=op.f('pk_announcement_recipients'))
    )
    with op.batch_alter_table('announcement_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_recipients_employee_id'), ['employee_id'], unique=False)

    op.create_table('announcement_targets',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('include_sub_units', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_targets_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_announcement_targets_unit_id_org_units')),
    sa.PrimaryKeyConstraint('announcement_id', 'unit_id', name=op.f('pk_announcement_targets'))
    )
    with op.batch_alter_table('announcement_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_targets_unit_id'), ['unit_id'], unique=False)

    op.create_table('push_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sends', sa.Integer(), nullable=False),
    sa.Column('send_error', sa.Text(), nullable=False),
    sa.Column('claimed_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('done_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_push_deliveries_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_push_deliveries_subscription_id_push_subscriptions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_deliveries'))
    )
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_deliveries_notification_id'), ['notification_id'], unique=False)
        batch_op.create_index('ix_push_deliveries_open', ['done_at', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_deliveries_subscription_id'), ['subscription_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_deliveries_subscription_id'))
        batch_op.drop_index('ix_push_deliveries_open')
        batch_op.drop_index(batch_op.f('ix_push_deliveries_notification_id'))

    op.drop_table('push_deliveries')
    with op.batch_alter_table('announcement_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_targets_unit_id'))

    op.drop_table('announcement_targets')
    with op.batch_alter_table('announcement_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_recipients_employee_id'))

    op.drop_table('announcement_recipients')
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_employee_id'))

    op.drop_table('push_subscriptions')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_publish_at'))
        batch_op.drop_index('ix_announcements_due')

    op.drop_table('announcements')
