"""`binome tick` as a separate process, for the crash tests that kill it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path


def tick(config: Path, at: datetime) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "agent.cli.main", "tick", "--config",
                             str(config), "--at", at.isoformat()], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> None:
    """Wait for a tick that was not killed; it must have ended normally."""
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 1), err.decode()
