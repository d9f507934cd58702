"""All tables, imported here so Alembic and `Base.metadata` see every one."""
from engine.models.accounts import LocalAccount
from engine.models.attendance_days import AttendanceDay, OvertimeWorked
from engine.models.announcements import Announcement, AnnouncementRecipient, AnnouncementTarget
from engine.models.directory import ROLES, Employee, EmployeeRole, OrgUnit
from engine.models.face_checks import (FINISHED_STATUSES, VERIFICATION_STATUSES, FaceVerification, SelfieImage,
                                        VerificationJob)
from engine.models.notifications import Notification, OutboxMessage
from engine.models.photos import ProfilePhoto
from engine.models.punches import DIRECTIONS, SOURCES, LedgerHead, Punch, PunchAcceptance
from engine.models.push import PUSH_OUTCOMES, PushDelivery, PushSubscription
from engine.models.reports import REPORT_JOB_STATES, ReportJob
from engine.models.requests import (MISSED_PUNCH_REASONS, REQUEST_STATUSES, REQUEST_TYPES, ApprovalRequest,
                                    MissedPunchRequest, OffsiteRequest, OvertimeRequest)
from engine.models.schedules import Holiday, ScheduleAssignment, WorkSchedule
from engine.models.sign_ins import AppToken, LoginAttempt, LoginThrottle, WebSession
from engine.models.sites import Site, SiteEmployee, SiteUnit
from engine.models.terminals import (
    COMMAND_STATES, ENROLLMENT_STATES, Device, DeviceCommand, DeviceEnrollment, DevicePhotoHandout,
    UnauthorizedDeviceAttempt, UnauthorizedDeviceFlood, UnmatchedDeviceRecord,
)
from engine.models.workflow import Delegation, InboxTask, ProcessInstance, ProcessVersion, WorkflowEventRow

__all__ = [
    "AttendanceDay",
    "OvertimeWorked",
    "Announcement",
    "AnnouncementRecipient",
    "AnnouncementTarget",
    "PUSH_OUTCOMES",
    "PushDelivery",
    "PushSubscription",
    "REPORT_JOB_STATES",
    "ReportJob",
    "COMMAND_STATES",
    "ENROLLMENT_STATES",
    "Device",
    "DeviceCommand",
    "DeviceEnrollment",
    "DevicePhotoHandout",
    "UnauthorizedDeviceFlood",
    "SiteEmployee",
    "SiteUnit",
    "UnauthorizedDeviceAttempt",
    "UnmatchedDeviceRecord",
    "MISSED_PUNCH_REASONS",
    "REQUEST_STATUSES",
    "REQUEST_TYPES",
    "ApprovalRequest",
    "MissedPunchRequest",
    "OffsiteRequest",
    "OvertimeRequest",
    "Delegation",
    "InboxTask",
    "OutboxMessage",
    "ProcessInstance",
    "ProcessVersion",
    "WorkflowEventRow",
    "Notification",
    "ProfilePhoto",
    "DIRECTIONS",
    "SOURCES",
    "LedgerHead",
    "Punch",
    "PunchAcceptance",
    "Site",
    "FINISHED_STATUSES",
    "VERIFICATION_STATUSES",
    "FaceVerification",
    "SelfieImage",
    "VerificationJob",
    "ROLES",
    "Employee",
    "EmployeeRole",
    "Holiday",
    "LocalAccount",
    "LoginAttempt",
    "LoginThrottle",
    "AppToken",
    "WebSession",
    "OrgUnit",
    "ScheduleAssignment",
    "WorkSchedule",
]
