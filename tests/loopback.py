"""What the fake platform servers share: serving on 127.0.0.1, and waiting for the bot."""

from __future__ import annotations

import asyncio

from aiohttp import web


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


async def wait_for(fake, predicate, timeout: float = 10.0):
    """Poll until predicate(fake) is truthy and return it: the bot works in its own tasks."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate(fake)
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out; last calls: {fake.calls[-10:]}")
        await asyncio.sleep(0.01)


async def until(check, what: str = "", timeout: float = 10.0):
    """Poll an async condition until it is truthy and return its value (the bot records
    answers and moves chats in its own tasks)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out: {what}")
        await asyncio.sleep(0.01)
