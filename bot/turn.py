"""One event's context, built once: the time, the chat and user (with their rows), the language.

Every command and button handler gets a Turn, so a handler holds only its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core import Core
from bot.events import Chat, User
from bot.i18n import Catalog
from bot.platform import Capabilities
from bot.replies import Reply
from bot.store import people
from bot.text import Rich, plain

Args = dict[str, Any]     # a command's arguments, read and checked against the command table


@dataclass(frozen=True)
class Turn:
    core: Core
    now: datetime
    chat: Chat
    chat_id: int
    user: User
    user_id: int
    tr: Catalog

    @classmethod
    async def begin(cls, core: Core, chat: Chat, user: User) -> "Turn":
        now = core.clock.now()
        chat_id = await people.ensure_chat(core.db, chat, now)
        user_id = await people.ensure_user(core.db, user, now)
        return cls(core, now, chat, chat_id, user, user_id, await core.tr(chat_id))

    @property
    def is_admin(self) -> bool:
        """Administers the chat (everyone does in their own private chat)."""
        return self.user.is_admin or not self.chat.is_group

    @property
    def can(self) -> Capabilities:
        return self.core.can(self.chat.platform)

    def say(self, text: Rich | str, **fields) -> Reply:
        """A reply for the whole chat."""
        return Reply(text if isinstance(text, Rich) else plain(text), **fields)

    def tell(self, text: Rich | str, **fields) -> Reply:
        """A reply for the user alone: never shown to the group."""
        return Reply(text if isinstance(text, Rich) else plain(text), to=self.user, **fields)

    def aside(self, text: Rich | str) -> Reply:
        """An error, a refusal or a notice for the user who caused it: for them alone where the
        platform can show it so, else to the chat (it holds nothing private)."""
        if self.can.private_in_group or not self.chat.is_group:
            return self.tell(text)
        return self.say(text)
