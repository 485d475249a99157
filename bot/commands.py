"""The command table: every command's name, the aliases students type, and whether the core's
answer depends on the user administering the chat. Dispatch (bot/service.py) and the adapters'
"ask the platform who is admin" rule both read this one table."""

from __future__ import annotations

ALIASES = {
    "start": "help", "batdau": "help", "huongdan": "help",
    "d": "define", "dinhnghia": "define",
    "chude": "topics",
    "ngonngu": "lang",
    "dung": "stop",
    "bxh": "top",
    "toi": "me",
    "thongke": "stats",
    "baoloi": "report",
    "a": "answer", "traloi": "answer",
    "ontap": "review", "onlai": "review",
}

# Commands whose answer depends on admin rights: always, or only with one of these first words.
DAILY_ADMIN_ACTIONS = ("on", "off", "time", "tz")
ADMIN_ALWAYS = ("stop", "stats", "reports")
ADMIN_WITH_ARGS = {"daily": DAILY_ADMIN_ACTIONS, "lang": None}   # None: any argument


def canonical(name: str) -> str:
    name = name.lower()
    return ALIASES.get(name, name)


def needs_admin_check(name: str, args: str) -> bool:
    """Whether an adapter must ask its platform if the user administers the chat."""
    name = canonical(name)
    if name in ADMIN_ALWAYS:
        return True
    if name not in ADMIN_WITH_ARGS or not args.split():
        return False
    actions = ADMIN_WITH_ARGS[name]
    return actions is None or args.split()[0].lower() in actions
