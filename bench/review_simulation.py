"""Reviews needed to keep what students missed remembered: the bot's FSRS schedule vs fixed days.

Simulated students forget by FSRS's own model: at a review a student recalls an item with the
probability FSRS predicts for it at that moment (its retrievability), and the item's memory
moves on as FSRS says for that outcome (Good if recalled, Again if not). Every item is missed in
class at 08:00 on day 0 (the miss is its first review, rated Again, as in the bot). Each schedule
runs 30 days and reviews at the 20:00 nudge:
- the bot: the items FSRS says are due that study day (desired retention 0.9, fuzz seeded);
- fixed days 1, 3, 7, 14 after the miss (and 28), as the issue asks;
- fixed days with gaps growing by a day (1, 2, 4, 7, 11, 16, 22, 29, and from a gap of 2):
  what a fixed schedule needs to keep about as much as the bot does.
Reported per schedule: reviews per item, and the predicted recall of all the missed items each
evening just before its reviews: the mean over the 30 evenings, and the share of item-evenings
at 90 % or more from day 2 on (no schedule of whole-day intervals holds 90 % over the first
night after a miss: FSRS gives a just-missed item 77 % the next day).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import fmean

from fsrs import Rating

from bot.review.days import study_day_end
from bot.review.scheduling import Memory

STUDENTS = 500
MISSES_EACH = 10
DAYS = 30
SCHEDULES = {
    "fixed days 1, 3, 7, 14, 28": (1, 3, 7, 14, 28),
    "fixed, gaps growing from 1 day": (1, 2, 4, 7, 11, 16, 22, 29),
    "fixed, gaps growing from 2 days": (1, 3, 6, 10, 15, 21, 28),
}
ZONE = "Asia/Ho_Chi_Minh"
MISSED_AT = datetime.fromisoformat("2026-11-23T08:00:00+07:00")
TARGET = 0.9


@dataclass
class Outcome:
    reviews: int
    lapses: int
    evening_recall: list[float]          # mean predicted recall each evening, days 1..30
    kept_share: float                    # item-evenings at >= 90 %, days 2..30


def simulate(fixed_days: tuple[int, ...] | None, seed: int) -> Outcome:
    """The bot's schedule when `fixed_days` is None."""
    memory = Memory(TARGET, random.Random(seed))      # the bot's scheduler: FSRS, seeded fuzz
    student = random.Random(seed + 1)                  # who recalls what
    start = MISSED_AT.astimezone(UTC)
    items = [memory.review(memory.new_card(start), Rating.Again, start)
             for _ in range(STUDENTS * MISSES_EACH)]
    reviews = lapses = kept = counted = 0
    evenings = []
    for day in range(1, DAYS + 1):
        evening = datetime.fromisoformat(f"{(MISSED_AT + timedelta(days=day)).date()}T20:00:00+07:00")
        ends = study_day_end(evening, ZONE, 4)
        now = evening.astimezone(UTC)
        recalls = []
        for n, card in enumerate(items):
            recall = memory.recall(card, now)
            recalls.append(recall)
            if day >= 2:
                counted += 1
                kept += recall >= TARGET
            due = card.due < ends if fixed_days is None else day in fixed_days
            if due:
                recalled = student.random() < recall
                lapses += not recalled
                items[n] = memory.review(card, Rating.Good if recalled else Rating.Again, now)
                reviews += 1
        evenings.append(fmean(recalls))
    return Outcome(reviews, lapses, evenings, kept / counted)


def run() -> dict[str, float]:
    started = time.perf_counter()
    outcomes = {"the bot (FSRS, retention 0.9)": simulate(None, 3)}
    outcomes |= {name: simulate(days, 3) for name, days in SCHEDULES.items()}
    items = STUDENTS * MISSES_EACH
    print(f"review simulation: {items:,} missed items ({STUDENTS} students x {MISSES_EACH}), {DAYS} days, "
          f"students forgetting by FSRS's model ({time.perf_counter() - started:.1f} s)")
    for name, outcome in outcomes.items():
        print(f"  {name}: {outcome.reviews / items:.2f} reviews per item "
              f"({outcome.lapses / outcome.reviews:.0%} forgotten at review); predicted recall each evening: "
              f"mean {fmean(outcome.evening_recall):.1%}, item-evenings at >= 90 %: {outcome.kept_share:.1%}")
    bot, fixed = outcomes["the bot (FSRS, retention 0.9)"], outcomes["fixed days 1, 3, 7, 14, 28"]
    return {"bot_reviews": bot.reviews / items, "fixed_reviews": fixed.reviews / items,
            "bot_kept": bot.kept_share, "fixed_kept": fixed.kept_share}


if __name__ == "__main__":
    run()
