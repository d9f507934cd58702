"""Selfie punches through the embedded worker (memory:// broker): verdicts, reasons, replay, notices, calendar."""
import uuid
from datetime import timedelta

import cv2
import numpy as np
import pytest
from sqlalchemy import event, select

from engine.db import utcnow
from engine.models import FaceVerification, SelfieImage, VerificationJob
from tests.support.photos import blurred, darkened, jpeg, photo_bytes, photo_image, side_by_side
from tests.support.selfies import selfie_punch, set_profile_photo, wait_for_verdict

pytestmark = pytest.mark.slow  # the real face model


def punch_and_verdict(client, selfie: bytes, **fields) -> tuple[dict, dict]:
    reply = selfie_punch(client, selfie, **fields)
    assert reply.status_code == 201, reply.text
    return reply.json(), wait_for_verdict(client, reply.json()["id"])


def test_selfie_of_the_same_person_is_verified(obama_employee, session_factory):
    reply = selfie_punch(obama_employee, photo_bytes("obama2.jpg"), note="selfie")
    assert reply.status_code == 201, reply.text
    punch = reply.json()
    assert punch["verification"]["status"] == "pending"  # the reply never waits for the model
    assert punch["note"] == "selfie" and punch["location_kind"] in ("office", "offsite")
    verdict = wait_for_verdict(obama_employee, punch["id"])
    assert verdict["status"] == "verified", verdict
    assert verdict["reasons"] == [] and verdict["distance"] < verdict["threshold"] == 0.07
    assert verdict["attempts"] == 1 and verdict["verified_at"]
    with session_factory() as session:
        job = session.scalar(select(VerificationJob).where(VerificationJob.punch_id == punch["id"]))
        assert job.sent_at is not None and job.done_at is not None and job.sends == 1
        stored = session.get(SelfieImage, punch["id"])
        assert max(cv2.imdecode(np.frombuffer(stored.image, np.uint8), cv2.IMREAD_COLOR).shape[:2]) <= 800
    assert obama_employee.get("/api/me/notifications").json()["unread_count"] == 0
    selfie = obama_employee.get(f"/api/punches/{punch['id']}/selfie")
    assert selfie.status_code == 200 and selfie.headers["Content-Type"] == "image/jpeg"


def reasons(verdict) -> list[str]:
    return [reason["code"] for reason in verdict["reasons"]]


@pytest.mark.parametrize("selfie, code", [
    (lambda: photo_bytes("biden.jpg"), "mismatch"),
    (lambda: jpeg(side_by_side(photo_image("obama2.jpg"), photo_image("biden.jpg"))), "multiple_faces"),
    (lambda: jpeg(photo_image("obama2.jpg") * 0 + 128), "no_face"),
    (lambda: jpeg(darkened(photo_image("obama2.jpg"), 0.2)), "too_dark"),
    (lambda: jpeg(blurred(photo_image("obama2.jpg"), 6.0)), "blurred"),
], ids=["mismatch", "multiple_faces", "no_face", "too_dark", "blurred"])
def test_rejected_selfies_name_their_reason_with_advice(obama_employee, selfie, code):
    _punch, verdict = punch_and_verdict(obama_employee, selfie())
    assert verdict["status"] == "rejected"
    assert code in reasons(verdict), verdict
    reason = next(r for r in verdict["reasons"] if r["code"] == code)
    assert reason["advice_th"] and reason["advice_en"]


def test_the_same_selfie_twice_is_a_replay(obama_employee):
    _first, verdict = punch_and_verdict(obama_employee, photo_bytes("obama3.jpg"))
    assert verdict["status"] == "verified"
    _again, replay = punch_and_verdict(obama_employee, photo_bytes("obama3.jpg"), direction="out")
    assert replay["status"] == "rejected" and reasons(replay)[0] == "replayed_selfie"


def test_the_profile_photo_sent_as_a_selfie_is_a_replay(obama_employee):
    _punch, verdict = punch_and_verdict(obama_employee, photo_bytes("obama.jpg"))
    assert "replayed_selfie" in reasons(verdict)


def test_without_a_profile_photo_the_selfie_is_rejected(api, demo_org):
    _punch, verdict = punch_and_verdict(api.login("employee2"), photo_bytes("obama2.jpg"))
    assert verdict["status"] == "rejected" and "no_profile_photo" in reasons(verdict)


