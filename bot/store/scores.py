"""Leaderboards and personal figures, read from the aggregates the answers trigger keeps."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Database


@dataclass(frozen=True)
class Entry:
    rank: int
    user_id: int
    name: str
    points: int
    answers: int
    correct: int


async def top(db: Database, chat_id: int, period: str, limit: int = 10) -> list[Entry]:
    rows = await db.fetchall(
        "SELECT s.user_id, u.display_name, s.points, s.answers, s.correct FROM scores s "
        "JOIN users u ON u.id = s.user_id WHERE s.chat_id = ? AND s.period = ? "
        "ORDER BY s.points DESC, s.user_id LIMIT ?", (chat_id, period, limit))
    entries, rank, previous = [], 0, None
    for n, row in enumerate(rows, 1):
        if row[2] != previous:
            rank, previous = n, row[2]
        entries.append(Entry(rank, *tuple(row)))
    return entries


async def position(db: Database, chat_id: int, period: str, user_id: int) -> Entry | None:
    """The user's rank (1 + how many have more points) and figures; None without answers."""
    row = await db.fetchone(
        "SELECT s.points, s.answers, s.correct, u.display_name, "
        "  (SELECT COUNT(*) FROM scores o WHERE o.chat_id = s.chat_id AND o.period = s.period "
        "   AND o.points > s.points) "
        "FROM scores s JOIN users u ON u.id = s.user_id "
        "WHERE s.chat_id = ? AND s.period = ? AND s.user_id = ?", (chat_id, period, user_id))
    if row is None:
        return None
    return Entry(row[4] + 1, user_id, row[3], row[0], row[1], row[2])


async def players(db: Database, chat_id: int, period: str) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM scores WHERE chat_id = ? AND period = ?",
                            (chat_id, period))
    return int(row[0])


async def overall(db: Database, user_id: int) -> tuple[int, int, int]:
    """Points, answers and correct answers over every chat."""
    row = await db.fetchone(
        "SELECT COALESCE(SUM(points), 0), COALESCE(SUM(answers), 0), COALESCE(SUM(correct), 0) "
        "FROM scores WHERE user_id = ? AND period = 'all'", (user_id,))
    return int(row[0]), int(row[1]), int(row[2])


@dataclass(frozen=True)
class TopicFigure:
    topic: str
    answers: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


async def weakest_topics(db: Database, chat_id: int, user_id: int, min_answers: int,
                         limit: int = 3) -> list[TopicFigure]:
    rows = await db.fetchall(
        "SELECT topic, answers, correct FROM topic_scores WHERE user_id = ? AND chat_id = ? "
        "AND answers >= ? ORDER BY CAST(correct AS REAL) / answers, answers DESC LIMIT ?",
        (user_id, chat_id, min_answers, limit))
    return [TopicFigure(*tuple(r)) for r in rows]


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    last_day: str


async def streak(db: Database, chat_id: int, user_id: int) -> Streak | None:
    row = await db.fetchone("SELECT current, best, last_day FROM streaks WHERE chat_id = ? AND user_id = ?",
                            (chat_id, user_id))
    return Streak(*tuple(row)) if row else None


async def top_streaks(db: Database, chat_id: int, alive_days: tuple[str, ...],
                      limit: int = 10) -> list[tuple[str, int, int]]:
    """(name, current, best) of the longest streaks that end on one of `alive_days`."""
    marks = ",".join("?" * len(alive_days))
    rows = await db.fetchall(
        "SELECT u.display_name, s.current, s.best FROM streaks s JOIN users u ON u.id = s.user_id "
        f"WHERE s.chat_id = ? AND s.last_day IN ({marks}) AND s.current > 0 "
        "ORDER BY s.current DESC, s.best DESC, s.user_id LIMIT ?", (chat_id, *alive_days, limit))
    return [(r[0], r[1], r[2]) for r in rows]
