"""StudyBot: the one object the adapters call. Events in, replies out; due work pushed out.

`handle(event)` answers a command, a button press or a typed message: it builds the event's
Turn once, applies flood control, reads the arguments against the command table and runs the
handler. `run_due()` does what the clock has made due (reveals, the next quiz question, daily
posts) and posts it to the outbox. The outbox reports back what became of each reply
(`delivered`, `undelivered`, `chat_gone`, `chat_moved`): a question's time starts on delivery,
and what could not be delivered is never counted as if it had been.
"""

from __future__ import annotations

import logging
import time
from typing import Awaitable, Callable, Sequence

from bot import class_reports, commands, daily, rounds
from bot.cards import concept_card
from bot.core import Core
from bot.define import define_by_id
from bot.delivery.transport import Receipt
from bot.events import Chat, Command, Event, Press, TypedText, User, button_number
from bot.flood import NOTICE, OK, FloodGate
from bot.i18n import Catalog, catalog
from bot.normalize import fold
from bot.replies import Reply
from bot.review import nudges, session as review
from bot.store import daily_store, people, quiz_store, review_store
from bot.text import plain, shorten
from bot.turn import Turn
from bot.typed_answers import answer_typed

log = logging.getLogger(__name__)

MAX_ARGS = 10_000
class StudyBot:
    def __init__(self, core: Core):
        self.core = core
        self.flood = FloodGate(core.settings.flood_commands, core.settings.flood_seconds)
        self._buttons: dict[str, Callable[[Turn, str], Awaitable[list[Reply]]]] = {
            "d": self._define_press, "r": self._report_press, "a": self._answer_press,
            "v": review.review_press,
        }

    # --- events --------------------------------------------------------------------------------
    async def handle(self, event: Event) -> list[Reply]:
        """The replies to one event, and one structured log line about it."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            turn = await Turn.begin(self.core, event.chat, event.user)
            if isinstance(event, Command):
                return await self._command(turn, event)
            if isinstance(event, Press):
                return await self._press(turn, event)
            if isinstance(event, TypedText):
                return await self._typed(turn, event)
            return []
        except Exception:  # one bad event must never take the bot down
            outcome = "error"
            log.exception("failed to handle %s", type(event).__name__)
            privately = self.core.can(event.chat.platform).private_in_group or not event.chat.is_group
            return [Reply(plain(self.default_catalog()("error.generic")),
                          to=event.user if privately else None)]
        finally:
            self._log(event, outcome, started)

    def _log(self, event: Event, outcome: str, started: float) -> None:
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

    def _flooding(self, turn: Turn) -> list[Reply] | None:
        """None to go on; else what to say (one notice, then nothing) to a user who floods."""
        gate = self.flood.check(turn.user.key, turn.now)
        if gate == OK:
            return None
        if gate == NOTICE:
            seconds = self.flood.wait_left(turn.user.key, turn.now)
            return [turn.aside(turn.tr("flood.notice", seconds=seconds))]
        return []

    async def _command(self, turn: Turn, command: Command) -> list[Reply]:
        spec = commands.find(command.name)
        flooding = self._flooding(turn) if spec is None or spec.flood_gated else None   # unknown ones count
        if flooding is not None:
            return flooding
        if spec is None:
            return [turn.aside(turn.tr("error.unknown_command", name=command.name[:32]))]
        try:
            args = commands.parse_args(spec, command.args[:MAX_ARGS])
        except commands.ArgError as error:
            values = dict(error.values)
            if "what" in values:
                values["what"] = turn.tr(values["what"])
            return [turn.aside(turn.tr(error.key, **values))]
        return await spec.handler(turn, args)

    async def _press(self, turn: Turn, press: Press) -> list[Reply]:
        kind, _, rest = press.button_id.partition(":")
        handler = self._buttons.get(kind)
        if handler is None:
            return [turn.aside(turn.tr("press.stale"))]
        return await handler(turn, rest)

    async def _define_press(self, turn: Turn, concept_id: str) -> list[Reply]:
        return [define_by_id(turn.tr, self.core.course, concept_id)]

    async def _report_press(self, turn: Turn, question_id: str) -> list[Reply]:
        return await class_reports.report(turn, question_id, "")

    async def _answer_press(self, turn: Turn, rest: str) -> list[Reply]:
        asked_text, _, option_text = rest.partition(":")
        asked_id, option = button_number(asked_text), button_number(option_text)
        if asked_id is None or option is None:
            return [turn.aside(turn.tr("press.stale"))]
        asked = await quiz_store.asked_by_id(self.core.db, asked_id)
        if asked is not None and not asked.delivered:
            await self.core.outbox.settled()     # its delivery is being reported right now
            asked = await quiz_store.asked_by_id(self.core.db, asked_id)
        if asked is None:
            return [turn.aside(turn.tr("press.question_gone"))]
        return await rounds.answer(turn, asked, option, None)

    async def _typed(self, turn: Turn, typed: TypedText) -> list[Reply]:
        # a private chat's text that answers nothing is a lookup: flood-gated like /define
        return await answer_typed(turn, typed.text, answer_to=typed.answer_to,
                                  lookup_gate=lambda: self._flooding(turn))

    async def answer_message(self, platform: str, key: str, user: User,
                             option: int) -> tuple[Chat | None, list[Reply]]:
        """An answer given on a platform message (a poll vote) that carries no chat: the chat
        it belongs to, and the core's replies. A vote can reach us before its poll's delivery
        has been reported; it waits for that first."""
        found = await quiz_store.asked_by_message(self.core.db, platform, key)
        if found is None:
            await self.core.outbox.settled()
            found = await quiz_store.asked_by_message(self.core.db, platform, key)
        if found is None:
            log.warning("a vote on unknown %s message %s was dropped", platform, key)
            return None, []
        chat_id, asked_id = found
        chat, _ = await people.chat_by_id(self.core.db, chat_id)
        return chat, await self.handle(Press(user, chat, f"a:{asked_id}:{option}"))

    def default_catalog(self) -> Catalog:
        """The messages of the bot's default language, for when a chat's cannot be looked up."""
        return catalog(self.core.settings.language)

    async def catalog_of(self, chat: Chat) -> Catalog:
        """The messages of a chat's language, for what an adapter says itself."""
        return await self.core.tr(await people.ensure_chat(self.core.db, chat, self.core.clock.now()))

    async def has_met(self, chat: Chat) -> bool:
        """Whether anyone ever wrote to the bot in this chat (a platform that cannot write to a
        user first asks this of a private chat before using it)."""
        return await people.chat_exists(self.core.db, chat)

    # --- what the outbox reports ---------------------------------------------------------------
    async def delivered(self, chat: Chat, replies: Sequence[Reply], receipt: Receipt) -> None:
        """A question's time starts now; a poll's id is stored before anything else is sent."""
        now = self.core.clock.now()
        for reply in replies:
            if reply.question is not None:
                await quiz_store.mark_delivered(self.core.db, reply.question.asked_id, now,
                                                receipt.native, receipt.key, chat.platform)

    async def undelivered(self, chat: Chat, replies: Sequence[Reply], reason: str) -> list[Reply]:
        """The platform refused these replies: what to say instead. A refused quiz question
        ends its round with one message and is never revealed; a refused daily post pauses the
        schedule without using up the day."""
        core = self.core
        chat_id = await people.ensure_chat(core.db, chat, core.clock.now())
        tr = await core.tr(chat_id)
        instead: list[Reply] = []
        for reply in replies:
            if reply.question is not None:
                instead += await self._question_failed(chat_id, reply.question.asked_id, "undeliverable")
        return instead or [Reply(plain(tr("error.not_sent")), fallback=True)]

    async def _question_failed(self, chat_id: int, asked_id: int, code: str) -> list[Reply]:
        core = self.core
        asked = await quiz_store.asked_by_id(core.db, asked_id)
        if asked is None:
            return []
        if not await quiz_store.discard_undelivered(core.db, asked_id):
            await quiz_store.close_asked(core.db, asked_id, core.clock.now())
        tr = await core.tr(chat_id)
        if asked.daily_day is not None:
            await daily_store.pause_schedule(core.db, chat_id, code, core.clock.now())
            return [Reply(plain(tr("daily.not_sent")), game=True, fallback=True)]
        round_ = await quiz_store.round_by_id(core.db, asked.round_id) if asked.round_id else None
        if round_ is None or round_.state != "running":
            return []
        ended = await rounds.end_round_now(core, round_)
        return [Reply(plain(tr("quiz.not_sent")), game=True, fallback=True),
                *(Reply(r.text, r.buttons, game=True, fallback=True) for r in ended)]

    async def chat_gone(self, chat: Chat, code: str) -> None:
        """The bot was removed or blocked, or the chat was deleted: pause its daily schedule
        (the day is not used up), end its round, and leave its questions unrevealed."""
        core = self.core
        now = core.clock.now()
        chat_id = await people.ensure_chat(core.db, chat, now)
        for asked in await quiz_store.open_asked_in_chat(core.db, chat_id):
            if not await quiz_store.discard_undelivered(core.db, asked.id):
                await quiz_store.close_asked(core.db, asked.id, now)
        round_ = await quiz_store.running_round(core.db, chat_id)
        if round_ is not None:
            await quiz_store.end_round(core.db, round_.id, "stopped", now)
        await review_store.disable_nudges_to(core.db, chat_id, now)
        await daily_store.pause_schedule(core.db, chat_id, code, now)
        log.warning("%s is gone (%s): daily schedule and review nudges paused, round ended", chat.key, code)

    async def chat_moved(self, old: Chat, new: Chat) -> None:
        """The chat lives on under a new id: everything of the class moves with it."""
        await people.move_chat(self.core.db, old, new, self.core.clock.now())
        log.info("%s moved to %s with its scores, streaks, settings and schedule", old.key, new.key)

    # --- the clock -----------------------------------------------------------------------------
    async def run_due(self) -> None:
        """Reveal what is due, move rounds on, post daily questions; post it all. One failing
        part is logged and the rest still runs."""
        core = self.core
        for asked in await quiz_store.due_asked(core.db, core.clock.now() - core.grace):
            try:
                if asked.daily_day is not None:
                    replies = await daily.reveal_daily(core, asked)
                else:
                    replies = await rounds.reveal(core, asked, "quiz.time_up")
                if replies:
                    chat, _ = await people.chat_by_id(core.db, asked.chat_id)
                    await core.outbox.post(chat, replies)
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

    async def recover(self) -> None:
        """At start-up: questions queued before the last stop and never confirmed delivered are
        asked again (a round's; its round ends if it was queued more than resume_minutes ago)
        or left for the daily schedule to post again (a day's)."""
        core = self.core
        for asked in await quiz_store.undelivered_asked(core.db):
            if not await quiz_store.discard_undelivered(core.db, asked.id):
                await quiz_store.mark_delivered(core.db, asked.id, asked.asked_at, False, None, "")
                continue
            if asked.round_id is None:
                continue
            round_ = await quiz_store.round_by_id(core.db, asked.round_id)
            if round_.state == "running":
                if rounds.away_too_long(core, asked.asked_at):
                    replies = await rounds.end_after_restart(core, round_)
                else:
                    replies = await rounds.ask_next(core, round_, asked.position)
                chat, _ = await people.chat_by_id(core.db, asked.chat_id)
                await core.outbox.post(chat, replies)

    # --- what adapters offer around the chat ---------------------------------------------------
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
        tr = self.default_catalog()
        return [(c.id, c.term, shorten(c.definition, 100), concept_card(tr, core.course, c))
                for c in core.index.complete(query[:MAX_ARGS], limit)]
