"""The real `studybot` command in a child process, as an operator runs it.

The child gets no token and no STUDYBOT_* setting from the test's environment, runs in a
folder of the test's choosing (so no stray studybot.yaml or .env is read), and reads settings
only from the file given. `as_operator=True` makes file permissions count even when the tests
run as root: root ignores permission bits, so the child drops the two capabilities that let it
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) before it starts, and is then refused like any user.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def _drop_root_powers() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permissions_count() -> None:
    """Skip the calling test when permission bits cannot be made to count for the child."""
    if os.geteuid() != 0:
        return
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_drop_root_powers,
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root without CAP_SETPCAP: permission bits cannot be made to count")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STUDYBOT_", "TELEGRAM_", "DISCORD_"))}
    env.update(extra)
    return env


def studybot_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "studybot.cli", *map(str, args)]


def run_studybot(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, stdin: str = "",
                 as_operator: bool = False, timeout: float = 60) -> Outcome:
    preexec = _drop_root_powers if as_operator and os.geteuid() == 0 else None
    result = subprocess.run(studybot_command(*args), input=stdin, capture_output=True, text=True,
                            cwd=cwd, env=env if env is not None else clean_env(), timeout=timeout,
                            preexec_fn=preexec)
    return Outcome(result.returncode, result.stdout, result.stderr)
