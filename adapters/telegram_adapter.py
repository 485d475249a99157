"""The Telegram adapter: python-telegram-bot 22 <-> the platform-neutral core.

It only translates. Updates become core events (commands with or without @botname, button
presses, poll votes, typed replies, inline queries); core replies become HTML messages with
inline keyboards, or native quiz polls when a question fits Telegram's poll limits. Everything
is sent through adapters.pacing (Telegram's published limits; "retry after" is waited out).

Run with TELEGRAM_BOT_TOKEN set: `studybot run`. TELEGRAM_BASE_URL points at a self-hosted Bot
API server (the tests use it for a fake one on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
from urllib.parse import urlparse

from telegram import (
    BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle,
    InputTextMessageContent, Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode, PollLimit
from telegram.error import Forbidden, RetryAfter as TelegramRetryAfter, TelegramError
from telegram.ext import (
    Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, InlineQueryHandler,
    MessageHandler, PollAnswerHandler, filters,
)

from adapters.pacing import PacedOutbox, RetryAfter
from bot.commands import needs_admin_check
from bot.events import Chat, Command, Press, TypedText, User, parse_command
from bot.help import command_descriptions
from bot.replies import QuestionCard, Reply
from bot.service import StudyBot
from bot.text import Rich

log = logging.getLogger(__name__)

PLATFORM = "telegram"
MESSAGE_LIMIT = 4096
TOAST_LIMIT = 200
POLL_OPEN_MIN, POLL_OPEN_MAX = 5, 30 * 24 * 3600
TAGS = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "code": ("<code>", "</code>"), "": ("", "")}
APOLOGY = "Xin lỗi, mình chưa gửi được câu trả lời này. Hãy thử lại sau."


def render_html(text: Rich) -> str:
    """Every span escaped, then wrapped in its tag: no user or content text becomes markup."""
    return "".join(TAGS[s.style][0] + html.escape(s.text, quote=False) + TAGS[s.style][1]
                   for s in text.spans)


def split_html(text: Rich, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages of at most `limit` visible characters, each with whole tags. A new message
    starts at a line boundary; only a single line longer than `limit` is cut inside."""
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


def fits_quiz_poll(card: QuestionCard) -> bool:
    """A question Telegram accepts as a quiz poll (telegram.constants.PollLimit); a typed
    question or a longer one goes out as a message instead."""
    return (len(card.options) >= 2 and len(card.options) <= PollLimit.MAX_OPTION_NUMBER
            and 1 <= len(card.prompt) <= PollLimit.MAX_QUESTION_LENGTH
            and all(1 <= len(o) <= PollLimit.MAX_OPTION_LENGTH for o in card.options)
            and len(card.explanation) <= PollLimit.MAX_EXPLANATION_LENGTH
            and card.explanation.count("\n") <= PollLimit.MAX_EXPLANATION_LINE_FEEDS)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    short = all(len(b.label) <= 6 for b in reply.buttons)
    per_row = 4 if short else 1
    rows = [[InlineKeyboardButton(b.label, callback_data=b.id) for b in reply.buttons[n:n + per_row]]
            for n in range(0, len(reply.buttons), per_row)]
    return InlineKeyboardMarkup(rows)


def to_user(tg_user, is_admin: bool = False) -> User:
    name = " ".join(p for p in (tg_user.first_name, tg_user.last_name) if p) or tg_user.username or ""
    return User(PLATFORM, str(tg_user.id), name, is_admin)


def to_chat(tg_chat) -> Chat:
    return Chat(PLATFORM, str(tg_chat.id), tg_chat.type != ChatType.PRIVATE)


