"""Resident memory of a bot process: content loaded, a database open, /top and /me answered.

Run in a fresh process by bench/leaderboard.py: `python -m bench.memory DB_PATH`.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bench.common import bot_on, rss_mib
from bot.events import Chat, Command, User


async def main(db_path: Path) -> None:
    bare = rss_mib()
    async with bot_on(db_path) as bot:
        chat, user = Chat("telegram", "-100", True), User("telegram", "7", "Học sinh 7")
        for name, args in (("top", "all"), ("top", "week"), ("me", "")):
            await bot.handle(Command(user, chat, name, args))
        print(f"{rss_mib():.1f} {bare:.1f}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
