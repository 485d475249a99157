"""The outbox: per-chat queues within sliding windows, priorities, merging, and every outcome
reported to the core. Driven with an in-process transport; the platforms' own rules are tested
end to end against the fake servers (test_telegram.py, test_discord.py)."""

import asyncio
import time

import pytest

from bot.delivery.outbox import Outbox
from bot.delivery.transport import (
    NO_LIMITS, ChatGone, ChatMoved, Limits, Receipt, RetryLater, TemporaryFailure, Undeliverable,
)
from bot.delivery.window import SlidingWindow
from bot.events import Chat, User
from bot.replies import Reply
from bot.text import plain

GROUP, OTHER = Chat("t", "-1", True), Chat("t", "-2", True)


def text(body: str, **kw) -> Reply:
    return Reply(plain(body), **kw)


class Transport:
    """Merges plain replies into one message up to `max_chars`; records what it sent and when."""
    platform = "t"
    shows_private_replies = False

    def __init__(self, limits=NO_LIMITS, max_chars=100):
        self.limits, self.max_chars = limits, max_chars
        self.sent: list[tuple[str, str, float]] = []
        self.faults: dict[str, list[Exception]] = {}     # chat id -> errors for the next sends

    def render(self, chat, replies):
        body = "\n\n".join(r.text.plain() for r in replies)
        if len(replies) > 1 and len(body) > self.max_chars:
            return [r.text.plain() for r in replies]
        return [body]

    async def send(self, chat, message):
        faults = self.faults.get(chat.id)
        if faults:
            raise faults.pop(0)
        await asyncio.sleep(0.001)
        self.sent.append((chat.id, message, time.monotonic()))
        return Receipt(key=f"m{len(self.sent)}")

    def bodies(self, chat_id: str) -> list[str]:
        return [m for c, m, _ in self.sent if c == chat_id]


class Listener:
    def __init__(self):
        self.events: list[tuple] = []
        self.instead: list[Reply] = []

    async def delivered(self, chat, replies, receipt):
        self.events.append(("delivered", chat.id, tuple(r.text.plain() for r in replies), receipt.key))

    async def undelivered(self, chat, replies, reason):
        self.events.append(("undelivered", chat.id, reason))
        return self.instead

    async def chat_gone(self, chat, code):
        self.events.append(("gone", chat.id, code))

    async def chat_moved(self, old, new):
        self.events.append(("moved", old.id, new.id))


@pytest.fixture
def wired():
    listener, transport = Listener(), Transport()
    outbox = Outbox(listener)
    outbox.add(transport)
    return outbox, transport, listener


async def test_a_sliding_window_never_lets_more_than_its_limit_finish_within_its_length():
    window = SlidingWindow(3, 0.2)
    ends = []
    began = time.monotonic()
    for _ in range(7):
        slot = await window.acquire()
        ends.append(time.monotonic())
        slot.done(time.monotonic())
    for n in range(len(ends) - 3):
        assert ends[n + 3] - ends[n] >= 0.2 - 1e-3       # the 4th send waits for the 1st to age out
    assert time.monotonic() - began >= 0.4


async def test_posting_returns_at_once_and_game_messages_overtake_waiting_lookups(wired):
    outbox, transport, _ = wired
    transport.max_chars = 0                               # nothing merges: one message each
    transport.faults[GROUP.id] = [RetryLater(0.05)]       # the first send is refused: things queue
    began = time.monotonic()
    await outbox.post(GROUP, [text("card 1")])
    await outbox.post(GROUP, [text("card 2"), text("question", game=True)])
    assert time.monotonic() - began < 0.01
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["question", "card 1", "card 2"]
    assert transport.faults[GROUP.id] == []               # the refusal was met, and waited out


async def test_what_waits_together_is_merged_into_one_message_while_it_fits(wired):
    outbox, transport, listener = wired
    transport.faults[GROUP.id] = [RetryLater(0.05)]
    await outbox.post(GROUP, [text("reveal", game=True), text("next question", game=True)])
    await outbox.post(GROUP, [text("x" * 90)])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["reveal\n\nnext question", "x" * 90]
    assert [e[2] for e in listener.events] == [("reveal", "next question"), ("x" * 90,)]


async def test_lookups_are_merged_only_once_the_chat_has_used_half_its_window():
    transport = Transport(limits=Limits(group=(4, 0.5), private=None, overall=None))
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text("a")])
    await outbox.post(GROUP, [text("b")])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["a", "b"]                 # a quiet chat: one each
    await outbox.post(GROUP, [text("c"), text("d"), text("e")])     # half the window is used
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["a", "b", "c\n\nd\n\ne"]


