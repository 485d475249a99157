"""The Telegram adapter: python-telegram-bot 22 <-> the platform-neutral core.

It only translates. Updates become core events (commands with or without @botname, button
presses, poll votes, typed messages, inline queries, the bot's membership, a group's upgrade to
a supergroup); the core's replies go to the outbox, which sends them through `render`/`send`
within Telegram's limits: HTML messages with inline keyboards, or native quiz polls.

Receiving never waits for sending: updates of different chats are handled at the same time,
those of one chat in order (PerChatUpdates), and every handler hands its replies to the outbox
and returns. A button press is answered (answerCallbackQuery) within `ack_within` seconds.

Telegram has no replies visible to one member of a group. A reply for one person goes to their
private chat with the bot if they ever opened it; otherwise a verdict on an answer becomes a 👀
reaction on their message (the verdict comes with the reveal), and anything else a short public
pointer to the private chat, which holds nothing of the private reply.

Run with TELEGRAM_BOT_TOKEN set: `studybot run`. TELEGRAM_BASE_URL points at a self-hosted Bot
API server (the tests use it for a fake one on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import html
import logging
import time
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlparse

from telegram import (
    BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeDefault, InlineKeyboardButton,
    InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, ReactionTypeEmoji, Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode, PollLimit
from telegram.error import (
    BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError,
)
from telegram.ext import (
    Application, ApplicationBuilder, BaseUpdateProcessor, CallbackQueryHandler, ChatMemberHandler,
    ContextTypes, InlineQueryHandler, MessageHandler, PollAnswerHandler, filters,
)

from adapters.contract import Fatal
from bot.commands import COMMANDS, needs_admin_check
from bot.delivery.transport import (
    ChatGone, ChatMoved, Limits, Receipt, RetryLater, TemporaryFailure, Undeliverable,
)
from bot.events import Chat, Command, Press, TypedText, User, parse_command
from bot.i18n import LANGUAGES, catalog
from bot.platform import Capabilities
from bot.replies import Button, QuestionCard, Reply
from bot.text import Rich, plain

log = logging.getLogger(__name__)

PLATFORM = "telegram"
MESSAGE_LIMIT = 4096
TOAST_LIMIT = 200
ADMINS_KEPT = 1024         # remembered getChatMember answers before the expired ones are dropped
POLL_OPEN_MIN, POLL_OPEN_MAX = 5, 30 * 24 * 3600
TAGS = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "code": ("<code>", "</code>"), "": ("", "")}
POLLING_TASK = "Updater:start_polling:polling_task"   # python-telegram-bot 22's name for it
RECEIVED = "👀"            # a typed answer arrived (its verdict comes at the reveal)
CAPABILITIES = Capabilities(reads_chat=True, answer_form=False, private_in_group=False)
# Telegram's published limits: 20 messages a minute in a group, about 1 a second in a private
# chat, about 30 a second overall (bot FAQ).
LIMITS = Limits(group=(20, 60.0), private=(1, 1.0), overall=(30, 1.0))


def split_html(text: Rich, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages of at most `limit` visible characters, each with whole tags, every span escaped
    (no user or content text becomes markup). A new message starts at a line boundary; only a
    single line longer than `limit` is cut inside."""
    lines: list[list[tuple[str, str]]] = [[]]
    for span in text.spans:
        for piece in span.text.splitlines(keepends=True):
            lines[-1].append((span.style, piece))
            if piece.endswith("\n"):
                lines.append([])
    parts: list[str] = []
    current, size = "", 0
    for line in lines:
        if size and size + sum(len(piece) for _, piece in line) > limit:
            parts.append(current)
            current, size = "", 0
        for style, piece in line:
            opening, closing = TAGS[style]
            while piece:
                if size == limit:
                    parts.append(current)
                    current, size = "", 0
                chunk, piece = piece[:limit - size], piece[limit - size:]
                current += opening + html.escape(chunk, quote=False) + closing
                size += len(chunk)
    if current:
        parts.append(current)
    return parts or [""]


