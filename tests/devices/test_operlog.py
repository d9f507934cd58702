from datetime import datetime

from devices.operlog import OplogEntry, TaggedEntry, parse_operlog
from devices.wire import decode_body

# Lines captured from a real SpeedFace-V5L (ServerLog13.txt), base64 shortened.
OPERLOG_BODY = (
    "OPLOG 0\t0\t2020-06-23 13:19:24\t0\t0\t0\t0\n"
    "USER PIN=5\tName=yyyy\tPri=0\tPasswd=1\tCard=\tGrp=1\tTZ=0000000100000000\tVerify=-1\tViceCard=\t"
    "StartDatetime=0\tEndDatetime=0\n"
    "BIOPHOTO PIN=5\tFileName=5.jpg\tType=0\tSize=8\tContent=/9j/4AAQ\n"
)
BIODATA_BODY = (
    "BIODATA Pin=5\tNo=0\tIndex=0\tValid=1\tDuress=0\tType=9\tMajorVer=58\tMinorVer=10\tFormat=0\tTmp=QUJD\n"
)


def test_real_operlog_lines_parse_in_order():
    entries, rejects = parse_operlog(OPERLOG_BODY)
    assert rejects == []
    oplog, user, photo = entries
    assert isinstance(oplog, OplogEntry)
    assert (oplog.op_code, oplog.operation, oplog.admin) == (0, "power on", "0")
    assert oplog.local_time == datetime(2020, 6, 23, 13, 19, 24)
    assert oplog.objects == ("0", "0", "0", "0")
    assert isinstance(user, TaggedEntry) and user.tag == "USER"
    assert (user.pin, user.fields["Name"], user.fields["verify"], user.fields["Card"]) == ("5", "yyyy", "-1", "")
    assert photo.tag == "BIOPHOTO" and photo.fields["filename"] == "5.jpg"
    assert photo.content_size_matches() is True


def test_biodata_keys_are_case_insensitive():
    entries, rejects = parse_operlog(BIODATA_BODY.replace("\n", "\r\n"))
    assert rejects == []
    (biodata,) = entries
    assert biodata.tag == "BIODATA"
    assert biodata.pin == "5"  # sent as `Pin=`
    assert (biodata.fields["TYPE"], biodata.fields["tmp"], biodata.fields["MajorVer"]) == ("9", "QUJD", "58")


def test_size_mismatch_is_detected():
    entries, _ = parse_operlog("BIOPHOTO PIN=5\tType=9\tSize=100\tContent=/9j/4AAQ\n")
    assert entries[0].content_size_matches() is False
    entries, _ = parse_operlog("USER PIN=5\tName=x\n")
    assert entries[0].content_size_matches() is None


def test_gbk_user_name_survives_decoding():
    raw = "USER PIN=0007\tName=王小明\tPri=0\n".encode("gbk")
    entries, _ = parse_operlog(decode_body(raw))
    assert (entries[0].pin, entries[0].fields["name"]) == ("0007", "王小明")


def test_malformed_operlog_lines_are_rejected_with_line_numbers():
    body = "OPLOG x\t0\t2020-06-23 13:19:24\nOPLOG 4\t0\nUSER\nFP nokeys\nOPLOG 4\t1\tnot-a-time\nOPLOG 4\t1\t2020-06-23 13:19:24\n"
    entries, rejects = parse_operlog(body)
    assert [(r.line_no, r.reason) for r in rejects] == [
        (1, "bad operation code"), (2, "too few columns"), (3, "no tag or no fields"),
        (4, "no Key=Value fields"), (5, "bad time"),
    ]
    assert len(entries) == 1 and entries[0].operation == "enter menu"
