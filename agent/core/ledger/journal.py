"""The action journal: which keyed actions were started, done or failed.

Backed by the store's action ledger (`Store.begin`/`finish`, the `actions`
partitions and `pending`), and read here as `ActionRecord`s. Also what pacing
records (agent.conversation.pacing): `covered` (history): mail key -> the
action whose message carried it; `held` (history): mail key -> when it may go;
`mail_day`: email -> the last day (theirs) they got a programme mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.core.docs import action_from_doc, iso, month_of, parse_iso
from agent.core.records import ActionRecord
from agent.core.store import ACTIONS, Store


@dataclass(frozen=True)
class Intent:
    """An action begun and not finished: what `resolve_pending` settles after a crash."""

    key: str
    kind: str
    at: datetime
    payload: dict[str, Any]


class Journal:
    """The keyed actions (started, done, failed), and pacing's records of mail."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def seen(self, key: str) -> bool:
        """Whether an action under `key` was ever started (intent, done or failed), or
        its mail travels inside another one (`cover`)."""
        return self._store.has(ACTIONS, key) or self._store.has("covered", key)

    def done(self, key: str) -> bool:
        """Whether the action `key` was done (not merely begun, nor failed)."""
        # peek, not a copy: the planner asks this for every pairing on every tick.
        action = self._store.peek(ACTIONS, key)
        return action is not None and action["status"] == "done"

    def failed_before(self, key: str, when: datetime) -> bool:
        """Whether `key` failed, last time, before `when` (so it may be tried again)."""
        action = self._store.peek(ACTIONS, key)
        return (action is not None and action["status"] == "failed"
                and parse_iso(action["done_at"]) <= when)

    def get(self, key: str) -> ActionRecord | None:
        """The action record of `key`, or None if it was never begun."""
        doc = self._store.peek(ACTIONS, key)
        return None if doc is None else action_from_doc(doc)

    def everything(self) -> Iterator[ActionRecord]:
        """Every action ever begun (all months: not for every tick)."""
        for _, doc in self._store.all(ACTIONS):
            yield action_from_doc(doc)

    def in_month(self, month: str) -> Iterator[ActionRecord]:
        """The actions begun in `month` ("YYYY-MM")."""
        for _, doc in self._store.in_month(ACTIONS, month):
            yield action_from_doc(doc)

    def pending(self) -> list[Intent]:
        """Intents not finished, oldest first."""
        return [Intent(r["key"], r["kind"], parse_iso(r["at"]), r["payload"])
                for r in self._store.pending()]

    def begin(self, key: str, kind: str, payload: dict[str, Any], at: datetime) -> None:
        """Record the intent to do `key`, with its payload, before the outward call."""
        self._store.begin(key, kind, payload, at)

    def finish(self, key: str, at: datetime, *, ref: str | None = None, status: str = "done",
               error: str = "") -> None:
        """Record how `key` ended: `done` (with the provider's `ref`) or `failed` (with `error`)."""
        self._store.finish(key, at, ref=ref, status=status, error=error)

    # -- one message a day per person (agent.conversation.pacing) -----------------------
    def cover(self, key: str, by: str, at: datetime) -> None:
        """The mail `key` goes out inside the message of action `by`."""
        self._store.put("covered", key, {"by": by, "at": iso(at)}, month=month_of(at))

    def hold(self, key: str, until: datetime) -> None:
        """The mail `key` waits until `until` (someone already had their mail of the day)."""
        self._store.put("held", key, {"until": iso(until)}, month=month_of(until))

    def held_until(self, key: str) -> datetime | None:
        """When the held mail `key` may go, or None if it is not held."""
        doc = self._store.peek("held", key)
        return None if doc is None else parse_iso(str(doc["until"]))

    def last_mail_day(self, email: str) -> str | None:
        """The last day (ISO date, in their zone) `email` got a programme mail; None if never."""
        doc = self._store.peek("mail_day", email)
        return None if doc is None else str(doc["day"])

    def set_last_mail_day(self, email: str, day: str) -> None:
        """Record `day` (ISO date) as the last day `email` got a programme mail."""
        if self.last_mail_day(email) != day:
            self._store.put("mail_day", email, {"day": day})
