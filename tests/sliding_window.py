"""Counting events in sliding time windows, as the fake servers judge rate limits.

A limit "at most N in any W seconds" holds when no half-open window [t, t + W) contains more
than N events. `SlidingWindow` answers, for a new event at `now`, how long it must wait;
`most_in_any_window` measures a recorded series afterwards (what a bench reports).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Sequence


class SlidingWindow:
    """At most `limit` events in any `seconds`-long window."""

    def __init__(self, limit: int, seconds: float):
        self.limit, self.seconds = limit, seconds
        self.times: deque[float] = deque()

    def _forget(self, now: float) -> None:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        self._forget(now)
        if len(self.times) < self.limit:
            return 0.0
        return self.times[-self.limit] + self.seconds - now

    def add(self, now: float) -> None:
        self.times.append(now)

    def remove(self, when: float) -> None:
        """Take back an event that was counted but did not happen (the call failed)."""
        try:
            self.times.remove(when)
        except ValueError:
            pass


def most_in_any_window(times: Sequence[float], seconds: float) -> int:
    """The largest number of `times` (sorted) inside one window [t, t + seconds)."""
    best = 0
    for start, first in enumerate(times):
        end = bisect_left(times, first + seconds, lo=start)
        best = max(best, end - start)
    return best
