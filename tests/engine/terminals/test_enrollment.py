"""Enrollment follows the device's answers: enrolled when every command succeeded, failed with why, removed."""
from datetime import datetime, timezone

from sqlalchemy import select

from devices.command_queue import parse_command_reply
from engine.models import DeviceEnrollment
from engine.terminals import terminal
from engine.terminals.enrollment import employee_deactivated, enroll_employees
from tests.support.terminals import jpeg, make_terminal, set_profile_photo

NOW = datetime(2026, 9, 1, 3, 0, tzinfo=timezone.utc)


def poll(session, settings, device) -> list[int]:
    """The ids of every command handed out, polling until the device gets `OK` (a photo fills a batch)."""
    handed = []
    while batch := parse_command_reply(terminal.poll(session=session, settings=settings, device=device,
                                                     info=None, now=NOW)):
        handed += [command_id for command_id, _text in batch]
    return handed


def answer(session, device, results: dict[int, int]) -> None:
    body = "\n".join(f"ID={command_id}&Return={code}&CMD=DATA" for command_id, code in results.items())
    terminal.command_results(session=session, device=device, body=body.encode(), now=NOW)


def state(session, employee) -> tuple[str, str]:
    row = session.scalar(select(DeviceEnrollment).where(DeviceEnrollment.employee_id == employee.id))
    return row.state, row.reason


def test_enrolled_once_the_user_and_the_photo_both_succeed(db_session, settings, add_employee):
    employee = add_employee("1001")
    set_profile_photo(db_session, "1001", jpeg((200, 120, 90)))
    device = make_terminal(db_session, sn="ENR001", name="Gate")

    report = enroll_employees(session=db_session, device=device, codes=["1001", "9999"])
    assert (report.queued, report.unknown, report.no_photo, report.commands) == (["1001"], ["9999"], [], 2)
    user_info, photo = sorted(poll(db_session, settings, device))

    answer(db_session, device, {user_info: 0})
    assert state(db_session, employee) == ("pending", "")
    answer(db_session, device, {photo: 0})
    assert state(db_session, employee) == ("enrolled", "")


def test_a_refused_photo_fails_the_enrollment_with_the_device_reason(db_session, settings, add_employee):
    employee = add_employee("1001")
    set_profile_photo(db_session, "1001", jpeg((200, 120, 90)))
    device = make_terminal(db_session, sn="ENR002", name="Gate")
    enroll_employees(session=db_session, device=device, codes=["1001"])
    user_info, photo = sorted(poll(db_session, settings, device))

    answer(db_session, device, {user_info: 0, photo: -2})

    assert state(db_session, employee) == (
        "failed", "DATA UPDATE BIOPHOTO: wrong operation, or photo size mismatch / photo too large (Return=-2)")


def test_a_deactivated_employee_is_removed_even_when_the_device_no_longer_had_the_pin(
        db_session, settings, add_employee):
    employee = add_employee("1001")
    device = make_terminal(db_session, sn="ENR003", name="Gate")
    enroll_employees(session=db_session, device=device, codes=["1001"])
    [user_info] = poll(db_session, settings, device)
    answer(db_session, device, {user_info: 0})
    assert state(db_session, employee) == ("enrolled", "no profile photo")

    employee_deactivated(session=db_session, employee=employee, now=NOW)
    db_session.commit()
    assert state(db_session, employee) == ("removing", "")
    [user_delete] = poll(db_session, settings, device)
    answer(db_session, device, {user_delete: -10})  # -10: the PIN was not on the device

    assert state(db_session, employee) == ("removed", "")