def poll_overflows(card: QuestionCard) -> list[str]:
    """Why Telegram would refuse this question as a quiz poll (telegram.constants.PollLimit);
    empty if it accepts it. One that does not fit goes out as a message with buttons."""
    if not card.options:
        return ["typed answer"]
    reasons = []
    if not 2 <= len(card.options) <= PollLimit.MAX_OPTION_NUMBER:
        reasons.append(f"{len(card.options)} options, not 2 to {PollLimit.MAX_OPTION_NUMBER}")
    if not 1 <= len(card.prompt) <= PollLimit.MAX_QUESTION_LENGTH:
        reasons.append(f"prompt {len(card.prompt)} > {PollLimit.MAX_QUESTION_LENGTH}")
    longest = max(len(o) for o in card.options)
    if longest > PollLimit.MAX_OPTION_LENGTH:
        reasons.append(f"option {longest} > {PollLimit.MAX_OPTION_LENGTH}")
    if not all(card.options):
        reasons.append("an empty option")
    if len(card.explanation) > PollLimit.MAX_EXPLANATION_LENGTH:
        reasons.append(f"explanation {len(card.explanation)} > {PollLimit.MAX_EXPLANATION_LENGTH}")
    if card.explanation.count("\n") > PollLimit.MAX_EXPLANATION_LINE_FEEDS:
        reasons.append(f"explanation has more than {PollLimit.MAX_EXPLANATION_LINE_FEEDS} line feeds")
    return reasons


def fits_quiz_poll(card: QuestionCard) -> bool:
    return not poll_overflows(card)


def keyboard(replies: Sequence[Reply]) -> InlineKeyboardMarkup | None:
    """Each reply's buttons as rows of their own: short labels (A B C D) four to a row."""
    rows = []
    for reply in replies:
        short = all(len(b.label) <= 6 for b in reply.buttons)
        per_row = 4 if short else 1
        for n in range(0, len(reply.buttons), per_row):
            rows.append([InlineKeyboardButton(b.label, url=b.url) if b.url else
                         InlineKeyboardButton(b.label, callback_data=b.id)
                         for b in reply.buttons[n:n + per_row]])
    return InlineKeyboardMarkup(rows) if rows else None


@dataclass(frozen=True)
class TextMessage:
    html: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class PollMessage:
    card: QuestionCard


def to_user(tg_user, is_admin: bool = False) -> User:
    name = " ".join(p for p in (tg_user.first_name, tg_user.last_name) if p) or tg_user.username or ""
    return User(PLATFORM, str(tg_user.id), name, is_admin)


def to_chat(tg_chat) -> Chat:
    return Chat(PLATFORM, str(tg_chat.id), tg_chat.type != ChatType.PRIVATE)


