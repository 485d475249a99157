"""The SQLite store: settings, migrations, constraints, backups and crashes."""

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from bot.store.database import Database
from bot.store.migrations import MIGRATIONS
from tests.conftest import FIXTURE_COURSE, ROOT, count_calls
from tests.test_cli import studybot


async def test_a_new_database_is_migrated_with_safe_settings(db_path):
    db = await Database.open(db_path)
    try:
        assert await db.version() == len(MIGRATIONS)
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    finally:
        await db.close()


async def test_a_first_schema_database_upgrades_in_place_without_losing_a_row(db_path):
    raw = sqlite3.connect(db_path)
    raw.executescript(MIGRATIONS[0] + "\nPRAGMA user_version=1;")
    raw.executescript("""
        INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('telegram', '42', 'An', 'x');
        INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('telegram', '-100', 1, 'x');
        INSERT INTO asked (chat_id, question_id, topic, options, correct, asked_at, closes_at)
            VALUES (1, 'ls-asean-1967', 'lich-su', '["1967"]', 0, 'a', 'b');
        INSERT INTO answers (asked_id, user_id, chat_id, topic, answer, correct, points, answered_at, week, month)
            VALUES (1, 1, 1, 'lich-su', '0', 1, 14, 'a', '2026-11-23', '2026-11');
    """)
    raw.commit()
    raw.close()
    db = await Database.open(db_path)
    try:
        assert await db.version() == len(MIGRATIONS)
        assert (await db.fetchone("SELECT points FROM scores WHERE period = 'all'"))[0] == 14
        assert (await db.fetchone("SELECT daily_day FROM asked"))[0] is None
        assert (await db.fetchone("SELECT COUNT(*) FROM daily_schedules"))[0] == 0
    finally:
        await db.close()


async def test_the_database_itself_refuses_a_second_answer(db_path):
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('c', 'a', 'A', 'x')")
            await conn.execute("INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('c', 'g', 1, 'x')")
            await conn.execute("INSERT INTO asked (chat_id, question_id, topic, options, correct, asked_at, closes_at) "
                               "VALUES (1, 'q', 't', '[]', -1, 'a', 'b')")
        insert = ("INSERT INTO answers (asked_id, user_id, chat_id, topic, answer, correct, points, answered_at, week, month) "
                  "VALUES (1, 1, 1, 't', 'x', 1, 10, 'a', 'w', 'm')")
        async with db.transaction() as conn:
            await conn.execute(insert)
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(insert)
        with pytest.raises(sqlite3.IntegrityError):   # nothing negative either
            async with db.transaction() as conn:
                await conn.execute(insert.replace("1, 10,", "1, -5,").replace("(1, 1, 1,", "(1, 2, 1,"))
        assert (await db.fetchone("SELECT points, answers FROM scores WHERE period = 'all'"))[:] == (10, 1)
    finally:
        await db.close()


async def test_backup_writes_a_consistent_copy_while_the_bot_has_it_open(db_path, tmp_path):
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('c', 'a', 'An', 'x')")
        result = studybot("db", "backup", str(tmp_path / "copy.sqlite3"), "--db", str(db_path))
        assert result.returncode == 0, result.stderr
    finally:
        await db.close()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT display_name FROM users").fetchall() == [("An",)]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    missing = studybot("db", "backup", str(tmp_path / "x"), "--db", str(tmp_path / "missing"))
    assert missing.returncode == 2 and "no database at" in missing.stderr
    assert not (tmp_path / "missing").exists() and not (tmp_path / "x").exists()


def test_a_killed_bot_keeps_every_answer_it_acknowledged(tmp_path):
    """SIGKILL in the middle of a burst of answers: every acked answer is in the database."""
    db = tmp_path / "db.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "studybot.cli", "console", "--jsonl", "--content", str(FIXTURE_COURSE),
         "--db", str(db), "--start", "2026-11-23T08:00:00+07:00"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    proc.stdin.write(json.dumps({"user": "gv", "text": "/quiz lien quan 1"}) + "\n")   # a true/false
    proc.stdin.flush()
    button = None
    while button is None:
        line = proc.stdout.readline()
        assert line, "the console exited early"
        out = json.loads(line)
        assert "ack" not in out, "the question has no buttons"
        if out.get("buttons"):
            button = out["buttons"][0]["id"]
    acked_answers = 0
    for n in range(400):
        proc.stdin.write(json.dumps({"user": f"u{n}", "press": button}) + "\n")
    proc.stdin.flush()
    while acked_answers < 150:
        line = proc.stdout.readline()
        assert line, "the console exited early"
        out = json.loads(line)
        if "ack" in out and out["ack"] > 1:
            acked_answers = out["ack"] - 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdin.close()
    proc.stdout.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    users = conn.execute("SELECT COUNT(DISTINCT user_id) FROM answers").fetchone()[0]
    totals = conn.execute("SELECT SUM(answers) FROM scores WHERE period = 'all'").fetchone()[0]
    assert stored >= acked_answers and stored == users == totals


