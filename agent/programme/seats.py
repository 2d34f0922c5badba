"""Workshop seats: the invitation is the RSVP, and a seat someone declines goes on.

Terms:
- *attendee*: a workshop's member other than its host.
- *gives up their seat*: declines every session of the workshop still to come (on a
  learning day there is usually one), or leaves the roster, or replies STOP. Their
  seat goes to the next person waiting (agent.programme.matching.workshops.next_seats)
  by an `Update` of the workshop's series; the newcomer gets the introduction as
  anyone joining does.
- In a workshop, only the host's answers move or cancel a session: an attendee who
  declines one session just misses it. The host gets the objectives (the curriculum's
  step and the attendees' goals); the attendees get the questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from agent.core.actions import Action, End, Update
from agent.core.keys import end_key, seat_key, series_key
from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant, Series

WORKSHOP = "workshop"


def counts(pairing: Pairing, email: str) -> bool:
    """Whether `email`'s decline or clash moves (or cancels) a session: anyone's, but only
    the host's in a workshop."""
    return pairing.format != WORKSHOP or email == pairing.host


def objectives_for(pairing: Pairing, email: str) -> bool:
    """Whether `email` gets a session's objectives (in a workshop, its host only)."""
    return pairing.format != WORKSHOP or email == pairing.host


def questionnaire_for(pairing: Pairing, email: str) -> bool:
    """Whether `email` gets a session's questionnaire (in a workshop, its attendees)."""
    return pairing.format != WORKSHOP or email != pairing.host


def leaving(ledger: Ledger, people: Mapping[str, Participant], pairing: Pairing,
            series: Series, now: datetime) -> tuple[str, ...]:
    """The attendees who give up their seat now (see the module docstring)."""
    ahead = [o for o in series.occurrences() if o >= now]
    key = series_key(pairing.id)
    out = []
    for email in pairing.members[1:]:
        gone = email not in people or ledger.people.stopped(email)
        declined = bool(ahead) and all(
            ledger.responses.status(key, o, email) == "declined" for o in ahead)
        if gone or declined:
            out.append(email)
    return tuple(out)


def seat_actions(ledger: Ledger, people: Mapping[str, Participant], pairing: Pairing,
                 series: Series, now: datetime) -> list[Action]:
    """The seats to give away, or the end of a workshop nobody attends any more."""
    if pairing.format != WORKSHOP:
        return []
    if len(pairing.members) < 2:
        return [End(end_key(pairing.id), pairing.id, "no attendee left")]
    gone = leaving(ledger, people, pairing, series, now)
    if not gone:
        return []
    key = seat_key(pairing.id, list(gone))
    if ledger.journal.seen(key):
        return []
    return [Update(key, pairing.id, f"{', '.join(gone)} gave up their seat", leaving=gone)]
