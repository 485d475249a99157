"""/stats, /report and /reports: what the class gets wrong, and questions flagged as wrong or unclear."""

from __future__ import annotations

from bot.core import Core
from bot.events import Command, Press, User
from bot.periods import week_key
from bot.replies import Reply
from bot.review import memory
from bot.store import people, reports_store
from bot.text import Rich, bold, italic, join, plain

MAX_REASON = 300


async def stats_reply(core: Core, command: Command) -> list[Reply]:
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, command.chat, now)
    tr = await core.tr(chat_id)
    if command.chat.is_group and not command.user.is_admin:
        return [Reply(plain(tr("reports.admin_only")), to=command.user)]
    timezone = await people.chat_timezone(core.db, chat_id)
    members, answers, right = await reports_store.week_activity(core.db, chat_id, week_key(now, timezone))
    lines: list[Rich | str] = [bold(tr("stats.title"))]
    accuracy = tr("stats.accuracy", percent=round(100 * right / answers)) if answers else ""
    lines.append(tr("stats.week", members=members, answers=answers, accuracy=accuracy))
    topics = await reports_store.topic_accuracy(core.db, chat_id)
    if topics:
        lines.append(plain(tr("stats.by_topic")))
        for topic, count, correct in topics:
            title = core.course.topics[topic].title if topic in core.course.topics else topic
            lines.append(f"• {title}: {round(100 * correct / count)}% ({correct}/{count})")
    else:
        lines.append(tr("stats.none"))
    lines += await memory.class_lines(core, tr, chat_id, now)
    return [Reply(join(lines))]


async def report_command(core: Core, command: Command) -> list[Reply]:
    question_id, _, reason = command.args.strip().partition(" ")
    if not question_id:
        tr = await core.tr(command.chat)
        return [Reply(plain(tr("report.usage")), to=command.user)]
    return await _report(core, command.user, command, question_id, reason)


async def report_press(core: Core, press: Press, question_id: str) -> list[Reply]:
    return await _report(core, press.user, press, question_id, "")


async def _report(core: Core, user: User, event, question_id: str, reason: str) -> list[Reply]:
    question_id = question_id.strip().lower()
    now = core.clock.now()
    chat_id = await people.ensure_chat(core.db, event.chat, now)
    tr = await core.tr(chat_id)
    if question_id not in core.course.questions:
        return [Reply(plain(tr("report.unknown")), to=user)]
    user_id = await people.ensure_user(core.db, user, now)
    new = await reports_store.add_report(core.db, question_id, chat_id, user_id,
                                         " ".join(reason.split())[:MAX_REASON], now)
    return [Reply(plain(tr("report.thanks" if new else "report.again", id=question_id)), to=user)]


async def reports_reply(core: Core, command: Command) -> list[Reply]:
    chat_id = await people.ensure_chat(core.db, command.chat, core.clock.now())
    tr = await core.tr(chat_id)
    if command.chat.is_group and not command.user.is_admin:
        return [Reply(plain(tr("reports.admin_only")), to=command.user)]
    reports = await reports_store.reports_in_chat(core.db, chat_id)
    lines: list[Rich | str] = [bold(tr("reports.title"))]
    if not reports:
        lines.append(tr("reports.none"))
    for question_id, count, reasons in reports:
        question = core.course.questions.get(question_id)
        prompt = question.prompt[:80] if question else tr("reports.gone")
        lines.append(tr("reports.line", id=question_id, count=count, prompt=prompt))
        if reasons:
            lines.append(italic(tr("reports.reasons", reasons=reasons[:200])))
    return [Reply(join(lines))]
