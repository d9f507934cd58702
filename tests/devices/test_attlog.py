from datetime import datetime, timezone

from devices.attlog import format_attlog_line, parse_attlog
from devices.wire import decode_body

DOC_EXAMPLE = "982\t2008-02-25 12:08:21\t1\t0\t9001\n982\t2008-02-25 18:01:09\t1\t0\t9001\n"


def test_documented_example_parses_into_two_punches():
    records, rejects = parse_attlog(DOC_EXAMPLE)
    assert rejects == []
    assert [(r.pin, r.local_time, r.state, r.verify, r.workcode) for r in records] == [
        ("982", datetime(2008, 2, 25, 12, 8, 21), 1, 0, "9001"),
        ("982", datetime(2008, 2, 25, 18, 1, 9), 1, 0, "9001"),
    ]
    assert records[0].raw == "982\t2008-02-25 12:08:21\t1\t0\t9001"
    assert records[0].local_time.tzinfo is None


def test_crlf_and_lf_bodies_give_the_same_records():
    lf, _ = parse_attlog(DOC_EXAMPLE)
    crlf, _ = parse_attlog(DOC_EXAMPLE.replace("\n", "\r\n"))
    assert crlf == lf


def test_face_punch_with_mask_and_temperature_columns():
    records, rejects = parse_attlog("1001\t2025-09-02 08:01:13\t0\t15\t0\t0\t0\t1\t36.5\n")
    assert rejects == []
    record = records[0]
    assert (record.state, record.verify, record.mask_flag, record.temperature) == (0, 15, 1, 36.5)


def test_two_column_line_is_accepted_with_unknown_codes():
    records, rejects = parse_attlog("7\t2025-01-01 08:00:00")
    assert rejects == []
    assert (records[0].state, records[0].verify, records[0].workcode) == (None, None, "")
    assert records[0].mask_flag is None and records[0].temperature is None


def test_leading_zero_pin_is_kept():
    records, _ = parse_attlog("00042\t2025-01-01 08:00:00\t0\t15\n")
    assert records[0].pin == "00042"


def test_epoch_time_is_an_absolute_instant():
    records, rejects = parse_attlog("5\t1735714800\t0\t15\n")  # 2025-01-01T07:00:00Z
    assert rejects == []
    record = records[0]
    assert record.local_time is None and record.epoch_seconds == 1735714800
    assert record.instant("Asia/Bangkok") == datetime(2025, 1, 1, 7, 0, tzinfo=timezone.utc)
    assert record.wall_clock("Asia/Bangkok") == datetime(2025, 1, 1, 14, 0)


def test_bangkok_wall_clock_converts_to_utc():
    records, _ = parse_attlog("1001\t2025-06-02 08:45:00\t0\t15\n")
    assert records[0].instant("Asia/Bangkok") == datetime(2025, 6, 2, 1, 45, tzinfo=timezone.utc)
    assert records[0].wall_clock("Asia/Bangkok") == datetime(2025, 6, 2, 8, 45)


def test_malformed_lines_become_rejects_with_line_numbers():
    body = "\n".join([
        "1\t2025-01-01 08:00:00\t0\t15",   # 1 ok
        "only-one-column",                 # 2
        "\t2025-01-01 08:00:00\t0\t15",    # 3 empty PIN
        "3\t2025-13-01 08:00:00\t0\t15",   # 4 bad month
        "",                                # 5 blank, skipped
        "4\tyesterday\t0\t15",             # 6
        "7\t2025-01-01 17:00:00\t1\t15",   # 7 ok
    ]) + "\n"
    records, rejects = parse_attlog(body)
    assert [r.line_no for r in records] == [1, 7]
    assert [(r.line_no, r.reason) for r in rejects] == [
        (2, "too few columns"), (3, "empty PIN"), (4, "bad time"), (6, "bad time"),
    ]
    assert rejects[0].raw == "only-one-column"


def test_garbled_codes_keep_the_punch_without_them():
    records, rejects = parse_attlog("5\t2025-01-01 09:00:00\tin\tface\n")
    assert rejects == []
    assert (records[0].pin, records[0].state, records[0].verify) == ("5", None, None)
    assert records[0].raw == "5\t2025-01-01 09:00:00\tin\tface"


def test_gb18030_body_with_crlf_parses_after_decoding():
    raw = "1001\t2025-01-01 08:00:00\t0\t15\t张伟\r\n".encode("gb18030")
    records, rejects = parse_attlog(decode_body(raw))
    assert rejects == [] and records[0].workcode == "张伟"


def test_format_attlog_line_round_trips():
    line = format_attlog_line(pin="0012", local_time=datetime(2025, 3, 4, 5, 6, 7), state=1, verify=15)
    assert line == "0012\t2025-03-04 05:06:07\t1\t15\t0\t0\t0"
    records, _ = parse_attlog(line)
    assert (records[0].pin, records[0].state) == ("0012", 1)
