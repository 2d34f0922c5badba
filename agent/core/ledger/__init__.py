"""The agent's records on top of the generic `Store`, as typed repositories.

Everything above reads and writes the state through these, and gets dataclasses
(agent.core.records, agent.core.model), never a stored document:

- `pairings`, `series`: who meets whom, and the series booked for it;
- `journal`: the keyed actions (started, done, failed) and pacing's records;
- `people`: opt-outs, skipped sessions, the waiting list, bounces, the last good roster;
- `messages`, `owed`, `quarantine`: what we sent, what we owe, what we set aside;
- `answers`, `responses`: what people answered by mail and in their calendars;
- `marks`: named cursors and dates (the inbox cursor, the last tick...);
- `troubles`: the units of work failing now (the inbox, one series' answers...).

`apply` makes the ledger writes an executed action implies (agent.core.actions).
A ledger over a read-only store (`Store(readonly=True)`) refuses every write.
"""

from __future__ import annotations

from datetime import datetime

from agent.core.ledger.answers import Answers, Responses
from agent.core.ledger.journal import Intent, Journal
from agent.core.ledger.mail import Messages, OwedMail, Quarantine
from agent.core.ledger.pairings import Pairings, SeriesTable
from agent.core.ledger.people import People
from agent.core.ledger.troubles import Troubles
from agent.core.payloads import (
    Cover,
    EndPairing,
    ForgetResponses,
    IndexMessage,
    Reschedule,
    SaveSeries,
    Write,
)
from agent.core.store import Store

__all__ = ["Intent", "Ledger", "Marks"]


class Marks:
    """Named values the agent keeps between ticks (cursors, the day a scan last ran)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, name: str) -> str | None:
        """The value kept under `name`, or None if it was never set."""
        doc = self._store.peek("marks", name)
        return None if doc is None else str(doc["value"])

    def set(self, name: str, value: str) -> None:
        """Keep `value` under `name` (no write when it is that already)."""
        if self.get(name) != value:
            self._store.put("marks", name, {"value": value})


class Ledger:
    """The typed repositories over one store (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pairings = Pairings(store)
        self.series = SeriesTable(store)
        self.journal = Journal(store)
        self.people = People(store)
        self.messages = Messages(store)
        self.owed = OwedMail(store, self.journal.seen)
        self.quarantine = Quarantine(store)
        self.answers = Answers(store)
        self.responses = Responses(store)
        self.marks = Marks(store)
        self.troubles = Troubles(store)

    @property
    def readonly(self) -> bool:
        """Whether the store was opened read-only (every write raises `ReadOnlyStore`)."""
        return self.store.readonly

    def flush(self) -> None:
        """Write the changes to disk, all or nothing (`Store.flush`)."""
        self.store.flush()

    def apply(self, write: Write, at: datetime) -> None:
        """Make one write an action implies (agent.core.actions)."""
        match write:
            case SaveSeries(pairing_id, series):
                self.series.save(pairing_id, series)
            case Reschedule(pairing_id, original, start):
                booked = self.series.get(pairing_id)
                # Applied once per move; a series that already shows it is left as it is.
                if booked is not None and not booked.shows(original, start):
                    self.series.save(pairing_id, booked.rescheduled(original, start))
            case ForgetResponses(key, occurrence, attendees):
                self.responses.forget(key, occurrence, attendees)
            case EndPairing(pairing_id, reason):
                self.pairings.close(pairing_id, "ended", at, reason)
            case IndexMessage(message_id, token, sent):
                self.messages.index(message_id, token, sent, at)
            case Cover(key, by):
                self.journal.cover(key, by, at)
