"""`studybot doctor`: the start-up checks, one line each, OK or FIX; exit 1 if anything must be fixed.

It runs the very functions start-up runs (studybot/startup.py), so it says FIX exactly when
`studybot run` would stop, with the same line. It only reads: no database, folder or lock file
is created. `--alive` instead asks whether a running bot is healthy (its heartbeat is fresh),
for container health checks: exit 0 or 1, one line.
"""

from __future__ import annotations

from pathlib import Path

from studybot.config import ConfigError, load_config
from studybot.heartbeat import MAX_AGE_SECONDS, check_alive, heartbeat_path


def doctor(config_file: Path | None, db: Path | None, content: Path | None, alive: bool = False,
           max_age: float = MAX_AGE_SECONDS) -> int:
    try:
        config = load_config(config_file)
    except ConfigError as error:
        print(f"{'not alive:' if alive else 'FIX'} {error}")
        return 1
    config.database = db or config.database
    config.content = content or config.content
    if alive:
        ok, line = check_alive(heartbeat_path(config.database), max_age)
        print(line)
        return 0 if ok else 1
    from studybot.startup import Finding, startup_checks

    set_by = ", ".join(f"{key} from {origin}" for key, origin in config.sources.items())
    findings = [Finding(True, f"settings: valid; {set_by or 'all defaults'}")] + startup_checks(config).findings
    for finding in findings:
        print(("OK  " if finding.ok else "FIX ") + finding.line)
    return 0 if all(f.ok for f in findings) else 1
