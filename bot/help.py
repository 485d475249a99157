"""/start, /help, /topics and /lang: what the bot does, every command with an example."""

from __future__ import annotations

from bot.course.model import Course
from bot.i18n import LANGUAGES, Catalog, catalog
from bot.quiz.scoring import BASE_POINTS, DAILY_POINTS, SPEED_BONUS
from bot.replies import Reply
from bot.settings import Settings
from bot.text import bold, code, italic, join, plain

# (command, example); the descriptions are in the catalogues as "cmd.<command>"
COMMANDS = (
    ("define", "hội nhập quốc tế"),
    ("topics", ""),
    ("quiz", "lịch sử 5"),
    ("stop", ""),
    ("top", "week"),
    ("me", ""),
    ("daily", "on 08:00"),
    ("review", "on 20:00"),
    ("answer", "1995"),
    ("report", "ls-asean-1967"),
    ("lang", "en"),
    ("help", ""),
)


def command_descriptions(language: str = "vi") -> list[tuple[str, str]]:
    """(command, description) for a platform's command menu."""
    tr = catalog(language)
    return [(name, tr(f"cmd.{name}")) for name, _ in COMMANDS]


def help_reply(tr: Catalog, settings: Settings) -> Reply:
    lines = [bold(tr("help.title")), tr("help.intro"), "", bold(tr("help.commands"))]
    for name, example in COMMANDS:
        usage = f"/{name} {example}".rstrip()
        lines.append(code(usage) + plain(" — " + tr(f"cmd.{name}")))
    lines += ["", bold(tr("help.scoring_title")),
              tr("help.scoring", base=BASE_POINTS, bonus=SPEED_BONUS, seconds=settings.question_seconds,
                 daily=DAILY_POINTS)]
    return Reply(join(lines))


def topics_reply(tr: Catalog, course: Course) -> Reply:
    lines = [bold(tr("topics.title"))]
    for topic in course.topics.values():
        count = sum(1 for q in course.questions.values() if q.topic == topic.id)
        alias = topic.aliases[0] if topic.aliases else topic.id
        lines.append(plain(tr("topics.line", title=topic.title, count=count)) + code(f"/quiz {alias}"))
    lines.append(italic(tr("topics.mix")))
    return Reply(join(lines))


def lang_reply(tr: Catalog, current: str, is_group: bool, is_admin: bool, wanted: str) -> tuple[Reply, str | None]:
    """The reply to /lang, and the language to store (None: no change)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return Reply(plain(tr("lang.state", language=current, choices=", ".join(LANGUAGES)))), None
    if wanted not in LANGUAGES:
        return Reply(plain(tr("lang.unknown", choices=", ".join(LANGUAGES)))), None
    if is_group and not is_admin:
        return Reply(plain(tr("lang.admin_only"))), None
    return Reply(plain(catalog(wanted)("lang.set"))), wanted
