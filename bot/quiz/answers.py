"""Checking a typed answer as a student types it: no diacritics, odd spacing, a small typo,
numbers in digits or in words.

Both sides are compared by their `answer_key`: folded, numbers written as words read as digits
where the words leave no doubt (bot.vi_numbers: "bốn", "hai mươi lăm", "Đại hội VIII"), and
"năm" before a year dropped. Then:
- A number never matches another number: 1995 is not 1996, Đại hội VII is not VIII.
- An answer that is a number, alone or with a unit noun ("4", "4 hoạt động"), is matched by
  its number: "4", "bốn", "bon", "4 hoạt động", "bốn hoạt động" and "4 loại" are right, "5",
  "ba" and "3 hoạt động" are not. A word that is a number only once folded ("ba": three or
  bà; "nam", "sau") counts as that number where the answer has a number.
- The words around the numbers tolerate a typo in proportion to their length, but a typo
  never turns a word into a number word: "ba cực" is not a typo of "đa cực".
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from bot.model.course import Question
from bot.vi_numbers import numbers_as_digits, parse_number_words, roman_to_int

MAX_TYPED = 200          # characters of a typed answer that are read and kept

_EXACT_TOKEN = re.compile(r"^(\d+|[ivxlcdm]+)$")
_LEADING_YEAR_WORD = re.compile(r"^nam (?=\d)")  # "năm 1995" -> "1995"


def _exact_tokens(tokens: list[str]) -> list[str]:
    return sorted(t for t in tokens if _EXACT_TOKEN.match(t))


def _typo_allowance(length: int) -> int:
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


def answer_key(text: str) -> str:
    """What a typed answer is compared by: folded, numbers in words read as digits where
    sure, without "năm" before a year. Two texts with the same key are the same answer."""
    return _LEADING_YEAR_WORD.sub("", numbers_as_digits(text))


def _number_value(token: str) -> int | None:
    """A key's token as a number: digits, a word that may be one ("ba", "nam", "sau"), or a
    Roman numeral typed in small letters ("vi")."""
    if token.isdigit():
        return int(token)
    parsed = parse_number_words([token])
    return parsed[0] if parsed else roman_to_int(token)


def _count_matches(want: list[str], got: list[str]) -> bool | None:
    """An answer that is one number and perhaps a unit noun ("4", "4 hoat dong"): the typed
    number decides and any unit noun may follow it. None when the answer is not such a count."""
    if not want or not want[0].isdigit() or any(t.isdigit() for t in want[1:]):
        return None
    return _number_value(got[0]) == int(want[0]) and not any(t.isdigit() for t in got[1:])


def _numbers_aligned(want: list[str], got: list[str]) -> list[str] | None:
    """The typed tokens with each number word that stands where the answer has that number
    written as digits ("ba" for "3"); None when the typed numbers are not the answer's, or a
    typo would make a number word of a word or a word of a number."""
    out = list(got)
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(want, got):
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for expected, j in zip(want[i1:i2], range(j1, j2)):
                value = _number_value(got[j])
                if expected.isdigit() and value == int(expected):
                    out[j] = expected
                elif expected.isdigit() or value is not None:
                    return None
        elif any(t.isdigit() for t in want[i1:i2]) or any(_number_value(t) is not None for t in got[j1:j2]):
            return None
    return out


def same_answer(expected: str, typed: str) -> bool:
    """The same answer without any typo: equal keys, or the same count with any unit noun."""
    want, got = answer_key(expected).split(), answer_key(typed).split()
    return bool(want and got) and (want == got or bool(_count_matches(want, got)))


def typed_text_matches(expected: str, typed: str) -> bool:
    want, got = answer_key(expected).split(), answer_key(typed).split()
    if not want or not got:
        return False
    if want == got:
        return True
    count = _count_matches(want, got)
    if count is not None:
        return count
    aligned = _numbers_aligned(want, got)
    if aligned is None or _exact_tokens(want) != _exact_tokens(aligned):
        return False
    want_text, got_text = " ".join(want), " ".join(aligned)
    return Levenshtein.distance(want_text, got_text) <= _typo_allowance(len(want_text))


def typed_text(typed: str) -> str:
    """What of a typed answer is read and kept: without the spaces around it, its first
    MAX_TYPED characters (no answer is longer, and comparing a longer text costs for nothing)."""
    return typed.strip()[:MAX_TYPED]


def typed_answer_is_correct(question: Question, typed: str) -> bool:
    """Accepted: the answer or an `accept` variant, allowing a typo. A listed near miss
    (`reject`) is wrong even when it is one typo away from the answer, unless it is exactly
    an accepted form. Only `typed_text(typed)` is read."""
    typed = typed_text(typed)
    variants = (question.answer, *question.accept) if isinstance(question.answer, str) else ()
    key = answer_key(typed)
    if any(answer_key(v) == key for v in variants if v):
        return True
    if any(typed_text_matches(r, typed) for r in question.reject if r):
        return False
    return any(typed_text_matches(v, typed) for v in variants if v)
