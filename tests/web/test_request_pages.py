"""The request forms, my requests, the inbox and its decisions over HTTP, as a browser without script sees them."""
from __future__ import annotations

import re
from datetime import timedelta

from engine.attendance.thai_calendar import thai_date_short
from tests.support.approvals import next_weekday, today
from tests.support.http_browser import csrf_token_of


def _post(client, url, data, page_html):
    return client.post(url, data={"csrf_token": csrf_token_of(page_html), **data}, timeout=30)


def _file_overtime(client, base, day, start="17:00", end="19:00"):
    form = client.get(f"{base}/requests/new/overtime", timeout=30)
    assert form.status_code == 200 and "ขอทำงานล่วงเวลา" in form.text
    return _post(client, f"{base}/requests/new/overtime",
                 {"date": thai_date_short(day), "start": start, "end": end, "reason": "ปิดงบ"}, form.text)


def test_an_overtime_typed_in_the_buddhist_era_is_filed_and_listed(live_app, signed_in):
    client, _ = signed_in("employee1")
    day = next_weekday()
    sent = _file_overtime(client, live_app.url, day)
    assert sent.status_code == 200 and re.search(r"/requests/\d+\?sent=1$", sent.url), sent.text[:500]
    assert "ส่งคำขอแล้ว" in sent.text and "รออนุมัติ" in sent.text
    listed = client.get(f"{live_app.url}/requests", timeout=30)
    assert f"{thai_date_short(day)} 17:00-19:00 (2 ชม.)" in listed.text


def test_field_errors_come_back_beside_their_field_in_the_pages_language(live_app, signed_in):
    client, _ = signed_in("employee1")
    day = next_weekday()
    reply = _file_overtime(client, live_app.url, day, start="19:00", end="17:00")
    assert reply.status_code == 422
    assert re.search(r'id="end"[^>]*aria-describedby="end-hint end-error" aria-invalid="true"', reply.text)
    assert 'id="end-error">ต้องสิ้นสุดหลังเวลาเริ่ม' in reply.text
    assert f'value="{thai_date_short(day)}"' in reply.text  # what was typed stays
    assert _file_overtime(client, live_app.url, day).status_code == 200
    twice = _file_overtime(client, live_app.url, day)
    assert twice.status_code == 422 and 'id="date-error">ท่านขอทำงานล่วงเวลานี้ไว้แล้ว' in twice.text
    form = client.get(f"{live_app.url}/requests/new/missed_punch", timeout=30)
    old = today() - timedelta(days=30)
    too_old = _post(client, f"{live_app.url}/requests/new/missed_punch",
                    {"date": thai_date_short(old), "time": "08:30", "direction": "in", "reason_code": "forgot",
                     "reason": "ลืม"}, form.text)
    assert too_old.status_code == 422 and 'id="date-error">' in too_old.text
    client.cookies.set("opsta_lang", "en")
    english = _post(client, f"{live_app.url}/requests/new/offsite",
                    {"start_date": "5/10/2021", "end_date": "nonsense", "place": "", "reason": "x"}, form.text)
    assert english.status_code == 422
    assert 'id="end_date-error">Type the date as day/month/year' in english.text
    assert 'id="place-error">Please fill in this field.' in english.text


def test_a_missed_punch_starts_prefilled_from_a_calendar_day(live_app, signed_in):
    client, _ = signed_in("employee1")
    day = today() - timedelta(days=1)
    form = client.get(f"{live_app.url}/requests/new/missed_punch?date={day.isoformat()}&direction=out", timeout=30)
    assert f'value="{thai_date_short(day)}"' in form.text
    assert 'value="out" checked' in form.text


