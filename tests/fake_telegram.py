"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real PTB stack.

It refuses what the real server refuses, with the real error, so a bot that breaks a rule fails
here as it would in production ("a fake that accepts what the real server refuses proves
nothing"). Every limit and timeout is a constructor argument whose default is the real value;
tests scale them down (`FakeTelegram.scaled(0.01)`) instead of sleeping whole seconds.

Rules modelled (sources: Bot API docs https://core.telegram.org/bots/api, the Bot FAQ "My bot
is hitting limits" https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this,
python-telegram-bot 22.8's `telegram.constants` and `request/_baserequest.py`):

- Flood limits on message-sending methods (send* except sendChatAction, copyMessage(s),
  forwardMessage(s)); edits, answerCallbackQuery, setMessageReaction, stopPoll, getChatMember,
  setMyCommands are not counted. Per group/supergroup/channel at most 20 in any 60 s; per
  private chat at most 1 in any 1 s (the FAQ: "avoid sending more than one message per second.
  We may allow short bursts that go over this limit, but eventually you'll begin receiving 429
  errors" -- the fake allows no burst unless `private_limit` is raised); overall at most 30 in
  any 1 s. Past a limit: HTTP 429, "Too Many Requests: retry after N", parameters.retry_after N,
  N the time until the window frees, rounded up to whole `retry_after_unit`s (default 1 s: an
  integer >= 1 as Telegram sends; a scaled fake reports fractions of its scaled unit). A refused
  call is not delivered and not counted.
- answerCallbackQuery later than `callback_timeout` (15 s) after the press, twice, or for an
  unknown id: 400 "query is too old and response timeout expired or query ID is invalid".
- A basic group upgraded with `migrate(old, new)`: service messages in both chats, then any
  call on the old id gets 400 "group chat was upgraded to a supergroup chat" with
  parameters.migrate_to_chat_id (PTB raises `telegram.error.ChatMigrated`).
- `kick(chat)`: a my_chat_member update (status "kicked"), then 403 "bot was kicked from the
  group chat" / "... supergroup chat" / "bot was blocked by the user" (private); `readd(chat)`
  undoes it. A chat the fake never heard of: 400 "chat not found" (`strict_chats`); a user met
  in a group who never opened a private chat with the bot: 403 "bot can't initiate
  conversation with a user" (a private chat opens with `type(user, user, ...)` or `add_chat`).
- HTML entities must parse; a message's or an inline result's text 1..4096 characters after
  parsing; callback_data 1..64 bytes; quiz polls within `PollLimit`; polls close after
  `open_period` or stopPoll; editMessageText with nothing changed: 400 "message is not
  modified".
- setMessageReaction: emoji from `telegram.constants.ReactionEmoji` (and the chat's allowed
  set, if a test restricts it), at most one reaction (bots are not premium users).
- setMyCommands: command 1..32 of a-z 0-9 _, description 1..256, at most 100, a valid scope and
  language code; menus are kept per (scope, chat, user, language).

Tests push updates (messages, edits, presses, votes, membership changes) and read what was
called (`calls`), delivered (`delivered`, `sends`) and refused (`refusals`, `throttled`).
"""

from __future__ import annotations

import asyncio
import html
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import count

from aiohttp import web
from telegram.constants import BotCommandLimit, PollLimit, ReactionEmoji

from tests.loopback import serve_on_loopback, wait_for
from tests.sliding_window import SlidingWindow, most_in_any_window

TOKEN = "123456:TEST-token-of-the-fake-telegram-server"   # shaped like a real one: start-up checks it
BOT = {"id": 123456, "is_bot": True, "first_name": "StudyBot", "username": "StudyBot",
       "can_join_groups": True, "can_read_all_group_messages": True, "supports_inline_queries": True}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
                "tg-spoiler", "blockquote"}
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
COMMAND = re.compile(r"[a-z0-9_]+")
BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?")
LANGUAGE = re.compile(r"[a-z]{2}")
SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
          "chat_administrators", "chat_member"}
REACTIONS = frozenset(e.value for e in ReactionEmoji)
TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_COUNTED = {"sendChatAction"}     # a "typing…" status is not a message


def command_entities(text: str) -> list[dict]:
    """The bot_command entity Telegram marks at the start of a message: "/" and Latin letters,
    digits or "_" (with an optional @botname); it ends at any other character (a space, a tab,
    a no-break space, a comma), which stays in the text."""
    match = BOT_COMMAND.match(text)
    return [{"type": "bot_command", "offset": 0, "length": match.end()}] if match else []


def is_message_send(method: str) -> bool:
    """The methods Telegram's flood limits count: anything that posts a message."""
    return (method.startswith("send") and method not in NOT_COUNTED) \
        or method.startswith(("copyMessage", "forwardMessage"))


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            raise ValueError(f"Unsupported start tag \"{tag}\"")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            raise ValueError(f"Can't find end tag corresponding to start tag \"{tag}\"")

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text: str) -> str:
    """The visible text, or ValueError as the Bot API's "Can't parse entities"."""
    for match in re.finditer(r"&", text):
        if not ENTITY.match(text, match.start()):
            raise ValueError("Can't parse entities: unsupported entity")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.open:
        raise ValueError(f"Can't parse entities: unclosed tag \"{checker.open[-1]}\"")
    return html.unescape("".join(checker.text))


class ApiError(Exception):
    """An error answer of the Bot API: status, description, optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class Delivery:
    """One message a chat received: when (monotonic seconds), where, by which method."""
    time: float
    chat_id: int
    method: str
    message_id: int | None


@dataclass
class CallbackRecord:
    query_id: str
    chat_id: int
    user_id: int
    data: str
    pushed: float
    answered: float | None = None
    refused: int = 0          # answers refused (late, twice)

    @property
    def latency(self) -> float | None:
        return None if self.answered is None else self.answered - self.pushed


class FakeTelegram:
    def __init__(self, *, group_limit: int = 20, group_window: float = 60.0,
                 private_limit: int = 1, private_window: float = 1.0,
                 overall_limit: int = 30, overall_window: float = 1.0,
                 retry_after_unit: float = 1.0, callback_timeout: float = 15.0,
                 latency: float = 0.0, strict_chats: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        self.group_limit, self.group_window = group_limit, group_window
        self.private_limit, self.private_window = private_limit, private_window
        self.overall_limit, self.overall_window = overall_limit, overall_window
        self.retry_after_unit = retry_after_unit
        self.callback_timeout = callback_timeout
        self.latency = latency
        self.strict_chats = strict_chats
        self.clock = clock
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []
        self.new_update = asyncio.Event()
        self.admins: set[int] = set()
        self.fail_next: dict[str, int] = {}        # method -> retry_after seconds for one 429
        self.bad_request_next: set[str] = set()     # methods whose next call gets a 400
        self.refuse_next: dict[str, str] = {}        # method -> a 400 description for its next call
        self.after = None     # async (method, params, result): runs before the response leaves
        self.revoked = False        # the token was revoked (@BotFather /revoke): 401 to every call
        self.other_poller = False   # another process polls with this token: 409 to getUpdates
        self.refuse_chats: set[int] = set()         # 403 Forbidden, without a membership update
        self._ids = count(1)
        self._update_ids = count(1)
        self.polls: dict[str, dict] = {}
        self.delivered: list[tuple[str, dict]] = []   # calls that succeeded
        self.refusals: list[tuple[str, dict, int, str]] = []   # method, params, status, description
        # chats and messages the server knows
        self.chats: dict[int, str] = {}                # id -> private | group | supergroup | channel
        self.migrated: dict[int, int] = {}             # old basic group id -> supergroup id
        self.kicked: set[int] = set()
        self.users_seen: set[int] = set()              # users the bot met (in any chat)
        self.messages: dict[tuple[int, int], dict] = {}
        self.allowed_reactions: dict[int, set[str]] = {}   # a chat's admins limited reactions
        self.reactions: dict[tuple[int, int], list[str]] = {}
        self.menus: dict[tuple[str, int | None, int | None, str], list[tuple[str, str]]] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self._poll_closes: dict[str, float] = {}       # poll id -> monotonic time it closes
        self._poll_messages: dict[tuple[int, int], str] = {}
        # flood control
        self.sends: list[Delivery] = []
        self.throttled: Counter[int] = Counter()       # chat id -> 429s answered
        self._overall = SlidingWindow(overall_limit, overall_window)
        self._per_chat: dict[int, SlidingWindow] = {}
        self.runner: web.AppRunner | None = None
        self.url = ""

    @classmethod
    def scaled(cls, factor: float, **overrides) -> "FakeTelegram":
        """Every window and timeout multiplied by `factor` (0.01: a minute lasts 0.6 s);
        retry_after is then reported in units of `factor` seconds."""
        real = dict(group_window=60.0, private_window=1.0, overall_window=1.0,
                    callback_timeout=15.0, retry_after_unit=1.0)
        return cls(**({k: v * factor for k, v in real.items()} | overrides))

    # --- server ----------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.handle)
        self.runner, self.url = await serve_on_loopback(app)
        return self.url

    async def stop(self) -> None:
        self.new_update.set()
        if self.runner:
            await self.runner.cleanup()

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN or self.revoked:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        data = dict(await request.post())
        params = {k: self._decode(v) for k, v in data.items()}
        if method == "getUpdates":
            if self.other_poller:
                return self._error(409, "Conflict: terminated by other getUpdates request; make sure "
                                        "that only one bot instance is running")
            return self._ok(await self.api_getUpdates(params))
        self.calls.append((method, params))
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            result = await self._answer(method, params)
        except ApiError as error:
            self.refusals.append((method, params, error.status, error.description))
            return self._error(error.status, error.description, error.parameters)
        self.delivered.append((method, params))
        if self.after is not None:        # e.g. an update that overtakes this call's response
            await self.after(method, params, result)
        return self._ok(result)

    async def _answer(self, method: str, params: dict):
        """The method's result, or ApiError as the Bot API refuses it."""
        if method in self.fail_next:
            seconds = self.fail_next.pop(method)
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
        chat_id = self._chat_id(params.get("chat_id"))
        if chat_id is not None:
            self._check_chat(chat_id, method)
        if method in self.bad_request_next:
            self.bad_request_next.discard(method)
            raise bad_request("chat not found")
        if method in self.refuse_next:
            raise bad_request(self.refuse_next.pop(method))
        handler = getattr(self, "api_" + method, None)
        if not is_message_send(method) or chat_id is None:
            return await handler(params) if handler else True
        now = self.clock()
        self._check_flood(chat_id, now)
        windows = [self._overall, self._chat_window(chat_id)]
        for window in windows:
            window.add(now)
        try:
            result = await handler(params) if handler else True
        except ApiError:
            for window in windows:
                window.remove(now)
            raise
        message_id = result.get("message_id") if isinstance(result, dict) else None
        self.sends.append(Delivery(now, chat_id, method, message_id))
        return result

    @staticmethod
    def _decode(value):
        if isinstance(value, str) and value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    @staticmethod
    def _chat_id(value) -> int | None:
        if value is None or not str(value).lstrip("-").isdigit():
            return None              # absent, or an @username
        return int(value)

    @staticmethod
    def _ok(result):
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, description: str, parameters: dict | None = None):
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    # --- chats -----------------------------------------------------------------------------
    def add_chat(self, chat_id: int, kind: str | None = None) -> None:
        """Make a chat known (a group the bot is in, a user who started it). Negative ids are
        supergroups unless `kind` says "group" (a basic group) or "channel"."""
        self.chats[chat_id] = kind or ("private" if chat_id > 0 else "supergroup")

    def kind(self, chat_id: int) -> str:
        return self.chats.get(chat_id) or ("private" if chat_id > 0 else "supergroup")

    def _check_chat(self, chat_id: int, method: str) -> None:
        if chat_id in self.migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self.migrated[chat_id]})
        if chat_id in self.refuse_chats:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id in self.kicked:
            kind = self.kind(chat_id)
            raise ApiError(403, "Forbidden: bot was blocked by the user" if kind == "private"
                           else f"Forbidden: bot was kicked from the {kind} chat")
        if self.strict_chats and chat_id not in self.chats:
            if chat_id in self.users_seen:      # met in a group, never started the bot
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad_request("chat not found")

    def _chat(self, chat_id: int) -> dict:
        chat_id = int(chat_id)
        if chat_id not in self.chats:
            self.add_chat(chat_id)
        chat = {"id": chat_id, "type": self.kind(chat_id)}
        if chat["type"] == "private":
            chat["first_name"] = "User"
        else:
            chat["title"] = "Lớp"
        return chat

    # --- flood control ---------------------------------------------------------------------
    def _chat_window(self, chat_id: int) -> SlidingWindow:
        if chat_id not in self._per_chat:
            private = self.kind(chat_id) == "private"
            self._per_chat[chat_id] = SlidingWindow(
                self.private_limit if private else self.group_limit,
                self.private_window if private else self.group_window)
        return self._per_chat[chat_id]

    def _check_flood(self, chat_id: int, now: float) -> None:
        wait = max(self._overall.wait(now), self._chat_window(chat_id).wait(now))
        if wait <= 0:
            return
        self.throttled[chat_id] += 1
        units = max(1, math.ceil(wait / self.retry_after_unit - 1e-9))
        seconds = units if self.retry_after_unit == 1 else round(units * self.retry_after_unit, 6)
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    def max_in_window(self, chat_id: int, seconds: float) -> int:
        """The most messages delivered to `chat_id` inside any window of `seconds`."""
        return most_in_any_window([d.time for d in self.sends if d.chat_id == chat_id], seconds)

    def count_429(self, chat_id: int | None = None) -> int:
        """Flood refusals answered to one chat (or to all)."""
        return self.throttled[chat_id] if chat_id is not None else sum(self.throttled.values())

    # --- API methods -----------------------------------------------------------------------
    async def api_getMe(self, params):
        return BOT

    async def api_getUpdates(self, params):
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout:
            self.new_update.clear()
            try:
                await asyncio.wait_for(self.new_update.wait(), min(timeout, 0.5))
            except asyncio.TimeoutError:
                pass
        return self.updates[:100]

    def _check_markup(self, params):
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise bad_request("BUTTON_TEXT_INVALID")
                if "callback_data" in button and not 1 <= len(button["callback_data"].encode()) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")

    def _message(self, chat_id, sender: dict = BOT, **extra) -> dict:
        message = {"message_id": next(self._ids), "date": 1_790_000_000, "chat": self._chat(chat_id),
                   "from": sender, **extra}
        self.messages[(int(chat_id), message["message_id"])] = message
        return message

    def _visible_text(self, params) -> str:
        text = params["text"]
        try:
            visible = parse_html(text) if params.get("parse_mode") == "HTML" else text
        except ValueError as error:
            raise bad_request(str(error)) from None
        if not 1 <= len(visible) <= 4096:
            raise bad_request("message is too long" if visible else "message text is empty")
        return visible

    async def api_sendMessage(self, params):
        visible = self._visible_text(params)
        self._check_markup(params)
        message = self._message(params["chat_id"], text=visible)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def api_sendPoll(self, params):
        options = params["options"]
        texts = [o["text"] if isinstance(o, dict) else o for o in options]
        if not 1 <= len(params["question"]) <= PollLimit.MAX_QUESTION_LENGTH:
            raise bad_request("POLL_QUESTION_INVALID")
        if not PollLimit.MIN_OPTION_NUMBER <= len(texts) <= PollLimit.MAX_OPTION_NUMBER \
                or any(not 1 <= len(t) <= PollLimit.MAX_OPTION_LENGTH for t in texts):
            raise bad_request("POLL_OPTION_INVALID")
        explanation = params.get("explanation") or ""
        if len(explanation) > PollLimit.MAX_EXPLANATION_LENGTH \
                or explanation.count("\n") > PollLimit.MAX_EXPLANATION_LINE_FEEDS:
            raise bad_request("POLL_EXPLANATION_INVALID")
        if params.get("is_anonymous") not in (False, "false", "False"):
            raise bad_request("the bot gets no answers from an anonymous poll")
        open_period = int(params["open_period"]) if params.get("open_period") else None
        if open_period is not None and not PollLimit.MIN_OPEN_PERIOD <= open_period <= PollLimit.MAX_OPEN_PERIOD:
            raise bad_request("POLL_OPEN_PERIOD_INVALID")
        poll_id = str(5000 + next(self._ids))
        poll = {"id": poll_id, "question": params["question"], "total_voter_count": 0,
                "options": [{"text": t, "voter_count": 0, "persistent_id": str(n)} for n, t in enumerate(texts)],
                "is_closed": False, "is_anonymous": False, "type": "quiz",
                "allows_multiple_answers": False, "allows_revoting": False, "members_only": False,
                "correct_option_ids": params.get("correct_option_ids")}
        if open_period is not None:
            poll["open_period"] = open_period
            self._poll_closes[poll_id] = self.clock() + open_period
        self.polls[poll_id] = poll
        message = self._message(params["chat_id"], poll=poll)
        self._poll_messages[(int(params["chat_id"]), message["message_id"])] = poll_id
        return message

    def poll_is_closed(self, poll_id: str) -> bool:
        poll = self.polls[poll_id]
        closes = self._poll_closes.get(poll_id)
        if closes is not None and self.clock() >= closes:
            poll["is_closed"] = True
        return poll["is_closed"]

    async def api_stopPoll(self, params):
        key = (int(params["chat_id"]), int(params["message_id"]))
        poll_id = self._poll_messages.get(key)
        if poll_id is None:
            raise bad_request("message with poll to stop not found")
        if self.poll_is_closed(poll_id):
            raise bad_request("poll has already been closed")
        self.polls[poll_id]["is_closed"] = True
        return self.polls[poll_id]

    async def api_editMessageText(self, params):
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None or message["from"] is not BOT:
            raise bad_request("message to edit not found")
        visible = self._visible_text(params)
        self._check_markup(params)
        markup = params.get("reply_markup")
        if visible == message.get("text") and markup == message.get("reply_markup"):
            raise bad_request("message is not modified: specified new message content and reply "
                              "markup are exactly the same as a current content and reply markup "
                              "of the message")
        message.update(text=visible, edit_date=1_790_000_001)
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def api_setMessageReaction(self, params):
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if (chat_id, message_id) not in self.messages:
            raise bad_request("MESSAGE_ID_INVALID")
        reaction = params.get("reaction") or []
        if len(reaction) > 1:
            raise bad_request("REACTIONS_TOO_MANY")
        emojis = []
        for kind in reaction:
            emoji = kind.get("emoji") if kind.get("type") == "emoji" else None
            allowed = self.allowed_reactions.get(chat_id, REACTIONS)
            if emoji is None or emoji not in REACTIONS or emoji not in allowed:
                raise bad_request("REACTION_INVALID")
            emojis.append(emoji)
        self.reactions[(chat_id, message_id)] = emojis
        return True

    async def api_getChatMember(self, params):
        user_id = int(params["user_id"])
        status = "administrator" if user_id in self.admins else "member"
        member = {"user": {"id": user_id, "is_bot": False, "first_name": "U"}, "status": status}
        if status == "administrator":
            member.update({k: True for k in (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                "can_delete_stories")})
        return member

    async def api_answerInlineQuery(self, params):
        results = params.get("results") or []
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        for result in results:
            content = result["input_message_content"]
            try:
                visible = parse_html(content["message_text"])
            except ValueError as error:
                raise bad_request(str(error)) from None
            if not 1 <= len(visible) <= 4096:
                raise bad_request("MESSAGE_TOO_LONG")
        return True

    async def api_answerCallbackQuery(self, params):
        record = self.callbacks.get(str(params.get("callback_query_id")))
        now = self.clock()
        if record is None:
            raise bad_request(TOO_OLD)
        if record.answered is not None or now - record.pushed > self.callback_timeout:
            record.refused += 1
            raise bad_request(TOO_OLD)
        if len(params.get("text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = now
        return True

    # --- command menus ---------------------------------------------------------------------
    def _menu_key(self, params) -> tuple[str, int | None, int | None, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPES:
            raise bad_request("can't parse BotCommandScope")
        chat_id = self._chat_id(scope.get("chat_id"))
        if scope["type"].startswith("chat"):
            if chat_id is None:
                raise bad_request("chat not found")
            self._check_chat(chat_id, "setMyCommands")
        user_id = int(scope["user_id"]) if scope["type"] == "chat_member" else None
        language = params.get("language_code") or ""
        if language and not LANGUAGE.fullmatch(language):
            raise bad_request("invalid language code specified")
        return scope["type"], chat_id, user_id, language

    async def api_setMyCommands(self, params):
        commands = params.get("commands") or []
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > BotCommandLimit.MAX_COMMAND_NUMBER:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not BotCommandLimit.MIN_COMMAND <= len(name) <= BotCommandLimit.MAX_COMMAND \
                    or not COMMAND.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not BotCommandLimit.MIN_DESCRIPTION <= len(description) <= BotCommandLimit.MAX_DESCRIPTION:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._menu_key(params)
        if commands:
            self.menus[key] = [(c["command"], c["description"]) for c in commands]
        else:
            self.menus.pop(key, None)
        return True

    async def api_deleteMyCommands(self, params):
        self.menus.pop(self._menu_key(params), None)
        return True

    async def api_getMyCommands(self, params):
        menu = self.menus.get(self._menu_key(params), [])
        return [{"command": c, "description": d} for c, d in menu]

    def menu(self, scope: str = "default", chat_id: int | None = None, language: str = "",
             user_id: int | None = None) -> list[tuple[str, str]]:
        """The command menu registered for one scope and language ([] when none)."""
        return self.menus.get((scope, chat_id, user_id, language), [])

    # --- what tests do ---------------------------------------------------------------------
    def push(self, **update) -> None:
        update["update_id"] = next(self._update_ids)
        self.updates.append(update)
        self.new_update.set()

    def user(self, user_id: int, first_name: str) -> dict:
        self.users_seen.add(user_id)
        return {"id": user_id, "is_bot": False, "first_name": first_name}

    def type(self, chat_id: int, user_id: int, first_name: str, text: str) -> int:
        """A user posts `text` in a chat; returns the message id."""
        message = self._message(chat_id, self.user(user_id, first_name), text=text,
                                entities=command_entities(text))
        self.push(message=message)
        return message["message_id"]

    def edit(self, chat_id: int, user_id: int, first_name: str, message_id: int, text: str) -> None:
        """A user edits an earlier message: Telegram sends it again as `edited_message`."""
        message = {"message_id": message_id, "date": 1_790_000_000, "edit_date": 1_790_000_060,
                   "chat": self._chat(chat_id), "from": self.user(user_id, first_name),
                   "text": text, "entities": command_entities(text)}
        self.messages[(int(chat_id), message_id)] = message
        self.push(edited_message=message)

    def press(self, chat_id: int, user_id: int, first_name: str, data: str) -> str:
        """A user presses an inline button; returns the callback query id."""
        query_id = str(next(self._ids))
        self.callbacks[query_id] = CallbackRecord(query_id, chat_id, user_id, data, self.clock())
        self.push(callback_query={"id": query_id, "from": self.user(user_id, first_name),
                                  "chat_instance": "ci", "data": data,
                                  "message": self._message(chat_id, text="?")})
        return query_id

    def ack_latencies(self) -> dict[str, float | None]:
        """Seconds from each press to its accepted answer (None: never answered in time)."""
        return {query_id: record.latency for query_id, record in self.callbacks.items()}

    def vote(self, poll_id: str, user_id: int, first_name: str, option: int) -> None:
        if self.poll_is_closed(poll_id):
            raise AssertionError(f"poll {poll_id} is closed: a student cannot vote in it")
        self.push(poll_answer={"poll_id": poll_id, "user": self.user(user_id, first_name),
                               "option_ids": [option], "option_persistent_ids": [str(option)]})

    def inline(self, user_id: int, query: str) -> None:
        self.push(inline_query={"id": str(next(self._ids)), "from": self.user(user_id, "U"),
                                "query": query, "offset": ""})

    def migrate(self, old_id: int, new_id: int, user_id: int = 1, first_name: str = "Admin") -> None:
        """A basic group becomes a supergroup with a new id, as Telegram does when a group grows
        or changes some settings: a service message in each chat, then the old id is refused."""
        self.add_chat(old_id, "group")
        self.add_chat(new_id, "supergroup")
        admin = self.user(user_id, first_name)
        old = self._message(old_id, admin, migrate_to_chat_id=new_id)
        new = self._message(new_id, admin, migrate_from_chat_id=old_id)
        self.migrated[old_id] = new_id
        self.push(message=old)
        self.push(message=new)

    def _member_update(self, chat_id: int, old: str, new: str, user_id: int, first_name: str) -> None:
        def member(status: str) -> dict:
            data = {"user": BOT, "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data
        self.push(my_chat_member={"chat": self._chat(chat_id), "from": self.user(user_id, first_name),
                                  "date": 1_790_000_000, "old_chat_member": member(old),
                                  "new_chat_member": member(new)})

    def kick(self, chat_id: int, user_id: int | None = None, first_name: str = "Admin") -> None:
        """The bot is removed from a group (or blocked by the user of a private chat)."""
        by = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        self._chat(chat_id)
        self.kicked.add(chat_id)
        self._member_update(chat_id, "member", "kicked", by, first_name)

    def readd(self, chat_id: int, user_id: int | None = None, first_name: str = "Admin") -> None:
        """The bot is added back (or unblocked)."""
        by = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        self.kicked.discard(chat_id)
        self._member_update(chat_id, "kicked", "member", by, first_name)

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [p for m, p in self.calls if m == method]

    async def wait_for(self, predicate, timeout: float = 10.0):
        return await wait_for(self, predicate, timeout)


