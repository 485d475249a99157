"""Users and chats, keyed by platform and platform id; display names kept as they are now."""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from bot.events import Chat, User
from bot.normalize import clean_display
from bot.store.database import Database

MAX_NAME = 64


def display_name(user: User) -> str:
    """The name as the user has it now, made inert: a word joiner after every @ so that a
    name like "@everyone" or "@teacher" can never ping anyone on any platform."""
    name = clean_display(user.name)[:MAX_NAME].strip().replace("@", "@\u2060")
    return name or f"#{user.id}"


async def ensure_user(db: Database, user: User, now: datetime) -> int:
    """The user's row id, upserted once per process (a burst of one user's presses shares
    that write); the display name is written again whenever it changed."""
    name = display_name(user)

    async def upsert() -> tuple[int, str]:
        [row] = await db.write_returning(
            "INSERT INTO users (platform, platform_id, display_name, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, platform_id) DO UPDATE SET display_name = excluded.display_name "
            "RETURNING id", (user.platform, user.id, name, iso(now)))
        return int(row[0]), name

    key = ("user", user.platform, user.id)
    user_id, stored_name = await db.memo(key, upsert)
    if stored_name != name:
        user_id, stored_name = await upsert()
        db.remember(key, (user_id, stored_name))
    return user_id


async def ensure_chat(db: Database, chat: Chat, now: datetime) -> int:
    async def upsert() -> int:
        [row] = await db.write_returning(
            "INSERT INTO chats (platform, platform_id, is_group, timezone, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, platform_id) DO UPDATE SET is_group = excluded.is_group "
            "RETURNING id", (chat.platform, chat.id, int(chat.is_group), db.default_timezone, iso(now)))
        return int(row[0])

    return await db.memo(("chat", chat.platform, chat.id, chat.is_group), upsert)


async def chat_exists(db: Database, chat: Chat) -> bool:
    row = await db.fetchone("SELECT 1 FROM chats WHERE platform = ? AND platform_id = ? AND is_group = ?",
                            (chat.platform, chat.id, int(chat.is_group)))
    return row is not None


async def chat_by_id(db: Database, chat_id: int) -> tuple[Chat, str]:
    """The chat as the adapters know it, and its timezone."""
    row = await db.fetchone("SELECT platform, platform_id, is_group, timezone FROM chats WHERE id = ?",
                            (chat_id,))
    return Chat(row["platform"], row["platform_id"], bool(row["is_group"])), row["timezone"]


async def _chat_setting(db: Database, chat_id: int, column: str):
    """A chat's timezone or language, read once and shared (see Database.memo)."""
    assert column in ("timezone", "language")

    async def load():
        row = await db.fetchone(f"SELECT {column} FROM chats WHERE id = ?", (chat_id,))
        return row[0]

    return await db.memo((column, chat_id), load)


async def chat_timezone(db: Database, chat_id: int) -> str:
    return await _chat_setting(db, chat_id, "timezone")


async def set_chat_timezone(db: Database, chat_id: int, zone: str) -> None:
    await db.write("UPDATE chats SET timezone = ? WHERE id = ?", (zone, chat_id))
    db.remember(("timezone", chat_id), zone)


async def chat_language(db: Database, chat_id: int) -> str | None:
    return await _chat_setting(db, chat_id, "language")


async def set_chat_language(db: Database, chat_id: int, language: str) -> None:
    await db.write("UPDATE chats SET language = ? WHERE id = ?", (language, chat_id))
    db.remember(("language", chat_id), language)


