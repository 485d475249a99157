"""Telegram updates: different chats at once, one chat's in order and one at a time."""

import asyncio

from telegram import Chat as TgChat, Message, Update

from adapters.telegram_adapter import PerChatUpdates


def update(update_id: int, chat_id: int) -> Update:
    chat = TgChat(chat_id, "supergroup")
    return Update(update_id, message=Message(update_id, None, chat, text="/help"))


async def test_one_chat_s_updates_run_one_at_a_time_in_order_and_other_chats_do_not_wait():
    processor = PerChatUpdates()
    running, peak, order = {-1: 0, -2: 0}, {-1: 0, -2: 0}, []
    other_done = asyncio.Event()

    async def handle(n: int, chat: int, pause: float) -> None:
        running[chat] += 1
        peak[chat] = max(peak[chat], running[chat])
        await asyncio.sleep(pause)
        order.append((chat, n))
        running[chat] -= 1
        if chat == -2:
            other_done.set()

    busy = [asyncio.create_task(processor.do_process_update(update(n, -1), handle(n, -1, 0.02)))
            for n in range(6)]
    other = asyncio.create_task(processor.do_process_update(update(99, -2), handle(99, -2, 0)))
    await asyncio.wait_for(other_done.wait(), 0.05)        # not behind the busy chat's 0.12 s
    await asyncio.gather(*busy, other)
    assert [n for chat, n in order if chat == -1] == [0, 1, 2, 3, 4, 5]
    assert peak[-1] == 1
    assert processor._turns == {}                           # nothing kept once the chat is quiet
