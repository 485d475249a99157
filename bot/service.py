"""StudyBot: the one object the adapters call. Events in, replies out; due work pushed out.

`handle(event)` answers a command, a button press or a typed message. `run_due()` does what
the clock has made due (reveals, the next quiz question, daily posts) and pushes it through the
outbox; adapters call it on a timer, the console's machine mode after each clock move.
"""

from __future__ import annotations

import logging
import time

from bot import class_reports, daily, leaderboard
from bot.core import Core
from bot.define import define_by_id, define_reply
from bot.cards import concept_card
from bot.commands import canonical
from bot.events import Chat, Command, Event, Press, TypedText, User
from bot.help import help_reply, lang_reply, topics_reply
from bot.i18n import catalog
from bot.normalize import fold
from bot.quiz import game
from bot.replies import Reply
from bot.review import nudges, session as review
from bot.store import daily_store, people, quiz_store, review_store
from bot.text import plain, shorten

log = logging.getLogger(__name__)

MAX_ARGS = 10_000


class StudyBot:
    def __init__(self, core: Core):
        self.core = core
        self._handlers = {
            "quiz": game.start_quiz, "stop": game.stop_quiz,
            "top": leaderboard.top_reply, "me": leaderboard.me_reply,
            "daily": daily.daily_command,
            "stats": class_reports.stats_reply, "report": class_reports.report_command,
            "reports": class_reports.reports_reply,
            "review": review.review_command,
        }

    async def handle(self, event: Event) -> list[Reply]:
        """The replies to one event, and one structured log line about it."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            if isinstance(event, Command):
                return await self._command(event)
            if isinstance(event, Press):
                return await self._press(event)
            if isinstance(event, TypedText):
                return await self._typed(event)
            return []
        except Exception:  # one bad event must never take the bot down
            outcome = "error"
            log.exception("failed to handle %s", type(event).__name__)
            return [Reply(plain(catalog(self.core.settings.language)("error.generic")))]
        finally:
            fields = {
                "platform": event.chat.platform, "chat": event.chat.id, "user": event.user.id,
                "command": event.name if isinstance(event, Command) else
                           "press" if isinstance(event, Press) else "text",
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "outcome": outcome,
            }
            if log.isEnabledFor(logging.DEBUG):   # what students wrote, only when debugging
                fields["text"] = (event.args if isinstance(event, Command) else
                                  event.button_id if isinstance(event, Press) else event.text)[:200]
            log.info("event", extra={"fields": fields})

    async def _command(self, command: Command) -> list[Reply]:
        core = self.core
        name = canonical(command.name)
        command = Command(command.user, command.chat, name, command.args[:MAX_ARGS])
        tr = await core.tr(command.chat)
        if name == "help":
            return [help_reply(tr, core.settings)]
        if name == "define":
            return [define_reply(tr, core.course, core.index, command.args, core.rng)]
        if name == "topics":
            return [topics_reply(tr, core.course)]
        if name == "lang":
            return await self._lang(command, tr)
        if name == "answer":
            return await self._typed_answer(command.user, command.chat, command.args, explicit=True)
        handler = self._handlers.get(name)
        if handler is None:
            return [Reply(plain(tr("error.unknown_command", name=name[:32])))]
        return await handler(core, command)

    async def _lang(self, command: Command, tr) -> list[Reply]:
        core = self.core
        chat_id = await people.ensure_chat(core.db, command.chat, core.clock.now())
        current = await people.chat_language(core.db, chat_id) or core.settings.language
        reply, chosen = lang_reply(tr, current, command.chat.is_group, command.user.is_admin, command.args)
        if chosen is None:
            return [Reply(reply.text, to=command.user if command.args.strip() else None)]
        await people.set_chat_language(core.db, chat_id, chosen)
        return [reply]

    async def _press(self, press: Press) -> list[Reply]:
        kind, _, rest = press.button_id.partition(":")
        tr = await self.core.tr(press.chat)
        if kind == "d":
            return [define_by_id(tr, self.core.course, rest)]
        if kind == "r":
            return await class_reports.report_press(self.core, press, rest)
        if kind == "v":
            return await review.review_press(self.core, press, rest)
        if kind == "a":
            asked_id, _, option = rest.partition(":")
            if asked_id.isdigit() and option.isdigit():
                asked = await quiz_store.asked_by_id(self.core.db, int(asked_id))
                if asked is None:
                    return [Reply(plain(tr("press.question_gone")), to=press.user)]
                return await game.answer(self.core, press.user, press.chat, asked, int(option), None)
        return [Reply(plain(tr("press.stale")), to=press.user)]

    async def _typed(self, typed: TypedText) -> list[Reply]:
        return await self._typed_answer(typed.user, typed.chat, typed.text[:MAX_ARGS], explicit=False)

    async def _typed_answer(self, user: User, chat: Chat, text: str, explicit: bool) -> list[Reply]:
        """A typed message answers the chat's open typed quiz question; /answer also a daily one;
        in a private chat without one, the review question shown there."""
        core = self.core
        chat_id = await people.ensure_chat(core.db, chat, core.clock.now())
        open_typed = [a for a in await quiz_store.open_asked_in_chat(core.db, chat_id)
                      if a.presented.typed and (explicit or a.daily_day is None)]
        open_typed.sort(key=lambda a: a.daily_day is not None)   # a quiz question first
        if not open_typed:
            reviewed = await review.typed_answer(core, user, chat, text)
            if reviewed is not None:
                return reviewed
            if explicit:
                return [Reply(plain((await core.tr(chat_id))("typed.none_open")), to=user)]
            return []
        if not text.strip():
            return [Reply(plain((await core.tr(chat_id))("typed.empty")), to=user)]
        return await game.answer(core, user, chat, open_typed[0], None, text)

    async def remember_message(self, platform: str, key: str, chat: Chat, asked_id: int) -> None:
        """Map a platform message (a Telegram poll) to the question it carries."""
        core = self.core
        chat_id = await people.ensure_chat(core.db, chat, core.clock.now())
        await core.db.write(
            "INSERT OR REPLACE INTO platform_messages (platform, message_key, chat_id, asked_id) "
            "VALUES (?, ?, ?, ?)", (platform, key, chat_id, asked_id))

    async def answer_message(self, platform: str, key: str, user: User,
                             option: int) -> tuple[Chat | None, list[Reply]]:
        """An answer given on a platform message (a poll vote) that carries no chat: the chat
        it belongs to, and the core's replies."""
        row = await self.core.db.fetchone(
            "SELECT chat_id, asked_id FROM platform_messages WHERE platform = ? AND message_key = ?",
            (platform, key))
        if row is None:
            return None, []
        chat, _ = await people.chat_by_id(self.core.db, row[0])
        return chat, await self.handle(Press(user, chat, f"a:{row[1]}:{option}"))

    async def pause_daily(self, chat: Chat, reason: str) -> None:
        """The platform refuses to deliver to this chat: stop posting there until /daily on,
        and stop review nudges to it (a student who blocked the bot) until /review on."""
        core = self.core
        chat_id = await people.ensure_chat(core.db, chat, core.clock.now())
        await daily_store.pause_schedule(core.db, chat_id, reason[:200], core.clock.now())
        if await review_store.disable_nudges_to(core.db, chat_id, core.clock.now()):
            log.warning("review nudges to %s turned off: %s", chat.key, reason)
        log.warning("daily schedule of %s paused: %s", chat.key, reason)

    def complete_terms(self, prefix: str, limit: int = 25) -> list[str]:
        """Concept terms for an autocomplete box (diacritics and case ignored)."""
        return [c.term for c in self.core.index.complete(prefix[:MAX_ARGS], limit)]

    def complete_topics(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(topic id, title) whose id, title or alias contains what was typed."""
        key = fold(prefix[:MAX_ARGS])
        return [(t.id, t.title) for t in self.core.course.topics.values()
                if not key or any(key in fold(n) for n in (t.id, t.title, *t.aliases))][:limit]

    def inline_cards(self, query: str, limit: int = 10) -> list[tuple[str, str, str, Reply]]:
        """(concept id, term, short definition, card) for an inline-mode search box."""
        core = self.core
        tr = catalog(core.settings.language)
        return [(c.id, c.term, shorten(c.definition, 100), concept_card(tr, core.course, c))
                for c in core.index.complete(query[:MAX_ARGS], limit)]

    async def run_due(self) -> None:
        """Reveal what is due, move rounds on, post daily questions, nudge students to review;
        push it all out."""
        core = self.core
        for asked in await quiz_store.due_asked(core.db, core.clock.now() - core.grace):
            try:
                if asked.daily_day is not None:
                    replies = await daily.reveal_daily(core, asked)
                else:
                    replies = await game.reveal(core, asked, "quiz.time_up")
                if replies:
                    chat, _ = await people.chat_by_id(core.db, asked.chat_id)
                    await core.outbox.send(chat, replies)
            except Exception:
                log.exception("failed to reveal asked question %s", asked.id)
        try:
            await daily.post_due(core)
        except Exception:
            log.exception("failed to post daily questions")
        try:
            await nudges.send_due(core)
        except Exception:
            log.exception("failed to send review nudges")