async def test_group_commit_fails_a_bad_statement_alone(db_path):
    import asyncio
    db = await Database.open(db_path)
    try:
        insert = "INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('c', ?, 'A', 'x')"
        results = await asyncio.gather(
            db.write(insert, ("1",)), db.write(insert, ("1",)), db.write(insert, ("2",)),
            db.write("INSERT INTO nowhere VALUES (1)"), return_exceptions=True)
        assert results[0] == 1 and results[2] == 1
        assert isinstance(results[1], sqlite3.IntegrityError)
        assert isinstance(results[3], sqlite3.OperationalError)
        rows = await db.fetchall("SELECT platform_id FROM users ORDER BY platform_id")
        assert [r[0] for r in rows] == ["1", "2"]
    finally:
        await db.close()


async def test_a_burst_of_lookups_shares_one_read(db_path):
    import asyncio

    from bot.store import people
    db = await Database.open(db_path)
    try:
        await db.write("INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('c', 'g', 1, 'x')")
        reads = count_calls(db, "fetchall")
        zones = await asyncio.gather(*(people.chat_timezone(db, 1) for _ in range(50)))
        assert set(zones) == {"Asia/Ho_Chi_Minh"} and len(reads) == 1
        await people.set_chat_timezone(db, 1, "Europe/Berlin")
        assert await people.chat_timezone(db, 1) == "Europe/Berlin" and len(reads) == 1
    finally:
        await db.close()


async def test_a_user_is_upserted_once_per_burst_and_every_rename_is_written(db_path):
    import asyncio
    from datetime import datetime, timezone

    from bot.events import User
    from bot.store import people
    db = await Database.open(db_path)
    now = datetime(2026, 11, 23, tzinfo=timezone.utc)
    try:
        writes = count_calls(db, "write_returning")
        ids = await asyncio.gather(*(people.ensure_user(db, User("t", "7", "An"), now) for _ in range(20)))
        assert len(set(ids)) == 1 and len(writes) == 1
        for name in ("Bình", "An"):                          # renamed, then back again
            await people.ensure_user(db, User("t", "7", name), now)
            assert (await db.fetchone("SELECT display_name FROM users"))[0] == name
        assert len(writes) == 3
    finally:
        await db.close()


async def test_a_cancelled_flush_tells_every_waiting_writer_instead_of_leaving_it_waiting(db_path):
    import asyncio

    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:      # hold the lock so the flush waits for it
            writers = [asyncio.create_task(db.write(
                "INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('c', ?, 1, 'x')",
                (str(n),))) for n in range(3)]
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            db._flusher.cancel()
            await conn.execute("SELECT 1")
        results = await asyncio.wait_for(asyncio.gather(*writers, return_exceptions=True), 5)
        assert all(isinstance(r, Exception) for r in results), results
        assert (await db.fetchone("SELECT COUNT(*) FROM chats"))[0] == 0
        assert await db.write("INSERT INTO chats (platform, platform_id, is_group, created_at) "
                              "VALUES ('c', 'after', 1, 'x')") == 1      # the next write works
    finally:
        await db.close()


async def test_a_full_disk_in_the_middle_of_a_batch_fails_every_write_of_it(db_path):
    """SQLite rolls back the whole transaction on "disk full": writes batched before the failing
    one must not be reported as saved, nor writes after it saved outside a transaction."""
    import asyncio

    db = await Database.open(db_path)
    try:
        await db.write("CREATE TABLE u (x)")
        pages = (await db.fetchone("PRAGMA page_count"))[0]
        await db.fetchall(f"PRAGMA max_page_count = {pages + 2}")
        results = await asyncio.gather(
            db.write("INSERT INTO u VALUES (1)"), db.write("INSERT INTO u VALUES (?)", ("x" * 100_000,)),
            db.write("INSERT INTO u VALUES (2)"), return_exceptions=True)
        assert all(isinstance(r, sqlite3.Error) for r in results), results
        assert await db.fetchall("SELECT x FROM u") == []
        assert await db.write("INSERT INTO u VALUES (3)") == 1            # the next batch works
    finally:
        await db.close()
