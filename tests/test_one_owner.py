"""Two real `studybot` processes on one database: the second is refused at once, by name;
the read-only tools still work while the first runs, and never create a database."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bot.store.ownership import current_owner
from tests.conftest import FIXTURE_COURSE
from tests.studybot_process import clean_env, run_studybot, studybot_command


def common(tmp_path: Path, db: Path) -> tuple:
    return ("--db", db, "--content", FIXTURE_COURSE, "--config", tmp_path / "none.yaml")


@pytest.fixture
def first_bot(tmp_path):
    """`studybot console` on data/studybot.sqlite3, reading from a pipe kept open."""
    db = tmp_path / "data" / "studybot.sqlite3"
    proc = subprocess.Popen(studybot_command("console", *common(tmp_path, db)), stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env=clean_env())
    deadline = time.monotonic() + 30
    while current_owner(db) is None:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the first studybot never took the database"
        time.sleep(0.05)
    yield proc, db
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)
    proc.stdin.close()
    proc.stderr.close()


def test_a_second_studybot_is_refused_with_one_line_naming_the_file_and_the_first(first_bot, tmp_path):
    proc, db = first_bot
    refusal = (f"studybot: database: {db} is in use by another studybot (pid {proc.pid}, started ")
    for command in (("run",), ("console",), ("console", "--jsonl")):
        started = time.monotonic()
        second = run_studybot(*command, *common(tmp_path, db), cwd=tmp_path)
        assert second.code == 2, second.err
        assert len(second.err_lines) == 1 and second.err.startswith(refusal), second.err
        assert second.err.rstrip().endswith("one process owns a database: stop that one first, or give "
                                            "this one another --db")
        assert time.monotonic() - started < 10               # at once: nobody waits for the first
    doctor = run_studybot("doctor", *common(tmp_path, db), cwd=tmp_path)
    assert doctor.code == 1
    assert f"FIX {refusal.removeprefix('studybot: ')}" in doctor.out
    assert proc.poll() is None                                # the first bot is untouched


def test_read_only_tools_work_while_the_bot_runs(first_bot, tmp_path):
    proc, db = first_bot
    args = ("--db", db, "--config", tmp_path / "none.yaml")
    listed = run_studybot("report", "--content", *args, cwd=tmp_path)
    assert (listed.code, listed.out) == (0, "no question has been reported\n"), listed.err
    backup = run_studybot("db", "backup", tmp_path / "copy.sqlite3", *args, cwd=tmp_path)
    assert backup.code == 0, backup.err
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert proc.poll() is None


def test_the_database_is_free_again_when_the_first_stops_or_is_killed(first_bot, tmp_path):
    proc, db = first_bot
    proc.stdin.close()                                        # Ctrl-D: the first stops cleanly
    assert proc.wait(30) == 0
    after_stop = run_studybot("console", "--jsonl", *common(tmp_path, db), cwd=tmp_path,
                              stdin='{"user": "an", "text": "/me"}\n')
    assert after_stop.code == 0, after_stop.err

    killed = subprocess.Popen(studybot_command("console", *common(tmp_path, db)), stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path, env=clean_env())
    try:
        deadline = time.monotonic() + 30
        while current_owner(db) is None:
            assert time.monotonic() < deadline and killed.poll() is None
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)                    # no clean-up at all
        killed.wait(10)
    finally:
        killed.stdin.close()
    after_kill = run_studybot("console", "--jsonl", *common(tmp_path, db), cwd=tmp_path)
    assert after_kill.code == 0, after_kill.err


def test_a_report_on_a_mistyped_path_says_so_and_creates_nothing(tmp_path):
    wrong = tmp_path / "mistyped" / "path.sqlite3"
    result = run_studybot("report", "--content", "--db", wrong, "--config", tmp_path / "none.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.err_lines == [f"studybot: no database at {wrong}; check --db or STUDYBOT_DB (nothing was "
                                f"created)"]
    assert not (tmp_path / "mistyped").exists()


def test_a_report_neither_migrates_nor_writes_an_older_database(tmp_path):
    from bot.store.migrations import MIGRATIONS

    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = db.read_bytes()
    result = run_studybot("report", "--content", "--db", db, "--config", tmp_path / "none.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.err_lines == [f"studybot: database: {db} is at schema 1, this studybot reads "
                                f"{len(MIGRATIONS)}; start the bot once (it migrates), or use the studybot "
                                f"that wrote it"]
    assert db.read_bytes() == before
