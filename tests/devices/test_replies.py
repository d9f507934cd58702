from datetime import datetime, timezone

import pytest

from devices.replies import (
    HandshakeSettings, handshake_reply, http_date, parse_handshake_reply, time_reply, timezone_option,
)

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)


def test_handshake_block_starts_with_option_header_and_carries_options():
    body = handshake_reply(sn="CKJF201960996", settings=HandshakeSettings(delay=5), attlog_stamp="9999", now=NOW)
    assert body.startswith("GET OPTION FROM: CKJF201960996\n")
    assert body.endswith("\n") and "\r" not in body
    sn, options = parse_handshake_reply(body)
    assert sn == "CKJF201960996"
    assert options["Delay"] == "5"
    assert options["TimeZone"] == "420"
    assert options["Realtime"] == "1"
    assert options["ATTLOGStamp"] == "9999" and options["Stamp"] == "9999"
    assert options["PushProtVer"] == "2.4.1" and options["PushOptionsFlag"] == "1"
    assert options["TransFlag"].split("\t")[0] == "TransData AttLog"
    assert {"ErrorDelay", "ServerVer", "TransInterval", "OPERLOGStamp"} <= set(options)


@pytest.mark.parametrize("tz, fmt, expected", [
    ("Asia/Bangkok", "minutes", "420"),
    ("Asia/Bangkok", "hours", "7"),
    ("Asia/Bangkok", "hhmm", "+07:00"),
    ("Asia/Kolkata", "hours", "5.5"),
    ("America/New_York", "hhmm", "-05:00"),
    ("America/New_York", "minutes", "-300"),
    ("Asia/Bangkok", "omit", None),
])
def test_timezone_option_formats(tz, fmt, expected):
    assert timezone_option(tz, fmt, NOW) == expected


def test_timezone_option_follows_dst_at_the_given_instant():
    summer = datetime(2026, 7, 1, tzinfo=timezone.utc)
    assert timezone_option("America/New_York", "minutes", summer) == "-240"


def test_omitted_timezone_is_left_out_of_the_block():
    body = handshake_reply(sn="X", settings=HandshakeSettings(timezone_format="omit"), now=NOW)
    assert "TimeZone" not in body


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        HandshakeSettings(timezone_format="seconds")
    with pytest.raises(Exception):
        HandshakeSettings(timezone="Mars/Olympus")


def test_http_date_is_rfc1123_gmt():
    assert http_date(NOW) == "Thu, 15 Jan 2026 02:00:00 GMT"
    bangkok = datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc).astimezone()
    assert http_date(bangkok) == "Thu, 15 Jan 2026 09:00:00 GMT"


def test_time_reply_is_local_time_with_offset():
    assert time_reply(tz="Asia/Bangkok", now=NOW) == "Time=2026-01-15T09:00:00+07:00"
    assert time_reply(tz="America/New_York", now=NOW) == "Time=2026-01-14T21:00:00-05:00"


def test_parse_handshake_reply_rejects_other_bodies():
    with pytest.raises(ValueError):
        parse_handshake_reply("OK")
