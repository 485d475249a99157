"""The composition root: settings -> content -> store -> core -> adapters, on one event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.course.load import load_course
from bot.course.problems import ContentError


def load_or_explain(content_dir: Path):
    """The course, or None after printing every problem (never a traceback)."""
    try:
        return load_course(content_dir)
    except ContentError as exc:
        print(f"studybot: the content in {content_dir} has problems; fix them and start again:",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
