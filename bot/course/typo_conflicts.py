"""Typed answers whose typo tolerance would accept a different answer.

A short question accepts its answer and `accept` forms with a typo or two
(bot.quiz.answers). That tolerance is a fault when it lets a *different* answer through:
"Châu Á" is one letter from "châu Âu". The wrong answers a student might plausibly type are
drawn from
- the course's own vocabulary: every option, answer, accepted or rejected form of any question
  and every concept's term and alias;
- the answer's own numbers changed: every number word of an accepted form replaced by another
  ("ba Phó trưởng ban" → "hai Phó trưởng ban"), every number in digits by the next one, and a
  first word of two letters one letter from a number word read as that number ("đa cực" →
  "ba cực"). The answer checker refuses all of these (a number never matches another
  number); they are tried so that a change to the checker that lets one through is caught.
A candidate is a conflict when `typed_answer_is_correct` accepts it although it is not the same
answer as an accepted form (`same_answer`: equal once folded and numbers read, or the same count
with another unit noun). Listing it under `reject:` resolves the conflict.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.course.model import Course, Question
from bot.normalize import fold
from bot.quiz.answers import same_answer, typed_answer_is_correct

# Number words as written, to change one number into another when making candidates.
_NUMBER_WORDS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_FOLDED_NUMBER_WORDS = {fold(w): w for w in _NUMBER_WORDS}
# Vocabulary this many edits from an accepted form is tried: the widest typo forgiven (2)
# plus "năm " (4), which is ignored before a year.
_NEAR = 6


@dataclass(frozen=True)
class TypoConflict:
    question: Question
    accepted_wrongly: tuple[str, ...]   # candidates accepted although they are other answers


def _accepted(question: Question) -> tuple[str, ...]:
    return tuple(v for v in (str(question.answer), *question.accept) if v)


def _number_variants(form: str) -> set[str]:
    """The form with one of its numbers changed. A number word counts only in a form without
    digits ("8 năm" is eight years), and "năm" after a unit is the word year ("tám năm")."""
    words = form.split()
    typed = [unicodedata.normalize("NFC", w).lower() for w in words]
    has_digits = any(w.isdigit() for w in words)
    out: set[str] = set()
    for index, word in enumerate(typed):
        replacements: tuple[str, ...] = ()
        after_unit = index > 0 and typed[index - 1] in _NUMBER_WORDS and typed[index - 1] != "mười"
        if words[index].isdigit():
            replacements = (str(int(words[index]) + 1),)
        elif has_digits:
            continue
        elif word in _NUMBER_WORDS and not (word == "năm" and after_unit):
            replacements = tuple(w for w in _NUMBER_WORDS if w != word)
        elif index == 0 and len(words) > 1 and len(fold(word)) == 2:
            replacements = tuple(w for f, w in _FOLDED_NUMBER_WORDS.items()
                                 if Levenshtein.distance(fold(word), f) == 1)
        for replacement in replacements:
            out.add(" ".join((*words[:index], replacement, *words[index + 1:])))
    return out


def course_vocabulary(course: Course) -> dict[str, str]:
    """Every answer-like text of the course (options, answers, typed forms, items, terms and
    aliases), by its folded form."""
    texts: set[str] = set()
    for question in course.questions.values():
        if isinstance(question.answer, str):
            texts.add(question.answer)
        texts.update(question.options, question.accept, question.reject, question.items)
    for concept in course.concepts.values():
        texts.update((concept.term, *concept.aliases))
    return {fold(t): t for t in sorted(texts) if fold(t)}


def typo_conflict(question: Question, vocabulary: dict[str, str]) -> TypoConflict | None:
    if question.type != "short":
        return None
    accepted = _accepted(question)
    candidates: dict[str, str] = {}
    for form in accepted:
        near = process.extract(fold(form), list(vocabulary), scorer=Levenshtein.distance,
                               score_cutoff=_NEAR, limit=None)
        candidates.update((key, vocabulary[key]) for key, _, _ in near)
        candidates.update((fold(v), v) for v in sorted(_number_variants(form)))
    wrong = tuple(text for _, text in sorted(candidates.items())
                  if typed_answer_is_correct(question, text)
                  and not any(same_answer(form, text) for form in accepted))
    return TypoConflict(question, wrong) if wrong else None


def typo_conflicts(course: Course) -> list[TypoConflict]:
    vocabulary = course_vocabulary(course)
    found = (typo_conflict(q, vocabulary) for q in course.questions.values())
    return [c for c in found if c is not None]
