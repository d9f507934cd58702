import base64
from datetime import datetime

import pytest

from devices.commands import (
    attlog_query_command, check_pin, clean_value, face_photo_command, face_photo_delete_command,
    parse_command, user_delete_command, user_update_command,
)


def test_user_update_command_layout():
    text = user_update_command(pin="0042", name="สมชาย ใจดี")
    assert text == ("DATA UPDATE USERINFO PIN=0042\tName=สมชาย ใจดี\tPri=0\tPasswd=\tCard=\tGrp=1"
                    "\tTZ=0000000100000000")


def test_user_update_with_admin_privilege_and_verify_mode():
    text = user_update_command(pin="1", name="Admin", privilege=14, card="123", verify_mode=-1)
    fields = parse_command(text).fields
    assert (fields["Pri"], fields["Card"], fields["Verify"]) == ("14", "123", "-1")


def test_names_lose_tabs_and_line_breaks():
    text = user_update_command(pin="7", name="John\tDoe\r\nJr")
    assert "\n" not in text and "\r" not in text
    assert parse_command(text).fields["Name"] == "John Doe Jr"
    assert clean_value("  a\t\tb  ") == "a b"


@pytest.mark.parametrize("pin", ["", " 12", "1\t2", "1\n", "1 2", 12])
def test_unsafe_pins_are_refused(pin):
    with pytest.raises(ValueError):
        check_pin(pin)


def test_pin_is_opaque_and_keeps_leading_zeros():
    assert check_pin("000123") == "000123"
    assert "PIN=000123" in user_delete_command(pin="000123")


def test_delete_commands():
    assert user_delete_command(pin="1001") == "DATA DELETE USERINFO PIN=1001"
    assert face_photo_delete_command(pin="1001") == "DATA DELETE BIOPHOTO PIN=1001"


def test_face_photo_size_is_the_base64_length_not_the_byte_count():
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10 + b"\xff\xd9"
    text = face_photo_command(pin="1001", jpeg=jpeg)
    command = parse_command(text)
    assert command.words == ("DATA", "UPDATE", "BIOPHOTO")
    content = command.fields["Content"]
    assert int(command.fields["Size"]) == len(content) != len(jpeg)
    assert base64.b64decode(content) == jpeg
    assert text.endswith("\tFormat=0\tUrl=\tPostBackTmpFlag=0")
    assert command.fields["Type"] == "9"


def test_attlog_query_uses_iso_local_times():
    text = attlog_query_command(start=datetime(2025, 1, 1), end=datetime(2025, 1, 31, 23, 59, 59))
    assert text == "DATA QUERY ATTLOG StartTime=2025-01-01T00:00:00\tEndTime=2025-01-31T23:59:59"
    with pytest.raises(ValueError):
        attlog_query_command(start=datetime(2025, 2, 1), end=datetime(2025, 1, 1))


def test_parse_command_without_fields():
    assert parse_command("CLEAR LOG").words == ("CLEAR", "LOG")
    assert parse_command("CHECK").verb == "CHECK"
    assert len(parse_command("CHECK").fields) == 0
