"""Commands people send by mail: stop, pause (optionally until a date), resume, skip,
resend, help; acted on at once, or first confirmed with the person.

A command acts (`act`) when it comes sure (agent.conversation.replies.command) in a
reply agent.conversation.inbox already checked (tied to one of our messages, from its
addressee or a roster alias); `who` is that addressee, so a command sent from a
phone's account acts for the person the thread was with. Otherwise we ask (`ask`):
a likely command, or any command in a message that answers none of ours (a From
alone proves nothing: anyone can write one), gets one mail to the person's roster
address, "did you mean...? reply YES", and only their yes to that very mail acts
(`confirmed`). Each mail is recorded as owed (`OwedMail.owe`) under a key from the
Message-ID of the message that asked (`mail/confirm/`, `mail/ask/`, `mail/resend/`)
and the planner sends it like any other keyed mail; a message read twice (a crash
before it was acknowledged) finds its key and changes nothing more.

- stop: the person leaves; the planner ends their pairings (future sessions
  cancelled in every calendar).
- pause: no more mail for them (sessions stay booked); with a date, it ends by
  itself at the start of that day in their time zone.
- resume: ends a pause (or a stop: they may be matched again).
- skip: the next session of the thread's pairing (or, in a thread about no
  pairing, of each of their pairings; in reply to a session's objectives, that
  session while it is ahead) is cancelled in every calendar, through the same
  path as a declined occurrence with no free time (`skip/` actions).
  A workshop's session is skipped only by its host.
- resend: their latest questionnaire is sent again (answering it answers the session).
- help: nothing changes; the confirmation lists the commands.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from agent.conversation.replies.dates import fold
from agent.conversation.replies.parse import ParsedReply
from agent.core.docs import iso, parse_iso
from agent.core.keys import ask_key, clarify_key, confirm_key, resend_key
from agent.core.ledger import Ledger
from agent.core.model import Interval, Participant
from agent.core.records import Owed, SentMail

log = logging.getLogger("binome")


@dataclass(frozen=True)
class Request:
    """A command as it will act: `until` the day a pause ends by itself, `occurrence` the
    session a skip cancels (None: the next one when it acts), `on` the day a skip named
    (its session that day, in the person's time zone; none that day: nothing to skip)."""

    command: str
    until: date | None = None
    occurrence: datetime | None = None
    on: date | None = None

    def words(self) -> str:
        """As an `ask` mail keeps it (`SentMail.asks`): "pause 2027-01-04", "skip <iso>"."""
        argument = self.until.isoformat() if self.until else (
            iso(self.occurrence) if self.occurrence else "")
        return f"{self.command} {argument}".strip()

    @classmethod
    def from_words(cls, words: str) -> Request:
        """The request an `ask` mail kept (`words`)."""
        command, _, argument = words.partition(" ")
        if command == "pause" and argument:
            return cls(command, until=date.fromisoformat(argument))
        if command == "skip" and argument:
            return cls(command, occurrence=parse_iso(argument))
        return cls(command)


def request_of(reply: ParsedReply, sent: SentMail | None = None,
               now: datetime | None = None) -> Request:
    """The request a reply's command makes; `sent`: the mail of ours it answers. A skip
    in reply to a session's objectives cancels that session, the one the person read
    about, while it is still ahead (`now`)."""
    if reply.command == "skip" and _about_a_session_ahead(sent, now):
        return Request("skip", occurrence=sent.occurrence if sent else None)
    if reply.command == "skip" and reply.skip_on is not None:
        return Request("skip", on=reply.skip_on)
    return Request(reply.command or "help", reply.pause_until)


def sure_of(reply: ParsedReply, sent: SentMail | None, now: datetime) -> bool:
    """Whether a threaded reply's command acts at once: as the reply reads, except a skip
    that named a day in reply to objectives whose session is past: which one it means
    is then asked (the parser took the day for that session's)."""
    if reply.command == "skip" and sent is not None and sent.kind == "objectives" \
            and not _about_a_session_ahead(sent, now) and reply.skip_on is None \
            and not re.search(r"\b(?:next|prochaine?)\b", fold(reply.command_words)):
        return False
    return reply.sure


def _about_a_session_ahead(sent: SentMail | None, now: datetime | None) -> bool:
    return sent is not None and sent.kind == "objectives" and sent.occurrence is not None \
        and now is not None and sent.occurrence > now


def act(ledger: Ledger, request: Request, who: str, person: Participant | None,
        pairing_id: str, message_id: str, now: datetime) -> None:
    """Do what `request` asks for `who` and owe them a confirmation (or the questionnaire
    they asked for again); `message_id` is the message that asked."""
    key = confirm_key(message_id)
    if ledger.journal.seen(key) or ledger.owed.get(key) is not None or \
            ledger.journal.seen(resend_key(message_id)):
        return  # this very message was acted on already
    command, until = request.command, ""
    skipped: list[tuple[str, datetime]] = []
    if command == "stop":
        ledger.people.set_optout(who, "stop", now)
    elif command == "pause":
        ends = None
        if request.until is not None:
            zone = ZoneInfo(person.timezone if person else "UTC")
            ends = datetime.combine(request.until, time(0), zone)
            until = request.until.isoformat()
        ledger.people.set_optout(who, "pause", now, ends)
    elif command == "resume":
        ledger.people.set_optout(who, None, now)
    elif command == "skip":
        skipped = skip_next(ledger, who, pairing_id, now, _occurrence(
            ledger, request, who, pairing_id, now, person))
    elif command == "resend" and _resend(ledger, who, message_id, now):
        log.info("command resend from %s", who)
        return
    ledger.owed.owe(key, Owed("confirm", who, pairing_id, command, until,
                              tuple(skipped), message_id))
    log.info("command %s from %s", command, who)


def _resend(ledger: Ledger, who: str, message_id: str, now: datetime) -> bool:
    """Owe `who` their latest questionnaire again; False when there is none."""
    sent = [s for s in ledger.messages.sent_to(who)
            if s.kind == "questionnaire" and s.occurrence is not None and s.occurrence <= now]
    if not sent:
        return False
    latest = max(sent, key=lambda s: s.occurrence or now)
    ledger.owed.owe(resend_key(message_id), Owed("resend", who, latest.pairing_id,
                                                 reply_to=message_id,
                                                 occurrence=latest.occurrence, at=now))
    return True


def ask(ledger: Ledger, request: Request, who: str, pairing_id: str, message_id: str,
        now: datetime, person: Participant | None = None) -> None:
    """Owe `who` the question whether they meant `request` (module docstring); `person`:
    theirs, whose time zone tells the day a skip names."""
    key = ask_key(message_id)
    if ledger.journal.seen(key) or ledger.owed.get(key) is not None:
        return
    skipped: tuple[tuple[str, datetime], ...] = ()
    if request.command == "skip":  # the session it would cancel, named in the question
        skipped = tuple(skippable(ledger, who, pairing_id, now, _occurrence(
            ledger, request, who, pairing_id, now, person))[:1])
    ledger.owed.owe(key, Owed("ask", who, pairing_id, request.command,
                              request.until.isoformat() if request.until else "",
                              skipped, message_id, at=now))
    log.info("asked %s whether they meant %s", who, request.command)


def confirmed(ledger: Ledger, asked: SentMail, reply: ParsedReply,
              person: Participant | None, now: datetime) -> None:
    """`reply` said yes to the question `asked`: the request it kept acts."""
    act(ledger, Request.from_words(asked.asks or "help"), asked.email, person,
        asked.pairing_id, reply.message_id, now)


def skip_next(
    ledger: Ledger, who: str, pairing_id: str, now: datetime,
    occurrence: datetime | None = None,
) -> list[tuple[str, datetime]]:
    """Ask to skip `occurrence` of `pairing_id` when given (none once it is past: the
    person confirmed that one), else the next session of `pairing_id` (or of each of
    `who`'s pairings)."""
    sessions = skippable(ledger, who, pairing_id, now, occurrence)
    for pid, occ in sessions:
        ledger.people.request_skip(pid, occ, who, now)
    return sessions


def _occurrence(ledger: Ledger, request: Request, who: str, pairing_id: str, now: datetime,
                person: Participant | None) -> datetime | None:
    """The session a skip names: its occurrence, or its session on the day it named (a
    day with none names no session: a time in the past, which nothing ahead matches)."""
    if request.on is None:
        return request.occurrence
    zone = ZoneInfo(person.timezone if person else "UTC")
    return next((occ for _pid, occ in _all_ahead(ledger, who, pairing_id, now)
                 if occ.astimezone(zone).date() == request.on), datetime.min.replace(tzinfo=zone))


def skippable(ledger: Ledger, who: str, pairing_id: str, now: datetime,
              occurrence: datetime | None = None) -> list[tuple[str, datetime]]:
    """`occurrence` of `pairing_id` when it is still ahead, else (None given) the next
    session of `pairing_id` or of each of `who`'s pairings."""
    if occurrence is not None:
        return [(pid, occ) for pid, occ in _all_ahead(ledger, who, pairing_id, now)
                if occ == occurrence][:1]
    return _next_sessions(ledger, who, pairing_id, now)


def _next_sessions(ledger: Ledger, who: str, pairing_id: str,
                   now: datetime) -> list[tuple[str, datetime]]:
    """The next session of `pairing_id` (or of each of `who`'s pairings) they may skip."""
    found: dict[str, datetime] = {}
    for pid, occ in _all_ahead(ledger, who, pairing_id, now):
        found.setdefault(pid, occ)
    return list(found.items())


def _all_ahead(ledger: Ledger, who: str, pairing_id: str,
               now: datetime) -> list[tuple[str, datetime]]:
    active = [p for p in ledger.pairings.active() if who in p.members]
    chosen = [p for p in active if p.id == pairing_id] or active
    ahead = []
    for pairing in chosen:
        series = ledger.series.get(pairing.id)
        if series is None or now >= series.until:
            continue
        if pairing.format == "workshop" and who != pairing.host:
            continue  # one learner's absence does not cancel the group's session
        asked = ledger.people.skips(pairing.id)
        ahead += [(pairing.id, occ) for occ, start in series.sessions(Interval(now, series.until))
                  if start > now and occ not in asked]
    return ahead


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
