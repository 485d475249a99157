"""Test harness: the core driven like a class chat, with a fake clock and a recording outbox.

Tests read as a chat: users type, press buttons, the clock moves; assertions look at what the
chat would see and at what the database holds.
"""

from __future__ import annotations

import os
import random
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studybot.app import open_bot
from bot.clock import ManualClock
from bot.course.load import load_course
from bot.delivery.transport import Receipt
from bot.events import Chat, Command, Press, TypedText, User, parse_command
from bot.replies import Reply
from bot.settings import Settings

os.environ.setdefault("PTB_TIMEDELTA", "1")   # python-telegram-bot: timedelta retry_after, no warning

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURE_COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
START = datetime.fromisoformat("2026-11-23T08:00:00+07:00")


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Any connection to a host that is not loopback fails the test."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@dataclass
class RecordingOutbox:
    """Records what the core pushes and delivers it at once, as a platform without limits
    would: questions are confirmed delivered (their time starts) when they are posted."""
    sent: list[tuple[Chat, Reply]] = field(default_factory=list)
    listener: object = None

    async def post(self, chat: Chat, replies: list[Reply]) -> None:
        self.sent.extend((chat, r) for r in replies)
        await self.deliver(chat, replies)

    async def deliver(self, chat: Chat, replies: list[Reply]) -> None:
        """What an adapter does with the replies it got back: they reach the platform."""
        shown = [r for r in replies if r.to is None or not chat.is_group]
        if shown and self.listener is not None:
            await self.listener.delivered(chat, shown, Receipt())

    async def settled(self) -> None:
        pass

    def take(self) -> list[Reply]:
        out = [r for _, r in self.sent]
        self.sent.clear()
        return out


class ClassChat:
    """A group chat (and private chats) around one StudyBot."""

    def __init__(self, bot, clock: ManualClock, outbox: RecordingOutbox, chat_id: str = "lop"):
        self.bot, self.clock, self.outbox = bot, clock, outbox
        self.chat = Chat("console", chat_id, is_group=True)
        self.admins: set[str] = set()

    @property
    def db(self):
        return self.bot.core.db

    def user(self, name: str) -> User:
        return User("console", name.lower(), name, is_admin=name in self.admins)

    def where(self, name: str, private: bool) -> Chat:
        return Chat("console", f"dm-{name.lower()}", is_group=False) if private else self.chat

    async def say(self, name: str, text: str, private: bool = False) -> list[Reply]:
        chat = self.where(name, private)
        parsed = parse_command(text)
        if parsed is not None:
            event = Command(self.user(name), chat, parsed[0], parsed[2])
        else:
            event = TypedText(self.user(name), chat, text)
        return await self._handled(event)

    async def press(self, name: str, button_id: str, private: bool = False) -> list[Reply]:
        return await self._handled(Press(self.user(name), self.where(name, private), button_id))

    async def _handled(self, event) -> list[Reply]:
        replies = await self.bot.handle(event)
        await self.outbox.deliver(event.chat, replies)
        return replies

    async def at(self, instant: datetime | str) -> list[Reply]:
        """Move the clock, run what falls due, return what the bot pushed."""
        if isinstance(instant, str):
            instant = datetime.fromisoformat(instant)
        self.clock.move_to(instant)
        await self.bot.run_due()
        return self.outbox.take()

    async def wait(self, seconds: float) -> list[Reply]:
        return await self.at(self.clock.now() + timedelta(seconds=seconds))


def count_calls(db, method: str) -> list[str]:
    """Record the SQL of every call to one Database method from now on."""
    calls: list[str] = []
    real = getattr(db, method)

    async def counting(sql, params=()):
        calls.append(sql)
        return await real(sql, params)

    setattr(db, method, counting)
    return calls


def texts(replies: list[Reply]) -> str:
    return "\n---\n".join(r.text.plain() for r in replies)


def question_of(replies: list[Reply]) -> Reply:
    found = [r for r in replies if r.question is not None]
    assert found, f"no question in: {texts(replies)}"
    return found[-1]


@pytest.fixture(scope="session")
def real_course():
    return load_course(CONTENT)


@pytest.fixture(scope="session")
def mini_course():
    return load_course(FIXTURE_COURSE)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "studybot.sqlite3"


# Tests send many commands from one user at one instant of the fake clock; flood control is
# tested on its own (test_flood.py) with the real limits.
TEST_SETTINGS = Settings(flood_commands=1000)


async def make_chat(course, db_path, settings: Settings | None = None, seed: int = 7,
                    start: datetime = START):
    clock = ManualClock(start)
    outbox = RecordingOutbox()
    context = open_bot(FIXTURE_COURSE, db_path, clock, outbox, random.Random(seed),
                       settings or TEST_SETTINGS, course=course)
    bot = await context.__aenter__()
    outbox.listener = bot
    return ClassChat(bot, clock, outbox), context


@pytest.fixture
async def chat(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    yield room
    await context.__aexit__(None, None, None)


@pytest.fixture
async def real_chat(real_course, db_path):
    room, context = await make_chat(real_course, db_path)
    yield room
    await context.__aexit__(None, None, None)


class Serving:
    """An adapter served by the real composition root (studybot.app.serve) around one core,
    with a manual clock and no ticker: tests move the clock and call run_due themselves."""

    def __init__(self, adapter, course, db_path, clock: ManualClock, settings: Settings | None = None):
        self.adapter, self.course, self.db_path, self.clock = adapter, course, db_path, clock
        self.settings = settings or TEST_SETTINGS
        self.stop = None
        self.code: int | None = None

    async def __aenter__(self):
        import asyncio

        from bot.delivery.outbox import Outbox
        from studybot.app import serve

        self.outbox = Outbox()
        self._context = open_bot(CONTENT, self.db_path, self.clock, self.outbox, random.Random(7),
                                 self.settings, course=self.course,
                                 platforms={self.adapter.platform: self.adapter.capabilities})
        self.bot = await self._context.__aenter__()
        self.stop, started = asyncio.Event(), asyncio.Event()
        self._task = asyncio.create_task(serve(self.bot, self.outbox, [self.adapter], self.stop, tick=False,
                                               started=started))
        waiting = asyncio.ensure_future(started.wait())
        await asyncio.wait({waiting, self._task}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if not started.is_set():
            waiting.cancel()
            self.code = self._task.result() if self._task.done() else None
            raise AssertionError(f"the adapter did not start (exit code {self.code})")
        return self

    async def due(self) -> None:
        """What the clock's tick does, then wait until the outbox has sent it."""
        await self.bot.run_due()
        await self.outbox.idle()

    async def __aexit__(self, *exc):
        import asyncio

        self.stop.set()
        self.code = await asyncio.wait_for(self._task, 30)
        await self._context.__aexit__(None, None, None)
