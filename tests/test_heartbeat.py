"""The heartbeat: written by the clock task only while the bot is healthy, judged by its age by
`studybot doctor --alive`, which is the container's health check."""

import asyncio
import subprocess
from datetime import UTC, datetime, timedelta

import yaml

from studybot.app import tick_forever
from studybot.config import Config
from studybot.heartbeat import Heartbeat, check_alive, heartbeat_path
from studybot.run import serve_platforms
from tests.conftest import ROOT
from tests.studybot_process import clean_env, run_studybot, studybot_command

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

    chat.bot.run_due = broken                    # every tick fails: logged, the clock goes on,
    ticker = asyncio.create_task(tick_forever(chat.bot, 0.01, after_tick=heart.beat))
    await asyncio.sleep(0.1)
    assert not ticker.done()
    ticker.cancel()
    await asyncio.gather(ticker, return_exceptions=True)
    assert not path.exists()                     # but it no longer proves the bot is alive


def alive(tmp_path, db, *more):
    return run_studybot("doctor", "--alive", "--db", db, "--config", tmp_path / "none.yaml", *more,
                        cwd=tmp_path)


def test_doctor_alive_exits_0_on_a_fresh_heartbeat_and_1_otherwise(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    missing = alive(tmp_path, db)
    assert (missing.code, missing.out) == (1, f"not alive: no heartbeat at {db}.heartbeat; the bot is not "
                                              f"running on this database (or has not finished starting)\n")
    Heartbeat(heartbeat_path(db)).beat()
    fresh = alive(tmp_path, db)
    assert fresh.code == 0 and fresh.out.startswith("alive: heartbeat ")
    Heartbeat(heartbeat_path(db)).beat(datetime.now(UTC) - timedelta(seconds=200))
    stale = alive(tmp_path, db)
    assert stale.code == 1 and stale.out.startswith("not alive: the last heartbeat is 200 s old (more than 90 s)")
    assert alive(tmp_path, db, "--max-age", "300").code == 0
    assert not db.exists()                                   # only the heartbeat was read


async def test_the_running_bot_proves_it_is_alive_until_it_stops(mini_course, tmp_path):
    db = tmp_path / "studybot.sqlite3"
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_platforms(mini_course, Config(database=db), stop,
                                                  heartbeat_file=heartbeat_path(db)))
    for _ in range(500):
        if heartbeat_path(db).exists() or serving.done():
            break
        await asyncio.sleep(0.01)
    during = await asyncio.to_thread(alive, tmp_path, db)
    stop.set()
    await serving
    after = await asyncio.to_thread(alive, tmp_path, db)
    assert during.code == 0, during.out
    assert after.code == 1 and after.out.startswith("not alive: no heartbeat")


def test_the_container_health_check_is_doctor_alive(tmp_path):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    check = compose["services"]["studybot"]["healthcheck"]
    assert check["test"] == ["CMD", "studybot", "doctor", "--alive"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \\\n' \
           '    CMD ["studybot", "doctor", "--alive"]' in dockerfile
    db = tmp_path / "studybot.sqlite3"          # as in the image: the database named by STUDYBOT_DB
    command = studybot_command(*check["test"][2:])
    environment = clean_env(STUDYBOT_DB=str(db))
    assert subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True).returncode == 1
    Heartbeat(heartbeat_path(db)).beat()
    assert subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True).returncode == 0
