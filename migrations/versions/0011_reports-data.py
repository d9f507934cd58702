"""attendance day projection for reports

`attendance_days` (one row per employee per day, as the calendar judges it) and `overtime_worked`
(minutes of each overtime request actually covered by punches), and the triggers that delete the
rows a change can affect, so reports re-evaluate them: whatever code path writes the change (ORM,
Core, a terminal batch, psql), the database forgets the affected days in the same transaction.

Revision ID: 0011_reports_data
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0011_reports_data'
down_revision = '0010'
branch_labels = None
depends_on = None

# (table, events, body) per trigger; `{row}` is NEW or OLD, `{date_of}` turns a UTC timestamp into its date.
# Two days either side of a punch: a punch can move the day assignment of the punches next to it
# (an OUT after midnight closes yesterday only while yesterday is open), and the UTC date may differ
# from the local one.
_FORGET = {
    "punches": (("INSERT",), """
        DELETE FROM attendance_days WHERE employee_id = {row}.employee_id
          AND day BETWEEN {date_of}({row}.effective_at, -2) AND {date_of}({row}.effective_at, 2)"""),
    "face_verifications": (("INSERT", "UPDATE"), """
        DELETE FROM attendance_days WHERE employee_id = {row}.employee_id
          AND day BETWEEN (SELECT {date_of}(p.effective_at, -2) FROM punches p WHERE p.id = {row}.punch_id)
                      AND (SELECT {date_of}(p.effective_at, 2) FROM punches p WHERE p.id = {row}.punch_id)"""),
    "punch_acceptances": (("INSERT", "DELETE"), """
        DELETE FROM attendance_days WHERE employee_id = (SELECT p.employee_id FROM punches p WHERE p.id = {row}.punch_id)
          AND day BETWEEN (SELECT {date_of}(p.effective_at, -2) FROM punches p WHERE p.id = {row}.punch_id)
                      AND (SELECT {date_of}(p.effective_at, 2) FROM punches p WHERE p.id = {row}.punch_id)"""),
    "approval_requests": (("UPDATE",), """
        DELETE FROM attendance_days WHERE employee_id = {row}.requester_id
          AND (day BETWEEN (SELECT o.start_date FROM offsite_requests o WHERE o.request_id = {row}.id)
                       AND (SELECT o.end_date FROM offsite_requests o WHERE o.request_id = {row}.id)
               OR day = (SELECT w.work_date FROM overtime_requests w WHERE w.request_id = {row}.id)
               OR day = (SELECT m.punch_date FROM missed_punch_requests m WHERE m.request_id = {row}.id))"""),
    "overtime_requests": (("INSERT", "UPDATE", "DELETE"), """
        DELETE FROM overtime_worked WHERE request_id = {row}.request_id;
        DELETE FROM attendance_days WHERE day = {row}.work_date
          AND employee_id = (SELECT r.requester_id FROM approval_requests r WHERE r.id = {row}.request_id)"""),
    "holidays": (("INSERT", "UPDATE", "DELETE"), "DELETE FROM attendance_days WHERE day = {row}.day"),
    "schedule_assignments": (("INSERT", "UPDATE", "DELETE"),
                             "DELETE FROM attendance_days WHERE day >= {row}.effective_from"),
    "work_schedules": (("UPDATE",), "DELETE FROM attendance_days"),
    "employees": (("UPDATE",), """
        DELETE FROM attendance_days WHERE employee_id = {row}.id
          AND (({row}.unit_id IS NULL) <> (OLD.unit_id IS NULL) OR {row}.unit_id <> OLD.unit_id)"""),
}


def _sqlite_date(column: str, days: int) -> str:
    return f"date({column}, '{days:+d} days')"


def _pg_date(column: str, days: int) -> str:
    return f"(({column} AT TIME ZONE 'UTC')::date + {days})"


def _body(template: str, row: str, dialect: str) -> str:
    # A tiny template: `{date_of}(col, n)` becomes the dialect's date arithmetic.
    import re

    text = template.replace("{row}", row)
    convert = _sqlite_date if dialect == "sqlite" else _pg_date
    return re.sub(r"\{date_of\}\(([^,]+), (-?\d+)\)", lambda m: convert(m.group(1), int(m.group(2))), text)


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table, (events, template) in _FORGET.items():
        for event in events:
            row = "OLD" if event == "DELETE" else "NEW"
            name = f"attendance_days_forget_{table}_{event.lower()}"
            if dialect == "sqlite":
                op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                           f"{_body(template, row, dialect)}; END")
            else:
                op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           f"{_body(template, row, dialect)}; RETURN NULL; END $$")
                op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table, (events, _template) in _FORGET.items():
        for event in events:
            name = f"attendance_days_forget_{table}_{event.lower()}"
            if dialect == "sqlite":
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade() -> None:
    op.create_table('attendance_days',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('late_minutes', sa.Integer(), nullable=False),
    sa.Column('left_early', sa.Boolean(), nullable=False),
    sa.Column('early_minutes', sa.Integer(), nullable=False),
    sa.Column('absent', sa.Boolean(), nullable=False),
    sa.Column('incomplete', sa.Boolean(), nullable=False),
    sa.Column('offsite', sa.Boolean(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('holiday_name', sa.String(length=255), nullable=False),
    sa.Column('first_in_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_in_punch_id', sa.Integer(), nullable=True),
    sa.Column('last_out_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_out_punch_id', sa.Integer(), nullable=True),
    sa.Column('worked_minutes', sa.Integer(), nullable=True),
    sa.Column('punches', sa.Integer(), nullable=False),
    sa.Column('rejected_selfies', sa.Integer(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('rules', sa.String(length=64), nullable=False),
    sa.Column('evaluated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_attendance_days_employee_id_employees'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', 'day', name=op.f('pk_attendance_days'))
    )
    op.create_index('ix_attendance_days_day', 'attendance_days', ['day'], unique=False)
    op.create_table('overtime_worked',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('planned_minutes', sa.Integer(), nullable=False),
    sa.Column('worked_minutes', sa.Integer(), nullable=True),
    sa.Column('day_kind', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_overtime_worked_employee_id_employees'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'],
                            name=op.f('fk_overtime_worked_request_id_approval_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_overtime_worked'))
    )
    op.create_index(op.f('ix_overtime_worked_employee_id'), 'overtime_worked', ['employee_id'], unique=False)
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_index(op.f('ix_overtime_worked_employee_id'), table_name='overtime_worked')
    op.drop_table('overtime_worked')
    op.drop_index('ix_attendance_days_day', table_name='attendance_days')
    op.drop_table('attendance_days')
