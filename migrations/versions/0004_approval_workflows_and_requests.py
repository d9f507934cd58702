"""approval workflows and requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:31:15.102811
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('process_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('spec_hash', sa.String(length=64), nullable=False),
    sa.Column('spec_blob', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('published_by', sa.String(length=100), nullable=False),
    sa.Column('published_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_versions')),
    sa.UniqueConstraint('process_id', 'version', name=op.f('uq_process_versions_process_id_version')),
    sa.UniqueConstraint('spec_hash', name=op.f('uq_process_versions_spec_hash'))
    )
    with op.batch_alter_table('process_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_versions_is_current'), ['is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_versions_process_id'), ['process_id'], unique=False)

    op.create_table('approval_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requester_id'], ['employees.id'], name=op.f('fk_approval_requests_requester_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_requests'))
    )
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.create_index('ix_approval_requests_requester_created', ['requester_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_requests_type'), ['type'], unique=False)

    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegator_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delegate_id'], ['employees.id'], name=op.f('fk_delegations_delegate_id_employees')),
    sa.ForeignKeyConstraint(['delegator_id'], ['employees.id'], name=op.f('fk_delegations_delegator_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_delegator_id'), ['delegator_id'], unique=False)

    op.create_table('notification_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('title_th', sa.String(length=255), nullable=False),
    sa.Column('title_en', sa.String(length=255), nullable=False),
    sa.Column('body_th', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['employees.id'], name=op.f('fk_notification_outbox_recipient_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_outbox'))
    )
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_outbox_delivered_at'), ['delivered_at'], unique=False)

    op.create_table('missed_punch_requests',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('punch_date', sa.Date(), nullable=False),
    sa.Column('punch_time', sa.Time(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('reason_code', sa.String(length=16), nullable=False),
    sa.Column('punch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['punch_id'], ['punches.id'], name=op.f('fk_missed_punch_requests_punch_id_punches')),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_missed_punch_requests_request_id_approval_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_missed_punch_requests'))
    )
    op.create_table('offsite_requests',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_offsite_requests_request_id_approval_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_offsite_requests'))
    )
    with op.batch_alter_table('offsite_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offsite_requests_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_offsite_requests_start_date'), ['start_date'], unique=False)

    op.create_table('overtime_requests',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('planned_start', sa.Time(), nullable=False),
    sa.Column('planned_end', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_overtime_requests_request_id_approval_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_overtime_requests'))
    )
    with op.batch_alter_table('overtime_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overtime_requests_work_date'), ['work_date'], unique=False)

    op.create_table('process_instances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('spec_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('serializer_version', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('next_timer_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_process_instances_request_id_approval_requests')),
    sa.ForeignKeyConstraint(['version_id'], ['process_versions.id'], name=op.f('fk_process_instances_version_id_process_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_instances')),
    sa.UniqueConstraint('request_id', name=op.f('uq_process_instances_request_id'))
    )
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_instances_next_timer_at'), ['next_timer_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_version_id'), ['version_id'], unique=False)

    op.create_table('inbox_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_guid', sa.String(length=36), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('bpmn_id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('lane', sa.String(length=32), nullable=True),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('form_fields', sa.JSON(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('assignee_group', sa.String(length=32), nullable=True),
    sa.Column('assignment_reason', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.String(length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['employees.id'], name=op.f('fk_inbox_tasks_assignee_id_employees')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['employees.id'], name=op.f('fk_inbox_tasks_completed_by_id_employees')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], name=op.f('fk_inbox_tasks_instance_id_process_instances')),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_inbox_tasks_request_id_approval_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_tasks')),
    sa.UniqueConstraint('task_guid', name=op.f('uq_inbox_tasks_task_guid'))
    )
    with op.batch_alter_table('inbox_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_tasks_assignee_group'), ['assignee_group'], unique=False)
        batch_op.create_index('ix_inbox_tasks_assignee_state', ['assignee_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_tasks_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_tasks_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_tasks_state'), ['state'], unique=False)

    op.create_table('workflow_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('bpmn_id', sa.String(length=100), nullable=True),
    sa.Column('lane', sa.String(length=32), nullable=True),
    sa.Column('decision', sa.String(length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['employees.id'], name=op.f('fk_workflow_events_actor_id_employees')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], name=op.f('fk_workflow_events_instance_id_process_instances')),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'], name=op.f('fk_workflow_events_request_id_approval_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_events'))
    )
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_events_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_events_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_punches_request_id'), ['request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_punches_request_id_approval_requests'), 'approval_requests', ['request_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_punches_request_id_approval_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_punches_request_id'))
        batch_op.drop_column('request_id')

    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workflow_events_request_id'))
        batch_op.drop_index(batch_op.f('ix_workflow_events_instance_id'))

    op.drop_table('workflow_events')
    with op.batch_alter_table('inbox_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_tasks_state'))
        batch_op.drop_index(batch_op.f('ix_inbox_tasks_request_id'))
        batch_op.drop_index(batch_op.f('ix_inbox_tasks_instance_id'))
        batch_op.drop_index('ix_inbox_tasks_assignee_state')
        batch_op.drop_index(batch_op.f('ix_inbox_tasks_assignee_group'))

    op.drop_table('inbox_tasks')
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_instances_version_id'))
        batch_op.drop_index(batch_op.f('ix_process_instances_status'))
        batch_op.drop_index(batch_op.f('ix_process_instances_next_timer_at'))

    op.drop_table('process_instances')
    with op.batch_alter_table('overtime_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overtime_requests_work_date'))

    op.drop_table('overtime_requests')
    with op.batch_alter_table('offsite_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offsite_requests_start_date'))
        batch_op.drop_index(batch_op.f('ix_offsite_requests_end_date'))

    op.drop_table('offsite_requests')
    op.drop_table('missed_punch_requests')
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_outbox_delivered_at'))

    op.drop_table('notification_outbox')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_delegator_id'))
        batch_op.drop_index(batch_op.f('ix_delegations_delegate_id'))

    op.drop_table('delegations')
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_requests_type'))
        batch_op.drop_index(batch_op.f('ix_approval_requests_status'))
        batch_op.drop_index('ix_approval_requests_requester_created')

    op.drop_table('approval_requests')
    with op.batch_alter_table('process_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_versions_process_id'))
        batch_op.drop_index(batch_op.f('ix_process_versions_is_current'))

    op.drop_table('process_versions')
