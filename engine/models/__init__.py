"""All tables, imported here so Alembic and `Base.metadata` see every one."""
from engine.models.accounts import LocalAccount, LoginFailure
from engine.models.directory import ROLES, Employee, EmployeeRole, OrgUnit
from engine.models.schedules import Holiday, ScheduleAssignment, WorkSchedule

__all__ = [
    "ROLES",
    "Employee",
    "EmployeeRole",
    "Holiday",
    "LocalAccount",
    "LoginFailure",
    "OrgUnit",
    "ScheduleAssignment",
    "WorkSchedule",
]
