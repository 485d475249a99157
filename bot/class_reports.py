"""/stats, /report and /reports: what the class gets wrong, and questions flagged as wrong or unclear."""

from __future__ import annotations

from bot.core import Core
from bot.events import Command, Press, User
from bot.periods import week_key
from bot.replies import Reply
from bot.store import people, reports_store
from bot.text import Rich, bold, italic, join, plain

MAX_REASON = 300
ADMIN_ONLY = "Chỉ quản trị viên của nhóm mới xem được mục này."


async def stats_reply(core: Core, command: Command) -> list[Reply]:
    if command.chat.is_group and not command.user.is_admin:
        return [Reply(plain(ADMIN_ONLY), to=command.user)]
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, command.chat, now)
    timezone = await people.chat_timezone(core.db, chat_id)
    members, answers, right = await reports_store.week_activity(core.db, chat_id, week_key(now, timezone))
    lines: list[Rich | str] = [bold("📈 Thống kê của nhóm")]
    accuracy = f" · đúng {round(100 * right / answers)}%" if answers else ""
    lines.append(f"Tuần này: {members} thành viên trả lời, {answers} câu trả lời{accuracy}")
    topics = await reports_store.topic_accuracy(core.db, chat_id)
    if topics:
        lines.append(plain("Độ chính xác theo chủ đề (thấp nhất trước):"))
        for topic, count, correct in topics:
            title = core.course.topics[topic].title if topic in core.course.topics else topic
            lines.append(f"• {title}: {round(100 * correct / count)}% ({correct}/{count})")
    else:
        lines.append("Chưa có câu trả lời nào.")
    return [Reply(join(lines))]


async def report_command(core: Core, command: Command) -> list[Reply]:
    question_id, _, reason = command.args.strip().partition(" ")
    if not question_id:
        return [Reply(plain("Dùng: /report MÃ_CÂU_HỎI [lý do]. Mã câu hỏi có trong nút báo lỗi sau mỗi đáp án."),
                      to=command.user)]
    return await _report(core, command.user, command, question_id, reason)


async def report_press(core: Core, press: Press, question_id: str) -> list[Reply]:
    return await _report(core, press.user, press, question_id, "")


async def _report(core: Core, user: User, event, question_id: str, reason: str) -> list[Reply]:
    question_id = question_id.strip().lower()
    if question_id not in core.course.questions:
        return [Reply(plain("Không có câu hỏi với mã này."), to=user)]
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, event.chat, now)
    user_id = await people.ensure_user(core.db, user, now)
    new = await reports_store.add_report(core.db, question_id, chat_id, user_id,
                                         " ".join(reason.split())[:MAX_REASON], now)
    if new:
        return [Reply(plain(f"Cảm ơn bạn! Đã ghi nhận góp ý về câu {question_id}; giáo viên sẽ xem lại."), to=user)]
    return [Reply(plain(f"Bạn đã báo câu {question_id} rồi; góp ý của bạn đã được cập nhật."), to=user)]


async def reports_reply(core: Core, command: Command) -> list[Reply]:
    if command.chat.is_group and not command.user.is_admin:
        return [Reply(plain(ADMIN_ONLY), to=command.user)]
    chat_id = await people.ensure_chat(core.db, command.chat, core.clock.now())
    reports = await reports_store.reports_in_chat(core.db, chat_id)
    lines: list[Rich | str] = [bold("⚠️ Câu hỏi bị báo lỗi")]
    if not reports:
        lines.append("Chưa có báo cáo nào.")
    for question_id, count, reasons in reports:
        question = core.course.questions.get(question_id)
        prompt = question.prompt[:80] if question else "(không còn trong ngân hàng)"
        lines.append(f"• {question_id} — {count} lượt: {prompt}")
        if reasons:
            lines.append(italic(f"  Lý do: {reasons[:200]}"))
    return [Reply(join(lines))]
