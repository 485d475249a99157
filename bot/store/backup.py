"""`studybot db backup PATH`: a consistent copy through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_database(source: Path, target: Path) -> tuple[int, str]:
    """(exit code, one line for the operator)."""
    if not source.exists():
        return 1, f"no database at {source}"
    if target.exists() and target.samefile(source):
        return 1, "the backup must go to another file"
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return 0, f"backed up {source} to {target}"
