"""/review in a private chat: the student's due cards one at a time, graded as they answer.

The item shown (its card, question, option order and when it was shown) is a row, so a restart
between showing and answering loses nothing; each item shown gets a new turn and its buttons
name that turn, so a press on an older item, a second press or a typed answer after the
session moved on changes nothing. In a group, /review only says privately where it happens.
"""

from __future__ import annotations

from datetime import datetime

from bot.core import Core
from bot.quiz.answers import typed_answer_is_correct
from bot.model.play import Presented
from bot.quiz.messages import true_false_labels
from bot.quiz.present import present
from bot.replies import Reply
from bot.review import deck, nudges
from bot.review.days import days_until, study_day, study_day_end
from bot.review.grading import grade
from bot.review.items import question_for
from bot.review.messages import end_reply, feedback_reply, question_reply, when_label
from bot.review.scheduling import dump_state, load_state
from bot.store import quiz_store, review_store
from bot.store.review_store import NewReview, Shown
from bot.turn import Args, Turn


async def review_command(turn: Turn, args: Args) -> list[Reply]:
    """/review: the due cards, in a private chat; on [HH:MM], off, tz ZONE set the daily nudge."""
    if turn.chat.is_group:
        return [turn.aside(turn.tr("review.private_only"))]
    if args["action"] is None:
        return await start(turn)
    return await nudges.nudge_command(turn, args["action"], (args["value"] or "").strip())


async def review_press(turn: Turn, rest: str) -> list[Reply]:
    """Buttons "v:start" (under a nudge), "v:add:<concept>" (under a card), "v:<turn>:<option>"."""
    if rest.startswith("add:"):
        return await deck.add_concept(turn, rest[4:])
    if turn.chat.is_group:
        return [turn.aside(turn.tr("review.private_only"))]
    if rest == "start":
        return await start(turn)
    shown, _, option = rest.partition(":")
    if shown.isdigit() and option.isdigit() and len(shown) < 19 and len(option) < 19:
        return await _answer(turn, int(shown), int(option), None)
    return [turn.aside(turn.tr("press.stale"))]


async def typed_answer(turn: Turn, text: str) -> list[Reply] | None:
    """A message typed in a private chat answers the review question shown there, if it wants a
    typed answer; None when there is none (the message is then not about review)."""
    if turn.chat.is_group:
        return None
    shown = await review_store.shown_to(turn.core.db, turn.user_id)
    if shown is None or shown.item is None or shown.options or shown.chat_id != turn.chat_id:
        return None
    if not text.strip():
        return [turn.aside(turn.tr("typed.empty"))]
    return await _answer(turn, shown.turn, None, text)


async def start(turn: Turn) -> list[Reply]:
    """Show the item already before the student (after a restart too), else the next due one."""
    core = turn.core
    shown = await review_store.shown_to(core.db, turn.user_id)
    if shown is not None and shown.item is not None and shown.question_id in core.course.questions:
        # Shown again as it was (same option order), timed from now, with buttons of a new turn.
        zone = await deck.student_zone(core, turn.user_id, turn.chat_id)
        remaining = await review_store.count_due(core.db, turn.user_id, _day_end(core, turn.now, zone))
        number = await review_store.show(core.db, turn.user_id, turn.chat_id, shown.item, shown.question_id,
                                         shown.options, shown.correct, turn.now)
        question = core.course.questions[shown.question_id]
        presented = Presented(shown.question_id, shown.options, shown.correct)
        return [question_reply(turn.tr, core.course, number, question, presented, max(remaining, 1))]
    return await _next(turn)


def _day_end(core: Core, now: datetime, zone: str) -> datetime:
    return study_day_end(now, zone, core.settings.review_day_starts_hour)


