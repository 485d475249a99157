"""Quiz rounds: /quiz, /stop, answers, and moving on when a question's time is up.

A round is a row with its questions drawn at the start; each question put to the chat is an
`asked` row with its closing time. The scheduler (Core users call `reveal_due`) closes what is
due, reveals it and asks the next, so a restart resumes a round where it was.
"""

from __future__ import annotations

from datetime import timedelta

from bot.answering import record
from bot.core import Core
from bot.events import Chat, Command, User
from bot.i18n import Catalog
from bot.normalize import fold
from bot.quiz.messages import question_reply, reveal_reply, standings_reply
from bot.quiz.picking import pick_questions
from bot.quiz.present import present
from bot.replies import Reply
from bot.store import people, quiz_store
from bot.model.play import Asked, Round
from bot.text import plain



def find_topic(core: Core, text: str) -> str | None:
    key = fold(text)
    for topic in core.course.topics.values():
        if key in {fold(topic.id), fold(topic.title), *(fold(a) for a in topic.aliases)}:
            return topic.id
    return None


def parse_quiz_args(core: Core, tr: Catalog, args: str) -> tuple[str | None, int, str | None]:
    """(topic id, count, error) from "lịch sử 5", "5", "lich su" or ""."""
    words = args.split()
    count = core.settings.round_size
    if words and words[-1].lstrip("-").isdigit():
        count = int(words.pop())
        if count < 1:
            return None, 0, tr("quiz.bad_count", max=core.settings.round_max)
        count = min(count, core.settings.round_max)
    if not words:
        return None, count, None
    topic = find_topic(core, " ".join(words))
    if topic is None:
        return None, 0, tr("quiz.bad_topic")
    return topic, count, None


async def start_quiz(core: Core, command: Command) -> list[Reply]:
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, command.chat, now)
    user_id = await people.ensure_user(core.db, command.user, now)
    tr = await core.tr(chat_id)
    if await quiz_store.running_round(core.db, chat_id):
        return [Reply(plain(tr("quiz.running")))]
    topic, count, error = parse_quiz_args(core, tr, command.args)
    if error:
        return [Reply(plain(error))]
    pool = [q for q in core.course.questions.values() if topic is None or q.topic == topic]
    recent = await quiz_store.last_asked(core.db, chat_id)
    chosen = pick_questions(pool, count, recent, core.rng)
    if not chosen:
        return [Reply(plain(tr("quiz.no_questions")))]
    round_id = await quiz_store.start_round(core.db, chat_id, user_id, topic,
                                            [q.id for q in chosen], core.settings.question_seconds, now)
    if round_id is None:
        return [Reply(plain(tr("quiz.running")))]
    title = core.course.topics[topic].title if topic else tr("quiz.all_topics")
    intro = Reply(plain(tr("quiz.start", count=len(chosen), title=title, seconds=core.settings.question_seconds)))
    first = await ask_next(core, await quiz_store.round_by_id(core.db, round_id), 1)
    return [intro, *first]


async def ask_next(core: Core, round_: Round, position: int) -> list[Reply]:
    now = core.clock.now()
    question = core.course.questions.get(round_.question_ids[position - 1])
    if question is None:  # removed from the content since the round began
        return await finish_round(core, round_, "finished")
    presented = present(question, core.rng)
    closes_at = now + timedelta(seconds=round_.seconds)
    asked_id = await quiz_store.ask(core.db, round_.chat_id, presented, question.topic, now, closes_at,
                                    round_id=round_.id, position=position)
    if asked_id is None:
        return []
    tr = await core.tr(round_.chat_id)
    header = tr("quiz.header", position=position, total=len(round_.question_ids), seconds=round_.seconds)
    return [question_reply(core.course, asked_id, question, presented, header, round_.seconds,
                           tr("quiz.typed_hint"))]


async def finish_round(core: Core, round_: Round, state: str) -> list[Reply]:
    if not await quiz_store.end_round(core.db, round_.id, state, core.clock.now()):
        return []
    standings = await quiz_store.round_standings(core.db, round_.id)
    tr = await core.tr(round_.chat_id)
    return [standings_reply(tr, tr("quiz.finished" if state == "finished" else "quiz.stopped"), standings)]


async def reveal(core: Core, asked: Asked, title_key: str) -> list[Reply]:
    """Close an asked question (once), reveal it, and move its round on."""
    if not await quiz_store.close_asked(core.db, asked.id, core.clock.now()):
        return []
    tr = await core.tr(asked.chat_id)
    replies = []
    question = core.course.questions.get(asked.question_id)
    if question is not None:
        answers = await quiz_store.answers_to(core.db, asked.id)
        replies.append(reveal_reply(tr, core.course, question, asked.presented, answers, tr(title_key)))
    if asked.round_id is not None:
        replies += await advance_round(core, asked)
    return replies


async def advance_round(core: Core, asked: Asked) -> list[Reply]:
    round_ = await quiz_store.round_by_id(core.db, asked.round_id)
    if round_.state != "running":
        return []
    overdue = core.clock.now() - asked.closes_at - core.grace
    if overdue > timedelta(minutes=core.settings.resume_minutes):
        tr = await core.tr(round_.chat_id)
        replies = [Reply(plain(tr("quiz.ended_after_restart")))]
        return replies + await finish_round(core, round_, "stopped")
    if asked.position >= len(round_.question_ids):
        return await finish_round(core, round_, "finished")
    return await ask_next(core, round_, asked.position + 1)


async def stop_quiz(core: Core, command: Command) -> list[Reply]:
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, command.chat, now)
    user_id = await people.ensure_user(core.db, command.user, now)
    round_ = await quiz_store.running_round(core.db, chat_id)
    tr = await core.tr(chat_id)
    if round_ is None:
        return [Reply(plain(tr("quiz.none_running")))]
    if round_.started_by != user_id and not command.user.is_admin:
        return [Reply(plain(tr("quiz.stop_refused")), to=command.user)]
    for asked in await quiz_store.open_asked_in_chat(core.db, chat_id):
        if asked.round_id == round_.id:
            await quiz_store.close_asked(core.db, asked.id, now)
    return await finish_round(core, round_, "stopped")


async def answer(core: Core, user: User, chat: Chat, asked: Asked, option: int | None,
                 typed: str | None) -> list[Reply]:
    outcome = await record(core, user, chat, asked, option, typed)
    replies = list(outcome.replies)
    if outcome.recorded and asked.round_id is not None and await _everyone_answered(core, chat, asked):
        replies += await reveal(core, asked, "quiz.everyone_answered")
    return replies


async def _everyone_answered(core: Core, chat: Chat, asked: Asked) -> bool:
    """Private chats move on at once; groups once all who played earlier questions answered."""
    if not chat.is_group:
        return True
    return await quiz_store.round_players_all_answered(core.db, asked)

