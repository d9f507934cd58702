"""The menu (`กดเพื่อแสดงเมนู`), as data: one line per entry, in the order shown.

To add an entry, add a `MenuEntry` line to `MENU` in its section (or a section to `SECTIONS`):

    MenuEntry("requests", _l("My requests"), "web.my_requests"),
    MenuEntry("approvals", _l("Pending approvals"), "web.inbox", badge=pending_task_count),
    MenuEntry("other", _l("Processes"), "web.processes", visible=has_role("analyst")),

An entry is shown only when its endpoint is registered (a screen not built yet is never a dead link)
and its `visible` predicate holds for the viewer; a section with no entry shown is left out. `badge`
gives a count shown after the label (nothing for 0). Labels are English message ids (web/translations).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from engine.notifications.service import unread_count
from web.pages import Viewer
from web.screens.approvals import may_approve, pending_approvals

Predicate = Callable[[Viewer], bool]


def everyone(viewer: Viewer) -> bool:
    return True


def supervisors(viewer: Viewer) -> bool:
    """People with at least one direct subordinate."""
    return viewer.is_supervisor


def has_role(*roles: str) -> Predicate:
    """A predicate: the viewer holds one of `roles` (hr, admin, analyst, device_admin)."""
    def holds(viewer: Viewer) -> bool:
        return viewer.has_role(*roles)

    return holds


def team_viewers(viewer: Viewer) -> bool:
    return viewer.is_supervisor or viewer.has_role("hr")
def report_readers(viewer: Viewer) -> bool:
    """Supervisors (their reporting line), hr and admin (everyone)."""
    return viewer.is_supervisor or viewer.has_role("hr", "admin")


def unread_notifications(viewer: Viewer) -> int:
    return unread_count(session=viewer.db, employee_id=viewer.employee.id)


@dataclass(frozen=True)
class MenuEntry:
    section: str
    label: object  # a lazy message
    endpoint: str
    visible: Predicate = everyone
    badge: Callable[[Viewer], int] | None = None
    # "post": a button in a form with the CSRF token (sign-out); "get": a link.
    method: str = "get"
    # Other screens that belong to this entry (marked as the current page there too).
    also_current: tuple[str, ...] = ()


SECTIONS = (
    ("general", _l("General")),
    ("requests", _l("Requests")),
    ("approvals", _l("Approvals")),
    ("supervisor", _l("Supervisor")),
    ("processes", _l("Processes")),
    ("other", _l("Other")),
)

MENU = (
    MenuEntry("general", _l("Calendar"), "web.calendar", also_current=("web.home",)),
    MenuEntry("general", _l("Record time"), "web.punch"),
    MenuEntry("general", _l("History"), "web.history"),
    MenuEntry("requests", _l("Request overtime"), "web.new_overtime"),
    MenuEntry("requests", _l("Request off-site work"), "web.new_offsite"),
    MenuEntry("requests", _l("Request a missed punch"), "web.new_missed_punch"),
    MenuEntry("requests", _l("My requests"), "web.my_requests", also_current=("web.my_request", "web.edit_request")),
    MenuEntry("approvals", _l("Pending approvals"), "web.inbox", visible=may_approve, badge=pending_approvals,
              also_current=("web.approval_task",)),
    MenuEntry("approvals", _l("Acting approvers"), "web.delegations", visible=may_approve),
    MenuEntry("supervisor", _l("Team today"), "web.team_day", visible=team_viewers),
    MenuEntry("supervisor", _l("Subordinates"), "web.subordinates", visible=supervisors,
              also_current=("web.employee_calendar",)),
    MenuEntry("other", _l("Reports"), "web.reports", visible=report_readers,
              also_current=("web.report", "web.report_job_page")),
    MenuEntry("processes", _l("Processes and decision tables"), "web.processes", visible=has_role("analyst"),
              also_current=("web.process_modeler", "web.process_compare")),
    MenuEntry("other", _l("Announcements"), "web.announcements",
              also_current=("web.announcement", "web.new_announcement", "web.post_announcement")),
    MenuEntry("other", _l("Notifications"), "web.notifications", badge=unread_notifications),
    MenuEntry("other", _l("Settings"), "web.settings"),
    MenuEntry("other", _l("Sign out"), "web.logout", method="post"),
)


@dataclass(frozen=True)
class ShownEntry:
    label: str
    url: str
    method: str
    badge: int
    current: bool


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    entries: list[ShownEntry]


def _registered(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def menu_for(viewer: Viewer, *, entries: tuple[MenuEntry, ...] = MENU,
             sections: tuple[tuple[str, object], ...] = SECTIONS) -> list[ShownSection]:
    """The sections and entries `viewer` sees, with their URLs and badge counts."""
    shown = []
    for key, title in sections:
        lines = [ShownEntry(str(entry.label), url_for(entry.endpoint), entry.method,
                            entry.badge(viewer) if entry.badge else 0,
                            request.endpoint in (entry.endpoint, *entry.also_current))
                 for entry in entries
                 if entry.section == key and _registered(entry.endpoint) and entry.visible(viewer)]
        if lines:
            shown.append(ShownSection(key, str(title), lines))
    return shown
