"""What the Discord end-to-end tests share: discord.py pointed at the fake, the adapter served by
the real composition root, and reading what members see."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import timedelta

import yarl

from bot.clock import ManualClock
from bot.settings import Settings
from tests.conftest import START, Serving
from tests.fake_discord import CHANNEL, TOKEN, FakeDiscord
from tests.loopback import until

AN, BINH, CHI, CO = 11, 12, 13, 99
READY_WAIT = 0.05       # the fake sends no GUILD_CREATE: discord.py need not wait its 2 s for them
PACE = 0.1              # channel limits scaled: 5 posts in 0.5 s at the fake and in the adapter


def paced(adapter, pace: float):
    """The adapter's limits (the outbox paces by them) scaled like the fake's channel window."""
    from bot.delivery.transport import Limits

    limits = adapter.limits
    adapter.limits = Limits(*((n, seconds * pace) for n, seconds in (limits.group, limits.private, limits.overall)))
    return adapter


def point_discord_at(monkeypatch, base: str) -> None:
    """discord.py's REST and gateway URLs, at the fake on 127.0.0.1."""
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    monkeypatch.setattr(Route, "BASE", f"{base}/api/v10")
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(f"{base.replace('http', 'ws')}/gateway"))


@asynccontextmanager
async def served_discord(monkeypatch, course, db_path, fake: FakeDiscord | None = None,
                         settings: Settings | None = None, clock: ManualClock | None = None,
                         adapter=None, pace: float = PACE, allowed: tuple[int, ...] = (),
                         **adapter_options):
    """(fake, serving) with the adapter up and its commands synced; on leaving, the process
    must have stopped with exit code 0, and Discord refused nothing the bot did (but statuses
    in `allowed`). Unless a fake is given, its channel window and the
    adapter's limits are scaled by `pace`; interactions keep Discord's real 3 seconds."""
    from adapters.discord_adapter import DiscordAdapter

    fake = fake or FakeDiscord(channel_period=5.0 * pace)
    base = await fake.start()
    point_discord_at(monkeypatch, base)
    adapter = adapter or DiscordAdapter(TOKEN, **({"guild_ready_timeout": READY_WAIT} | adapter_options))
    paced(adapter, pace)
    try:
        async with Serving(adapter, course, db_path, clock or ManualClock(START), settings) as serving:
            await fake.wait_for(lambda f: "define" in f.commands)
            serving.fake = fake
            yield fake, serving
        assert serving.code == 0
        assert [r for r in fake.refusals if r[2] not in allowed] == [], "Discord refused what the bot did"
    finally:
        await fake.stop()


def seen(message: dict) -> str:
    """A message as a reader sees it (markdown rendered)."""
    return FakeDiscord.visible_text(message)


def shown(fake: FakeDiscord, where: str | None = None, ephemeral: bool | None = None) -> list[dict]:
    """Messages the bot posted (not autocomplete answers), optionally by where and visibility."""
    return [m for m in fake.messages if m["where"] != "autocomplete" and not m.get("deleted")
            and (where is None or m["where"] == where)
            and (ephemeral is None or bool(m.get("visible_to")) == ephemeral)]


def custom_ids(message: dict) -> list[str]:
    return [c.get("custom_id", "") for row in message.get("components", []) for c in row.get("components", [])]


def question_message(fake: FakeDiscord, position: int, total: int) -> dict | None:
    """The message that asks question `position` of a round (it may also reveal the one before)."""
    header = f"Câu {position}/{total} ·"
    return next((m for m in shown(fake) if any(line.startswith(header) for line in seen(m).split("\n"))), None)


async def answered(bot) -> int:
    return (await bot.core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]


async def round_until(fake: FakeDiscord, serving, clock: ManualClock, wanted, count: int = 20) -> dict:
    """Start a /quiz of `count` questions and let questions time out until one satisfies
    `wanted(message)`; that question's message."""
    await fake.slash(CO, "Cô Hoa", "quiz", count=count)
    for position in range(1, count + 1):
        message = await fake.wait_for(lambda f: question_message(f, position, count))
        if wanted(message):
            return message
        clock.move_to(clock.now() + timedelta(seconds=34))
        await serving.due()
    raise AssertionError(f"no such question in {count}")


def is_typed(message: dict) -> bool:
    return any(i.startswith("t:") for i in custom_ids(message))


def has_options(message: dict) -> bool:
    return any(i.startswith("a:") for i in custom_ids(message))


__all__ = ["READY_WAIT", "PACE", "paced", "AN", "BINH", "CHI", "CO", "CHANNEL", "TOKEN", "FakeDiscord", "point_discord_at", "served_discord",
           "seen", "shown", "custom_ids", "question_message", "answered", "until", "round_until",
           "is_typed", "has_options"]
