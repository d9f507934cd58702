import pytest

from devices.command_queue import BatchLimits, batch_commands, command_line, parse_command_reply
from devices.commands import face_photo_command, user_update_command


def _users(count, start=1):
    return [(i, user_update_command(pin=str(i), name=f"Person {i}")) for i in range(start, start + count)]


def test_empty_queue_replies_ok():
    batch = batch_commands([])
    assert (batch.body, batch.command_ids) == ("OK", [])


def test_commands_are_rendered_as_c_lines_in_order():
    batch = batch_commands([(7, "CHECK"), (8, "INFO")])
    assert batch.body == "C:7:CHECK\nC:8:INFO\n"
    assert batch.command_ids == [7, 8]
    assert parse_command_reply(batch.body) == [(7, "CHECK"), (8, "INFO")]


def test_at_most_200_commands_per_reply():
    queue = _users(250)
    first = batch_commands(queue)
    assert first.command_ids == list(range(1, 201))
    assert first.body.count("\n") == 200
    second = batch_commands([c for c in queue if c[0] not in first.command_ids])
    assert second.command_ids == list(range(201, 251))


def test_reply_stays_within_40_kb():
    queue = [(i, user_update_command(pin=str(i), name="N" * 900)) for i in range(1, 101)]
    batch = batch_commands(queue)
    assert len(batch.body.encode()) <= 40 * 1024
    assert 0 < len(batch.command_ids) < 100
    next_line = command_line(*queue[len(batch.command_ids)])
    assert len(batch.body.encode()) + len(next_line.encode()) > 40 * 1024


def test_one_face_photo_per_poll_and_order_is_kept():
    photo_a = face_photo_command(pin="1", jpeg=b"\xff\xd8" * 100)
    photo_b = face_photo_command(pin="2", jpeg=b"\xff\xd8" * 100)
    queue = [(1, user_update_command(pin="1", name="A")), (2, photo_a), (3, photo_b), (4, "CHECK")]
    assert batch_commands(queue).command_ids == [1]
    assert batch_commands(queue[1:]).command_ids == [2]
    assert batch_commands(queue[2:]).command_ids == [3]
    assert batch_commands(queue[3:]).command_ids == [4]


def test_oversized_heavy_command_still_goes_alone():
    huge = face_photo_command(pin="1", jpeg=bytes(60_000))
    batch = batch_commands([(1, huge), (2, "CHECK")])
    assert batch.command_ids == [1]
    assert len(batch.body.encode()) > 40 * 1024


def test_any_command_over_heavy_threshold_goes_alone():
    big = "SET OPTION Note=" + "x" * 21_000
    assert batch_commands([(1, "CHECK"), (2, big)]).command_ids == [1]
    assert batch_commands([(2, big), (3, "CHECK")]).command_ids == [2]


def test_reboot_ends_the_batch():
    assert batch_commands([(1, "CHECK"), (2, "REBOOT"), (3, "INFO")]).command_ids == [1, 2]


def test_gprs_limits_can_be_configured():
    limits = BatchLimits(max_commands=200, max_bytes=10 * 1024, heavy_bytes=5 * 1024)
    batch = batch_commands(_users(200), limits=limits)
    assert len(batch.body.encode()) <= 10 * 1024 and len(batch.command_ids) < 200


def test_byte_limit_counts_encoded_bytes():
    thai = [(i, user_update_command(pin=str(i), name="ส" * 300)) for i in range(1, 60)]
    batch = batch_commands(thai)
    assert len(batch.body.encode("utf-8")) <= 40 * 1024 < len(batch.body.encode("utf-8")) + 1000


def test_line_breaks_inside_a_command_are_refused():
    with pytest.raises(ValueError):
        batch_commands([(1, "CHECK\nREBOOT")])


def test_parse_command_reply_ignores_ok_and_junk():
    assert parse_command_reply("OK") == []
    assert parse_command_reply("C:x:CHECK\nC:5:INFO\r\n") == [(5, "INFO")]
