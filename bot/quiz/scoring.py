"""Points: stated in /help. Right answers earn points, faster ones more; nothing is negative."""

from __future__ import annotations

from datetime import datetime

BASE_POINTS = 10
SPEED_BONUS = 5
DAILY_POINTS = 10


def quiz_points(correct: bool, asked_at: datetime, closes_at: datetime, answered_at: datetime) -> int:
    if not correct:
        return 0
    window = (closes_at - asked_at).total_seconds()
    left = (closes_at - answered_at).total_seconds()
    fraction = min(max(left / window, 0.0), 1.0) if window > 0 else 0.0
    return BASE_POINTS + round(SPEED_BONUS * fraction)


def daily_points(correct: bool) -> int:
    return DAILY_POINTS if correct else 0
