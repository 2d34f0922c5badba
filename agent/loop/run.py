"""`binome run`: ticks and inbox polls on a schedule until stopped.

`run_forever` only decides when ticks and inbox polls happen (the `schedule`
library) and stops cleanly: SIGTERM or Ctrl-C stops after the action in flight.
"""

from __future__ import annotations

import logging
import signal
import time as systime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import schedule

from agent.core.clock import Clock
from agent.core.store import lock
from agent.core.upkeep.upgrade import open_state
from agent.loop.agent import Agent
from agent.loop.watch import MailWatch
from agent.programme.settings import Settings

log = logging.getLogger("binome")


class Stopper:
    """Turns SIGTERM and Ctrl-C into a flag checked between actions."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        log.info("stopping after the action in flight (signal %d)", signum)
        self.stopping = True

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Route SIGTERM and SIGINT to this stopper while inside, then restore the old handlers."""
        old_term = signal.signal(signal.SIGTERM, self)
        old_int = signal.signal(signal.SIGINT, self)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, old_term)
            signal.signal(signal.SIGINT, old_int)


def guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """A job that raises is logged and the loop goes on (schedule would re-run it every pass)."""

    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("%s failed; the agent goes on", name)

    return run


def run_forever(settings: Settings, clock: Clock, *, max_seconds: float | None = None) -> None:
    """Hold the lock; tick now, then on schedule (and read mail) until a signal or `max_seconds`."""
    stopper = Stopper()
    with lock(settings.state_dir), stopper.installed():
        store = open_state(settings.state_dir, clock.now())  # upgraded at start if need be
        agent = Agent(settings, store, clock)
        agent.executor.should_stop = lambda: stopper.stopping
        scheduler = schedule.Scheduler()

        def tick() -> None:  # one line per tick in the log, beside one per action
            log.info("tick %s", agent.tick().summary())

        scheduler.every(settings.agent.tick_minutes).minutes.do(guarded("tick", tick))
        scheduler.every(settings.agent.inbox_minutes).minutes.do(
            guarded("inbox", agent.poll_inbox))
        log.info("agent started; ticks every %d min, inbox every %d min",
                 settings.agent.tick_minutes, settings.agent.inbox_minutes)
        guarded("tick", tick)()
        started = systime.monotonic()
        watch = MailWatch(agent.mailbox, agent.poll_inbox, settings.agent.inbox_minutes)
        while not stopper.stopping:
            scheduler.run_pending()
            left = float("inf") if max_seconds is None else \
                max_seconds - (systime.monotonic() - started)
            if left < 0:
                break
            # Until the next scheduled job: new mail is read meanwhile where IDLE says so.
            watch.pause(min(scheduler.idle_seconds or 0, left), lambda: stopper.stopping)
        store.close()
        log.info("agent stopped")
