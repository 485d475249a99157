"""Stopping and keeping going: SIGTERM with replies backed up behind a platform that refuses,
and a clock tick that fails once."""

import asyncio
import logging
import os
import re
import signal
import sys
import time
from datetime import timedelta

from bot.store import quiz_store
from studybot.app import tick_forever
from tests.conftest import FIXTURE_COURSE, question_of, texts
from tests.fake_telegram import TOKEN, FakeTelegram

GROUP = -1001


async def test_sigterm_with_replies_backed_up_exits_0_within_10_s_and_counts_what_was_left(tmp_path):
    fake = FakeTelegram(group_limit=1)               # one message a minute in a group: a hard refusal
    url = await fake.start()
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=url)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "studybot.cli", "run", "--db", str(tmp_path / "db.sqlite3"),
        "--content", str(FIXTURE_COURSE), "--config", str(tmp_path / "none.yaml"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await fake.wait_for(lambda f: f.sent("setMyCommands"), timeout=30)
        for user in range(6):                         # six students, one lookup each
            fake.type(GROUP, 100 + user, f"Student {user}", "/define hnqt")
        await fake.wait_for(lambda f: f.count_429(GROUP) >= 1, timeout=30)
        assert len(fake.sends) == 1                   # the rest wait behind "retry after"
    finally:
        stopping = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        took = time.monotonic() - stopping
        await fake.stop()
    log = err.decode()
    assert proc.returncode == 0, log
    assert took < 10, f"took {took:.1f} s to stop"
    print(f"stopped in {took:.1f} s")
    left = re.search(r"stopped with (\d+) replies undelivered", log)
    assert left and int(left.group(1)) >= 1, log
    assert re.search(rf"shutdown: \d+ replies to telegram:{GROUP} left undelivered", log), log
    assert "Traceback" not in log


# --- the clock keeps going ----------------------------------------------------------------------
async def test_a_failing_tick_is_logged_and_the_next_tick_runs(chat, monkeypatch, caplog):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    real = quiz_store.due_asked
    calls = []

    async def fails_once(db, before):
        calls.append(before)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return await real(db, before)

    monkeypatch.setattr(quiz_store, "due_asked", fails_once)
    chat.clock.move_to(chat.clock.now() + timedelta(seconds=40))
    ticks = []
    with caplog.at_level(logging.ERROR, logger="studybot"):
        ticker = asyncio.create_task(tick_forever(chat.bot, seconds=0.01, after_tick=lambda: ticks.append(1)))
        try:
            for _ in range(500):
                if ticks:
                    break
                await asyncio.sleep(0.01)
        finally:
            ticker.cancel()
            await asyncio.gather(ticker, return_exceptions=True)
    assert len(calls) >= 2 and ticks, "the tick after the failing one never ran"
    failed = [r for r in caplog.records if "tick failed" in r.getMessage()]
    assert len(failed) == 1 and "database is locked" in str(failed[0].exc_info[1])
    revealed = texts(chat.outbox.take())
    assert "Hết giờ" in revealed and "Kết thúc lượt quiz" in revealed     # the question was revealed after all
    assert (await chat.db.fetchone("SELECT closed_at IS NOT NULL FROM asked WHERE id = ?",
                                   (q.question.asked_id,)))[0] == 1


async def test_one_failing_reveal_does_not_hold_up_the_others_or_the_daily(chat, monkeypatch, caplog):
    from bot import rounds
    other = type(chat)(chat.bot, chat.clock, chat.outbox, "lop-2")
    await chat.say("An", "/quiz lich su 1")
    await other.say("Bình", "/quiz lich su 1")
    real = rounds.reveal

    async def fails_in_lop(core, asked, key):
        if asked.chat_id == 1:
            raise RuntimeError("broken reveal")
        return await real(core, asked, key)

    monkeypatch.setattr(rounds, "reveal", fails_in_lop)
    chat.clock.move_to(chat.clock.now() + timedelta(seconds=40))
    with caplog.at_level(logging.ERROR):
        await chat.bot.run_due()
    revealed = [chat_.id for chat_, reply in chat.outbox.sent if "Hết giờ" in reply.text.plain()]
    assert revealed == ["lop-2"]
    assert any("failed to reveal asked question" in r.getMessage() for r in caplog.records)


# --- a cancelled flush ----------------------------------------------------------------------------
async def test_a_flush_cancelled_in_the_middle_of_its_batch_tells_every_writer_and_writes_nothing(db_path):
    """test_store.py cancels a flush waiting for the lock; this one cancels it while its batch
    is being written, with more writes queued behind it."""
    from bot.store.database import Database

    db = await Database.open(db_path)
    try:
        real_execute = db.conn.execute
        inside = asyncio.Event()

        async def execute(sql, params=()):
            if sql.startswith("INSERT") and not inside.is_set():
                inside.set()
                await asyncio.Event().wait()       # stuck in the middle of the batch, until cancelled
            return await real_execute(sql, params)

        db.conn.execute = execute
        insert = "INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('c', ?, 1, 'x')"
        first = [asyncio.create_task(db.write(insert, (str(n),))) for n in range(3)]
        await asyncio.wait_for(inside.wait(), 5)
        behind = [asyncio.create_task(db.write(insert, (f"later-{n}",))) for n in range(2)]
        await asyncio.sleep(0)
        db._flusher.cancel()
        results = await asyncio.wait_for(asyncio.gather(*first, *behind, return_exceptions=True), 5)
        assert all(isinstance(r, Exception) for r in results), results
        db.conn.execute = real_execute
        assert (await db.fetchone("SELECT COUNT(*) FROM chats"))[0] == 0
        assert await db.write(insert, ("after",)) == 1
        assert (await db.fetchone("SELECT COUNT(*) FROM chats"))[0] == 1
    finally:
        await db.close()
