"""Recording one user's answer to an asked question, for quiz rounds and daily questions alike.

The first answer counts; a second press, an answer after the time (plus the grace window) or
an answer from another chat is refused with a private word and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.model.play import Asked, NewAnswer
from bot.periods import month_key, week_key
from bot.quiz.answers import typed_answer_is_correct, typed_text
from bot.quiz.messages import option_label
from bot.quiz.scoring import daily_points, quiz_points
from bot.replies import Reply
from bot.review.deck import add_missed
from bot.store import people, quiz_store
from bot.turn import Turn


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    recorded: bool


async def record(turn: Turn, asked: Asked, option: int | None, typed: str | None) -> Outcome:
    core, tr, now = turn.core, turn.tr, turn.now
    question = core.course.questions.get(asked.question_id)
    refuse = lambda key: Outcome([turn.tell(tr(key), verdict=True, game=True)], False)  # noqa: E731
    if turn.chat_id != asked.chat_id:
        return refuse("answer.other_chat")
    if asked.closed or (asked.delivered and now > asked.closes_at + core.grace):
        return refuse("answer.too_late")
    if question is None:
        return refuse("answer.question_gone")
    if typed is not None:
        given = typed_text(typed)
        correct = typed_answer_is_correct(question, given)
    else:
        if option is None or not 0 <= option < len(asked.options):
            return refuse("answer.bad_option")
        given, correct = str(option), option == asked.correct
    if asked.daily_day is not None:
        points = daily_points(correct)
    elif not asked.delivered:      # answered before the platform's confirmation reached us
        points = quiz_points(correct, now, now + timedelta(seconds=1), now)
    else:
        points = quiz_points(correct, asked.asked_at, asked.closes_at, min(now, asked.closes_at))
    timezone = await people.chat_timezone(core.db, turn.chat_id)
    inserted = await quiz_store.record_answer(
        core.db,
        NewAnswer(asked.id, turn.user_id, turn.chat_id, asked.topic, given, correct, points, now,
                  week_key(now, timezone), month_key(now, timezone)))
    if not inserted:
        return refuse("answer.twice")
    if not correct:                  # it joins the student's review deck (bot/review)
        await add_missed(core, turn.user_id, asked.question_id, "daily" if asked.daily_day else "quiz",
                         now, timezone)
    chosen = "" if option is None else f" ({option_label(asked.presented, option)})"
    text = tr("answer.right", chosen=chosen, points=points) if correct else tr("answer.wrong", chosen=chosen)
    return Outcome([turn.tell(text, verdict=True, game=True)], True)   # shown before what it caused
