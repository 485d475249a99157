"""Quiz rounds: /quiz, /stop, answers, and moving on when a question's time is up.

A round is a row with its questions drawn at the start; each question put to the chat is an
`asked` row. Its time starts when the platform confirms the question was delivered
(StudyBot.delivered), so a slow delivery never eats the students' time and a reveal never comes
before its question. The clock (StudyBot.run_due) closes what is due, reveals it and asks the
next, so a restart resumes a round where it was.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.answering import record
from bot.core import Core
from bot.i18n import Catalog
from bot.model.play import Asked, Round
from bot.normalize import fold
from bot.quiz.messages import question_reply, recap_line, reveal_reply, standings_reply, true_false_labels
from bot.quiz.picking import pick_questions
from bot.quiz.present import present
from bot.replies import Button, Reply
from bot.store import people, quiz_store
from bot.text import plain
from bot.turn import Args, Turn


def find_topic(core: Core, text: str) -> str | None:
    key = fold(text)
    for topic in core.course.topics.values():
        if key in {fold(topic.id), fold(topic.title), *(fold(a) for a in topic.aliases)}:
            return topic.id
    return None


def typed_hint(core: Core, tr: Catalog, platform: str, is_group: bool, kind: str) -> str:
    """How to answer a typed question where the chat is: only what works on its platform.
    `kind`: "quiz" (plain text is read where the bot reads the chat) or "daily" (/answer)."""
    can = core.can(platform)
    if can.answer_form:
        return tr(f"{kind}.typed_hint_form")
    if kind == "quiz" and (can.reads_chat or not is_group):
        return tr("quiz.typed_hint")
    return tr("daily.typed_hint")


def answer_button(core: Core, tr: Catalog, platform: str, asked_id: int) -> Button | None:
    """A button that opens a form to type the answer in, where the platform has forms."""
    return Button(f"t:{asked_id}", tr("quiz.answer_button")) if core.can(platform).answer_form else None


async def start_quiz(turn: Turn, args: Args) -> list[Reply]:
    core, tr = turn.core, turn.tr
    if await quiz_store.running_round(core.db, turn.chat_id):
        return [turn.say(tr("quiz.running"))]
    topic = None
    if args["topic"]:
        topic = find_topic(core, args["topic"])
        if topic is None:
            return [turn.say(tr("quiz.bad_topic"))]
    count = args["count"] or core.settings.round_size
    pool = [q for q in core.course.questions.values() if topic is None or q.topic == topic]
    recent = await quiz_store.last_asked(core.db, turn.chat_id)
    chosen = pick_questions(pool, count, recent, core.rng)
    if not chosen:
        return [turn.say(tr("quiz.no_questions"))]
    round_id = await quiz_store.start_round(core.db, turn.chat_id, turn.user_id, topic,
                                            [q.id for q in chosen], core.settings.question_seconds, turn.now)
    if round_id is None:
        return [turn.say(tr("quiz.running"))]
    title = core.course.topics[topic].title if topic else tr("quiz.all_topics")
    intro = turn.say(tr("quiz.start", count=len(chosen), title=title, seconds=core.settings.question_seconds),
                     game=True)
    first = await ask_next(core, await quiz_store.round_by_id(core.db, round_id), 1)
    return [intro, *first]


async def ask_next(core: Core, round_: Round, position: int) -> list[Reply]:
    """Put the round's question at `position` to the chat. Its time starts on delivery."""
    now = core.clock.now()
    question = core.course.questions.get(round_.question_ids[position - 1])
    if question is None:  # removed from the content since the round began
        return await finish_round(core, round_, "finished")
    chat, _ = await people.chat_by_id(core.db, round_.chat_id)
    tr = await core.tr(round_.chat_id)
    presented = present(question, core.rng, true_false_labels(tr))
    closes_at = now + timedelta(seconds=round_.seconds)
    asked_id = await quiz_store.ask(core.db, round_.chat_id, presented, question.topic, now, closes_at,
                                    round_id=round_.id, position=position)
    if asked_id is None:
        return []
    header = tr("quiz.header", position=position, total=len(round_.question_ids), seconds=round_.seconds)
    return [question_reply(core.course, asked_id, question, presented, header, round_.seconds,
                           typed_hint(core, tr, chat.platform, chat.is_group, "quiz"),
                           answer_button(core, tr, chat.platform, asked_id))]


