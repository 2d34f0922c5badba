"""Commands people send by reply: stop, pause, resume.

A command comes from a reply already checked by agent.inbox (tied to one of our
messages, from its addressee or an alias); `who` is that addressee, so a command
sent from a phone's account acts for the person the thread was with.
"""

from __future__ import annotations

import logging
from datetime import datetime

from agent.ledger import Ledger
from agent.mail.replies import ParsedReply
from agent.model import Participant

log = logging.getLogger("binome")


def apply_command(
    ledger: Ledger, reply: ParsedReply, who: str, person: Participant | None, now: datetime
) -> None:
    mode = None if reply.command == "resume" else reply.command
    ledger.set_optout(who, mode, now)
    log.info("command %s from %s", reply.command, who)


def lift_pauses(ledger: Ledger, now: datetime) -> None:
    """Pauses asked until a date end by themselves on that date."""
