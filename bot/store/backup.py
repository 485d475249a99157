"""`studybot db backup PATH`: a consistent copy through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def backup_database(source: Path, target: Path) -> int:
    if not source.exists():
        print(f"no database at {source}", file=sys.stderr)
        return 1
    if target.exists() and target.samefile(source):
        print("the backup must go to another file", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    print(f"backed up {source} to {target}")
    return 0
