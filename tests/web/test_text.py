"""Long place labels are cut with `...` without splitting Thai syllables."""
import unicodedata

from web.text import cut_label


def test_short_labels_are_left_alone():
    assert cut_label("MOC-OPS") == "MOC-OPS"
    assert cut_label("") == "" and cut_label(None) == ""


def test_long_labels_end_with_three_dots_within_the_limit():
    cut = cut_label("ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", 20)
    assert cut == "ศูนย์เทคโนโลยีสาร..." and len(cut) <= 20


def test_a_cut_never_leaves_a_vowel_or_tone_mark_without_its_consonant():
    for label in ("เมืองทองธานีอาคารอิมแพ็คฟอรั่ม", "ถนนนนทบุรี 1 ตำบลบางกระสอ", "ไปรษณีย์ไทยสาขาแจ้งวัฒนะ"):
        for limit in range(6, len(label)):
            cut = cut_label(label, limit)
            body = cut.removesuffix("...")
            assert cut.endswith("...") and len(cut) <= limit and label.startswith(body.rstrip()), (label, limit)
            rest = label[len(body):].lstrip()
            assert unicodedata.category(rest[0]) != "Mn" and rest[0] != "\u0e33", (label, limit, cut)
            assert not body.endswith(tuple("เแโใไ")), (label, limit, cut)
