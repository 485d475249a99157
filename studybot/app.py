"""The composition root: settings -> content -> store -> core -> outbox -> adapters, on one loop.

`open_bot` builds the core around a database; `serve` runs adapters around it until a stop is
asked for or something fails, and supervises every background task:

- an adapter that cannot go on raises `Fatal`: one line naming what to fix, exit code 2;
- any other task dying (the clock, a delivery worker) is logged and stops the process, exit 1;
- a failing clock tick is logged and the clock keeps going.

Stopping (SIGTERM, SIGINT, the console's end of input) stops receiving first, then lets the
outbox send what waits for at most `drain_seconds`, logs what was left, and closes the
database: well within Docker's 10 seconds.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Callable, Sequence

from adapters.contract import Adapter, Fatal
from bot.clock import Clock
from bot.core import Core
from bot.course.load import load_course
from bot.course.problems import ContentError
from bot.delivery.outbox import Outbox
from bot.platform import Capabilities
from bot.replies import Outbox as OutboxLike
from bot.service import StudyBot
from bot.settings import Settings
from bot.store.database import Database

log = logging.getLogger("studybot")
TICK_SECONDS = 1.0
EXIT_OK, EXIT_BROKEN, EXIT_FIX = 0, 1, 2


def load_or_explain(content_dir: Path):
    """The course, or None after printing every problem (never a traceback)."""
    try:
        return load_course(content_dir)
    except ContentError as exc:
        explain_content(content_dir, exc)
        return None


def explain_content(content_dir: Path, error: ContentError) -> None:
    """Every problem of the content on stderr, for the teacher to fix."""
    print(f"studybot: the content in {content_dir} has problems; fix them and start again:", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)


@asynccontextmanager
async def open_bot(content_dir: Path, db_path: Path | str, clock: Clock, outbox: OutboxLike,
                   rng: random.Random | None = None, settings: Settings | None = None,
                   course=None, platforms: dict[str, Capabilities] | None = None) -> AsyncIterator[StudyBot]:
    """The core around a database, reporting to `outbox` (its `listener` is set to the bot)."""
    course = course if course is not None else load_course(content_dir)
    settings = settings or Settings()
    db = await Database.open(db_path)
    db.default_timezone = settings.default_timezone
    try:
        core = Core(course, db, clock, outbox, rng or random.Random(), settings, platforms or {})
        bot = StudyBot(core)
        outbox.listener = bot
        yield bot
    finally:
        await db.close()


async def tick_forever(bot: StudyBot, seconds: float = TICK_SECONDS,
                       after_tick: Callable[[], object] | None = None) -> None:
    """Run due work on the real clock until cancelled. A failing tick is logged and the clock
    goes on; `after_tick` (the heartbeat) runs only after a tick that completed, so a clock that
    keeps failing stops proving the bot is alive."""
    while True:
        try:
            await bot.run_due()
        except Exception:
            log.exception("the clock's tick failed; the next one runs in %.0f s", seconds)
        else:
            if after_tick is not None:
                after_tick()
        await asyncio.sleep(seconds)


async def serve(bot: StudyBot, outbox: Outbox, adapters: Sequence[Adapter], stop: asyncio.Event,
                tick: bool = True, drain_seconds: float = 5.0,
                after_tick: Callable[[], object] | None = None,
                started: asyncio.Event | None = None) -> int:
    """Run the adapters around the bot until `stop` is set or something fails; the exit code.
    `started` is set once every adapter is up. A stop asked for while an adapter is still
    connecting (retrying an unreachable server) is honoured at once."""
    for adapter in adapters:
        outbox.add(adapter)
    running: list[Adapter] = []
    tasks: dict[asyncio.Future, str] = {}
    stopping = asyncio.ensure_future(stop.wait())
    code = EXIT_OK
    try:
        for adapter in adapters:         # while one connects, those already up are watched too
            running.append(adapter)
            starting = asyncio.ensure_future(adapter.start(bot, outbox))
            done, _ = await asyncio.wait({starting, stopping, *tasks}, return_when=asyncio.FIRST_COMPLETED)
            if not starting.done():
                starting.cancel()
                await asyncio.gather(starting, return_exceptions=True)
                return _outcome(done, {**tasks, stopping: "stop"})
            starting.result()
            tasks[asyncio.ensure_future(adapter.wait())] = adapter.platform
            log.info("serving %s", adapter.platform)
        await bot.recover()              # what was queued before the last stop, once we can send it
        if started is not None:
            started.set()
        if tick:
            tasks[asyncio.ensure_future(tick_forever(bot, after_tick=after_tick))] = "clock"
        tasks[asyncio.ensure_future(_failure_of(outbox))] = "delivery"
        tasks[stopping] = "stop"
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        code = _outcome(done, tasks)
    except Fatal as fatal:
        log.critical("%s", fatal)
        code = EXIT_FIX
    finally:
        stopping.cancel()
        await _shut_down(outbox, running, tasks, drain_seconds)
    return code


async def _failure_of(outbox: Outbox) -> None:
    await outbox.failed


def _outcome(done: set[asyncio.Future], tasks: dict[asyncio.Future, str]) -> int:
    """The exit code for the tasks that ended: a stop asked for, or an adapter done (the
    console's input ended) is 0; Fatal is 2; anything else that ended is 1."""
    code = EXIT_OK
    for task in done:
        name = tasks[task]
        error = None if task.cancelled() else task.exception()
        if isinstance(error, Fatal):
            log.critical("%s", error)
            code = max(code, EXIT_FIX)
        elif error is not None:
            log.critical("%s failed; stopping: %s", name, error, exc_info=error)
            code = max(code, EXIT_BROKEN)
        elif name in ("clock", "delivery"):
            log.critical("%s stopped unexpectedly; stopping", name)
            code = max(code, EXIT_BROKEN)
    return code


async def _shut_down(outbox: Outbox, adapters: list[Adapter], tasks: dict, drain_seconds: float) -> None:
    """The clock first (nothing new to say), then receiving, then the outbox drains for at most
    `drain_seconds`, then the connections close."""
    clock = [task for task, name in tasks.items() if name == "clock"]
    for task in clock:
        task.cancel()
    await asyncio.gather(*clock, return_exceptions=True)
    for adapter in adapters:
        try:
            await adapter.stop()
        except Exception:
            log.exception("stopping %s failed", adapter.platform)
    left = await outbox.close(drain_seconds)
    if left:
        log.warning("stopped with %d replies undelivered", left)
    for adapter in adapters:
        try:
            await adapter.close()
        except Exception:
            log.exception("closing %s failed", adapter.platform)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    log.info("stopped")
