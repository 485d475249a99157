"""Spaced review: decks, the review log, nudge settings and open review sessions.

A review changes a card only through its review_log row (the log's trigger writes the card in
the same statement); a review computed from a state that changed meanwhile is refused by the
log's UNIQUE (user_id, item, reviews_before), so a double press or two answers at once count
once. Two writes touch a card without a review, and neither counts as one: `add_card` (a concept
chosen under /define joins the deck, or a card set aside comes back) and `set_aside` (no
question of the content can review the card any more).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.clock import from_iso, iso
from bot.store.database import Database


# Where a card waits once no question of the content can review it: its history kept, out of
# the deck every query here reads (`_IN_DECK`); adding it again (a concept's button, a new
# miss) brings it back.
SET_ASIDE = datetime(9999, 12, 31, tzinfo=UTC)
_IN_DECK = f"due < '{iso(SET_ASIDE)}'"


@dataclass(frozen=True)
class StoredCard:
    user_id: int
    item: str
    state: str          # FSRS state JSON (bot/review/scheduling.py)
    due: datetime
    reviews: int
    lapses: int


@dataclass(frozen=True)
class NewReview:
    """One review as it goes into the log: the card's state after it, and the count it was
    computed from."""
    user_id: int
    item: str
    question_id: str
    source: str         # 'review', 'quiz' or 'daily'
    rating: int
    seconds: float | None
    reviewed_at: datetime
    day: str
    reviews_before: int
    state: str
    due: datetime


_CARD = "SELECT user_id, item, state, due, reviews, lapses FROM review_cards "
_INSERT_REVIEW = (
    "INSERT INTO review_log (user_id, item, question_id, source, rating, seconds, reviewed_at, day, "
    "reviews_before, state, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _card(row) -> StoredCard:
    return StoredCard(row[0], row[1], row[2], from_iso(row[3]), row[4], row[5])


def _review_params(review: NewReview) -> tuple:
    return (review.user_id, review.item, review.question_id, review.source, review.rating, review.seconds,
            iso(review.reviewed_at), review.day, review.reviews_before, review.state, iso(review.due))


async def card_of(db: Database, user_id: int, item: str) -> StoredCard | None:
    row = await db.fetchone(_CARD + "WHERE user_id = ? AND item = ?", (user_id, item))
    return _card(row) if row else None


async def add_card(db: Database, user_id: int, item: str, state: str, due: datetime) -> bool:
    """A card nobody reviewed yet (a concept chosen under /define), or one set aside brought
    back, due at `due` with its history; False if already in the deck."""
    return await db.write(
        "INSERT INTO review_cards (user_id, item, state, due) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, item) DO UPDATE SET due = excluded.due WHERE review_cards.due >= ?",
        (user_id, item, state, iso(due), iso(SET_ASIDE))) == 1


async def record_review(db: Database, review: NewReview) -> bool:
    """True if the review was written (with the card); False if the card had changed since the
    state it was computed from. One group-committed statement: cheap in a burst of answers."""
    return await db.write(_INSERT_REVIEW + " ON CONFLICT (user_id, item, reviews_before) DO NOTHING",
                          _review_params(review)) == 1


async def due_cards(db: Database, user_id: int, before: datetime, after: StoredCard | None = None,
                    limit: int = 20) -> list[StoredCard]:
    """Cards due before `before`, soonest first; a page starts after the card `after`."""
    if after is None:
        rows = await db.fetchall(_CARD + "WHERE user_id = ? AND due < ? ORDER BY due, item LIMIT ?",
                                 (user_id, iso(before), limit))
    else:
        rows = await db.fetchall(
            _CARD + "WHERE user_id = ? AND due < ? AND (due, item) > (?, ?) ORDER BY due, item LIMIT ?",
            (user_id, iso(before), iso(after.due), after.item, limit))
    return [_card(r) for r in rows]


async def count_due(db: Database, user_id: int, before: datetime, since: datetime | None = None) -> int:
    """Cards due before `before` (and at or after `since`)."""
    row = await db.fetchone("SELECT COUNT(*) FROM review_cards WHERE user_id = ? AND due < ? AND due >= ?",
                            (user_id, iso(before), iso(since) if since else ""))
    return int(row[0])


async def next_due(db: Database, user_id: int, after: datetime) -> datetime | None:
    """The earliest due instant at or after `after` (the next card to come due)."""
    row = await db.fetchone(f"SELECT MIN(due) FROM review_cards WHERE user_id = ? AND due >= ? AND {_IN_DECK}",
                            (user_id, iso(after)))
    return from_iso(row[0]) if row and row[0] else None


async def deck_size(db: Database, user_id: int) -> int:
    return int((await db.fetchone(f"SELECT COUNT(*) FROM review_cards WHERE user_id = ? AND {_IN_DECK}",
                                  (user_id,)))[0])


async def deck_of(db: Database, user_id: int) -> list[StoredCard]:
    return [_card(r) for r in await db.fetchall(_CARD + f"WHERE user_id = ? AND {_IN_DECK}", (user_id,))]


async def set_aside(db: Database, user_id: int, item: str) -> None:
    """Move a card no question of the content can review out of the way, keeping its history."""
    await db.write("UPDATE review_cards SET due = ? WHERE user_id = ? AND item = ?",
                   (iso(SET_ASIDE), user_id, item))


async def review_days(db: Database, user_id: int, limit: int = 400) -> list[str]:
    """The student's study days with a review session answer, newest first."""
    rows = await db.fetchall(
        "SELECT DISTINCT day FROM review_log WHERE user_id = ? AND source = 'review' "
        "ORDER BY day DESC LIMIT ?", (user_id, limit))
    return [r[0] for r in rows]


