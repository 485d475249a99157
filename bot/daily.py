"""/daily and the daily challenge: one question a day for the whole chat, at the chat's time.

Posting is driven by `post_due` from the scheduler: for every active schedule it works out the
current day's window from the clock and posts if that day has not been posted, so downtime over
a post time means one late post (while the window is open), never two; a unique index on
(chat, day) makes a duplicate impossible even so.
"""

from __future__ import annotations

from dataclasses import replace
import logging
from datetime import datetime, timedelta

from bot.core import Core
from bot.daily_schedule import Timing, change, current_window, next_post
from bot.i18n import Catalog
from bot.model.play import Asked
from bot.periods import zone
from bot.quiz.messages import question_reply, reveal_reply, true_false_labels
from bot.quiz.picking import pick_daily
from bot.quiz.present import present
from bot.replies import Reply
from bot.rounds import answer_button, typed_hint
from bot.store import daily_store, people, quiz_store
from bot.text import bold, join, plain
from bot.turn import Args, Turn

log = logging.getLogger(__name__)
PAUSES = ("removed", "deleted", "undeliverable")   # why a schedule is paused (daily_schedules.paused_reason)


def local_label(tr: Catalog, instant: datetime, timezone: str) -> str:
    local = instant.astimezone(zone(timezone))
    return tr("daily.when", weekday=tr.list("weekdays")[local.weekday()], date=f"{local:%d/%m}",
              time=f"{local:%H:%M}")


async def daily_command(turn: Turn, args: Args) -> list[Reply]:
    core, tr = turn.core, turn.tr
    action, value = args["action"], (args["value"] or "").strip()
    schedule = await daily_store.schedule_of(core.db, turn.chat_id)
    if action is None:
        if turn.chat.is_group or (schedule is not None and schedule.enabled):
            return [state_reply(tr, schedule, turn.now)]
        action = "on"                    # /daily in a private chat subscribes the user
    if not turn.is_admin:
        return [turn.aside(tr("daily.admin_only"))]
    if schedule is not None:
        current = Timing(schedule.post_time, schedule.enabled, schedule.timezone)
    else:
        current = Timing(core.settings.daily_time, False, await people.chat_timezone(core.db, turn.chat_id))
    changed = change(current, action, value)
    if changed == "zone":
        return [turn.aside(tr("daily.bad_zone"))]
    if changed == "time":
        return [turn.aside(tr("daily.bad_time_on") if action == "on" else tr("daily.bad_time"))]
    if action == "tz":
        await people.set_chat_timezone(core.db, turn.chat_id, changed.timezone)
        if not changed.enabled:
            return [turn.say(tr("daily.zone_set", zone=changed.timezone))]
    await daily_store.save_schedule(core.db, turn.chat_id, changed.enabled, changed.at,
                                    core.settings.reveal_before_minutes, turn.now)
    return [state_reply(tr, await daily_store.schedule_of(core.db, turn.chat_id), turn.now)]


def state_reply(tr: Catalog, schedule: daily_store.Schedule | None, now: datetime) -> Reply:
    if schedule is None or not schedule.enabled:
        return Reply(plain(tr("daily.off")))
    if schedule.paused_reason:
        code = schedule.paused_reason if schedule.paused_reason in PAUSES else "removed"
        return Reply(join([bold(tr("daily.paused_title")), tr(f"daily.paused_{code}")]))
    upcoming = next_post(now, schedule.post_time, schedule.timezone)
    lines = [
        bold(tr("daily.on_title")),
        tr("daily.post_time", time=schedule.post_time, zone=schedule.timezone),
        tr("daily.next", when=local_label(tr, upcoming, schedule.timezone)),
        tr("daily.reveal_rule", minutes=schedule.reveal_before_minutes),
    ]
    return Reply(join(lines))


async def post_due(core: Core) -> None:
    """Post the day's question to every chat whose window is open and has not had it."""
    now = core.clock.now()
    for schedule in await daily_store.active_schedules(core.db):
        try:                 # one chat's failure must not cost every other chat its question
            replies = await _post_for(core, schedule, now)
            if replies:
                chat, _ = await people.chat_by_id(core.db, schedule.chat_id)
                await core.outbox.post(chat, replies)
        except Exception:
            log.exception("failed to post the daily question of chat %s", schedule.chat_id)


async def _post_for(core: Core, schedule: daily_store.Schedule, now: datetime) -> list[Reply]:
    reveal_before = timedelta(minutes=schedule.reveal_before_minutes)
    window = current_window(now, schedule.post_time, schedule.timezone, reveal_before)
    if now >= window.reveal_at:
        return []
    if schedule.latest_day is not None and schedule.latest_day >= window.key:
        return []   # posted already (also after a change of time or zone)
    previous = None
    if schedule.latest_day is not None:
        previous_id = await daily_store.daily_question_of(core.db, schedule.chat_id, schedule.latest_day)
        previous = core.course.questions.get(previous_id)
    recent = await quiz_store.last_asked(core.db, schedule.chat_id)
    question = pick_daily(core.course.questions.values(), recent, previous, core.rng)
    if question is None:
        return []
    tr = await core.tr(schedule.chat_id)
    presented = present(question, core.rng, true_false_labels(tr))
    asked_id = await quiz_store.ask(core.db, schedule.chat_id, presented, question.topic, now,
                                    window.reveal_at, daily_day=window.key)
    if asked_id is None:
        return []
    chat, _ = await people.chat_by_id(core.db, schedule.chat_id)
    header = tr("daily.header", date=f"{window.day:%d/%m/%Y}",
                until=local_label(tr, window.reveal_at, schedule.timezone))
    open_seconds = int((window.reveal_at - now).total_seconds())
    post = question_reply(core.course, asked_id, question, presented, header, open_seconds,
                          typed_hint(core, tr, chat.platform, chat.is_group, "daily"),
                          answer_button(core, tr, chat.platform, asked_id))
    return [replace(post, background=True)]     # a thousand chats at 08:00 must not stall a quiz


async def reveal_daily(core: Core, asked: Asked) -> list[Reply]:
    """Close a daily question (once) and reveal it with how the chat did."""
    if not await quiz_store.close_asked(core.db, asked.id, core.clock.now()):
        return []
    question = core.course.questions.get(asked.question_id)
    if question is None:
        return []
    answers = await quiz_store.answers_to(core.db, asked.id)
    tr = await core.tr(asked.chat_id)
    day = f"{asked.daily_day[8:10]}/{asked.daily_day[5:7]}"
    reply = reveal_reply(tr, core.course, question, asked.presented, answers, tr("daily.reveal_title", day=day))
    right = [a for a in answers if a.correct]
    summary = tr("daily.summary", answered=len(answers), right=len(right))
    if right:
        summary += tr("daily.fastest", names=", ".join(a.name for a in right[:3]))
    return [Reply(join([reply.text, summary]), reply.buttons, game=True)]
