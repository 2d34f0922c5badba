"""Read what people sent back: replies to questionnaires, commands, calendar answers.

A reply is tied to its session by its In-Reply-To / References headers (the
Message-IDs we sent), or failing that by the token kept in our subjects. What
cannot be tied to anything, or cannot be parsed, is quarantined with the
reason, never dropped; the admin sees it in the status and digest.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from agent.ledger import Ledger, parse_iso
from agent.mail.goals import read_goals
from agent.mail.replies import ParsedReply, ReplyError, parse_reply
from agent.model import Feedback, Interval
from agent.providers.base import Calendar, Mailbox

log = logging.getLogger("binome")


def correlate(ledger: Ledger, reply: ParsedReply) -> dict[str, Any] | None:
    """What message of ours this answers: newest reference first, then the subject token."""
    candidates = [reply.in_reply_to, *reversed(reply.references), reply.token]
    for candidate in candidates:
        if candidate:
            info = ledger.lookup_message(candidate)
            if info is not None:
                return info
    return None


def read_mail(ledger: Ledger, mailbox: Mailbox, now: datetime) -> int:
    """Process every new inbound message; returns how many were read."""
    messages, cursor = mailbox.receive(ledger.mark("inbox_cursor"))
    for message in messages:
        try:
            reply = parse_reply(message.raw)
        except ReplyError as exc:
            ledger.quarantine(message.ref, f"unreadable: {exc}", now)
            log.warning("quarantined %s: %s", message.ref, exc)
            continue
        _handle(ledger, message.ref, reply, now)
    ledger.set_mark("inbox_cursor", cursor)
    # What we learned is on disk before the messages are marked as read: a crash in
    # between means reading them again, which is harmless (feedback is keyed by Message-ID).
    ledger.store.flush()
    if messages:
        mailbox.acknowledge([m.ref for m in messages])
    return len(messages)


def _handle(ledger: Ledger, ref: str, reply: ParsedReply, now: datetime) -> None:
    for address in reply.bounced:
        ledger.record_bounce(address, now)
        log.warning("mail to %s bounced", address)
    if reply.automatic:
        # An out-of-office or a bounce is never an answer, nor a STOP: kept for the admin.
        ledger.quarantine(ref, f"automatic reply ({reply.automatic}) from {reply.sender}", now)
        log.info("set aside an automatic reply from %s: %s", reply.sender, reply.automatic)
        return
    info = correlate(ledger, reply)
    if reply.command is not None:
        mode = None if reply.command == "resume" else reply.command
        # Sent from an alias or a phone, a reply to our message still speaks for its addressee.
        who = info["email"] if info and info.get("email") else reply.sender
        ledger.set_optout(who, mode, now)
        log.info("command %s from %s", reply.command, who)
        return
    if info is not None and info.get("kind") == "intro":
        goals = read_goals(reply.text)
        if goals:  # an intro reply with no goal in it (a "thanks!") changes nothing
            ledger.set_goals(info["pairing"], info["email"], goals)
            log.info("goals from %s on %s: %s", info["email"], info["pairing"], goals)
        return
    if info is None or info.get("kind") != "questionnaire":
        why = "not a reply to one of our questionnaires"
        ledger.quarantine(ref, f"{why} (from {reply.sender}, subject {reply.subject!r})", now)
        log.warning("quarantined %s: %s", ref, why)
        return
    received = reply.date or now
    feedback = Feedback(
        message_id=reply.message_id,
        # A reply from another address of the same person (an alias, a phone) still counts
        # for the person we asked.
        sender=info["email"],
        pairing=info["pairing"],
        occurrence=parse_iso(info["occurrence"]) if info.get("occurrence") else None,
        rating=reply.rating,
        text=reply.text,
        received=min(received, now),
        held=reply.held,
        learned=reply.learned,
        next_focus=reply.next_focus,
        extra={"to_develop": reply.to_develop},
    )
    ledger.record_feedback(feedback)
    log.info("feedback from %s on %s: rating %s", feedback.sender, feedback.pairing, reply.rating)


def read_calendar(ledger: Ledger, calendar: Calendar, now: datetime) -> int:
    """Record attendees' answers for every series people touched since the last look.

    Someone who declined every session still to come (at least two) declined the
    series: the pairing is paused (no more mail) and the admin told; it resumes by
    itself if they accept again.
    """
    changes, cursor = calendar.changes(ledger.mark("calendar_cursor"))
    keys = sorted({c.key for c in changes})
    for key in keys:
        pairing_id = key.removeprefix("series/")
        series = ledger.series(pairing_id)
        if series is None:
            continue
        answers = calendar.responses(key, Interval(series.start, series.until))
        for response in answers:
            if response.status != "needs-action":
                ledger.record_response(response)
        ahead = {o for o in series.occurrences() if o >= now}
        by: dict[str, list[str]] = {}
        for r in answers:
            if r.occurrence in ahead:
                by.setdefault(r.attendee, []).append(r.status)
        refused = sorted(e for e, st in by.items()
                         if len(st) >= min(2, len(ahead)) and set(st) == {"declined"})
        ledger.set_paused(pairing_id, refused[0] if refused else None, now)
    ledger.set_mark("calendar_cursor", cursor)
    return len(keys)
