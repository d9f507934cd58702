from devices.command_results import CommandResult, explain_return_code, format_devicecmd, parse_devicecmd


def test_single_documented_result():
    assert parse_devicecmd("ID=12&Return=0&CMD=DATA") == [CommandResult(12, 0, "DATA")]


def test_real_batched_results_one_per_line():
    body = "ID=1&Return=0&CMD=DATA\nID=2&Return=-10&CMD=DATA\nID=3&Return=0&CMD=CHECK\n"
    results = parse_devicecmd(body)
    assert [(r.id, r.return_code, r.cmd) for r in results] == [(1, 0, "DATA"), (2, -10, "DATA"), (3, 0, "CHECK")]
    assert [r.ok for r in results] == [True, False, True]


def test_crlf_and_sn_field_are_tolerated():
    results = parse_devicecmd("ID=4&Return=-1002&CMD=USER&SN=ABC\r\nID=5&Return=0&CMD=DATA\r\n")
    assert [(r.id, r.return_code, r.extra) for r in results] == [(4, -1002, {"SN": "ABC"}), (5, 0, {})]


def test_multi_line_shell_result_with_content():
    body = "ID=32\nReturn=0\nCMD=Shell\nContent=Tue Mar 24 16:12:26 GMT 2026\n"
    (result,) = parse_devicecmd(body)
    assert (result.id, result.return_code, result.cmd) == (32, 0, "Shell")
    assert result.extra == {"Content": "Tue Mar 24 16:12:26 GMT 2026"}


def test_info_result_collects_option_lines():
    body = "ID=9&Return=0&CMD=INFO\n~DeviceName=SpeedFace\nUserCount=12\nID=10&Return=0&CMD=DATA\n"
    info, data = parse_devicecmd(body)
    assert info.cmd == "INFO"
    assert info.extra == {"~DeviceName": "SpeedFace", "UserCount": "12"}
    assert (data.id, data.cmd) == (10, "DATA")


def test_records_without_integer_id_or_return_are_dropped():
    assert parse_devicecmd("ID=abc&Return=0&CMD=DATA\nID=3&CMD=DATA\n\nID=4&Return=0&CMD=DATA") == [
        CommandResult(4, 0, "DATA")]


def test_format_round_trips():
    results = [CommandResult(1, 0, "DATA"), CommandResult(2, -2, "DATA")]
    assert format_devicecmd(results) == "ID=1&Return=0&CMD=DATA\nID=2&Return=-2&CMD=DATA\n"
    assert parse_devicecmd(format_devicecmd(results)) == results


def test_return_codes_are_explained():
    assert explain_return_code(0) == "success"
    assert "PIN does not exist" in explain_return_code(-10)
    assert "not supported" in explain_return_code(-1002)
    assert explain_return_code(-777) == "unknown error -777"
