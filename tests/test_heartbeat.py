"""The heartbeat: written by the clock task only while the bot is healthy, judged by its age."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import tick_forever
from studybot.heartbeat import Heartbeat, check_alive, heartbeat_path

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_a_fresh_beat_is_alive_and_an_old_one_is_not(tmp_path):
    path = heartbeat_path(tmp_path / "db.sqlite3")
    assert path.name == "db.sqlite3.heartbeat"
    assert Heartbeat(path).beat(NOW)
    assert check_alive(path, 90, NOW + timedelta(seconds=30)) == (True, f"alive: heartbeat 30 s old ({path})")
    alive, line = check_alive(path, 90, NOW + timedelta(seconds=200))
    assert not alive
    assert line == ("not alive: the last heartbeat is 200 s old (more than 90 s): the bot's clock task or a "
                    "platform connection has stopped; restart the bot")


def test_no_heartbeat_means_not_running(tmp_path):
    alive, line = check_alive(tmp_path / "db.sqlite3.heartbeat", 90, NOW)
    assert not alive and line.startswith("not alive: no heartbeat at ")


def test_an_unhealthy_bot_does_not_beat(tmp_path):
    healthy = [True]
    heart = Heartbeat(tmp_path / "hb", healthy=lambda: healthy[0], every_seconds=0)
    assert heart.beat(NOW)
    healthy[0] = False
    assert not heart.beat(NOW + timedelta(seconds=100))
    assert not check_alive(tmp_path / "hb", 90, NOW + timedelta(seconds=100))[0]


def test_beats_are_written_at_most_every_few_seconds(tmp_path):
    heart = Heartbeat(tmp_path / "hb", every_seconds=10)
    assert heart.beat(NOW)
    assert not heart.beat(NOW + timedelta(seconds=9))
    assert heart.beat(NOW + timedelta(seconds=10))
    assert (tmp_path / "hb").read_text().strip() == (NOW + timedelta(seconds=10)).isoformat()


def test_a_heartbeat_that_cannot_be_written_never_stops_the_clock(tmp_path, caplog):
    heart = Heartbeat(tmp_path / "missing-folder" / "hb")
    assert not heart.beat(NOW)                            # no exception: the ticker goes on
    assert not heart.beat(NOW + timedelta(seconds=60))
    assert [r.getMessage() for r in caplog.records] == ["heartbeat not written"]   # logged once


def test_stopping_removes_the_heartbeat(tmp_path):
    heart = Heartbeat(tmp_path / "hb")
    heart.beat(NOW)
    heart.stop()
    assert not (tmp_path / "hb").exists()


def test_a_garbled_heartbeat_is_not_alive(tmp_path):
    (tmp_path / "hb").write_text("yesterday\n")
    alive, line = check_alive(tmp_path / "hb", 90, NOW)
    assert not alive and "holds no time stamp" in line


async def test_the_clock_task_beats_after_each_tick_and_stops_beating_when_it_dies(chat, tmp_path):
    path = tmp_path / "hb"
    beats = []
    heart = Heartbeat(path, every_seconds=0)
    ticker = asyncio.create_task(tick_forever(chat.bot, 0.01, after_tick=lambda: beats.append(heart.beat())))
    while len(beats) < 3:
        await asyncio.sleep(0.01)
    ticker.cancel()
    await asyncio.gather(ticker, return_exceptions=True)
    assert check_alive(path, 90)[0]

    path.unlink()

    async def broken():
        raise RuntimeError("the database went away")

    chat.bot.run_due = broken
    with pytest.raises(RuntimeError):
        await tick_forever(chat.bot, 0.01, after_tick=heart.beat)
    assert not path.exists()
