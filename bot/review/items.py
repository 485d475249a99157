"""What a card in a deck is: one question ("q:<id>"), or one concept ("c:<id>") reviewed through
the questions that cite it in their `concepts:` field, one after another."""

from __future__ import annotations

from bot.model.course import Course, Question
from bot.text import shorten

QUESTION, CONCEPT = "q", "c"


def question_item(question_id: str) -> str:
    return f"{QUESTION}:{question_id}"


def concept_item(concept_id: str) -> str:
    return f"{CONCEPT}:{concept_id}"


def questions_citing(course: Course, concept_id: str) -> list[Question]:
    return sorted((q for q in course.questions.values() if concept_id in q.concepts), key=lambda q: q.id)


def questions_of(course: Course, item: str) -> list[Question]:
    """The questions that can review an item; empty once the content no longer has it."""
    kind, _, key = item.partition(":")
    if kind == QUESTION:
        return [course.questions[key]] if key in course.questions else []
    if kind == CONCEPT and key in course.concepts:
        return questions_citing(course, key)
    return []


def question_for(course: Course, item: str, reviews: int) -> Question | None:
    """The question a review of the item asks: a concept's questions take turns."""
    questions = questions_of(course, item)
    return questions[reviews % len(questions)] if questions else None


def topic_of(course: Course, item: str) -> str | None:
    kind, _, key = item.partition(":")
    if kind == QUESTION and key in course.questions:
        return course.questions[key].topic
    if kind == CONCEPT and key in course.concepts:
        return course.concepts[key].topic
    return None


def label_of(course: Course, item: str, limit: int = 80) -> str:
    """A short name for the teacher: the question's prompt or the concept's term."""
    kind, _, key = item.partition(":")
    if kind == QUESTION and key in course.questions:
        text = course.questions[key].prompt
    elif kind == CONCEPT and key in course.concepts:
        text = course.concepts[key].term
    else:
        text = key
    return shorten(text, limit)