async def test_a_lookup_that_waited_too_long_is_dropped_but_a_game_message_never():
    now = [0.0]
    transport, listener = Transport(), Listener()
    outbox = Outbox(listener, stale_after=120, clock=lambda: now[0])
    outbox.add(transport)
    transport.faults[GROUP.id] = [RetryLater(0)]
    transport.max_chars = 0
    await outbox.post(GROUP, [text("old card"), text("old reveal", game=True)])
    now[0] = 121.0
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["old reveal"]
    assert outbox.dropped == 1


async def test_retry_after_in_one_chat_delays_only_that_chat(wired):
    outbox, transport, _ = wired
    transport.faults[GROUP.id] = [RetryLater(0.3)]
    await outbox.post(GROUP, [text("slow")])
    await asyncio.sleep(0.01)
    await outbox.post(OTHER, [text("fast")])
    await outbox.idle()
    times = {chat: at for chat, _, at in transport.sent}
    assert times[OTHER.id] < times[GROUP.id] - 0.2


async def test_a_group_never_gets_more_than_its_window_allows():
    transport = Transport(limits=Limits(group=(3, 0.3), private=None, overall=None), max_chars=0)
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text(f"m{n}") for n in range(8)])
    await outbox.idle()
    times = [at for _, _, at in transport.sent]
    assert len(times) == 8
    for n in range(len(times) - 3):
        assert times[n + 3] - times[n] >= 0.3 - 1e-3


async def test_a_fan_out_to_many_chats_lets_a_reply_somebody_waits_for_go_first():
    transport = Transport(limits=Limits(group=None, private=None, overall=(2, 0.2)))
    outbox = Outbox(Listener())
    outbox.add(transport)
    for n in range(10):                                  # the daily question to ten groups
        await outbox.post(Chat("t", f"-{100 + n}", True), [text(f"daily {n}", game=True, background=True)])
    await asyncio.sleep(0.05)                            # two went; eight wait for the window
    await outbox.post(GROUP, [text("next question", game=True)])
    await outbox.idle()
    order = [body for _, body, _ in transport.sent]
    assert sorted(order) == sorted([f"daily {n}" for n in range(10)] + ["next question"])
    assert order.index("next question") <= 3             # behind one daily post at most, not eight
    times = [at for _, _, at in transport.sent]
    for n in range(len(times) - 2):
        assert times[n + 2] - times[n] >= 0.2 - 1e-3     # the platform's limit still holds


async def test_a_class_playing_at_its_daily_time_gets_its_quiz_before_its_own_daily_post():
    transport, listener = Transport(limits=Limits(group=(2, 10.0), private=None, overall=(2, 0.2))), Listener()
    outbox = Outbox(listener)
    outbox.add(transport)
    for n in range(6):                                   # the fan-out is under way
        await outbox.post(Chat("t", f"-{100 + n}", True), [text(f"daily {n}", game=True, background=True)])
    await outbox.post(GROUP, [text("daily here", game=True, background=True)])
    await asyncio.sleep(0.05)                            # it waits in line behind the others
    await outbox.post(GROUP, [text("next question", game=True)])
    await asyncio.wait_for(outbox.idle(), 5)
    order = [body for _, body, _ in transport.sent]
    assert order.index("next question") <= 3             # not behind its own chat's daily post
    assert transport.bodies(GROUP.id) == ["next question", "daily here"]    # each once
    assert [e[2] for e in listener.events if e[1] == GROUP.id] == [("next question",), ("daily here",)]


async def test_a_reveal_queued_while_lookups_wait_for_a_full_window_takes_the_next_slot():
    transport = Transport(limits=Limits(group=(3, 0.3), private=None, overall=None), max_chars=0)
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text(f"card {n}") for n in range(4)])   # the fourth waits for the window
    await asyncio.sleep(0.05)
    await outbox.post(GROUP, [text("reveal", game=True)])
    await asyncio.wait_for(outbox.idle(), 5)
    assert transport.bodies(GROUP.id) == ["card 0", "card 1", "card 2", "reveal", "card 3"]


async def test_while_a_chat_plays_lookups_leave_a_quarter_of_its_window_to_the_game():
    transport = Transport(limits=Limits(group=(8, 0.5), private=None, overall=None), max_chars=0)
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text("question 1", game=True)])
    await outbox.post(GROUP, [text(f"card {n}") for n in range(10)])
    await asyncio.sleep(0.2)
    assert len(transport.bodies(GROUP.id)) == 6          # two of the eight slots kept for the game
    posted = time.monotonic()
    await outbox.post(GROUP, [text("reveal", game=True)])
    await asyncio.sleep(0.05)
    sent = {body: at for _, body, at in transport.sent}
    assert sent["reveal"] - posted < 0.05                # not after the window frees at 0.5 s
    await asyncio.wait_for(outbox.idle(), 5)
    assert len(transport.bodies(GROUP.id)) == 12


