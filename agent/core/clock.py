"""Time is a parameter: the agent asks a `Clock`, never the system directly.

The same code runs live (`SystemClock`) and in a simulated year (`SimClock`).
All instants are timezone-aware and in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the agent asks the time of: `SystemClock` live, `SimClock` in tests and simulations."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""


class SystemClock:
    """The real time, from the system."""

    def now(self) -> datetime:
        """The system's current time, in UTC."""
        return datetime.now(UTC)


class SimClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SimClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The simulated instant, in UTC; it changes only by `advance` or `set`."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock on by `delta`; returns the new instant."""
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to `when` (an aware datetime), kept in UTC."""
        self._now = when.astimezone(UTC)
