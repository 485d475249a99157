"""FSRS v6 through the fsrs package: reviewing a card, its predicted recall, its stored state.

Two choices differ from the package's defaults, both for a chat bot that nudges once a day:
- No learning or relearning steps (the defaults are 1 and 10 minutes, then 10 minutes). A
  student answers in a chat, not in a flashcard app that keeps a session open; with no steps
  every interval is whole days from the answer, so a miss is due the next study day.
- Fuzz from the injected random source. fsrs draws its fuzz from Python's global `random`,
  which a test cannot pin without pinning every other user of it. So the package schedules
  without fuzz and `fuzzed_days` applies the same fuzz (the package's FUZZ_RANGES and formula,
  checked against it in tests/test_review_rules.py) with one draw from `core.rng`: a seeded run
  is exact, a real run is spread like FSRS's own.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES



def fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    """The days a fuzzed interval may take, as fsrs computes them."""
    delta = 1.0
    for step in FUZZ_RANGES:
        delta += step["factor"] * max(min(float(days), step["end"]) - step["start"], 0.0)
    low, high = max(2, round(days - delta)), min(round(days + delta), maximum)
    return min(low, high), high


def fuzzed_days(days: int, draw: float, maximum: int) -> int:
    """An interval of `days` spread by one uniform draw in [0, 1), as fsrs does; intervals
    under 2.5 days are not fuzzed (and take no draw)."""
    if days < 2.5:
        return days
    low, high = fuzz_range(days, maximum)
    return min(round(draw * (high - low + 1) + low), maximum)


@dataclass
class Memory:
    """The scheduler the bot uses: desired retention from the settings, fuzz from `rng`."""
    retention: float
    rng: random.Random
    fuzz: bool = True

    def __post_init__(self) -> None:
        self.fsrs = Scheduler(desired_retention=self.retention, learning_steps=(), relearning_steps=(),
                              enable_fuzzing=False)

    def new_card(self, now: datetime) -> Card:
        return Card(card_id=0, due=now.astimezone(UTC))   # card_id given: fsrs would otherwise read the real clock

    def review(self, card: Card, rating: Rating, now: datetime) -> Card:
        now = now.astimezone(UTC)          # fsrs takes UTC only; a clock may run in any zone
        reviewed, _ = self.fsrs.review_card(card, rating, review_datetime=now)
        if self.fuzz and reviewed.state == State.Review:
            days = (reviewed.due - now).days
            if days >= 2.5:
                spread = fuzzed_days(days, self.rng.random(), self.fsrs.maximum_interval)
                reviewed.due = now + timedelta(days=spread)
        return reviewed

    def recall(self, card: Card, now: datetime) -> float | None:
        """The predicted probability that the student recalls the card now; None before its
        first review."""
        if card.last_review is None:
            return None
        return float(self.fsrs.get_card_retrievability(card, now.astimezone(UTC)))


def dump_state(card: Card) -> str:
    """The FSRS state as stored: fsrs's own dict without the id (the row is the card) and the
    due instant (its own indexed column)."""
    state = card.to_dict()
    del state["card_id"], state["due"]
    return json.dumps(state, separators=(",", ":"))


def load_state(text: str, due: datetime) -> Card:
    return Card.from_dict({**json.loads(text), "card_id": 0, "due": due.astimezone(UTC).isoformat()})
