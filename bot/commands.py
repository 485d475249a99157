"""The command table: every command once, with what dispatch, /help and the platforms' menus need.

An entry names the command, the aliases students type, its handler, who may use it, how its
arguments are read (and, on Discord, offered: types, ranges, choices, autocomplete) and an
example. Descriptions live in the catalogues (bot/locales): `cmd.<name>` for the command,
`arg.<name>.<arg>` for an argument, `choice.<name>.<value>` for a choice. Adding a command means
one entry here plus its handler; tests check that it reaches dispatch, /help, both menus and
both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Mapping

from bot import class_reports, daily, define, help as help_replies, leaderboard, rounds, typed_answers
from bot.review import session as review
from bot.normalize import fold
from bot.replies import Reply
from bot.turn import Args, Turn

Handler = Callable[[Turn, Args], Awaitable[list[Reply]]]

KINDS = ("text", "word", "int", "choice", "term", "topic")
_NUMBER_LIKE = re.compile(r"^[-+]?\d")


@dataclass(frozen=True)
class Arg:
    name: str                    # ASCII, lowercase: also the Discord option name
    kind: str = "text"           # text: the rest of the line; word: one word; int; choice;
                                 # term: a concept (autocompleted); topic: a quiz topic (autocompleted)
    required: bool = False
    low: int | None = None       # int range, inclusive
    high: int | None = None
    choices: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)   # what students type -> a choice


@dataclass(frozen=True)
class Spec:
    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    args: tuple[Arg, ...] = ()
    example: str = ""
    admins_only: bool = False    # listed to admins only (Telegram's administrators' menu)
    admin_check: str = "never"   # "always", "changing" (when its first word changes something) or "never"
    changing: tuple[str, ...] = ()   # for "changing": those first words (empty: any argument)
    flood_gated: bool = True     # counted by flood control (not an answer: it counts once anyway)

    def needs_admin_check(self, args: str) -> bool:
        """Whether an adapter must ask its platform if the user administers the chat."""
        if self.admin_check == "always":
            return True
        words = args.split()
        if self.admin_check != "changing" or not words:
            return False
        if not self.changing:
            return True
        readings = (_choice(self.args[0], words[0]), _choice(self.args[0], " ".join(words[:2])))
        return any(reading in self.changing for reading in readings)   # "mui gio" as parse_args reads it

    def usage(self) -> str:
        return f"/{self.name} {self.example}".rstrip()


def _choice(arg: Arg, word: str) -> str | None:
    key = fold(word)
    if key in arg.choices:
        return key
    return arg.synonyms.get(key)


class ArgError(Exception):
    """The arguments do not fit the command: `key` and `values` name the message to show
    (a value `what` is itself a catalogue key: the argument's description)."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key)
        self.key, self.values = key, values


def parse_args(spec: Spec, text: str) -> Args:
    """The command's arguments from what was typed after it, checked against the table.

    A trailing whole number fills a trailing int argument ("/quiz lịch sử 5"); anything that
    starts like a number there must be in range ("/quiz 21", "/quiz 10^12" get the range).
    Choices may be typed as their synonyms, without diacritics. The last text argument takes
    the rest of the line."""
    words = text.split()
    values: Args = {arg.name: None for arg in spec.args}
    pending = list(spec.args)
    if pending and pending[-1].kind == "int" and words and _NUMBER_LIKE.match(words[-1]):
        arg = pending.pop()
        values[arg.name] = _integer(spec, arg, words.pop())
    for n, arg in enumerate(pending):
        last = n == len(pending) - 1
        if not words:
            if arg.required:
                raise ArgError("args.missing", what=f"arg.{spec.name}.{arg.name}", usage=spec.usage())
            continue
        if arg.kind == "choice":
            two = _choice(arg, " ".join(words[:2])) if len(words) > 1 else None
            one = _choice(arg, words[0])
            if two is not None and (last or one is None):
                values[arg.name], words = two, words[2:]
            elif one is not None:
                values[arg.name], words = one, words[1:]
            else:
                raise ArgError("args.choice", choices=", ".join(arg.choices), usage=spec.usage())
        elif arg.kind == "int":
            values[arg.name] = _integer(spec, arg, words.pop(0))
        elif arg.kind == "word" and not last:
            values[arg.name] = words.pop(0)
        else:
            values[arg.name], words = " ".join(words), []
    return values


def _integer(spec: Spec, arg: Arg, word: str) -> int:
    try:
        value = int(word)
    except ValueError:
        value = None
    if value is None or (arg.low is not None and value < arg.low) or (arg.high is not None and value > arg.high):
        raise ArgError("args.range", low=arg.low, high=arg.high, usage=spec.usage())
    return value


# --- handlers that only render -----------------------------------------------------------------
async def _help(turn: Turn, args: Args) -> list[Reply]:
    entries = [(spec.name, spec.usage()) for spec in COMMANDS]
    return [help_replies.help_reply(turn.tr, turn.core.settings, entries, turn.can)]


async def _topics(turn: Turn, args: Args) -> list[Reply]:
    return [help_replies.topics_reply(turn.tr, turn.core.course)]


TOP_PERIODS = ("week", "month", "all", "streak")
DAILY_ACTIONS = ("on", "off", "time", "tz")

COMMANDS: tuple[Spec, ...] = (
    Spec("define", define.define_command, aliases=("d", "dinhnghia"),
         args=(Arg("term", "term"),), example="hội nhập quốc tế"),
    Spec("topics", _topics, aliases=("chude",)),
    Spec("quiz", rounds.start_quiz,
         args=(Arg("topic", "topic"), Arg("count", "int", low=1, high=20)), example="lịch sử 5"),
    Spec("stop", rounds.stop_quiz, aliases=("dung",), admin_check="always"),
    Spec("top", leaderboard.top_command, aliases=("bxh",), example="week",
         args=(Arg("period", "choice", choices=TOP_PERIODS, synonyms={
             "tuan": "week", "tuan nay": "week", "w": "week", "thang": "month", "thang nay": "month",
             "m": "month", "tat ca": "all", "tatca": "all", "a": "all", "chuoi": "streak",
             "chuoi ngay": "streak"}),)),
    Spec("me", leaderboard.me_command, aliases=("toi",)),
    Spec("daily", daily.daily_command, example="on 08:00", admin_check="changing", changing=DAILY_ACTIONS,
         args=(Arg("action", "choice", choices=DAILY_ACTIONS, synonyms={
             "bat": "on", "tat": "off", "gio": "time", "muigio": "tz", "mui gio": "tz"}),
               Arg("value", "text"))),
    Spec("review", review.review_command, aliases=("ontap", "onlai"), example="on 20:00",
         args=(Arg("action", "choice", choices=("on", "off", "tz"), synonyms={
             "bat": "on", "tat": "off", "muigio": "tz", "mui gio": "tz"}), Arg("value", "text"))),
    Spec("answer", typed_answers.answer_command, aliases=("a", "traloi"), flood_gated=False,
         args=(Arg("text", "text", required=True),), example="1995"),
    Spec("report", class_reports.report_command, aliases=("baoloi",), example="ls-asean-1967",
         args=(Arg("id", "word", required=True), Arg("reason", "text"))),
    Spec("lang", help_replies.lang_command, aliases=("ngonngu",), example="en", admin_check="changing",
         args=(Arg("language", "choice", choices=("vi", "en"), synonyms={
             "tieng viet": "vi", "viet": "vi", "english": "en", "anh": "en", "tieng anh": "en"}),)),
    Spec("stats", class_reports.stats_command, aliases=("thongke",), admins_only=True, admin_check="always"),
    Spec("reports", class_reports.reports_command, admins_only=True, admin_check="always"),
    Spec("help", _help, aliases=("start", "batdau", "huongdan")),
)

BY_NAME: dict[str, Spec] = {spec.name: spec for spec in COMMANDS}
_ALIASES: dict[str, str] = {alias: spec.name for spec in COMMANDS for alias in spec.aliases}


def find(name: str) -> Spec | None:
    """The command a typed name means (a name or an alias, any case)."""
    name = name.lower()
    return BY_NAME.get(_ALIASES.get(name, name))


def needs_admin_check(name: str, args: str) -> bool:
    spec = find(name)
    return spec is not None and spec.needs_admin_check(args)
