"""The checks that decide whether the bot can start: database path, content, tokens.

Start-up and `studybot doctor` run exactly these functions, so doctor says FIX exactly when
start-up would stop, with the same line. Each check returns one `Finding`: ok or not, and one
line that names the file or setting, the cause and the fix. A check only reads: it never
creates a database, a folder or a lock file (start-up creates them after the checks pass).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from bot.store.migrations import MIGRATIONS
from bot.store.ownership import DatabaseInUse, current_owner, lock_path
from studybot.config import DISCORD_TOKEN_SHAPE, TELEGRAM_TOKEN_SHAPE, Config

SQLITE_HEADER = b"SQLite format 3\x00"
ELSEWHERE = "or give another path in --db or STUDYBOT_DB"


@dataclass(frozen=True)
class Finding:
    ok: bool
    line: str


class StartupError(Exception):
    """Start-up cannot go on; `lines` are the problems, one line each."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass
class StartupReport:
    findings: list[Finding] = field(default_factory=list)
    course: object | None = None

    @property
    def problems(self) -> list[str]:
        return [f.line for f in self.findings if not f.ok]


def _who() -> str:
    return f"uid {os.geteuid()}"


def check_tokens(config: Config) -> list[Finding]:
    findings = []
    if not config.telegram_token and not config.discord_token:
        findings.append(Finding(True, "tokens: none set; `studybot run` starts the console"))
    if config.telegram_token:
        ok = bool(TELEGRAM_TOKEN_SHAPE.fullmatch(config.telegram_token))
        findings.append(Finding(ok, "TELEGRAM_BOT_TOKEN: looks like a BotFather token" if ok else
                                "TELEGRAM_BOT_TOKEN: not a BotFather token (digits, a colon, then 30+ "
                                "letters); copy it again from @BotFather"))
    if config.discord_token:
        ok = bool(DISCORD_TOKEN_SHAPE.fullmatch(config.discord_token))
        findings.append(Finding(ok, "DISCORD_TOKEN: looks like a bot token" if ok else
                                "DISCORD_TOKEN: not a bot token (three dot-separated parts); reset and "
                                "copy it again from the Developer Portal's Bot page"))
    return findings


def _nearest_existing(folder: Path) -> Path:
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def _missing_folder(path: Path, folder: Path) -> Finding:
    """The database's folder does not exist: can start-up create it?"""
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        return Finding(False, f"database: cannot create the folder {folder}: {existing} is a file, not a "
                              f"folder; move that file away, {ELSEWHERE}")
    if not os.access(existing, os.W_OK | os.X_OK):
        return Finding(False, f"database: cannot create the folder {folder}: {existing} is not writable "
                              f"by {_who()}; create it (mkdir -p {folder}) writable by that user, {ELSEWHERE}")
    return Finding(True, f"database: {path} does not exist yet; the first start creates it and its folder")


def _read(path: Path, immutable: bool) -> tuple[str, int]:
    uri = path.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return integrity, version


def _open_read_only(path: Path, can_write_beside: bool = True) -> tuple[str, int]:
    """(integrity_check result, schema version), reading only and leaving no file behind.

    A database with no -wal file beside it is wholly in its main file and nobody is writing it
    (a writer in WAL mode always has a -wal): it is read as an immutable file, which creates no
    -wal or -shm. If a -wal exists, or appears during that read (a bot started meanwhile), it is
    read through SQLite's normal read-only mode, which is safe against a writer.
    """
    wal = Path(f"{path}-wal")
    if not wal.exists() or not can_write_beside:
        try:
            result = _read(path, immutable=True)
        except sqlite3.Error:
            if not can_write_beside or not wal.exists():
                raise
        else:
            if not can_write_beside or not wal.exists():
                return result
    return _read(path, immutable=False)


def _damaged(path: Path, what: str) -> Finding:
    return Finding(False, f"database: {path} is damaged ({what}); restore a backup (studybot db "
                          f"backup makes them) or move the file away to start a new one")


def _sqlite_error(path: Path, error: sqlite3.Error) -> Finding:
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and any(
            word in text for word in ("not a database", "malformed", "corrupt")):
        return _damaged(path, text)
    if "locked" in text or "busy" in text:
        return Finding(False, f"database: {path} is locked by another program ({text}); close that "
                              f"program and start again")
    return Finding(False, f"database: {path} cannot be opened ({text}); check that it is a file "
                          f"readable and writable by {_who()}")


