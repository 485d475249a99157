"""The outbox: one queue per chat, sent within the platforms' limits, every outcome reported.

Posting only enqueues, so nobody who receives (a handler, the clock) ever waits for a platform.
Each chat with something to send has one worker task that sends its messages in order:

- Game messages (questions, reveals, standings, daily posts) go before lookups; a lookup that
  waited longer than `stale_after` seconds is dropped with a log line, a game message never.
- What waits together is merged while the platform can show it as one message: game messages
  always (a reveal and the next question), lookups once the chat has used half of its window
  (a burst of cards), so a busy chat spends fewer of its messages and a quiet one gets each
  reply on its own.
- Before each message the worker takes a slot in its chat's window and its platform's window
  (sliding windows, bot.delivery.window). "Retry after" and temporary failures pause only
  that chat; the message is sent again.
- A message waiting for a window gives way to anything more urgent queued in its chat behind
  it (a reveal overtakes waiting lookups). A background post (the daily question, sent to
  every subscribed chat at the same minute) lets everything else go first: other chats'
  messages at the platform's window, and its own chat's (a class playing at its daily time).
- While a chat plays (a game message went out within its window's length), lookups leave a
  quarter of the chat's window free for the game: a class looking things up cannot spend the
  budget that the next question needs.
- The core hears of every outcome: delivered (with the platform's receipt, before anything
  else is sent to that chat), undeliverable, chat gone, chat moved.

A worker that dies of an unexpected error sets `failed`, which the process supervisor watches.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from bot.delivery.transport import (
    ChatGone, ChatMoved, DeliveryListener, Receipt, RetryLater, TemporaryFailure,
    Transport, Undeliverable,
)
from bot.delivery.window import SlidingWindow, Unlimited
from bot.events import Chat
from bot.replies import Reply

log = logging.getLogger(__name__)

BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
MAX_MOVES = 3                # a chat that keeps moving is a platform's bug, not a reason to loop


class _Stale(Exception):
    """A lookup waited past its use before the platform would take it."""


class _GaveWay(Exception):
    """A message stepped back for a more urgent reply queued behind it in its chat."""


@dataclass
class _Item:
    reply: Reply
    queued_at: float
    seq: int
    alone: bool = False        # refused as part of a merged message: sent on its own now

    @property
    def kind(self) -> tuple[int, int]:
        """(0, 0) a game message, (0, 1) a lookup, (1, 0) a background post: lower goes first."""
        return (1 if self.reply.background else 0, 0 if self.reply.game else 1)

    @property
    def rank(self) -> tuple[int, int, int]:
        return (*self.kind, self.seq)


@dataclass
class _ChatQueue:
    chat: Chat
    window: SlidingWindow | Unlimited
    items: list[_Item] = field(default_factory=list)
    worker: asyncio.Task | None = None
    blocked_until: float = 0.0
    sending: list[_Item] = field(default_factory=list)     # taken from items, not yet reported
    flight: asyncio.Future | None = None   # a send to the platform is out and not yet reported
    arrived: asyncio.Event = field(default_factory=asyncio.Event)   # something was queued
    game_sent_at: float = float("-inf")

    def left(self) -> int:
        return len(self.items) + len(self.sending)


def _window(limit: tuple[int, float] | None, clock) -> SlidingWindow | Unlimited:
    return SlidingWindow(limit[0], limit[1], clock) if limit else Unlimited()


class Outbox:
    def __init__(self, listener: DeliveryListener | None = None, *, stale_after: float = 120.0,
                 clock: Callable[[], float] = time.monotonic, backoff: Sequence[float] = BACKOFF):
        self.listener = listener
        self.stale_after = stale_after
        self.clock = clock
        self.backoff = tuple(backoff)
        self._failed: asyncio.Future | None = None
        self.dropped = 0                    # stale lookups dropped
        self._transports: dict[str, Transport] = {}
        self._overall: dict[str, SlidingWindow | Unlimited] = {}
        self._queues: dict[str, _ChatQueue] = {}
        self._in_flight: set[asyncio.Future] = set()
        self._seq = itertools.count()
        self._closed = False

    def add(self, transport: Transport) -> None:
        """Route a platform's chats to `transport`, within its declared limits."""
        self._transports[transport.platform] = transport
        self._overall[transport.platform] = _window(transport.limits.overall, self.clock)

    @property
    def failed(self) -> asyncio.Future:
        """Done with the error if a worker died unexpectedly (the supervisor awaits it)."""
        if self._failed is None:
            self._failed = asyncio.get_running_loop().create_future()
        return self._failed

    # --- posting -------------------------------------------------------------------------------
    async def post(self, chat: Chat, replies: Sequence[Reply]) -> None:
        """Queue replies for a chat and return at once."""
        if not replies:
            return
        transport = self._transports.get(chat.platform)
        if transport is None:
            log.error("no platform to deliver to %s; %d replies not sent", chat.key, len(replies))
            return
        if self._closed:
            log.warning("shutting down: %d replies to %s not sent", len(replies), chat.key)
            return
        queue = self._queue(chat, transport)
        now = self.clock()
        for reply in replies:               # a reply meant for one person never reaches the group
            if reply.to is not None and chat.is_group and not transport.shows_private_replies:
                log.error("refused to show %s's private reply in group %s", reply.to.key, chat.key)
                continue
            queue.items.append(_Item(reply, now, next(self._seq)))
        queue.arrived.set()
        self._ensure_worker(queue)

    def _queue(self, chat: Chat, transport: Transport) -> _ChatQueue:
        queue = self._queues.get(chat.key)
        if queue is None:
            limits = transport.limits
            window = _window(limits.group if chat.is_group else limits.private, self.clock)
            queue = self._queues[chat.key] = _ChatQueue(chat, window)
        return queue

    def _ensure_worker(self, queue: _ChatQueue) -> None:
        if queue.items and (queue.worker is None or queue.worker.done()):
            queue.worker = asyncio.create_task(self._work(queue), name=f"outbox {queue.chat.key}")
            queue.worker.add_done_callback(self._watch)

    def _watch(self, task: asyncio.Task) -> None:
        if task.cancelled() or task.exception() is None:
            return
        log.critical("delivery worker %s died", task.get_name(), exc_info=task.exception())
        if not self.failed.done():
            self.failed.set_exception(task.exception())

    # --- waiting -------------------------------------------------------------------------------
    async def settled(self, timeout: float = 10.0) -> None:
        """Once what is being sent now has been delivered and reported to the core (a vote
        can arrive before its poll's id is stored: it waits here first)."""
        pending = set(self._in_flight)
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def idle(self) -> None:
        """Once every queue is empty and nothing is being sent."""
        while workers := [q.worker for q in self._queues.values() if q.worker and not q.worker.done()]:
            await asyncio.wait(workers)

    async def close(self, timeout: float = 5.0) -> int:
        """Stop taking replies, send what waits for at most `timeout` seconds, and return how
        many replies were left undelivered (logged per chat)."""
        self._closed = True
        try:
            await asyncio.wait_for(self.idle(), timeout)
        except asyncio.TimeoutError:
            pass
        left = 0
        for queue in self._queues.values():
            if queue.left():
                left += queue.left()
                log.warning("shutdown: %d replies to %s left undelivered", queue.left(), queue.chat.key)
            if queue.worker is not None and not queue.worker.done():
                queue.worker.cancel()
        workers = [q.worker for q in self._queues.values() if q.worker is not None]
        await asyncio.gather(*workers, return_exceptions=True)
        return left

    # --- the worker ----------------------------------------------------------------------------
    async def _work(self, queue: _ChatQueue) -> None:
        while queue.items:
            queue.sending = self._next_batch(queue)
            if queue.sending:
                await self._deliver(queue, queue.sending)
            queue.sending = []

    def _next_batch(self, queue: _ChatQueue) -> list[_Item]:
        """The replies of the next message: the most urgent first, then what can share its
        message, in order (a background post shares with background posts only). Stale lookups
        are dropped on the way."""
        now = self.clock()
        fresh = []
        for item in sorted(queue.items, key=lambda i: i.rank):
            if not item.reply.game and now - item.queued_at > self.stale_after:
                self.dropped += 1
                log.warning("dropped a reply to %s after %.0f s in the queue", queue.chat.key,
                            now - item.queued_at)
                continue
            fresh.append(item)
        queue.items = fresh
        queue.arrived.clear()
        if not fresh:
            return []
        transport = self._transports[queue.chat.platform]
        taken = [fresh[0]]
        busy = queue.window.used() * 2 >= queue.window.limit
        for item in fresh[1:]:
            games = taken[-1].reply.game and item.reply.game
            if not (games or busy) or taken[0].alone or item.alone \
                    or item.reply.background != taken[0].reply.background \
                    or not self._one_message(transport, queue.chat, taken + [item]):
                break
            taken.append(item)
        queue.items = fresh[len(taken):]
        return taken

    @staticmethod
    def _one_message(transport: Transport, chat: Chat, items: list[_Item]) -> bool:
        """Whether these replies can share one message; an adapter that fails to say is asked
        no more (each reply then goes alone, and its failure is handled when it is sent)."""
        try:
            return len(transport.render(chat, [i.reply for i in items])) == 1
        except Exception:
            return False

    async def _deliver(self, queue: _ChatQueue, items: list[_Item]) -> None:
        try:
            await self._deliver_reporting(queue, items)
        finally:
            self._landed(queue)

    async def _deliver_reporting(self, queue: _ChatQueue, items: list[_Item]) -> None:
        batch = [i.reply for i in items]
        kind = items[0].kind                     # a batch never mixes background with the rest
        for _ in range(MAX_MOVES + 1):
            transport = self._transports[queue.chat.platform]
            try:
                messages = transport.render(queue.chat, batch)
                if not messages:
                    raise Undeliverable("the platform has no message to show this in")
                receipt = Receipt()
                for n, message in enumerate(messages):
                    receipt = await self._send(queue, transport, message, kind, may_give_way=n == 0,
                                               stale_at=self._stale_at(items))
            except _GaveWay:
                queue.items = sorted(queue.items + items, key=lambda i: i.rank)
                return                           # sent after what overtook it
            except _Stale:
                self.dropped += len(items)
                log.warning("dropped %d replies to %s: too old by the time the platform would take them",
                            len(items), queue.chat.key)
                return
            except ChatMoved as moved:
                await self._follow(queue, moved.new_id)
                continue                         # send the same replies to the new id
            except ChatGone as gone:
                await self._gone(queue, gone)
                return
            except Exception as error:           # refused, or an adapter's bug: not the end of the queue
                if not isinstance(error, Undeliverable):
                    log.exception("sending to %s failed", queue.chat.key)
                if len(items) > 1:               # one bad reply must not sink those it shared a message with
                    log.warning("%s refused a merged message to %s (%s); sending its %d replies one by one",
                                queue.chat.platform, queue.chat.key, error, len(items))
                    for item in items:
                        item.alone = True
                    queue.items = sorted(queue.items + items, key=lambda i: i.rank)
                    return
                reason = str(error) if isinstance(error, Undeliverable) else f"{type(error).__name__}: {error}"
                await self._refused(queue, batch, reason)
                return
            if any(r.game for r in batch):
                queue.game_sent_at = self.clock()
            await self._report("delivered", queue.chat, batch, receipt)
            return
        await self._refused(queue, batch, f"the chat kept moving ({MAX_MOVES} times)")

    def _stale_at(self, items: list[_Item]) -> float:
        """When a batch of lookups is too old to be worth sending; never for a game message."""
        if any(i.reply.game for i in items):
            return math.inf
        return min(i.queued_at for i in items) + self.stale_after

    async def _send(self, queue: _ChatQueue, transport: Transport, message, kind: tuple[int, int],
                    may_give_way: bool, stale_at: float = math.inf) -> Receipt:
        """Send one message of a batch of `kind` within the windows; while it waits for a slot
        it gives way (_GaveWay) to anything more urgent queued in its chat, if `may_give_way`
        (nothing of the batch was sent yet). A lookup that grows stale while it waits (for a
        "retry after", a failing network) is given up (_Stale) if nothing of it was sent."""
        failures = 0
        overall = self._overall[transport.platform]
        background, lookup = kind[0] == 1, kind == (0, 1)
        while True:
            if may_give_way and self.clock() > stale_at:
                raise _Stale
            wait = queue.blocked_until - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
            keep_free = self._game_reserve(queue) if lookup else 0
            chat_slot = await self._unless_overtaken(queue, kind, may_give_way,
                                                     queue.window.acquire(keep_free=keep_free))
            if chat_slot is None:
                raise _GaveWay
            overall_slot = await self._unless_overtaken(queue, kind, may_give_way, overall.acquire(background))
            if overall_slot is None:
                queue.window.give_back(chat_slot)
                raise _GaveWay
            if queue.flight is None:             # from now until reported, a vote may wait for it
                queue.flight = asyncio.get_running_loop().create_future()
                self._in_flight.add(queue.flight)
            try:
                return await transport.send(queue.chat, message)
            except RetryLater as later:
                queue.blocked_until = self.clock() + later.seconds
                log.warning("%s asks to wait %.1f s before sending to %s again", transport.platform,
                            later.seconds, queue.chat.key)
            except TemporaryFailure as trouble:
                delay = self.backoff[min(failures, len(self.backoff) - 1)]
                failures += 1
                queue.blocked_until = self.clock() + delay
                log.warning("sending to %s failed (%s); trying again in %.0f s (attempt %d)",
                            queue.chat.key, trouble, delay, failures + 1)
            finally:
                now = self.clock()
                chat_slot.done(now)
                overall_slot.done(now)
            if may_give_way:
                self._landed(queue)              # nothing of it is out there while it waits

    def _landed(self, queue: _ChatQueue) -> None:
        """What was sent to the chat has been reported, or refused: a vote need not wait for it."""
        if queue.flight is not None:
            self._in_flight.discard(queue.flight)
            queue.flight.set_result(None)
            queue.flight = None

    def _game_reserve(self, queue: _ChatQueue) -> int:
        """Slots of the chat's window that lookups leave free while the chat plays."""
        window = queue.window
        if self.clock() - queue.game_sent_at < window.seconds:
            return window.limit // 4
        return 0

    @staticmethod
    async def _unless_overtaken(queue: _ChatQueue, kind: tuple[int, int], may_give_way: bool, acquiring):
        """The slot `acquiring` waits for; None as soon as something more urgent than `kind` is
        queued in the chat (it goes first; the slot is not taken)."""
        if not may_give_way or kind == (0, 0):
            return await acquiring               # nothing goes before a game message
        taking = asyncio.ensure_future(acquiring)
        try:
            while not taking.done() and not any(i.kind < kind for i in queue.items):
                queue.arrived.clear()
                arrival = asyncio.ensure_future(queue.arrived.wait())
                try:
                    await asyncio.wait({taking, arrival}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    arrival.cancel()
        finally:
            taking.cancel()                      # no effect once it has its slot
        try:
            return await taking
        except asyncio.CancelledError:
            if asyncio.current_task().cancelling():
                raise                            # the worker itself is being stopped
            return None

    async def _follow(self, queue: _ChatQueue, new_id: str) -> None:
        old = queue.chat
        new = Chat(old.platform, new_id, old.is_group)
        log.info("%s moved to %s; following it", old.key, new.key)
        await self._report("chat_moved", old, new)
        self._queues.pop(old.key, None)
        existing = self._queues.get(new.key)
        if existing is not None:                 # something was queued for the new id already
            queue.items = sorted(queue.items + existing.items, key=lambda i: i.rank)
            existing.items = []
            if existing.worker is not None and not existing.worker.done():
                await existing.worker            # it finishes what it is sending, then stops
        queue.chat = new
        self._queues[new.key] = queue

    async def _gone(self, queue: _ChatQueue, gone: ChatGone) -> None:
        left = len(queue.items) + 1
        queue.items = []
        log.warning("%s is gone (%s); %d messages not sent", queue.chat.key, gone, left)
        await self._report("chat_gone", queue.chat, gone.code)

    async def _refused(self, queue: _ChatQueue, batch: list[Reply], reason: str) -> None:
        log.error("%s refused a message to %s: %s", queue.chat.platform, queue.chat.key, reason)
        if all(r.fallback for r in batch):
            return
        instead = await self._report("undelivered", queue.chat, batch, reason)
        if instead:
            now = self.clock()
            queue.items[:0] = [_Item(r, now, -1) for r in instead]   # first, before what waits

    async def _report(self, what: str, *args):
        """Tell the core; its failure is logged, never the end of the chat's queue."""
        if self.listener is None:
            return None
        try:
            return await getattr(self.listener, what)(*args)
        except Exception:
            log.exception("the core failed to take %s for %s", what, args[0].key)
            return None
