"""Spaced review at scale: 10,000 students with 200 cards each (2,000,000 cards) and a nudge each.

The database is filled in bulk (cards with FSRS states and due instants spread over the last 5
and the next 60 days; nudges at ten evening times, so 1,000 students fall due at each), then the
core's nudge step (`bot.review.nudges.send_due`, what `StudyBot.run_due` calls) runs at each of
the ten times. Reported: the query that finds who is due and how many cards each has, and the
whole step (query, moving 1,000 nudges on in one transaction, 1,000 sends to a silent outbox),
per 1,000 students due; and what the review tables add to the database file.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import CONTENT, CountingOutbox, bot_on, median
from bot.clock import ManualClock, iso
from bot.course.load import load_course
from bot.review import nudges
from bot.review.days import study_day_end
from bot.store import review_store
from bot.store.database import Database


STUDENTS = 10_000
CARDS_EACH = 200
TIMES = [f"{19 + n // 6}:{(n % 6) * 10:02d}" for n in range(10)]     # 19:00 … 20:30, 1,000 each
ZONE = "Asia/Ho_Chi_Minh"
MONDAY = datetime.fromisoformat("2026-11-23T12:00:00+07:00")


def _card_rows(rng: random.Random, question_ids: list[str]):
    for user in range(1, STUDENTS + 1):
        for item in sorted(rng.sample(question_ids, CARDS_EACH)):
            last = MONDAY - timedelta(days=rng.uniform(0.5, 30))
            stability = rng.uniform(0.2, 60)
            due = MONDAY + timedelta(days=rng.uniform(-5, 60))
            state = json.dumps({"state": 2, "step": None, "stability": stability,
                                "difficulty": rng.uniform(1, 10), "last_review": last.isoformat()},
                               separators=(",", ":"))
            yield user, "q:" + item, state, iso(due), rng.randint(1, 8), rng.randint(0, 2)


def _size(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]


async def build(db_path: Path) -> dict[str, int]:
    db = await Database.open(db_path)      # the schema, through the migrations
    await db.close()
    course = load_course(CONTENT)
    rng = random.Random(11)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany("INSERT INTO users (platform, platform_id, display_name, created_at) "
                         "VALUES ('telegram', ?, ?, 'x')", ((str(u), f"Học sinh {u}") for u in range(STUDENTS)))
        conn.executemany("INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('telegram', ?, 0, 'x')",
                         ((str(u),) for u in range(STUDENTS)))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _size(conn)
    with conn:
        conn.executemany("INSERT INTO review_cards (user_id, item, state, due, reviews, lapses) VALUES (?, ?, ?, ?, ?, ?)",
                         _card_rows(rng, sorted(course.questions)))
        nudge_rows = []
        for user in range(1, STUDENTS + 1):
            at = TIMES[(user - 1) % len(TIMES)]
            first = datetime.fromisoformat(f"2026-11-23T{int(at[:2]):02d}:{at[3:]}:00+07:00")
            nudge_rows.append((user, user, at, ZONE, iso(first), iso(study_day_end(first, ZONE, 4)), iso(MONDAY)))
        conn.executemany("INSERT INTO review_nudges (user_id, chat_id, enabled, nudge_time, timezone, next_at, "
                         "next_day_ends, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)", nudge_rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    after = _size(conn)
    tables = {}
    try:
        tables = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'review%' "
                                   "OR name LIKE 'sqlite_autoindex_review%' GROUP BY name").fetchall())
    except sqlite3.OperationalError:            # SQLite built without the dbstat table
        pass
    conn.close()
    return {"added": after - before, **tables}


async def nudge_times(db_path: Path) -> tuple[list[float], list[float], int, int]:
    """The query alone and the whole nudge step at each of the ten times."""
    clock = ManualClock(MONDAY)
    outbox = CountingOutbox()
    queries, steps, due_students = [], [], 0
    async with bot_on(db_path, outbox, clock) as bot:
        core = bot.core
        for at in TIMES:
            clock.move_to(datetime.fromisoformat(f"2026-11-23T{int(at[:2]):02d}:{at[3:]}:00+07:00"))
            started = time.perf_counter()
            found = await review_store.due_nudges(core.db, clock.now())
            queries.append(time.perf_counter() - started)
            due_students += len(found)
            core.db.forget(("review_nudges", "earliest"))
            started = time.perf_counter()
            await nudges.send_due(core)
            steps.append(time.perf_counter() - started)
    return queries, steps, due_students, outbox.sent


async def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.sqlite3"
        started = time.perf_counter()
        sizes = await build(path)
        built = time.perf_counter() - started
        queries, steps, due_students, sent = await nudge_times(path)
        file_size = os.path.getsize(path)
    per_group = due_students / len(TIMES)
    query_ms = [1000 * q * 1000 / per_group for q in queries]
    step_ms = [1000 * s * 1000 / per_group for s in steps]
    mib = 1024 * 1024
    print(f"review due: {STUDENTS:,} students x {CARDS_EACH} cards = {STUDENTS * CARDS_EACH:,} cards, "
          f"a nudge each at {len(TIMES)} evening times (built in {built:.0f} s)")
    print(f"  finding who is due and their due cards: median {median(query_ms):.1f} ms, "
          f"max {max(query_ms):.1f} ms per 1,000 students due (goal < 50 ms)")
    print(f"  the whole nudge step (find, move on, send): median {median(step_ms):.1f} ms, "
          f"max {max(step_ms):.1f} ms per 1,000 students; {sent:,} nudges sent of {due_students:,} due")
    detail = ", ".join(f"{name} {size / mib:.0f} MiB" for name, size in sorted(sizes.items())
                       if name != "added" and size >= mib) or "dbstat not available"
    print(f"  database size added by review: {sizes['added'] / mib:.0f} MiB "
          f"({sizes['added'] / (STUDENTS * CARDS_EACH):.0f} bytes a card; {detail}); file {file_size / mib:.0f} MiB")
    return {"query_ms": median(query_ms), "step_ms": median(step_ms), "added_mib": sizes["added"] / mib}


if __name__ == "__main__":
    asyncio.run(run())
