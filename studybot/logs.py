"""Log lines for operators: one line per event, `key=value` fields, secrets redacted.

    2026-11-23T08:00:01Z INFO bot.service event platform=telegram chat=-1001 user=42
        command=define duration_ms=3.1 outcome=ok

Students' message text appears only at DEBUG.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path


class FieldsFormatter(logging.Formatter):
    def __init__(self, secrets: tuple[str, ...] = ()):
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        line = f"{stamp} {record.levelname} {record.name} {record.getMessage()}"
        for key, value in getattr(record, "fields", {}).items():
            text = str(value)
            if not text or any(ch in text for ch in ' "=\n'):
                text = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
            line += f" {key}={text}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        for secret in self.secrets:
            line = line.replace(secret, "***")
        return line


def configure_logging(level: str, secrets: tuple[str, ...] = (), file: Path | None = None) -> None:
    """Every log line to standard error, or appended to `file` instead (e.g. so an interactive
    console shows only the chat). A file that cannot be opened stops start-up with one line."""
    if file is None:
        handler: logging.Handler = logging.StreamHandler()
    else:
        try:
            Path(file).parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(file, encoding="utf-8")
        except OSError as exc:
            from studybot.startup import StartupError

            raise StartupError([f"log file: {file} cannot be opened for writing ({exc.strerror}); "
                                f"give a writable path"]) from None
    handler.setFormatter(FieldsFormatter(secrets))
    root = logging.getLogger()
    for previous in root.handlers:
        if isinstance(previous.formatter, FieldsFormatter):    # ours from an earlier call
            previous.close()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)    # it logs request URLs, token included
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
