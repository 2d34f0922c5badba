"""Where people say how far they are: levels in replies, and their answer to the renewal.

A reply to our introduction may give, beside its goals, the learner's level now in each
skill of the pairing ("Excel : 2"); a reply to the renewal mail gives continue, change
or stop (agent.conversation.replies.renewal), and often levels too. Levels are kept per
person and skill, oldest first (the digests show where each started and stands), and
their lines are taken out of the text before its goals are read. A reply to the renewal
mail in which nothing can be read is set aside for the admin (`binome status` lists it)
and the format's default stands.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from agent.conversation.replies.levels import read_levels
from agent.conversation.replies.parse import ParsedReply
from agent.conversation.replies.renewal import read_choice
from agent.core.keys import parse_key
from agent.core.ledger import Ledger
from agent.core.records import RenewalAnswer, SentMail

log = logging.getLogger("binome")


def answer_progress(ledger: Ledger, ref: str, reply: ParsedReply, sent: SentMail,
                    now: datetime) -> tuple[bool, ParsedReply]:
    """Read levels (and, for the renewal mail, the answer) from `reply`, which answers
    `sent`; returns whether the reply is fully handled, and the reply without the lines
    that gave levels (for the goals of an introduction)."""
    if sent.kind not in ("intro", "renewal"):
        return False, reply
    record = ledger.pairings.get(sent.pairing_id)
    if record is None:
        return False, reply
    at = min(reply.date or now, now)
    levels, rest = read_levels(reply.text, record.pairing.skills)
    ledger.progress.report_levels(sent.email, levels, at, sent.kind)
    if levels:
        log.info("levels from %s on %s: %s", sent.email, sent.pairing_id, sorted(levels))
    if sent.kind == "intro":
        return False, replace(reply, text=rest)
    choice = read_choice(rest)
    if choice is not None:
        cycle = parse_key(sent.key).cycle
        ledger.progress.answer(RenewalAnswer(sent.pairing_id, cycle, sent.email, choice, at))
        log.info("renewal answer from %s on %s: %s", sent.email, sent.pairing_id, choice)
    elif not levels:
        ledger.quarantine.add(ref, f"renewal answer not understood (from {reply.sender}, "
                                   f"subject {reply.subject!r})", now)
    return True, reply
