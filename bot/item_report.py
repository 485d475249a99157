"""The item analysis of a chat's answers (or of every chat's): reads the answers with
bot.store.reports_store, maps each pick to its option and computes with bot.item_analysis."""

from __future__ import annotations

import asyncio

from bot.i18n import FALLBACK, catalog
from bot.model.course import Course
from bot.item_analysis import ItemStats, Response, analyse_items, picked_option
from bot.quiz.messages import true_false_labels
from bot.store import reports_store
from bot.store.database import Database

# A true/false question is asked as two buttons, true first (bot.quiz.present); picks are
# counted by that position, whatever language the buttons were labelled in, and named as the
# buttons are in the course's own language.
TRUE_FALSE = true_false_labels(catalog(FALLBACK))


async def item_statistics(db: Database, course: Course, chat_id: int | None) -> list[ItemStats]:
    options: dict[str, tuple[str, ...]] = {}
    right: dict[str, str] = {}
    for question in course.questions.values():
        if question.type == "choice":
            options[question.id] = question.options
            right[question.id] = str(question.answer)
        elif question.type == "true_false":
            options[question.id] = TRUE_FALSE
    answers = await reports_store.item_answers(db, chat_id)
    asked = await reports_store.times_asked(db, chat_id)
    # a class's whole history is a lot of arithmetic: off the event loop, so no chat waits for it
    return await asyncio.to_thread(_analyse, answers, asked, options, right)


def _analyse(answers, asked: dict[str, int], options: dict[str, tuple[str, ...]],
             right: dict[str, str]) -> list[ItemStats]:
    responses = []
    for question_id, shown, user_id, answer, correct in answers:
        if options.get(question_id) is TRUE_FALSE and shown:
            shown = TRUE_FALSE
        responses.append(Response(question_id, user_id, correct, picked_option(shown, answer)))
    return analyse_items(responses, asked, options, right)
