"""The console adapter: talk to the bot in a terminal, or drive it line by line as JSON.

Interactive (`studybot console`): type a command or an answer; `NAME: text` speaks as another
user; a number alone presses that button of the last message. The clock is real.

Machine mode (`studybot console --jsonl`): one JSON object a line each way, a manual clock that
moves only with {"at": ISO} and a seeded random source (--seed), so a scripted session is
deterministic. See the README.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from bot.app import load_or_explain, open_bot, tick_forever
from bot.clock import ManualClock, SystemClock
from bot.events import Chat, Command, Event, Press, TypedText, User, parse_command
from bot.replies import Reply
from bot.settings import Settings
from bot.store.ownership import OwnershipError, acquire_ownership

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


class JsonlOutbox:
    def __init__(self, out: TextIO):
        self.out = out

    def write(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.out.flush()

    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        for reply in replies:
            self.write(reply_json(chat, reply))


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


async def run_jsonl(bot, clock: ManualClock, lines: TextIO, outbox: JsonlOutbox) -> None:
    await bot.run_due()
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if line:
            try:
                obj = json.loads(line)
                if isinstance(obj, dict) and "at" in obj:
                    clock.move_to(parse_instant(obj["at"]))
                else:
                    event = _event_from_line(obj)
                    await outbox.send(event.chat, await bot.handle(event))
                await bot.run_due()   # as the real clock's ticker would, without moving time
            except json.JSONDecodeError as exc:
                outbox.write({"error": f"not a JSON object: {exc.msg} (column {exc.colno})"})
            except ValueError as exc:
                outbox.write({"error": str(exc)})
        outbox.write({"ack": number})


class TerminalOutbox:
    """Prints replies for a person; remembers the last buttons so a number presses one."""

    def __init__(self, out: TextIO):
        self.out = out
        self.buttons: list[str] = []

    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        for reply in replies:
            who = f" [chỉ {reply.to.name} thấy]" if reply.to else ""
            self.out.write(f"\n🤖{who} {reply.text.plain()}\n")
            if reply.buttons:
                self.buttons = [b.id for b in reply.buttons]
                labels = "  ".join(f"[{n}] {b.label}" for n, b in enumerate(reply.buttons, 1))
                self.out.write(f"   {labels}\n")
        self.out.flush()


async def _stdin_lines(stdin: TextIO) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
    except (ValueError, OSError, AttributeError):   # a regular file or an in-memory stream
        reader.feed_data(stdin.read().encode("utf-8") if hasattr(stdin, "read") else b"")
        reader.feed_eof()
    return reader


async def run_interactive(bot, outbox: TerminalOutbox, stdin: TextIO) -> None:
    """Until end of input, SIGINT or SIGTERM: then stop reading, let the writes in flight
    finish, and return so that the database is closed cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ticker = asyncio.create_task(tick_forever(bot))
    reader = await _stdin_lines(stdin)
    outbox.out.write("studybot console — gõ /help để xem các lệnh; 'TÊN: nội dung' để nói như người "
                     "khác; một con số để bấm nút; Ctrl-D để thoát.\n")
    user = DEFAULT_USER
    stopping = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            outbox.out.write(f"{user}> ")
            outbox.out.flush()
            reading = asyncio.ensure_future(reader.readline())
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not reading.done():
                reading.cancel()
                break
            raw = reading.result()
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            head, sep, rest = line.partition(":")
            if sep and head and " " not in head.strip() and not head.startswith("/"):
                user, line = head.strip(), rest.strip()
            if line.isdigit() and 1 <= int(line) <= len(outbox.buttons):
                event = to_event(user, None, outbox.buttons[int(line) - 1], admin=True)
            else:
                event = to_event(user, line, None, admin=True)
            await outbox.send(event.chat, await bot.handle(event))
    finally:
        stopping.cancel()
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def run_console(content_dir: Path, db_path: Path | str, jsonl: bool, start: str | None,
                stdin: TextIO | None = None, stdout: TextIO | None = None, seed: int = 0,
                settings: Settings | None = None, course=None) -> int:
    course = course if course is not None else load_or_explain(content_dir)
    if course is None:
        return 1
    try:
        ownership = acquire_ownership(db_path)
    except OwnershipError as exc:
        print(f"studybot: {exc}", file=sys.stderr)
        return 2
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout

    async def main() -> None:
        if jsonl:
            outbox = JsonlOutbox(stdout)
            clock = ManualClock(parse_instant(start) if start else SystemClock().now())
            async with open_bot(content_dir, db_path, clock, outbox, random.Random(seed), settings,
                                course=course) as bot:
                await run_jsonl(bot, clock, stdin, outbox)
        else:
            outbox = TerminalOutbox(stdout)
            async with open_bot(content_dir, db_path, SystemClock(), outbox, random.Random(), settings,
                                course=course) as bot:
                await run_interactive(bot, outbox, stdin)

    try:
        asyncio.run(main())
    except ValueError as exc:   # a bad --start
        print(f"studybot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        ownership.release()
    return 0
