"""Read what people sent back by mail: replies to questionnaires and introductions, commands.

A reply is tied to the message of ours it answers by its In-Reply-To / References
headers (the Message-IDs we sent), or failing that by the token kept in our
subjects. It is used only when it comes from the person that message went to (or
an alias the roster lists for them) and no Authentication-Results header reports
a failure. Everything else (unmatched, spoofed, oversized, unreadable, a broken
charset) is quarantined with the reason, never dropped: the raw message stays in
the mailbox (acknowledged, so read once) and `binome status` lists why.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from agent.conversation.commands import (
    act,
    ask,
    ask_clarification,
    confirmed,
    request_of,
    settle,
    sure_of,
)
from agent.conversation.invitations import calendar_answer, take_calendar_answer
from agent.conversation.progress import answer_progress
from agent.conversation.replies.authres import authentication_failures
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.ours import sent_ours
from agent.conversation.replies.parse import ParsedReply, ReplyError, parse_reply
from agent.conversation.replies.yesno import says_yes
from agent.core.errors import TemporaryError
from agent.core.ledger import Ledger
from agent.core.model import MAX_INBOUND_BYTES, Feedback, Incoming, Participant
from agent.core.records import SentMail
from agent.providers.base import Calendar, Mailbox

log = logging.getLogger("binome")

MAX_MESSAGE_BYTES = MAX_INBOUND_BYTES  # past this, a message is not read at all
# Batches read in one poll (a backend hands a bounded batch at a time): the rest waits
# for the next poll, so one poll stays bounded however full the inbox is.
MAX_BATCHES = 100


def correlate(ledger: Ledger, reply: ParsedReply) -> SentMail | None:
    """What message of ours this answers: newest reference first, then the subject token."""
    candidates = [reply.in_reply_to, *reversed(reply.references), reply.token]
    for candidate in candidates:
        if candidate:
            sent = ledger.messages.lookup(candidate)
            if sent is not None:
                return sent
    return None


def read_mail(
    ledger: Ledger, mailbox: Mailbox, now: datetime,
    people: Mapping[str, Participant] | None = None, calendar: Calendar | None = None,
) -> int:
    """Process every new inbound message; returns how many were read.

    `people` (the roster) gives each person's aliases and time zone; without it only
    the address a message went to may answer it. `calendar` keeps the attendees'
    answers to invitations that come by mail (agent.conversation.invitations).
    """
    people = people or {}
    settle(ledger, now)
    read: set[str] = set()
    # Left unacknowledged (read again at the next poll): a backend could not take them for
    # now, e.g. the calendar server an attendee's iMIP answer goes to.
    later: set[str] = set()
    # Batch after batch, so memory holds one batch (the backend bounds it), never the inbox.
    for _ in range(MAX_BATCHES):
        messages, cursor = mailbox.receive(ledger.marks.get("inbox_cursor"))
        batch = [m for m in messages if m.ref not in read]
        for message in batch:
            if message.problem:  # the backend could not hand its bytes over
                _set_aside(ledger, message.ref, message.problem, now)
                continue
            try:
                _read(ledger, message, now, people, calendar)
            except (TemporaryError, OSError) as exc:  # a backend, for now: the next poll
                log.warning("message %s left for the next poll: %s", message.ref, exc)
                later.add(message.ref)
            except Exception as exc:  # noqa: BLE001 - one message's bug must not stop the inbox
                log.exception("could not process %s", message.ref)
                ledger.quarantine.add(message.ref, f"could not be processed "
                                                   f"({type(exc).__name__}: {exc})", now)
        ledger.marks.set("inbox_cursor", cursor)
        # What we learned is on disk before the messages are marked as read: a crash in
        # between means reading them again, which is harmless (feedback is keyed by
        # Message-ID).
        ledger.flush()
        if not batch:
            break
        # Quarantined mail goes where the backend keeps it for the admin (an IMAP folder).
        aside = [m.ref for m in batch if ledger.quarantine.holds(m.ref)]
        mailbox.acknowledge([m.ref for m in batch if m.ref not in {*aside, *later}])
        if aside:
            mailbox.set_aside(aside)
        read.update(m.ref for m in batch)
    return len(read)


def _set_aside(ledger: Ledger, ref: str, reason: str, now: datetime) -> None:
    ledger.quarantine.add(ref, reason, now)
    # The log says what kind of reason; the ledger (`binome status`) has the whole of it,
    # which may quote a subject someone wrote.
    log.warning("quarantined %s: %s", ref, reason.split(" (", 1)[0])


def _read(
    ledger: Ledger, message: Incoming, now: datetime, people: Mapping[str, Participant],
    calendar: Calendar | None = None,
) -> None:
    """Read one inbound message and do what it says (the module docstring says what)."""
    ref = message.ref
    if len(message.raw) > MAX_MESSAGE_BYTES:
        _set_aside(ledger, ref, f"oversized: {len(message.raw)} bytes (more than "
                                f"{MAX_MESSAGE_BYTES}); not read", now)
        return
    try:
        reply = parse_reply(message.raw)
    except ReplyError as exc:
        _set_aside(ledger, ref, f"unreadable: {exc}", now)
        return
    failed = authentication_failures(message.raw)
    if failed:
        _set_aside(ledger, ref, f"authentication failed ({', '.join(failed)}) for mail from "
                                f"{reply.sender}", now)
        return
    if (answer := calendar_answer(message.raw)) is not None:  # Accept/Decline on an invitation
        why = (f"sender is not the attendee ({reply.sender} answered for {answer.attendee})"
               if not speaks_for(reply.sender, answer.attendee, people)
               else take_calendar_answer(ledger, calendar, answer, now))
        if why is not None:
            _set_aside(ledger, ref, why, now)
        return
    for address in reply.bounced:
        ledger.people.record_bounce(address, now)
        log.warning("mail to %s bounced", address)
    if reply.automatic:
        # An out-of-office or a bounce is never an answer, nor a STOP: kept for the admin.
        ledger.quarantine.add(ref, f"automatic reply ({reply.automatic}) from {reply.sender}", now)
        log.info("set aside an automatic reply from %s: %s", reply.sender, reply.automatic)
        _away(ledger, reply, people, now)
        return
    sent = correlate(ledger, reply)
    if sent is None or not sent.email:
        _unthreaded(ledger, ref, reply, people, now)
        return
    addressee = sent.email
    if not speaks_for(reply.sender, addressee, people):
        _set_aside(ledger, ref, f"sender is not the addressee ({reply.sender} answered our "
                                f"mail to {addressee})", now)
        return
    if "\ufffd" in reply.text:
        # Bytes the declared charset (and UTF-8, Windows-1252) could not read: what the
        # person wrote is not known for sure, so nothing is guessed from it.
        _set_aside(ledger, ref, f"broken charset: the text from {reply.sender} could not be "
                                "decoded without loss", now)
        return
    if sent.said or sent.questions:
        # Read again against exactly what we sent: names, goals, an admin's own templates.
        reply = parse_reply(message.raw, ours=sent_ours(sent.said, sent.questions))
    if sent.kind == "ask":
        _answer_to_ask(ledger, ref, reply, sent, people.get(addressee), now)
        return
    if sent.kind == "renewal":  # its "stop" ends this pairing's renewal, not the programme
        _answer(ledger, ref, reply, sent, now)
        return
    if reply.answered and sent.kind in ("questionnaire", "objectives"):
        _answer(ledger, ref, reply, sent, now)  # and a command below, when it has one
        if reply.command is None:
            return
    if sent.kind == "intro" and reply.goals and reply.command is not None:
        # "1. X\n2. Y\nfirst one I'm away, skip that one pls": the goals are kept too
        _answer(ledger, ref, reply, sent, now)
    if reply.command is not None:
        if sure_of(reply, sent, now):
            act(ledger, request_of(reply, sent, now), addressee, people.get(addressee),
                sent.pairing_id, reply.message_id, now)
        else:
            ask(ledger, request_of(reply, sent, now), addressee, sent.pairing_id,
                reply.message_id, now, people.get(addressee))
        return
    if reply.echo:
        _set_aside(ledger, ref, f"nothing added to our own text (from {reply.sender})", now)
        return
    _answer(ledger, ref, reply, sent, now)


def _unthreaded(ledger: Ledger, ref: str, reply: ParsedReply,
                people: Mapping[str, Participant], now: datetime) -> None:
    """A message that answers none of ours: a command from someone in the roster is asked
    back at their roster address (a From alone proves nothing); the rest is set aside."""
    person = next((p for p in people.values()
                   if reply.sender == p.email or reply.sender in p.aliases), None)
    if reply.command is not None and person is not None:
        if reply.command == "help":  # changes nothing; the list goes to the roster address
            act(ledger, request_of(reply), person.email, person, "", reply.message_id, now)
        else:
            ask(ledger, request_of(reply), person.email, "", reply.message_id, now, person)
        return
    _set_aside(ledger, ref, f"not a reply to one of our messages (from {reply.sender}, "
                            f"subject {reply.subject!r})", now)


def _answer_to_ask(ledger: Ledger, ref: str, reply: ParsedReply, asked: SentMail,
                   person: Participant | None, now: datetime) -> None:
    """A reply to our question whether a command was meant: a yes acts, but only with the
    question's own token in it (an HMAC only we can compute); a command of its own acts
    as any command; anything else changes nothing."""
    if reply.command is not None and reply.sure:
        act(ledger, request_of(reply), asked.email, person, asked.pairing_id,
            reply.message_id, now)
        return
    own = ledger.messages.lookup(reply.token) if reply.token else None
    if own is None or own.key != asked.key:
        _set_aside(ledger, ref, f"answer to our question about a command without its "
                                f"reference [B-...] in the subject (from {reply.sender}): "
                                "nothing done", now)
        return
    if says_yes(reply.text):
        confirmed(ledger, asked, reply, person, now)
    else:
        log.info("%s did not confirm %s", asked.email, asked.asks)


def _away(ledger: Ledger, reply: ParsedReply, people: Mapping[str, Participant],
          now: datetime) -> None:
    """An out-of-office answering a questionnaire: its reminder would only meet the same
    out-of-office, so none is sent (the questionnaire itself stays open)."""
    sent = correlate(ledger, reply)
    if (reply.bounced or sent is None or sent.kind != "questionnaire"
            or sent.occurrence is None or not sent.email
            or not speaks_for(reply.sender, sent.email, people)):
        return
    ledger.answers.set_away(sent.pairing_id, sent.occurrence, sent.email, now)


def speaks_for(sender: str, addressee: str, people: Mapping[str, Participant]) -> bool:
    """Whether mail from `sender` may answer for `addressee`: the same address, or an alias
    the roster lists for them."""
    if sender == addressee:
        return True
    person = people.get(addressee)
    return person is not None and sender in person.aliases


def _answer(
    ledger: Ledger, ref: str, reply: ParsedReply, sent: SentMail, now: datetime
) -> None:
    handled, reply = answer_progress(ledger, ref, reply, sent, now)  # levels, renewal
    if handled:
        return
    if sent.kind == "intro":
        goals = list(reply.goals) or read_goals(reply.text)
        if goals:  # an intro reply with no goal in it (a "thanks!") changes nothing
            ledger.answers.set_goals(sent.pairing_id, sent.email, goals)
            # The count, not the goals: logs carry keys, never what people wrote.
            log.info("goals from %s on %s: %d", sent.email, sent.pairing_id, len(goals))
        return
    # A reply to a session's objectives that says how it went ("Replying here, I can't
    # find the questionnaire: it took place, 4/5") answers that session all the same.
    objectives = sent.kind == "objectives" and (reply.rating is not None
                                                or reply.held is not None)
    if sent.kind != "questionnaire" and not objectives:
        _set_aside(ledger, ref, f"not a reply to one of our questionnaires (from "
                                f"{reply.sender}, subject {reply.subject!r})", now)
        return
    received = reply.date or now
    feedback = Feedback(
        message_id=reply.message_id,
        # From an alias (checked above), the answer is the addressee's.
        sender=sent.email,
        pairing=sent.pairing_id,
        occurrence=sent.occurrence,
        rating=reply.rating,
        text=reply.text,
        received=min(received, now),
        held=reply.held,
        learned=reply.learned,
        next_focus=reply.next_focus,
        extra={"to_develop": reply.to_develop},
    )
    ledger.answers.record_feedback(feedback)
    if reply.rating is None and reply.rating_unclear and not objectives:
        ask_clarification(ledger, sent, now)
    log.info("feedback from %s on %s: rating %s", feedback.sender, feedback.pairing, reply.rating)
