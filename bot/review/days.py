"""Study days and the review streak: pure date arithmetic in the student's zone (a nudge's
instants are the daily schedule's: bot.daily_schedule).

A study day runs from `starts_hour` (04:00 by default, as in Anki) to the same hour the next
day, so a review at 00:30 still belongs to the evening before. A card is reviewable once its due
instant falls before the end of the current study day: FSRS intervals are whole days, and a
student nudged at 07:00 should see the cards due at 09:00 that day, not wait until tomorrow.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.periods import zone


def study_day(instant: datetime, timezone: str, starts_hour: int) -> date:
    return (instant.astimezone(zone(timezone)) - timedelta(hours=starts_hour)).date()


def study_day_end(instant: datetime, timezone: str, starts_hour: int) -> datetime:
    """The first instant of the next study day: cards due before it are due 'today'."""
    following = study_day(instant, timezone, starts_hour) + timedelta(days=1)
    return datetime.combine(following, time(starts_hour), tzinfo=zone(timezone))


def days_until(now: datetime, due: datetime, timezone: str, starts_hour: int) -> int:
    """Study days from now to a due instant: 0 today, 1 tomorrow."""
    return max(0, (study_day(due, timezone, starts_hour) - study_day(now, timezone, starts_hour)).days)


def review_streak(days: list[date], today: date) -> int:
    """Consecutive study days with a review, ending today or (still alive) yesterday. `days`
    newest first, without repeats."""
    if not days or days[0] < today - timedelta(days=1):
        return 0
    streak, expected = 0, days[0]
    for day in days:
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak
