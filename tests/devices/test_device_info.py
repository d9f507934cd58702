from devices.device_info import parse_bio_support, parse_info, parse_options

REAL_OPTIONS = (
    "~DeviceName=SpeedFace-V5L[TD],MAC=00:17:61:12:e5:41,TransactionCount=0,~MaxAttLogCount=20,UserCount=1,"
    "~MaxUserCount=100,PhotoFunOn=1,~MaxUserPhotoCount=2500,FingerFunOn=1,FPVersion=10,~MaxFingerCount=60,"
    "FPCount=1,FaceFunOn=1,FaceVersion=58,~MaxFaceCount=6000,FaceCount=0,FvFunOn=0,FvVersion=3,~MaxFvCount=10,"
    "FvCount=0,PvFunOn=1,PvVersion=12,~MaxPvCount=3000,PvCount=0,Language=69,IPAddress=192.168.54.216,"
    "~Platform=ZAM170_TFT,~OEMVendor=ZKTeco Co., Ltd.,FWVersion=ZAM170-NF-Ver1.1.27,"
    "PushVersion=Ver 2.0.32S-20200506,RegDeviceType=,VisilightFun=1,MultiBioDataSupport=0:1:0:0:0:0:0:0:1:1,"
    "MultiBioPhotoSupport=0:0:0:0:0:0:0:0:0:1,IRTempDetectionFunOn=1,MaskDetectionFunOn=1,UserPicURLFunOn=,"
    "VisualIntercomFunOn=,VideoTID="
)


def test_real_options_upload_keeps_comma_inside_vendor_name():
    options = parse_options(REAL_OPTIONS)
    assert options["OEMVendor"] == "ZKTeco Co., Ltd."
    assert options["DeviceName"] == "SpeedFace-V5L[TD]"  # leading ~ stripped
    assert options["MAC"] == "00:17:61:12:e5:41"
    assert options["PushVersion"] == "Ver 2.0.32S-20200506"
    assert options["RegDeviceType"] == "" and options["VideoTID"] == ""
    assert options["FWVersion"] == "ZAM170-NF-Ver1.1.27"
    assert len(options) == 39  # 39 `Key=` pieces; " Ltd." joins OEMVendor


def test_bio_support_bitmaps_of_10_or_11_entries():
    assert parse_bio_support("0:1:0:0:0:0:0:0:1:1") == {1, 8, 9}
    assert parse_bio_support("0:0:0:0:0:0:0:0:0:1:0") == {9}
    assert parse_bio_support("") == frozenset()


def test_real_ten_field_info():
    info = parse_info("INFO=ZAM170-NF-Ver1.1.27,1,1,0,192.168.54.216,10,58,12,0,11110")
    assert info.firmware == "ZAM170-NF-Ver1.1.27"
    assert (info.user_count, info.fingerprint_count, info.attlog_count) == (1, 1, 0)
    assert info.ip == "192.168.54.216"
    assert (info.fingerprint_version, info.face_version, info.palm_version) == ("10", "58", "12")
    assert (info.face_count, info.support_bits) == (0, "11110")


def test_documented_nine_field_info_and_short_info():
    info = parse_info("Ver 6.39,120,80,3021,10.0.0.5,10,7,95,101")
    assert (info.user_count, info.attlog_count, info.face_version, info.face_count) == (120, 3021, "7", 95)
    assert info.palm_version == "" and info.support_bits == "101"
    short = parse_info("Ver 6.39,12")
    assert (short.firmware, short.user_count, short.ip, short.face_count) == ("Ver 6.39", 12, "", None)
