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

from bot.app import open_bot
from bot.clock import ManualClock
from bot.course.load import load_course
from bot.events import Chat, Command, Press, TypedText, User
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
    sent: list[tuple[Chat, Reply]] = field(default_factory=list)

    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        self.sent.extend((chat, r) for r in replies)

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
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            event = Command(self.user(name), chat, head, args)
        else:
            event = TypedText(self.user(name), chat, text)
        return await self.bot.handle(event)

    async def press(self, name: str, button_id: str, private: bool = False) -> list[Reply]:
        return await self.bot.handle(Press(self.user(name), self.where(name, private), button_id))

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


async def make_chat(course, db_path, settings: Settings | None = None, seed: int = 7,
                    start: datetime = START):
    clock = ManualClock(start)
    outbox = RecordingOutbox()
    context = open_bot(FIXTURE_COURSE, db_path, clock, outbox, random.Random(seed),
                       settings or Settings(), course=course)
    bot = await context.__aenter__()
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
