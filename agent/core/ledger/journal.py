"""The action journal: which keyed actions were started, done or failed, and their retries.

Backed by the store's action ledger (`Store.begin`/`finish`, the `actions`
partitions and `pending`), and read here as `ActionRecord`s. Also what pacing
records (agent.conversation.pacing): `covered` (history): mail key -> the
action whose message carried it; `held` (history): mail key -> when it may go;
`mail_day`: email -> the last day (theirs) they got a programme mail; `confirmed`:
what a command's confirmation said -> the day and the key of the one that said it.

Retries live here, not in a process's memory, so a restart keeps them:
- a *temporary* failure (`postpone`) leaves the intent pending with `attempts`
  and `next_try` on its record; `due` says when it may be tried again, after a
  bounded backoff (`backoff`); after `MAX_ATTEMPTS` it is given up as failed;
- a *failed* action (a permanent error, or one prepare could not make) is listed
  in `failures` (state: key -> when). It is tried again once `release`d: by
  `binome retry`, or by `release_on_change` when the settings, templates or
  roster it was made from changed. A released record has ``retry: true`` and no
  longer counts as `seen`, so the planner plans it again if it is still due.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent.core.docs import action_from_doc, iso, month_of, parse_iso
from agent.core.records import ActionRecord
from agent.core.store import ACTIONS, PENDING, Store

FAILURES = "failures"
INPUTS = "inputs"  # the mark holding the fingerprint of what failed actions were made from
MAX_ATTEMPTS = 12  # temporary failures in a row before an action is given up as failed
FIRST_DELAY = timedelta(minutes=5)
MAX_DELAY = timedelta(hours=1)


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """How long to wait after the `attempts`-th temporary failure in a row: doubling from
    five minutes, at most an hour; never less than the service's own `Retry-After`
    (itself capped at the hour: a service asking for days is asked again within the hour)."""
    doubling: timedelta = FIRST_DELAY * (2 ** min(max(attempts - 1, 0), 16))
    asked = timedelta(seconds=retry_after) if retry_after else timedelta(0)
    return min(max(doubling, asked), MAX_DELAY)


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
        """Whether an action under `key` was ever started (intent, done or failed and not
        released for a retry), or its mail travels inside another one (`cover`)."""
        action = self._store.peek(ACTIONS, key)
        if action is not None:
            return not action.get("retry")
        return self._store.has("covered", key)

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
        """Record the intent to do `key`, with its payload, before the outward call (an
        action begun again after a failure keeps its count of attempts)."""
        old = self._store.peek(ACTIONS, key)
        attempts = int(old.get("attempts", 0)) if old is not None else 0
        self._store.begin(key, kind, payload, at)
        if attempts:
            self._update(key, attempts=attempts)

    def finish(self, key: str, at: datetime, *, ref: str | None = None, status: str = "done",
               error: str = "") -> None:
        """Record how `key` ended: `done` (with the provider's `ref`) or `failed` (with `error`).

        A failed mail's carried mails are no longer covered by it: they were not sent, so
        the planner plans them again."""
        if status == "failed":
            pending = self._store.peek(PENDING, key)
            for covered in (pending or {}).get("payload", {}).get("covers", ()):
                doc = self._store.peek("covered", covered)
                if doc is not None and doc.get("by") == key:
                    self._store.delete("covered", covered)
        old = self._store.peek(ACTIONS, key)
        attempts = int(old.get("attempts", 0)) if old is not None else 0
        self._store.finish(key, at, ref=ref, status=status, error=error)
        if status == "failed":
            self._update(key, attempts=attempts + 1, next_try=None)
            self._store.put(FAILURES, key, {"at": iso(at)})
        elif self._store.has(FAILURES, key):
            self._store.delete(FAILURES, key)

    # -- retries ----------------------------------------------------------------------
    def postpone(self, key: str, at: datetime, error: str,
                 retry_after: float | None = None) -> datetime | None:
        """A temporary failure of the begun action `key`: it stays pending and is tried again
        after `backoff`; returns when, or None when it was given up (failed) instead."""
        record = self._store.peek(ACTIONS, key)
        attempts = (int(record.get("attempts", 0)) if record is not None else 0) + 1
        if attempts >= MAX_ATTEMPTS:
            self._update(key, attempts=attempts - 1)
            self.finish(key, at, status="failed",
                        error=f"gave up after {attempts} attempts: {error}")
            return None
        when = at + backoff(attempts, retry_after)
        self._update(key, attempts=attempts, next_try=iso(when), error=error)
        return when

    def due(self, key: str, now: datetime) -> bool:
        """Whether the pending action `key` may be tried at `now` (its backoff is over)."""
        record = self._store.peek(ACTIONS, key)
        when = None if record is None else record.get("next_try")
        return when is None or parse_iso(str(when)) <= now

    def failures(self) -> list[str]:
        """The keys of the actions that failed and are not done since, oldest failure first."""
        found = [(str(doc["at"]), key) for key, doc in self._store.all(FAILURES)]
        return [key for _, key in sorted(found)]

    def release(self, key: str) -> bool:
        """Let `key` be tried again: a failed action is planned again if still due, a
        postponed one is tried at the next tick. False when there is nothing to retry."""
        record = self._store.peek(ACTIONS, key)
        if record is None:
            return False
        if record["status"] == "failed" and not record.get("retry"):
            self._update(key, retry=True)
            return True
        if record["status"] == "intent" and record.get("next_try"):
            self._update(key, next_try=None)
            return True
        return False

    def release_all(self) -> list[str]:
        """Release every failed action and every postponed one; returns their keys."""
        keys = [*self.failures(), *(i.key for i in self.pending())]
        return [key for key in keys if self.release(key)]

    def release_on_change(self, inputs: str) -> list[str]:
        """Release every failed action when `inputs` (a fingerprint of the settings, templates
        and roster) differs from the last one seen; returns the keys released.

        The first time (no fingerprint kept yet, as after an upgrade) the failures an
        older version recorded are listed once, and released."""
        last = self._store.peek("marks", INPUTS)
        if last is not None and last.get("value") == inputs:
            return []
        if last is None:
            for record in self.everything():
                if record.status == "failed" and not self._store.has(FAILURES, record.key):
                    stamp = record.done_at or record.at
                    self._store.put(FAILURES, record.key, {"at": iso(stamp)})
        self._store.put("marks", INPUTS, {"value": inputs})
        return [key for key in self.failures() if self.release(key)]

    def _update(self, key: str, **fields: Any) -> None:
        record = self._store.get(ACTIONS, key)
        if record is None:
            return
        record.update(fields)
        self._store.put(ACTIONS, key, record)

    # -- one message a day per person (agent.conversation.pacing) -----------------------
    def cover(self, key: str, by: str, at: datetime) -> None:
        """The mail `key` goes out inside the message of action `by`."""
        self._store.put("covered", key, {"by": by, "at": iso(at)}, month=month_of(at))

    def covered_in_month(self, month: str) -> list[str]:
        """The keys of the mails that went inside another message in `month` ("YYYY-MM")."""
        return [key for key, _ in self._store.in_month("covered", month)]

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

    def confirmed(self, said: str, day: str) -> str | None:
        """The key of the confirmation that said `said` on `day` (ISO date), or None."""
        doc = self._store.peek("confirmed", said)
        return str(doc["by"]) if doc is not None and doc.get("day") == day else None

    def set_confirmed(self, said: str, day: str, key: str) -> None:
        """The confirmation `key` says `said` on `day`: the same said again that day rides
        inside it."""
        self._store.put("confirmed", said, {"day": day, "by": key})

    def set_last_mail_day(self, email: str, day: str) -> None:
        """Record `day` (ISO date) as the last day `email` got a programme mail."""
        if self.last_mail_day(email) != day:
            self._store.put("mail_day", email, {"day": day})
