"""What `binome plan` says about the sessions it would book: the slot, and why.

For each booking: the weekly slot chosen (in the host's zone), how many of
the coming weeks it is free for everyone, and each attendee's busy time in
the week of the first session, so the admin sees who is busy when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from agent.ledger import series_from_doc
from agent.model import Interval, Participant, Series
from agent.planner import Action
from agent.prepare import HORIZON_WEEKS, Preparer
from agent.providers.base import Calendar


def describe_bookings(preparer: Preparer, calendar: Calendar, people: Mapping[str, Participant],
                      actions: Sequence[Action], now: datetime, lang: str) -> list[str]:
    books = [a for a in actions if a.kind == "book"]
    if not books:
        return []
    prepared, failed = preparer.prepare(books, people, now)
    lines: list[str] = []
    for p in prepared:
        series = series_from_doc(p.payload["series"])
        lines += _one(series, calendar, lang)
    for action, why in failed:
        lines.append(f"  {action.pairing_id}: no slot: {why}")
    return lines


def _one(series: Series, calendar: Calendar, lang: str) -> list[str]:
    zone = ZoneInfo(series.timezone)
    first = series.start.astimezone(zone)
    every = (f"toutes les {series.interval_weeks} semaines" if lang == "fr"
             else f"every {series.interval_weeks} weeks") if series.interval_weeks > 1 else (
        "chaque semaine" if lang == "fr" else "every week")
    when = format_datetime(first, "EEEE HH:mm", locale=lang)
    head = (f"  {series.title}: {when} ({series.timezone}), {every}, "
            f"{int(series.duration.total_seconds() // 60)} min, "
            f"{'à partir du' if lang == 'fr' else 'from'} {first.date().isoformat()}")
    horizon = Interval(series.start, series.start + timedelta(weeks=HORIZON_WEEKS))
    week = Interval(first - timedelta(days=first.weekday(), hours=first.hour,
                                      minutes=first.minute), first)
    week = Interval(week.start, week.start + timedelta(days=7))
    busy = calendar.free_busy(list(series.attendees), Interval(
        min(week.start, horizon.start), max(week.end, horizon.end)))
    ahead = series.occurrences(horizon)
    clear = sum(all(not _overlaps(b, o, series.duration) for e in series.attendees
                    for b in _others(busy.get(e, []), series, o)) for o in ahead)
    lines = [head, f"    {'libre pour tous' if lang == 'fr' else 'free for everyone'}: "
                   f"{clear}/{len(ahead)}"]
    for email in series.attendees:
        blocks = [b for b in busy.get(email, []) if b.start < week.end and week.start < b.end]
        shown = ", ".join(_span(b, zone, lang) for b in blocks) or (
            "rien" if lang == "fr" else "nothing")
        label = "occupé·e cette semaine-là" if lang == "fr" else "busy that week"
        lines.append(f"    {email} {label}: {shown}")
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
