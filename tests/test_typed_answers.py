"""Typed answers: numbers in digits or in Vietnamese words, with or without a unit noun; a
number never matches another number, and a typo never turns a word into a number word."""

import pytest

from bot.model.course import Question, Source
from bot.quiz.answers import answer_key, typed_answer_is_correct


def short(answer: str, accept=(), reject=()) -> Question:
    return Question("q", "noi-ham", "short", "Bao nhiêu?", "…", (Source("f", "1"),), "easy",
                    answer=answer, accept=tuple(accept), reject=tuple(reject))


@pytest.mark.parametrize("answer", ["4", "4 hoạt động"])
@pytest.mark.parametrize("typed, right", [
    ("4", True), ("bốn", True), ("bon", True), ("BỐN", True), ("4 hoạt động", True),
    ("bốn hoạt động", True), ("4 loại", True), ("4 hinh thuc", True),
    ("5", False), ("ba", False), ("3 hoạt động", False), ("bốn mươi", False), ("4 hay 5", False),
    ("hoạt động", False), ("", False),
])
def test_a_count_is_matched_by_its_number_with_or_without_a_unit_noun(answer, typed, right):
    assert typed_answer_is_correct(short(answer), typed) is right


@pytest.mark.parametrize("typed, right", [
    ("đa cực", True), ("da cuc", True), ("đa cưc", True), ("nhieu cuc", True),
    ("ba cực", False), ("ba cuc", False), ("3 cực", False),
])
def test_a_number_word_is_never_a_typo_of_a_word(typed, right):
    assert typed_answer_is_correct(short("đa cực", accept=["nhiều cực"]), typed) is right


@pytest.mark.parametrize("answer, accept, typed, right", [
    ("17", ["mười bảy"], "muoi bay", True),
    ("17", ["mười bảy"], "mười ba", False),           # one letter from the accepted form, another number
    ("25", ["hai mươi lăm"], "hai muoi lam", True),
    ("25", ["hai mươi lăm"], "ba mươi lăm", False),
    ("3", ["3 Phó trưởng ban"], "ba phó trưởng ban", True),   # "ba" stands where the answer has 3
    ("3", ["3 Phó trưởng ban"], "hai Phó trưởng ban", False),
    ("8", ["8 năm"], "tám năm", True),
    ("8", ["8 năm"], "năm năm", False),
    ("1995", [], "năm 1995", True),
    ("1995", [], "một nghìn chín trăm chín mươi lăm", True),
    ("1995", [], "1996", False),
    ("Đại hội VI", ["VI", "6"], "dai hoi vi", True),
    ("Đại hội VI", ["VI", "6"], "vi", True),
    ("Đại hội VI", ["VI", "6"], "dai hoi sau", True),     # sáu where the answer has VI
    ("Đại hội VI", ["VI", "6"], "dai hoi VII", False),
    ("07-NQ/TW", ["7"], "nghị quyết bảy", False),          # another form than the ones accepted…
    ("07-NQ/TW", ["Nghị quyết 07"], "nghi quyet bay", True),  # …and this one it is
    ("07-NQ/TW", ["Nghị quyết 07"], "nghi quyet 08", False),
    ("Hoàng Khắc Nam", [], "Hoang Khac Nm", True),          # a typo in a name is still a typo
    ("Hoàng Khắc Nam", [], "hoang khac tam", False),
])
def test_numbers_in_words_digits_and_roman_numerals(answer, accept, typed, right):
    assert typed_answer_is_correct(short(answer, accept), typed) is right


def test_a_listed_near_miss_is_wrong_in_digits_or_words():
    question = short("đa cực", reject=["3 cực"])
    assert not typed_answer_is_correct(question, "3 cực")
    assert not typed_answer_is_correct(question, "ba cực")
    assert typed_answer_is_correct(question, "da cuc")


def test_the_same_answer_has_the_same_key():
    assert answer_key("bốn hoạt động") == answer_key("4 hoat dong") == "4 hoat dong"
    assert answer_key("năm 1995") == answer_key("1995")


def test_a_typed_answer_is_read_without_its_spaces_and_only_up_to_max_typed_characters():
    from bot.quiz.answers import MAX_TYPED

    question = short("1989")
    assert typed_answer_is_correct(question, "  1989 \n")
    beyond = "1989" + " " * (MAX_TYPED - 4) + " 1990"          # what follows the limit is not read
    assert typed_answer_is_correct(question, beyond)
    within = "1989" + " " * (MAX_TYPED - 9) + " 1990"          # the last characters that are read
    assert len(within) == MAX_TYPED and not typed_answer_is_correct(question, within)
