"""/define: the course's definition of a term, however the student typed it."""

from __future__ import annotations

import random
from bot.cards import concept_card, define_button
from bot.model.course import Course
from bot.i18n import Catalog
from bot.normalize import clean_display
from bot.replies import Reply
from bot.search import ConceptIndex
from bot.text import bold, italic, join, plain, shorten
from bot.turn import Args, Turn

EXAMPLES = ("hội nhập quốc tế", "HNQT", "toan cau hoa", "FTA", "NQ 22")


def usage_reply(tr: Catalog, course: Course, rng: random.Random) -> Reply:
    terms = sorted(course.concepts.values(), key=lambda c: c.term)
    sample = rng.sample(terms, min(3, len(terms)))
    return Reply(
        join([
            plain(tr("define.usage_before")) + bold("/define")
            + plain(tr("define.usage_after", examples=", ".join(EXAMPLES))),
            italic(tr("define.usage_hint")),
        ]),
        tuple(define_button(c) for c in sample),
    )


def define_reply(tr: Catalog, course: Course, index: ConceptIndex, query: str, rng: random.Random) -> Reply:
    result = index.lookup(query)
    if result.how == "empty":
        return usage_reply(tr, course, rng)
    if result.found is not None:
        return concept_card(tr, course, result.found)
    shown = shorten(clean_display(query), 60)
    if result.ties:
        return Reply(plain(tr("define.tie", query=shown)), tuple(define_button(c) for c in result.ties))
    if result.suggestions:
        return Reply(plain(tr("define.suggest", query=shown)),
                     tuple(define_button(c) for c in result.suggestions))
    return Reply(plain(tr("define.none", query=shown)))


async def define_command(turn: Turn, args: Args) -> list[Reply]:
    core = turn.core
    return [define_reply(turn.tr, core.course, core.index, args["term"] or "", core.rng)]


def define_by_id(tr: Catalog, course: Course, concept_id: str) -> Reply:
    concept = course.concepts.get(concept_id)
    if concept is None:
        return Reply(plain(tr("define.gone")))
    return concept_card(tr, course, concept)