# Every table with a chat_id, and how rows of a chat's second row fold into its first when a
# chat moves to an id we already knew (tests/test_seam_delivery.py checks this covers the schema).
_FOLD_INTO_OLD = (
    "INSERT INTO scores (chat_id, user_id, period, points, answers, correct) "
    "  SELECT :old, user_id, period, points, answers, correct FROM scores WHERE chat_id = :new "
    "  ON CONFLICT (chat_id, period, user_id) DO UPDATE SET points = points + excluded.points, "
    "  answers = answers + excluded.answers, correct = correct + excluded.correct",
    "DELETE FROM scores WHERE chat_id = :new",
    "INSERT INTO topic_scores (user_id, chat_id, topic, answers, correct) "
    "  SELECT user_id, :old, topic, answers, correct FROM topic_scores WHERE chat_id = :new "
    "  ON CONFLICT (user_id, chat_id, topic) DO UPDATE SET answers = answers + excluded.answers, "
    "  correct = correct + excluded.correct",
    "DELETE FROM topic_scores WHERE chat_id = :new",
    "INSERT INTO streaks (chat_id, user_id, current, best, last_day) "
    "  SELECT :old, user_id, current, best, last_day FROM streaks WHERE chat_id = :new "
    "  ON CONFLICT (chat_id, user_id) DO UPDATE SET current = MAX(current, excluded.current), "
    "  best = MAX(best, excluded.best), last_day = MAX(last_day, excluded.last_day)",
    "DELETE FROM streaks WHERE chat_id = :new",
    "INSERT OR IGNORE INTO daily_schedules (chat_id, enabled, post_time, reveal_before_minutes, "
    "  paused_reason, updated_at) SELECT :old, enabled, post_time, reveal_before_minutes, "
    "  paused_reason, updated_at FROM daily_schedules WHERE chat_id = :new",
    "DELETE FROM daily_schedules WHERE chat_id = :new",
    "UPDATE asked SET closed_at = :now WHERE closed_at IS NULL AND round_id IN "
    "  (SELECT id FROM rounds WHERE chat_id = :new AND state = 'running') "
    "  AND EXISTS (SELECT 1 FROM rounds WHERE chat_id = :old AND state = 'running')",
    "UPDATE rounds SET state = 'stopped', ended_at = :now WHERE chat_id = :new AND state = 'running' "
    "  AND EXISTS (SELECT 1 FROM rounds WHERE chat_id = :old AND state = 'running')",
    "UPDATE rounds SET chat_id = :old WHERE chat_id = :new",
    "UPDATE asked SET daily_day = NULL WHERE chat_id = :new AND daily_day IN "
    "  (SELECT daily_day FROM asked WHERE chat_id = :old AND daily_day IS NOT NULL)",
    "UPDATE asked SET chat_id = :old WHERE chat_id = :new",
    "UPDATE answers SET chat_id = :old WHERE chat_id = :new",
    "UPDATE platform_messages SET chat_id = :old WHERE chat_id = :new",
    "UPDATE question_reports SET chat_id = :old WHERE chat_id = :new",
    "UPDATE review_nudges SET chat_id = :old WHERE chat_id = :new",
    "UPDATE review_sessions SET chat_id = :old WHERE chat_id = :new",
    "DELETE FROM chats WHERE id = :new",
)
MOVED_TABLES = ("scores", "topic_scores", "streaks", "daily_schedules", "rounds", "asked", "answers",
                "platform_messages", "question_reports", "review_nudges", "review_sessions")


async def move_chat(db: Database, old: Chat, new: Chat, now: datetime) -> None:
    """A chat continues under a new platform id (a Telegram group became a supergroup):
    everything of it (scores, streaks, settings, schedule, a running round) moves with it, in
    one transaction. Rows already made under the new id are folded into the old ones."""
    async with db.transaction() as conn:
        rows = {}
        for chat in (old, new):
            cursor = await conn.execute("SELECT id FROM chats WHERE platform = ? AND platform_id = ?",
                                        (chat.platform, chat.id))
            found = await cursor.fetchone()
            rows[chat.id] = found[0] if found else None
        old_id, new_id = rows[old.id], rows[new.id]
        if old_id is None:
            return
        folded: list[int] = []
        if new_id is not None:
            cursor = await conn.execute("SELECT id FROM asked WHERE chat_id = ?", (new_id,))
            folded = [row[0] for row in await cursor.fetchall()]
            for sql in _FOLD_INTO_OLD:
                await conn.execute(sql, {"old": old_id, "new": new_id, "now": iso(now)})
        await conn.execute("UPDATE chats SET platform_id = ?, is_group = ? WHERE id = ?",
                           (new.id, int(new.is_group), old_id))
    for chat in (old, new):
        for is_group in (True, False):
            db.forget(("chat", chat.platform, chat.id, is_group))
    if new_id is not None:
        db.forget(("timezone", new_id))
        db.forget(("language", new_id))
    for asked_id in folded:                  # remembered with the chat id they had (quiz_store)
        db.forget(("asked", asked_id))
