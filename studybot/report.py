"""`studybot report`: the teacher's reports from the database, which they only read.

- `--chat ID --csv FILE`: per-question results of a chat;
- `--items [--chat ID] [--csv FILE]`: item analysis (bot.item_analysis) as a table, and as CSV;
- `--content`: the questions students reported, per id.
"""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import sys
from pathlib import Path

from bot import item_analysis
from bot.course.load import load_course
from bot.course.problems import ContentError
from bot.item_analysis import ItemStats
from bot.item_report import TRUE_FALSE, item_statistics
from bot.store import reports_store
from bot.store.database import Database
from bot.store.migrations import MIGRATIONS
from studybot.app import explain_content
from studybot.config import Config

CSV_COLUMNS = ("question_id", "topic", "type", "difficulty", "times_asked", "answers", "correct",
               "accuracy_percent", "prompt")
ITEM_COLUMNS = ("question_id", "topic", "type", "level", "times_asked", "answers", "right",
                "facility_percent", "discrimination", "students", "flags", "option_picks", "prompt")
FLAG_NAMES = {"too_easy": "too easy", "too_hard": "too hard",
              "negative_discrimination": "discrimination < 0",
              "unused_distractor": "distractor nobody picks"}


class ReportError(Exception):
    """One line for the teacher: what is missing and how to name it."""


async def _open(config: Config) -> Database:
    """The bot's database, read only: a report never creates, migrates or changes one."""
    try:
        db = await Database.open(config.database, read_only=True)
    except FileNotFoundError:
        raise ReportError(f"no database at {config.database}; check --db or STUDYBOT_DB "
                          "(nothing was created)") from None
    except sqlite3.Error as exc:
        raise ReportError(f"database: {config.database} cannot be read ({exc}); "
                          "`studybot doctor` says why") from None
    try:
        version = await db.version()
    except sqlite3.Error as exc:
        await db.close()
        raise ReportError(f"database: {config.database} cannot be read ({exc}); "
                          "`studybot doctor` says why") from None
    if version != len(MIGRATIONS):
        await db.close()
        raise ReportError(f"database: {config.database} is at schema {version}, this studybot reads "
                          f"{len(MIGRATIONS)}; start the bot once (it migrates), or use the studybot "
                          "that wrote it")
    return db


async def _chat_id(db: Database, config: Config, chat: str) -> int:
    chat_id = await reports_store.find_chat(db, chat)
    if chat_id is None:
        raise ReportError(f"no chat {chat!r} in {config.database} (use PLATFORM:ID, e.g. telegram:-1001)")
    return chat_id


async def _export(config: Config, chat: str, target: Path) -> int:
    course = load_course(config.content)
    db = await _open(config)
    try:
        rows = await reports_store.question_results(db, await _chat_id(db, config, chat))
    finally:
        await db.close()
    rows_out = []
    for question_id, topic, asked, answers, correct in rows:
        question = course.questions.get(question_id)
        rows_out.append([question_id, topic, question.type if question else "",
                         question.difficulty if question else "", asked, answers, correct,
                         round(100 * correct / answers) if answers else "",
                         question.prompt if question else "(removed from the bank)"])
    _write_csv(target, CSV_COLUMNS, rows_out)
    print(f"wrote {len(rows)} questions to {target}")
    return 0


def _write_csv(target: Path, columns: tuple[str, ...], rows: list[list]) -> None:
    try:
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows(rows)
    except OSError as exc:
        raise ReportError(f"cannot write {target}: {exc.strerror or exc}") from None


def _percent(item: ItemStats) -> str:
    return "" if item.facility is None else str(round(100 * item.facility))


def _discrimination(item: ItemStats) -> str:
    return "" if item.discrimination is None else f"{item.discrimination:.2f}"


def _picks(item: ItemStats) -> str:
    return " | ".join(f"{text}: {count}" for text, count in item.picks.items())


def _flags(item: ItemStats) -> str:
    named = [FLAG_NAMES[f] for f in item.flags]
    if item.unpicked:
        named[item.flags.index("unused_distractor")] += " (" + " | ".join(item.unpicked) + ")"
    return "; ".join(named)


def _table(items: list[ItemStats], course) -> list[str]:
    width = max([len(i.question_id) for i in items] + [8])
    lines = [f"{'question':<{width}}  asked  answers  right %  discrim.  students  flags"]
    for item in items:
        lines.append(f"{item.question_id:<{width}}  {item.asked:>5}  {item.answers:>7}  {_percent(item):>7}  "
                     f"{_discrimination(item):>8}  {item.students:>8}  {_flags(item)}".rstrip())
        if item.picks:
            question = course.questions.get(item.question_id)
            right = str(question.answer) if question and question.type == "choice" else None
            if question and question.type == "true_false":
                right = TRUE_FALSE[0 if question.answer else 1]
            lines.append(" " * (width + 2) + "picks: " + " · ".join(
                f"{text} {count}{' (right)' if text == right else ''}" for text, count in item.picks.items()))
    lines.append("")
    lines.append(f"right %: facility; discrim.: correlation of the item with the rest of each student's answers "
                 f"(from {item_analysis.MIN_STUDENTS} students); flags: too easy over "
                 f"{round(100 * item_analysis.TOO_EASY_ABOVE)} %, too hard under "
                 f"{round(100 * item_analysis.TOO_HARD_BELOW)} % (from {item_analysis.MIN_ANSWERS} answers), "
                 f"discrimination < 0, a distractor nobody picks (from "
                 f"{item_analysis.MIN_ANSWERS_FOR_DISTRACTORS} answers)")
    return lines


async def _items(config: Config, chat: str | None, target: Path | None) -> int:
    course = load_course(config.content)
    db = await _open(config)
    try:
        chat_id = await _chat_id(db, config, chat) if chat else None
        items = await item_statistics(db, course, chat_id)
    finally:
        await db.close()
    if not items:
        print("no question has been asked" + (f" in {chat}" if chat else ""))
    else:
        print("\n".join(_table(items, course)))
    if target is not None:
        rows = []
        for item in items:
            question = course.questions.get(item.question_id)
            rows.append([
                item.question_id, question.topic if question else "", question.type if question else "",
                question.level if question else "", item.asked, item.answers, item.right,
                _percent(item), _discrimination(item), item.students, _flags(item), _picks(item),
                question.prompt if question else "(removed from the bank)"])
        _write_csv(target, ITEM_COLUMNS, rows)
        print(f"wrote {len(items)} questions to {target}", file=sys.stderr)
    return 0


async def _content(config: Config) -> int:
    course = load_course(config.content)
    db = await _open(config)
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


def report(config: Config, chat: str | None, csv_path: Path | None, content: bool, items: bool = False) -> int:
    try:
        if content:
            return asyncio.run(_content(config))
        if items:
            return asyncio.run(_items(config, chat, csv_path))
        if chat and csv_path:
            return asyncio.run(_export(config, chat, csv_path))
    except ReportError as error:
        print(f"studybot: {error}", file=sys.stderr)
        return 2
    except ContentError as error:
        explain_content(config.content, error)
        return 2
    print("studybot report: give --chat ID --csv FILE, --items [--chat ID] [--csv FILE], or --content",
          file=sys.stderr)
    return 2
