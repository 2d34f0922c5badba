"""Read what people answered in their calendars: accepted, declined, per occurrence.

Someone who declined every session still to come (at least two) declined the
series: the pairing is paused (no more mail) and the admin told; it resumes by
itself if they accept again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Interval, Response
from agent.providers.base import Calendar


def read_calendar(ledger: Ledger, calendar: Calendar, now: datetime) -> int:
    """Record attendees' answers for every series people touched since the last look."""
    changes, cursor = calendar.changes(ledger.marks.get("calendar_cursor"))
    keys = sorted({c.key for c in changes})
    for key in keys:
        series = ledger.series.get(pairing_of_series(key))
        if series is None:
            continue
        record_answers(ledger, key, calendar.responses(key, Interval(series.start, series.until)),
                       now)
    ledger.marks.set("calendar_cursor", cursor)
    return len(keys)


def record_answers(ledger: Ledger, key: str, answers: Sequence[Response], now: datetime) -> None:
    """Keep the answers given to the series `key` (from its calendar, or from iMIP REPLY
    mails), and pause its pairing when someone declined every session still to come."""
    pairing_id = pairing_of_series(key)
    series = ledger.series.get(pairing_id)
    if series is None:
        return
    for response in answers:
        if response.status != "needs-action":
            ledger.responses.record(response)
    ahead = {o for o in series.occurrences() if o >= now}
    by: dict[str, list[str]] = {}
    for attendee in series.attendees:  # what each one answered, as recorded so far
        by[attendee] = [ledger.responses.status(key, occurrence, attendee) or "needs-action"
                        for occurrence in sorted(ahead)]
    refused = sorted(e for e, st in by.items()
                     if len(st) >= min(2, len(ahead)) and set(st) == {"declined"})
    ledger.responses.set_paused(pairing_id, refused[0] if refused else None, now)
