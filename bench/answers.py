"""Recording answers: 10,000 presses from 1,000 users on one question, in one burst.

Each user presses 10 times; exactly 1,000 answers must be recorded, none twice. The same
10,000 rows are then inserted with plain aiosqlite (INSERT OR IGNORE, one commit each, the same
WAL and synchronous settings) to give the ratio asked for.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiosqlite

from bench.common import bot_on
from bot.events import Chat, Press, User
from bot.quiz.present import present
from bot.store import people, quiz_store

USERS = 1_000
PRESSES_EACH = 10


async def core_burst(db_path: Path) -> tuple[float, int, list[tuple]]:
    async with bot_on(db_path) as bot:
        core = bot.core
        chat = Chat("telegram", "-100", True)
        now = core.clock.now()
        chat_id = await people.ensure_chat(core.db, chat, now)
        question = next(q for q in core.course.questions.values() if q.type == "choice")
        presented = present(question, core.rng, ("Đúng", "Sai"))   # a choice question: unused
        asked_id = await quiz_store.ask(core.db, chat_id, presented, question.topic, now,
                                        now + timedelta(hours=1))
        await quiz_store.mark_delivered(core.db, asked_id, now, False, None, chat.platform)
        rng = random.Random(3)
        events = [Press(User("telegram", str(1000 + u), f"Học sinh {u}"), chat,
                        f"a:{asked_id}:{rng.randrange(4)}")
                  for u in range(USERS) for _ in range(PRESSES_EACH)]
        rng.shuffle(events)
        started = time.perf_counter()
        await asyncio.gather(*(bot.handle(e) for e in events))
        elapsed = time.perf_counter() - started
        stored = (await core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]
        rows = [tuple(r) for r in await core.db.fetchall(
            "SELECT asked_id, user_id, chat_id, topic, answer, correct, points, answered_at, week, month "
            "FROM answers")]
    # the same rows as attempted: every user's 10 presses
    attempts = [row for row in rows for _ in range(PRESSES_EACH)]
    return elapsed, stored, attempts


async def raw_inserts(db_path: Path, rows: list[tuple], synchronous: str = "FULL") -> tuple[float, int]:
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute(f"PRAGMA synchronous={synchronous}")
        await conn.execute(
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, asked_id INTEGER, user_id INTEGER, "
            "chat_id INTEGER, topic TEXT, answer TEXT, correct INTEGER, points INTEGER, "
            "answered_at TEXT, week TEXT, month TEXT, UNIQUE (asked_id, user_id))")
        started = time.perf_counter()
        for row in rows:
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute(
                "INSERT OR IGNORE INTO answers (asked_id, user_id, chat_id, topic, answer, correct, "
                "points, answered_at, week, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            await conn.commit()
        elapsed = time.perf_counter() - started
        async with conn.execute("SELECT COUNT(*) FROM answers") as cursor:
            stored = (await cursor.fetchone())[0]
    return elapsed, stored


async def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        core_time, stored, rows = await core_burst(Path(tmp) / "core.sqlite3")
        raw_time, raw_stored = await raw_inserts(Path(tmp) / "raw.sqlite3", rows)
    attempts = USERS * PRESSES_EACH
    assert stored == USERS and raw_stored == USERS, (stored, raw_stored)
    core_rate, raw_rate = attempts / core_time, attempts / raw_time
    print(f"answers: {attempts:,} presses from {USERS:,} users on one question -> {stored:,} recorded, none twice")
    print(f"  through the core (StudyBot.handle): {core_rate:,.0f} presses/s ({core_time:.2f} s)")
    print(f"  raw aiosqlite INSERT OR IGNORE, one commit each: {raw_rate:,.0f} rows/s ({raw_time:.2f} s)")
    print(f"  ratio core / raw: {core_rate / raw_rate:.2f} (goal >= 0.5; WAL, synchronous=FULL for both)")
    return {"core_rate": core_rate, "raw_rate": raw_rate}


if __name__ == "__main__":
    asyncio.run(run())
