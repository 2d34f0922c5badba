"""Attendees' answers to our invitations that arrive by mail (iMIP REPLY, RFC 6047).

With a plain mailbox (`calendar = "email"`, or CalDAV sending invitations by email) a
click on Accept or Decline comes back as a mail whose text/calendar part says
METHOD:REPLY. It is neither a reply to read nor one to answer: the calendar backend
keeps it (`Calendar.take_reply`, by the event's UID) and the ledger records it as any
calendar answer, so a declined session is moved and a declined series pauses its
pairing (agent.programme.rsvp).
"""

from __future__ import annotations

import logging
from datetime import datetime

from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Response
from agent.programme.rsvp import record_answers
from agent.providers.base import Calendar
from agent.providers.itip import CalendarReply, read_reply

log = logging.getLogger("binome")

__all__ = ["calendar_answer", "take_calendar_answer"]


def calendar_answer(raw: bytes) -> CalendarReply | None:
    """The iMIP REPLY a message carries, or None when it is not one."""
    return read_reply(raw)


def take_calendar_answer(ledger: Ledger, calendar: Calendar | None, answer: CalendarReply,
                         now: datetime) -> str | None:
    """Record an attendee's answer; the reason it was not used when it cannot be (an event
    that is not ours), else None."""
    taken = calendar.take_reply(answer) if calendar is not None else None
    if taken is None:
        return f"a calendar answer (iMIP REPLY) from {answer.attendee} to an event that is not ours"
    if taken.refused is not None:  # an attendee not invited, an answer to an older version
        return taken.refused
    key = taken.key
    series = ledger.series.get(pairing_of_series(key))
    if series is None:
        return f"a calendar answer from {answer.attendee} to {key}, which was never booked"
    if answer.attendee not in series.attendees:
        return f"a calendar answer to {key} from {answer.attendee}, who is not invited"
    responses = []
    for occurrence, status in answer.answers:
        starts = series.occurrences() if occurrence is None else [occurrence]
        responses += [Response(key, answer.attendee, start, status) for start in starts
                      if occurrence is None or start in series.occurrences()]
    record_answers(ledger, key, responses, now)
    log.info("calendar answer from %s on %s: %s", answer.attendee, key,
             ", ".join(sorted({s for _, s in answer.answers})))
    return None
