"""A term and its initials written alike ("hội nhập quốc tế" and "HNQT" both "hnqt"), so that
texts compare by what they say, not by whether they abbreviate: the slides write HNQT, HTQT,
LHQ where the questions spell the terms out. The pairs come from the content itself: a concept
alias that is the initials of its term of two or more words."""

from __future__ import annotations

from bot.model.course import Course
from bot.normalize import fold, initials

Initialisms = dict[tuple[str, ...], str]


def course_initialisms(course: Course) -> Initialisms:
    """Folded term words -> the folded alias that is its initials ("hoi nhap quoc te" -> "hnqt")."""
    out: Initialisms = {}
    for concept in course.concepts.values():
        words = tuple(fold(concept.term).split())
        for alias in concept.aliases:
            if len(words) >= 2 and fold(alias) == initials(concept.term):
                out[words] = fold(alias)
    return out


def abbreviate(words: list[str], initialisms: Initialisms) -> list[tuple[str, int, int]]:
    """Folded words with every term replaced by its initials, each with the span (first, last)
    of the input words it stands for."""
    phrases = sorted(initialisms, key=len, reverse=True)
    out: list[tuple[str, int, int]] = []
    index = 0
    while index < len(words):
        for phrase in phrases:
            if tuple(words[index:index + len(phrase)]) == phrase:
                out.append((initialisms[phrase], index, index + len(phrase) - 1))
                index += len(phrase)
                break
        else:
            out.append((words[index], index, index))
            index += 1
    return out


def abbreviated(text: str, initialisms: Initialisms) -> str:
    """The text folded, with every term written as its initials."""
    return " ".join(word for word, _, _ in abbreviate(fold(text).split(), initialisms))
