"""Which questions a chat gets: never-seen first, then the longest-unseen; types and topics mixed."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime

from bot.model.course import Question


def pick_questions(pool: Iterable[Question], count: int, last_asked: dict[str, datetime],
                   rng: random.Random) -> list[Question]:
    pool = list(pool)
    rng.shuffle(pool)
    fresh = [q for q in pool if q.id not in last_asked]
    seen = sorted((q for q in pool if q.id in last_asked), key=lambda q: last_asked[q.id])
    return (fresh + seen)[:count]


def pick_daily(pool: Iterable[Question], last_asked: dict[str, datetime], previous: Question | None,
               rng: random.Random) -> Question | None:
    """One question nobody in the chat has had (until the bank is used up), unlike yesterday's."""
    ordered = pick_questions(pool, 10_000, last_asked, rng)
    if not ordered:
        return None
    head = [q for q in ordered if q.id not in last_asked] or ordered[:1]
    if previous is not None:
        varied = [q for q in head if q.topic != previous.topic and q.type != previous.type]
        if varied:
            return varied[0]
    return head[0]
