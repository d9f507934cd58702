"""the attendance day projection's guard: a change and a projection write never overlap (PostgreSQL)

A report (or the scheduler's upkeep) judges a chunk of days from what it reads, then writes the rows. A change
committed in between (a punch approved from a missed-punch request, a verdict, a holiday) has its trigger
delete rows that are not there yet, and the chunk then stores rows judged without it — final, so never judged
again. Here every statement that changes what a day depends on first takes a shared advisory lock, and
`engine.reports.attendance_days` takes the same lock exclusively for each chunk, from its first read to its
commit: a change waits for the chunk (or the chunk for the change) and its trigger then sees the chunk's rows.
A statement-level trigger takes the lock once per statement, not once per row. SQLite has one writer at a time;
the chunk there starts its transaction with a write, which does the same.

Revision ID: 0013_projection_guard
Revises: 0012_trust_core
"""
from alembic import op


revision = '0013_projection_guard'
down_revision = '0012_trust_core'
branch_labels = None
depends_on = None

# engine.reports.attendance_days.PROJECTION_LOCK: the advisory lock key ("OPSTA-DAY" as a number).
PROJECTION_LOCK = 0x4F50535441444159
# The tables and events of the forgetting triggers of migration 0011.
_GUARDED = {
    "punches": ("INSERT",),
    "face_verifications": ("INSERT", "UPDATE"),
    "punch_acceptances": ("INSERT", "DELETE"),
    "approval_requests": ("UPDATE",),
    "overtime_requests": ("INSERT", "UPDATE", "DELETE"),
    "holidays": ("INSERT", "UPDATE", "DELETE"),
    "schedule_assignments": ("INSERT", "UPDATE", "DELETE"),
    "work_schedules": ("UPDATE",),
    "employees": ("UPDATE",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE FUNCTION attendance_days_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"PERFORM pg_advisory_xact_lock_shared({PROJECTION_LOCK}); RETURN NULL; END $$")
    for table, events in _GUARDED.items():
        op.execute(f"CREATE TRIGGER attendance_days_guard_{table} BEFORE {' OR '.join(events)} ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION attendance_days_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _GUARDED:
        op.execute(f"DROP TRIGGER IF EXISTS attendance_days_guard_{table} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS attendance_days_guard()")
