"""The punch detail over HTTP: a GPS punch with its note, flags, selfie verdict, hr's acceptance and the
map's data; a face-terminal punch in the training material's words with the profile photo; the pictures
only for those who may see the punch, and the same 404 page as an unknown punch for anyone else."""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta

from engine.attendance.thai_calendar import thai_date_short
from tests.support.punch_details import ACCEPTANCE_REASON, NOTE, seed_detailed_punches
from tests.support.web_month import last_month


def _day():
    """The Tuesday of last month's first full week."""
    month = last_month()
    return month.first_day + timedelta(days=(7 - month.first_day.weekday()) % 7 + 1)


def _text(page) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_gps_punch_shows_everything_the_training_material_lists(live_app, signed_in, session_factory):
    punches = seed_detailed_punches(session_factory, _day())
    client, _ = signed_in("employee1")
    page = client.get(f"{live_app.url}/punches/{punches.gps_id}", timeout=30)
    assert page.status_code == 200
    text = _text(page.text)
    assert "บันทึกเวลาทำงาน (GPS)" in text
    assert "100059150 : นายกิตติพัฒน์ สุขประเสริฐ" in text
    assert f"วันที่/เวลา : {thai_date_short(punches.day)} 08:41:07" in text
    assert f"สถานที่ : {punches.site_name}" in text
    assert f"หมายเหตุ : {NOTE}" in text
    assert "ภาพใบหน้า : ตรวจสอบใบหน้าไม่ผ่าน" in text
    assert ACCEPTANCE_REASON in text
    assert f'src="/punches/{punches.gps_id}/selfie"' in page.text
    data = json.loads(html.unescape(re.search(r'id="punch-map-data">(.*?)</script>', page.text, re.S).group(1)))
    assert data["accuracy_m"] == 25.0 and data["tiles"] is None
    assert [site["name"] for site in data["sites"]] == [punches.site_name] and data["sites"][0]["own"]
    english = _text(client.get(f"{live_app.url}/punches/{punches.gps_id}", cookies={"opsta_lang": "en"},
                               timeout=30).text)
    day = punches.day
    assert "Time record (GPS)" in english and f"Date/time : {day.day}/{day.month}/{day.year} 08:41:07" in english
    assert "Accepted by HR" in english and "บันทึกเวลาทำงาน" not in english
    selfie = client.get(f"{live_app.url}/punches/{punches.gps_id}/selfie", timeout=30)
    assert selfie.status_code == 200 and selfie.headers["Content-Type"] == "image/jpeg"
    assert "private" in selfie.headers["Cache-Control"]


def test_a_face_terminal_punch_reads_as_the_terminals_record(live_app, signed_in, session_factory):
    punches = seed_detailed_punches(session_factory, _day())
    client, _ = signed_in("supervisor")
    page = client.get(f"{live_app.url}/punches/{punches.terminal_id}", timeout=30)
    text = _text(page.text)
    for line in ("บันทึกเวลาโดย ตรวจสอบใบหน้า", "ประเภทการเข้า/ออก : ลงเวลาออก", "รหัสบุคลากร : 100059150",
                 "ชื่อ : นายกิตติพัฒน์ สุขประเสริฐ", f"วันที่/เวลา : {thai_date_short(punches.day)} 16:33:00",
                 "ชื่อเครื่องอ่าน : MOC-OPS", "ประเภทบันทึกเวลา : ตรวจสอบใบหน้า"):
        assert line in text, line
    assert "punch-map-data" not in page.text
    photo = client.get(f"{live_app.url}/punches/{punches.terminal_id}/profile-photo", timeout=30)
    assert photo.status_code == 200 and photo.content.startswith(b"\xff\xd8")


def test_a_peer_gets_the_same_404_for_the_punch_and_its_pictures_as_for_nothing(live_app, signed_in,
                                                                                session_factory):
    punches = seed_detailed_punches(session_factory, _day())
    client, _ = signed_in("employee2")
    unknown = client.get(f"{live_app.url}/punches/999999", timeout=30)
    assert unknown.status_code == 404
    for path in (f"/punches/{punches.gps_id}", f"/punches/{punches.gps_id}/selfie",
                 f"/punches/{punches.terminal_id}/profile-photo", "/punches/999999/selfie"):
        reply = client.get(live_app.url + path, timeout=30)
        assert reply.status_code == 404, path
        assert reply.text == unknown.text, path