class TelegramAdapter:
    """Owns the PTB Application; the core reaches Telegram only through `outbox`."""

    def __init__(self, token: str, base_url: str | None = None, polls: bool = True):
        self.polls = polls     # questions that fit go out as native quiz polls; else buttons
        builder = ApplicationBuilder().token(token)
        if base_url:
            base = base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        self.app: Application = builder.build()
        self.outbox = PacedOutbox(self._send_one)
        self.bot: StudyBot | None = None
        self.app.add_handler(MessageHandler(filters.COMMAND, self.on_command))
        self.app.add_handler(CallbackQueryHandler(self.on_press))
        self.app.add_handler(PollAnswerHandler(self.on_poll_answer))
        self.app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        self.app.add_handler(InlineQueryHandler(self.on_inline))
        self.app.add_error_handler(self.on_error)

    def attach(self, bot: StudyBot) -> None:
        self.bot = bot

    # --- sending ---------------------------------------------------------------------------
    async def _send_one(self, chat: Chat, reply: Reply) -> None:
        try:
            card = reply.question
            if card is not None and self.polls and fits_quiz_poll(card):
                message = await self.app.bot.send_poll(
                    chat_id=int(chat.id), question=card.prompt, options=list(card.options),
                    type="quiz", is_anonymous=False, correct_option_ids=[card.correct],
                    explanation=card.explanation or None,
                    open_period=max(POLL_OPEN_MIN, min(card.open_seconds, POLL_OPEN_MAX)))
                await self.bot.remember_message(PLATFORM, message.poll.id, chat, card.asked_id)
                return
            parts = split_html(reply.text)
            for n, part in enumerate(parts):
                last = n == len(parts) - 1
                await self.app.bot.send_message(
                    chat_id=int(chat.id), text=part, parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply) if last else None,
                    disable_web_page_preview=True)
        except TelegramRetryAfter as wait:
            raise RetryAfter(wait.retry_after.total_seconds()
                             if hasattr(wait.retry_after, "total_seconds") else wait.retry_after) from None
        except Forbidden as refused:
            await self.bot.pause_daily(chat, f"Telegram refused: {refused.message}")
        except TelegramError as error:
            log.error("telegram send to %s failed: %s", chat.key, error)
            await self._apologise(chat)

    async def _apologise(self, chat: Chat) -> None:
        """A plain short word to the chat when a reply could not be sent; its failure is only logged."""
        try:
            await self.app.bot.send_message(chat_id=int(chat.id), text=APOLOGY)
        except TelegramError as error:
            log.error("telegram apology to %s failed too: %s", chat.key, error)

    # --- receiving -------------------------------------------------------------------------
    async def _is_admin(self, update: Update) -> bool:
        message, chat = update.effective_message, update.effective_chat
        if chat.type == ChatType.PRIVATE:
            return True
        if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
            return True        # an anonymous admin posts as the chat itself
        member = await self.app.bot.get_chat_member(chat.id, update.effective_user.id)
        return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        parsed = parse_command(message.text or "")
        if parsed is None or update.effective_user is None:
            return
        name, addressee, args = parsed
        if addressee and addressee.lower() != (self.app.bot.username or "").lower():
            return             # /cmd@other_bot is not for us
        is_admin = await self._is_admin(update) if needs_admin_check(name, args) else False
        event = Command(to_user(update.effective_user, is_admin), to_chat(update.effective_chat), name, args)
        await self.outbox.send(event.chat, await self.bot.handle(event))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if update.effective_user is None or not message.text:
            return
        event = TypedText(to_user(update.effective_user), to_chat(update.effective_chat), message.text)
        await self.outbox.send(event.chat, await self.bot.handle(event))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = to_chat(query.message.chat) if query.message else Chat(PLATFORM, str(query.from_user.id), False)
        replies = await self.bot.handle(Press(to_user(query.from_user), chat, query.data or ""))
        private = [r for r in replies if r.to is not None]
        toast = " ".join(r.text.plain() for r in private)[:TOAST_LIMIT] or None
        await query.answer(text=toast)
        await self.outbox.send(chat, [r for r in replies if r.to is None])

    async def on_poll_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        answer = update.poll_answer
        if not answer.option_ids or answer.user is None:
            return             # a retracted vote
        chat, replies = await self.bot.answer_message(PLATFORM, answer.poll_id, to_user(answer.user),
                                                      answer.option_ids[0])
        public = [r for r in replies if r.to is None]   # the poll itself shows the voter's result
        if chat is not None and public:
            await self.outbox.send(chat, public)

    async def on_inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        results = [
            InlineQueryResultArticle(
                id=concept_id, title=term, description=summary,
                input_message_content=InputTextMessageContent(render_html(card.text)[:MESSAGE_LIMIT],
                                                              parse_mode=ParseMode.HTML))
            for concept_id, term, summary, card in self.bot.inline_cards(query.query)]
        await query.answer(results, cache_time=60)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %s", context.error, exc_info=context.error)

    # --- lifecycle -------------------------------------------------------------------------
    async def start(self, webhook_url: str | None = None, port: int = 8443) -> None:
        await self.app.initialize()
        await self.app.bot.set_my_commands(
            [BotCommand(name, description[:256]) for name, description in command_descriptions("vi")])
        await self.app.bot.set_my_commands(
            [BotCommand(name, description[:256]) for name, description in command_descriptions("en")],
            language_code="en")
        await self.app.start()
        if webhook_url:
            # Telegram sends this header with every update; others cannot post fake updates.
            secret = hashlib.sha256(self.app.bot.token.encode()).hexdigest()[:48]
            await self.app.updater.start_webhook(
                listen="0.0.0.0", port=port, url_path=urlparse(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            await self.app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)

    async def stop(self) -> None:
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()


async def serve_forever(adapter: TelegramAdapter, stop: asyncio.Event, webhook_url: str | None = None,
                        port: int = 8443) -> None:
    await adapter.start(webhook_url, port)
    try:
        await stop.wait()
    finally:
        await adapter.stop()
