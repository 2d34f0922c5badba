"""Commands people send by reply: stop, pause (optionally until a date), resume, skip, help.

A command comes from a reply agent.conversation.inbox already checked (tied to one of our
messages, from its addressee or a roster alias); `who` is that addressee, so a
command sent from a phone's account acts for the person the thread was with.

Each command is confirmed by email: the confirmation is recorded as owed
(`OwedMail.owe`) under `mail/confirm/<hash of the reply's Message-ID>`, and the
planner sends it like any other keyed mail. A reply read twice (a crash before
it was acknowledged) finds its key and changes nothing more.

- stop: the person leaves; the planner ends their pairings (future sessions
  cancelled in every calendar).
- pause: no more mail for them (sessions stay booked); with a date, it ends by
  itself at the start of that day in their time zone.
- resume: ends a pause (or a stop: they may be matched again).
- skip: the next session of the thread's pairing (or, in a thread about no
  pairing, of each of their pairings) is cancelled in every calendar, through
  the same path as a declined occurrence with no free time (`skip/` actions).
  A workshop's session is skipped only by its host.
- help: nothing changes; the confirmation lists the commands.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from agent.conversation.replies.parse import ParsedReply
from agent.core.keys import clarify_key, confirm_key
from agent.core.ledger import Ledger
from agent.core.model import Interval, Participant
from agent.core.records import Owed, SentMail

log = logging.getLogger("binome")


def apply_command(
    ledger: Ledger, reply: ParsedReply, who: str, person: Participant | None,
    sent: SentMail, now: datetime,
) -> None:
    """Do what `reply` asks for `who` (its command) and owe them a confirmation."""
    command = reply.command or ""
    key = confirm_key(reply.message_id)
    if ledger.journal.seen(key) or ledger.owed.get(key) is not None:
        return  # this very message was acted on already
    until = ""
    skipped: list[tuple[str, datetime]] = []
    if command == "stop":
        ledger.people.set_optout(who, "stop", now)
    elif command == "pause":
        ends = None
        if reply.pause_until is not None:
            zone = ZoneInfo(person.timezone if person else "UTC")
            ends = datetime.combine(reply.pause_until, time(0), zone)
            until = reply.pause_until.isoformat()
        ledger.people.set_optout(who, "pause", now, ends)
    elif command == "resume":
        ledger.people.set_optout(who, None, now)
    elif command == "skip":
        skipped = skip_next(ledger, who, sent.pairing_id, now)
    ledger.owed.owe(key, Owed("confirm", who, sent.pairing_id, command, until,
                              tuple(skipped), reply.message_id))
    log.info("command %s from %s", command, who)


def skip_next(
    ledger: Ledger, who: str, pairing_id: str, now: datetime
) -> list[tuple[str, datetime]]:
    """Ask to skip the next session of `pairing_id` (or of each of `who`'s pairings)."""
    active = [p for p in ledger.pairings.active() if who in p.members]
    chosen = [p for p in active if p.id == pairing_id] or active
    skipped = []
    for pairing in chosen:
        series = ledger.series.get(pairing.id)
        if series is None or now >= series.until:
            continue
        if pairing.format == "workshop" and who != pairing.host:
            continue  # one learner's absence does not cancel the group's session
        asked = ledger.people.skips(pairing.id)
        ahead = [occ for occ, start in series.sessions(Interval(now, series.until))
                 if start > now and occ not in asked]
        if ahead:
            ledger.people.request_skip(pairing.id, ahead[0], who, now)
            skipped.append((pairing.id, ahead[0]))
    return skipped


def settle(ledger: Ledger, now: datetime) -> None:
    """Housekeeping before reading mail: end pauses whose date came, forget sent mail."""
    for email in ledger.people.lift_pauses(now):
        log.info("pause of %s ended on the date they gave", email)
    ledger.owed.settle()


def ask_clarification(ledger: Ledger, sent: SentMail, now: datetime) -> None:
    """A questionnaire answered with a rating in words: ask once for a number (the key is
    the questionnaire's, so never twice for it)."""
    key = clarify_key(sent.key)
    if key is None:
        return  # a clarification itself is not asked about
    ledger.owed.owe(key, Owed("clarify", sent.email, sent.pairing_id,
                              occurrence=sent.occurrence, at=now))
