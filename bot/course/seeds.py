"""Reading the seed texts that `sources.yaml` names, for the checks that compare with them.

The seeds live outside `content/` (in the shared course material), so their folder is a
setting: `seeds` in studybot.yaml, `STUDYBOT_SEEDS`, or `--seeds`; by default
`<content>/../../shared/seeds`, where the material sits beside the project's checkouts.
"""

from __future__ import annotations

from pathlib import Path

from bot.model.course import Course


def default_seeds_folder(content: Path) -> Path:
    return (content / ".." / ".." / "shared" / "seeds").resolve()


def read_seeds(folder: Path, course: Course) -> tuple[dict[str, str], list[str]]:
    """The texts of the seed files in sources.yaml, by file name, and what could not be read."""
    texts: dict[str, str] = {}
    missing: list[str] = []
    if not folder.is_dir():
        return texts, [f"seeds folder {folder} not found (set seeds: in studybot.yaml, "
                       "STUDYBOT_SEEDS or --seeds)"]
    for name in course.sources:
        path = folder / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            missing.append(f"seed {path} cannot be read ({exc.__class__.__name__})")
    return texts, missing
