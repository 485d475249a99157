"""A student's deck: built from play (every missed quiz or daily question) and from /define
(a concept chosen with the button under its card); the scheduler and the zone it is kept in."""

from __future__ import annotations

import logging
from datetime import datetime

from fsrs import Rating

from bot.core import Core
from bot.turn import Turn
from bot.replies import Reply
from bot.review.days import study_day
from bot.review.items import concept_item, question_item, questions_citing
from bot.review.scheduling import Memory, dump_state, load_state
from bot.store import people, review_store
from bot.store.review_store import NewReview

log = logging.getLogger(__name__)

ATTEMPTS = 3


def memory_of(core: Core) -> Memory:
    return Memory(core.settings.review_retention, core.rng, core.settings.review_fuzz)


async def student_zone(core: Core, user_id: int, chat_id: int) -> str:
    """The zone the student chose for review (/review tz, or their private chat's when they
    turned nudges on); else the zone of the chat they are in."""
    nudge = await review_store.nudge_of(core.db, user_id)
    return nudge.timezone if nudge else await people.chat_timezone(core.db, chat_id)


async def add_missed(core: Core, user_id: int, question_id: str, source: str, now: datetime,
                     timezone: str) -> None:
    """A wrong answer in play, counted as an FSRS review rated Again: the question joins the
    deck (due the next study day), or, already there, is due again soon. Never raises: the
    answer it follows is already recorded, so a failure here is logged, not shown."""
    try:
        await _review_miss(core, user_id, question_item(question_id), question_id, source, now, timezone)
    except Exception:
        log.exception("could not add question %s to the deck of user %s", question_id, user_id)


async def _review_miss(core: Core, user_id: int, item: str, question_id: str, source: str,
                       now: datetime, timezone: str) -> None:
    memory = memory_of(core)
    day = study_day(now, timezone, core.settings.review_day_starts_hour).isoformat()
    stored = None          # first try as a new card: no read for the common case
    for _ in range(ATTEMPTS):
        card = memory.new_card(now) if stored is None else load_state(stored.state, stored.due)
        after = memory.review(card, Rating.Again, now)
        review = NewReview(user_id, item, question_id, source, int(Rating.Again), None, now, day,
                           stored.reviews if stored else 0, dump_state(after), after.due)
        if await review_store.record_review(core.db, review):
            return
        stored = await review_store.card_of(core.db, user_id, item)
    log.warning("deck of user %s: question %s changed under %d attempts; miss not counted",
                user_id, question_id, ATTEMPTS)


async def add_concept(turn: Turn, concept_id: str) -> list[Reply]:
    """The "Ôn lại thẻ này" button under a /define card: the concept joins the presser's deck."""
    core, tr = turn.core, turn.tr
    concept = core.course.concepts.get(concept_id)
    if concept is None:
        return [turn.aside(tr("define.gone"))]
    if not questions_citing(core.course, concept_id):
        return [turn.aside(tr("review.no_questions"))]
    card = memory_of(core).new_card(turn.now)
    added = await review_store.add_card(core.db, turn.user_id, concept_item(concept_id), dump_state(card), turn.now)
    return [turn.aside(tr("review.added" if added else "review.already", term=concept.term))]
