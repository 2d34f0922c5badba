"""What the ledger hands out: one frozen dataclass per kind of record.

The ledger (agent.core.ledger) stores JSON documents; everything above it sees
these values only, never a document (see agent.core.docs for the conversion).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent.core.model import Pairing

PairingStatus = Literal["active", "ended", "completed"]
ActionStatus = Literal["intent", "done", "failed"]


@dataclass(frozen=True)
class PairingRecord:
    """A pairing as the ledger keeps it: the matching's decision and what became of it."""

    pairing: Pairing
    status: PairingStatus
    since: datetime | None = None
    ended: datetime | None = None
    ended_reason: str = ""

    @property
    def id(self) -> str:
        """The pairing's id."""
        return self.pairing.id


@dataclass(frozen=True)
class ActionRecord:
    """One keyed action: its intent, then `done` (with the provider's ref) or `failed`.

    `attempts` counts its failures so far; `next_try` is when a postponed intent may be
    tried again; `retry` says a failed one was released to be tried again
    (agent.core.ledger.journal)."""

    key: str
    kind: str
    status: ActionStatus
    at: datetime
    ref: str | None = None
    done_at: datetime | None = None
    error: str = ""
    hash: str = ""
    attempts: int = 0
    next_try: datetime | None = None
    retry: bool = False


@dataclass(frozen=True)
class SentMail:
    """What one message of ours was about, so that a reply finds its pairing and session
    and is read against what we wrote.

    `kind` is the template's (`questionnaire` for a clarification too: answering either
    answers the session), `key` the action that sent it, `email` its addressee; `said`
    and `questions` what agent.conversation.replies.ours keeps of its text (hashes, never
    words, and the questions it asked as (field, question) pairs); `asks` the command an
    `ask` mail asks the person to confirm ("pause 2027-01-04", "skip <occurrence>")."""

    kind: str
    key: str
    pairing_id: str
    email: str
    occurrence: datetime | None = None
    said: str = ""
    questions: tuple[tuple[str, str], ...] = ()
    asks: str = ""


@dataclass(frozen=True)
class Owed:
    """A mail owed for what someone wrote, until it is sent: a command's confirmation
    (`kind` confirm, with what the command did), a clarification of a rating, the question
    whether a likely command was meant (`ask`, with the command and what it would do),
    or a questionnaire sent again on request (`resend`, with its session)."""

    kind: Literal["confirm", "clarify", "ask", "resend"]
    email: str
    pairing_id: str = ""
    command: str = ""
    until: str = ""  # a pause's end, ISO date
    skipped: tuple[tuple[str, datetime], ...] = ()  # (pairing, occurrence) a skip cancelled
    reply_to: str = ""  # the Message-ID of the message that asked
    occurrence: datetime | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class OptOut:
    """Someone who replied STOP (`stop`) or PAUSE (`pause`, ending by itself at `until`)."""

    email: str
    mode: Literal["stop", "pause"]
    at: datetime
    until: datetime | None = None


@dataclass(frozen=True)
class Waiting:
    """Someone the last matching left out, for the formats they wait for."""

    email: str
    cycle: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackRecord:
    """One reply to a questionnaire, as recorded (`message_id` is the reply's)."""

    message_id: str
    sender: str
    pairing_id: str
    occurrence: datetime | None
    rating: int | None
    held: bool | None
    received: datetime
    text: str = ""
    learned: str = ""
    to_develop: str = ""
    next_focus: str = ""


@dataclass(frozen=True)
class Bounce:
    """An address our mail bounced from: how many times, and the last time."""

    address: str
    count: int
    last: datetime


@dataclass(frozen=True)
class Quarantined:
    """An inbound message set aside: `ref` is the mailbox's handle, `reason` why."""

    ref: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Paused:
    """A pairing paused because `by` declined its whole series."""

    pairing_id: str
    by: str
    at: datetime
