"""The one contract every adapter keeps with the composition root (studybot/app.py).

An adapter is a transport for the outbox (`render` replies into the platform's messages,
`send` one of them, bot.delivery.transport) plus a short life: `start` connects and begins
receiving, `wait` returns when the platform is done (the console's input ended) or raises when
it cannot go on, `alive` says whether its connection is sound (for the heartbeat), `stop` stops
receiving, `close` lets go of the connection. `capabilities` is
what the core may offer there (bot.platform.Capabilities).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence

from bot.delivery.transport import Limits, Receipt
from bot.events import Chat
from bot.platform import Capabilities
from bot.replies import Reply

if TYPE_CHECKING:
    from bot.delivery.outbox import Outbox
    from bot.service import StudyBot


class Fatal(Exception):
    """The platform cannot go on until the operator fixes something: one line that names the
    setting and what to do. The process stops with a non-zero exit."""


class Adapter(Protocol):
    platform: str
    capabilities: Capabilities
    limits: Limits
    shows_private_replies: bool

    def render(self, chat: Chat, replies: Sequence[Reply]) -> list[Any]: ...

    async def send(self, chat: Chat, message: Any) -> Receipt: ...

    async def start(self, bot: "StudyBot", outbox: "Outbox") -> None: ...

    async def wait(self) -> None: ...

    def alive(self) -> bool: ...

    async def stop(self) -> None: ...

    async def close(self) -> None: ...
