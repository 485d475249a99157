"""Building the core: content -> store -> StudyBot, and the ticker that runs due work on real time.

The adapters and the command line that start it all live in studybot/ (the core imports no adapter).
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Callable

from bot.clock import Clock
from bot.core import Core
from bot.course.load import ContentError, load_course
from bot.replies import Outbox
from bot.service import StudyBot
from bot.settings import Settings
from bot.store.database import Database

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


def load_or_explain(content_dir: Path):
    """The course, or None after printing every problem (never a traceback)."""
    try:
        return load_course(content_dir)
    except ContentError as exc:
        print(f"studybot: the content in {content_dir} has problems; fix them and start again:",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


@asynccontextmanager
async def open_bot(content_dir: Path, db_path: Path | str, clock: Clock, outbox: Outbox,
                   rng: random.Random | None = None, settings: Settings | None = None,
                   course=None) -> AsyncIterator[StudyBot]:
    course = course if course is not None else load_course(content_dir)
    settings = settings or Settings()
    db = await Database.open(db_path)
    db.default_timezone = settings.default_timezone
    try:
        core = Core(course, db, clock, outbox, rng or random.Random(), settings)
        yield StudyBot(core)
    finally:
        await db.close()


async def tick_forever(bot: StudyBot, seconds: float = TICK_SECONDS,
                       after_tick: Callable[[], object] | None = None) -> None:
    """Run due work on the real clock until cancelled; `after_tick` runs after each tick that
    completed (the composition root's heartbeat: a clock that died stops proving it is alive)."""
    while True:
        await bot.run_due()
        if after_tick is not None:
            after_tick()
        await asyncio.sleep(seconds)
