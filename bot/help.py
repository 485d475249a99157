"""/start, /help, /topics and /lang: what the bot does, every command with an example."""

from __future__ import annotations

from typing import Sequence

from bot.model.course import Course
from bot.i18n import LANGUAGES, Catalog, catalog
from bot.platform import Capabilities
from bot.quiz.scoring import BASE_POINTS, DAILY_POINTS, SPEED_BONUS
from bot.replies import Reply
from bot.settings import Settings
from bot.store import people
from bot.text import bold, code, italic, join, plain
from bot.turn import Args, Turn


def help_reply(tr: Catalog, settings: Settings, commands: Sequence[tuple[str, str]],
               can: Capabilities) -> Reply:
    """`commands`: (command name, an example of its use), in the order to show them."""
    lines = [bold(tr("help.title")), tr("help.intro"), "", bold(tr("help.commands"))]
    for name, usage in commands:
        lines.append(code(usage) + plain(" — " + tr(f"cmd.{name}")))
    lines += ["", bold(tr("help.scoring_title")),
              tr("help.scoring", base=BASE_POINTS, bonus=SPEED_BONUS, seconds=settings.question_seconds,
                 daily=DAILY_POINTS)]
    if not can.private_in_group:
        lines += ["", italic(tr("help.private"))]
    return Reply(join(lines))


def topics_reply(tr: Catalog, course: Course) -> Reply:
    lines = [bold(tr("topics.title"))]
    for topic in course.topics.values():
        count = sum(1 for q in course.questions.values() if q.topic == topic.id)
        alias = topic.aliases[0] if topic.aliases else topic.id
        lines.append(plain(tr("topics.line", title=topic.title, count=count)) + code(f"/quiz {alias}"))
    lines.append(italic(tr("topics.mix")))
    return Reply(join(lines))


async def lang_command(turn: Turn, args: Args) -> list[Reply]:
    """/lang shows the chat's language; /lang vi|en sets it (admins in groups)."""
    wanted = args["language"]
    current = await people.chat_language(turn.core.db, turn.chat_id) or turn.core.settings.language
    if wanted is None:
        return [turn.say(turn.tr("lang.state", language=current, choices=", ".join(LANGUAGES)))]
    if not turn.is_admin:
        return [turn.aside(turn.tr("lang.admin_only"))]
    await people.set_chat_language(turn.core.db, turn.chat_id, wanted)
    return [turn.say(catalog(wanted)("lang.set"))]
