"""At most N sends in any window of S seconds: the rule Telegram and Discord enforce.

Not a leaky bucket (aiolimiter lets a burst of N through and then refills continuously, so
about 2N pass in the first window, which Telegram answers with "retry after"). Here a send may
start only when fewer than N sends finished within the last S seconds. A send counts from when
it finished (its response came back), which is at or after the moment the server counted it,
so the rule holds at the server whatever the latency. Waiters are served in order, except
that background sends (a scheduled post to a thousand chats) queue among themselves first and
stand in the shared line one at a time: a send somebody is waiting for then waits behind at
most one of them, not behind the whole fan-out.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from typing import Callable


class Slot:
    """One send's place in a window; `done()` when its response has come back."""

    def __init__(self) -> None:
        self.ended: float | None = None
        self.finished = asyncio.Event()

    def done(self, at: float) -> None:
        if self.ended is None:
            self.ended = at
            self.finished.set()


class SlidingWindow:
    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or seconds <= 0:
            raise ValueError("a window needs a positive limit and length")
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._recent: deque[Slot] = deque()     # the last `limit` sends, oldest first
        self._turn = asyncio.Lock()
        self._background = asyncio.Lock()

    async def acquire(self, background: bool = False, keep_free: int = 0) -> Slot:
        """Wait until one more send fits the window with `keep_free` slots to spare, and take
        its slot."""
        if background:
            async with self._background:
                return await self.acquire(keep_free=keep_free)
        async with self._turn:
            while len(self._recent) >= self.limit - keep_free:
                oldest = self._recent[0]
                if oldest.ended is None:          # still in flight: it counts from its end
                    await oldest.finished.wait()
                    continue
                wait = oldest.ended + self.seconds - self.clock()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                self._recent.popleft()
            slot = Slot()
            self._recent.append(slot)
            return slot

    def give_back(self, slot: Slot) -> None:
        """A slot taken but not used for a send: it no longer counts."""
        try:
            self._recent.remove(slot)
        except ValueError:
            pass
        slot.done(self.clock())                   # whoever waits for it looks again

    def used(self) -> int:
        """Sends that finished within the last window or are in flight."""
        now = self.clock()
        return sum(1 for s in self._recent if s.ended is None or s.ended > now - self.seconds)


class Unlimited:
    """A window that never waits (the console)."""

    limit, seconds = math.inf, 0.0

    def used(self) -> int:
        return 0

    async def acquire(self, background: bool = False, keep_free: int = 0) -> Slot:
        return Slot()

    def give_back(self, slot: Slot) -> None:
        pass