class PerChatUpdates(BaseUpdateProcessor):
    """Updates of different chats at the same time, those of one chat in order. Button presses
    are ordered per chat and user, poll votes per user (they carry no chat), so that a class
    pressing at once is acknowledged at once.

    PTB holds one of `max_concurrent_updates` slots while an update waits for its chat's turn,
    so the cap is high: a flooded chat must not use up the slots other chats need."""

    def __init__(self, max_concurrent_updates: int = 4096):
        super().__init__(max_concurrent_updates)
        self._turns: dict[tuple, tuple[asyncio.Lock, int]] = {}    # key -> (lock, updates holding it)

    @staticmethod
    def key(update: object) -> tuple:
        if not isinstance(update, Update):
            return ("other",)
        if update.callback_query is not None:
            chat = update.effective_chat
            return ("press", chat.id if chat else None, update.callback_query.from_user.id)
        if update.poll_answer is not None or update.inline_query is not None:
            return ("user", update.effective_user.id if update.effective_user else None)
        chat = update.effective_chat
        return ("chat", chat.id) if chat is not None else ("other",)

    async def do_process_update(self, update: object, coroutine) -> None:
        key = self.key(update)
        lock, users = self._turns.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        self._turns[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._turns[key]
            if users == 1:
                del self._turns[key]           # nobody else waits for this chat
            else:
                self._turns[key] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class TelegramAdapter:
    platform = PLATFORM
    capabilities = CAPABILITIES
    shows_private_replies = False    # Telegram has no reply for one member of a group

    def __init__(self, token: str, base_url: str | None = None, polls: bool = True,
                 limits: Limits = LIMITS, ack_within: float = 0.5, connect_attempts: int = 5,
                 retry_delay: float = 1.0, webhook_url: str | None = None, port: int = 8443,
                 admin_for: float = 120.0):
        self.polls = polls     # questions that fit go out as native quiz polls in groups
        self.limits = limits
        self.ack_within = ack_within
        self.connect_attempts = connect_attempts
        self.retry_delay = retry_delay           # the first pause before trying again; it doubles
        self.webhook_url, self.port = webhook_url, port
        self.admin_for = admin_for               # seconds an answer of getChatMember is trusted
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}   # (chat, user): (when, admin)
        self.base_url = base_url or "https://api.telegram.org"
        builder = ApplicationBuilder().token(token).concurrent_updates(PerChatUpdates())
        if base_url:
            base = base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        self.app: Application = builder.build()
        self.bot = None
        self.outbox = None
        self._fatal: asyncio.Future | None = None
        self._polling: asyncio.Task | None = None
        self._stopping = False
        self._chores: set[asyncio.Task] = set()
        messages = filters.UpdateType.MESSAGE        # an edited message is never run again
        self.app.add_handler(MessageHandler(messages & filters.StatusUpdate.MIGRATE, self.on_migrate))
        self.app.add_handler(MessageHandler(messages & filters.COMMAND, self.on_command))
        self.app.add_handler(CallbackQueryHandler(self.on_press))
        self.app.add_handler(PollAnswerHandler(self.on_poll_answer))
        self.app.add_handler(MessageHandler(messages & filters.TEXT & ~filters.COMMAND, self.on_text))
        self.app.add_handler(InlineQueryHandler(self.on_inline))
        self.app.add_handler(ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        self.app.add_error_handler(self.on_error)

    # --- rendering and sending (the outbox's transport) ----------------------------------------
    def render(self, chat: Chat, replies: Sequence[Reply]) -> list[TextMessage | PollMessage]:
        """A lone question that fits goes out as a quiz poll in a group; everything else as
        HTML text, several replies sharing one message while it stays within 4096 characters."""
        out: list[TextMessage | PollMessage] = []
        texts: list[Reply] = []
        for reply in replies:
            card = reply.question
            if card is not None and self.polls and chat.is_group and fits_quiz_poll(card):
                out += self._text_messages(texts)
                texts = []
                out.append(PollMessage(card))
            else:
                texts.append(reply)
        return out + self._text_messages(texts)

    @staticmethod
    def _text_messages(replies: list[Reply]) -> list[TextMessage]:
        if not replies:
            return []
        text = Rich()
        for n, reply in enumerate(replies):
            text = text + ("\n\n" if n else "") + reply.text
        parts = split_html(text)
        markup = keyboard(replies)
        return [TextMessage(part, markup if n == len(parts) - 1 else None) for n, part in enumerate(parts)]

    async def send(self, chat: Chat, message: TextMessage | PollMessage) -> Receipt:
        try:
            if isinstance(message, PollMessage):
                card = message.card
                sent = await self.app.bot.send_poll(
                    chat_id=int(chat.id), question=card.prompt, options=list(card.options),
                    type="quiz", is_anonymous=False, correct_option_ids=[card.correct],
                    explanation=card.explanation or None,
                    open_period=max(POLL_OPEN_MIN, min(card.open_seconds, POLL_OPEN_MAX)))
                return Receipt(key=sent.poll.id, native=True)
            await self.app.bot.send_message(chat_id=int(chat.id), text=message.html, parse_mode=ParseMode.HTML,
                                            reply_markup=message.markup, disable_web_page_preview=True)
            return Receipt()
        except RetryAfter as wait:
            seconds = wait.retry_after
            raise RetryLater(seconds.total_seconds() if hasattr(seconds, "total_seconds") else seconds) from None
        except ChatMigrated as moved:
            raise ChatMoved(str(moved.new_chat_id)) from None
        except Forbidden as refused:
            raise ChatGone("removed", refused.message) from None
        except BadRequest as bad:
            if "chat not found" in bad.message.lower():
                raise ChatGone("deleted", bad.message) from None
            raise Undeliverable(bad.message) from None
        except InvalidToken as invalid:
            self._fail(Fatal(f"TELEGRAM_BOT_TOKEN stopped working ({invalid.message}): put a valid token "
                             "from @BotFather in TELEGRAM_BOT_TOKEN and start again"))
            raise Undeliverable(invalid.message) from None
        except NetworkError as trouble:             # includes timeouts
            raise TemporaryFailure(str(trouble)) from None
        except TelegramError as error:
            raise Undeliverable(error.message) from None

    # --- receiving -----------------------------------------------------------------------------
    async def _is_admin(self, update: Update) -> bool:
        """Asked of Telegram at most once per `admin_for` seconds for a member of a chat, so a
        member repeating a teacher's command does not cost one getChatMember call each time."""
        message, chat = update.effective_message, update.effective_chat
        if chat.type == ChatType.PRIVATE:
            return True
        if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
            return True        # an anonymous admin posts as the chat itself
        key, now = (chat.id, update.effective_user.id), time.monotonic()
        known = self._admins.get(key)
        if known is not None and now - known[0] < self.admin_for:
            return known[1]
        try:
            member = await self.app.bot.get_chat_member(*key)
        except TelegramError as error:
            log.warning("could not ask Telegram who administers %s: %s", chat.id, error)
            return False
        if len(self._admins) >= ADMINS_KEPT:
            self._admins = {k: v for k, v in self._admins.items() if now - v[0] < self.admin_for}
        self._admins[key] = (now, member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR))
        return self._admins[key][1]

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        parsed = parse_command(message.text or "")
        if parsed is None or update.effective_user is None:
            return
        name, addressee, args = parsed
        if addressee and addressee.lower() != (self.app.bot.username or "").lower():
            return             # /cmd@other_bot is not for us
        is_admin = await self._is_admin(update) if needs_admin_check(name, args) else False
        chat = to_chat(update.effective_chat)
        replies = await self.bot.handle(Command(to_user(update.effective_user, is_admin), chat, name, args))
        await self._route(chat, replies, message)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if update.effective_user is None or not message.text:
            return
        chat = to_chat(update.effective_chat)
        replies = await self.bot.handle(TypedText(to_user(update.effective_user), chat, message.text))
        await self._route(chat, replies, message)

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledged within `ack_within` seconds, with the private reply as a toast when the
        core has it by then; otherwise it follows in the private chat, if there is one."""
        query = update.callback_query
        chat = to_chat(query.message.chat) if query.message else Chat(PLATFORM, str(query.from_user.id), False)
        work = asyncio.ensure_future(self.bot.handle(Press(to_user(query.from_user), chat, query.data or "")))
        await asyncio.wait({work}, timeout=self.ack_within)
        if work.done():
            replies = work.result()
            private = [r for r in replies if r.to is not None]
            await self._acknowledge(query, " ".join(r.text.plain() for r in private))
            await self.outbox.post(chat, [r for r in replies if r.to is None])
            return
        await self._acknowledge(query, "")
        replies = await work
        await self._route(chat, replies, None)

    async def _acknowledge(self, query, toast: str) -> None:
        try:
            await query.answer(text=toast[:TOAST_LIMIT] or None)
        except TelegramError as error:
            log.warning("could not answer a button press in time: %s", error)

    async def on_poll_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        answer = update.poll_answer
        if not answer.option_ids or answer.user is None:
            return             # a retracted vote
        chat, replies = await self.bot.answer_message(PLATFORM, answer.poll_id, to_user(answer.user),
                                                      answer.option_ids[0])
        if chat is not None:   # the poll itself shows the voter's result: only public replies
            await self.outbox.post(chat, [r for r in replies if r.to is None])

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: the class's history moves to the new id."""
        message = update.effective_message
        if message.migrate_to_chat_id:
            old, new = message.chat.id, message.migrate_to_chat_id
        else:
            old, new = message.migrate_from_chat_id, message.chat.id
        await self.bot.chat_moved(Chat(PLATFORM, str(old), True), Chat(PLATFORM, str(new), True))

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = update.my_chat_member
        status = member.new_chat_member.status
        chat = to_chat(member.chat)
        if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            await self.bot.chat_gone(chat, "removed")
        else:
            log.info("the bot is %s in %s", status, chat.key)

    async def on_inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        results = [
            InlineQueryResultArticle(
                id=concept_id, title=term, description=summary,
                input_message_content=InputTextMessageContent(split_html(card.text)[0],
                                                              parse_mode=ParseMode.HTML))
            for concept_id, term, summary, card in self.bot.inline_cards(query.query)]
        await query.answer(results, cache_time=60)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %s", context.error, exc_info=context.error)

    # --- where a reply for one person goes -----------------------------------------------------
    async def _route(self, chat: Chat, replies: list[Reply], message) -> None:
        await self.outbox.post(chat, [r for r in replies if r.to is None or not chat.is_group])
        for reply in replies:
            if reply.to is not None and chat.is_group:
                await self._privately(chat, reply, message)

    async def _privately(self, chat: Chat, reply: Reply, message) -> None:
        private = Chat(PLATFORM, reply.to.id, False)   # a private chat's id is its user's
        if await self.bot.has_met(private):            # a bot cannot write to a user first
            await self.outbox.post(private, [dataclasses.replace(reply, to=None)])
        elif message is None:      # a slow button press: nothing in the group to react to
            log.info("a private reply to %s had no private chat to go to", reply.to.key)
        elif reply.verdict:
            self._chore(self._react(message, RECEIVED))
        else:
            await self.outbox.post(chat, [await self._pointer(chat, reply.to)])

    async def _pointer(self, chat: Chat, user: User) -> Reply:
        tr = await self.bot.catalog_of(chat)
        link = f"https://t.me/{self.app.bot.username}?start=hi"
        return Reply(plain(tr("private.pointer", name=user.name)), (Button("", tr("private.open"), link),))

    async def _react(self, message, emoji: str) -> None:
        try:
            await self.app.bot.set_message_reaction(message.chat.id, message.message_id,
                                                    [ReactionTypeEmoji(emoji)])
        except TelegramError as error:
            log.info("could not mark message %s in %s: %s", message.message_id, message.chat.id, error)

    def _chore(self, coroutine) -> None:
        """A small call nobody waits for (a reaction), still watched: its failure is logged."""
        task = asyncio.create_task(coroutine)
        self._chores.add(task)
        task.add_done_callback(self._chore_done)

    def _chore_done(self, task: asyncio.Task) -> None:
        self._chores.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a Telegram call failed", exc_info=task.exception())

    # --- life ----------------------------------------------------------------------------------
    async def start(self, bot, outbox) -> None:
        self.bot, self.outbox = bot, outbox
        self._fatal = asyncio.get_running_loop().create_future()
        await self._connect()
        await self._register_menus()
        await self.app.start()
        if self.webhook_url:
            # Telegram sends this header with every update; others cannot post fake updates.
            secret = hashlib.sha256(self.app.bot.token.encode()).hexdigest()[:48]
            await self.app.updater.start_webhook(
                listen="0.0.0.0", port=self.port, url_path=urlparse(self.webhook_url).path.lstrip("/"),
                webhook_url=self.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            await self.app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0,
                                                 error_callback=self._polling_error)
            # PTB keeps its polling task to itself; it is found by the name PTB gives it, and a
            # test fails if a PTB release renames it (an unwatched poller would hide a revoked token).
            self._polling = next((t for t in asyncio.all_tasks() if t.get_name() == POLLING_TASK), None)

    async def _connect(self) -> None:
        """Log in (getMe), retrying an unreachable server with a line per attempt."""
        delay = self.retry_delay
        for attempt in range(1, self.connect_attempts + 1):
            try:
                await self.app.initialize()
                return
            except (InvalidToken, NetworkError) as error:
                await self.app.bot.shutdown()        # a failed start leaves its connections open
                if isinstance(error, InvalidToken):
                    raise Fatal("TELEGRAM_BOT_TOKEN was refused by Telegram: copy the token from "
                                "@BotFather again into TELEGRAM_BOT_TOKEN") from None
                if attempt == self.connect_attempts:
                    raise Fatal(f"cannot reach Telegram at {self.base_url} ({error}) after {attempt} "
                                "attempts: check the network, or TELEGRAM_BASE_URL") from None
                log.warning("cannot reach Telegram at %s (%s); attempt %d of %d, next in %.0f s",
                            self.base_url, error, attempt, self.connect_attempts, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)

    async def _register_menus(self) -> None:
        """The / menu from the command table, in both languages; admins also see theirs."""
        for language in LANGUAGES:
            tr = catalog(language)
            code = None if language == "vi" else language
            everyone = [BotCommand(s.name, tr(f"cmd.{s.name}")[:256]) for s in COMMANDS if not s.admins_only]
            admins = [BotCommand(s.name, tr(f"cmd.{s.name}")[:256]) for s in COMMANDS]
            try:
                await self.app.bot.set_my_commands(everyone, scope=BotCommandScopeDefault(), language_code=code)
                await self.app.bot.set_my_commands(admins, scope=BotCommandScopeAllChatAdministrators(),
                                                   language_code=code)
            except TelegramError as error:
                log.warning("could not set the command menu (%s): %s", language, error)

    def _polling_error(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            self._fail(Fatal("another process is receiving updates for this TELEGRAM_BOT_TOKEN: stop it "
                             "(one bot process per token) and start again"))
        else:
            log.warning("polling Telegram failed, retrying: %s", error)

    def _fail(self, fatal: Fatal) -> None:
        if self._fatal is not None and not self._fatal.done():
            self._fatal.set_exception(fatal)

    async def wait(self) -> None:
        """Until stopped; raises Fatal when Telegram cannot go on (the token stopped working)."""
        polling = self._polling
        waits = {self._fatal} | ({polling} if polling else set())
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if self._fatal.done():
            self._fatal.result()
        if polling is not None and polling.done() and not self._stopping:
            error = None if polling.cancelled() else polling.exception()
            if isinstance(error, InvalidToken):
                raise Fatal("TELEGRAM_BOT_TOKEN stopped working (Telegram refused it): put a valid token "
                            "from @BotFather in TELEGRAM_BOT_TOKEN and start again")
            raise error or RuntimeError("receiving Telegram updates stopped unexpectedly")

    def alive(self) -> bool:
        """Receiving: PTB leaves its updater "running" when its polling task dies, so the task
        itself is asked."""
        receiving = self.webhook_url is not None or (self._polling is not None and not self._polling.done())
        return self.app.running and receiving and not (self._fatal is not None and self._fatal.done())

    async def stop(self) -> None:
        """Stop receiving; sending still works (the outbox drains after this)."""
        self._stopping = True
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()

    async def close(self) -> None:
        for task in list(self._chores):
            task.cancel()
        await asyncio.gather(*self._chores, return_exceptions=True)
        if self.app.running or self.app.updater.running:
            await self.stop()
        await self.app.shutdown()
        if self._fatal is not None and not self._fatal.done():
            self._fatal.cancel()
