"""ATTLOG uploads into the ledger: idempotent per (device, PIN, wall clock), unusable lines kept for review."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from engine.models import Punch, UnmatchedDeviceRecord
from engine.terminals.ingest import store_attlog
from tests.support.terminals import make_terminal, put_on_terminal


NOW = datetime(2026, 9, 1, 10, 0, tzinfo=timezone.utc)  # 17:00 in Bangkok


def attlog(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


def unmatched(session) -> dict[str, str]:
    return {row.raw_line.split("\t")[0]: row.reason for row in session.scalars(
        select(UnmatchedDeviceRecord).where(UnmatchedDeviceRecord.resolved_at.is_(None)))}


def test_a_resent_batch_stores_each_punch_once(db_session, settings, add_employee):
    add_employee("1001")
    device = make_terminal(db_session, sn="ING001", name="Front door")
    put_on_terminal(db_session, "ING001", "1001")
    body = attlog("1001\t2026-09-01 08:40:00\t0\t15", "1001\t2026-09-01 16:35:00\t1\t15",
                  "1001\t2026-09-01 08:40:00\t0\t15")  # the same line twice in one batch

    first = store_attlog(session=db_session, settings=settings, device=device, text=body, now=NOW)
    again = store_attlog(session=db_session, settings=settings, device=device, text=body, now=NOW)

    assert (first.stored, first.duplicates, first.unmatched) == (2, 1, 0)
    assert (again.stored, again.duplicates, again.unmatched) == (0, 3, 0)
    punches = list(db_session.scalars(select(Punch).order_by(Punch.effective_at)))
    assert [(p.direction, p.source, p.place_label, p.verify_method) for p in punches] == [
        ("in", "face_terminal", "Front door", "face"), ("out", "face_terminal", "Front door", "face")]
    assert punches[0].effective_at == datetime(2026, 9, 1, 1, 40, tzinfo=timezone.utc)


def test_unusable_lines_are_kept_with_their_reason_and_resolved_once_they_become_punches(
        db_session, settings, add_employee):
    add_employee("1001")
    add_employee("1003", active=False)
    device = make_terminal(db_session, sn="ING002", name="Gate", state_map={"0": "in", "1": "out"})
    put_on_terminal(db_session, "ING002", "1001", "1003")
    body = attlog("1001\t2026-09-01 08:40:00\t0\t15", "1002\t2026-09-01 08:41:00\t0\t15",
                  "1003\t2026-09-01 08:42:00\t0\t15", "1001\t2026-09-01 12:00:00\t7\t15", "junk")

    outcome = store_attlog(session=db_session, settings=settings, device=device, text=body, now=NOW)

    assert (outcome.stored, outcome.unmatched) == (1, 4)
    assert unmatched(db_session) == {
        "1002": "unknown PIN 1002: no employee has this code",
        "1003": "PIN 1003 belongs to an inactive employee",
        "1001": "state 7 has no direction in the device state map",
        "junk": "malformed line: too few columns",
    }
    add_employee("1002")
    put_on_terminal(db_session, "ING002", "1002")
    resent = store_attlog(session=db_session, settings=settings, device=device, text=body, now=NOW)
    assert resent.stored == 1 and "1002" not in unmatched(db_session)


def test_a_device_clock_ahead_of_the_server_flags_the_punch(db_session, settings, add_employee):
    add_employee("1001")
    device = make_terminal(db_session, sn="ING003", name="Gate")
    put_on_terminal(db_session, "ING003", "1001")
    ahead = (NOW + timedelta(seconds=settings.clock_skew_seconds + 60)).astimezone(
        timezone(timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")

    store_attlog(session=db_session, settings=settings, device=device, text=attlog(f"1001\t{ahead}\t0\t15"), now=NOW)

    assert db_session.scalar(select(Punch.flags)) == ["clock_skew"]


def test_a_pin_not_enrolled_on_the_terminal_or_its_site_is_kept_for_review_not_stored(
        db_session, settings, add_employee):
    add_employee("1001")
    add_employee("1002")
    add_employee("1003")
    device = make_terminal(db_session, sn="ING004", name="Gate")
    sibling = make_terminal(db_session, sn="ING005", name="Back door", site_id=device.site_id)
    elsewhere = make_terminal(db_session, sn="ING006", name="Elsewhere")
    put_on_terminal(db_session, "ING004", "1001")
    put_on_terminal(db_session, sibling.sn, "1002")  # the same site's other terminal counts
    put_on_terminal(db_session, elsewhere.sn, "1003")  # another site's terminal does not
    body = attlog("1001\t2026-09-01 08:40:00\t0\t15", "1002\t2026-09-01 08:41:00\t0\t15",
                  "1003\t2026-09-01 08:42:00\t0\t15")

    outcome = store_attlog(session=db_session, settings=settings, device=device, text=body, now=NOW)

    assert (outcome.stored, outcome.unmatched) == (2, 1)
    assert unmatched(db_session) == {
        "1003": "PIN 1003 is not enrolled on this terminal or on a terminal of its site"}


def test_a_punch_older_than_the_offline_window_is_flagged_not_dropped(db_session, settings, add_employee):
    add_employee("1001")
    device = make_terminal(db_session, sn="ING007", name="Gate")
    put_on_terminal(db_session, "ING007", "1001")
    old = (NOW - timedelta(hours=settings.device_offline_window_hours + 1)).astimezone(
        timezone(timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")

    store_attlog(session=db_session, settings=settings, device=device,
                 text=attlog(f"1001\t{old}\t0\t15", "1001\t2026-09-01 16:30:00\t1\t15"), now=NOW)

    assert sorted(map(tuple, db_session.scalars(select(Punch.flags)))) == [(), ("clock_skew",)]
