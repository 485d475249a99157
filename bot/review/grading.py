"""A review answer as an FSRS rating: wrong is Again; right is Easy, Good or Hard by its speed."""

from __future__ import annotations

from fsrs import Rating

from bot.settings import Settings

# An answer this long after the question was shown says nothing about recall speed (the
# student put the phone down): a right one then rates Good, FSRS's neutral grade.
AWAY_SECONDS = 600


def grade(correct: bool, seconds: float, typed: bool, settings: Settings) -> Rating:
    if not correct:
        return Rating.Again
    if seconds > AWAY_SECONDS:
        return Rating.Good
    extra = settings.review_typed_extra_seconds if typed else 0
    if seconds <= settings.review_easy_seconds + extra:
        return Rating.Easy
    if seconds > settings.review_hard_seconds + extra:
        return Rating.Hard
    return Rating.Good
