"""`studybot report`: per-question results of a chat as CSV, or reported questions per id."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import sys
from pathlib import Path

from bot.store import reports_store
from bot.store.database import Database
from bot.store.migrations import MIGRATIONS
from studybot.config import Config
from studybot.startup import StartupError, check_content

CSV_COLUMNS = ("question_id", "topic", "type", "difficulty", "times_asked", "answers", "correct",
               "accuracy_percent", "prompt")


def _course(config: Config):
    course, finding = check_content(config.content)
    if course is None:
        raise StartupError([finding.line])
    return course


async def _open(config: Config) -> Database:
    """The bot's database, read only: a report never creates, migrates or changes one."""
    if not config.database.is_file():
        raise StartupError([f"no database at {config.database}; check --db or STUDYBOT_DB "
                            f"(nothing was created)"])
    unreadable = f"database: {config.database} cannot be read ({{}}); `studybot doctor` says why"
    try:
        db = await Database.open(config.database, read_only=True)
    except sqlite3.Error as error:
        raise StartupError([unreadable.format(error)]) from None
    try:
        version = await db.version()
    except sqlite3.Error as error:
        await db.close()
        raise StartupError([unreadable.format(error)]) from None
    if version != len(MIGRATIONS):
        await db.close()
        raise StartupError([f"database: {config.database} is at schema {version}, this studybot reads "
                            f"{len(MIGRATIONS)}; start the bot once (it migrates), or use the studybot "
                            f"that wrote it"])
    return db


async def _export(config: Config, chat: str, target: Path) -> int:
    db = await _open(config)
    try:
        course = _course(config)
        chat_id = await reports_store.find_chat(db, chat)
        if chat_id is None:
            print(f"studybot: no chat {chat!r} in {config.database} (use PLATFORM:ID, e.g. telegram:-1001)",
                  file=sys.stderr)
            return 1
        rows = await reports_store.question_results(db, chat_id)
    finally:
        await db.close()
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for question_id, topic, asked, answers, correct in rows:
            question = course.questions.get(question_id)
            writer.writerow([question_id, topic, question.type if question else "",
                             question.difficulty if question else "", asked, answers, correct,
                             round(100 * correct / answers) if answers else "",
                             question.prompt if question else "(removed from the bank)"])
    print(f"wrote {len(rows)} questions to {target}")
    return 0


async def _content(config: Config) -> int:
    db = await _open(config)
    try:
        course = _course(config)
        reports = await reports_store.reports_by_question(db)
    finally:
        await db.close()
    if not reports:
        print("no question has been reported")
    for question_id, count, reasons in reports:
        question = course.questions.get(question_id)
        where = question.file if question else "(not in the content any more)"
        print(f"{question_id}\t{count} report(s)\t{where}\t{reasons}")
    return 0


def report(config: Config, chat: str | None, csv_path: Path | None, content: bool) -> int:
    if content:
        return asyncio.run(_content(config))
    if chat and csv_path:
        return asyncio.run(_export(config, chat, csv_path))
    print("studybot report: give --chat ID --csv FILE, or --content", file=sys.stderr)
    return 2