async def class_cards(db: Database, chat_id: int) -> list[StoredCard]:
    """Every card in the decks of the students who answered in this chat."""
    rows = await db.fetchall(
        _CARD + f"WHERE user_id IN (SELECT user_id FROM scores WHERE chat_id = ? AND period = 'all') AND {_IN_DECK}",
        (chat_id,))
    return [_card(r) for r in rows]


# --- the nudge a student chose ------------------------------------------------------------

@dataclass(frozen=True)
class Nudge:
    user_id: int
    chat_id: int
    enabled: bool
    nudge_time: str
    timezone: str
    next_at: datetime
    next_day_ends: datetime
    last_day: str | None


@dataclass(frozen=True)
class DueNudge:
    nudge: Nudge
    cards_due: int
    platform: str            # the private chat, as the adapters know it
    platform_chat_id: str
    language: str | None


_NUDGE_COLUMNS = ("n.user_id", "n.chat_id", "n.enabled", "n.nudge_time", "n.timezone", "n.next_at",
                  "n.next_day_ends", "n.last_day")
_NUDGE = f"SELECT {', '.join(_NUDGE_COLUMNS)} FROM review_nudges n "


def _nudge(row) -> Nudge:
    return Nudge(row[0], row[1], bool(row[2]), row[3], row[4], from_iso(row[5]), from_iso(row[6]), row[7])


async def nudge_of(db: Database, user_id: int) -> Nudge | None:
    row = await db.fetchone(_NUDGE + "WHERE n.user_id = ?", (user_id,))
    return _nudge(row) if row else None


_EARLIEST = ("review_nudges", "earliest")


async def earliest_nudge(db: Database) -> datetime | None:
    """The next instant any nudge is due, kept in memory (only this process changes nudges,
    and forgets it when it does): an idle tick costs no read."""
    async def load() -> datetime | None:
        row = await db.fetchone("SELECT MIN(next_at) FROM review_nudges WHERE enabled = 1")
        return from_iso(row[0]) if row[0] else None

    return await db.memo(_EARLIEST, load)


async def save_nudge(db: Database, nudge: Nudge, now: datetime) -> None:
    db.forget(_EARLIEST)
    await db.write(
        "INSERT INTO review_nudges (user_id, chat_id, enabled, nudge_time, timezone, next_at, next_day_ends, "
        "last_day, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
        "chat_id = excluded.chat_id, enabled = excluded.enabled, nudge_time = excluded.nudge_time, "
        "timezone = excluded.timezone, next_at = excluded.next_at, next_day_ends = excluded.next_day_ends, "
        "updated_at = excluded.updated_at",
        (nudge.user_id, nudge.chat_id, int(nudge.enabled), nudge.nudge_time, nudge.timezone,
         iso(nudge.next_at), iso(nudge.next_day_ends), nudge.last_day, iso(now)))
    db.forget(_EARLIEST)


