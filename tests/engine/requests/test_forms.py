"""Submit-time checks of each request type, and the data its process reads."""
from dataclasses import replace
from datetime import date, datetime, time, timezone

import pytest

from engine.errors import InvalidInput
from engine.models import ApprovalRequest, Holiday
from engine.requests import forms

NOW = datetime(2026, 9, 9, 3, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Bangkok


def refused(settings, type_: str, **fields) -> str:
    with pytest.raises(InvalidInput) as error:
        forms.check(session=None, settings=settings, submitted=forms.Submitted(type_, "why", fields), now=NOW,
                    requester_id=1)
    return error.value.code


def test_each_type_refuses_fields_that_make_no_sense(settings):
    assert refused(settings, "overtime", date=date(2026, 9, 12), start=time(13), end=time(9)) == "overtime_times_invalid"
    assert refused(settings, "offsite", start_date=date(2026, 9, 10), end_date=date(2026, 9, 9),
                   place="x") == "offsite_dates_invalid"
    assert refused(settings, "offsite", start_date=date(2026, 9, 1), end_date=date(2026, 11, 30),
                   place="x") == "offsite_too_long"
    assert refused(settings, "offsite", start_date=date(2026, 9, 10), end_date=date(2026, 9, 10), place="x",
                   latitude=13.8) == "offsite_point_invalid"
    assert refused(settings, "missed_punch", date=date(2026, 9, 9), time=time(16, 30), direction="out",
                   reason_code="forgot") == "missed_punch_in_future"


def test_a_missed_punch_may_go_back_as_far_as_the_setting_allows(settings):
    days_back = settings.missed_punch_max_days_back
    oldest = date(2026, 9, 9).toordinal() - days_back
    fields = dict(time=time(8, 30), direction="in", reason_code="forgot")
    forms.check(session=None, settings=settings, now=NOW, requester_id=1,
                submitted=forms.Submitted("missed_punch", "why", {**fields, "date": date.fromordinal(oldest)}))
    assert refused(settings, "missed_punch", date=date.fromordinal(oldest - 1), **fields) == "missed_punch_too_old"
    forms.check(session=None, settings=replace(settings, missed_punch_max_days_back=days_back + 1), now=NOW, requester_id=1,
                submitted=forms.Submitted("missed_punch", "why", {**fields, "date": date.fromordinal(oldest - 1)}))


def test_overtime_on_a_holiday_reads_as_weekend_or_holiday(db_session, add_employee):
    requester = add_employee("1001")
    db_session.add(Holiday(day=date(2026, 10, 13), name_th="วันนวมินทรมหาราช", name_en=""))
    request = ApprovalRequest(type="overtime", requester_id=requester.id, reason="why",
                              created_at=NOW, updated_at=NOW)
    forms.create_details(request, {"date": date(2026, 10, 13), "start": time(9), "end": time(12, 30)})
    db_session.add(request)
    db_session.flush()

    data = forms.process_data(session=db_session, request=request)

    assert data == {"request_id": request.id, "request_type": "overtime", "requester_id": requester.id,
                    "hours": 3.5, "is_weekend_or_holiday": True}
    assert forms.summary(request) == {"date": "2026-10-13", "start": "09:00", "end": "12:30", "planned_hours": 3.5}
