"""Typed answers whose typo tolerance would accept a different answer.

A short question accepts its answer and `accept` forms with a typo or two
(bot.quiz.answers). That tolerance is a fault when it lets a *different* answer through:
"Châu Á" is one letter from "châu Âu". The wrong answers tried are the course's own vocabulary:
every option, answer, accepted or rejected form of any question and every concept's term and
alias. (Another number is never tried: the checker never takes a number for another, nor a
number word for a word, so "ba cực" is refused for "đa cực" by construction.)
A candidate is a conflict when `typed_answer_is_correct` accepts it although it is not the same
answer as an accepted form (`same_answer`: equal once folded and numbers read, or the same count
with another unit noun). Listing it under `reject:` resolves the conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.model.course import Course, Question
from bot.normalize import fold
from bot.quiz.answers import same_answer, typed_answer_is_correct

# Vocabulary this many edits from an accepted form is tried: the widest typo forgiven (2)
# plus "năm " (4), which is ignored before a year.
_NEAR = 6


@dataclass(frozen=True)
class TypoConflict:
    question: Question
    accepted_wrongly: tuple[str, ...]   # candidates accepted although they are other answers


def _accepted(question: Question) -> tuple[str, ...]:
    return tuple(v for v in (str(question.answer), *question.accept) if v)


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
    wrong = tuple(text for _, text in sorted(candidates.items())
                  if typed_answer_is_correct(question, text)
                  and not any(same_answer(form, text) for form in accepted))
    return TypoConflict(question, wrong) if wrong else None


def typo_conflicts(course: Course) -> list[TypoConflict]:
    vocabulary = course_vocabulary(course)
    found = (typo_conflict(q, vocabulary) for q in course.questions.values())
    return [c for c in found if c is not None]
