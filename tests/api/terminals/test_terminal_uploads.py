"""Issue 11: terminal uploads of any size are stored whole or refused whole, never cut short.

Raw sockets where the framing matters (a declared length we must not wait for, a chunked body), the
simulator and requests for the rest.
"""
from __future__ import annotations

import socket
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from devices.attlog import format_attlog_line
from engine.models import Employee, Punch, UnmatchedDeviceRecord
from tests.support.terminals import EMP1, EMP2, put_on_terminal

LIMIT = 256 * 1024


def punch_count(session_factory) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count(Punch.id)).where(Punch.source == "face_terminal")) or 0


def attlog_lines(pins: list[str], per_pin: int, start: datetime) -> list[str]:
    """Distinct punches: every PIN once per second, going forward from `start`."""
    return [format_attlog_line(pin=pin, local_time=start + timedelta(seconds=second), state=second % 2)
            for second in range(per_pin) for pin in pins]


def raw_post(base_url: str, target: str, head: list[str], parts: list[bytes], *, chunked: bool) -> tuple[int, bytes]:
    """POST over a bare socket, sending `parts` from a thread while the answer is read here; (status, body)."""
    address = urlsplit(base_url)
    sock = socket.create_connection((address.hostname, address.port), timeout=30)
    framing = ["Transfer-Encoding: chunked"] if chunked else []
    request = "\r\n".join([f"POST {target} HTTP/1.1", f"Host: {address.netloc}", "User-Agent: iClock Proxy/1.09",
                           "Content-Type: text/plain", "Connection: close", *framing, *head, "", ""])

    def send() -> None:
        try:
            sock.sendall(request.encode())
            for part in parts:
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the rest was sent: that is the point

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + _length(answer):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    finally:
        sock.close()
        sender.join(timeout=10)
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 30


def test_a_declared_body_over_the_limit_is_refused_413_before_it_is_read(api, register, session_factory, settings):
    register("BIG001", pins=(EMP1,))
    started = time.monotonic()
    # Ten gigabytes announced, one line sent: an answer that waited for the body would never come.
    status, body = raw_post(api.base_url, "/iclock/cdata?SN=BIG001&table=ATTLOG",
                            [f"Content-Length: {10 * 1024 ** 3}"],
                            [format_attlog_line(pin=EMP1, local_time=datetime(2026, 12, 1, 8, 0)).encode() + b"\n"],
                            chunked=False)
    assert (status, body) == (413, b"Request Entity Too Large")
    assert time.monotonic() - started < 10
    just_over = requests.post(f"{api.base_url}/iclock/devicecmd?SN=BIG001",
                              data=b"x" * (settings.device_max_upload_bytes + 1))
    assert just_over.status_code == 413
    assert punch_count(session_factory) == 0


def test_a_chunked_body_over_the_limit_is_refused_413_never_ok_with_its_tail_dropped(app_with, session_factory):
    server, admin = app_with(device_max_upload_bytes=LIMIT)
    admin.post("/api/devices", json={"sn": "CHK001", "name": "chunked", "allowed_networks": ["127.0.0.0/8"]})
    with session_factory() as s:
        put_on_terminal(s, "CHK001", EMP1, EMP2)
    lines = attlog_lines([EMP1, EMP2], 4000, datetime(2026, 12, 1, 6, 0))
    body = "".join(line + "\n" for line in lines).encode()
    assert len(body) > LIMIT
    parts = [body[i:i + 8192] for i in range(0, len(body), 8192)]
    status, reply = raw_post(server.url, "/iclock/cdata?SN=CHK001&table=ATTLOG", [], parts, chunked=True)
    assert (status, reply) == (413, b"Request Entity Too Large")
    assert punch_count(session_factory) == 0  # nothing of it, not the first 256 KB

    # The terminal splits its batch: each half fits, is answered OK, and is stored to its last line.
    half = len(lines) // 4
    for batch in (lines[:half], lines[half:2 * half]):
        data = "".join(line + "\n" for line in batch).encode()
        status, reply = raw_post(server.url, "/iclock/cdata?SN=CHK001&table=ATTLOG", [],
                                 [data[i:i + 8192] for i in range(0, len(data), 8192)], chunked=True)
        assert (status, reply) == (200, b"OK")
    assert punch_count(session_factory) == 2 * half
    pin, when = lines[2 * half - 1].split("\t")[:2]
    with session_factory() as s:  # the batch's very last line is a punch
        assert s.scalar(select(func.count(Punch.id)).where(
            Punch.device_pin == pin, Punch.device_local_time == datetime.fromisoformat(when))) == 1


@pytest.mark.postgres_only
@pytest.mark.timeout(900)  # a minute and a half alone; its ledger check at teardown reads every chain
def test_a_hundred_thousand_lines_with_open_unmatched_records_are_not_refused_for_bind_parameters(
        api, register, device_admin, session_factory):
    # A hundred people, as at a busy entrance (and fewer ledger rounds than ten people punching all day).
    codes = [f"3000{number:03d}" for number in range(100)]
    with session_factory() as s:
        s.add_all([Employee(code=code, name_th=f"พนักงาน {code}", name_en=f"Employee {code}") for code in codes])
        s.commit()
    register("HUN001", pins=codes)
    url = f"{api.base_url}/iclock/cdata?SN=HUN001&table=ATTLOG&Stamp=9999"
    # An unknown PIN left open for review: the big batch must look for lines to resolve among every one it stores.
    assert requests.post(url, data="99999\t2026-11-20 08:00:00\t0\t15\n").text == "OK"
    lines = attlog_lines(codes, 1_000, datetime(2026, 11, 28, 6, 0))
    assert len(lines) == 100_000
    lines.insert(50_000, "1000\x005\t2026-11-28 07:00:00\t0\t15")  # one bad line (a NUL in its PIN) mid-batch
    body = "".join(line + "\n" for line in lines).encode()

    reply = requests.post(url, data=body, timeout=900)

    assert (reply.status_code, reply.text) == (200, "OK")
    assert punch_count(session_factory) == 100_000
    with session_factory() as s:
        reasons = sorted(s.scalars(select(UnmatchedDeviceRecord.reason).where(
            UnmatchedDeviceRecord.resolved_at.is_(None))))
    assert reasons == ["malformed line: bad PIN", "unknown PIN 99999: no employee has this code"]
