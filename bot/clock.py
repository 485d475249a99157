"""The injected clock: real time in production, a manual one in tests and the console's machine mode."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """Moves only when told to, and never backwards."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware instant (with a UTC offset)")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def move_to(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the instant needs a UTC offset, e.g. 2026-11-23T08:00:00+07:00")
        instant = instant.astimezone(UTC)
        if instant < self._now:
            raise ValueError(f"the clock is at {self._now.isoformat()}; it cannot go back")
        self._now = instant


def iso(instant: datetime) -> str:
    """A UTC instant as stored in the database: sortable text."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