def test_rejection_notifies_the_employee_and_shows_in_the_supervisors_calendar(obama_employee, api, demo_org):
    punch, verdict = punch_and_verdict(obama_employee, photo_bytes("biden.jpg"))
    assert verdict["status"] == "rejected"
    inbox = obama_employee.get("/api/me/notifications").json()
    assert inbox["unread_count"] == 1
    notice = inbox["items"][0]
    assert notice["kind"] == "selfie_rejected"
    assert "เซลฟี" in notice["title_th"] and "Selfie" in notice["title_en"]
    assert "does not count as attendance" in notice["body_en"] and "ไม่นับเป็นเวลาทำงาน" in notice["body_th"]
    code = demo_org["employee1"].code
    month = punch["date"][:7]
    calendar = api.login("supervisor").get(f"/api/employees/{code}/calendar", params={"month": month}).json()
    shown = [p for day in calendar["days"] for p in day["punches"] if p["id"] == punch["id"]]
    assert shown and shown[0]["verification"]["status"] == "rejected"
    assert reasons(shown[0]["verification"]) == ["mismatch"]
    assert (shown[0]["standing"], shown[0]["standing_reason"]) == ("excluded", "selfie_rejected")
    day = next(day for day in calendar["days"] if day["date"] == punch["date"])
    assert [e["id"] for e in day["excluded_punches"]] == [punch["id"]]
    assert api.login("supervisor").get(f"/api/punches/{punch['id']}/selfie").status_code == 200
    assert api.login("employee2").get(f"/api/punches/{punch['id']}/selfie").status_code == 404


def test_multipart_retry_with_the_same_key_is_the_same_punch(obama_employee):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = selfie_punch(obama_employee, photo_bytes("obama2.jpg"), headers=key)
    again = selfie_punch(obama_employee, photo_bytes("obama2.jpg"), headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other_photo = selfie_punch(obama_employee, photo_bytes("obama3.jpg"), headers=key)
    assert other_photo.status_code == 409 and other_photo.json()["code"] == "idempotency_key_reused"
    assert wait_for_verdict(obama_employee, first.json()["id"])["status"] == "verified"


def test_bad_selfie_uploads_are_refused(obama_employee):
    assert selfie_punch(obama_employee, b"plain text").json()["code"] == "photo_type_unsupported"
    form = {"direction": "in", "latitude": "13.8620", "longitude": "100.5125"}
    missing = obama_employee.post("/api/punches", data=form, files={"photo": ("x.jpg", b"x")})
    assert missing.status_code == 422 and missing.json()["code"] == "selfie_missing"
    wrong = selfie_punch(obama_employee, photo_bytes("obama2.jpg"), latitude="north")
    assert wrong.status_code == 422 and "latitude" in wrong.json()["errors"]


def test_selfies_are_purged_after_retention_but_the_verdict_stays(obama_employee, session_factory, settings):
    from engine.face_checks.scheduled import purge_selfies

    punch, verdict = punch_and_verdict(obama_employee, photo_bytes("obama2.jpg"))
    assert purge_selfies(session_factory, settings, now=utcnow() + timedelta(days=89)) == 0
    assert purge_selfies(session_factory, settings, now=utcnow() + timedelta(days=91)) == 1
    assert obama_employee.get(f"/api/punches/{punch['id']}/selfie").status_code == 404
    assert obama_employee.get(f"/api/punches/{punch['id']}").json()["verification"]["status"] == "verified"
    with session_factory() as session:
        row = session.scalar(select(FaceVerification).where(FaceVerification.punch_id == punch["id"]))
        assert row.fingerprint["sha256"] and len(row.fingerprint["embedding"]) == 128


def test_calendar_loads_verdicts_in_one_batch(db_session, settings, demo_org, db_engine):
    """The number of queries for a month does not grow with the number of selfie punches."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from engine.attendance.calendar import month_calendar
    from engine.attendance.thai_calendar import parse_month
    from engine.directory.service import get_employee_by_code
    from engine.attendance.ledger import append_punch
    from engine.models import Punch

    employee = get_employee_by_code(session=db_session, code=demo_org["employee1"].code)

    def queries_for_month() -> int:
        db_session.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db_engine, "before_cursor_execute", listener)
        try:
            calendar = month_calendar(session=db_session, settings=settings, employee=employee,
                                      month=parse_month("2026-03"), now=datetime(2026, 4, 1, tzinfo=ZoneInfo("UTC")))
            shown = [p.verification["status"] for day in calendar["days"] for p in day["punches"]]
        finally:
            event.remove(db_engine, "before_cursor_execute", listener)
        assert shown and set(shown) == {"verified"}
        return len(statements)

    def selfie_punch_on(day: int, direction: str) -> None:
        at = datetime(2026, 3, day, 8, tzinfo=ZoneInfo("Asia/Bangkok"))
        punch = Punch(employee_id=employee.id, direction=direction, source="gps", recorded_at=at, effective_at=at,
                      offline=False, note="", address="", place_label="MOC-OPS", location_kind="office", flags=[],
                      verification_required=True)
        append_punch(session=db_session, punch=punch)
        db_session.add(FaceVerification(punch_id=punch.id, employee_id=employee.id, status="verified"))
        db_session.commit()

    selfie_punch_on(2, "in")
    one = queries_for_month()
    for day in range(3, 10):
        selfie_punch_on(day, "in")
    assert queries_for_month() == one
