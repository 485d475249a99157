"""/daily and the daily challenge: one question a day for the whole chat, at the chat's time.

Posting is driven by `post_due` from the scheduler: for every active schedule it works out the
current day's window from the clock and posts if that day has not been posted, so downtime over
a post time means one late post (while the window is open), never two; a unique index on
(chat, day) makes a duplicate impossible even so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import Core
from bot.daily_schedule import current_window, next_post, parse_time
from bot.events import Command
from bot.periods import is_timezone, zone
from bot.quiz.messages import question_reply, reveal_reply
from bot.quiz.picking import pick_daily
from bot.quiz.present import present
from bot.replies import Reply
from bot.store import daily_store, people, quiz_store
from bot.store.quiz_store import Asked
from bot.text import bold, join, plain

ADMIN_ACTIONS = ("on", "off", "time", "tz")
TYPED_HINT = "Trả lời bằng lệnh /answer <câu trả lời> (mỗi người một lần)."
USAGE = ("Dùng: /daily (xem lịch) · /daily on [HH:MM] · /daily off · /daily time HH:MM · "
         "/daily tz Vùng/Thành_phố (ví dụ Asia/Ho_Chi_Minh)")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def local_label(instant: datetime, timezone: str) -> str:
    local = instant.astimezone(zone(timezone))
    return f"{WEEKDAYS[local.weekday()]} {local:%d/%m} lúc {local:%H:%M}"


async def daily_command(core: Core, command: Command) -> list[Reply]:
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, command.chat, now)
    words = command.args.split()
    action = words[0].lower() if words else ""
    schedule = await daily_store.schedule_of(core.db, chat_id)
    if not action:
        if not command.chat.is_group and (schedule is None or not schedule.enabled):
            action, words = "on", ["on"]   # /daily in a private chat subscribes the user
        else:
            return [state_reply(core, schedule, now)]
    if action not in ADMIN_ACTIONS:
        return [Reply(plain(USAGE))]
    if command.chat.is_group and not command.user.is_admin:
        return [Reply(plain("Chỉ quản trị viên của nhóm mới thay đổi được câu hỏi mỗi ngày. "
                            "Bạn vẫn có thể gõ /daily để xem lịch."), to=command.user)]
    post_time = schedule.post_time if schedule else core.settings.daily_time
    enabled = schedule.enabled if schedule else False
    if action == "on":
        if len(words) > 1:
            post_time = parse_time(words[1]) or ""
            if not post_time:
                return [Reply(plain("Giờ không hợp lệ. Dùng dạng HH:MM, ví dụ /daily on 08:00."))]
        enabled = True
    elif action == "off":
        enabled = False
    elif action == "time":
        post_time = parse_time(words[1]) if len(words) > 1 else None
        if not post_time:
            return [Reply(plain("Giờ không hợp lệ. Dùng dạng HH:MM (00:00 đến 23:59), ví dụ /daily time 20:30."))]
    elif action == "tz":
        name = words[1] if len(words) > 1 else ""
        if not is_timezone(name):
            return [Reply(plain("Múi giờ không hợp lệ. Dùng tên IANA như Asia/Ho_Chi_Minh, Europe/Berlin hoặc UTC."))]
        await people.set_chat_timezone(core.db, chat_id, name)
        if schedule is None:
            return [Reply(plain(f"Đã đặt múi giờ {name}. Gõ /daily on để bật câu hỏi mỗi ngày."))]
    await daily_store.save_schedule(core.db, chat_id, enabled, post_time,
                                    core.settings.reveal_before_minutes, now)
    return [state_reply(core, await daily_store.schedule_of(core.db, chat_id), now)]


def state_reply(core: Core, schedule: daily_store.Schedule | None, now: datetime) -> Reply:
    if schedule is None or not schedule.enabled:
        return Reply(plain("Câu hỏi mỗi ngày đang tắt. Quản trị viên gõ /daily on 08:00 để bật."))
    lines = [
        bold("📅 Câu hỏi mỗi ngày: đang bật"),
        f"Giờ đăng: {schedule.post_time} ({schedule.timezone}).",
        f"Lần đăng tới: {local_label(next_post(now, schedule.post_time, schedule.timezone), schedule.timezone)}.",
        f"Đáp án được công bố {schedule.reveal_before_minutes} phút trước câu hỏi kế tiếp.",
    ]
    if schedule.paused_reason:
        lines.append(f"Tạm dừng: {schedule.paused_reason}")
    return Reply(join(lines))


async def post_due(core: Core) -> None:
    """Post the day's question to every chat whose window is open and has not had it."""
    now = core.clock.now()
    for schedule in await daily_store.active_schedules(core.db):
        replies = await _post_for(core, schedule, now)
        if replies:
            chat, _ = await people.chat_by_id(core.db, schedule.chat_id)
            await core.outbox.send(chat, replies)


async def _post_for(core: Core, schedule: daily_store.Schedule, now: datetime) -> list[Reply]:
    reveal_before = timedelta(minutes=schedule.reveal_before_minutes)
    window = current_window(now, schedule.post_time, schedule.timezone, reveal_before)
    if now >= window.reveal_at:
        return []
    latest = await daily_store.latest_daily(core.db, schedule.chat_id)
    if latest is not None and latest[0] >= window.key:
        return []   # posted already (also after a change of time or zone)
    previous = core.course.questions.get(latest[1]) if latest else None
    recent = await quiz_store.last_asked(core.db, schedule.chat_id)
    question = pick_daily(core.course.questions.values(), recent, previous, core.rng)
    if question is None:
        return []
    presented = present(question, core.rng)
    asked_id = await quiz_store.ask(core.db, schedule.chat_id, presented, question.topic, now,
                                    window.reveal_at, daily_day=window.key)
    if asked_id is None:
        return []
    header = (f"📅 Câu hỏi mỗi ngày {window.day:%d/%m/%Y} · trả lời đến "
              f"{local_label(window.reveal_at, schedule.timezone)}")
    open_seconds = int((window.reveal_at - now).total_seconds())
    return [question_reply(core.course, asked_id, question, presented, header, open_seconds, TYPED_HINT)]


async def reveal_daily(core: Core, asked: Asked) -> list[Reply]:
    """Close a daily question (once) and reveal it with how the chat did."""
    if not await quiz_store.close_asked(core.db, asked.id, core.clock.now()):
        return []
    question = core.course.questions.get(asked.question_id)
    if question is None:
        return []
    answers = await quiz_store.answers_to(core.db, asked.id)
    day = f"{asked.daily_day[8:10]}/{asked.daily_day[5:7]}"
    reply = reveal_reply(core.course, question, asked.presented, answers,
                         f"📅 Đáp án câu hỏi mỗi ngày {day}")
    right = [a for a in answers if a.correct]
    summary = f"{len(answers)} người trả lời, {len(right)} người đúng."
    if right:
        summary += " Nhanh nhất: " + ", ".join(a.name for a in right[:3]) + "."
    return [Reply(join([reply.text, summary]), reply.buttons)]
