"""The th and en catalogues list every message the web app uses, Thai translates each one, and the
committed .mo files are compiled from the .po files as they are now."""
from __future__ import annotations

import shutil

from web.catalogues import extracted, po_path, problems, read_catalogue


def test_the_committed_catalogues_are_complete_and_compiled():
    assert problems() == []


def test_the_training_materials_words_are_in_the_thai_catalogue():
    thai = {message.id: message.string for message in read_catalogue("th") if message.id}
    assert thai["Tap to show the menu"] == "กดเพื่อแสดงเมนู"
    assert thai["Sign-in failed. Please enter the correct password."] == "เข้าสู่ระบบไม่สำเร็จ โปรดกรอกรหัสผ่านให้ถูกต้อง"
    assert {thai[m] for m in ("General", "Calendar", "Record time", "History", "Supervisor", "Subordinates",
                              "Other", "Announcements", "Notifications", "Settings", "Sign out")} == {
        "ทั่วไป", "ปฏิทิน", "บันทึกเวลา", "ประวัติ", "หัวหน้างาน", "ผู้ใต้บังคับบัญชา", "อื่นๆ", "ประกาศ",
        "การแจ้งเตือน", "ตั้งค่า", "ออกจากระบบ"}


def _copy(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(po_path("th").parent.parent.parent, copy)
    return copy


def test_a_message_missing_from_a_catalogue_is_reported(tmp_path):
    copy = _copy(tmp_path)
    po = po_path("th", copy)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Calendar"\nmsgstr "ปฏิทิน"\n', ""), encoding="utf-8")
    found = problems(copy)
    assert "th: missing 'Calendar'" in found
    assert any("messages.mo is stale" in line for line in found)  # the .mo still has it


def test_a_translation_changed_without_compiling_is_stale(tmp_path):
    copy = _copy(tmp_path)
    po = po_path("th", copy)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ปฏิทิน"', 'msgstr "ปฏิทินงาน"'), encoding="utf-8")
    assert problems(copy) == ["th: messages.mo is stale: run `python -m web.catalogues`"]


def test_an_untranslated_thai_message_is_reported(tmp_path):
    copy = _copy(tmp_path)
    po = po_path("th", copy)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ปฏิทิน"', 'msgstr ""'), encoding="utf-8")
    assert "th: not translated 'Calendar'" in problems(copy)


def test_extraction_finds_messages_in_templates_and_in_module_level_data():
    ids = {message.id for message in extracted()}
    assert "Skip to content" in ids  # base.html
    assert "Left early" in ids  # web/screens/calendar.py, lazy_gettext
    assert "Tap to show the menu" in ids