async def test_a_quiet_chat_s_lookups_may_use_its_whole_window():
    transport = Transport(limits=Limits(group=(8, 0.5), private=None, overall=None), max_chars=0)
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text(f"card {n}") for n in range(10)])
    await asyncio.sleep(0.2)
    assert len(transport.bodies(GROUP.id)) == 8


async def test_temporary_failures_are_retried_after_a_pause(wired):
    outbox, transport, listener = wired
    outbox.backoff = (0.01, 0.02)
    transport.faults[GROUP.id] = [TemporaryFailure("connection reset"), TemporaryFailure("502")]
    await outbox.post(GROUP, [text("hello")])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["hello"]
    assert listener.events == [("delivered", GROUP.id, ("hello",), "m1")]


async def test_a_moved_chat_is_followed_and_the_core_told_once(wired):
    outbox, transport, listener = wired
    transport.faults[GROUP.id] = [ChatMoved("-100777")]
    await outbox.post(GROUP, [text("question", game=True)])
    await outbox.idle()
    assert transport.bodies("-100777") == ["question"]
    assert listener.events[0] == ("moved", GROUP.id, "-100777")
    assert listener.events[1][:3] == ("delivered", "-100777", ("question",))
    await outbox.post(Chat("t", "-100777", True), [text("later")])
    await outbox.idle()
    assert transport.bodies("-100777") == ["question", "later"]


async def test_a_gone_chat_drops_its_queue_and_the_core_hears_it_once(wired):
    outbox, transport, listener = wired
    transport.faults[GROUP.id] = [ChatGone("removed", "bot was kicked")]
    await outbox.post(GROUP, [text("a", game=True), text("b")])
    await outbox.post(OTHER, [text("c")])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == []
    assert ("gone", GROUP.id, "removed") in listener.events
    assert transport.bodies(OTHER.id) == ["c"]


async def test_an_adapter_that_fails_unexpectedly_loses_that_message_only(wired):
    outbox, transport, listener = wired
    transport.max_chars = 0
    transport.faults[GROUP.id] = [KeyError("bug in the adapter")]
    await outbox.post(GROUP, [text("a")])
    await outbox.post(GROUP, [text("b")])
    await outbox.idle()
    assert listener.events[0][0] == "undelivered" and "KeyError" in listener.events[0][2]
    assert transport.bodies(GROUP.id) == ["b"]


async def test_an_undeliverable_message_is_reported_and_what_the_core_says_instead_is_sent(wired):
    outbox, transport, listener = wired
    listener.instead = [text("sorry", fallback=True)]
    transport.faults[GROUP.id] = [Undeliverable("can't parse entities")]
    await outbox.post(GROUP, [text("broken")])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["sorry"]
    assert listener.events[0] == ("undelivered", GROUP.id, "can't parse entities")


async def test_a_failing_apology_is_only_logged_never_apologised_for(wired):
    outbox, transport, listener = wired
    listener.instead = [text("sorry", fallback=True)]
    transport.faults[GROUP.id] = [Undeliverable("bad"), Undeliverable("bad again")]
    await outbox.post(GROUP, [text("broken")])
    await outbox.idle()
    assert [e[0] for e in listener.events] == ["undelivered"]
    assert transport.bodies(GROUP.id) == []


async def test_a_reply_for_one_person_is_never_shown_in_a_group(wired):
    outbox, transport, _ = wired
    an = User("t", "1", "An")
    await outbox.post(GROUP, [text("✅ Chính xác (A. EU)!", to=an), text("public")])
    await outbox.post(Chat("t", "1", False), [text("private here is fine", to=an)])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["public"]
    assert transport.bodies("1") == ["private here is fine"]


async def test_settled_waits_until_what_is_being_sent_has_been_reported(wired):
    outbox, transport, listener = wired
    release = asyncio.Event()
    real_delivered = listener.delivered

    async def slow_delivered(*args):
        await release.wait()
        await real_delivered(*args)

    listener.delivered = slow_delivered
    await outbox.post(GROUP, [text("poll", game=True)])
    await asyncio.sleep(0.02)
    waiter = asyncio.create_task(outbox.settled())
    await asyncio.sleep(0.02)
    assert not waiter.done()
    release.set()
    await asyncio.wait_for(waiter, 1)
    assert listener.events and listener.events[0][0] == "delivered"


