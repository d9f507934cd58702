"""The punch screen's server side over HTTP: where a position would be tagged, the likely button from the
day so far, the API's punch endpoint with the session cookie and CSRF header (what js/punch_outbox.js
sends), the verdict fragment open to the punch's viewers only, and the profile photo form's refusals."""
from __future__ import annotations

import re
import uuid

from tests.support.browser import demo_site_positions
from tests.support.http_browser import browser, csrf_token_of
from tests.support.punch_screen import moc_ops_site  # noqa: F401 (fixture)

INSIDE, OUTSIDE = demo_site_positions()


def _place(client, url, position, accuracy="10"):
    return client.get(f"{url}/punch/place", params={"latitude": position.latitude, "longitude": position.longitude,
                                                    "accuracy_m": accuracy}, timeout=30)


def _punch(client, url, token, **fields):
    body = {"direction": "in", "latitude": INSIDE.latitude, "longitude": INSIDE.longitude, "accuracy_m": 8, **fields}
    return client.post(f"{url}/api/punches", json=body, timeout=30,
                       headers={"Idempotency-Key": str(uuid.uuid4()), "X-CSRF-Token": token})


def _buttons(html: str) -> list[str]:
    return re.findall(r'data-direction="(in|out)"', html)


def test_the_place_of_a_position_before_punching(signed_in, live_app, moc_ops_site):
    client, _page = signed_in("employee1")
    inside = _place(client, live_app.url, INSIDE)
    assert inside.status_code == 200
    assert inside.json() == {"office": True, "site": "MOC-OPS", "text": "อยู่ในสถานที่ : MOC-OPS"}
    outside = _place(client, live_app.url, OUTSIDE).json()
    assert outside["office"] is False and outside["site"] is None
    assert outside["text"] == "นอกสถานที่ (ไม่อยู่ในสถานที่ปฏิบัติงานใด)"
    assert _place(client, live_app.url, INSIDE, accuracy="").json()["office"] is True
    bad = client.get(f"{live_app.url}/punch/place", params={"latitude": "north", "longitude": "1"}, timeout=30)
    assert bad.status_code == 422
    assert browser().get(f"{live_app.url}/punch/place", params={"latitude": 1, "longitude": 1},
                         allow_redirects=False, timeout=30).status_code == 302  # signed out: to sign in


def test_the_likely_button_comes_first_and_the_api_takes_the_session_with_its_csrf_token(signed_in, live_app,
                                                                                         moc_ops_site):
    client, _page = signed_in("employee1")
    screen = client.get(f"{live_app.url}/punch", timeout=30)
    assert screen.status_code == 200 and _buttons(screen.text) == ["in", "out"]
    assert "จัดตำแหน่งใบหน้าให้อยู่ในกรอบ" in screen.text and 'capture="user"' in screen.text
    token = csrf_token_of(client.get(f"{live_app.url}/settings", timeout=30).text)

    assert _punch(client, live_app.url, "not-the-token").status_code == 403
    made = _punch(client, live_app.url, token)
    assert made.status_code == 201, made.text
    assert made.json()["location_kind"] == "office"
    assert _buttons(client.get(f"{live_app.url}/punch", timeout=30).text) == ["out", "in"]

    verdict = client.get(f"{live_app.url}/punch/{made.json()['id']}/verdict", headers={"HX-Request": "true"},
                         timeout=30)
    assert verdict.status_code == 200
    assert f'href="/punches/{made.json()["id"]}"' in verdict.text and "MOC-OPS" in verdict.text
    assert "hx-trigger" not in verdict.text  # no selfie to wait for: nothing to poll

    peer, _ = signed_in("employee2")
    assert peer.get(f"{live_app.url}/punch/{made.json()['id']}/verdict", timeout=30).status_code == 404
    supervisor, _ = signed_in("supervisor")
    assert supervisor.get(f"{live_app.url}/punch/{made.json()['id']}/verdict", timeout=30).status_code == 200


def test_the_profile_photo_form_refuses_without_a_photo_or_its_token(signed_in, live_app):
    client, _page = signed_in("employee1")
    page = client.get(f"{live_app.url}/profile-photo", timeout=30)
    assert page.status_code == 200 and "การตั้งรูปโปรไฟล์" in page.text
    token = csrf_token_of(page.text)
    empty = client.post(f"{live_app.url}/profile-photo", data={"csrf_token": token},
                        files={"photo": ("empty.jpg", b"", "image/jpeg")}, timeout=30)
    assert empty.status_code == 422 and "กรอกข้อมูลไม่ครบหรือไม่ถูกต้อง" in empty.text
    not_a_photo = client.post(f"{live_app.url}/profile-photo", data={"csrf_token": token},
                              files={"photo": ("notes.txt", b"hello, not a photo", "text/plain")}, timeout=30)
    assert not_a_photo.status_code == 422 and "โปรดใช้รูปแบบ JPEG, PNG หรือ WebP" in not_a_photo.text
    forged = client.post(f"{live_app.url}/profile-photo", files={"photo": ("a.jpg", b"x", "image/jpeg")}, timeout=30)
    assert forged.status_code == 403
    assert client.get(f"{live_app.url}/profile-photo/image/1", timeout=30).status_code == 404  # none yet
