"""Typed answers: which open question a typed message answers, and /answer.

In a group, plain text answers the chat's open typed quiz question (a daily question needs
/answer, so that chatter is never taken for an answer). A form submitted on a platform that has
forms names its question. In a private chat, text that answers nothing is looked up like
/define: the bot is a pocket dictionary there, and never silent.
"""

from __future__ import annotations

from typing import Callable

from bot import rounds
from bot.cards import define_button
from bot.define import define_reply
from bot.model.play import Asked
from bot.replies import Reply
from bot.review import session as review
from bot.store import quiz_store
from bot.turn import Args, Turn

MAX_TEXT = 10_000


async def answer_command(turn: Turn, args: Args) -> list[Reply]:
    return await answer_typed(turn, args["text"] or "", explicit=True)


async def answer_typed(turn: Turn, text: str, explicit: bool = False, answer_to: int | None = None,
                       lookup_gate: Callable[[], list[Reply] | None] | None = None) -> list[Reply]:
    """`lookup_gate`: asked before a private chat's text is looked up (flood control); what it
    returns, unless None, is said instead. An answer never passes through it."""
    text = text[:MAX_TEXT]
    asked = await _target(turn, explicit, answer_to)
    if asked is None and answer_to is None and not turn.chat.is_group:
        reviewed = await review.typed_answer(turn, text)
        if reviewed is not None:         # the review question shown in this private chat
            return reviewed
    if asked is None:
        if answer_to is not None:
            return [turn.aside(turn.tr("press.question_gone"))]
        if explicit:
            return [turn.aside(turn.tr("typed.none_open"))]
        if not turn.chat.is_group:
            gated = lookup_gate() if lookup_gate is not None else None
            return gated if gated is not None else _look_up(turn, text)
        return []
    if not text.strip():
        return [turn.aside(turn.tr("typed.empty"))]
    return await rounds.answer(turn, asked, None, text)


async def _target(turn: Turn, explicit: bool, answer_to: int | None) -> Asked | None:
    if answer_to is not None:
        asked = await quiz_store.asked_by_id(turn.core.db, answer_to)
        return asked if asked is not None and asked.presented.typed else None
    open_typed = [a for a in await quiz_store.open_asked_in_chat(turn.core.db, turn.chat_id)
                  if a.presented.typed and (explicit or a.daily_day is None)]
    open_typed.sort(key=lambda a: a.daily_day is not None)   # a quiz question first
    return open_typed[0] if open_typed else None


def _look_up(turn: Turn, text: str) -> list[Reply]:
    """A private chat's plain text that answers nothing: a lookup, or a one-line hint."""
    core = turn.core
    found = core.index.lookup(text)
    if found.how in ("empty", "none"):
        return [turn.say(turn.tr("typed.private_hint"),
                         buttons=tuple(define_button(c) for c in found.suggestions))]
    return [define_reply(turn.tr, core.course, core.index, text, core.rng)]
