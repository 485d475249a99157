"""Numbers typed as Vietnamese words or Roman numerals are read as digits, and only numbers."""

import unicodedata

import pytest

from bot.vi_numbers import numbers_as_digits, parse_number_words, roman_to_int, words_to_number

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize("typed, expected", [
    # cardinal numbers, with and without diacritics
    ("chín", "9"),
    ("chin", "9"),
    ("mười", "10"),
    ("hai mươi hai", "22"),
    ("hai muoi hai", "22"),
    ("hai mươi mốt", "21"),
    ("ba mươi mốt", "31"),
    ("hai mươi tư", "24"),
    ("hai muoi tu", "24"),
    ("hai mươi lăm", "25"),
    ("hai mươi nhăm", "25"),
    ("mười lăm", "15"),
    ("muoi lam", "15"),
    ("mười một", "11"),
    ("năm mươi", "50"),
    ("sáu mươi", "60"),
    ("chín mươi chín", "99"),
    ("một trăm", "100"),
    ("một trăm linh năm", "105"),
    ("mot tram linh nam", "105"),
    ("một trăm lẻ tư", "104"),
    ("một trăm mười lăm", "115"),
    ("hai trăm hai mươi", "220"),
    ("hai nghìn", "2000"),
    ("hai ngàn", "2000"),
    ("hai nghìn không trăm mười ba", "2013"),
    ("hai nghìn linh một", "2001"),
    ("một nghìn chín trăm chín mươi lăm", "1995"),
    (NFD("hai mươi hai"), "22"),
    ("HAI MƯƠI HAI", "22"),
    # ordinals
    ("thứ chín", "thu 9"),
    ("thu chin", "thu 9"),
    ("thứ nhất", "thu 1"),
    ("thu nhat", "thu 1"),
    ("thứ nhì", "thu 2"),
    ("thứ tư", "thu 4"),
    ("thu tu", "thu 4"),
    ("thứ năm", "thu 5"),
    ("thu sau", "thu 6"),
    ("thu bay", "thu 7"),
    ("thu tam", "thu 8"),
    ("thứ mười một", "thu 11"),
    ("lần thứ ba", "lan thu 3"),
    # in a sentence, after a numbering word
    ("Đại hội thứ chín", "dai hoi thu 9"),
    ("nghị quyết hai mươi hai", "nghi quyet 22"),
    ("đại hội ba", "dai hoi 3"),
    ("dai hoi nam", "dai hoi 5"),
    ("khoa tam", "khoa 8"),
    ("thế kỷ mười chín", "the ky 19"),
    ("chuong ba", "chuong 3"),
    ("hội nghị trung ương bảy", "hoi nghi trung uong 7"),
    ("NQ hai mươi hai", "nq 22"),
    # sure by their own marks, even alone
    ("sáu", "6"),
    ("bảy", "7"),
    ("tám", "8"),
    ("bốn", "4"),
    ("một", "1"),
    # Roman numerals
    ("IX", "9"),
    ("VIII", "8"),
    ("XIII", "13"),
    ("XXI", "21"),
    ("Đại hội VIII", "dai hoi 8"),
    ("Đại hội IX của Đảng (4/2001)", "dai hoi 9 cua dang 4 2001"),
    ("dai hoi viii", "dai hoi 8"),
    ("dai hoi ix", "dai hoi 9"),
    ("đại hội vi", "dai hoi 6"),
    ("Đại hội X", "dai hoi 10"),
    ("Đại hội lần thứ IX", "dai hoi lan thu 9"),
    ("lan thu vi", "lan thu 6"),
    ("thế kỷ XX", "the ky 20"),
    ("the ky xxi", "the ky 21"),
    ("NQ TW 9 khóa IX", "nq tw 9 khoa 9"),
    ("Chương I", "chuong 1"),
    # digits stay as typed
    ("nghị quyết 22", "nghi quyet 22"),
    ("NQ 07", "nq 07"),
    ("22-NQ/TW", "22 nq tw"),
])
def test_numbers_are_read_as_digits(typed, expected):
    assert numbers_as_digits(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    # words that are numbers only once folded, with no number context
    ("năm 1995", "nam 1995"),                 # a year, not 5 1995
    ("nam 1995", "nam 1995"),
    ("năm hai nghìn", "nam 2000"),
    ("năm một nghìn chín trăm chín mươi lăm", "nam 1995"),
    ("năm sau", "nam sau"),                   # next year
    ("Đổi mới (từ năm 1986)", "doi moi tu nam 1986"),
    ("Đông Nam Á", "dong nam a"),             # south
    ("Đông Nam A", "dong nam a"),
    ("bà Nam", "ba nam"),
    ("ba nam", "ba nam"),
    ("năm mức độ", "nam muc do"),
    ("sau", "sau"),                           # after
    ("sau mười năm", "sau 10 nam"),           # after ten years, not sixty
    ("hai mươi năm", "20 nam"),               # twenty years, not 25
    ("mười năm", "10 nam"),
    ("bay", "bay"),
    ("tam", "tam"),
    ("tâm", "tam"),
    ("tư nhân", "tu nhan"),
    ("đầu tư", "dau tu"),
    ("tự chủ", "tu chu"),
    ("độc lập tự chủ", "doc lap tu chu"),
    ("lam", "lam"),
    ("làm", "lam"),
    ("không", "khong"),
    ("nhất thể hóa", "nhat the hoa"),
    ("Nhật Bản", "nhat ban"),
    ("Hải quan", "hai quan"),                 # marks no number word has
    ("ngân hàng", "ngan hang"),
    ("ngan hang the gioi", "ngan hang the gioi"),
    ("hai ngân hàng", "2 ngan hang"),
    ("lĩnh vực", "linh vuc"),
    ("linh vuc", "linh vuc"),
    ("thu nhap", "thu nhap"),
    # after a numbering word, still not a number
    ("nghị quyết sau", "nghi quyet sau"),     # the next resolution
    ("khoa sau", "khoa sau"),
    ("nghi quyet tu nam 2001", "nghi quyet tu nam 2001"),  # from 2001
    # Roman letters that are words or abbreviations
    ("vi", "vi"),
    ("Vi", "vi"),
    ("di", "di"),
    ("mi", "mi"),
    ("MI", "mi"),
    ("CM", "cm"),
    ("DC", "dc"),
    ("CU", "cu"),
    ("X", "x"),
    ("I", "i"),
    ("xi mang", "xi mang"),
    ("vi sao", "vi sao"),
    ("IIII", "iiii"),
    # plain text stays folded text
    ("Hội nhập quốc tế", "hoi nhap quoc te"),
    ("", ""),
    ("!!!", ""),
])
def test_words_that_only_look_like_numbers_stay_words(typed, expected):
    assert numbers_as_digits(typed) == expected


