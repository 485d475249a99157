"""Daily schedules: one row a chat, re-planned from the database at every start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from bot.store.database import Database


@dataclass(frozen=True)
class Schedule:
    chat_id: int
    enabled: bool
    post_time: str
    reveal_before_minutes: int
    paused_reason: str | None
    timezone: str
    latest_day: str | None      # the newest day this chat got a daily question


# One query for every schedule, with its latest posted day from the (chat, day) index, so the
# scheduler's tick each second costs one read however many chats subscribe.
_SELECT = (
    "SELECT d.chat_id, d.enabled, d.post_time, d.reveal_before_minutes, d.paused_reason, c.timezone, "
    "  (SELECT MAX(a.daily_day) FROM asked a WHERE a.chat_id = d.chat_id AND a.daily_day IS NOT NULL) "
    "FROM daily_schedules d JOIN chats c ON c.id = d.chat_id ")


def _schedule(row) -> Schedule:
    return Schedule(row[0], bool(row[1]), row[2], row[3], row[4], row[5], row[6])


async def schedule_of(db: Database, chat_id: int) -> Schedule | None:
    row = await db.fetchone(_SELECT + "WHERE d.chat_id = ?", (chat_id,))
    return _schedule(row) if row else None


async def active_schedules(db: Database) -> list[Schedule]:
    rows = await db.fetchall(_SELECT + "WHERE d.enabled = 1 AND d.paused_reason IS NULL ORDER BY d.chat_id")
    return [_schedule(r) for r in rows]


async def save_schedule(db: Database, chat_id: int, enabled: bool, post_time: str,
                        reveal_before_minutes: int, now: datetime) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO daily_schedules (chat_id, enabled, post_time, reveal_before_minutes, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET enabled = excluded.enabled, "
            "post_time = excluded.post_time, paused_reason = NULL, updated_at = excluded.updated_at",
            (chat_id, int(enabled), post_time, reveal_before_minutes, iso(now)))


async def pause_schedule(db: Database, chat_id: int, reason: str, now: datetime) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE daily_schedules SET paused_reason = ?, updated_at = ? WHERE chat_id = ?",
                           (reason, iso(now), chat_id))


async def daily_question_of(db: Database, chat_id: int, day: str) -> str | None:
    row = await db.fetchone("SELECT question_id FROM asked WHERE chat_id = ? AND daily_day = ?", (chat_id, day))
    return row[0] if row else None
