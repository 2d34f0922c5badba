"""Sessions that something booked later collides with.

A session is booked where everyone was free, but calendars keep changing: someone
accepts another meeting over it, or blocks a day off. Once a day the agent asks the
calendar for the busy events of everyone with a session in the coming week (one
batched free/busy question) and records each occurrence another event overlaps. The
planner then moves it like a declined one (`agent.programme.planner._move_actions`): to the
closest free time that week, or, when the week has none, it is skipped in every
calendar.

Our own session is in each attendee's calendar too, so one event with exactly its
start and end is discounted. That needs busy time event by event: where the service
only answers merged busy time (Google's freeBusy), a meeting over a session comes back
as one block with it and cannot be told apart, so there is no scan
(`Calendar.separates_events`); a decline still moves the session there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from agent.core.docs import iso
from agent.core.errors import PermanentError, TemporaryError
from agent.core.keys import move_key
from agent.core.ledger import Ledger
from agent.core.model import Interval
from agent.programme.planner import MOVE_AHEAD, MOVE_NOTICE, running_series
from agent.providers.base import Calendar

log = logging.getLogger("binome")


@dataclass(frozen=True)
class Upcoming:
    """A session a scan looks at: pairing, occurrence, when it really is, and who attends."""

    pairing_id: str
    occurrence: datetime  # its identity: the original start
    span: Interval  # when it really takes place
    attendees: tuple[str, ...]


def upcoming(ledger: Ledger, now: datetime) -> Iterator[Upcoming]:
    """Occurrences that could still be moved and have not been: what a scan looks at."""
    window = Interval(now + MOVE_NOTICE, now + MOVE_AHEAD)
    for pairing in ledger.pairings.active():
        series = running_series(ledger, pairing)
        if series is None:
            continue
        moved = {o for o, _ in series.moved}
        for occ, start in series.sessions(window):
            # A session moves once: moved already, it stays (a later clash counts as not held).
            if (occ in moved or ledger.journal.seen(move_key(pairing.id, occ))
                    or ledger.responses.conflict(pairing.id, occ) is not None):
                continue
            yield Upcoming(pairing.id, occ, Interval(start, start + series.duration),
                           series.attendees)


def collisions(sessions: Sequence[Upcoming],
               busy: Mapping[str, Sequence[Interval]]) -> list[tuple[Upcoming, str]]:
    """Each session with the first attendee who has another event overlapping it.

    `busy` holds each person's events one by one; the session's own event (exactly its
    span) is discounted once, so a second meeting at exactly the same time still counts.
    """
    found = []
    for session in sessions:
        for email in session.attendees:
            others = [b for b in busy.get(email, ()) if b.overlaps(session.span)]
            if session.span in others:
                others.remove(session.span)
            if others:
                found.append((session, email))
                break
    return found


def scan(ledger: Ledger, calendar: Calendar, now: datetime, zone: str) -> int:
    """Once a day (the organisation's day): record the collisions of the coming week.

    Returns how many were found. A failing free/busy question is logged and asked
    again at the next tick; it never stops the tick.
    """
    today = now.astimezone(ZoneInfo(zone)).date().isoformat()
    if not calendar.separates_events or ledger.marks.get("conflict_scan") == today:
        return 0
    sessions = list(upcoming(ledger, now))
    found: list[tuple[Upcoming, str]] = []
    if sessions:
        people = sorted({e for s in sessions for e in s.attendees})
        window = Interval(min(s.span.start for s in sessions),
                          max(s.span.end for s in sessions))
        try:
            busy = calendar.free_busy(people, window, separate=True)
        except (TemporaryError, PermanentError) as exc:
            log.warning("checking the coming week's sessions for clashes failed: %s", exc)
            return 0
        found = collisions(sessions, busy)
    for session, email in found:
        log.info("%s has another event at %s (%s): moving it", email,
                 iso(session.span.start), session.pairing_id)
        ledger.responses.record_conflict(session.pairing_id, session.occurrence, email, now)
    ledger.marks.set("conflict_scan", today)
    return len(found)
