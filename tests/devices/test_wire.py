from devices.wire import FieldMap, decode_body, numbered_lines, parse_key_values, split_lines


def test_utf8_body_decodes_with_default_codec():
    assert decode_body("สมชาย".encode("utf-8")) == "สมชาย"


def test_gbk_bytes_fall_back_to_gb18030_when_utf8_fails():
    raw = "USER PIN=5\tName=张伟".encode("gbk")
    assert decode_body(raw) == "USER PIN=5\tName=张伟"


def test_configured_codec_is_used_first():
    raw = "张伟".encode("gb18030")
    assert decode_body(raw, "gb18030") == "张伟"


def test_unknown_codec_name_still_decodes():
    assert decode_body(b"OK", "no-such-codec") == "OK"


def test_split_lines_handles_lf_crlf_and_trailing_break():
    assert split_lines("a\r\nb\nc\r\n") == ["a", "b", "c"]
    assert split_lines("a\nb") == ["a", "b"]
    assert split_lines("") == []


def test_numbered_lines_skip_blanks_but_keep_physical_numbers():
    assert list(numbered_lines("a\n\n  \nb\n")) == [(1, "a"), (4, "b")]


def test_field_map_is_case_insensitive_and_keeps_original_keys():
    fields = parse_key_values(["Pin=5", "TMP=abc==", "Valid=1"])
    assert fields["PIN"] == "5" and fields["pin"] == "5"
    assert fields["tmp"] == "abc=="  # only the first '=' separates key and value
    assert list(fields) == ["Pin", "TMP", "Valid"]
    assert "VALID" in fields and "Missing" not in fields
    assert isinstance(fields, FieldMap)
