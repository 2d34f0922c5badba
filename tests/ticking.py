"""`binome tick` as a separate process, for the crash tests that kill it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.core.store import Store

PARIS = ZoneInfo("Europe/Paris")
KILLS_PER_STAGE = int(os.environ.get("CRASH_KILLS_PER_STAGE", "3"))
SEED = int(os.environ.get("CRASH_SEED", "20260901"))


def tick(config: Path, at: datetime) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "agent.cli.main", "tick", "--config",
                             str(config), "--at", at.isoformat()], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> None:
    """Wait for a tick that was not killed; it must have ended normally."""
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 1), err.decode()


# Blocks until the instant to kill the tick `proc` (its attempt number in the stage, the
# start-up time measured): True to kill it then, False when it ended by itself.
Wait = Callable[[subprocess.Popen[bytes], random.Random, int, float], bool]


def after_a_random_delay(proc: subprocess.Popen[bytes], rng: random.Random, attempt: int,
                         startup: float) -> bool:
    """Kill around the end of start-up, when the work begins."""
    try:
        proc.wait(timeout=rng.uniform(0.7 * startup, startup + 0.8))
    except subprocess.TimeoutExpired:
        return True
    return False


def kill_through_stages(config: Path, state: Path, calls: Callable[[], int],
                        slow: Callable[[], None], *, kills: int = KILLS_PER_STAGE,
                        killed_at: list[float] | None = None,
                        wait: Wait = after_a_random_delay) -> int:
    """The crash tests' run: three stages (the booking, the day before the first session,
    just after it), each a `binome tick --at T` started again and again and killed with
    SIGKILL when `wait` says, then run to the end. Returns how many kills landed mid-run
    (`calls()` moved while the process ran); `killed_at` gets each kill's instant
    (time.monotonic())."""
    rng = random.Random(SEED)
    started = time.monotonic()
    finish(tick(config, datetime(2026, 8, 1, 9, tzinfo=PARIS)))  # before the programme
    startup = time.monotonic() - started
    slow()
    stages = [datetime(2026, 9, 1, 7, tzinfo=PARIS)]
    mid_run = 0
    for index in range(3):
        at = stages[index]
        for attempt in range(kills):
            before = calls()
            proc = tick(config, at)
            if not wait(proc, rng, attempt, startup):
                finish(proc)
                continue
            os.kill(proc.pid, signal.SIGKILL)
            if killed_at is not None:
                killed_at.append(time.monotonic())
            proc.communicate()
            mid_run += calls() > before
        finish(tick(config, at))
        if index == 0:  # then the day before the first session, and just after it
            first = min(doc["start"] for _, doc in Store(state, readonly=True).all("series"))
            start = datetime.fromisoformat(first)
            stages += [start - timedelta(hours=23), start + timedelta(hours=3)]
    return mid_run
