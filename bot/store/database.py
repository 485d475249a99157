"""One SQLite connection with safe settings, numbered migrations and serialised transactions.

aiosqlite runs one connection on one thread; coroutines that share it must not interleave a
transaction, so every access holds one asyncio lock. Each change is one transaction
(BEGIN IMMEDIATE … COMMIT): a crash loses at most the change being written.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import aiosqlite

from bot.store.migrations import MIGRATIONS


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        # Row ids of users and chats already upserted through this connection, with the
        # display name stored, so that reading commands do not write (see store/people.py).
        self.known_ids: dict[tuple[str, ...], tuple[int, str]] = {}

    @classmethod
    async def open(cls, path: Path | str, synchronous: str = "FULL") -> "Database":
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute(f"PRAGMA synchronous={synchronous}")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA foreign_keys=ON")
            db = cls(conn, path)
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        async with self._lock:
            await self.conn.close()

    async def version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    async def migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        current = await self.version()
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            await self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            await self.conn.commit()

    async def write(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> int:
        """One statement on its own: atomic with everything its triggers do. Returns rowcount."""
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            return cursor.rowcount

    async def fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None
