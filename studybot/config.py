"""Settings: built-in defaults < studybot.yaml < environment (and .env) < command-line flags.

Tokens come only from the environment or a .env file, never from the YAML. An unknown key, a
wrong type or an impossible value stops start-up with one line naming the setting and what is
accepted; no secret is ever printed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from bot.daily_schedule import parse_time
from bot.i18n import LANGUAGES
from bot.periods import is_timezone
from bot.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = "studybot.yaml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


TELEGRAM_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
DISCORD_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
SECRET_SHAPES = (TELEGRAM_TOKEN_SHAPE, DISCORD_TOKEN_SHAPE)


class ConfigError(Exception):
    """One clear line: which setting, what is wrong, what is accepted."""


def looks_like_token(text: str, known: tuple[str, ...] = ()) -> bool:
    """True when the text holds a bot token (one of `known`, or anything shaped like one)."""
    return any(secret and secret in text for secret in known) or any(
        shape.search(text) for shape in SECRET_SHAPES)


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value)
        else:
            raise ValueError
        if not low <= number <= high:
            raise ValueError
        return number
    check.accepts = f"a whole number from {low} to {high}"
    return check


def _fraction(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
        if not low <= number <= high:
            raise ValueError
        return number
    check.accepts = f"a number from {low} to {high}"
    return check


def _choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip()
        match = next((o for o in options if o.lower() == text.lower()), None)
        if match is None:
            raise ValueError
        return match
    check.accepts = "one of " + ", ".join(options)
    return check


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise ValueError


_boolean.accepts = "true or false"


def _time(value: Any) -> str:
    parsed = parse_time(str(value)) if not isinstance(value, (int, bool)) else None
    if parsed is None:
        raise ValueError
    return parsed


_time.accepts = 'a time "HH:MM" in quotes, e.g. "08:00"'


def _zone(value: Any) -> str:
    if not isinstance(value, str) or not is_timezone(value):
        raise ValueError
    return value


_zone.accepts = "an IANA time zone such as Asia/Ho_Chi_Minh or Europe/Berlin"


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    return Path(value)


_path.accepts = "a file or folder path"


def _url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError
    if looks_like_token(value):
        raise ValueError
    return value.rstrip("/")


_url.accepts = ("an http:// or https:// URL of the server alone, e.g. http://127.0.0.1:8081 "
                "(never with the token: the bot adds it)")


def _snowflake(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isdigit():
        raise ValueError
    return int(value)


_snowflake.accepts = "a Discord server id (digits)"

# setting -> (environment variable, parser)
SCHEMA: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "database": ("STUDYBOT_DB", _path),
    "content": ("STUDYBOT_CONTENT", _path),
    "seeds": ("STUDYBOT_SEEDS", _path),
    "timezone": ("STUDYBOT_TIMEZONE", _zone),
    "daily_time": ("STUDYBOT_DAILY_TIME", _time),
    "quiz.seconds": ("STUDYBOT_QUIZ_SECONDS", _whole(5, 600)),
    "quiz.grace_seconds": ("STUDYBOT_QUIZ_GRACE_SECONDS", _whole(0, 30)),
    "quiz.round_size": ("STUDYBOT_ROUND_SIZE", _whole(1, 20)),
    "review.retention": ("STUDYBOT_REVIEW_RETENTION", _fraction(0.7, 0.97)),
    "private_standings": ("STUDYBOT_PRIVATE_STANDINGS", _boolean),
    "flood.commands": ("STUDYBOT_FLOOD_COMMANDS", _whole(1, 100)),
    "flood.seconds": ("STUDYBOT_FLOOD_SECONDS", _whole(1, 600)),
    "language": ("STUDYBOT_LANGUAGE", _choice(*LANGUAGES)),
    "log_level": ("STUDYBOT_LOG_LEVEL", _choice(*LOG_LEVELS)),
    "telegram.base_url": ("TELEGRAM_BASE_URL", _url),
    "telegram.polls": ("TELEGRAM_POLLS", _boolean),
    "discord.guild_id": ("DISCORD_GUILD_ID", _snowflake),
}


@dataclass
class Config:
    database: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "studybot.sqlite3")
    content: Path = field(default_factory=lambda: PROJECT_ROOT / "content")
    seeds: Path | None = None          # the seed texts; None: beside the content (bot.course.seeds)
    settings: Settings = field(default_factory=Settings)
    log_level: str = "INFO"
    telegram_token: str = ""
    telegram_base_url: str | None = None
    telegram_polls: bool = True
    discord_token: str = ""
    discord_guild_id: int | None = None
    sources: dict[str, str] = field(default_factory=dict)   # setting -> where its value came from


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; # comments and blank lines ignored; quotes around a value dropped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                          f"make it a readable text file for uid {os.geteuid()}") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError(f"{path.name}: line {number}: expected KEY=VALUE")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def _read_settings_file(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc}); make it "
                          f"a readable text file for uid {os.geteuid()}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML: {where}{reason}; fix that line (copy "
                          f"studybot.example.yaml for the layout)") from None


def _shown(value: Any, env: dict[str, str]) -> str:
    """How a rejected value is quoted back: never when it holds a token, never whole when long."""
    known = (env.get("TELEGRAM_BOT_TOKEN", ""), env.get("DISCORD_TOKEN", ""))
    if looks_like_token(str(value), tuple(k.strip() for k in known)):
        return "got a value that holds a bot token; not shown here"
    shown = value if len(str(value)) < 60 else str(value)[:57] + "..."
    return f"got {shown!r}"


def load_config(config_file: Path | None = None, environ: dict[str, str] | None = None,
                dotenv: Path | None = None) -> Config:
    environ = dict(os.environ if environ is None else environ)
    dotenv_values = read_dotenv(dotenv if dotenv is not None else Path(".env"))
    merged_env = {**dotenv_values, **environ}          # the real environment wins over .env
    path = config_file if config_file is not None else Path(environ.get("STUDYBOT_CONFIG", CONFIG_FILE))
    raw: dict[str, Any] = {}
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder, not a settings file; give the file (--config or "
                          f"STUDYBOT_CONFIG), e.g. a copy of studybot.example.yaml")
    if path.is_file():
        loaded = _read_settings_file(path) or {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: must be a mapping of settings (see studybot.example.yaml)")
        raw = _flatten(loaded)
        for key in raw:
            if key in ("telegram.token", "discord.token"):
                raise ConfigError(f"{path}: {key}: tokens go in the environment or .env, never in this file")
            if key not in SCHEMA:
                raise ConfigError(f"{path}: {key}: unknown setting (known: {', '.join(SCHEMA)})")
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, (variable, parse) in SCHEMA.items():
        for origin, value in ((variable, merged_env.get(variable)), (str(path), raw.get(key))):
            if value is None or (origin == variable and value == ""):
                continue
            try:
                values[key] = parse(value)
            except (ValueError, TypeError):
                raise ConfigError(f"{origin}: {key}: must be {parse.accepts} "
                                  f"({_shown(value, merged_env)})") from None
            sources[key] = origin
            break
    config = Config(sources=sources)
    config.database = values.get("database", config.database)
    config.content = values.get("content", config.content)
    config.seeds = values.get("seeds")
    config.log_level = values.get("log_level", config.log_level)
    config.telegram_base_url = values.get("telegram.base_url")
    config.telegram_polls = values.get("telegram.polls", True)
    config.discord_guild_id = values.get("discord.guild_id")
    config.telegram_token = merged_env.get("TELEGRAM_BOT_TOKEN", "").strip()
    config.discord_token = merged_env.get("DISCORD_TOKEN", "").strip()
    defaults = Settings()
    config.settings = Settings(
        question_seconds=values.get("quiz.seconds", defaults.question_seconds),
        grace_seconds=values.get("quiz.grace_seconds", defaults.grace_seconds),
        round_size=values.get("quiz.round_size", defaults.round_size),
        review_retention=values.get("review.retention", defaults.review_retention),
        default_timezone=values.get("timezone", defaults.default_timezone),
        daily_time=values.get("daily_time", defaults.daily_time),
        language=values.get("language", defaults.language),
        private_standings=values.get("private_standings", defaults.private_standings),
        flood_commands=values.get("flood.commands", defaults.flood_commands),
        flood_seconds=values.get("flood.seconds", defaults.flood_seconds),
    )
    return config


def mask_tokens(text: str) -> str:
    """Anything shaped like a bot token, replaced (for messages built without the settings)."""
    for shape in SECRET_SHAPES:
        text = shape.sub("***", text)
    return text
