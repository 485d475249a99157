"""`studybot report`: per-question results of a chat as CSV, or reported questions per id."""

from __future__ import annotations

import asyncio
import csv
import sys
from pathlib import Path

from bot.course.load import load_course
from bot.store import reports_store
from bot.store.database import Database
from studybot.config import Config

CSV_COLUMNS = ("question_id", "topic", "type", "difficulty", "times_asked", "answers", "correct",
               "accuracy_percent", "prompt")


async def _export(config: Config, chat: str, target: Path) -> int:
    course = load_course(config.content)
    db = await Database.open(config.database)
    try:
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
    course = load_course(config.content)
    db = await Database.open(config.database)
    try:
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
