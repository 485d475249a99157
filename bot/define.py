"""/define: the course's definition of a term, however the student typed it."""

from __future__ import annotations

import random

from bot.cards import concept_card, define_button
from bot.course.model import Course
from bot.normalize import clean_display
from bot.replies import Reply
from bot.search import ConceptIndex
from bot.text import bold, italic, join, plain, shorten

EXAMPLES = ("hội nhập quốc tế", "HNQT", "toan cau hoa", "FTA", "NQ 22")


def usage_reply(course: Course, rng: random.Random) -> Reply:
    examples = [e for e in EXAMPLES]
    terms = sorted(course.concepts.values(), key=lambda c: c.term)
    sample = rng.sample(terms, min(3, len(terms)))
    return Reply(
        join([
            plain("Gõ ") + bold("/define") + plain(" và một khái niệm, ví dụ: ") + ", ".join(examples) + ".",
            italic("Không cần dấu, viết tắt cũng được."),
        ]),
        tuple(define_button(c) for c in sample),
    )


def define_reply(course: Course, index: ConceptIndex, query: str, rng: random.Random) -> Reply:
    result = index.lookup(query)
    if result.how == "empty":
        return usage_reply(course, rng)
    if result.found is not None:
        return concept_card(course, result.found)
    shown = shorten(clean_display(query), 60)
    if result.ties:
        return Reply(
            plain(f"“{shown}” khớp với nhiều khái niệm như nhau. Bạn muốn xem khái niệm nào?"),
            tuple(define_button(c) for c in result.ties),
        )
    if result.suggestions:
        return Reply(
            plain(f"Không tìm thấy “{shown}” trong bài học. Có phải bạn muốn tìm:"),
            tuple(define_button(c) for c in result.suggestions),
        )
    return Reply(plain(f"Không tìm thấy “{shown}” trong bài học. Gõ /topics để xem các chủ đề."))


def define_by_id(course: Course, concept_id: str) -> Reply:
    concept = course.concepts.get(concept_id)
    if concept is None:
        return Reply(plain("Khái niệm này không còn trong bài học. Hãy thử /define lại."))
    return concept_card(course, concept)
