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
