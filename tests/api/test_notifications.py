"""The notification list the web app's การแจ้งเตือน page and menu badge use: pages, the unread count,
marking one or all read, and nobody else's."""
from sqlalchemy import select

from engine.models import Employee
from engine.notifications.service import notify, unread_count


def make_notifications(session_factory, code: str, count: int) -> list[int]:
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == code))
        ids = [notify(session=session, recipient_id=employee.id, kind="request_approved", title_th=f"ข้อความ {n}",
                      title_en=f"Message {n}", data={"request_id": n + 1}).id for n in range(count)]
        session.commit()
        return ids


def test_the_list_pages_newest_first_with_the_unread_count(api, demo_org, session_factory):
    ids = make_notifications(session_factory, "100059150", 5)
    client = api.login("employee1")
    first = client.get("/api/me/notifications", params={"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == [ids[4], ids[3]]
    assert (first["unread_count"], first["next_before_id"]) == (5, ids[3])
    assert first["items"][0]["url"] == "/requests/5" and first["items"][0]["read"] is False
    make_notifications(session_factory, "100059150", 1)  # a new one arrives while paging: no gap, no repeat
    second = client.get("/api/me/notifications", params={"limit": 2, "before_id": first["next_before_id"]}).json()
    assert [i["id"] for i in second["items"]] == [ids[2], ids[1]]
    last = client.get("/api/me/notifications", params={"limit": 2, "before_id": second["next_before_id"]}).json()
    assert ([i["id"] for i in last["items"]], last["next_before_id"]) == ([ids[0]], None)


def test_the_badge_count_follows_marking_one_and_all_read(api, demo_org, session_factory):
    ids = make_notifications(session_factory, "100059150", 3)
    client = api.login("employee1")
    assert client.get("/api/me/notifications/unread-count").json() == {"unread_count": 3}
    assert client.post(f"/api/me/notifications/{ids[0]}/read").status_code == 204
    assert client.get("/api/me/notifications/unread-count").json() == {"unread_count": 2}
    assert [i["id"] for i in client.get("/api/me/notifications", params={"unread_only": "true"}).json()["items"]] \
        == [ids[2], ids[1]]
    assert client.post("/api/me/notifications/read").status_code == 204
    assert client.get("/api/me/notifications/unread-count").json() == {"unread_count": 0}
    with session_factory() as session:
        employee = session.scalar(select(Employee).where(Employee.code == "100059150"))
        assert unread_count(session=session, employee_id=employee.id) == 0


def test_someone_elses_notification_is_not_found(api, demo_org, session_factory):
    [theirs] = make_notifications(session_factory, "100059151", 1)
    reply = api.login("employee1").post(f"/api/me/notifications/{theirs}/read")
    assert (reply.status_code, reply.json()["code"]) == (404, "notification_not_found")
    assert api.login("employee2").get("/api/me/notifications/unread-count").json() == {"unread_count": 1}
    assert api.get("/api/me/notifications/unread-count").status_code == 401
