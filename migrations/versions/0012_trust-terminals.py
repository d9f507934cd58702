"""trust terminals: allowed networks, site members, photo hand-outs, bounded refusal counts

A terminal's allowed networks start as the address it was last seen from (none if it never called), so
terminals keep working after the upgrade; an admin widens them. Refusals move into fixed buckets.

Revision ID: 0012_trust_terminals
Revises: 0011_reports_formats
Create Date: 2026-12-01 23:06:00.623127
"""
from alembic import op
import sqlalchemy as sa
import hashlib
import ipaddress
import json

import engine.db

ATTEMPT_BUCKETS = 512  # engine/terminals/attempts.py


def _bucket(sn: str, remote_addr: str) -> int:
    digest = hashlib.sha256(f"{sn}\x1f{remote_addr}".encode("utf-8", errors="replace")).digest()
    return int.from_bytes(digest[:8], "big") % ATTEMPT_BUCKETS


def _network_of(address: str) -> list[str]:
    try:
        return [str(ipaddress.ip_network(address.strip()))]
    except ValueError:
        return []


revision = '0012_trust_terminals'
down_revision = '0011_reports_formats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unauthorized_device_floods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('alerted_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unauthorized_device_floods'))
    )
    op.create_table('site_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_units_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_site_units_unit_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_units')),
    sa.UniqueConstraint('site_id', 'unit_id', name=op.f('uq_site_units_site_id_unit_id'))
    )
    with op.batch_alter_table('site_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_units_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('site_employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_site_employees_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_employees_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_employees')),
    sa.UniqueConstraint('site_id', 'employee_id', name=op.f('uq_site_employees_site_id_employee_id'))
    )
    with op.batch_alter_table('site_employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_employees_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_employees_site_id'), ['site_id'], unique=False)

    op.create_table('device_photo_handouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('command_id', sa.Integer(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('handed_out_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['command_id'], ['device_commands.id'], name=op.f('fk_device_photo_handouts_command_id_device_commands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_photo_handouts_device_id_devices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_device_photo_handouts_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_photo_handouts'))
    )
    with op.batch_alter_table('device_photo_handouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_photo_handouts_command_id'), ['command_id'], unique=False)
        batch_op.create_index('ix_device_photo_handouts_device', ['device_id', 'handed_out_at'], unique=False)
        batch_op.create_index('ix_device_photo_handouts_employee', ['employee_id', 'handed_out_at'], unique=False)

    with op.batch_alter_table('device_commands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_device_commands_requested_by_id_employees'), 'employees', ['requested_by_id'], ['id'])

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allowed_networks', sa.JSON(), nullable=False, server_default='[]'))
    connection = op.get_bind()
    for device_id, address in connection.execute(sa.text("SELECT id, last_seen_addr FROM devices")).all():
        connection.execute(sa.text("UPDATE devices SET allowed_networks = :networks WHERE id = :id"),
                           {"networks": json.dumps(_network_of(address or "")), "id": device_id})

    # One row per serial number becomes one row per bucket: merge what collides, newest details kept.
    rows = connection.execute(sa.text(
        "SELECT sn, remote_addr, path, reason, first_seen_at, last_seen_at, attempts "
        "FROM unauthorized_device_attempts ORDER BY last_seen_at")).all()
    merged: dict[int, dict] = {}
    for sn, remote_addr, path, reason, first_seen_at, last_seen_at, attempts in rows:
        bucket = _bucket(sn, remote_addr or "")
        earlier = merged.get(bucket)
        merged[bucket] = dict(bucket=bucket, sn=sn, remote_addr=remote_addr, path=path, reason=reason,
                              first_seen_at=earlier["first_seen_at"] if earlier else first_seen_at,
                              last_seen_at=last_seen_at,
                              attempts=attempts + (earlier["attempts"] if earlier else 0))
    connection.execute(sa.text("DELETE FROM unauthorized_device_attempts"))
    with op.batch_alter_table('unauthorized_device_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bucket', sa.Integer(), nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_unauthorized_device_attempts_sn'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_unauthorized_device_attempts_bucket'), ['bucket'])
    for row in merged.values():
        connection.execute(sa.text(
            "INSERT INTO unauthorized_device_attempts "
            "(bucket, sn, remote_addr, path, reason, first_seen_at, last_seen_at, attempts) VALUES "
            "(:bucket, :sn, :remote_addr, :path, :reason, :first_seen_at, :last_seen_at, :attempts)"), row)



def downgrade() -> None:
    op.execute("DELETE FROM unauthorized_device_attempts")  # buckets may hold one serial number twice
    with op.batch_alter_table('unauthorized_device_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_unauthorized_device_attempts_bucket'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_unauthorized_device_attempts_sn'), ['sn'])
        batch_op.drop_column('bucket')

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('allowed_networks')

    with op.batch_alter_table('device_commands', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_device_commands_requested_by_id_employees'), type_='foreignkey')
        batch_op.drop_column('requested_by_id')

    with op.batch_alter_table('device_photo_handouts', schema=None) as batch_op:
        batch_op.drop_index('ix_device_photo_handouts_employee')
        batch_op.drop_index('ix_device_photo_handouts_device')
        batch_op.drop_index(batch_op.f('ix_device_photo_handouts_command_id'))

    op.drop_table('device_photo_handouts')
    with op.batch_alter_table('site_employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_employees_site_id'))
        batch_op.drop_index(batch_op.f('ix_site_employees_employee_id'))

    op.drop_table('site_employees')
    with op.batch_alter_table('site_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_site_units_site_id'))

    op.drop_table('site_units')
    op.drop_table('unauthorized_device_floods')
