"""Rounds, asked questions and answers: the state of every game is a row, so restarts are boring."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.clock import from_iso, iso
from bot.model.play import AnswerRow, Asked, NewAnswer, Presented, Round, Standing
from bot.store.database import Database


def _asked(row) -> Asked:
    return Asked(row["id"], row["chat_id"], row["round_id"], row["position"], row["question_id"],
                 row["topic"], tuple(json.loads(row["options"])), row["correct"],
                 from_iso(row["asked_at"]), from_iso(row["closes_at"]), row["closed_at"] is not None,
                 row["daily_day"], row["delivered_at"] is not None, bool(row["native"]))


def _round(row) -> Round:
    return Round(row["id"], row["chat_id"], row["started_by"], row["topic"],
                 tuple(json.loads(row["question_ids"])), row["seconds"], row["state"])


async def start_round(db: Database, chat_id: int, user_id: int, topic: str | None,
                      question_ids: list[str], seconds: int, now: datetime) -> int | None:
    """The new round's id, or None when the chat already has one running (a unique index says so)."""
    try:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO rounds (chat_id, started_by, topic, question_ids, seconds, state, started_at) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?)",
                (chat_id, user_id, topic, json.dumps(question_ids), seconds, iso(now)))
            return cursor.lastrowid
    except sqlite3.IntegrityError:
        return None


async def running_round(db: Database, chat_id: int) -> Round | None:
    row = await db.fetchone("SELECT * FROM rounds WHERE chat_id = ? AND state = 'running'", (chat_id,))
    return _round(row) if row else None


async def round_by_id(db: Database, round_id: int) -> Round:
    return _round(await db.fetchone("SELECT * FROM rounds WHERE id = ?", (round_id,)))


async def end_round(db: Database, round_id: int, state: str, now: datetime) -> bool:
    """True for the one caller that ended it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE rounds SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'",
            (state, iso(now), round_id))
        return cursor.rowcount == 1


async def ask(db: Database, chat_id: int, presented: Presented, topic: str, now: datetime,
              closes_at: datetime, round_id: int | None = None, position: int | None = None,
              daily_day: str | None = None) -> int | None:
    """The asked question's id; None if that round position or daily day was asked already."""
    try:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO asked (chat_id, round_id, position, question_id, topic, options, correct, "
                "asked_at, closes_at, daily_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (chat_id, round_id, position, presented.question_id, topic,
                 json.dumps(list(presented.options), ensure_ascii=False), presented.correct,
                 iso(now), iso(closes_at), daily_day))
            return cursor.lastrowid
    except sqlite3.IntegrityError:
        return None


async def asked_by_id(db: Database, asked_id: int) -> Asked | None:
    """An asked question; kept in memory once read, since only its closing ever changes and
    this process is the one that closes it (one bot process per database)."""
    async def load() -> Asked | None:
        row = await db.fetchone("SELECT * FROM asked WHERE id = ?", (asked_id,))
        return _asked(row) if row else None

    asked = await db.memo(("asked", asked_id), load)
    if asked is None:
        db.forget(("asked", asked_id))       # it may be asked later under this id
    return asked


async def open_asked_in_chat(db: Database, chat_id: int) -> list[Asked]:
    rows = await db.fetchall(
        "SELECT * FROM asked WHERE chat_id = ? AND closed_at IS NULL ORDER BY id", (chat_id,))
    return [_asked(r) for r in rows]


async def open_question_ids(db: Database) -> set[str]:
    """The questions some chat can still answer (a quiz question or a daily one not revealed)."""
    rows = await db.fetchall("SELECT DISTINCT question_id FROM asked WHERE closed_at IS NULL")
    return {r[0] for r in rows}


async def due_asked(db: Database, before: datetime) -> list[Asked]:
    """Delivered questions whose time is up (an undelivered one is never revealed)."""
    rows = await db.fetchall(
        "SELECT * FROM asked WHERE closed_at IS NULL AND closes_at <= ? AND delivered_at IS NOT NULL "
        "ORDER BY closes_at, id", (iso(before),))
    return [_asked(r) for r in rows]


async def mark_delivered(db: Database, asked_id: int, at: datetime, native: bool,
                         message_key: str | None, platform: str) -> None:
    """The platform has shown the question: a round question's time starts now (its length
    kept), a daily one keeps its closing time; a poll id is stored in the same transaction,
    so a vote on it always finds its question."""
    db.forget(("asked", asked_id))
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT asked_at, closes_at, daily_day FROM asked WHERE id = ? AND delivered_at IS NULL",
            (asked_id,))
        row = await cursor.fetchone()
        if row is not None:
            closes_at = from_iso(row[1])
            if row[2] is None:
                closes_at = at + (closes_at - from_iso(row[0]))
            await conn.execute(
                "UPDATE asked SET delivered_at = ?, native = ?, asked_at = ?, closes_at = ? WHERE id = ?",
                (iso(at), int(native), iso(at), iso(closes_at), asked_id))
        if message_key is not None:
            await conn.execute(
                "INSERT OR REPLACE INTO platform_messages (platform, message_key, chat_id, asked_id) "
                "SELECT ?, ?, chat_id, id FROM asked WHERE id = ?", (platform, message_key, asked_id))
    db.forget(("asked", asked_id))


