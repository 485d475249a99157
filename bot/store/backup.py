"""`studybot db backup PATH`: a consistent copy through SQLite's online backup API.

It only reads the source (never creates it) and is safe while the bot runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupError(Exception):
    """The copy was not made; the message is one line for the operator."""


def backup_database(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}; check --db or STUDYBOT_DB (nothing was created)")
    if target.exists() and target.samefile(source):
        raise BackupError("the backup must go to another file")
    existed = target.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as error:
        if not existed:
            target.unlink(missing_ok=True)      # no half-made copy left to be taken for a backup
        raise BackupError(f"cannot back up {source} to {target}: {error}") from None
    except OSError as error:
        raise BackupError(f"cannot write the backup {target}: {error.strerror}") from None