def _header_problem(path: Path) -> Finding | None:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        return Finding(False, f"database: {path} cannot be read ({exc.strerror}); make it readable "
                              f"and writable by {_who()}, {ELSEWHERE}")
    if head and head != SQLITE_HEADER:
        return Finding(False, f"database: {path} is not an SQLite database (it lacks the SQLite header); "
                              f"check that --db or STUDYBOT_DB names the database; if it does, the file "
                              f"is damaged: restore a backup")
    return None


def _schema(path: Path, integrity: str, version: int) -> Finding:
    if integrity != "ok":
        return _damaged(path, f"integrity check: {integrity}")
    if version > len(MIGRATIONS):
        return Finding(False, f"database: {path} was written by a newer studybot (schema {version}, this "
                              f"one knows {len(MIGRATIONS)}); upgrade studybot")
    if version < len(MIGRATIONS):
        return Finding(True, f"database: {path} is at schema {version}; the next start migrates it "
                             f"to {len(MIGRATIONS)}")
    return Finding(True, f"database: {path} opens, integrity ok, schema {version} is current")


def check_database(path: Path) -> Finding:
    """Can the bot own this database file: create it, write it and its journal, read it?"""
    if str(path) == ":memory:":
        return Finding(True, "database: in memory; nothing is kept after the bot stops")
    path = Path(path)
    if path.is_dir():
        return Finding(False, f"database: {path} is a folder, not a file; give the database file's path "
                              f"(e.g. {path / 'studybot.sqlite3'}) in --db or STUDYBOT_DB")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return _missing_folder(path, folder)
    exists = os.path.lexists(path)
    if exists and not path.is_file():
        return Finding(False, f"database: {path} is not a regular file; give the database file's path, "
                              f"{ELSEWHERE}")
    if exists:
        header = _header_problem(path)
        if header is not None:
            return header
    if not os.access(folder, os.W_OK | os.X_OK):
        return _read_only_folder(path, folder, exists)
    for neighbour in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), lock_path(path)):
        if neighbour.exists() and not os.access(neighbour, os.R_OK | os.W_OK):
            return Finding(False, f"database: {neighbour} is not writable by {_who()} (left by another user?); "
                                  f"give that user access to it (chown), {ELSEWHERE}")
    owner = current_owner(path)
    if owner is not None and not owner.is_this_process():     # checks may run after acquiring
        return Finding(False, str(DatabaseInUse(path, owner)))
    if not exists:
        return Finding(True, f"database: {path} does not exist yet; the first start creates it")
    if path.stat().st_size == 0:
        return Finding(True, f"database: {path} is empty; the first start creates the tables")
    try:
        return _schema(path, *_open_read_only(path))
    except sqlite3.Error as error:
        return _sqlite_error(path, error)


def _read_only_folder(path: Path, folder: Path, exists: bool) -> Finding:
    """The folder cannot be written: say so, and whether the database itself is sound (a healthy
    file in a read-only folder must never be taken for a damaged one)."""
    state = ""
    if exists and path.stat().st_size:
        try:
            integrity, _ = _open_read_only(path, can_write_beside=False)
        except sqlite3.Error as error:
            return _sqlite_error(path, error)
        if integrity != "ok":
            return _damaged(path, f"integrity check: {integrity}")
        state = "; the database itself reads fine, nothing needs restoring"
    return Finding(False, f"database: the folder {folder} is read-only for {_who()}, and the bot writes the "
                          f"database, its journal (-wal, -shm) and its lock file there: make the folder "
                          f"writable for that user, or move the database to a writable folder{state}")


def check_content(path: Path) -> tuple[object | None, Finding]:
    """The course (None if it has problems) and one line: counts, or the first problem and the count."""
    from bot.course.load import checked_course

    course, problems = checked_course(path)
    if problems:
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        return None, Finding(False, f"content: {path}: {count}, the first: {problems[0]}; run `studybot "
                                    f"content check --content {path}` to see every one")
    return course, Finding(True, f"content: {len(course.concepts)} concepts, {len(course.questions)} "
                                 f"questions from {path}")


def startup_checks(config: Config, tokens: bool = True) -> StartupReport:
    """Every check start-up runs (after the settings have loaded), in order; `tokens=False` for
    the console, which uses none."""
    course, content = check_content(config.content)
    findings = (check_tokens(config) if tokens else []) + [check_database(config.database), content]
    return StartupReport(findings, course)


def check_startup(config: Config, tokens: bool = True):
    """The course, ready to serve; raises StartupError with one line per problem."""
    report = startup_checks(config, tokens)
    if report.problems:
        raise StartupError(report.problems)
    return report.course
