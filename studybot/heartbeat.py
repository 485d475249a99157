"""Proof of life for containers: the running bot's clock task writes `<db>.heartbeat`.

The ticker calls `Heartbeat.beat()` on every tick; it writes the time (at most every
`every_seconds`) only while `healthy()` says the bot is sound (e.g. its platform connections
are alive). `studybot doctor --alive` reads the file: fresh means the clock runs and the bot is
healthy; stale or missing means it is not, and the container's health check fails.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)
MAX_AGE_SECONDS = 90.0
EVERY_SECONDS = 10.0


def heartbeat_path(db_path: Path | str) -> Path:
    """`<db>.heartbeat`, beside the database (on the container's volume)."""
    return Path(f"{db_path}.heartbeat")


class Heartbeat:
    def __init__(self, path: Path, healthy: Callable[[], bool] = lambda: True,
                 every_seconds: float = EVERY_SECONDS):
        self.path = Path(path)
        self.healthy = healthy
        self.every_seconds = every_seconds
        self._last: datetime | None = None
        self._failing: OSError | None = None

    def beat(self, now: datetime | None = None) -> bool:
        """Write the time if the bot is healthy and the last write is old enough; True if written.
        The file is replaced whole, so a reader never sees half a time stamp."""
        now = now or datetime.now(UTC)
        if not self.healthy():
            return False
        if self._last is not None and 0 <= (now - self._last).total_seconds() < self.every_seconds:
            return False
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text(now.astimezone(UTC).isoformat() + "\n", encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:      # never let the proof of life stop the clock it proves
            if self._failing is None:
                log.warning("heartbeat not written", extra={"fields": {"path": str(self.path),
                                                                         "error": exc.strerror}})
            self._failing = exc
            return False
        self._last, self._failing = now, None
        return True

    def stop(self) -> None:
        """The bot stops on purpose: no heartbeat is left to look fresh."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._last = None


def check_alive(path: Path, max_age: float = MAX_AGE_SECONDS,
                now: datetime | None = None) -> tuple[bool, str]:
    """(alive, one line) from the heartbeat file; reads only."""
    now = now or datetime.now(UTC)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return False, (f"not alive: no heartbeat at {path}; the bot is not running on this database "
                       f"(or has not finished starting)")
    except OSError as exc:
        return False, f"not alive: the heartbeat {path} cannot be read ({exc.strerror})"
    try:
        beat = datetime.fromisoformat(text)
        age = (now - beat).total_seconds()
    except (ValueError, TypeError):
        return False, f"not alive: the heartbeat {path} holds no time stamp ({text[:40]!r})"
    if age > max_age:
        return False, (f"not alive: the last heartbeat is {age:.0f} s old (more than {max_age:.0f} s): "
                       f"the bot's clock task or a platform connection has stopped; restart the bot")
    return True, f"alive: heartbeat {max(age, 0):.0f} s old ({path})"
