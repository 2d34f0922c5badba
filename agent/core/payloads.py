"""What prepare makes of an action (a *payload*) and the ledger *writes* it implies.

A payload is exactly what the executor hands the provider (the series to book, the
MIME bytes to send); it is stored with the intent (`to_doc`, read back by
`payload_from_doc`), so a retry after a crash does the very same thing. Its writes
go to the ledger with the intent (`on_intent`) or once the provider did it
(`on_done`), never before the intent (DESIGN.md, "The pipeline runs one way").
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar, Literal

from agent.core.docs import (
    iso,
    parse_iso,
    sent_from_doc,
    sent_to_doc,
    series_from_doc,
    series_to_doc,
)
from agent.core.model import Interval, Outgoing, Series
from agent.core.records import SentMail

ActionKind = Literal["book", "end", "move", "mail"]


# -- ledger writes ------------------------------------------------------------------
@dataclass(frozen=True)
class SaveSeries:
    """The series booked for the pairing, as the ledger keeps it."""

    pairing_id: str
    series: Series


@dataclass(frozen=True)
class Reschedule:
    """The occurrence `original` of the pairing's series moved to `start`, or skipped."""

    pairing_id: str
    original: datetime
    start: datetime | None


@dataclass(frozen=True)
class ForgetResponses:
    """The answers given to an occurrence that moved no longer hold."""

    key: str
    occurrence: datetime
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class EndPairing:
    """The pairing ended, for `reason`."""

    pairing_id: str
    reason: str


@dataclass(frozen=True)
class IndexMessage:
    """A message of ours, findable by its Message-ID and its reply token."""

    message_id: str
    token: str
    sent: SentMail


@dataclass(frozen=True)
class Cover:
    """The mail `key` travels inside the message of action `by`."""

    key: str
    by: str


Write = SaveSeries | Reschedule | ForgetResponses | EndPairing | IndexMessage | Cover


# -- payloads -----------------------------------------------------------------------
@dataclass(frozen=True)
class BookPayload:
    """The series to create for the pairing, exactly as the provider gets it."""

    pairing_id: str
    series: Series
    kind: ClassVar[ActionKind] = "book"

    def to_doc(self) -> dict[str, Any]:
        """The payload as stored with its intent (`payload_from_doc` reads it)."""
        return {"pairing": self.pairing_id, "series": series_to_doc(self.series)}

    def on_intent(self) -> tuple[Write, ...]:
        """Nothing is written with the intent."""
        return ()

    def on_done(self) -> tuple[Write, ...]:
        """The booked series is saved."""
        return (SaveSeries(self.pairing_id, self.series),)


@dataclass(frozen=True)
class EndPayload:
    """`series_key` is empty when the series was never booked: only the ledger changes."""

    pairing_id: str
    series_key: str
    after: datetime
    reason: str
    kind: ClassVar[ActionKind] = "end"

    def to_doc(self) -> dict[str, Any]:
        """The payload as stored with its intent (`payload_from_doc` reads it)."""
        return {"pairing": self.pairing_id, "series_key": self.series_key,
                "after": iso(self.after), "reason": self.reason}

    def on_intent(self) -> tuple[Write, ...]:
        """Nothing is written with the intent."""
        return ()

    def on_done(self) -> tuple[Write, ...]:
        """The pairing is recorded as ended."""
        return (EndPairing(self.pairing_id, self.reason),)


