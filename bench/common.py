"""What the benchmarks share: a core on a fresh database, a silent outbox, percentiles, RSS."""

from __future__ import annotations

import random
import statistics
from datetime import datetime
from pathlib import Path

from studybot.app import open_bot
from bot.clock import ManualClock
from bot.course.load import load_course

CONTENT = Path(__file__).resolve().parent.parent / "content"
START = datetime.fromisoformat("2026-11-23T08:00:00+07:00")


class CountingOutbox:
    """Counts what the core posts and delivers nothing (the core's own cost, alone)."""

    def __init__(self):
        self.sent = 0
        self.listener = None

    async def post(self, chat, replies) -> None:
        self.sent += len(replies)

    async def settled(self) -> None:
        pass


def bot_on(db_path: Path, outbox=None, clock=None):
    course = load_course(CONTENT)
    return open_bot(CONTENT, db_path, clock or ManualClock(START), outbox or CountingOutbox(),
                    random.Random(1), course=course)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
