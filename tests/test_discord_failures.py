"""What the operator must fix stops the process through the composition root (studybot.app.serve)
with exit code 2 and one line naming the setting; what Discord recovers from is survived."""

import asyncio
import logging

import pytest

from bot.clock import ManualClock
from bot.delivery.outbox import Outbox
from studybot.app import EXIT_FIX, open_bot, serve
from tests.conftest import START
from tests.discord_harness import AN, READY_WAIT, point_discord_at, served_discord, shown
from tests.fake_discord import TOKEN, FakeDiscord


def adapter(**options):
    from adapters.discord_adapter import DiscordAdapter
    return DiscordAdapter(TOKEN, guild_ready_timeout=READY_WAIT, **options)


async def served_until_it_stops(real_course, tmp_path, discord_adapter, after_start=None) -> int:
    """Serve the adapter with nobody asking to stop; the exit code it stops with by itself."""
    outbox = Outbox()
    stop, started = asyncio.Event(), asyncio.Event()
    async with open_bot(None, tmp_path / "db.sqlite3", ManualClock(START), outbox, course=real_course) as bot:
        serving = asyncio.ensure_future(serve(bot, outbox, [discord_adapter], stop, tick=False, started=started))
        if after_start is not None:
            await asyncio.wait({serving, asyncio.ensure_future(started.wait())}, timeout=10,
                               return_when=asyncio.FIRST_COMPLETED)
            assert started.is_set(), "the adapter did not start"
            await after_start()
        return await asyncio.wait_for(serving, 20)


def one_critical_line(caplog) -> str:
    critical = [r.getMessage() for r in caplog.records if r.levelno >= logging.CRITICAL]
    assert len(critical) == 1 and "\n" not in critical[0], critical
    return critical[0]


@pytest.mark.parametrize("case, line", [
    ("wrong token", "DISCORD_TOKEN was refused by Discord (401)"),
    ("guild sync refused", "DISCORD_GUILD_ID=4242: the bot is not in that server (403 Missing Access)"),
])
async def test_a_start_that_cannot_succeed_stops_with_one_line(monkeypatch, real_course, tmp_path, caplog, case, line):
    fake = FakeDiscord(token="another.token" if case == "wrong token" else TOKEN)
    point_discord_at(monkeypatch, await fake.start())
    try:
        options = {"guild_id": 4242} if case == "guild sync refused" else {}
        assert await served_until_it_stops(real_course, tmp_path, adapter(**options)) == EXIT_FIX
    finally:
        await fake.stop()
    assert line in one_critical_line(caplog)
    assert fake.identifies == 0 and fake.commands == {}


@pytest.mark.parametrize("code, line", [
    (4004, "Discord closed the connection for good (code 4004): check DISCORD_TOKEN"),
    (4014, "Discord refused the bot's intents (4014)"),
])
async def test_a_fatal_gateway_close_stops_with_one_line(monkeypatch, real_course, tmp_path, caplog, code, line):
    fake = FakeDiscord()
    point_discord_at(monkeypatch, await fake.start())
    try:
        code_seen = await served_until_it_stops(real_course, tmp_path, adapter(),
                                                after_start=lambda: fake.close_gateway(code))
    finally:
        await fake.stop()
    assert code_seen == EXIT_FIX
    assert line in one_critical_line(caplog)


async def test_a_resumable_close_is_survived(monkeypatch, real_course, tmp_path, caplog):
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3") as (fake, serving):
        await fake.close_gateway(4000)
        await asyncio.wait_for(fake.resumed.wait(), 10)
        await fake.slash(AN, "An", "define", term="hnqt")
        card = await fake.wait_for(lambda f: shown(f, "response"))
        assert "Hội nhập quốc tế" in card[0]["content"] + str(card[0]["embeds"])
        assert (fake.identifies, fake.resumes) == (1, 1)
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]


async def test_an_unreachable_discord_is_retried_with_a_line_per_attempt_then_stops_with_one(
        monkeypatch, real_course, tmp_path, caplog):
    point_discord_at(monkeypatch, "http://127.0.0.1:9")            # nothing listens there
    unreachable = adapter(connect_attempts=3, retry_delay=0.01)
    assert await served_until_it_stops(real_course, tmp_path, unreachable) == EXIT_FIX
    assert "cannot reach Discord" in one_critical_line(caplog) and "after 3 attempts" in one_critical_line(caplog)
    attempts = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "attempt" in r.getMessage()]
    assert len(attempts) == 2 and "attempt 1 of 3" in attempts[0] and "attempt 2 of 3" in attempts[1]
