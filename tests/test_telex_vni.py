"""Telex and VNI typed with the input method off are decoded; every other word is left alone."""

import pytest

from bot.telex_vni import decode_telex_vni, decode_word


@pytest.mark.parametrize("typed, expected", [
    # Telex
    ("chur nghiax lieen bang", "chủ nghĩa liên bang"),
    ("vieetj", "việt"),
    ("Vieetj Nam", "Việt Nam"),
    ("hooij nhaapj quoocs tees", "hội nhập quốc tế"),
    ("toanf caauf hoas", "toàn cầu hóa"),
    ("dduwowngf", "đường"),
    ("dduowngf", "đường"),
    ("nguowif", "người"),
    ("tuwj chur", "tự chủ"),
    ("ddooij laapj", "đội lập"),
    ("ddoocj laapj", "độc lập"),
    ("thij truwowngf chung", "thị trường chung"),
    ("lieen minh tieenf teej", "liên minh tiền tệ"),
    ("hieejp ddinhj", "hiệp định"),
    ("bawn sawcs", "băn sắc"),
    ("thuyr", "thủy"),
    ("hoaf", "hòa"),
    ("quas", "quá"),
    ("gif", "gì"),
    ("vieejt", "việt"),           # tone typed before the final consonant
    ("uwu tieen", "ưu tiên"),
    ("hoaz", "hoa"),              # z takes the tone off
    # VNI
    ("do65c la65p", "dộc lập"),
    ("d9o65c la65p", "độc lập"),
    ("ho65i nha65p quo61c te61", "hội nhập quốc tế"),
    ("toa2n ca62u ho1a", "toàn cầu hóa"),
    ("d9uo7ng2", "đường"),
    ("tu75 chu3", "tự chủ"),
    ("a8n", "ăn"),
    ("hoa0", "hoa"),
    # the two mixed in one word, as people do
    ("hoo5i nha65p", "hội nhập"),
])
def test_keystrokes_are_decoded(typed, expected):
    assert decode_telex_vni(typed) == expected


@pytest.mark.parametrize("typed", [
    "integration", "international integration", "sovereignty", "customs union",
    "free trade area", "common market", "security community", "national interest",
    "Karl Deutsch", "Jean Bodin", "Westphalia", "globalization", "World Trade Organization",
    "hoi nhap quoc te", "toan cau hoa", "doc lap tu chu",
    "HNQT", "TCH", "OAS", "ASEAN", "IMF", "WTO", "FTA", "SACU",
    "nq22", "NQ 22", "22-NQ/TW", "2013",
    "hội nhập", "độc lập",
    "bacf",        # huyền on a syllable ending in -c is not Vietnamese
    "boss",        # a tone key typed twice is the letter itself: "bos"
    "teas",        # no such vowel group
    "ronaldo", "bitcoin", "",
])
def test_other_words_are_left_alone(typed):
    assert decode_telex_vni(typed) == typed


@pytest.mark.parametrize("word", ["hoi", "nhap", "integration", "HNQT", "hội", "2013", "nq22", "d9", "7"])
def test_decode_word_says_none_for_a_word_that_is_not_keystrokes(word):
    assert decode_word(word) is None


def test_punctuation_and_spacing_are_kept():
    assert decode_telex_vni("  chur quyeenf,  quoocs gia?? ") == "  chủ quyền,  quốc gia?? "