async def test_close_sends_what_it_can_in_time_and_counts_the_rest():
    transport = Transport(limits=Limits(group=(1, 10.0), private=None, overall=None), max_chars=0)
    outbox = Outbox(Listener())
    outbox.add(transport)
    await outbox.post(GROUP, [text("first"), text("second"), text("third")])
    began = time.monotonic()
    left = await outbox.close(timeout=0.2)
    assert time.monotonic() - began < 1
    assert transport.bodies(GROUP.id) == ["first"] and left == 2
    await outbox.post(GROUP, [text("after close")])
    await asyncio.sleep(0.05)
    assert transport.bodies(GROUP.id) == ["first"]        # nothing is taken after close


async def test_a_worker_that_dies_unexpectedly_is_reported_to_the_supervisor(wired):
    outbox, transport, _ = wired

    def broken(queue):
        raise RuntimeError("bug")

    outbox._next_batch = broken
    await outbox.post(GROUP, [text("x")])
    with pytest.raises(RuntimeError, match="bug"):
        await asyncio.wait_for(outbox.failed, 1)


async def test_an_adapter_failing_to_render_a_merge_sends_each_reply_alone(wired):
    """Checking whether two replies share a message must not kill the chat's worker."""
    outbox, transport, listener = wired
    real = transport.render

    def render(chat, replies):
        if any(r.text.plain() == "bad" for r in replies) and len(replies) > 1:
            raise KeyError("bug in the adapter")
        return real(chat, replies)

    transport.render = render
    await outbox.post(GROUP, [text("bad", game=True), text("after", game=True)])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["bad", "after"]
    assert not outbox.failed.done()


async def test_a_refused_merged_message_is_sent_again_reply_by_reply(wired):
    """A reveal the platform refuses must not take the next question down with it."""
    outbox, transport, listener = wired
    transport.faults[GROUP.id] = [Undeliverable("can't parse entities")]
    await outbox.post(GROUP, [text("reveal", game=True), text("next question", game=True)])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == ["reveal", "next question"]
    assert [e[0] for e in listener.events] == ["delivered", "delivered"]


async def test_a_render_with_nothing_to_show_is_undeliverable_not_delivered(wired):
    outbox, transport, listener = wired
    transport.render = lambda chat, replies: []
    await outbox.post(GROUP, [text("x")])
    await outbox.idle()
    assert listener.events == [("undelivered", GROUP.id, "the platform has no message to show this in")]


async def test_a_lookup_that_grows_stale_waiting_out_retry_after_is_dropped():
    now = [0.0]
    transport, listener = Transport(), Listener()
    outbox = Outbox(listener, stale_after=120, clock=lambda: now[0])
    outbox.add(transport)

    async def refuse_once(chat, message):
        transport.send = real
        now[0] += 200                                     # the wait makes it two minutes old
        raise RetryLater(0)

    real, transport.send = transport.send, refuse_once
    await outbox.post(GROUP, [text("card")])
    await outbox.idle()
    assert transport.bodies(GROUP.id) == [] and outbox.dropped == 1


async def test_settled_does_not_wait_for_a_chat_that_is_only_waiting_its_turn(wired):
    """A vote waits only for sends that are out at the platform, not for a chat held back by
    "retry after" (another class's flood must not delay this one's vote)."""
    outbox, transport, _ = wired
    transport.faults[OTHER.id] = [RetryLater(0.5)]
    await outbox.post(OTHER, [text("held back")])
    await asyncio.sleep(0.02)                              # refused once, now waiting 0.5 s
    began = time.monotonic()
    await outbox.settled()
    assert time.monotonic() - began < 0.1


async def test_following_a_move_onto_a_queue_that_is_sending_waits_for_it(wired):
    """Nothing is left sending, unseen by idle() and close(), after a chat is followed."""
    outbox, transport, listener = wired
    moved_to = Chat("t", "-100777", True)
    release = asyncio.Event()
    real = transport.send

    async def send(chat, message):
        if chat.id == moved_to.id and message == "already there":
            await release.wait()
        return await real(chat, message)

    transport.send = send
    await outbox.post(moved_to, [text("already there")])
    await asyncio.sleep(0.01)
    transport.faults[GROUP.id] = [ChatMoved(moved_to.id)]
    await outbox.post(GROUP, [text("question", game=True)])
    await asyncio.sleep(0.05)
    release.set()
    await outbox.idle()
    assert transport.bodies(moved_to.id) == ["already there", "question"]
    assert not any(q.worker and not q.worker.done() for q in outbox._queues.values())
