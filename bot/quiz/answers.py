"""Checking a typed answer as a student types it: no diacritics, odd spacing, a small typo.

Numbers and Roman numerals must match exactly (1995 is not 1996, Đại hội VII is not VIII);
the words around them tolerate a typo in proportion to their length.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from bot.course.model import Question
from bot.normalize import fold

_EXACT_TOKEN = re.compile(r"^(\d+|[ivxlcdm]+)$")
_LEADING_YEAR_WORD = re.compile(r"^nam (?=\d)")  # "năm 1995" -> "1995"


def _exact_tokens(folded: str) -> list[str]:
    return sorted(t for t in folded.split() if _EXACT_TOKEN.match(t))


def _typo_allowance(length: int) -> int:
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


def answer_key(text: str) -> str:
    """What a typed answer is compared by: folded, without "năm" before a year. Two texts
    with the same key are the same answer."""
    return _LEADING_YEAR_WORD.sub("", fold(text))


def typed_text_matches(expected: str, typed: str) -> bool:
    want = answer_key(expected)
    got = answer_key(typed)
    if not want or not got:
        return False
    if want == got:
        return True
    if _exact_tokens(want) != _exact_tokens(got):
        return False
    return Levenshtein.distance(want, got) <= _typo_allowance(len(want))


def typed_answer_is_correct(question: Question, typed: str) -> bool:
    """Accepted: the answer or an `accept` variant, allowing a typo. A listed near miss
    (`reject`) is wrong even when it is one typo away from the answer ("ba cực" / "đa cực"),
    unless it is exactly an accepted form."""
    variants = (question.answer, *question.accept) if isinstance(question.answer, str) else ()
    key = fold(typed)
    if any(fold(v) == key for v in variants if v):
        return True
    if any(typed_text_matches(r, typed) for r in question.reject if r):
        return False
    return any(typed_text_matches(v, typed) for v in variants if v)
