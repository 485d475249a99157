"""A fake Discord REST API and gateway on 127.0.0.1 for end-to-end tests of real discord.py.

The gateway says HELLO, answers heartbeats, takes IDENTIFY and sends READY; tests then push
INTERACTION_CREATE events (slash commands, autocomplete, button clicks). REST records what the
bot sends and checks Discord's limits (2000-character content, 4096 embed descriptions, no
mention that could ping).
"""

from __future__ import annotations

import asyncio
import json
from itertools import count

from aiohttp import WSMsgType, web

from tests.loopback import serve_on_loopback, wait_for

APP_ID = 777
BOT_ID = 778
GUILD = 900
CHANNEL = 901
MANAGE_GUILD = 1 << 5
TOKEN = "fake.discord.token"


def _json(data, status: int = 200) -> web.Response:
    # discord.py wants Content-Type exactly application/json (no charset)
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json"})


class FakeDiscord:
    def __init__(self):
        self.calls: list[tuple[str, str, dict]] = []
        self.messages: list[dict] = []              # everything the bot posted, with where
        self.ws: web.WebSocketResponse | None = None
        self.ready = asyncio.Event()
        self._seq = count(1)
        self._ids = count(10_000)
        self.runner: web.AppRunner | None = None
        self.base = ""
        self.commands: dict[str, dict] = {}
        self.refuse_channel = False                  # 403 Missing Access on channel posts

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
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": {"id": str(BOT_ID), "username": "StudyBot", "discriminator": "0",
                                      "avatar": None, "bot": True},
                    "guilds": [], "session_id": "s1", "resume_gateway_url": f"{self.base.replace('http', 'ws')}/gateway",
                    "application": {"id": str(APP_ID), "flags": 0}})
                self.ready.set()
        return ws

    async def dispatch(self, event: str, data: dict) -> None:
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    # --- REST ------------------------------------------------------------------------------
    async def rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            else:                                            # multipart: a payload_json part
                form = await request.post()
                body = json.loads(form.get("payload_json", "{}"))
        self.calls.append((request.method, path, body))
        if path == "/users/@me":
            return _json({"id": str(BOT_ID), "username": "StudyBot", "discriminator": "0",
                          "avatar": None, "bot": True})
        if path == "/oauth2/applications/@me":
            return _json({"id": str(APP_ID), "name": "StudyBot", "icon": None, "description": "",
                          "bot_public": True, "bot_require_code_grant": False, "verify_key": "k",
                          "flags": 0, "owner": {"id": "1", "username": "o", "discriminator": "0", "avatar": None}})
        if path.startswith(f"/applications/{APP_ID}") and path.endswith("/commands") and request.method == "PUT":
            out = []
            for command in body:
                command = dict(command, id=str(next(self._ids)), application_id=str(APP_ID), version="1")
                self.commands[command["name"]] = command
                out.append(command)
            return _json(out)
        if path.startswith("/interactions/") and path.endswith("/callback"):
            return self._callback(path, body)
        if path.startswith(f"/webhooks/{APP_ID}/"):
            return self._post(body, where="followup", ephemeral=bool(body.get("flags", 0) & 64))
        if path.startswith("/channels/") and path.endswith("/messages") and request.method == "POST":
            if self.refuse_channel:
                return _json({"message": "Missing Access", "code": 50001}, status=403)
            return self._post(body, where="channel")
        return _json({})

    def _check(self, data: dict) -> None:
        content = data.get("content") or ""
        assert len(content) <= 2000, f"content of {len(content)} characters"
        for embed in data.get("embeds") or []:
            assert len(embed.get("description") or "") <= 4096
        mentions = data.get("allowed_mentions")
        assert mentions is not None and not mentions.get("parse"), f"could ping: {mentions}"

    def _message(self, data: dict) -> dict:
        return {"id": str(next(self._ids)), "channel_id": str(CHANNEL), "content": data.get("content") or "",
                "author": {"id": str(BOT_ID), "username": "StudyBot", "discriminator": "0", "avatar": None, "bot": True},
                "timestamp": "2026-11-23T01:00:00+00:00", "edited_timestamp": None, "tts": False,
                "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
                "embeds": data.get("embeds") or [], "pinned": False, "type": 0,
                "components": data.get("components") or []}

    def _post(self, data: dict, where: str, ephemeral: bool = False) -> web.Response:
        self._check(data)
        message = self._message(data)
        self.messages.append({"where": where, "ephemeral": ephemeral, **message})
        return _json(message)

    def _callback(self, path: str, body: dict) -> web.Response:
        interaction_id = path.split("/")[2]
        kind = body.get("type")
        data = body.get("data") or {}
        if kind == 8:                                      # autocomplete result
            self.messages.append({"where": "autocomplete", "choices": data.get("choices", [])})
        elif kind == 4:
            self._check(data)
            self.messages.append({"where": "response", "ephemeral": bool(data.get("flags", 0) & 64),
                                  **self._message(data)})
        return _json({"interaction": {"id": interaction_id, "type": 2}})

    # --- what tests do ---------------------------------------------------------------------
    def _member(self, user_id: int, name: str, manage: bool) -> dict:
        return {"user": {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0",
                         "avatar": None}, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False, "mute": False, "flags": 0, "nick": None,
                "permissions": str(MANAGE_GUILD if manage else 0)}

    async def interact(self, kind: int, user_id: int, name: str, data: dict, manage: bool = False,
                       message: dict | None = None) -> None:
        payload = {"id": str(next(self._ids)), "application_id": str(APP_ID), "type": kind,
                   "token": f"tok{next(self._ids)}", "version": 1, "attachment_size_limit": 8_000_000,
                   "guild_id": str(GUILD), "channel_id": str(CHANNEL),
                   "channel": {"id": str(CHANNEL), "type": 0, "guild_id": str(GUILD), "name": "lop",
                               "position": 0, "permission_overwrites": [], "nsfw": False,
                               "parent_id": None, "topic": None, "rate_limit_per_user": 0,
                               "last_message_id": None, "flags": 0},
                   "member": self._member(user_id, name, manage), "data": data, "locale": "vi",
                   "guild_locale": "vi", "app_permissions": "2048", "entitlements": [],
                   "authorizing_integration_owners": {}, "context": 0}
        if message is not None:
            payload["message"] = message
        await self.dispatch("INTERACTION_CREATE", payload)

    async def slash(self, user_id: int, name: str, command: str, manage: bool = False, **options) -> None:
        data = {"id": self.commands[command]["id"], "name": command, "type": 1,
                "options": [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v}
                            for k, v in options.items()]}
        await self.interact(2, user_id, name, data, manage)

    async def autocomplete(self, user_id: int, command: str, option: str, typed: str) -> None:
        data = {"id": self.commands[command]["id"], "name": command, "type": 1,
                "options": [{"name": option, "type": 3, "value": typed, "focused": True}]}
        await self.interact(4, user_id, "u", data)

    async def click(self, user_id: int, name: str, message: dict, custom_id: str) -> None:
        await self.interact(3, user_id, name, {"custom_id": custom_id, "component_type": 2}, message=message)

    async def wait_for(self, predicate, timeout: float = 10.0):
        return await wait_for(self, predicate, timeout)
