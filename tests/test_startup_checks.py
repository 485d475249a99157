"""Start-up failures are one line and exit 2, and `studybot doctor` agrees with start-up.

Each setup below is broken (or sound) the way an operator's gets broken. Both real commands
run on it: `studybot doctor` and `studybot run` (no token, so the console, with nothing to
read). Doctor says FIX exactly when start-up stops, with the same lines, and creates nothing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from bot.store.database import Database
from bot.store.ownership import acquire_ownership
from tests.conftest import FIXTURE_COURSE
from tests.studybot_process import clean_env, permissions_count, run_studybot

TELEGRAM_LIKE = "7012345678:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


@dataclass
class Setup:
    db: Path
    content: Path = FIXTURE_COURSE
    settings: str = ""
    env: dict[str, str] = field(default_factory=dict)
    restore: list[Callable[[], None]] = field(default_factory=list)

    def read_only(self, path: Path, mode: int = 0o555) -> None:
        path.chmod(mode)
        self.restore.append(lambda: path.chmod(0o755))


def healthy_database(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)

    async def make():
        await (await Database.open(path)).close()

    asyncio.run(make())
    return path


def course_copy(tmp: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_COURSE, tmp / "course"))


# --- the setups: (name, build, expected start of the one line or None when sound, needs permissions)

def db_is_a_folder(tmp):
    (tmp / "data").mkdir()
    return Setup(tmp / "data")


def folder_is_a_file(tmp):
    (tmp / "data").write_text("not a folder")
    return Setup(tmp / "data" / "studybot.sqlite3")


def not_a_database(tmp):
    (tmp / "studybot.yaml.bak").write_text("timezone: Asia/Ho_Chi_Minh\n" * 50)
    return Setup(tmp / "studybot.yaml.bak")


def damaged_database(tmp):
    db = healthy_database(tmp / "studybot.sqlite3")
    data = bytearray(db.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)         # the header survives, the pages do not
    db.write_bytes(bytes(data))
    return Setup(db)


def newer_schema(tmp):
    db = healthy_database(tmp / "studybot.sqlite3")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    return Setup(db)


def in_use(tmp):
    db = healthy_database(tmp / "studybot.sqlite3")
    owner = acquire_ownership(db)
    return Setup(db, restore=[owner.release])


def content_missing(tmp):
    return Setup(tmp / "db.sqlite3", content=tmp / "contnet")


def questions_is_a_file(tmp):
    course = course_copy(tmp)
    shutil.rmtree(course / "questions")
    (course / "questions").write_text("")
    return Setup(tmp / "db.sqlite3", content=course)


def settings_syntax_error(tmp):
    return Setup(tmp / "db.sqlite3", settings="quiz:\n  seconds: [30\n")


def token_in_base_url(tmp):
    return Setup(tmp / "db.sqlite3", settings=f"telegram:\n  base_url: https://x.org/bot{TELEGRAM_LIKE}\n")


def malformed_token(tmp):
    return Setup(tmp / "db.sqlite3", env={"TELEGRAM_BOT_TOKEN": "AAHfiqksKZ8WmR2zSjiQ7"})


def read_only_folder_healthy_database(tmp):
    setup = Setup(healthy_database(tmp / "data" / "studybot.sqlite3"))
    setup.read_only(tmp / "data")
    return setup


def read_only_folder_new_database(tmp):
    (tmp / "data").mkdir()
    setup = Setup(tmp / "data" / "studybot.sqlite3")
    setup.read_only(tmp / "data")
    return setup


def read_only_folder_empty_file(tmp):
    (tmp / "data").mkdir()
    (tmp / "data" / "studybot.sqlite3").touch()
    setup = Setup(tmp / "data" / "studybot.sqlite3")
    setup.read_only(tmp / "data")
    return setup


def missing_folder_in_read_only_parent(tmp):
    (tmp / "srv").mkdir()
    setup = Setup(tmp / "srv" / "data" / "studybot.sqlite3")
    setup.read_only(tmp / "srv")
    return setup


def read_only_database_file(tmp):
    setup = Setup(healthy_database(tmp / "studybot.sqlite3"))
    setup.read_only(setup.db, 0o444)
    return setup


def unreadable_questions(tmp):
    course = course_copy(tmp)
    setup = Setup(tmp / "db.sqlite3", content=course)
    setup.read_only(course / "questions", 0)
    return setup


def new_database_in_a_new_folder(tmp):
    return Setup(tmp / "data" / "studybot.sqlite3")


def healthy_existing_database(tmp):
    return Setup(healthy_database(tmp / "studybot.sqlite3"))


def empty_database_file(tmp):
    (tmp / "studybot.sqlite3").touch()
    return Setup(tmp / "studybot.sqlite3")


UID = "uid {uid}"
CASES = [
    (db_is_a_folder, "database: {tmp}/data is a folder, not a file; give the database file's path "
                     "(e.g. {tmp}/data/studybot.sqlite3) in --db or STUDYBOT_DB", False),
    (folder_is_a_file, "database: cannot create the folder {tmp}/data: {tmp}/data is a file, not a folder; "
                       "move that file away, or give another path in --db or STUDYBOT_DB", False),
    (not_a_database, "database: {tmp}/studybot.yaml.bak is not an SQLite database (it lacks the SQLite "
                     "header); check that --db or STUDYBOT_DB names the database; if it does, the file is "
                     "damaged: restore a backup", False),
    (damaged_database, "database: {tmp}/studybot.sqlite3 is damaged (", False),
    (newer_schema, "database: {tmp}/studybot.sqlite3 was written by a newer studybot (schema 99, this one "
                   "knows ", False),
    (in_use, "database: {tmp}/studybot.sqlite3 is in use by another studybot (pid {pid}, started ", False),
    (content_missing, "content: {tmp}/contnet: 1 problem, the first: {tmp}/contnet: content directory not "
                      "found; run `studybot content check --content {tmp}/contnet` to see every one", False),
    (questions_is_a_file, "content: {tmp}/course: 1 problem, the first: questions/: must be a folder of YAML "
                          "files, not a file; run `studybot content check", False),
    (settings_syntax_error, "{tmp}/studybot.yaml: not valid YAML: line 3, column 1: expected ',' or ']', but "
                            "got '<stream end>'; fix that line", False),
    (token_in_base_url, "{tmp}/studybot.yaml: telegram.base_url: must be an http:// or https:// URL of the "
                        "server alone", False),
    (malformed_token, "TELEGRAM_BOT_TOKEN: not a BotFather token (digits, a colon, then 30+ letters); copy it "
                      "again from @BotFather", False),
    (read_only_folder_healthy_database,
     "database: the folder {tmp}/data is read-only for " + UID + ", and the bot writes the database, its "
     "journal (-wal, -shm) and its lock file there: make the folder writable for that user, or move the "
     "database to a writable folder; the database itself reads fine, nothing needs restoring", True),
    (read_only_folder_new_database, "database: the folder {tmp}/data is read-only for " + UID, True),
    (read_only_folder_empty_file, "database: the folder {tmp}/data is read-only for " + UID, True),
    (missing_folder_in_read_only_parent,
     "database: cannot create the folder {tmp}/srv/data: {tmp}/srv is not writable by " + UID + "; create "
     "it (mkdir -p {tmp}/srv/data) writable by that user, or give another path in --db or STUDYBOT_DB", True),
    (read_only_database_file, "database: {tmp}/studybot.sqlite3 is not writable by " + UID, True),
    (unreadable_questions, "content: {tmp}/course: 1 problem, the first: questions/: folder cannot be read "
                           "(Permission denied); make it readable by the user running studybot (" + UID + ")",
     True),
    (new_database_in_a_new_folder, None, False),
    (healthy_existing_database, None, False),
    (empty_database_file, None, False),
]


def snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if not p.name.startswith(".")}


@pytest.mark.parametrize("build, expected, permissions", CASES, ids=[c[0].__name__ for c in CASES])
def test_doctor_says_fix_exactly_when_start_up_stops_with_the_same_line(tmp_path, build, expected,
                                                                       permissions):
    if permissions:
        permissions_count()
    setup = build(tmp_path)
    (tmp_path / "studybot.yaml").write_text(setup.settings)
    args = ("--config", tmp_path / "studybot.yaml", "--db", setup.db, "--content", setup.content)
    env = clean_env(**setup.env)
    try:
        before = snapshot(tmp_path)
        doctor = run_studybot("doctor", *args, cwd=tmp_path, env=env, as_operator=permissions)
        assert snapshot(tmp_path) == before, "doctor created or changed a file"
        start = run_studybot("run", *args, cwd=tmp_path, env=env, as_operator=permissions)
    finally:
        for undo in setup.restore:
            undo()
    fixes = [line.removeprefix("FIX ") for line in doctor.out.splitlines() if line.startswith("FIX ")]
    assert "Traceback" not in doctor.err + start.err
    if expected is None:
        assert (doctor.code, fixes, start.code) == (0, [], 0), doctor.out + start.err
        return
    assert doctor.code == 1 and start.code == 2, doctor.out + start.err
    assert start.err_lines == [f"studybot: {line}" for line in fixes]
    assert len(fixes) == 1
    assert fixes[0].startswith(expected.format(tmp=tmp_path, uid=os.geteuid(), pid=os.getpid()))
    assert TELEGRAM_LIKE not in doctor.out + start.err and "AAHfiqks" not in doctor.out + start.err


def test_a_healthy_database_in_a_read_only_folder_is_never_called_damaged(tmp_path):
    permissions_count()
    setup = read_only_folder_healthy_database(tmp_path)
    try:
        doctor = run_studybot("doctor", "--config", tmp_path / "none.yaml", "--db", setup.db,
                              "--content", FIXTURE_COURSE, cwd=tmp_path, as_operator=True)
    finally:
        setup.restore[0]()
    assert "restore a backup" not in doctor.out and "damaged" not in doctor.out
    assert "nothing needs restoring" in doctor.out


def test_doctor_creates_no_database_and_no_folder(tmp_path):
    result = run_studybot("doctor", "--config", tmp_path / "none.yaml", "--db", tmp_path / "new" / "db.sqlite3",
                          cwd=tmp_path)
    assert result.code == 0
    assert f"OK  database: {tmp_path}/new/db.sqlite3 does not exist yet; the first start creates it and its " \
           f"folder" in result.out
    assert not (tmp_path / "new").exists()


def test_debug_shows_the_traceback_too(tmp_path):
    (tmp_path / "data").mkdir()
    args = ("--config", tmp_path / "none.yaml", "--db", tmp_path / "data", "--content", FIXTURE_COURSE)
    plain = run_studybot("run", *args, cwd=tmp_path)
    debug = run_studybot("run", "--debug", *args, cwd=tmp_path)
    assert plain.code == debug.code == 2
    assert "Traceback" not in plain.err and "Traceback" in debug.err
    assert plain.err_lines[0] in debug.err_lines


def test_an_unexpected_error_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    import pytest as _pytest

    import studybot.report
    from studybot.cli import main

    def broken(*args, **kwargs):
        raise NotADirectoryError(20, "Not a directory", f"{tmp_path}/out/r.csv")

    monkeypatch.setattr(studybot.report, "report", broken)
    args = ["report", "--content", "--db", str(tmp_path / "db.sqlite3"), "--config", str(tmp_path / "none.yaml")]
    assert main(args) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"studybot: stopped by an unexpected error: NotADirectoryError: [Errno 20] Not a directory: "
        f"'{tmp_path}/out/r.csv'; run it again with --debug to see where"]
    with _pytest.raises(NotADirectoryError):           # --debug lets the traceback through
        main(["--debug", *args])
