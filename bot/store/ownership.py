"""One process owns a database: an exclusive lock on `<db>.lock`, held for the process's life.

The operating system enforces it (`flock`): the lock goes away with the process however it
ends, even on SIGKILL, so there is never a stale lock to clean up. The lock file holds the
owner's pid, host and start time, so a refused process can name the one that has the database.
The file itself stays after the owner exits (removing it would let two processes lock two
different files of the same name); an empty or stale file means nothing.

Tools that only read (report, backup, doctor) never take the lock; `current_owner` tells them
who holds it without creating anything.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

RETRY_SECONDS = 1.0     # how long to wait for a holder that is not a live owner (a brief probe)


@dataclass(frozen=True)
class Owner:
    pid: int | None
    host: str
    started: str          # ISO 8601, UTC

    def describe(self) -> str:
        pid = f"pid {self.pid}" if self.pid else "a process"
        host = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        since = f", started {self.started}" if self.started else ""
        return f"{pid}{host}{since}"

    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_live_here(self) -> bool:
        """True when the recorded pid runs on this host (the lock is then certainly theirs)."""
        if not self.pid or self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class OwnershipError(Exception):
    """The database cannot be owned by this process; the message is one line for the operator."""


class DatabaseInUse(OwnershipError):
    def __init__(self, db_path: Path, owner: Owner):
        self.db_path, self.owner = db_path, owner
        super().__init__(
            f"database: {db_path} is in use by another studybot ({owner.describe()}); one process "
            f"owns a database: stop that one first, or give this one another --db")


def lock_path(db_path: Path | str) -> Path:
    """`<db>.lock` beside the real file (symlinks resolved, so two spellings share one lock)."""
    return Path(os.path.realpath(db_path) + ".lock")


def _read_owner(fd: int) -> Owner:
    with contextlib.suppress(OSError):
        raw = os.pread(fd, 4096, 0).decode("utf-8", errors="replace")
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            data = json.loads(raw)
            pid = data.get("pid")
            return Owner(pid if isinstance(pid, int) else None, str(data.get("host", "")),
                         str(data.get("started", "")))
    return Owner(None, "", "")


def current_owner(db_path: Path | str) -> Owner | None:
    """Who holds the database's lock now, or None; creates nothing (for read-only tools)."""
    if str(db_path) == ":memory:":
        return None
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_owner(fd)
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class Ownership:
    """The held lock; `release()` (or leaving the `with` block) gives the database up."""

    def __init__(self, db_path: Path | str, fd: int | None):
        self.db_path = Path(db_path)
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> "Ownership":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def acquire_ownership(db_path: Path | str, retry_seconds: float = RETRY_SECONDS) -> Ownership:
    """Take the database for this process, or raise OwnershipError (DatabaseInUse when another
    process has it). A live owner is refused at once; a holder that cannot be identified as one
    (e.g. `doctor` probing the lock at that instant) is waited for up to `retry_seconds`."""
    if str(db_path) == ":memory:":
        return Ownership(db_path, None)
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OwnershipError(
            f"database: cannot create the lock file {path} ({exc.strerror}); the folder must be "
            f"writable by the user running studybot (uid {os.geteuid()})") from None
    deadline = time.monotonic() + retry_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            owner = _read_owner(fd)
            if owner.is_live_here() or time.monotonic() >= deadline:
                os.close(fd)
                raise DatabaseInUse(Path(db_path), owner) from None
            time.sleep(0.05)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP):
                raise OwnershipError(f"database: {path} is on a file system without file locks "
                                     f"({exc.strerror}); put the database on a local disk") from None
            raise
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started})
    os.ftruncate(fd, 0)
    os.pwrite(fd, (record + "\n").encode("utf-8"), 0)
    return Ownership(db_path, fd)
