"""SQLite through aiosqlite: the connection, the migrations and the queries, by concern."""

from bot.store.database import Database

__all__ = ["Database"]