async def _next(turn: Turn) -> list[Reply]:
    """The next due card as a question, else the end of the session. A card whose question a
    chat can still answer waits: its review would reveal the answer (a daily question is open
    for a day, and a group may be playing the question right now)."""
    core, tr, user_id = turn.core, turn.tr, turn.user_id
    zone = await deck.student_zone(core, user_id, turn.chat_id)
    ends = _day_end(core, turn.now, zone)
    open_now = await quiz_store.open_question_ids(core.db)
    held, last = 0, None
    while cards := await review_store.due_cards(core.db, user_id, ends, after=last):
        last = cards[-1]
        for card in cards:
            question = question_for(core.course, card.item, card.reviews)
            if question is None:
                await review_store.set_aside(core.db, user_id, card.item)
                continue
            if question.id in open_now:
                held += 1
                continue
            presented = present(question, core.rng, true_false_labels(tr))
            number = await review_store.show(core.db, user_id, turn.chat_id, card.item, question.id,
                                             presented.options, presented.correct, turn.now)
            remaining = await review_store.count_due(core.db, user_id, ends) - held
            return [question_reply(tr, core.course, number, question, presented, remaining)]
    return [await _end(turn, zone, ends, held)]


async def _end(turn: Turn, zone: str, ends: datetime, held: int) -> Reply:
    core, user_id = turn.core, turn.user_id
    hour = core.settings.review_day_starts_hour
    deck_size = await review_store.deck_size(core.db, user_id)
    upcoming = await review_store.next_due(core.db, user_id, ends)
    next_day, next_count = None, 0
    if upcoming is not None:
        next_day = study_day(upcoming, zone, hour)
        next_count = await review_store.count_due(core.db, user_id, study_day_end(upcoming, zone, hour), ends)
    nudge = await review_store.nudge_of(core.db, user_id)
    nudge_time = f"{nudge.nudge_time} ({nudge.timezone})" if nudge and nudge.enabled else None
    return end_reply(turn.tr, deck_size, next_count, next_day, nudge_time, core.settings.review_nudge_time, held)


async def _answer(turn: Turn, number: int, option: int | None, typed: str | None) -> list[Reply]:
    """An answer to the item shown at turn `number`: a pressed option, or a typed text."""
    core, tr = turn.core, turn.tr
    shown = await review_store.shown_to(core.db, turn.user_id)
    if shown is None or shown.item is None or shown.turn != number or shown.chat_id != turn.chat_id:
        return [turn.aside(tr("review.moved_on"))]
    question = core.course.questions.get(shown.question_id)
    presented = Presented(shown.question_id, shown.options, shown.correct)
    if question is None:        # the card waits for its next question; _next sets it aside if none is left
        return [turn.say(tr("review.question_gone")), *await _next(turn)]
    if typed is not None:
        correct = typed_answer_is_correct(question, typed)
    elif not 0 <= option < len(shown.options):
        return [turn.aside(tr("answer.bad_option"))]
    else:
        correct = option == shown.correct
    written = await _record(turn, shown, question.id, correct)
    if written is None:
        return [turn.aside(tr("review.moved_on"))]
    rating, days, due_day = written
    feedback = feedback_reply(tr, core.course, question, presented, correct, rating,
                              when_label(tr, days, due_day))
    return [feedback, *await _next(turn)]


async def _record(turn: Turn, shown: Shown, question_id: str, correct: bool):
    """Grade and schedule the answer; (rating, study days until due, due day) or None when it
    was not the first answer to the item shown."""
    core, now = turn.core, turn.now
    zone = await deck.student_zone(core, shown.user_id, turn.chat_id)
    hour = core.settings.review_day_starts_hour
    seconds = max(0.0, (now - shown.shown_at).total_seconds())
    rating = grade(correct, seconds, not shown.options, core.settings)
    stored = await review_store.card_of(core.db, shown.user_id, shown.item)
    memory = deck.memory_of(core)
    card = load_state(stored.state, stored.due) if stored else memory.new_card(now)
    after = memory.review(card, rating, now)
    review = NewReview(shown.user_id, shown.item, question_id, "review", int(rating), round(seconds, 1), now,
                       study_day(now, zone, hour).isoformat(), stored.reviews if stored else 0,
                       dump_state(after), after.due)
    if not await review_store.answer_shown(core.db, shown, review):
        return None
    return rating, days_until(now, after.due, zone, hour), study_day(after.due, zone, hour)
