"""Leaderboards at scale: 100,000 users in one chat and 1,000,000 answers.

The database is filled in bulk (the trigger is paused and the aggregates built with one
GROUP BY, which is what the trigger would have produced row by row), then /top and /me are
timed through StudyBot.handle for users already known to the running bot.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import bot_on, median, percentile
from bot.events import Chat, Command, User
from bot.store.database import Database

USERS = 100_000
ANSWERS = 1_000_000
QUESTIONS = 1_000
WEEKS = ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23")
SAMPLES = 500


async def build(db_path: Path) -> None:
    db = await Database.open(db_path)      # creates the schema through the migrations
    await db.close()
    conn = sqlite3.connect(db_path)
    rng = random.Random(5)
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'answers_keep_scores'").fetchone()[0]
    with conn:
        conn.execute("DROP TRIGGER answers_keep_scores")
        conn.execute("INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('telegram', '-100', 1, 'x')")
        conn.executemany("INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('telegram', ?, ?, 'x')",
                         ((str(u), f"Học sinh {u}") for u in range(USERS)))
        conn.executemany("INSERT INTO asked (chat_id, question_id, topic, options, correct, asked_at, closes_at, closed_at) "
                         "VALUES (1, ?, 'lich-su', '[]', 0, 'a', 'b', 'c')", ((f"q{n}",) for n in range(QUESTIONS)))

        def rows():
            for n in range(ANSWERS):
                correct = rng.random() < 0.6
                week = WEEKS[n % len(WEEKS)]
                yield (n // USERS + 1, n % USERS + 1, 1, "lich-su", "0", int(correct),
                       rng.randint(10, 15) if correct else 0, "2026-11-23T01:00:00.000000Z", week, week[:7])

        conn.executemany("INSERT INTO answers (asked_id, user_id, chat_id, topic, answer, correct, points, "
                         "answered_at, week, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        for period, expr in (("'all'", "'all'"), ("week", "'w:' || week"), ("month", "'m:' || month")):
            conn.execute(f"INSERT INTO scores (chat_id, user_id, period, points, answers, correct) "
                         f"SELECT chat_id, user_id, {expr}, SUM(points), COUNT(*), SUM(correct) FROM answers "
                         f"GROUP BY chat_id, user_id, {expr}")
        conn.execute("INSERT INTO topic_scores (user_id, chat_id, topic, answers, correct) "
                     "SELECT user_id, chat_id, topic, COUNT(*), SUM(correct) FROM answers GROUP BY user_id, chat_id, topic")
        conn.execute(trigger)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()


async def timed(bot, commands: list[Command]) -> list[float]:
    out = []
    for command in commands:
        started = time.perf_counter()
        replies = await bot.handle(command)
        out.append((time.perf_counter() - started) * 1000)
        assert replies and "Xin lỗi" not in replies[0].text.plain()
    return out


async def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "big.sqlite3"
        started = time.perf_counter()
        await build(db_path)
        built = time.perf_counter() - started
        size = os.path.getsize(db_path) / 2**20
        child = subprocess.run([sys.executable, "-m", "bench.memory", str(db_path)],
                               capture_output=True, text=True, check=True)
        rss_bot, rss_bare = map(float, child.stdout.split())
        async with bot_on(db_path) as bot:
            chat = Chat("telegram", "-100", True)
            rng = random.Random(9)
            # distinct users: each sends four commands here, within the flood limit (5 in 10 s)
            users = [User("telegram", str(n), f"Học sinh {n}") for n in rng.sample(range(USERS), SAMPLES)]
            for user in users:                       # the bot has seen them before
                await bot.handle(Command(user, chat, "help", ""))
            top = await timed(bot, [Command(u, chat, "top", "all") for u in users])
            week = await timed(bot, [Command(u, chat, "top", "week") for u in users])
            me = await timed(bot, [Command(u, chat, "me", "") for u in users])
    print(f"leaderboards: {USERS:,} users in one chat, {ANSWERS:,} answers; database {size:,.0f} MiB "
          f"(built in {built:.0f} s)")
    for name, values in (("/top all", top), ("/top week", week), ("/me", me)):
        print(f"  {name:<10} median {median(values):5.2f} ms   p99 {percentile(values, 0.99):5.2f} ms   "
              f"({len(values)} calls; goal: median < 10 ms, p99 < 50 ms)")
    print(f"  resident memory of a fresh bot process with the content loaded, this database open and "
          f"/top and /me answered: {rss_bot:,.0f} MiB (the interpreter with the bot's modules "
          f"imported: {rss_bare:,.0f} MiB)")
    return {"top_median": median(top), "me_median": median(me)}


if __name__ == "__main__":
    asyncio.run(run())
