"""`studybot run`: every platform that has a token, on one event loop; the console if none.

Settings come from the environment: TELEGRAM_BOT_TOKEN (and optionally TELEGRAM_BASE_URL for a
self-hosted Bot API server), STUDYBOT_LOG_LEVEL. SIGINT and SIGTERM stop the bot cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import sys
from pathlib import Path

from bot.app import load_or_explain, open_bot, tick_forever
from bot.clock import SystemClock

log = logging.getLogger("studybot")


async def serve_telegram(course, content_dir: Path, db_path: Path, token: str, base_url: str | None,
                         webhook: str | None, port: int) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    from adapters.telegram_adapter import TelegramAdapter, serve_forever

    adapter = TelegramAdapter(token, base_url)
    async with open_bot(content_dir, db_path, SystemClock(), adapter.outbox, random.Random(),
                        course=course) as bot:
        adapter.attach(bot)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        ticker = asyncio.create_task(tick_forever(bot))
        try:
            log.info("serving Telegram (%s)", "webhook " + webhook if webhook else "long polling")
            await serve_forever(adapter, stop, webhook, port)
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
    log.info("stopped")


def run_bot(content_dir: Path, db_path: Path, webhook: str | None = None, port: int = 8443) -> int:
    logging.basicConfig(level=os.environ.get("STUDYBOT_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)   # it logs every request URL, token included
    course = load_or_explain(content_dir)
    if course is None:
        return 1
    if os.environ.get("DISCORD_TOKEN"):
        print("studybot: DISCORD_TOKEN is set, but the Discord adapter is not built yet "
              "(see the open issues).", file=sys.stderr)
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        from adapters.console import run_console

        return run_console(content_dir=content_dir, db_path=db_path, jsonl=False, start=None)
    asyncio.run(serve_telegram(course, content_dir, db_path, token,
                               os.environ.get("TELEGRAM_BASE_URL") or None, webhook, port))
    return 0
