"""Per-user flood control, the same on every platform.

A user who sends more than `limit` commands within `seconds` gets one short notice and then
silence until their window clears; nobody else is affected. Counted on the injected clock.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

OK, NOTICE, SILENT = "ok", "notice", "silent"


class FloodGate:
    def __init__(self, limit: int, seconds: float):
        self.limit, self.window = limit, timedelta(seconds=seconds)
        self._recent: dict[str, deque[datetime]] = {}
        self._noticed: set[str] = set()

    def check(self, user_key: str, now: datetime) -> str:
        """OK to go on; NOTICE the first time over the limit; SILENT after that."""
        recent = self._recent.setdefault(user_key, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            if user_key in self._noticed:
                return SILENT
            self._noticed.add(user_key)
            return NOTICE
        self._noticed.discard(user_key)
        recent.append(now)
        if len(self._recent) > 10_000:          # forget users whose window has cleared
            self._recent = {k: v for k, v in self._recent.items() if v and now - v[-1] < self.window}
            self._recent.setdefault(user_key, recent)
        return OK

    def wait_left(self, user_key: str, now: datetime) -> int:
        """Whole seconds until the user may send again."""
        recent = self._recent.get(user_key)
        if not recent:
            return 0
        return max(1, int((recent[0] + self.window - now).total_seconds() + 0.999))
