"""`studybot doctor`: one line per check, OK or what to fix; exit 1 if anything must be fixed."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.course.load import ContentError, load_course
from bot.store.migrations import MIGRATIONS
from studybot.config import Config, ConfigError, load_config

TELEGRAM_TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
DISCORD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


def check_tokens(config: Config) -> list[tuple[bool, str]]:
    lines = []
    if not config.telegram_token and not config.discord_token:
        lines.append((True, "tokens: none set; `studybot run` starts the console"))
    if config.telegram_token:
        ok = bool(TELEGRAM_TOKEN.match(config.telegram_token))
        lines.append((ok, "TELEGRAM_BOT_TOKEN: looks like a BotFather token" if ok else
                       "TELEGRAM_BOT_TOKEN: not a BotFather token (digits, a colon, then 30+ letters); copy it again"))
    if config.discord_token:
        ok = bool(DISCORD_TOKEN.match(config.discord_token))
        lines.append((ok, "DISCORD_TOKEN: looks like a bot token" if ok else
                       "DISCORD_TOKEN: not a bot token (three dot-separated parts); reset and copy it again "
                       "from the Developer Portal's Bot page"))
    return lines


def check_database(path: Path) -> tuple[bool, str]:
    if not path.exists():
        return True, f"database: {path} does not exist yet; it is created at the first start"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return False, f"database: {path} cannot be read as SQLite ({error}); restore a backup (studybot db backup)"
    if integrity != "ok":
        return False, f"database: {path} is damaged ({integrity}); restore a backup"
    if version > len(MIGRATIONS):
        return False, f"database: {path} is from a newer studybot (schema {version}); upgrade studybot"
    if version < len(MIGRATIONS):
        return True, f"database: {path} is at schema {version}; the next start migrates it to {len(MIGRATIONS)}"
    return True, f"database: {path} opens, schema {version} is current"


def check_content(path: Path) -> tuple[bool, str]:
    try:
        course = load_course(path)
    except ContentError as error:
        return False, f"content: {len(error.problems)} problem(s) in {path}; run `studybot content check`"
    return True, f"content: {len(course.concepts)} concepts, {len(course.questions)} questions from {path}"


def doctor(config_file: Path | None, db: Path | None, content: Path | None) -> int:
    try:
        config = load_config(config_file)
    except ConfigError as error:
        print(f"FIX settings: {error}")
        return 1
    config.database = db or config.database
    config.content = content or config.content
    checks = [(True, "settings: valid")] + check_tokens(config) + [
        check_database(config.database), check_content(config.content)]
    for ok, line in checks:
        print(("OK  " if ok else "FIX ") + line)
    return 0 if all(ok for ok, _ in checks) else 1
