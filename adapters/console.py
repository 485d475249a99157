"""The console adapter: talk to the bot in a terminal, or drive it line by line as JSON.

A plain adapter like the others (adapters/contract.py): what the core says goes through the
outbox and comes out here. Interactive (`studybot console`, or `studybot run` without a token):
type a command or an answer; `NAME: text` speaks as another user; a number alone presses that
button of the last message. The clock is real; logs go to a file so the terminal shows only
the chat, and a message the clock pushes (a reveal) redraws the prompt.

Machine mode (`studybot console --jsonl`): one JSON object a line each way, a manual clock that
moves only with {"at": ISO} and a seeded random source (--seed), so a scripted session is
deterministic. See the README.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any, Sequence, TextIO

from bot.clock import ManualClock
from bot.delivery.transport import NO_LIMITS, Receipt
from bot.events import Chat, Command, Event, Press, TypedText, User, parse_command
from bot.i18n import catalog
from bot.platform import CONSOLE
from bot.replies import Reply

PLATFORM = "console"
DEFAULT_CHAT = "lop"
DEFAULT_USER = "ban"


def to_event(user: str, text: str | None, press: str | None, name: str | None = None,
             chat: str | None = None, private: bool = False, admin: bool = False) -> Event:
    who = User(PLATFORM, user, name or user, is_admin=admin or private)
    where = Chat(PLATFORM, f"dm-{user}", is_group=False) if private else Chat(PLATFORM, chat or DEFAULT_CHAT)
    if press is not None:
        return Press(who, where, press)
    parsed = parse_command(text or "")
    if parsed is not None:
        command, _, args = parsed
        return Command(who, where, command, args)
    return TypedText(who, where, text or "")


def reply_json(chat: Chat, reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"chat": chat.id, "text": reply.text.plain()}
    if reply.buttons:
        out["buttons"] = [{"id": b.id, "label": b.label} for b in reply.buttons]
    if reply.to is not None:
        out["to"] = reply.to.id
    return out


def _event_from_line(obj: Any) -> Event:
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    user = obj.get("user")
    if isinstance(user, bool) or not isinstance(user, (str, int)) or str(user).strip() == "":
        raise ValueError('"user" is required: a name or an id')
    text, press = obj.get("text"), obj.get("press")
    if (text is None) == (press is None):
        raise ValueError('give exactly one of "text" or "press"')
    if text is not None and not isinstance(text, str):
        raise ValueError('"text" must be a string')
    if press is not None and not isinstance(press, str):
        raise ValueError('"press" must be a string (a button id)')
    for key in ("name", "chat"):
        if obj.get(key) is not None and not isinstance(obj[key], (str, int)):
            raise ValueError(f'"{key}" must be a string')
    return to_event(str(user), text, press, name=obj.get("name") and str(obj["name"]),
                    chat=obj.get("chat") and str(obj["chat"]), private=obj.get("private") is True,
                    admin=obj.get("admin") is True)


def parse_instant(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError('"at" must be an ISO 8601 instant, e.g. 2026-11-23T08:00:00+07:00')
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"at" is not an ISO 8601 instant: {text[:40]!r}') from None
    if instant.tzinfo is None:
        raise ValueError('"at" needs a UTC offset, e.g. 2026-11-23T08:00:00+07:00')
    return instant


class ConsoleAdapter:
    """The terminal as a platform: every reply is one message, private ones marked."""

    platform = PLATFORM
    capabilities = CONSOLE
    limits = NO_LIMITS
    shows_private_replies = True     # one terminal: a private reply is printed with who alone sees it

    def __init__(self, stdin: TextIO, stdout: TextIO, jsonl: bool = False, clock: ManualClock | None = None,
                 language: str = "vi"):
        self.stdin, self.out, self.jsonl, self.clock = stdin, stdout, jsonl, clock
        self.tr = catalog(language)
        self.buttons: list[str] = []        # the last buttons shown: a number presses one
        self.user = DEFAULT_USER
        self.prompting = False
        self.bot = self.outbox = None
        self._stop = asyncio.Event()

    # --- the transport -------------------------------------------------------------------------
    def render(self, chat: Chat, replies: Sequence[Reply]) -> list[Reply]:
        return list(replies)

    async def send(self, chat: Chat, reply: Reply) -> Receipt:
        if self.jsonl:
            self.write(reply_json(chat, reply))
            return Receipt()
        who = " " + self.tr("console.only_for", name=reply.to.name) if reply.to else ""
        self.out.write(f"\n🤖{who} {reply.text.plain()}\n")
        if reply.buttons:
            self.buttons = [b.id for b in reply.buttons]
            labels = "  ".join(f"[{n}] {b.label}" for n, b in enumerate(reply.buttons, 1))
            self.out.write(f"   {labels}\n")
        if self.prompting:                   # a message the clock pushed: draw the prompt again
            self.out.write(f"{self.user}> ")
        self.out.flush()
        return Receipt()

    def write(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.out.flush()

    # --- life ----------------------------------------------------------------------------------
    async def start(self, bot, outbox) -> None:
        self.bot, self.outbox = bot, outbox

    async def wait(self) -> None:
        """Until the input ends or a stop is asked for."""
        reading = asyncio.ensure_future(self._jsonl() if self.jsonl else self._interactive())
        stopping = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (reading, stopping):
            if not task.done():
                task.cancel()
        await asyncio.gather(reading, stopping, return_exceptions=True)
        if reading.done() and not reading.cancelled() and reading.exception() is not None:
            raise reading.exception()

    def alive(self) -> bool:
        return True

    async def stop(self) -> None:
        self._stop.set()

    async def close(self) -> None:
        pass

    async def _say(self, event: Event) -> None:
        await self.outbox.post(event.chat, await self.bot.handle(event))
        await self.outbox.idle()

    async def _jsonl(self) -> None:
        await self._due()
        for number, line in enumerate(self.stdin, 1):
            line = line.strip()
            if line:
                try:
                    obj = json.loads(line)
                    if isinstance(obj, dict) and "at" in obj:
                        self.clock.move_to(parse_instant(obj["at"]))
                    else:
                        await self._say(_event_from_line(obj))
                    await self._due()      # as the real clock's ticker would, without moving time
                except json.JSONDecodeError as exc:
                    self.write({"error": f"not a JSON object: {exc.msg} (column {exc.colno})"})
                except ValueError as exc:
                    self.write({"error": str(exc)})
            self.write({"ack": number})

    async def _due(self) -> None:
        await self.bot.run_due()
        await self.outbox.idle()

    async def _interactive(self) -> None:
        reader = await _stdin_lines(self.stdin)
        self.out.write(self.tr("console.welcome") + "\n")
        while True:
            self.out.write(f"{self.user}> ")
            self.out.flush()
            self.prompting = True
            raw = await reader.readline()
            self.prompting = False
            if not raw:
                return
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            head, sep, rest = line.partition(":")
            if sep and head and " " not in head.strip() and not head.startswith("/"):
                self.user, line = head.strip(), rest.strip()
            if line.isdigit() and 1 <= int(line) <= len(self.buttons):
                event = to_event(self.user, None, self.buttons[int(line) - 1], admin=True)
            else:
                event = to_event(self.user, line, None, admin=True)
            await self._say(event)


async def _stdin_lines(stdin: TextIO) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
    except (ValueError, OSError, AttributeError):   # a regular file or an in-memory stream
        reader.feed_data(stdin.read().encode("utf-8") if hasattr(stdin, "read") else b"")
        reader.feed_eof()
    return reader
