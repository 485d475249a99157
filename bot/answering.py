"""Recording one user's answer to an asked question, for quiz rounds and daily questions alike.

The first answer counts; a second press, an answer after the time (plus the grace window) or
an answer from another chat is refused with a private word and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import Core
from bot.events import Chat, User
from bot.periods import month_key, week_key
from bot.quiz.answers import typed_answer_is_correct
from bot.quiz.messages import option_label
from bot.quiz.scoring import daily_points, quiz_points
from bot.replies import Reply
from bot.review.deck import add_missed
from bot.store import people, quiz_store
from bot.store.quiz_store import Asked, NewAnswer
from bot.text import plain

MAX_TYPED = 200


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    recorded: bool


def _private(user: User, text: str) -> Reply:
    return Reply(plain(text), to=user)


async def record(core: Core, user: User, chat: Chat, asked: Asked, option: int | None,
                 typed: str | None) -> Outcome:
    now = core.clock.now()
    question = core.course.questions.get(asked.question_id)
    chat_id = await people.ensure_chat(core.db, chat, now)
    tr = await core.tr(chat_id)
    if chat_id != asked.chat_id:
        return Outcome([_private(user, tr("answer.other_chat"))], False)
    if asked.closed or now > asked.closes_at + core.grace:
        return Outcome([_private(user, tr("answer.too_late"))], False)
    if question is None:
        return Outcome([_private(user, tr("answer.question_gone"))], False)
    if typed is not None:
        given = typed.strip()[:MAX_TYPED]
        correct = typed_answer_is_correct(question, given)
    else:
        if option is None or not 0 <= option < len(asked.options):
            return Outcome([_private(user, tr("answer.bad_option"))], False)
        given, correct = str(option), option == asked.correct
    if asked.daily_day is not None:
        points = daily_points(correct)
    else:
        points = quiz_points(correct, asked.asked_at, asked.closes_at, min(now, asked.closes_at))
    user_id = await people.ensure_user(core.db, user, now)
    timezone = await people.chat_timezone(core.db, chat_id)
    inserted = await quiz_store.record_answer(
        core.db,
        NewAnswer(asked.id, user_id, chat_id, asked.topic, given, correct, points, now,
                  week_key(now, timezone), month_key(now, timezone)))
    if not inserted:
        return Outcome([_private(user, tr("answer.twice"))], False)
    if not correct:
        await add_missed(core, user_id, asked.question_id, "daily" if asked.daily_day else "quiz", now, timezone)
    chosen = "" if option is None else f" ({option_label(asked.presented, option)})"
    text = tr("answer.right", chosen=chosen, points=points) if correct else tr("answer.wrong", chosen=chosen)
    return Outcome([_private(user, text)], True)
