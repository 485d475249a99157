"""Leaderboard periods in a chat's timezone: a week starts on Monday, a month on the 1st."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def _zones_by_key() -> dict[str, str]:
    return {name.lower(): name for name in _zones()}


def canonical_timezone(name: str) -> str | None:
    """The IANA zone a typed name means, whatever its case ("asia/ho_chi_minh" is
    Asia/Ho_Chi_Minh); None if tzdata knows no such zone."""
    return _zones_by_key().get(name.strip().lower()) if name.strip() else None


def is_timezone(name: str) -> bool:
    """An IANA zone name that tzdata knows, e.g. Asia/Ho_Chi_Minh or Europe/Berlin."""
    return name in _zones()


def week_key(instant: datetime, timezone: str) -> str:
    local = instant.astimezone(zone(timezone)).date()
    return (local - timedelta(days=local.weekday())).isoformat()


def month_key(instant: datetime, timezone: str) -> str:
    return instant.astimezone(zone(timezone)).strftime("%Y-%m")


def period_key(period: str, instant: datetime, timezone: str) -> str:
    if period == "week":
        return "w:" + week_key(instant, timezone)
    if period == "month":
        return "m:" + month_key(instant, timezone)
    return "all"
