"""The daily nudge a student chose: `/review on 20:00`, `/review off`, `/review tz ZONE`, and
sending the nudges that are due from the core's due-work step.

A nudge is one private message a day, at the student's local time, only when a card is due
that study day, and only to the private chat where the student turned it on (a platform cannot
message someone who never opened a chat with the bot). Each nudge row carries its next instant,
so a tick costs one indexed query however many students there are; a bot down over a nudge time
sends it late the same study day, never twice, and skips a day that has ended.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core import Core
from bot.daily_schedule import Timing, change, current_window, next_post
from bot.events import Chat
from bot.i18n import catalog
from bot.periods import zone
from bot.replies import Reply
from bot.review.days import study_day, study_day_end
from bot.review.messages import day_label, nudge_reply
from bot.store import people, review_store
from bot.store.review_store import Nudge
from bot.turn import Turn

log = logging.getLogger(__name__)


async def nudge_command(turn: Turn, action: str, value: str) -> list[Reply]:
    """on [HH:MM] / off / tz ZONE, in the student's private chat; `value` is all that follows
    the action, read whole as /daily reads it (so "on 20:00 21:00" is refused, not half read)."""
    core, tr, now = turn.core, turn.tr, turn.now
    nudge = await review_store.nudge_of(core.db, turn.user_id)
    if nudge is not None:
        current = Timing(nudge.nudge_time, nudge.enabled, nudge.timezone)
    else:
        current = Timing(core.settings.review_nudge_time, False, await people.chat_timezone(core.db, turn.chat_id))
    changed = change(current, action, value)
    if isinstance(changed, str):
        return [turn.aside(tr("review.bad_zone") if changed == "zone" else tr("review.bad_time"))]
    at, enabled, timezone = changed.at, changed.enabled, changed.timezone
    upcoming = next_post(now, at, timezone)
    await review_store.save_nudge(core.db, Nudge(
        turn.user_id, turn.chat_id, enabled, at, timezone, upcoming,
        study_day_end(upcoming, timezone, core.settings.review_day_starts_hour), None), now)
    if not enabled:
        return [turn.say(tr("review.zone_set", zone=timezone) if action == "tz" else tr("review.nudge_off", time=at))]
    return [turn.say(tr("review.nudge_set", time=at, zone=timezone,
                        when=day_label(tr, upcoming.astimezone(zone(timezone)).date())))]


async def send_due(core: Core) -> int:
    """Send every nudge whose time has come (once a study day, only with cards due); move each
    to its next time. The moves are written before sending: a crash in between loses a nudge,
    never sends two. Returns how many were sent."""
    now = core.clock.now()
    due = await review_store.due_nudges(core.db, now)
    if not due:
        return 0
    hour = core.settings.review_day_starts_hour
    moves, sends = [], []
    for entry in due:
        nudge = entry.nudge
        # The nudge time just passed: the stored one, or a later one after a bot down for days.
        latest = latest_nudge(now, nudge.nudge_time, nudge.timezone)
        day = study_day(latest, nudge.timezone, hour).isoformat()
        ends = study_day_end(latest, nudge.timezone, hour)
        send = now < ends and nudge.last_day != day
        if send and latest != nudge.next_at:
            entry = replace(entry, cards_due=await review_store.count_due(core.db, nudge.user_id, ends))
        send = send and entry.cards_due > 0
        following = next_post(now, nudge.nudge_time, nudge.timezone)
        moves.append((nudge.user_id, following, study_day_end(following, nudge.timezone, hour), day if send else None))
        if send:
            sends.append(entry)
    await review_store.advance_nudges(core.db, moves, now)
    for entry in sends:
        try:
            chat = Chat(entry.platform, entry.platform_chat_id, is_group=False)
            tr = catalog(entry.language or core.settings.language)
            await core.outbox.post(chat, [nudge_reply(tr, entry.cards_due)])
        except Exception:
            log.exception("failed to send the review nudge of user %s", entry.nudge.user_id)
    return len(sends)


def latest_nudge(now: datetime, nudge_time: str, timezone: str) -> datetime:
    """The last local `nudge_time` at or before `now`: the post instant of the daily schedule's
    current window (a nudge has no reveal, hence no time before the next)."""
    return current_window(now, nudge_time, timezone, timedelta(0)).post_at
