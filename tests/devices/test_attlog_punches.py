"""ATTLOG bodies resolved for one device: UTC instants, directions from the state map, verify methods."""
from datetime import datetime, timezone

from devices.attlog import read_punches
from devices.wire import decode_body


def test_attlog_body_becomes_canonical_punches():
    raw = "1001\t2025-06-02 08:45:00\t0\t15\t0\t0\t0\r\n1001\t2025-06-02 17:31:02\t1\t1\r\nbad\r\n".encode()
    punches, rejects = read_punches(decode_body(raw), tz="Asia/Bangkok")
    first, second = punches
    assert first.instant == datetime(2025, 6, 2, 1, 45, tzinfo=timezone.utc)
    assert first.local_time == datetime(2025, 6, 2, 8, 45)
    assert (first.direction, first.method.name, first.method.label_th) == ("in", "face", "ตรวจสอบใบหน้า")
    assert (second.direction, second.method.name) == ("out", "fingerprint")
    assert [(r.line_no, r.reason) for r in rejects] == [(3, "too few columns")]


def test_device_maps_are_applied():
    punches, _ = read_punches("7\t2025-06-02 12:00:00\t2\t4\n", tz="Asia/Bangkok",
                              state_map={"2": "out"}, verify_map={4: "pin"})
    assert (punches[0].state, punches[0].direction, punches[0].method.name) == (2, "out", "pin")
    unmapped, _ = read_punches("7\t2025-06-02 12:00:00\t255\t15\n", tz="Asia/Bangkok")
    assert (unmapped[0].state, unmapped[0].direction) == (255, None)


def test_a_time_the_zone_cannot_place_is_a_reject_not_an_error():
    punches, rejects = read_punches("7\t9999-12-31 23:00:00\t0\t15\n7\t2025-06-02 12:00:00\t1\t15\n",
                                    tz="America/New_York")
    assert [p.line_no for p in punches] == [2]
    assert [(r.line_no, r.reason.split(" (")[0]) for r in rejects] == [(1, "bad time")]
