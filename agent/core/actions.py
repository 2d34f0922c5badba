"""The action vocabulary: what the planner asks for, what prepare makes of it, what it changes.

Terms:
- *action*: one outward thing due now, named by its key (agent.core.keys). Four
  kinds: `Book` a pairing's series, `End` it, `Move` (or cancel) one occurrence,
  send a `Mail`. The planner builds them; nothing here is worded for people
  (a notice says what it is about; agent.conversation words it).
- *payload* and *write* (agent.core.payloads): what prepare made of an action, and
  the ledger changes it implies; `Prepared` pairs an action with its payload and
  `Outcome` says what became of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from agent.core.docs import iso
from agent.core.model import Pairing
from agent.core.payloads import ActionKind, Payload

MailKind = Literal["intro", "objectives", "questionnaire", "reminder", "clarify", "confirm",
                   "ask", "resend", "digest", "admin_digest", "notice"]


# -- what a notice is about (worded where mails are composed) -------------------------
@dataclass(frozen=True)
class Waitlisted:
    """To a participant: matching left them without a partner in `format` this cycle."""

    format: str
    label: ClassVar[str] = "waitlist"


@dataclass(frozen=True)
class SeriesDeclined:
    """To the admin: `by` declined the whole series of `pairing_id`; it is paused."""

    pairing_id: str
    by: str
    label: ClassVar[str] = "series declined"


@dataclass(frozen=True)
class RosterProblems:
    """To the admin: rows of the roster to fix (each problem as `binome check` says it)."""

    problems: tuple[str, ...]
    label: ClassVar[str] = "roster problems"


Notice = Waitlisted | SeriesDeclined | RosterProblems


# -- actions ------------------------------------------------------------------------
@dataclass(frozen=True)
class Book:
    """Book the pairing's recurring series (the slot is chosen when it is prepared)."""

    key: str
    pairing: Pairing
    kind: ClassVar[ActionKind] = "book"

    @property
    def pairing_id(self) -> str:
        """The id of the pairing to book."""
        return self.pairing.id

    @property
    def reason(self) -> str:
        """Why the matching made the pairing (for `describe`)."""
        return self.pairing.reason


@dataclass(frozen=True)
class End:
    """End the pairing: its series' occurrences from now on are cancelled."""

    key: str
    pairing_id: str
    reason: str
    kind: ClassVar[ActionKind] = "end"


@dataclass(frozen=True)
class Move:
    """Move one occurrence to a free time that week, or cancel it (`cancel`: asked by
    reply, or no time is free)."""

    key: str
    pairing_id: str
    occurrence: datetime
    reason: str
    cancel: bool = False
    kind: ClassVar[ActionKind] = "move"


@dataclass(frozen=True)
class Mail:
    """Send one mail of `mail_kind` to `recipient`; `bundle`: the mails due the same day
    that travel inside it (agent.conversation.pacing)."""

    key: str
    mail_kind: MailKind
    recipient: str
    pairing_id: str = ""
    occurrence: datetime | None = None
    month: str = ""  # a digest's
    notice: Notice | None = None
    command: str = ""  # a confirmation's
    bundle: tuple[Mail, ...] = ()
    kind: ClassVar[ActionKind] = "mail"

    @property
    def reason(self) -> str:
        """What a notice is about, or the command a confirmation answers; else empty."""
        if self.notice is not None:
            return self.notice.label
        return self.command


Action = Book | End | Move | Mail


def describe(action: Action) -> str:
    """One line for logs and `binome plan`: what, to whom, when, why."""
    what = action.mail_kind if isinstance(action, Mail) else action.kind
    whom = (action.recipient if isinstance(action, Mail) else "") or action.pairing_id
    occurrence = action.occurrence if isinstance(action, Mail | Move) else None
    when = f" for {iso(occurrence)}" if occurrence else ""
    why = f" ({action.reason})" if action.reason else ""
    return f"{what} -> {whom}{when}{why}"


def as_json(action: Action) -> dict[str, str]:
    """The shape `binome plan --json` prints."""
    mail = action if isinstance(action, Mail) else None
    occurrence = action.occurrence if isinstance(action, Mail | Move) else None
    return {
        "key": action.key,
        "kind": action.kind,
        "pairing": action.pairing_id,
        "mail": mail.mail_kind if mail else "",
        "recipient": mail.recipient if mail else "",
        "occurrence": iso(occurrence) if occurrence else "",
        "month": mail.month if mail else "",
        "reason": action.reason,
    }


@dataclass(frozen=True)
class Prepared:
    """An action and the payload prepare made of it."""

    action: Action
    payload: Payload


@dataclass(frozen=True)
class Outcome:
    """What became of one action in a tick: `result` is done, `failed: why` or
    `retry: why`. `action` is None for an intent resumed after a crash (only its key and
    payload were kept)."""

    key: str
    kind: str  # an ActionKind
    what: str  # `describe` of the action
    result: str
    mail_kind: str = ""
    action: Action | None = None

    @property
    def ok(self) -> bool:
        """Whether the action was done."""
        return self.result == "done"

    @property
    def failed(self) -> bool:
        """Whether it failed (a `retry` is not a failure)."""
        return self.result.startswith("failed")


def outcome(action: Action, result: str) -> Outcome:
    """The `Outcome` of `action` with `result` (done, `failed: why` or `retry: why`)."""
    return Outcome(action.key, action.kind, describe(action), result,
                   action.mail_kind if isinstance(action, Mail) else "", action)
