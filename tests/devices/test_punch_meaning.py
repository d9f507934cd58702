from datetime import datetime, timezone

import pytest

from devices.punch_meaning import local_to_utc, punch_direction, utc_to_local, verify_method


def test_bangkok_morning_is_previous_hours_in_utc():
    assert local_to_utc(datetime(2025, 6, 2, 8, 45), "Asia/Bangkok") == datetime(2025, 6, 2, 1, 45,
                                                                                 tzinfo=timezone.utc)


def test_conversion_follows_dst_of_the_configured_zone():
    winter = local_to_utc(datetime(2025, 1, 15, 9, 0), "Europe/Berlin")
    summer = local_to_utc(datetime(2025, 7, 15, 9, 0), "Europe/Berlin")
    assert (winter.hour, summer.hour) == (8, 7)


def test_utc_to_local_is_the_inverse():
    instant = datetime(2025, 6, 2, 1, 45, tzinfo=timezone.utc)
    assert utc_to_local(instant, "Asia/Bangkok") == datetime(2025, 6, 2, 8, 45)


def test_default_state_map_gives_in_and_out_and_none_otherwise():
    assert punch_direction(0) == "in"
    assert punch_direction(1) == "out"
    assert punch_direction(255) is None
    assert punch_direction(None) is None


def test_per_device_state_map_overrides_default():
    state_map = {"0": "in", "1": "out", "2": "out", "3": "in"}
    assert punch_direction(2, state_map) == "out"
    assert punch_direction(1, {"1": "in"}) == "in"


@pytest.mark.parametrize("code, name, label", [
    (15, "face", "ตรวจสอบใบหน้า"),
    (1, "fingerprint", "ตรวจสอบลายนิ้วมือ"),
    (0, "password", "รหัสผ่าน"),
    (2, "card", "บัตร"),
    (4, "card", "บัตร"),
    (25, "palm", "ตรวจสอบฝ่ามือ"),
    (3, "pin", "รหัสประจำตัว (PIN)"),
    (99, "other", "อื่น ๆ"),
    (None, "other", "อื่น ๆ"),
])
def test_verify_codes_are_named_in_english_and_thai(code, name, label):
    method = verify_method(code)
    assert (method.code, method.name, method.label_th) == (code, name, label)


def test_verify_map_can_be_overridden_per_model():
    assert verify_method(4, {4: "pin"}).name == "pin"
    assert verify_method(15, {4: "pin"}).name == "other"
