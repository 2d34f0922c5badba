"""Read what people answered in their calendars: accepted, declined, per occurrence.

Someone who declined every session still to come (at least two) declined the
series: the pairing is paused (no more mail) and the admin told; it resumes by
itself if they accept again.

Each series is read alone: one whose answers cannot be read (someone's calendar
file is broken, the service refuses it) is recorded as a trouble
(`calendar series/<pairing>`, shown by `binome status`) and read again at every
look until it works, while the others are read as usual.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Interval, Response
from agent.providers.base import Calendar

log = logging.getLogger("binome")

UNIT = "calendar "  # + the series key: a trouble's unit (agent.core.ledger.troubles)
AGAIN = "calendar_again"  # the mark listing the series to read again (they failed)


def read_calendar(ledger: Ledger, calendar: Calendar, now: datetime) -> int:
    """Record attendees' answers for every series people touched since the last look, and
    for those that failed before; returns how many series were read."""
    changes, cursor = calendar.changes(ledger.marks.get("calendar_cursor"))
    again = set(json.loads(ledger.marks.get(AGAIN) or "[]"))
    keys = sorted({c.key for c in changes} | again)
    failed: set[str] = set()
    for key in keys:
        try:
            _read_series(ledger, calendar, key, now)
        except Exception as exc:  # noqa: BLE001 - one series' calendars never stop the others
            failed.add(key)
            ledger.troubles.report(UNIT + key, f"{type(exc).__name__}: {exc}", now)
            log.warning("calendar answers of %s not read: %s", key, exc)
    ledger.troubles.clear_prefix(UNIT, {UNIT + k for k in failed})
    ledger.marks.set(AGAIN, json.dumps(sorted(failed)))
    ledger.marks.set("calendar_cursor", cursor)
    return len(keys) - len(failed)


def _read_series(ledger: Ledger, calendar: Calendar, key: str, now: datetime) -> None:
    series = ledger.series.get(pairing_of_series(key))
    if series is not None:
        record_answers(ledger, key, calendar.responses(key, Interval(series.start, series.until)),
                       now)


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
