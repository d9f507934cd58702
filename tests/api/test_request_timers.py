"""BPMN reminder timers, fired by the scheduler with a controllable clock."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.db import utcnow
from engine.models import ProcessInstance, WorkflowEventRow
from engine.requests.scheduled import tick_due
from tests.support.approvals import decide, missed_punch, overtime, requires_postgres, submit, task_of, today


def _kinds(client):
    return [n["kind"] for n in client.get("/api/me/notifications").json()["items"]]


def test_reminder_after_three_working_days_leaves_the_task_open(api, demo_org, session_factory, settings):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    created = submit(employee, overtime())
    with session_factory() as session:
        due = session.scalar(select(ProcessInstance.next_timer_at))
    # working_days_after(3): at least 3 and at most 5 calendar days ahead (no holidays seeded).
    assert timedelta(days=3) <= due - utcnow() <= timedelta(days=5, minutes=1)

    assert tick_due(session_factory=session_factory, settings=settings, now=due - timedelta(minutes=1)) == 0
    assert "task_reminder" not in _kinds(supervisor)
    assert tick_due(session_factory=session_factory, settings=settings, now=due + timedelta(minutes=1)) == 1
    assert _kinds(supervisor).count("task_reminder") == 1
    # It fires once: a later tick finds nothing due.
    assert tick_due(session_factory=session_factory, settings=settings, now=due + timedelta(days=9)) == 0
    assert _kinds(supervisor).count("task_reminder") == 1

    detail = employee.get(f"/api/requests/{created['id']}").json()
    assert "reminder" in [s["kind"] for s in detail["timeline"]] and detail["status"] == "pending"
    decide(supervisor, created["id"], "approve")  # the task stayed open
    assert employee.get(f"/api/requests/{created['id']}").json()["status"] == "approved"


def test_the_hr_step_gets_its_own_reminder(api, demo_org, session_factory, settings):
    employee, supervisor, hr = api.login("employee1"), api.login("supervisor"), api.login("hr")
    created = submit(employee, missed_punch(today() - timedelta(days=1)))
    decide(supervisor, created["id"], "approve")
    task_of(hr, created["id"])
    assert tick_due(session_factory=session_factory, settings=settings, now=utcnow() + timedelta(days=8)) == 1
    assert _kinds(hr).count("task_reminder") == 1
    assert "task_reminder" not in _kinds(supervisor)


@pytest.mark.postgres_only
@requires_postgres
def test_two_schedulers_never_fire_a_timer_twice(api, demo_org, session_factory, settings):
    count = 8
    for round_, name in enumerate(("employee1", "employee2", "employee3", "employee4") * 2):
        submit(api.login(name), overtime(*(("17:00", "18:00"), ("18:00", "19:00"))[round_ // 4]))
    later = utcnow() + timedelta(days=8)
    barrier = threading.Barrier(2)
    ticked = []

    def scheduler():
        barrier.wait()
        ticked.append(tick_due(session_factory=session_factory, settings=settings, now=later))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(ticked) == count
    with session_factory() as session:
        reminders = session.execute(select(WorkflowEventRow.instance_id, func.count()).where(
            WorkflowEventRow.kind == "reminder").group_by(WorkflowEventRow.instance_id)).all()
    assert len(reminders) == count and {n for _, n in reminders} == {1}
    assert _kinds(api.login("supervisor")).count("task_reminder") == count


def test_embedded_scheduler_thread_fires_due_timers(api, demo_org, session_factory, settings):
    import time

    from engine.scheduler import periodic_jobs, run_forever

    submit(api.login("employee1"), overtime())
    stop = threading.Event()
    later = utcnow() + timedelta(days=8)
    jobs = periodic_jobs(settings=settings, session_factory=session_factory)
    thread = threading.Thread(target=run_forever, args=(jobs, stop), kwargs=dict(clock=lambda: later))
    thread.start()
    try:
        supervisor = api.login("supervisor")
        deadline = time.monotonic() + 20
        while "task_reminder" not in _kinds(supervisor) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert _kinds(supervisor).count("task_reminder") == 1
