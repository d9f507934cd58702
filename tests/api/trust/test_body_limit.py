"""Request body size (issue 11): an oversized API body is refused with 413 before it is read."""
import socket
import time
from urllib.parse import urlparse

import pytest

from tests.support.api_client import ApiClient
from tests.support.live_server import serving
from tests.support.settings import make_settings

LIMIT = 64_000


@pytest.fixture(scope="module")
def small_bodies(database_url):
    with serving(make_settings(database_url, api_max_body_bytes=LIMIT)) as server:
        yield server


def raw_exchange(server, head: bytes, body_parts=(), pause=0.0) -> bytes:
    address = urlparse(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(head)
        for part in body_parts:
            try:
                conn.sendall(part)
            except OSError:
                break  # the server answered and closed without reading the rest: what we want
            time.sleep(pause)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_declared_oversized_api_body_is_refused_with_413_before_it_is_read(small_bodies, demo_org):
    client = ApiClient(small_bodies.url).login("employee1")
    token = client.headers["Authorization"]
    host = urlparse(small_bodies.url).netloc
    head = (f"POST /api/punches HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {50_000_000}\r\nConnection: close\r\n\r\n").encode()
    started = time.perf_counter()
    reply = raw_exchange(small_bodies, head)  # not one byte of the 50 MB is sent
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"application/problem+json" in reply and b'"code": "payload_too_large"' in reply
    assert time.perf_counter() - started < 5


def test_chunked_oversized_api_body_is_refused_with_413_not_cut(small_bodies, demo_org):
    client = ApiClient(small_bodies.url).login("employee1")
    # A generator body goes out chunked, without Content-Length: 128 KB of valid JSON, whose first
    # 64 KB alone would be malformed JSON (a cut body would be answered 400 malformed_json, not 413).
    document = b'{"direction": "in", "note": "' + b"n" * 128_000 + b'"}'
    parts = (document[i:i + 16_000] for i in range(0, len(document), 16_000))
    reply = client.post("/api/punches", data=parts, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413, reply.text
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["code"] == "payload_too_large"
    small = b'{"direction": "in", "note": "' + b"n" * 4_000 + b'"}'
    reply = client.post("/api/punches", data=(small[i:i + 1000] for i in range(0, len(small), 1000)),
                        headers={"Content-Type": "application/json"})
    assert reply.status_code == 422 and "latitude" in reply.text  # read whole: judged on its fields


def test_bodies_under_the_limit_and_outside_api_are_not_affected(small_bodies, demo_org):
    client = ApiClient(small_bodies.url).login("employee1")
    reply = client.post("/api/punches", json={"direction": "in", "latitude": 13.862, "longitude": 100.5125,
                                             "accuracy_m": 10, "note": "n" * 400})
    assert reply.status_code in (201, 422), reply.text  # judged on its content, not its size
    assert reply.json().get("code") != "payload_too_large"
