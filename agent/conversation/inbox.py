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

from agent.conversation.commands import apply_command, ask_clarification, settle
from agent.conversation.progress import answer_progress
from agent.conversation.replies.authres import authentication_failures
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.parse import ParsedReply, ReplyError, parse_reply
from agent.core.ledger import Ledger
from agent.core.model import Feedback, Incoming, Participant
from agent.core.records import SentMail
from agent.providers.base import Mailbox

log = logging.getLogger("binome")

# A reply to a questionnaire is a few kilobytes; past this, it is not read at all.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


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
    people: Mapping[str, Participant] | None = None,
) -> int:
    """Process every new inbound message; returns how many were read.

    `people` (the roster) gives each person's aliases and time zone; without it only
    the address a message went to may answer it.
    """
    people = people or {}
    settle(ledger, now)
    messages, cursor = mailbox.receive(ledger.marks.get("inbox_cursor"))
    for message in messages:
        try:
            _read(ledger, message, now, people)
        except Exception as exc:  # noqa: BLE001 - one message's bug must not stop the inbox
            log.exception("could not process %s", message.ref)
            ledger.quarantine.add(message.ref, f"could not be processed ({type(exc).__name__}: "
                                           f"{exc})", now)
    ledger.marks.set("inbox_cursor", cursor)
    # What we learned is on disk before the messages are marked as read: a crash in
    # between means reading them again, which is harmless (feedback is keyed by Message-ID).
    ledger.flush()
    if messages:
        mailbox.acknowledge([m.ref for m in messages])
    return len(messages)


def _set_aside(ledger: Ledger, ref: str, reason: str, now: datetime) -> None:
    ledger.quarantine.add(ref, reason, now)
    log.warning("quarantined %s: %s", ref, reason)


def _read(
    ledger: Ledger, message: Incoming, now: datetime, people: Mapping[str, Participant]
) -> None:
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
        _set_aside(ledger, ref, f"not a reply to one of our messages (from {reply.sender}, "
                                f"subject {reply.subject!r})", now)
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
    if reply.command is not None:
        apply_command(ledger, reply, addressee, people.get(addressee), sent, now)
        return
    _answer(ledger, ref, reply, sent, now)


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
        goals = read_goals(reply.text)
        if goals:  # an intro reply with no goal in it (a "thanks!") changes nothing
            ledger.answers.set_goals(sent.pairing_id, sent.email, goals)
            log.info("goals from %s on %s: %s", sent.email, sent.pairing_id, goals)
        return
    if sent.kind != "questionnaire":
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
    if reply.rating is None and reply.rating_unclear:
        ask_clarification(ledger, sent, now)
    log.info("feedback from %s on %s: rating %s", feedback.sender, feedback.pairing, reply.rating)
