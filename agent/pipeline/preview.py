"""What `binome plan` says about the sessions it would book: the slot, and why.

For each booking: the weekly slot chosen (in the host's zone), how many of
the coming weeks it is free for everyone, and each attendee's busy time in
the week of the first session, so the admin sees who is busy when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from agent.core.actions import Action, Prepared
from agent.core.model import Interval, Series
from agent.core.payloads import BookPayload
from agent.programme.scheduling import HORIZON_WEEKS
from agent.providers.base import Calendar

_WORDS = {
    "fr": {"every": "toutes les {n} semaines", "weekly": "chaque semaine", "from": "à partir du",
           "free": "libre pour tous", "busy": "occupé·e cette semaine-là", "none": "rien"},
    "en": {"every": "every {n} weeks", "weekly": "every week", "from": "from",
           "free": "free for everyone", "busy": "busy that week", "none": "nothing"},
}


def describe_bookings(prepared: Sequence[Prepared], failed: Sequence[tuple[Action, str]],
                      calendar: Calendar, lang: str) -> list[str]:
    """Each booking prepared: its slot, how free it is, and who is busy when; and why the
    others could not be made."""
    all_series = [p.payload.series for p in prepared if isinstance(p.payload, BookPayload)]
    lines: list[str] = []
    if all_series:
        # One batched free/busy question for every attendee of every booking shown.
        span = Interval(min(s.start for s in all_series) - timedelta(days=7),
                        max(s.start for s in all_series) + timedelta(weeks=HORIZON_WEEKS + 1))
        emails = sorted({e for s in all_series for e in s.attendees})
        busy = calendar.free_busy(emails, span)
        for series in all_series:
            lines += _one(series, busy, _WORDS.get(lang, _WORDS["en"]), lang)
    for action, why in failed:
        lines.append(f"  {action.pairing_id}: no slot: {why}")
    return lines


def _one(series: Series, busy: Mapping[str, Sequence[Interval]], words: Mapping[str, str],
         lang: str) -> list[str]:
    zone = ZoneInfo(series.timezone)
    first = series.start.astimezone(zone)
    n = series.interval_weeks
    every = words["every"].format(n=n) if n > 1 else words["weekly"]
    head = (f"  {series.title}: {format_datetime(first, 'EEEE HH:mm', locale=lang)} "
            f"({series.timezone}), {every}, {int(series.duration.total_seconds() // 60)} min, "
            f"{words['from']} {first.date().isoformat()}")
    monday = datetime.combine(first.date() - timedelta(days=first.weekday()), time(0), zone)
    week = Interval(monday, monday + timedelta(days=7))
    ahead = series.occurrences(Interval(series.start,
                                        series.start + timedelta(weeks=HORIZON_WEEKS)))
    clear = sum(all(not _overlaps(b, o, series.duration) for e in series.attendees
                    for b in _others(busy.get(e, []), series, o)) for o in ahead)
    lines = [head, f"    {words['free']}: {clear}/{len(ahead)}"]
    for email in series.attendees:
        blocks = [b for b in busy.get(email, []) if b.start < week.end and week.start < b.end]
        shown = ", ".join(_span(b, zone, lang) for b in blocks) or words["none"]
        lines.append(f"    {email} {words['busy']}: {shown}")
    return lines


def _others(busy: Sequence[Interval], series: Series, occurrence: datetime) -> list[Interval]:
    """Busy time that is not this very occurrence (a calendar already showing it)."""
    end = occurrence + series.duration
    return [b for b in busy if not (b.start == occurrence and b.end == end)]


def _overlaps(b: Interval, start: datetime, duration: timedelta) -> bool:
    return b.start < start + duration and start < b.end


def _span(b: Interval, zone: ZoneInfo, lang: str) -> str:
    start, end = b.start.astimezone(zone), b.end.astimezone(zone)
    return f"{format_datetime(start, 'EEE HH:mm', locale=lang)}-{end:%H:%M}"
