"""`studybot run` and `studybot console`: which adapters to start, around one core.

Every platform that has a token runs on one event loop, sharing one core, one database and one
outbox; with no token the console does. Settings come from studybot/config.py (studybot.yaml,
the environment, .env). SIGINT and SIGTERM stop the bot cleanly (studybot/app.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from pathlib import Path
from typing import TextIO

from bot.clock import ManualClock, SystemClock
from bot.delivery.outbox import Outbox
from bot.settings import Settings
from bot.store.ownership import acquire_ownership
from studybot.app import EXIT_FIX, load_or_explain, open_bot, serve
from studybot.config import Config
from studybot.heartbeat import Heartbeat, heartbeat_path
from studybot.logs import configure_logging
from studybot.startup import check_startup


def has_platform(config: Config) -> bool:
    return bool(config.telegram_token or config.discord_token)


def platform_adapters(config: Config, webhook: str | None = None, port: int = 8443) -> list:
    """An adapter for each platform with a token; each library is imported only when used."""
    found = []
    if config.telegram_token:
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        from adapters.telegram_adapter import TelegramAdapter

        found.append(TelegramAdapter(config.telegram_token, config.telegram_base_url,
                                     polls=config.telegram_polls, webhook_url=webhook, port=port))
    if config.discord_token:
        from adapters.discord_adapter import DiscordAdapter

        found.append(DiscordAdapter(config.discord_token, config.discord_guild_id))
    return found


async def serve_platforms(course, config: Config, stop: asyncio.Event, webhook: str | None = None,
                          port: int = 8443, clock=None, tick: bool = True,
                          heartbeat_file: Path | None = None) -> int:
    """Run every configured platform until `stop` is set; the exit code. The clock writes
    `heartbeat_file` while every platform connection is alive (`studybot doctor --alive`)."""
    adapters = platform_adapters(config, webhook, port)
    outbox = Outbox()
    capabilities = {a.platform: a.capabilities for a in adapters}
    heartbeat = None
    if heartbeat_file is not None:
        heartbeat = Heartbeat(heartbeat_file, healthy=lambda: all(a.alive() for a in adapters))
    try:
        async with open_bot(None, config.database, clock or SystemClock(), outbox, random.Random(),
                            config.settings, course=course, platforms=capabilities) as bot:
            return await serve(bot, outbox, adapters, stop, tick=tick,
                               after_tick=heartbeat.beat if heartbeat else None)
    finally:
        if heartbeat is not None:
            heartbeat.stop()


def _until_signalled(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def run_bot(config: Config, webhook: str | None = None, port: int = 8443) -> int:
    """The start-up checks (a StartupError is one line per problem), then own the database (an
    OwnershipError names the other process), then serve until SIGINT or SIGTERM."""
    course = check_startup(config, tokens=has_platform(config))
    if not has_platform(config):
        return run_console(content_dir=config.content, db_path=config.database, jsonl=False, start=None,
                           settings=config.settings, course=course, log_level=config.log_level)
    configure_logging(config.log_level, (config.telegram_token, config.discord_token))

    async def main() -> int:
        stop = asyncio.Event()
        _until_signalled(stop)
        return await serve_platforms(course, config, stop, webhook, port,
                                     heartbeat_file=heartbeat_path(config.database))

    with acquire_ownership(config.database):
        return asyncio.run(main())


def run_console(content_dir: Path, db_path: Path | str, jsonl: bool, start: str | None,
                stdin: TextIO | None = None, stdout: TextIO | None = None, seed: int = 0,
                settings: Settings | None = None, course=None, log_level: str = "INFO",
                verbose: bool = False) -> int:
    """The console: machine mode (JSON lines, a manual clock, a seeded random source) or a
    person at a terminal (the real clock; logs to a file beside the database unless verbose)."""
    from adapters.console import ConsoleAdapter, parse_instant

    course = course or load_or_explain(content_dir)
    if course is None:
        return 1
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    settings = settings or Settings()
    if not jsonl:
        log_file = None if verbose else Path(db_path).with_suffix(".log")
        configure_logging(log_level, (), file=log_file)
    try:
        clock = ManualClock(parse_instant(start)) if jsonl and start else None
    except ValueError as exc:   # a bad --start
        print(f"studybot: {exc}", file=sys.stderr)
        return EXIT_FIX
    if jsonl and clock is None:
        clock = ManualClock(SystemClock().now())

    async def main() -> int:
        adapter = ConsoleAdapter(stdin, stdout, jsonl=jsonl, clock=clock, language=settings.language)
        outbox = Outbox()
        stop = asyncio.Event()
        if not jsonl:
            _until_signalled(stop)
        async with open_bot(content_dir, db_path, clock or SystemClock(), outbox,
                            random.Random(seed) if jsonl else random.Random(), settings, course=course,
                            platforms={adapter.platform: adapter.capabilities}) as bot:
            return await serve(bot, outbox, [adapter], stop, tick=not jsonl)

    with acquire_ownership(db_path):
        try:
            return asyncio.run(main())
        except KeyboardInterrupt:
            return 0
