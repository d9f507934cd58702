"""All tables, imported here so Alembic and `Base.metadata` see every one."""
from engine.models.accounts import LocalAccount, LoginFailure
from engine.models.directory import ROLES, Employee, EmployeeRole, OrgUnit
from engine.models.notifications import Notification
from engine.models.photos import ProfilePhoto
from engine.models.punches import DIRECTIONS, SOURCES, LedgerHead, Punch
from engine.models.schedules import Holiday, ScheduleAssignment, WorkSchedule
from engine.models.sites import Site

__all__ = [
    "Notification",
    "ProfilePhoto",
    "DIRECTIONS",
    "SOURCES",
    "LedgerHead",
    "Punch",
    "Site",
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