async def asked_by_message(db: Database, platform: str, message_key: str) -> tuple[int, int] | None:
    """(chat id, asked id) of the question a platform message showed (a poll), if it was stored."""
    row = await db.fetchone("SELECT chat_id, asked_id FROM platform_messages WHERE platform = ? AND message_key = ?",
                            (platform, message_key))
    return (int(row[0]), int(row[1])) if row else None


async def discard_undelivered(db: Database, asked_id: int) -> bool:
    """Forget a question the platform never showed (no answer can exist): a daily day stays
    free to post again, a round position to ask again. True if it was removed."""
    db.forget(("asked", asked_id))
    removed = await db.write(
        "DELETE FROM asked WHERE id = ? AND delivered_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM answers WHERE asked_id = asked.id) "
        "AND NOT EXISTS (SELECT 1 FROM platform_messages WHERE asked_id = asked.id)", (asked_id,))
    db.forget(("asked", asked_id))
    return removed == 1


async def undelivered_asked(db: Database) -> list[Asked]:
    """Questions queued but never confirmed delivered, in every chat."""
    rows = await db.fetchall("SELECT * FROM asked WHERE delivered_at IS NULL AND closed_at IS NULL ORDER BY id")
    return [_asked(r) for r in rows]


async def close_asked(db: Database, asked_id: int, now: datetime) -> bool:
    """True for the one caller that closed it, so a question is revealed once."""
    db.forget(("asked", asked_id))
    changed = await db.write("UPDATE asked SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                             (iso(now), asked_id))
    db.forget(("asked", asked_id))
    return changed == 1


async def record_answer(db: Database, answer: NewAnswer) -> bool:
    """True if this was the user's first answer to the question; later ones change nothing.

    One statement: UNIQUE (asked_id, user_id) refuses a second answer, and the triggers update
    the leaderboards (and a daily streak) atomically with it.
    """
    inserted = await db.write(
        "INSERT INTO answers (asked_id, user_id, chat_id, topic, answer, correct, points, "
        "answered_at, week, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (asked_id, user_id) DO NOTHING",
        (answer.asked_id, answer.user_id, answer.chat_id, answer.topic, answer.answer,
         int(answer.correct), answer.points, iso(answer.answered_at), answer.week, answer.month))
    return inserted == 1


async def answers_to(db: Database, asked_id: int) -> list[AnswerRow]:
    rows = await db.fetchall(
        "SELECT a.user_id, u.display_name, a.correct, a.points, a.answered_at FROM answers a "
        "JOIN users u ON u.id = a.user_id WHERE a.asked_id = ? ORDER BY a.answered_at, a.id",
        (asked_id,))
    return [AnswerRow(r[0], r[1], bool(r[2]), r[3], from_iso(r[4])) for r in rows]


async def round_players_all_answered(db: Database, asked: "Asked") -> bool:
    """Has everyone who played an earlier question of this round answered this one?

    False when nobody played before: then the question runs its full time, so that the first
    answer in a quiet chat does not rob the others.
    """
    row = await db.fetchone(
        "WITH players AS (SELECT DISTINCT a.user_id FROM answers a JOIN asked q ON q.id = a.asked_id "
        "                 WHERE q.round_id = ? AND q.position < ?) "
        "SELECT (SELECT COUNT(*) FROM players), "
        "       (SELECT COUNT(*) FROM answers WHERE asked_id = ? AND user_id IN players)",
        (asked.round_id, asked.position, asked.id))
    return row[0] > 0 and row[0] == row[1]


async def round_standings(db: Database, round_id: int) -> list[Standing]:
    rows = await db.fetchall(
        "SELECT a.user_id, u.display_name, SUM(a.points), SUM(a.correct), COUNT(*) FROM answers a "
        "JOIN asked q ON q.id = a.asked_id JOIN users u ON u.id = a.user_id WHERE q.round_id = ? "
        "GROUP BY a.user_id ORDER BY SUM(a.points) DESC, MIN(a.answered_at)", (round_id,))
    return [Standing(*tuple(r)) for r in rows]


async def last_asked(db: Database, chat_id: int) -> dict[str, datetime]:
    rows = await db.fetchall(
        "SELECT question_id, MAX(asked_at) FROM asked WHERE chat_id = ? GROUP BY question_id", (chat_id,))
    return {r[0]: from_iso(r[1]) for r in rows}


async def daily_days(db: Database, chat_id: int, limit: int = 2) -> list[tuple[str, bool]]:
    """The chat's latest daily days, newest first, each with whether it is revealed."""
    rows = await db.fetchall(
        "SELECT daily_day, closed_at IS NOT NULL FROM asked WHERE chat_id = ? AND daily_day IS NOT NULL "
        "AND delivered_at IS NOT NULL "
        "ORDER BY daily_day DESC LIMIT ?", (chat_id, limit))
    return [(r[0], bool(r[1])) for r in rows]


async def native_questions_of_round(db: Database, round_id: int) -> list[tuple[Asked, int, int]]:
    """The round's questions that the platform showed as its own quiz, with their answers and
    right answers, in order."""
    rows = await db.fetchall(
        "SELECT q.*, COUNT(a.id) AS answer_count, COALESCE(SUM(a.correct), 0) AS right_count "
        "FROM asked q LEFT JOIN answers a ON a.asked_id = q.id "
        "WHERE q.round_id = ? AND q.native = 1 GROUP BY q.id ORDER BY q.position", (round_id,))
    return [(_asked(r), r["answer_count"], r["right_count"]) for r in rows]
