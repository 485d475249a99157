"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real PTB stack.

It checks what the real server checks and fails the call otherwise: HTML entities must parse,
text at most 4096 characters after parsing, callback data at most 64 bytes, quiz poll limits.
Tests push updates (messages, button presses, poll votes) and read the recorded calls.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from html.parser import HTMLParser
from itertools import count

from aiohttp import web

from tests.loopback import serve_on_loopback, wait_for

TOKEN = "123456:TEST-token-of-the-fake-telegram-server"   # shaped like a real one: start-up checks it
BOT = {"id": 123456, "is_bot": True, "first_name": "StudyBot", "username": "StudyBot",
       "can_join_groups": True, "can_read_all_group_messages": True, "supports_inline_queries": True}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
                "tg-spoiler", "blockquote"}
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


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


class FakeTelegram:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []
        self.new_update = asyncio.Event()
        self.admins: set[int] = set()
        self.fail_next: dict[str, int] = {}        # method -> retry_after seconds for one 429
        self.bad_request_next: set[str] = set()     # methods whose next call gets a 400
        self.refuse_chats: set[int] = set()         # 403 Forbidden
        self._ids = count(1)
        self._update_ids = count(1)
        self.polls: dict[str, dict] = {}
        self.delivered: list[tuple[str, dict]] = []   # calls that succeeded
        self.runner: web.AppRunner | None = None
        self.url = ""

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
        if request.match_info["token"] != TOKEN:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        data = dict(await request.post())
        params = {k: self._decode(v) for k, v in data.items()}
        if method != "getUpdates":
            self.calls.append((method, params))
        if method in self.fail_next:
            seconds = self.fail_next.pop(method)
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": f"Too Many Requests: retry after {seconds}",
                                      "parameters": {"retry_after": seconds}}, status=429)
        if method.startswith("send") and str(params.get("chat_id", "")).lstrip("-").isdigit() \
                and int(params["chat_id"]) in self.refuse_chats:
            return self._error(403, "Forbidden: bot was kicked from the group chat")
        if method in self.bad_request_next:
            self.bad_request_next.discard(method)
            return self._error(400, "Bad Request: chat not found")
        handler = getattr(self, "api_" + method, None)
        if handler is None:
            return self._ok(True)
        try:
            response = await handler(params)
            self.delivered.append((method, params))
            return response
        except ValueError as bad:
            return self._error(400, f"Bad Request: {bad}")

    @staticmethod
    def _decode(value):
        if isinstance(value, str) and value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    @staticmethod
    def _ok(result):
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, description: str):
        return web.json_response({"ok": False, "error_code": status, "description": description},
                                 status=status)

    # --- API methods -----------------------------------------------------------------------
    async def api_getMe(self, params):
        return self._ok(BOT)

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
        return self._ok(self.updates[:100])

    def _check_markup(self, params):
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise ValueError("BUTTON_DATA_INVALID")

    def _message(self, chat_id, **extra):
        chat = {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "supergroup"}
        if chat["type"] != "private":
            chat["title"] = "Lớp"
        else:
            chat["first_name"] = "User"
        return {"message_id": next(self._ids), "date": 1_790_000_000, "chat": chat, "from": BOT, **extra}

    async def api_sendMessage(self, params):
        text = params["text"]
        visible = parse_html(text) if params.get("parse_mode") == "HTML" else text
        if not 1 <= len(visible) <= 4096:
            raise ValueError("message is too long" if visible else "message text is empty")
        self._check_markup(params)
        return self._ok(self._message(params["chat_id"], text=visible))

    async def api_sendPoll(self, params):
        options = params["options"]
        texts = [o["text"] if isinstance(o, dict) else o for o in options]
        if not 1 <= len(params["question"]) <= 300:
            raise ValueError("POLL_QUESTION_INVALID")
        if not 2 <= len(texts) <= 12 or any(not 1 <= len(t) <= 100 for t in texts):
            raise ValueError("POLL_OPTION_INVALID")
        explanation = params.get("explanation") or ""
        if len(explanation) > 200 or explanation.count("\n") > 2:
            raise ValueError("POLL_EXPLANATION_INVALID")
        if params.get("is_anonymous") not in (False, "false", "False"):
            raise ValueError("the bot gets no answers from an anonymous poll")
        poll_id = str(5000 + next(self._ids))
        poll = {"id": poll_id, "question": params["question"], "total_voter_count": 0,
                "options": [{"text": t, "voter_count": 0, "persistent_id": str(n)} for n, t in enumerate(texts)],
                "is_closed": False, "is_anonymous": False, "type": "quiz",
                "allows_multiple_answers": False, "allows_revoting": False, "members_only": False,
                "correct_option_ids": params.get("correct_option_ids")}
        self.polls[poll_id] = poll
        return self._ok(self._message(params["chat_id"], poll=poll))

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
        return self._ok(member)

    async def api_answerInlineQuery(self, params):
        results = params.get("results") or []
        if len(results) > 50:
            raise ValueError("RESULTS_TOO_MUCH")
        for result in results:
            content = result["input_message_content"]
            parse_html(content["message_text"])
        return self._ok(True)

    async def api_answerCallbackQuery(self, params):
        if len(params.get("text") or "") > 200:
            raise ValueError("MESSAGE_TOO_LONG")
        return self._ok(True)

    # --- what tests do ---------------------------------------------------------------------
    def push(self, **update) -> None:
        update["update_id"] = next(self._update_ids)
        self.updates.append(update)
        self.new_update.set()

    def user(self, user_id: int, first_name: str) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name}

    def type(self, chat_id: int, user_id: int, first_name: str, text: str) -> None:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.push(message=self._message(chat_id, text=text, entities=entities) | {"from": self.user(user_id, first_name)})

    def press(self, chat_id: int, user_id: int, first_name: str, data: str) -> None:
        self.push(callback_query={"id": str(next(self._ids)), "from": self.user(user_id, first_name),
                                  "chat_instance": "ci", "data": data,
                                  "message": self._message(chat_id, text="?")})

    def vote(self, poll_id: str, user_id: int, first_name: str, option: int) -> None:
        self.push(poll_answer={"poll_id": poll_id, "user": self.user(user_id, first_name),
                               "option_ids": [option], "option_persistent_ids": [str(option)]})

    def inline(self, user_id: int, query: str) -> None:
        self.push(inline_query={"id": str(next(self._ids)), "from": self.user(user_id, "U"),
                                "query": query, "offset": ""})

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [p for m, p in self.calls if m == method]

    async def wait_for(self, predicate, timeout: float = 10.0):
        return await wait_for(self, predicate, timeout)