async def finish_round(core: Core, round_: Round, state: str) -> list[Reply]:
    if not await quiz_store.end_round(core.db, round_.id, state, core.clock.now()):
        return []
    standings = await quiz_store.round_standings(core.db, round_.id)
    tr = await core.tr(round_.chat_id)
    recap = []
    for asked, answers, right in await quiz_store.native_questions_of_round(core.db, round_.id):
        question = core.course.questions.get(asked.question_id)
        if question is not None:
            recap.append(recap_line(tr, question, asked.presented, asked.position, answers, right))
    title = tr("quiz.finished" if state == "finished" else "quiz.stopped")
    return [standings_reply(tr, title, standings, recap)]


async def reveal(core: Core, asked: Asked, title_key: str) -> list[Reply]:
    """Close an asked question (once), reveal it, and move its round on. A question the
    platform showed as its own quiz reveals itself when it closes: it gets a line in the
    standings instead of a message."""
    if not await quiz_store.close_asked(core.db, asked.id, core.clock.now()):
        return []
    tr = await core.tr(asked.chat_id)
    replies = []
    question = core.course.questions.get(asked.question_id)
    if question is not None and not asked.native:
        answers = await quiz_store.answers_to(core.db, asked.id)
        replies.append(reveal_reply(tr, core.course, question, asked.presented, answers, tr(title_key)))
    if asked.round_id is not None:
        replies += await advance_round(core, asked)
    return replies


async def advance_round(core: Core, asked: Asked) -> list[Reply]:
    round_ = await quiz_store.round_by_id(core.db, asked.round_id)
    if round_.state != "running":
        return []
    if away_too_long(core, asked.closes_at + core.grace):
        return await end_after_restart(core, round_)
    if asked.position >= len(round_.question_ids):
        return await finish_round(core, round_, "finished")
    return await ask_next(core, round_, asked.position + 1)


def away_too_long(core: Core, since: datetime) -> bool:
    """After a restart, a round whose question was due this long ago ends instead of resuming."""
    return core.clock.now() - since > timedelta(minutes=core.settings.resume_minutes)


async def end_after_restart(core: Core, round_: Round) -> list[Reply]:
    tr = await core.tr(round_.chat_id)
    return [Reply(plain(tr("quiz.ended_after_restart")), game=True), *await finish_round(core, round_, "stopped")]


async def stop_quiz(turn: Turn, args: Args) -> list[Reply]:
    core = turn.core
    round_ = await quiz_store.running_round(core.db, turn.chat_id)
    if round_ is None:
        return [turn.say(turn.tr("quiz.none_running"))]
    if round_.started_by != turn.user_id and not turn.is_admin:
        return [turn.aside(turn.tr("quiz.stop_refused"))]
    return await end_round_now(core, round_)


async def end_round_now(core: Core, round_: Round, state: str = "stopped") -> list[Reply]:
    """Close the round's open questions without revealing them, and end it."""
    for asked in await quiz_store.open_asked_in_chat(core.db, round_.chat_id):
        if asked.round_id == round_.id:
            await quiz_store.close_asked(core.db, asked.id, core.clock.now())
    return await finish_round(core, round_, state)


async def answer(turn: Turn, asked: Asked, option: int | None, typed: str | None) -> list[Reply]:
    """Record one answer; once everyone who plays has answered, reveal and move on."""
    outcome = await record(turn, asked, option, typed)
    replies = list(outcome.replies)
    if outcome.recorded and asked.round_id is not None and await _everyone_answered(turn, asked):
        replies += await reveal(turn.core, asked, "quiz.everyone_answered")
    return replies


async def _everyone_answered(turn: Turn, asked: Asked) -> bool:
    """Private chats move on at once; groups once all who played earlier questions answered.
    A platform's own quiz (a poll) runs its full time: it closes by itself."""
    if asked.native:
        return False
    if not turn.chat.is_group:
        return True
    return await quiz_store.round_players_all_answered(turn.core.db, asked)