@dataclass(frozen=True)
class MovePayload:
    """Occurrence `original` of `series_key` to `new`, or cancelled when `new` is None."""

    pairing_id: str
    series_key: str
    original: datetime
    new: Interval | None
    attendees: tuple[str, ...]
    kind: ClassVar[ActionKind] = "move"

    def to_doc(self) -> dict[str, Any]:
        """The payload as stored with its intent (`payload_from_doc` reads it)."""
        return {"pairing": self.pairing_id, "series_key": self.series_key,
                "original": iso(self.original),
                "start": iso(self.new.start) if self.new else None,
                "end": iso(self.new.end) if self.new else None,
                "attendees": list(self.attendees)}

    def on_intent(self) -> tuple[Write, ...]:
        """Nothing is written with the intent."""
        return ()

    def on_done(self) -> tuple[Write, ...]:
        """The series shows the move (or skip), and the answers to the old time are forgotten."""
        start = self.new.start if self.new else None
        return (Reschedule(self.pairing_id, self.original, start),
                ForgetResponses(self.series_key, self.original, self.attendees))


@dataclass(frozen=True)
class MailPayload:
    """`sent` and `token` index the message once sent; `covers` are the keys of the mails
    that travel inside it, recorded with the intent so none is planned again."""

    outgoing: Outgoing
    pairing_id: str = ""
    sent: SentMail | None = None
    token: str = ""
    covers: tuple[str, ...] = ()
    kind: ClassVar[ActionKind] = "mail"

    def to_doc(self) -> dict[str, Any]:
        """As stored with its intent, the MIME bytes in base64 (`payload_from_doc` reads it)."""
        o = self.outgoing
        doc: dict[str, Any] = {
            "key": o.key, "pairing": self.pairing_id, "message_id": o.message_id,
            "sender": o.sender, "recipients": list(o.recipients),
            "raw": base64.b64encode(o.raw).decode("ascii"),
        }
        if self.sent is not None:
            doc["index"] = {"token": self.token, **sent_to_doc(self.sent)}
        if self.covers:
            doc["covers"] = list(self.covers)
        return doc

    def on_intent(self) -> tuple[Write, ...]:
        """The mails it carries are covered with the intent, so none is planned again."""
        return tuple(Cover(k, self.outgoing.key) for k in self.covers)

    def on_done(self) -> tuple[Write, ...]:
        """The message is indexed for its replies (when it has an index)."""
        if self.sent is None:
            return ()
        return (IndexMessage(self.outgoing.message_id, self.token, self.sent),)

    def seen_as(self, message_id: str) -> tuple[Write, ...]:
        """Once sent as `message_id` (the service replaced ours): indexed under it too, since
        replies cite the Message-ID their sender saw."""
        if self.sent is None or not message_id or message_id == self.outgoing.message_id:
            return ()
        return (IndexMessage(message_id, self.token, self.sent),)


Payload = BookPayload | EndPayload | MovePayload | MailPayload


def payload_from_doc(kind: str, doc: dict[str, Any]) -> Payload:
    """The payload an intent stored (`to_doc`), for `resolve_pending` after a crash.

    Reads what older versions stored too: a mail without its index (it was indexed when
    composed), a move with the whole rescheduled series instead of its attendees."""
    if kind == "book":
        return BookPayload(doc["pairing"], series_from_doc(doc["series"]))
    if kind == "end":
        return EndPayload(doc["pairing"], doc.get("series_key") or "", parse_iso(doc["after"]),
                          doc.get("reason", ""))
    if kind == "move":
        new = (Interval(parse_iso(doc["start"]), parse_iso(doc["end"]))
               if doc.get("start") else None)
        attendees = doc.get("attendees") or doc.get("series", {}).get("attendees", [])
        return MovePayload(doc["pairing"], doc["series_key"], parse_iso(doc["original"]), new,
                           tuple(attendees))
    if kind == "mail":
        outgoing = Outgoing(key=doc["key"], message_id=doc["message_id"], sender=doc["sender"],
                            recipients=tuple(doc["recipients"]),
                            raw=base64.b64decode(doc["raw"]))
        index = doc.get("index")
        sent = None
        if index is not None:
            sent = replace(sent_from_doc(index), key=doc["key"])
        return MailPayload(outgoing, doc.get("pairing", ""), sent,
                           index["token"] if index else "", tuple(doc.get("covers", ())))
    raise ValueError(f"unknown action kind {kind!r}")
