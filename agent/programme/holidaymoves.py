"""A booked series' occurrences that fall on a public holiday: moved, or skipped.

Kept apart from `agent.programme.holidays` (which only says which days are off, and is
used by the roster checks) because moving needs the slot search of `agent.programme.scheduling`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from agent.core.model import Interval, Participant, Series
from agent.programme.holidays import on_holiday
from agent.programme.scheduling import slot_in_week
from agent.programme.settings import Hours


def around_holidays(series: Series, *, attendees: Sequence[Participant],
                    busy: Mapping[str, Sequence[Interval]], hours: Hours,
                    not_before: datetime, since: datetime | None = None) -> Series:
    """`series` with each occurrence that falls on an attendee's public holiday moved to
    the closest free time of its week, or skipped (EXDATE) when that week has none; with
    `since`, only the occurrences from then on (a series extended: the past is kept).

    `busy` should count the holidays themselves (`days_off`), so a move never lands on
    another one. Every attendee's calendar then shows the override or the cancellation,
    and the mails follow the occurrence's real time.
    """
    starts = [o for o in series.occurrences() if since is None or o >= since]
    for original in on_holiday(starts, attendees):
        start = slot_in_week(attendees=attendees, busy=busy, hours=hours,
                             duration=series.duration, original=original,
                             not_before=not_before, series_tz=series.timezone)
        series = series.rescheduled(original, start)
    return series
