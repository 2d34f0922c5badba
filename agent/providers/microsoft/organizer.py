"""What the Graph and Exchange calendars share: the programme mailbox organises every
series, and a `Schedule` kept on the series master says what was booked.

Both services answer free/busy only so far ahead per call (`base.spans` cuts the
window), and both keep the series key and its `Schedule` in extended properties of
our own property set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from agent.core.errors import PermanentError
from agent.core.model import Series
from agent.providers.microsoft.schedule import Schedule

_Item = TypeVar("_Item")


def check_organizer(series: Series, mailbox: str) -> None:
    """`PermanentError` unless `mailbox` (the one this calendar books as) organises `series`."""
    if series.organizer != mailbox:
        raise PermanentError(f"series {series.key!r} is organised by {series.organizer}, "
                             f"but this calendar books as {mailbox}")


def booked(key: str, mailbox: str, found: _Item | None,
           schedule_text: Callable[[_Item], str | None]) -> tuple[_Item, Schedule]:
    """The series master `found` under `key` in `mailbox`'s calendar, and the `Schedule`
    kept on it; `PermanentError` when there is no such series or it lost its Schedule."""
    if found is None:
        raise PermanentError(f"no series with key {key!r} in {mailbox}'s calendar")
    schedule = Schedule.loads(schedule_text(found) or "")
    if schedule is None:
        raise PermanentError(f"the series {key!r} lost its booking details "
                             f"(extended property); book it again")
    return found, schedule

