"""A fake Discord REST API and gateway on 127.0.0.1 for end-to-end tests of real discord.py.

It refuses what Discord refuses, with Discord's status, code and body, so a bot that breaks a
rule fails here as it would in production. Every limit and timeout is a constructor argument
whose default is the real value; tests scale them down.

Rules modelled (sources: Discord API docs, docs.discord.com/developers: "Receiving and
Responding" (interactions), "Application Commands", "Component Reference", "Rate Limits",
"JSON Error Codes", "Gateway close event codes", "Locales"; discord-api-docs issues #2735, #2742,
#2866 and PR #3466 on deferral visibility; discord.py 2.7's http.py for what a 429 must carry):

- Interactions: the first callback must come within `interaction_timeout` (3 s) of the event,
  else 404 {"message": "Unknown interaction", "code": 10062}; a second callback gets 400
  {"message": "Interaction has already been acknowledged.", "code": 40060}. Callback types by
  interaction: a command takes 4, 5, 9; a component 4, 5, 6, 7, 9; autocomplete only 8; a modal
  submission 4, 5 (6, 7 when it came from a component's message), never 9. Modals: custom_id
  1..100, title 1..45, 1..5 rows (action rows or labels) of text inputs with custom_id 1..100,
  label 1..45, value/placeholder limits.
- Follow-ups (`POST /webhooks/{app}/{token}`) and @original edits: refused before the
  interaction is acknowledged (404 Unknown Webhook 10015) or after the 15-minute token
  lifetime (401 Invalid Webhook Token 50027). After a type-5 deferral the first follow-up (or
  an edit of @original) replaces the "thinking" message and takes the deferral's visibility,
  whatever its flags (#2866, #3466: ephemeral only if the deferral had flag 64); later ones
  use their own flags. Edits never change a message's visibility (#2735).
- Messages: content <= 2000, <= 10 embeds within the embed limits (6000 in total), not empty,
  <= 5 action rows, <= 5 buttons a row, custom_id 1..100 and unique, label <= 80. As a project
  rule (not Discord's) a message must carry allowed_mentions that parse nothing.
- Channel posts: per-channel limit (`channel_limit` in `channel_period`, default 5 per 5 s)
  with X-RateLimit-* headers on every answer (`announce_limits=False` leaves them off accepted
  posts, so a client cannot pace itself and meets the 429); past it 429 {"message": "You are being rate
  limited.", "retry_after": s, "global": false} with Retry-After, X-RateLimit-Scope and Via
  (discord.py treats a 429 without Via as a Cloudflare ban). 403 Missing Access 50001 for
  channels in `forbidden_channels`, 404 Unknown Channel 10003 for `deleted_channels`.
- Start-up: a wrong token gets 401 on REST (discord.py raises LoginFailure) and close code 4004
  on IDENTIFY; privileged intents not granted close with 4014; syncing commands to a guild the
  bot is not in gets 403 Missing Access 50001; `close_gateway(code)` closes the socket with any
  code (4000 is resumable: RESUME is answered with RESUMED).
- Application commands on sync: names ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$ in lower
  case, descriptions 1..100, <= 25 options with the same rules, required before optional,
  <= 25 choices, localization keys among Discord's locales with values in the same limits,
  <= 4000 characters in all per locale, <= 100 commands, no duplicate names. Refusals are 400
  {"message": "Invalid Form Body", "code": 50035, "errors": {...}}.

Tests push gateway events (slash commands, autocomplete, clicks, modal submissions, in a guild
or a DM) and read `messages`: every message with where it went and who sees it ("ephemeral",
"visible_to"), `channel_view()` (what the class sees, rendered as Discord renders markdown)
and `private_view(user)`.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from aiohttp import WSMsgType, web

from tests.discord_markdown import rendered
from tests.loopback import serve_on_loopback, wait_for

APP_ID = 777
BOT_ID = 778
GUILD = 900
CHANNEL = 901
MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6
TOKEN = "fake.discord.token"
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)     # members, presences, message content
LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
    "th", "zh-CN", "ja", "zh-TW", "ko"})
CALLBACKS_FOR = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5}}   # interaction -> callbacks
BOT_USER = {"id": str(BOT_ID), "username": "StudyBot", "discriminator": "0", "avatar": None, "bot": True}

__all__ = ["APP_ID", "BOT_ID", "CHANNEL", "GUILD", "MANAGE_GUILD", "TOKEN", "FakeDiscord",
           "DiscordError", "rendered"]


def _json(data, status: int = 200, headers: dict | None = None) -> web.Response:
    # discord.py wants Content-Type exactly application/json (no charset)
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


class DiscordError(Exception):
    """An error answer: HTTP status and Discord's JSON body."""

    def __init__(self, status: int, message: str, code: int, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "code": code}
        if errors:
            self.body["errors"] = errors