def test_the_supervisor_decides_from_the_inbox_and_a_second_decision_is_told_it_was_considered(live_app, signed_in):
    client, _ = signed_in("employee1")
    mine = _file_overtime(client, live_app.url, next_weekday())
    request_id = int(re.search(r"/requests/(\d+)", mine.url).group(1))
    boss, page = signed_in("supervisor")
    assert re.search(r'งานรออนุมัติ <span class="badge">1</span>', page.text)
    inbox = boss.get(f"{live_app.url}/approvals", timeout=30)
    task_id = int(re.search(r'data-task-id="(\d+)"', inbox.text).group(1))
    task = boss.get(f"{live_app.url}/approvals/{task_id}", timeout=30)
    assert "อนุมัติ" in task.text and "ไม่อนุมัติ" in task.text and "ส่งกลับแก้ไข" in task.text
    assert "วันของผู้ขอ" in task.text
    decided = _post(boss, f"{live_app.url}/approvals/{task_id}", {"decision": "approve", "comment": "ok"}, task.text)
    assert decided.status_code == 200 and "บันทึกการพิจารณาแล้ว" in decided.text
    again = _post(boss, f"{live_app.url}/approvals/{task_id}", {"decision": "reject"}, task.text)
    assert again.status_code == 200 and "คำขอนี้ได้รับการพิจารณาไปแล้ว" in again.text
    assert f'data-task-id="{task_id}"' not in again.text
    opened = boss.get(f"{live_app.url}/approvals/{task_id}", timeout=30)
    assert opened.status_code == 200 and "คำขอนี้ได้รับการพิจารณาไปแล้ว" in opened.text
    detail = client.get(f"{live_app.url}/requests/{request_id}", timeout=30)
    assert "อนุมัติแล้ว" in detail.text and "“ok”" in detail.text


def test_return_edit_resubmit_and_cancel(live_app, signed_in):
    client, _ = signed_in("employee1")
    mine = _file_overtime(client, live_app.url, next_weekday())
    request_id = int(re.search(r"/requests/(\d+)", mine.url).group(1))
    boss, _ = signed_in("supervisor")
    inbox = boss.get(f"{live_app.url}/approvals?kind=overtime", timeout=30)
    task_id = int(re.search(r'data-task-id="(\d+)"', inbox.text).group(1))
    _post(boss, f"{live_app.url}/approvals/{task_id}", {"decision": "return", "comment": "แก้เวลา"}, inbox.text)
    detail = client.get(f"{live_app.url}/requests/{request_id}", timeout=30)
    assert "ส่งกลับให้แก้ไข" in detail.text and "“แก้เวลา”" in detail.text
    edit = client.get(f"{live_app.url}/requests/{request_id}/edit", timeout=30)
    assert 'value="17:00"' in edit.text
    day = next_weekday()
    resent = _post(client, f"{live_app.url}/requests/{request_id}/edit",
                   {"date": thai_date_short(day), "start": "17:00", "end": "18:30", "reason": "ปิดงบ",
                    "comment": "แก้แล้ว"}, edit.text)
    assert resent.status_code == 200 and "รออนุมัติ" in resent.text and "1.5" in resent.text
    cancelled = _post(client, f"{live_app.url}/requests/{request_id}/cancel", {"comment": "ไม่ต้องแล้ว"}, resent.text)
    assert cancelled.status_code == 200 and "ยกเลิกคำขอแล้ว" in cancelled.text
    assert "ยกเลิกคำขอนี้" not in cancelled.text  # nothing left to cancel
    stranger, _ = signed_in("employee2")
    assert stranger.get(f"{live_app.url}/requests/{request_id}/edit", timeout=30).status_code == 404


def test_several_tasks_approved_at_once(live_app, signed_in):
    client, _ = signed_in("employee1")
    for hours in (("17:00", "18:00"), ("18:00", "19:00"), ("19:00", "20:00")):
        assert _file_overtime(client, live_app.url, next_weekday(), *hours).status_code == 200
    boss, _ = signed_in("supervisor")
    inbox = boss.get(f"{live_app.url}/approvals", timeout=30)
    ids = re.findall(r'data-task-id="(\d+)"', inbox.text)
    assert len(ids) == 3
    reply = boss.post(f"{live_app.url}/approvals/approve", timeout=30,
                      data={"csrf_token": csrf_token_of(inbox.text), "task_id": ids})
    assert reply.status_code == 200 and "อนุมัติแล้ว 3 รายการ" in reply.text
    assert "ไม่มีงานรออนุมัติ" in reply.text


