"""Folding Vietnamese the way students type it."""

import unicodedata

import pytest

from bot.normalize import clean_display, fold, initials


@pytest.mark.parametrize("typed, expected", [
    ("Hội nhập quốc tế", "hoi nhap quoc te"),
    ("hoi nhap quoc te", "hoi nhap quoc te"),
    ("HỘI NHẬP QUỐC TẾ", "hoi nhap quoc te"),
    (unicodedata.normalize("NFD", "Hội nhập quốc tế"), "hoi nhap quoc te"),
    ("toàn cầu hoá", "toan cau hoa"),
    ("toàn cầu hóa", "toan cau hoa"),
    ("thoả thuận", "thoa thuan"),
    ("Đảng", "dang"),
    ("độc lập", "doc lap"),
    ("hội_nhập quốc_tế", "hoi nhap quoc te"),
    ("  hội   nhập,  quốc-tế!! ", "hoi nhap quoc te"),
    ("NQ 22-NQ/TW", "nq 22 nq tw"),
    ("", ""),
    ("<b>*@everyone*</b>", "b everyone b"),
])
def test_fold(typed, expected):
    assert fold(typed) == expected


def test_nfd_and_nfc_fold_alike_for_every_tone():
    word = "hòa hóa hỏa hõa họa hoà hoá hoả hoã hoạ"
    assert fold(unicodedata.normalize("NFD", word)) == fold(word) == " ".join(["hoa"] * 10)


def test_initials():
    assert initials("Hội nhập quốc tế") == "hnqt"
    assert initials("hội_nhập kinh_tế quốc_tế") == "hnktqt"


def test_clean_display_removes_control_characters_and_composes():
    assert clean_display("An\x00\n\tBình\u202e") == "An Bình"
    assert clean_display(unicodedata.normalize("NFD", "Đức")) == "Đức"
