"""`studybot run`: every platform that has a token, on one event loop, sharing one core and one
database; the console when no token is set.

Settings come from studybot/config.py (studybot.yaml, the environment, .env): tokens
TELEGRAM_BOT_TOKEN and DISCORD_TOKEN, and the optional Telegram base URL and Discord server id.
SIGINT and SIGTERM stop the bot cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
from dataclasses import dataclass, field
from pathlib import Path

from bot.app import open_bot, tick_forever
from bot.clock import SystemClock
from bot.events import Chat
from bot.replies import Outbox, Reply
from bot.settings import Settings
from bot.store.ownership import acquire_ownership
from studybot.config import Config
from studybot.heartbeat import Heartbeat, heartbeat_path
from studybot.logs import configure_logging
from studybot.startup import check_startup

log = logging.getLogger("studybot")


@dataclass
class RoutingOutbox:
    """The core's one outbox: each pushed message goes to its chat's platform."""
    routes: dict[str, Outbox] = field(default_factory=dict)

    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        outbox = self.routes.get(chat.platform)
        if outbox is None:
            log.error("no adapter for %s; %d replies not sent", chat.key, len(replies))
            return
        await outbox.send(chat, replies)


@dataclass
class Platforms:
    telegram_token: str = ""
    telegram_base_url: str | None = None
    discord_token: str = ""
    discord_guild_id: int | None = None

    @classmethod
    def from_config(cls, config: Config) -> "Platforms":
        return cls(config.telegram_token, config.telegram_base_url, config.discord_token,
                   config.discord_guild_id)

    @property
    def any(self) -> bool:
        return bool(self.telegram_token or self.discord_token)


async def serve(course, content_dir: Path, db_path: Path, platforms: Platforms, stop: asyncio.Event,
                webhook: str | None = None, port: int = 8443, clock=None, tick: bool = True,
                settings: Settings | None = None, heartbeat_file: Path | None = None) -> None:
    """Run every configured platform until `stop` is set; the clock task writes `heartbeat_file`
    while no platform task has died."""
    routing = RoutingOutbox()
    adapters = []
    if platforms.telegram_token:
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        from adapters.telegram_adapter import TelegramAdapter

        telegram = TelegramAdapter(platforms.telegram_token, platforms.telegram_base_url)
        routing.routes["telegram"] = telegram.outbox
        adapters.append(("telegram", telegram))
    if platforms.discord_token:
        from adapters.discord_adapter import DiscordAdapter

        discord_adapter = DiscordAdapter(platforms.discord_guild_id)
        routing.routes["discord"] = discord_adapter
        adapters.append(("discord", discord_adapter))
    async with open_bot(content_dir, db_path, clock or SystemClock(), routing, random.Random(),
                        settings, course=course) as bot:
        tasks = []
        for name, adapter in adapters:
            adapter.attach(bot)
            if name == "telegram":
                await adapter.start(webhook, port)
            else:
                tasks.append(asyncio.create_task(adapter.start(platforms.discord_token)))
            log.info("serving %s", name)
        heartbeat = None
        if heartbeat_file is not None:
            heartbeat = Heartbeat(heartbeat_file, healthy=lambda: not any(t.done() for t in tasks))
        if tick:
            tasks.append(asyncio.create_task(tick_forever(bot, after_tick=heartbeat.beat if heartbeat else None)))
        try:
            await stop.wait()
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            for _, adapter in adapters:
                await adapter.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    log.info("stopped")


async def serve_until_signalled(course, config: Config, webhook: str | None, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await serve(course, config.content, config.database, Platforms.from_config(config), stop,
                webhook, port, settings=config.settings, heartbeat_file=heartbeat_path(config.database))


def run_bot(config: Config, webhook: str | None = None, port: int = 8443) -> int:
    """Start-up checks (StartupError: one line each), then own the database (OwnershipError),
    then serve until SIGINT or SIGTERM."""
    configure_logging(config.log_level, (config.telegram_token, config.discord_token))
    course = check_startup(config)
    if not Platforms.from_config(config).any:
        from adapters.console import run_console

        return run_console(content_dir=config.content, db_path=config.database, jsonl=False,
                           start=None, settings=config.settings, course=course)
    with acquire_ownership(config.database), contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_until_signalled(course, config, webhook, port))
    return 0