@pytest.mark.parametrize("token, value", [
    ("I", 1), ("iv", 4), ("V", 5), ("IX", 9), ("XIII", 13), ("XIX", 19), ("XL", 40),
    ("XLIX", 49), ("LXXXIX", 89), ("xxi", 21),
    ("", None), ("IIII", None), ("IC", None), ("VX", None), ("C", None), ("M", None),
    ("CM", None), ("MI", None), ("DI", None), ("abc", None), ("12", None),
])
def test_roman_to_int(token, value):
    assert roman_to_int(token) == value


def test_parse_number_words_takes_as_many_words_as_make_one_number():
    assert parse_number_words(["hai", "muoi", "hai", "nghi", "quyet"]) == (22, 3)
    assert parse_number_words(["dai", "hoi", "chin"], 2) == (9, 3)
    assert parse_number_words(["hai", "muoi", "nam"]) == (20, 2)
    assert parse_number_words(["ba", "nam"]) == (3, 1)
    assert parse_number_words(["hoi", "nhap"]) is None
    assert parse_number_words([]) is None


@pytest.mark.parametrize("text, value", [
    ("một trăm linh năm", 105), ("hai mươi hai", 22), ("mười", 10), ("không", 0),
    ("chín mươi chín", 99), ("hai mươi năm", None), ("hội nhập", None), ("", None),
])
def test_words_to_number_reads_a_whole_text(text, value):
    assert words_to_number(text) == value


def test_an_ordinal_needs_thu_itself_not_a_word_that_folds_like_it():
    assert numbers_as_digits("thủ tư") == "thu tu"
    assert numbers_as_digits("thú ba") == "thu ba"
    assert numbers_as_digits("thứ ba") == "thu 3"
