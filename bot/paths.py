"""Where the project's files are by default; every one of them can be overridden."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_content_dir() -> Path:
    return Path(os.environ.get("STUDYBOT_CONTENT", PROJECT_ROOT / "content"))


def default_db_path() -> Path:
    return Path(os.environ.get("STUDYBOT_DB", PROJECT_ROOT / "data" / "studybot.sqlite3"))
