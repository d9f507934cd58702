"""Changing who belongs to a site, and taking the people who left off its terminals.

Enrolment only ever sends people to the terminals of their sites; when a site's members shrink, those who
no longer belong to it are taken off its terminals (`DATA DELETE USERINFO`, which deletes their photos too),
so a narrowed site does not keep faces it was never meant to hold.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db import utcnow
from engine.models import Employee, Site
from engine.sites.members import SiteMembers, replace_site_members, site_employee_ids, site_members
from engine.terminals.enrollment import take_off_devices

LEFT_SITE = "left the terminal's site"


def change_site_members(*, session: Session, site: Site, unit_codes: list[str], employee_codes: list[str],
                        now: datetime | None = None) -> SiteMembers:
    """Replace the site's units and named employees and take whoever left off its terminals; commits."""
    before = site_employee_ids(session=session, site_id=site.id)
    replace_site_members(session=session, site=site, unit_codes=unit_codes, employee_codes=employee_codes)
    left = before - site_employee_ids(session=session, site_id=site.id)
    for employee in session.scalars(select(Employee).where(Employee.id.in_(left))) if left else ():
        take_off_devices(session=session, employee=employee, why=LEFT_SITE, site_id=site.id, now=now or utcnow())
    session.commit()
    return site_members(session=session, site=site)