def invalid_form(path: list[str | int], code: str, message: str) -> DiscordError:
    """400 Invalid Form Body with Discord's nested errors object for one field."""
    errors: dict = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        errors = {str(key): errors}
    return DiscordError(400, "Invalid Form Body", 50035, errors)


def too_long(path: list, limit: int) -> DiscordError:
    return invalid_form(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def bad_length(path: list, low: int, high: int) -> DiscordError:
    return invalid_form(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def unknown_interaction() -> DiscordError:
    return DiscordError(404, "Unknown interaction", 10062)


def unknown_webhook() -> DiscordError:
    return DiscordError(404, "Unknown Webhook", 10015)


def unknown_message() -> DiscordError:
    return DiscordError(404, "Unknown Message", 10008)


# --- validation of what the bot sends ------------------------------------------------------

def _check_length(value, low: int, high: int, path: list) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise bad_length(path, low, high)


def check_embeds(embeds: list, path: list) -> None:
    if len(embeds) > 10:
        raise too_long(path, 10)
    total = 0
    limits = {"title": 256, "description": 4096}
    for n, embed in enumerate(embeds):
        for key, limit in limits.items():
            text = embed.get(key) or ""
            if len(text) > limit:
                raise too_long(path + [n, key], limit)
            total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise too_long(path + [n, "fields"], 25)
        for k, item in enumerate(fields):
            _check_length(item.get("name"), 1, 256, path + [n, "fields", k, "name"])
            _check_length(item.get("value"), 1, 1024, path + [n, "fields", k, "value"])
            total += len(item["name"]) + len(item["value"])
        for key, inner, limit in (("footer", "text", 2048), ("author", "name", 256)):
            text = (embed.get(key) or {}).get(inner) or ""
            if len(text) > limit:
                raise too_long(path + [n, key, inner], limit)
            total += len(text)
    if total > 6000:
        raise invalid_form(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def check_components(rows: list, path: list) -> None:
    if len(rows) > 5:
        raise too_long(path, 5)
    seen: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            raise invalid_form(path + [r, "type"], "UNION_TYPE_CHOICES",
                               "Value of field \"type\" must be one of (1,).")
        items = row.get("components") or []
        if not 1 <= len(items) <= 5:
            raise bad_length(path + [r, "components"], 1, 5)
        if any(item.get("type") != 2 for item in items) and len(items) > 1:
            raise invalid_form(path + [r, "components"], "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                               "The specified component exceeds the maximum width")
        for c, item in enumerate(items):
            where = path + [r, "components", c]
            if item.get("type") == 2:
                if len(item.get("label") or "") > 80:
                    raise too_long(where + ["label"], 80)
                if item.get("style") == 5:
                    if not item.get("url") or "custom_id" in item:
                        raise invalid_form(where, "BUTTON_COMPONENT_INVALID_URL",
                                           "A link button needs a url and no custom_id")
                    continue
                if item.get("style") not in (1, 2, 3, 4):
                    raise invalid_form(where + ["style"], "BASE_TYPE_CHOICES",
                                       "Value must be one of {1, 2, 3, 4, 5, 6}.")
            custom_id = item.get("custom_id")
            _check_length(custom_id, 1, 100, where + ["custom_id"])
            if custom_id in seen:
                raise invalid_form(where + ["custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED",
                                   "Component custom id cannot be duplicated")
            seen.add(custom_id)


def check_message(data: dict, creating: bool = True) -> None:
    """Discord's checks on a message create (or, with creating=False, an edit)."""
    content = data.get("content") or ""
    if len(content) > 2000:
        raise too_long(["content"], 2000)
    check_embeds(data.get("embeds") or [], ["embeds"])
    check_components(data.get("components") or [], ["components"])
    if creating and not (content or data.get("embeds") or data.get("components")
                         or data.get("attachments") or data.get("sticker_ids") or data.get("poll")):
        raise DiscordError(400, "Cannot send an empty message", 50006)
    mentions = data.get("allowed_mentions")
    if (creating and mentions is None) or (mentions and mentions.get("parse")):
        raise DiscordError(400, f"fake: project rule: this message could ping ({mentions})", 0)


def check_modal(data: dict) -> None:
    _check_length(data.get("custom_id"), 1, 100, ["data", "custom_id"])
    _check_length(data.get("title"), 1, 45, ["data", "title"])
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        raise bad_length(["data", "components"], 1, 5)
    for n, row in enumerate(rows):
        where = ["data", "components", n]
        if row.get("type") == 1:                       # an action row holding a labelled input
            inputs = row.get("components") or []
            if len(inputs) != 1:
                raise bad_length(where + ["components"], 1, 1)
            text_input, label = inputs[0], inputs[0].get("label")
            where = where + ["components", 0]
        elif row.get("type") == 18:                    # a label component wrapping the input
            text_input, label = row.get("component") or {}, row.get("label")
            if len(row.get("description") or "") > 100:
                raise too_long(where + ["description"], 100)
        else:
            raise invalid_form(where + ["type"], "UNION_TYPE_CHOICES",
                               "Value of field \"type\" must be one of (1, 18).")
        _check_length(label, 1, 45, where + ["label"])
        if text_input.get("type") != 4:
            raise invalid_form(where + ["type"], "UNION_TYPE_CHOICES", "Only text inputs are modelled here.")
        _check_length(text_input.get("custom_id"), 1, 100, where + ["custom_id"])
        for key, limit in (("placeholder", 100), ("value", 4000)):
            if len(text_input.get(key) or "") > limit:
                raise too_long(where + [key], limit)
        for key in ("min_length", "max_length"):
            if key in text_input and not 0 <= int(text_input[key]) <= 4000:
                raise invalid_form(where + [key], "NUMBER_TYPE_MAX", "int value should be between 0 and 4000.")


def _valid_name(name, chat_input: bool) -> bool:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    if not chat_input:
        return True                  # user and message commands: mixed case and spaces allowed
    for char in name:
        if char in "-_'":
            continue
        category = unicodedata.category(char)
        script = unicodedata.name(char, "")
        if not (category[0] in "LN" or script.startswith(("DEVANAGARI", "THAI"))):
            return False
        if char.lower() != char:
            return False
    return True


def _check_localizations(item: dict, path: list, chat_input: bool) -> None:
    for key, valid in (("name_localizations", lambda v: _valid_name(v, chat_input)),
                       ("description_localizations", lambda v: isinstance(v, str) and 1 <= len(v) <= 100)):
        for locale, value in (item.get(key) or {}).items():
            if locale not in LOCALES:
                raise invalid_form(path + [key, locale], "ENUM_TYPE_COERCE",
                                   f"Value \"{locale}\" is not a valid enum value.")
            if not valid(value):
                raise invalid_form(path + [key, locale], "APPLICATION_COMMAND_INVALID_LOCALIZATION",
                                   "Localized value is invalid")


def _check_options(options: list, path: list) -> None:
    if len(options) > 25:
        raise too_long(path, 25)
    names: set[str] = set()
    optional_seen = False
    for n, option in enumerate(options):
        where = path + [n]
        if option.get("type") not in range(1, 12):
            raise invalid_form(where + ["type"], "BASE_TYPE_CHOICES", "Value must be one of {1, …, 11}.")
        if not _valid_name(option.get("name"), True):
            raise invalid_form(where + ["name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if option["name"] in names:
            raise invalid_form(where + ["name"], "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                               "Option names must be unique")
        names.add(option["name"])
        _check_length(option.get("description"), 1, 100, where + ["description"])
        _check_localizations(option, where, True)
        if option["type"] in (1, 2):
            _check_options(option.get("options") or [], where + ["options"])
            continue
        if option.get("required"):
            if optional_seen:
                raise invalid_form(where + ["required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                                   "Required options must be placed before non-required options")
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            raise invalid_form(where + ["autocomplete"], "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                               "Autocomplete cannot be set with choices")
        if len(choices) > 25:
            raise too_long(where + ["choices"], 25)
        for k, choice in enumerate(choices):
            _check_length(choice.get("name"), 1, 100, where + ["choices", k, "name"])
            for locale, value in (choice.get("name_localizations") or {}).items():
                if locale not in LOCALES or not (isinstance(value, str) and 1 <= len(value) <= 100):
                    raise invalid_form(where + ["choices", k, "name_localizations", locale],
                                       "APPLICATION_COMMAND_INVALID_LOCALIZATION", "Localized value is invalid")
            value = choice.get("value")
            if option["type"] == 3 and not (isinstance(value, str) and 1 <= len(value) <= 100):
                raise bad_length(where + ["choices", k, "value"], 1, 100)


def _characters(item: dict, locale: str | None) -> int:
    """Characters a command spends in one locale: names, descriptions, choices, values."""
    def text(key: str) -> str:
        localized = (item.get(f"{key}_localizations") or {}).get(locale) if locale else None
        return localized or item.get(key) or ""
    total = len(text("name")) + len(text("description"))
    for choice in item.get("choices") or []:
        total += len((choice.get("name_localizations") or {}).get(locale) or choice.get("name") or "")
        total += len(str(choice.get("value", "")))
    return total + sum(_characters(option, locale) for option in item.get("options") or [])


def _locales_used(item: dict) -> set[str]:
    used = set((item.get("name_localizations") or {}) | (item.get("description_localizations") or {}))
    for choice in item.get("choices") or []:
        used |= set(choice.get("name_localizations") or {})
    for option in item.get("options") or []:
        used |= _locales_used(option)
    return used


def check_commands(commands: list, limit: int) -> None:
    if not isinstance(commands, list):
        raise invalid_form([], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
    if len(commands) > limit:
        raise too_long([], limit)
    names: set[tuple[int, str]] = set()
    for n, command in enumerate(commands):
        kind = command.get("type", 1)
        chat_input = kind == 1
        if not _valid_name(command.get("name"), chat_input):
            raise invalid_form([n, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if (kind, command["name"]) in names:
            raise invalid_form([n, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME",
                               f"Application command names must be unique: {command['name']}")
        names.add((kind, command["name"]))
        if chat_input:
            _check_length(command.get("description"), 1, 100, [n, "description"])
        _check_localizations(command, [n], chat_input)
        _check_options(command.get("options") or [], [n, "options"])
        for locale in {None} | _locales_used(command):
            if _characters(command, locale) > 4000:
                raise invalid_form([n], "APPLICATION_COMMAND_TOO_LARGE",
                                   "Command exceeds maximum size (4000)")


# --- records -------------------------------------------------------------------------------

@dataclass
class InteractionRecord:
    """One interaction the fake dispatched and what the bot did with it."""
    id: str
    token: str
    kind: int                      # 2 command, 3 component, 4 autocomplete, 5 modal submit
    user_id: int
    channel_id: int
    dispatched: float
    component_message: dict | None = None
    response: int | None = None    # the callback type that acknowledged it
    responded: float | None = None
    deferred_ephemeral: bool = False
    thinking: bool = False         # a type-5 deferral whose "thinking" message is not replaced yet
    original: dict | None = None   # the message @original points at
    refused: list[tuple[int, int]] = field(default_factory=list)   # (status, code) answered

    @property
    def latency(self) -> float | None:
        return None if self.responded is None else self.responded - self.dispatched


class ChannelBucket:
    """Discord's per-route bucket: `limit` requests, reset `period` seconds after the first."""

    def __init__(self, limit: int, period: float):
        self.limit, self.period = limit, period
        self.started = -math.inf
        self.used = 0

    def take(self, now: float) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until reset)."""
        if now >= self.started + self.period:
            self.started, self.used = now, 0
        reset_after = self.started + self.period - now
        if self.used >= self.limit:
            return False, 0, reset_after
        self.used += 1
        return True, self.limit - self.used, reset_after


class FakeDiscord:
    def __init__(self, *, token: str = TOKEN, guilds: set[int] | frozenset[int] = frozenset({GUILD}),
                 interaction_timeout: float = 3.0, token_lifetime: float = 15 * 60.0,
                 channel_limit: int = 5, channel_period: float = 5.0, announce_limits: bool = True,
                 max_global_commands: int = 100, max_guild_commands: int = 100,
                 privileged_intents: int = 0, latency: float = 0.0,
                 clock: Callable[[], float] = time.monotonic):
        self.token = token
        self.latency = latency                    # seconds each REST call takes before it is judged
        self.guilds = set(guilds)
        self.interaction_timeout, self.token_lifetime = interaction_timeout, token_lifetime
        self.channel_limit, self.channel_period = channel_limit, channel_period
        self.announce_limits = announce_limits    # X-RateLimit-* on accepted posts, as Discord does
        self.max_global_commands, self.max_guild_commands = max_global_commands, max_guild_commands
        self.privileged_intents = privileged_intents      # what the developer portal granted
        self.clock = clock
        self.calls: list[tuple[str, str, dict]] = []
        self.messages: list[dict] = []              # everything the bot posted, with where and who sees it
        self.modals: list[dict] = []                # modals the bot opened
        self.refusals: list[tuple[str, str, int, dict]] = []   # method, path, status, body
        self.interactions: dict[str, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self.ws: web.WebSocketResponse | None = None
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self.connections = self.identifies = self.resumes = 0
        self.session_id = "s1"
        self._seq = count(1)
        self._ids = count(10_000)
        self.runner: web.AppRunner | None = None
        self.base = ""
        self.commands: dict[str, dict] = {}          # the latest synced set, by name
        self.global_commands: dict[str, dict] = {}
        self.guild_commands: dict[int, dict[str, dict]] = {}
        self.refuse_channel = False                  # 403 Missing Access on every channel post
        self.forbidden_channels: set[int] = set()    # 403 Missing Access
        self.deleted_channels: set[int] = set()      # 404 Unknown Channel
        self.throttled: dict[int, int] = {}          # channel -> 429s answered
        self.dm_channels: dict[int, int] = {}        # DM channel id -> its user
        self._buckets: dict[int, ChannelBucket] = {}

    @classmethod
    def scaled(cls, factor: float, **overrides) -> "FakeDiscord":
        """Every window and timeout multiplied by `factor` (0.01: the 3 s window lasts 30 ms)."""
        real = dict(interaction_timeout=3.0, token_lifetime=15 * 60.0, channel_period=5.0)
        return cls(**({k: v * factor for k, v in real.items()} | overrides))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.runner, self.base = await serve_on_loopback(app)
        return self.base

    async def stop(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.runner:
            await self.runner.cleanup()

    # --- gateway ---------------------------------------------------------------------------
    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        self.connections += 1
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                await self._identify(ws, payload["d"])
            elif payload["op"] == 6:
                await self._resume(ws, payload["d"])
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> None:
        self.identifies += 1
        if data.get("token") != self.token and data.get("token") != f"Bot {self.token}":
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if int(data.get("intents", 0)) & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        await self.dispatch("READY", {
            "v": 10, "user": BOT_USER, "guilds": [], "session_id": self.session_id,
            "resume_gateway_url": f"{self.base.replace('http', 'ws')}/gateway",
            "application": {"id": str(APP_ID), "flags": 0}})
        self.ready.set()

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> None:
        self.resumes += 1
        if data.get("session_id") != self.session_id:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        await self.dispatch("RESUMED", {})
        self.resumed.set()

    async def dispatch(self, event: str, data: dict) -> None:
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    async def close_gateway(self, code: int, reason: str = "") -> None:
        """Close the bot's websocket as Discord would: 4000 may be resumed; 4004 (authentication
        failed), 4010-4013 and 4014 (disallowed intents) may not."""
        self.ready.clear()
        self.resumed.clear()
        await self.ws.close(code=code, message=reason.encode())

    # --- REST ------------------------------------------------------------------------------
    async def rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: dict | list = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            else:                                            # multipart: a payload_json part
                form = await request.post()
                body = json.loads(form.get("payload_json", "{}"))
        self.calls.append((request.method, path, body))
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            return await self._route(request, path, body)
        except DiscordError as error:
            self.refusals.append((request.method, path, error.status, error.body))
            return _json(error.body, status=error.status, headers=getattr(error, "headers", None))

    async def _route(self, request: web.Request, path: str, body) -> web.Response:
        parts = path.strip("/").split("/")
        method = request.method
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], parts[2], body)
        if parts[0] == "webhooks" and len(parts) >= 3 and parts[1] == str(APP_ID):
            return self._webhook(method, parts[2], parts[3:], body)
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise DiscordError(401, "401: Unauthorized", 0)
        if path == "/users/@me":
            return _json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return _json({"id": str(APP_ID), "name": "StudyBot", "icon": None, "description": "",
                          "bot_public": True, "bot_require_code_grant": False, "verify_key": "k",
                          "flags": 0, "owner": {"id": "1", "username": "o", "discriminator": "0", "avatar": None}})
        if parts[:2] == ["applications", str(APP_ID)] and parts[-1] == "commands":
            return self._commands(method, parts, body)
        if parts[0] == "channels" and len(parts) >= 3 and parts[2] == "messages":
            return self._channel(method, int(parts[1]), parts[3:], body)
        return _json({})

    # --- application commands --------------------------------------------------------------
    def _commands(self, method: str, parts: list[str], body) -> web.Response:
        guild = int(parts[3]) if len(parts) == 5 and parts[2] == "guilds" else None
        if guild is not None and guild not in self.guilds:
            raise DiscordError(403, "Missing Access", 50001)
        store = self.global_commands if guild is None else self.guild_commands.setdefault(guild, {})
        if method == "GET":
            return _json(list(store.values()))
        if method != "PUT":
            return _json({})
        check_commands(body, self.max_global_commands if guild is None else self.max_guild_commands)
        store.clear()
        for command in body:
            command = dict(command, id=str(next(self._ids)), application_id=str(APP_ID), version="1")
            if guild is not None:
                command["guild_id"] = str(guild)
            store[command["name"]] = command
        self.commands = dict(store)
        return _json(list(store.values()))

    # --- channel messages ------------------------------------------------------------------
    def _channel(self, method: str, channel_id: int, rest: list[str], body: dict) -> web.Response:
        if channel_id in self.deleted_channels:
            raise DiscordError(404, "Unknown Channel", 10003)
        if self.refuse_channel or channel_id in self.forbidden_channels:
            raise DiscordError(403, "Missing Access", 50001)
        if method == "POST" and not rest:
            headers = self._take_channel_bucket(channel_id)
            check_message(body)
            message = self._record(body, "channel", channel_id, visible_to=None)
            return _json(message, headers=headers)
        found = self._find(rest[0] if rest else "")
        if found is None or int(found["channel_id"]) != channel_id:
            raise unknown_message()
        return self._on_message(method, found, body)

    def _on_message(self, method: str, message: dict, body: dict) -> web.Response:
        """GET, PATCH (edit) or DELETE one message the bot posted."""
        if method == "PATCH":
            check_message(body, creating=False)
            return _json(self._edit(message, body))
        if method == "DELETE":
            message["deleted"] = True
            return web.Response(status=204)
        return _json(message)

    def _take_channel_bucket(self, channel_id: int) -> dict:
        bucket = self._buckets.setdefault(channel_id, ChannelBucket(self.channel_limit, self.channel_period))
        allowed, remaining, reset_after = bucket.take(self.clock())
        headers = {"X-RateLimit-Limit": str(self.channel_limit), "X-RateLimit-Remaining": str(remaining),
                   "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                   "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                   "X-RateLimit-Bucket": "fake-channel-messages"}
        if allowed:
            return headers if self.announce_limits else {}
        self.throttled[channel_id] = self.throttled.get(channel_id, 0) + 1
        body = {"message": "You are being rate limited.", "retry_after": round(reset_after, 3), "global": False}
        raise _RateLimited(body, headers | {"Retry-After": str(max(1, math.ceil(reset_after))),
                                            "X-RateLimit-Scope": "user", "Via": "1.1 google"})

    # --- interactions ----------------------------------------------------------------------
    def _callback(self, interaction_id: str, token: str, body: dict) -> web.Response:
        record = self.interactions.get(interaction_id)
        now = self.clock()
        if record is None or record.token != token:
            raise unknown_interaction()
        try:
            if record.response is not None:
                raise DiscordError(400, "Interaction has already been acknowledged.", 40060)
            if now - record.dispatched > self.interaction_timeout:
                raise unknown_interaction()
            kind = body.get("type")
            allowed = set(CALLBACKS_FOR.get(record.kind, set()))
            if record.kind == 5 and record.component_message is not None:
                allowed |= {6, 7}
            if kind not in allowed:
                raise invalid_form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID",
                                   f"Response type {kind} is not valid for interaction type {record.kind}")
            resource = self._respond(record, kind, body.get("data") or {})
        except DiscordError as error:
            record.refused.append((error.status, error.body["code"]))
            raise
        record.response, record.responded = kind, now
        answer = {"interaction": {"id": interaction_id, "type": record.kind,
                                  "response_message_loading": kind == 5,
                                  "response_message_ephemeral": record.deferred_ephemeral}}
        if resource is not None:
            answer["interaction"]["response_message_id"] = resource["id"]
            answer["resource"] = {"type": kind, "message": resource}
        else:
            answer["resource"] = {"type": kind}
        return _json(answer)

    def _respond(self, record: InteractionRecord, kind: int, data: dict) -> dict | None:
        """Apply one (valid, first) callback; the message it created or changed, if any."""
        if kind == 4:
            check_message(data)
            message = self._record(data, "response", record.channel_id,
                                   visible_to=record.user_id if data.get("flags", 0) & EPHEMERAL else None,
                                   interaction=record)
            record.original = message
            return message
        if kind == 5:
            record.thinking = True
            record.deferred_ephemeral = bool(data.get("flags", 0) & EPHEMERAL)
            return None
        if kind == 6:
            record.original = self._find((record.component_message or {}).get("id", ""))
            return None
        if kind == 7:
            check_message(data, creating=False)
            target = self._find((record.component_message or {}).get("id", ""))
            if target is None:              # a message the test made up: record the update itself
                target = self._record(dict(record.component_message or {}) | data, "update",
                                      record.channel_id, visible_to=None, interaction=record)
            else:
                self._edit(target, data)
            record.original = target
            return target
        if kind == 8:
            choices = data.get("choices") or []
            if len(choices) > 25:
                raise too_long(["data", "choices"], 25)
            for n, choice in enumerate(choices):
                _check_length(choice.get("name"), 1, 100, ["data", "choices", n, "name"])
            self.messages.append({"where": "autocomplete", "choices": choices, "interaction_id": record.id,
                                  "user_id": record.user_id})
            return None
        check_modal(data)                                   # kind 9
        self.modals.append({"interaction_id": record.id, "user_id": record.user_id, **data})
        return None

    def _webhook(self, method: str, token: str, rest: list[str], body: dict) -> web.Response:
        record = self._by_token.get(token)
        if record is None:
            raise unknown_webhook()
        if self.clock() - record.dispatched > self.token_lifetime:
            raise DiscordError(401, "Invalid Webhook Token", 50027)
        if record.response is None or record.response in (8, 9):
            raise unknown_webhook()                         # nothing to follow up yet (or ever)
        if method == "POST" and not rest:
            check_message(body)
            return _json(self._follow_up(record, body))
        if len(rest) != 2 or rest[0] != "messages":
            raise unknown_webhook()
        if rest[1] == "@original":
            if record.thinking:
                if method == "PATCH":
                    check_message(body, creating=False)
                    return _json(self._replace_thinking(record, body, "response"))
                if method == "DELETE":
                    record.thinking = False
                    return web.Response(status=204)
            target = record.original
        else:
            target = self._find(rest[1])
            if target is not None and target.get("interaction_id") != record.id:
                target = None
        if target is None or target.get("deleted"):
            raise unknown_message()
        return self._on_message(method, target, body)

    def _follow_up(self, record: InteractionRecord, body: dict) -> dict:
        if record.thinking:              # Discord shows it in place of the "thinking" message
            return self._replace_thinking(record, body, "followup")
        private = bool(body.get("flags", 0) & EPHEMERAL)
        return self._record(body, "followup", record.channel_id,
                            visible_to=record.user_id if private else None, interaction=record)

    def _replace_thinking(self, record: InteractionRecord, body: dict, where: str) -> dict:
        record.thinking = False
        message = self._record(body, where, record.channel_id,
                               visible_to=record.user_id if record.deferred_ephemeral else None,
                               interaction=record)
        message["replaces_deferral"] = True
        record.original = message
        return message

    # --- messages --------------------------------------------------------------------------
    def _message(self, data: dict, channel_id: int = CHANNEL) -> dict:
        return {"id": str(next(self._ids)), "channel_id": str(channel_id), "content": data.get("content") or "",
                "author": BOT_USER, "timestamp": "2026-11-23T01:00:00+00:00", "edited_timestamp": None,
                "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
                "embeds": data.get("embeds") or [], "pinned": False, "type": 0,
                "components": data.get("components") or []}

    def _record(self, data: dict, where: str, channel_id: int, visible_to: int | None,
                interaction: InteractionRecord | None = None) -> dict:
        message = self._message(data, channel_id)
        if visible_to is not None:
            message["flags"] = EPHEMERAL
        elif channel_id in self.dm_channels:          # a DM: only its user sees it
            visible_to = self.dm_channels[channel_id]
        self.messages.append({"where": where, "ephemeral": bool(message.get("flags")), "visible_to": visible_to,
                              "interaction_id": interaction.id if interaction else None, **message})
        return self.messages[-1]

    def _find(self, message_id: str) -> dict | None:
        return next((m for m in self.messages if m.get("id") == str(message_id)), None)

    def _edit(self, message: dict, data: dict) -> dict:
        for key in ("content", "embeds", "components"):
            if key in data:
                message[key] = data[key] if data[key] is not None else ([] if key != "content" else "")
        message["edits"] = message.get("edits", 0) + 1
        message["edited_timestamp"] = "2026-11-23T01:00:01+00:00"
        return message

    @staticmethod
    def visible_text(message: dict) -> str:
        """The message's text as a reader sees it: content and embeds, markdown rendered."""
        parts = [message.get("content") or ""]
        for embed in message.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(rendered(p) for p in parts if p)

    def channel_view(self, channel_id: int | None = None) -> list[str]:
        """What everyone in the channel sees, in order (deleted messages gone)."""
        return [self.visible_text(m) for m in self.messages
                if m["where"] != "autocomplete" and not m.get("deleted") and m.get("visible_to") is None
                and (channel_id is None or int(m["channel_id"]) == channel_id)]

    def private_view(self, user_id: int) -> list[str]:
        """What one user alone sees (ephemeral messages, and messages in their DM)."""
        return [self.visible_text(m) for m in self.messages
                if m.get("visible_to") == user_id and not m.get("deleted")]

    # --- what tests do ---------------------------------------------------------------------
    def _member(self, user_id: int, name: str, manage: bool) -> dict:
        return {"user": self._user(user_id, name), "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False, "mute": False, "flags": 0, "nick": None,
                "permissions": str(MANAGE_GUILD if manage else 0)}

    @staticmethod
    def _user(user_id: int, name: str) -> dict:
        return {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0", "avatar": None}

    @staticmethod
    def dm_channel(user_id: int) -> int:
        return 60_000 + user_id

    async def interact(self, kind: int, user_id: int, name: str, data: dict, manage: bool = False,
                       message: dict | None = None, dm: bool = False, channel_id: int = CHANNEL) -> str:
        """Dispatch an INTERACTION_CREATE as Discord sends it; returns the interaction id."""
        interaction_id, token = str(next(self._ids)), f"tok{next(self._ids)}"
        payload = {"id": interaction_id, "application_id": str(APP_ID), "type": kind, "token": token,
                   "version": 1, "attachment_size_limit": 8_000_000, "data": data, "locale": "vi",
                   "app_permissions": "2048", "entitlements": [], "authorizing_integration_owners": {}}
        if dm:
            channel_id = self.dm_channel(user_id)
            self.dm_channels[channel_id] = user_id
            payload |= {"channel_id": str(channel_id), "user": self._user(user_id, name), "context": 1,
                        "channel": {"id": str(channel_id), "type": 1, "last_message_id": None, "flags": 0,
                                    "recipients": [self._user(user_id, name)]}}
        else:
            payload |= {"guild_id": str(GUILD), "channel_id": str(channel_id), "guild_locale": "vi",
                        "member": self._member(user_id, name, manage), "context": 0,
                        "channel": {"id": str(channel_id), "type": 0, "guild_id": str(GUILD), "name": "lop",
                                    "position": 0, "permission_overwrites": [], "nsfw": False,
                                    "parent_id": None, "topic": None, "rate_limit_per_user": 0,
                                    "last_message_id": None, "flags": 0}}
        if message is not None:
            payload["message"] = message
        record = InteractionRecord(interaction_id, token, kind, user_id, channel_id, self.clock(),
                                   component_message=message)
        self.interactions[interaction_id] = record
        self._by_token[token] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    async def slash(self, user_id: int, name: str, command: str, manage: bool = False, dm: bool = False,
                    **options) -> str:
        data = {"id": self.commands[command]["id"], "name": command, "type": 1,
                "options": [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v}
                            for k, v in options.items()]}
        return await self.interact(2, user_id, name, data, manage, dm=dm)

    async def autocomplete(self, user_id: int, command: str, option: str, typed: str, dm: bool = False) -> str:
        data = {"id": self.commands[command]["id"], "name": command, "type": 1,
                "options": [{"name": option, "type": 3, "value": typed, "focused": True}]}
        return await self.interact(4, user_id, "u", data, dm=dm)

    async def click(self, user_id: int, name: str, message: dict, custom_id: str, dm: bool = False) -> str:
        return await self.interact(3, user_id, name, {"custom_id": custom_id, "component_type": 2},
                                   message=message, dm=dm)

    async def submit_modal(self, user_id: int, name: str, custom_id: str, values: dict[str, str],
                           message: dict | None = None, dm: bool = False) -> str:
        """A user fills in and submits a modal the bot opened (MODAL_SUBMIT). The fields come
        back in the shape the bot sent them (action rows or labels); an unknown field is a test
        error."""
        opened = next((m for m in reversed(self.modals) if m["custom_id"] == custom_id), None)
        rows = []
        if opened is None:
            rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                    for k, v in values.items()]
        else:
            inputs = {}
            for row in opened["components"]:
                text_input = row["components"][0] if row["type"] == 1 else row["component"]
                inputs[text_input["custom_id"]] = row["type"]
            unknown = set(values) - set(inputs)
            assert not unknown, f"modal {custom_id} has no field {unknown}"
            for field_id, row_type in inputs.items():
                submitted = {"type": 4, "custom_id": field_id, "value": values.get(field_id, "")}
                rows.append({"type": 1, "components": [submitted]} if row_type == 1
                            else {"type": 18, "component": submitted})
        return await self.interact(5, user_id, name, {"custom_id": custom_id, "components": rows},
                                   message=message, dm=dm)

    def ack_latencies(self) -> dict[str, float | None]:
        """Seconds from each interaction to its accepted first response (None: none in time)."""
        return {i: r.latency for i, r in self.interactions.items()}

    async def wait_for(self, predicate, timeout: float = 10.0):
        return await wait_for(self, predicate, timeout)


class _RateLimited(DiscordError):
    def __init__(self, body: dict, headers: dict):
        Exception.__init__(self, body["message"])
        self.status, self.body, self.headers = 429, body, headers
