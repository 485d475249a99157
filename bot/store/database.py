"""One SQLite connection with safe settings, numbered migrations and serialised transactions.

aiosqlite runs one connection on one thread; coroutines that share it must not interleave a
transaction, so every access holds one asyncio lock. Each change is one transaction
(BEGIN IMMEDIATE … COMMIT): a crash loses at most the change being written.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import aiosqlite

from bot.store.migrations import MIGRATIONS


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._memo: dict[tuple, asyncio.Future] = {}
        self._pending: list[tuple[str, Any, bool, asyncio.Future]] = []
        self.default_timezone = "Asia/Ho_Chi_Minh"   # for new chats; set from the settings
        self._flusher: asyncio.Task | None = None

    @classmethod
    async def open(cls, path: Path | str, synchronous: str = "FULL", read_only: bool = False) -> "Database":
        """The database, created and migrated as needed. `read_only` (for tools such as reports)
        opens an existing file without creating, migrating or writing anything
        (FileNotFoundError if it is absent). While the bot runs, its -wal file holds the latest
        commits and is read with them; a database at rest (no -wal) is opened immutable, so that
        reading leaves no -wal or -shm file beside it."""
        path = Path(path)
        if read_only:
            if not path.is_file():
                raise FileNotFoundError(path)
            mode = "ro" if path.with_name(path.name + "-wal").exists() else "ro&immutable=1"
            conn = await aiosqlite.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True,
                                           isolation_level=None)
        else:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=5000")
            if not read_only:
                await conn.execute("PRAGMA journal_mode=WAL")
                await conn.execute(f"PRAGMA synchronous={synchronous}")
                await conn.execute("PRAGMA foreign_keys=ON")
            db = cls(conn, path)
            if not read_only:
                await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db


    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
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

    async def memo(self, key: tuple, load: Callable[[], Awaitable[Any]]) -> Any:
        """A value read once and kept: callers that arrive while it is being read share that
        one read (a burst of 1,000 presses costs one query, not 1,000). Only this process
        changes what is memoised, and it calls `remember` or `forget` when it does."""
        future = self._memo.get(key)
        if future is not None and future.done() and not future.cancelled() and future.exception() is None:
            return future.result()
        if future is None:
            future = self._memo[key] = asyncio.ensure_future(load())
        try:
            return await asyncio.shield(future)
        except Exception:
            self._memo.pop(key, None)
            raise

    def remember(self, key: tuple, value: Any) -> None:
        future = asyncio.get_running_loop().create_future()
        future.set_result(value)
        self._memo[key] = future

    def forget(self, key: tuple) -> None:
        self._memo.pop(key, None)

    async def write(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> int:
        """One statement, atomic with what its triggers do; returns its rowcount once committed.

        Statements written at the same moment share one transaction (group commit): a burst of
        answers costs one fsync per batch, not one per answer, and no caller hears back before
        its statement is durable. A failing statement fails alone (SQLite rolls back just that
        statement); the others commit.
        """
        return await self._queue(sql, params, returning=False)

    async def write_returning(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        """Like write, for a statement with RETURNING."""
        return await self._queue(sql, params, returning=True)

    async def _queue(self, sql: str, params, returning: bool):
        future = asyncio.get_running_loop().create_future()
        self._pending.append((sql, params, returning, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        batch: list = []
        try:
            async with self._lock:
                while self._pending:
                    batch, self._pending = self._pending, []
                    await self._commit_batch(batch)
                    batch = []
        except BaseException as exc:
            # Cancelled (shutdown) or broken: nobody may wait forever. Every caller of this batch
            # and of any statement queued behind it hears that its write did not happen.
            waiting, self._pending = batch + self._pending, []
            failure = exc if isinstance(exc, Exception) else RuntimeError("the database write was cancelled")
            for *_, future in waiting:
                if not future.done():
                    future.set_exception(failure)
            raise

    async def _commit_batch(self, batch: list) -> None:
        outcomes: list[tuple[asyncio.Future, Any]] = []
        try:
            await self.conn.execute("BEGIN IMMEDIATE")
            for sql, params, returning, future in batch:
                try:
                    if returning:
                        result = list(await self.conn.execute_fetchall(sql, params))
                    else:
                        result = (await self.conn.execute(sql, params)).rowcount
                except sqlite3.Error as exc:
                    if not self.conn.in_transaction:
                        raise           # SQLite rolled back the whole batch (disk full, I/O): none counts
                    result = exc        # only this statement failed (a constraint): the rest commit
                outcomes.append((future, result))
            await self.conn.commit()
        except BaseException as exc:       # the batch did not commit: nobody succeeded
            if self.conn.in_transaction:
                await asyncio.shield(self.conn.rollback())
            if not isinstance(exc, Exception):
                raise
            outcomes = [(f, exc) for *_, f in batch]
        for future, result in outcomes:
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None
