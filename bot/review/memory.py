"""What review adds to /me (a student's memory) and /stats (the class's, for the teacher).

"Predicted recall" is FSRS's retrievability: the probability the model gives that the student
would answer the card right now, averaged over the cards reviewed at least once (a concept
added but never reviewed has no prediction yet).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from statistics import fmean

from bot.core import Core
from bot.i18n import Catalog
from bot.review import deck
from bot.review.days import review_streak, study_day, study_day_end
from bot.review.items import label_of, topic_of
from bot.review.scheduling import Memory, load_state
from bot.store import review_store
from bot.store.review_store import StoredCard

MAX_RELAPSED = 5


def _recalls(memory: Memory, cards: list[StoredCard], now: datetime) -> list[float]:
    recalls = (memory.recall(load_state(c.state, c.due), now) for c in cards)
    return [r for r in recalls if r is not None]


def _percent(values: list[float]) -> str:
    return f"{round(100 * fmean(values))}%" if values else "—"


async def me_lines(core: Core, tr: Catalog, user_id: int, chat_id: int, now: datetime) -> list[str]:
    cards = await review_store.deck_of(core.db, user_id)
    if not cards:
        return [tr("me.memory_empty")]
    zone = await deck.student_zone(core, user_id, chat_id)
    hour = core.settings.review_day_starts_hour
    ends = study_day_end(now, zone, hour)
    days = [date.fromisoformat(d) for d in await review_store.review_days(core.db, user_id)]
    return [tr("me.memory", cards=len(cards), due=sum(1 for c in cards if c.due < ends),
               recall=_percent(_recalls(deck.memory_of(core), cards, now)),
               streak=review_streak(days, study_day(now, zone, hour)))]


async def class_lines(core: Core, tr: Catalog, chat_id: int, now: datetime) -> list[str]:
    """Per topic, the predicted recall of the cards of everyone who answered in this chat
    (lowest first), then the items most often forgotten again after a review."""
    cards = await review_store.class_cards(core.db, chat_id)
    if not cards:
        return []
    memory = deck.memory_of(core)
    by_topic: dict[str, list[StoredCard]] = defaultdict(list)
    relapses: Counter[str] = Counter()
    for card in cards:
        topic = topic_of(core.course, card.item)
        if topic is not None:
            by_topic[topic].append(card)
        if card.lapses:
            relapses[card.item] += card.lapses
    figures = [(topic, _recalls(memory, topic_cards, now), topic_cards)
               for topic, topic_cards in by_topic.items()]
    figures.sort(key=lambda f: (fmean(f[1]) if f[1] else 2.0, f[0]))
    lines = [tr("stats.memory")]
    for topic, recalls, topic_cards in figures:
        lines.append(tr("stats.memory_line", title=core.course.topic_title(topic), recall=_percent(recalls),
                        cards=len(topic_cards), students=len({c.user_id for c in topic_cards})))
    if relapses:
        lines.append(tr("stats.relapsed"))
        for item, count in sorted(relapses.items(), key=lambda r: (-r[1], r[0]))[:MAX_RELAPSED]:
            lines.append(tr("stats.relapsed_line", label=label_of(core.course, item), count=count))
    return lines
