"""Invitations by mail (iMIP, RFC 6047): the words they carry, and the answers that come back.

`InvitationWords` writes the subject, text and HTML of each invitation (and
cancellation) a calendar backend mails, from the `invitation` and `cancellation`
templates in the attendee's language; the backend adds the iCalendar part
(agent.providers.itip) and sends it.

With a plain mailbox (`calendar = "email"`, or CalDAV sending invitations by email) a
click on Accept or Decline comes back as a mail whose text/calendar part says
METHOD:REPLY. It is neither a reply to read nor one to answer: the calendar backend
keeps it (`Calendar.take_reply`, by the event's UID) and the ledger records it as any
calendar answer, so a declined session is moved and a declined series pauses its
pairing (agent.programme.rsvp).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from agent.conversation.compose import Composer
from agent.conversation.messages import local_datetime, person_ctx
from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Participant, Response
from agent.programme.rsvp import record_answers
from agent.programme.settings import Settings
from agent.providers.base import Calendar
from agent.providers.itip import CalendarReply, Invitation, Words, read_reply

log = logging.getLogger("binome")

__all__ = ["InvitationWords", "calendar_answer", "invitation_context", "take_calendar_answer"]


class InvitationWords:
    """The `Wording` the agent hands its calendar backend: each invitation's words, from
    the templates, in the attendee's language (the roster's; the organisation's for
    someone not in it)."""

    def __init__(self, settings: Settings, composer: Composer,
                 people: Callable[[], Mapping[str, Participant]]) -> None:
        self.settings = settings
        self.composer = composer
        self.people = people

    def __call__(self, about: Invitation) -> Words:
        """The subject, text and HTML of one invitation or cancellation."""
        people = self.people()
        person = people.get(about.attendee) or Participant(
            about.attendee, "", frozenset(), timezone=about.booked.series.timezone,
            language=self.settings.organisation.language)
        kind = "invitation" if about.method == "REQUEST" else "cancellation"
        context = invitation_context(self.settings, about, person, people)
        subject, text, html = self.composer.render_text(kind, person.language, context)
        return Words(subject, text, html, person.language, self.settings.organisation.name)


def invitation_context(settings: Settings, about: Invitation, person: Participant,
                       people: Mapping[str, Participant]) -> dict[str, Any]:
    """What the invitation templates say: the series as it now is, seen from `person`'s
    zone and language; the sessions moved since (upcoming ones), or the one cancelled."""
    booked = about.booked
    series = booked.series
    starts = series.occurrences()
    moves = dict(booked.moves)
    first = moves[starts[0]].start if starts and starts[0] in moves else series.start
    last = moves[starts[-1]].start if starts and starts[-1] in moves else \
        (starts[-1] if starts else series.start)
    return {
        "person": person_ctx(person),
        "programme_name": settings.organisation.name,
        "admin_email": settings.organisation.admin_email,
        "title": series.title,
        "description": series.description,
        "partner_names": [people[e].name if e in people else e for e in series.attendees
                          if e != person.email],
        "update": booked.sequence > 0,
        "every_weeks": series.interval_weeks,
        "duration_minutes": int(series.duration.total_seconds() // 60),
        "sessions": len(starts),
        "first_session_local": local_datetime(first, person),
        "last_session_date": format_date(last.astimezone(ZoneInfo(person.timezone)).date(),
                                         "EEEE d MMMM y", locale=person.language),
        "moved": [{"was": local_datetime(original, person),
                   "now": local_datetime(span.start, person)}
                  for original, span in sorted(moves.items())
                  if original in starts and span.start >= booked.stamp],
        "occurrence_local": (local_datetime(about.occurrence, person)
                             if about.occurrence is not None else ""),
    }


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
