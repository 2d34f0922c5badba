"""Learning days: dates on which every workshop of the cycle meets, instead of its cadence.

A workshop's sessions are still one recurring series (one invitation people
accept once, one event per calendar, the same series every backend knows):
weekly from the first learning day to the last, at one time of day, with each
occurrence in a learning day's week moved to that day (an override) and every
other week's occurrence skipped (EXDATE). Calendars therefore show exactly the
learning-day sessions. The time is the one free for everybody on the most of
those days. Two learning days in the same week: the first is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.core.model import Interval, Participant, Series
from agent.programme.scheduling import free_starts_on
from agent.programme.settings import Hours


def on_learning_days(base: Series, days: Sequence[date], *, attendees: Sequence[Participant],
                     busy: Mapping[str, Sequence[Interval]], hours: Hours,
                     not_before: datetime) -> Series | None:
    """`base` (a workshop series) rebuilt to meet on `days` only, or None when none is left."""
    zone = ZoneInfo(base.timezone)
    first_day = not_before.astimezone(zone).date()
    last_day = (base.until - timedelta(seconds=1)).astimezone(zone).date()
    chosen: dict[tuple[int, int], date] = {}
    for day in sorted(d for d in days if first_day <= d <= last_day):
        chosen.setdefault(day.isocalendar()[:2], day)  # one per week
    if not chosen:
        return None
    picked = sorted(chosen.values())
    counts: dict[time, int] = {}
    for day in picked:
        for start in free_starts_on(day, attendees=attendees, busy=busy, hours=hours,
                                    duration=base.duration, series_tz=base.timezone):
            counts[start.time()] = counts.get(start.time(), 0) + 1
    at = min(counts, key=lambda t: (-counts[t], t)) if counts else hours.start
    start = datetime.combine(picked[0], at, zone)
    weekly = replace(base, start=start, interval_weeks=1,
                     until=datetime.combine(picked[-1], at, zone) + timedelta(days=1),
                     cancelled=(), moved=())
    moved: list[tuple[datetime, datetime]] = []
    skipped: list[datetime] = []
    for occurrence in weekly.occurrences():
        local = occurrence.astimezone(zone)
        meets = chosen.get(local.date().isocalendar()[:2])
        if meets is None:
            skipped.append(occurrence)
        elif meets != local.date():
            moved.append((occurrence, datetime.combine(meets, at, zone).astimezone(UTC)))
    return replace(weekly, cancelled=tuple(skipped), moved=tuple(moved))