async def due_nudges(db: Database, now: datetime) -> list[DueNudge]:
    """Enabled nudges whose time has come, each with how many cards are due by the end of
    that nudge's study day: one query, an index seek per student."""
    earliest = await earliest_nudge(db)
    if earliest is None or earliest > now:
        return []
    rows = await db.fetchall(
        f"SELECT {', '.join(_NUDGE_COLUMNS)}, (SELECT COUNT(*) FROM review_cards c WHERE c.user_id = n.user_id "
        "    AND c.due < n.next_day_ends), ch.platform, ch.platform_id, ch.language "
        "FROM review_nudges n JOIN chats ch ON ch.id = n.chat_id "
        "WHERE n.enabled = 1 AND n.next_at <= ? ORDER BY n.next_at, n.user_id", (iso(now),))
    n = len(_NUDGE_COLUMNS)
    return [DueNudge(_nudge(r), int(r[n]), r[n + 1], r[n + 2], r[n + 3]) for r in rows]


async def advance_nudges(db: Database, moves: list[tuple[int, datetime, datetime, str | None]],
                         now: datetime) -> None:
    """(user id, next nudge, the end of its study day, the day just nudged or None), all in one
    transaction."""
    db.forget(_EARLIEST)
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE review_nudges SET next_at = ?, next_day_ends = ?, last_day = COALESCE(?, last_day), "
            "updated_at = ? WHERE user_id = ?",
            [(iso(at), iso(ends), day, iso(now), user_id) for user_id, at, ends, day in moves])
    db.forget(_EARLIEST)


async def disable_nudges_to(db: Database, chat_id: int, now: datetime) -> int:
    """The platform refuses to deliver to this private chat: stop nudging there."""
    db.forget(_EARLIEST)
    return await db.write("UPDATE review_nudges SET enabled = 0, updated_at = ? WHERE chat_id = ? AND enabled = 1",
                          (iso(now), chat_id))


# --- the item a review session shows ----------------------------------------------------

@dataclass(frozen=True)
class Shown:
    user_id: int
    chat_id: int
    turn: int
    item: str | None
    question_id: str | None
    options: tuple[str, ...]
    correct: int
    shown_at: datetime | None


async def shown_to(db: Database, user_id: int) -> Shown | None:
    row = await db.fetchone(
        "SELECT user_id, chat_id, turn, item, question_id, options, correct, shown_at FROM review_sessions "
        "WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    return Shown(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5] or "[]")),
                 row[6] if row[6] is not None else -1, from_iso(row[7]) if row[7] else None)


async def show(db: Database, user_id: int, chat_id: int, item: str, question_id: str,
               options: tuple[str, ...], correct: int, now: datetime) -> int:
    """Put an item before the student; the new turn (older buttons stop counting)."""
    [row] = await db.write_returning(
        "INSERT INTO review_sessions (user_id, chat_id, turn, item, question_id, options, correct, shown_at) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, "
        "turn = review_sessions.turn + 1, item = excluded.item, question_id = excluded.question_id, "
        "options = excluded.options, correct = excluded.correct, shown_at = excluded.shown_at RETURNING turn",
        (user_id, chat_id, item, question_id, json.dumps(list(options), ensure_ascii=False), correct, iso(now)))
    return int(row[0])


async def answer_shown(db: Database, shown: Shown, review: NewReview) -> bool:
    """Close the shown item and write its review, atomically; False for a second answer to it
    (or if its card changed meanwhile), which then changes nothing."""
    try:
        async with db.transaction() as conn:
            closed = await conn.execute(
                "UPDATE review_sessions SET item = NULL WHERE user_id = ? AND turn = ? AND item = ?",
                (shown.user_id, shown.turn, shown.item))
            if closed.rowcount != 1:
                return False
            await conn.execute(_INSERT_REVIEW, _review_params(review))
            return True
    except sqlite3.IntegrityError:
        return False       # the card changed since it was shown: the transaction rolled back
