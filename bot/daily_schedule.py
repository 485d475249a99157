"""When the daily question is posted and revealed: pure date arithmetic in the chat's zone.

A day's question is posted at the local post time and stays open until `reveal_before` before
the next day's post. Daylight-saving changes move the UTC instant, never the local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from bot.periods import canonical_timezone, zone

_TIME = re.compile(r"^([01]?\d|2[0-3])[:hH.]([0-5]\d)$")


def parse_time(text: str) -> str | None:
    """"8:00", "08:00", "8h30" -> "08:00" / "08:30"; None if not a time of day."""
    match = _TIME.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


@dataclass(frozen=True)
class Timing:
    """A time of day someone chose, whether it is on, and its zone (a chat's daily question,
    a student's review nudge)."""
    at: str
    enabled: bool
    timezone: str


def change(timing: Timing, action: str, value: str) -> Timing | str:
    """The timing after `/daily` or `/review` ACTION VALUE: "on [HH:MM]", "off", "time HH:MM"
    or "tz ZONE", each value read whole; or what was wrong with it: "time" or "zone"."""
    if action in ("on", "time") and (value or action == "time"):
        at = parse_time(value)
        if at is None:
            return "time"
        timing = replace(timing, at=at)
    if action == "on":
        return replace(timing, enabled=True)
    if action == "off":
        return replace(timing, enabled=False)
    if action == "tz":
        name = canonical_timezone(value)
        return "zone" if name is None else replace(timing, timezone=name)
    return timing


def post_instant(day: date, post_time: str, timezone: str) -> datetime:
    hour, minute = map(int, post_time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone(timezone))


@dataclass(frozen=True)
class Window:
    day: date
    post_at: datetime
    reveal_at: datetime

    @property
    def key(self) -> str:
        return self.day.isoformat()


def window_for(day: date, post_time: str, timezone: str, reveal_before: timedelta) -> Window:
    post_at = post_instant(day, post_time, timezone)
    next_post = post_instant(day + timedelta(days=1), post_time, timezone)
    return Window(day, post_at, max(next_post - reveal_before, post_at + timedelta(minutes=1)))


def current_window(now: datetime, post_time: str, timezone: str, reveal_before: timedelta) -> Window:
    """The latest day whose post time has come (its window may already have closed)."""
    today = now.astimezone(zone(timezone)).date()
    window = window_for(today, post_time, timezone, reveal_before)
    if window.post_at > now:
        window = window_for(today - timedelta(days=1), post_time, timezone, reveal_before)
    return window


def next_post(now: datetime, post_time: str, timezone: str) -> datetime:
    today = now.astimezone(zone(timezone)).date()
    for offset in range(0, 3):
        at = post_instant(today + timedelta(days=offset), post_time, timezone)
        if at > now:
            return at
    raise AssertionError("unreachable")
