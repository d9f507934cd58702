"""Punches of one employee arriving at the same moment: a double tap, a retry racing its original.

Appends are optimistic (the ledger head moves by compare-and-swap), so these races are where a chain
could fork or a punch be stored twice. Each request goes over its own HTTP connection.
"""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from engine.attendance.ledger_audit import verify_chains
from tests.support.api_client import ApiClient

OFFICE = {"latitude": 13.8620, "longitude": 100.5125, "accuracy_m": 10}


def post_together(api, token: str, bodies_and_keys: list[tuple[dict, str]]):
    """POST every (body, key) at once, each from its own client; the replies in the same order."""
    start = threading.Barrier(len(bodies_and_keys))

    def post(body_and_key):
        body, key = body_and_key
        with ApiClient(api.base_url, token) as client:
            start.wait()
            return client.post("/api/punches", json=body, headers={"Idempotency-Key": key})

    with ThreadPoolExecutor(max_workers=len(bodies_and_keys)) as pool:
        return list(pool.map(post, bodies_and_keys))


def token_of(api, username: str) -> str:
    return api.login(username).headers["Authorization"].removeprefix("Bearer ")


def test_simultaneous_punches_of_one_employee_all_land_on_one_unbroken_chain(api, moc_site, session_factory):
    employee = api.login("employee1")
    bodies = [({**OFFICE, "direction": "in" if n % 2 == 0 else "out", "note": f"tap {n}"}, str(uuid.uuid4()))
              for n in range(12)]
    replies = post_together(api, token_of(api, "employee1"), bodies)

    assert [reply.status_code for reply in replies] == [201] * 12, [r.text for r in replies if r.status_code != 201]
    assert len({reply.json()["id"] for reply in replies}) == 12
    history = employee.get("/api/me/punches", params={"page_size": 50}).json()
    assert history["total"] == 12
    assert sorted(item["note"] for item in history["items"]) == sorted(body["note"] for body, _ in bodies)
    with session_factory() as session:
        audit = verify_chains(session=session)
    assert (audit.chains, audit.punches, audit.broken) == (1, 12, [])


def test_retries_racing_their_original_store_one_punch(api, moc_site, session_factory):
    key = str(uuid.uuid4())
    replies = post_together(api, token_of(api, "employee1"), [({**OFFICE, "direction": "in"}, key)] * 8)

    statuses = sorted(reply.status_code for reply in replies)
    assert statuses == [200] * 7 + [201], [reply.text for reply in replies]
    assert len({reply.json()["id"] for reply in replies}) == 1
    assert api.login("employee1").get("/api/me/punches").json()["total"] == 1
    with session_factory() as session:
        audit = verify_chains(session=session)
    assert (audit.punches, audit.broken) == (1, [])


def test_a_different_body_racing_under_the_same_key_is_refused(api, moc_site):
    key = str(uuid.uuid4())
    replies = post_together(api, token_of(api, "employee1"),
                            [({**OFFICE, "direction": "in"}, key), ({**OFFICE, "direction": "out"}, key)])

    assert sorted(reply.status_code for reply in replies) == [201, 409]
    refused = next(reply for reply in replies if reply.status_code == 409)
    assert refused.json()["code"] == "idempotency_key_reused"
    assert api.login("employee1").get("/api/me/punches").json()["total"] == 1