def test_an_acting_approver_is_named_for_a_period_and_decides_meanwhile(live_app, signed_in):
    client, _ = signed_in("employee1")
    _file_overtime(client, live_app.url, next_weekday())
    boss, _ = signed_in("supervisor")
    page = boss.get(f"{live_app.url}/delegations", timeout=30)
    assert page.status_code == 200 and "มอบหมายผู้อนุมัติแทน" in page.text
    wrong = _post(boss, f"{live_app.url}/delegations",
                  {"delegate_code": "100059151", "starts_on": thai_date_short(today()),
                   "ends_on": thai_date_short(today() - timedelta(days=1))}, page.text)
    assert wrong.status_code == 422 and 'id="ends_on-error">วันสุดท้ายอยู่ก่อนวันแรก' in wrong.text
    saved = _post(boss, f"{live_app.url}/delegations",
                  {"delegate_code": "100059151", "starts_on": thai_date_short(today()),
                   "ends_on": thai_date_short(today() + timedelta(days=3))}, page.text)
    assert saved.status_code == 200 and "นางสาววรรณวิสา ทองมา" in saved.text
    delegate, landing = signed_in("employee2")
    assert re.search(r'งานรออนุมัติ <span class="badge">1</span>', landing.text)
    inbox = delegate.get(f"{live_app.url}/approvals", timeout=30)
    task_id = int(re.search(r'data-task-id="(\d+)"', inbox.text).group(1))
    task = delegate.get(f"{live_app.url}/approvals/{task_id}", timeout=30)
    decided = _post(delegate, f"{live_app.url}/approvals/{task_id}", {"decision": "approve"}, task.text)
    assert "บันทึกการพิจารณาแล้ว" in decided.text
    mine = client.get(f"{live_app.url}/requests", timeout=30)
    assert "อนุมัติแล้ว" in mine.text


def test_the_calendar_marks_approved_overtime_and_a_waiting_request(live_app, signed_in):
    client, _ = signed_in("employee1")
    day = next_weekday()
    first = _file_overtime(client, live_app.url, day)
    _file_overtime(client, live_app.url, day, "19:00", "20:00")
    boss, _ = signed_in("supervisor")
    inbox = boss.get(f"{live_app.url}/approvals", timeout=30)
    task_id = re.findall(r'data-task-id="(\d+)"', inbox.text)[0]
    _post(boss, f"{live_app.url}/approvals/{task_id}", {"decision": "approve"}, inbox.text)
    assert first.status_code == 200
    page = client.get(f"{live_app.url}/calendar?month={day:%Y-%m}&day={day.isoformat()}", timeout=30)
    cell = re.search(rf'<a id="day-{day.isoformat()}"[^>]*>', page.text).group(0)
    assert "ทำงานล่วงเวลา อนุมัติแล้ว" in cell and "ทำงานล่วงเวลา รออนุมัติ" in cell
    assert 'class="request-mark waiting"' in page.text
    assert "ทำงานล่วงเวลา 17:00-19:00 · อนุมัติแล้ว" in page.text
    assert "ทำงานล่วงเวลา 19:00-20:00 · รออนุมัติ" in page.text


def test_ending_my_delegation_takes_the_acting_approvers_tasks_away(live_app, signed_in):
    client, _ = signed_in("employee1")
    _file_overtime(client, live_app.url, next_weekday())
    boss, _ = signed_in("supervisor")
    page = boss.get(f"{live_app.url}/delegations", timeout=30)
    saved = _post(boss, f"{live_app.url}/delegations",
                  {"delegate_code": "100059151", "starts_on": thai_date_short(today()),
                   "ends_on": thai_date_short(today() + timedelta(days=3))}, page.text)
    delegation_id = re.search(r'data-delegation-id="(\d+)"', saved.text).group(1)
    delegate, _ = signed_in("employee2")
    assert "data-task-id" in delegate.get(f"{live_app.url}/approvals", timeout=30).text
    ended = _post(boss, f"{live_app.url}/delegations/{delegation_id}/end", {}, saved.text)
    assert ended.status_code == 200 and "สิ้นสุดการมอบหมายแล้ว" in ended.text
    assert "data-task-id" not in delegate.get(f"{live_app.url}/approvals", timeout=30).text


def test_the_teams_day_as_json_for_the_benchmark_baseline(live_app, signed_in, api):
    reply = api.login("supervisor").get("/api/me/team/today")
    assert reply.status_code == 200
    assert sorted(m["employee"]["code"] for m in reply.json()) == ["100059150", "100059151", "100059152", "100059153"]
    assert {m["state"] for m in reply.json()} <= {"not_in", "day_off", "holiday"}
    assert api.login("employee1").get("/api/me/team/today?unit=ICT").status_code == 404
    assert len(api.login("hr").get("/api/me/team/today?unit=ICT").json()) == 9
