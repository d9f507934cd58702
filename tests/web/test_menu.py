"""The menu as data: an entry shows only when its screen exists and its predicate holds; badges count;
an empty section is left out. The entries of issue 13 in the training material's words."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from web.menu import MENU, SECTIONS, MenuEntry, has_role, menu_for, supervisors


@dataclass
class FakeViewer:
    """Duck-typed `web.pages.Viewer`: what the predicates and badges ask."""

    roles: set[str] = field(default_factory=lambda: {"employee"})
    is_supervisor: bool = False

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def _shown(app, viewer, entries=MENU, sections=SECTIONS):
    with app.test_request_context("/"):
        return [(section.title, [(entry.label, entry.url, entry.badge) for entry in section.entries])
                for section in menu_for(viewer, entries=entries, sections=sections)]


def test_only_entries_whose_screen_exists_are_shown(live_app):
    entries = (MenuEntry("general", _l("Calendar"), "web.calendar"),
               MenuEntry("general", _l("History"), "web.no_such_screen"))
    assert _shown(live_app.app, FakeViewer(), entries) == [("ทั่วไป", [("ปฏิทิน", "/calendar", 0)])]


def test_predicates_badges_and_empty_sections(live_app):
    entries = (MenuEntry("general", _l("Calendar"), "web.calendar", badge=lambda viewer: 3),
               MenuEntry("supervisor", _l("Subordinates"), "web.subordinates", visible=supervisors),
               MenuEntry("other", _l("Settings"), "web.settings", visible=has_role("analyst")))
    employee = _shown(live_app.app, FakeViewer(), entries)
    assert employee == [("ทั่วไป", [("ปฏิทิน", "/calendar", 3)])]
    boss = _shown(live_app.app, FakeViewer(roles={"employee", "analyst"}, is_supervisor=True), entries)
    assert [title for title, _ in boss] == ["ทั่วไป", "หัวหน้างาน", "อื่นๆ"]


ISSUE_14 = (("requests", "web.new_overtime"), ("requests", "web.new_offsite"), ("requests", "web.new_missed_punch"),
            ("requests", "web.my_requests"), ("approvals", "web.inbox"), ("approvals", "web.delegations"),
            ("supervisor", "web.team_day"))


def test_issue_13s_menu_in_order():
    assert [(entry.section, entry.endpoint) for entry in MENU if (entry.section, entry.endpoint) not in ISSUE_14] == [
        ("general", "web.calendar"), ("general", "web.punch"), ("general", "web.history"),
        ("supervisor", "web.subordinates"),
        ("other", "web.reports"), ("processes", "web.processes"), ("other", "web.announcements"), ("other", "web.notifications"),
        ("other", "web.settings"),
        ("other", "web.logout")]
    assert [key for key, _ in SECTIONS] == ["general", "requests", "approvals", "supervisor", "processes", "other"]


def test_issue_14s_entries_in_order():
    """คำขอ with the three forms and คำขอของฉัน; งานรออนุมัติ and มอบหมายผู้อนุมัติแทน; วันนี้ของทีม first for supervisors."""
    assert [(entry.section, entry.endpoint) for entry in MENU if (entry.section, entry.endpoint) in ISSUE_14] == \
        list(ISSUE_14)


def test_the_notifications_badge_counts_unread_ones(live_app, demo_org, session_factory, settings):
    from sqlalchemy import select

    from engine.models import Employee
    from engine.notifications.service import mark_read, notify
    from web.menu import unread_notifications
    from web.pages import Viewer

    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == "100059150"))
        for title in ("one", "two", "three"):
            notify(session=session, recipient_id=employee.id, kind="test", title_th=title, title_en=title)
        session.commit()
        viewer = Viewer(employee, session, settings)
        assert unread_notifications(viewer) == 3
        mark_read(session=session, employee=employee)
        assert unread_notifications(viewer) == 0
