"""One process serves Telegram and Discord on one event loop, sharing one core and one database."""

import asyncio
import sqlite3

import yarl

from bot.clock import ManualClock
from studybot.config import Config
from studybot.run import serve_platforms
from tests.conftest import START
from tests.fake_discord import TOKEN as DISCORD_TOKEN, FakeDiscord
from tests.fake_telegram import TOKEN as TELEGRAM_TOKEN, FakeTelegram, parse_html


async def test_telegram_and_discord_share_one_core_and_one_database(real_course, tmp_path, monkeypatch):
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    telegram, discord_fake = FakeTelegram(), FakeDiscord()
    tg_url, dc_url = await telegram.start(), await discord_fake.start()
    monkeypatch.setattr(Route, "BASE", f"{dc_url}/api/v10")
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(f"{dc_url.replace('http', 'ws')}/gateway"))
    stop = asyncio.Event()
    db = tmp_path / "shared.sqlite3"
    server = asyncio.create_task(serve_platforms(
        real_course, Config(database=db, telegram_token=TELEGRAM_TOKEN, telegram_base_url=tg_url,
                            discord_token=DISCORD_TOKEN), stop,
        clock=ManualClock(START), tick=False))
    try:
        await telegram.wait_for(lambda f: f.sent("setMyCommands"))
        await asyncio.wait_for(discord_fake.ready.wait(), 10)
        await discord_fake.wait_for(lambda f: "define" in f.commands)
        await asyncio.sleep(0.2)                         # discord.py dispatches "ready" after READY
        telegram.type(-1001, 11, "An", "/define hnqt")
        await discord_fake.slash(21, "Bình", "define", term="toan cau hoa")
        tg_card = await telegram.wait_for(lambda f: f.sent())
        dc_card = await discord_fake.wait_for(lambda f: [m for m in f.messages if m["where"] == "response"])
        assert parse_html(tg_card[0]["text"]).startswith("Hội nhập quốc tế")
        assert "Toàn cầu hóa" in (dc_card[0]["embeds"][0]["description"] if dc_card[0]["embeds"] else dc_card[0]["content"])
        telegram.type(-1001, 11, "An", "/me")                # /me registers the user and the chat
        await discord_fake.slash(21, "Bình", "me")
        await telegram.wait_for(lambda f: len(f.sent()) >= 2)
        await discord_fake.wait_for(lambda f: len([m for m in f.messages if m["where"] == "response"]) >= 2)
    finally:
        stop.set()
        assert await asyncio.wait_for(server, 30) == 0
        await telegram.stop()
        await discord_fake.stop()
    conn = sqlite3.connect(db)
    platforms = {row[0] for row in conn.execute("SELECT platform FROM chats")}
    users = {row[0] for row in conn.execute("SELECT platform || ':' || platform_id FROM users")}
    conn.close()
    assert platforms == {"telegram", "discord"}
    assert users == {"telegram:11", "discord:21"}
