"""Reports on questions, class statistics and per-question results for the teacher."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

from bot.clock import iso
from bot.store.database import Database


async def add_report(db: Database, question_id: str, chat_id: int, user_id: int, reason: str,
                     now: datetime) -> bool:
    """True for a new report; a repeat by the same user keeps one row (a new reason replaces)."""
    existed = await db.fetchone("SELECT 1 FROM question_reports WHERE question_id = ? AND user_id = ?",
                                (question_id, user_id))
    await db.write(
        "INSERT INTO question_reports (question_id, chat_id, user_id, reason, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (question_id, user_id) DO UPDATE SET "
        "reason = CASE WHEN excluded.reason != '' THEN excluded.reason ELSE question_reports.reason END",
        (question_id, chat_id, user_id, reason, iso(now)))
    return existed is None


async def reports_in_chat(db: Database, chat_id: int, limit: int = 10) -> list[tuple[str, int, str]]:
    """(question id, how many reports, the latest reasons) for a chat, most reported first."""
    rows = await db.fetchall(
        "SELECT question_id, COUNT(*), GROUP_CONCAT(NULLIF(reason, ''), ' | ') FROM question_reports "
        "WHERE chat_id = ? GROUP BY question_id ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT ?",
        (chat_id, limit))
    return [(r[0], r[1], r[2] or "") for r in rows]


async def reports_by_question(db: Database) -> list[tuple[str, int, str]]:
    rows = await db.fetchall(
        "SELECT question_id, COUNT(*), GROUP_CONCAT(NULLIF(reason, ''), ' | ') FROM question_reports "
        "GROUP BY question_id ORDER BY COUNT(*) DESC, question_id")
    return [(r[0], r[1], r[2] or "") for r in rows]


async def week_activity(db: Database, chat_id: int, week: str) -> tuple[int, int, int]:
    """Members who answered this week, their answers and right answers."""
    row = await db.fetchone(
        "SELECT COUNT(*), COALESCE(SUM(answers), 0), COALESCE(SUM(correct), 0) FROM scores "
        "WHERE chat_id = ? AND period = ?", (chat_id, "w:" + week))
    return int(row[0]), int(row[1]), int(row[2])


async def topic_accuracy(db: Database, chat_id: int) -> list[tuple[str, int, int]]:
    rows = await db.fetchall(
        "SELECT topic, SUM(answers), SUM(correct) FROM topic_scores WHERE chat_id = ? GROUP BY topic "
        "ORDER BY CAST(SUM(correct) AS REAL) / SUM(answers)", (chat_id,))
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


async def question_results(db: Database, chat_id: int) -> list[tuple]:
    """Per question asked in the chat: times asked, answers, right answers."""
    return [tuple(r) for r in await db.fetchall(
        "SELECT q.question_id, q.topic, COUNT(DISTINCT q.id), COUNT(a.id), COALESCE(SUM(a.correct), 0) "
        "FROM asked q LEFT JOIN answers a ON a.asked_id = q.id WHERE q.chat_id = ? "
        "GROUP BY q.question_id ORDER BY q.question_id", (chat_id,))]


async def times_asked(db: Database, chat_id: int | None) -> dict[str, int]:
    """Question id -> how many times it was asked, in one chat or (None) in all."""
    rows = await db.fetchall(
        "SELECT question_id, COUNT(*) FROM asked WHERE ?1 IS NULL OR chat_id = ?1 GROUP BY question_id",
        (chat_id,))
    return {r[0]: int(r[1]) for r in rows}


async def item_answers(db: Database, chat_id: int | None) -> list[tuple[str, tuple[str, ...], int, str, bool]]:
    """Every recorded answer, in one chat or (None) in all: (question id, the options as shown
    when it was asked, user id, the answer as stored, right)."""
    rows = await db.fetchall(
        "SELECT q.question_id, q.options, a.user_id, a.answer, a.correct FROM answers a "
        "JOIN asked q ON q.id = a.asked_id WHERE ?1 IS NULL OR q.chat_id = ?1 ORDER BY a.id",
        (chat_id,))
    return await asyncio.to_thread(_item_rows, rows)   # a whole class's history: off the event loop


def _item_rows(rows) -> list[tuple[str, tuple[str, ...], int, str, bool]]:
    shown: dict[str, tuple[str, ...]] = {}       # one asking's options, parsed once for all its answers
    for r in rows:
        if r[1] not in shown:
            shown[r[1]] = tuple(json.loads(r[1]))
    return [(r[0], shown[r[1]], int(r[2]), r[3], bool(r[4])) for r in rows]


async def find_chat(db: Database, key: str) -> int | None:
    """A chat by "platform:id" or by its platform id alone."""
    platform, sep, platform_id = key.partition(":")
    if sep:
        row = await db.fetchone("SELECT id FROM chats WHERE platform = ? AND platform_id = ?",
                                (platform, platform_id))
    else:
        row = await db.fetchone("SELECT id FROM chats WHERE platform_id = ?", (key,))
    return row[0] if row else None
