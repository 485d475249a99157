"""A concept as a card: term, definition, key points, related concepts and the source; under it,
buttons to its related concepts and one to add it to the student's review deck."""

from __future__ import annotations

from bot.model.course import Concept, Course
from bot.i18n import Catalog
from bot.replies import Button, Reply
from bot.review.items import questions_citing
from bot.review.messages import add_button
from bot.text import Rich, bold, italic, join, plain, shorten

# Discord's message limit is 2000 and Telegram's 4096: stay under both, markup included.
CARD_LIMIT = 1800
MAX_RELATED_BUTTONS = 3


def define_button(concept: Concept) -> Button:
    return Button(f"d:{concept.id}", shorten(concept.term, 40))


def concept_card(tr: Catalog, course: Course, concept: Concept) -> Reply:
    head = bold(concept.term)
    if concept.aliases:
        head = head + plain(" (" + ", ".join(concept.aliases[:4]) + ")")
    related = [course.concepts[r] for r in concept.related if r in course.concepts]
    sources = course.sources_label(concept.sources)
    tail: list[Rich | str] = []
    if related:
        tail.append(italic(tr("card.related")) + ", ".join(c.term for c in related))
    tail.append(italic(tr("card.source")) + sources)
    fixed = len(head) + len(join(tail)) + 8
    budget = CARD_LIMIT - fixed
    definition = shorten(concept.definition, budget)
    body: list[Rich | str] = [head, definition]
    budget -= len(definition)
    if concept.key_points and budget > 40:
        points = []
        for point in concept.key_points:
            line = "• " + point
            if len(line) + 1 > budget:
                break
            points.append(line)
            budget -= len(line) + 1
        if points:
            body.append(join(points))
    if concept.details and budget > 60:
        body.append(shorten(concept.details, budget - 2))
    text = join(body + tail, sep="\n\n")
    buttons = tuple(define_button(c) for c in related[:MAX_RELATED_BUTTONS])
    if questions_citing(course, concept.id):      # reviewed through the questions that cite it
        buttons += (add_button(tr, concept.id),)
    return Reply(text, buttons)
