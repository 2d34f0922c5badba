"""Apply the planner's actions through the providers, writing the ledger.

For each chunk of actions: prepare every payload (choose slots, compose
mails), record every intent and flush once, then make the outward calls and
record what they returned, then flush once more. A crash between the two
flushes leaves intents without `done`; `resolve_pending` settles them on the
next start by asking the provider whether the key exists, so nothing is
created twice and nothing is silently dropped.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from agent.core.errors import PermanentError, TemporaryError
from agent.core.ledger import Ledger, parse_iso, series_from_doc
from agent.core.model import Interval, Outgoing, Participant, Series
from agent.core.store import Store
from agent.programme.planner import Action
from agent.programme.settings import Settings
from agent.providers.base import Calendar, Mailbox

log = logging.getLogger("binome")

CHUNK = 200


@dataclass(frozen=True)
class Outcome:
    action: Action
    result: str  # "done", "failed: why", "retry: why"

    @property
    def ok(self) -> bool:
        return self.result == "done"


class Prepared:
    def __init__(self, action: Action, payload: dict[str, Any]) -> None:
        self.action = action
        self.payload = payload


class Reconciler:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        calendar: Calendar,
        mailbox: Mailbox,
        preparer: Preparer,
    ) -> None:
        self.settings = settings
        self.store = store
        self.ledger = Ledger(store)
        self.calendar = calendar
        self.mailbox = mailbox
        self.preparer = preparer
        self._not_before: dict[str, datetime] = {}
        # Checked between outward calls, so SIGTERM stops after the action in flight;
        # intents left unexecuted are settled by `resolve_pending` at the next start.
        self.should_stop: Callable[[], bool] = lambda: False

    # -- crash recovery ----------------------------------------------------------
    def resolve_pending(self, now: datetime) -> list[Outcome]:
        outcomes = []
        for record in self.store.pending():
            key = record["key"]
            if self._not_before.get(key, now) > now:
                continue
            action = Action(key, record["kind"], record["payload"].get("pairing", ""),
                            reason="resumed after an interruption")
            ref = self._existing(record["kind"], record["payload"])
            if ref is not None:
                self._finish(action, record["payload"], now, ref)
                outcomes.append(Outcome(action, "done"))
            else:
                outcomes.append(self._execute(Prepared(action, record["payload"]), now))
        if outcomes:
            self.store.flush()
        return outcomes

    def _existing(self, kind: str, payload: dict[str, Any]) -> str | None:
        """Whether the outward call of an interrupted action already happened."""
        if kind == "book":
            ref = self.calendar.find_series(payload["series"]["key"])
            if ref is not None:
                self._apply_moves(series_from_doc(payload["series"]))  # may be half done
            return ref
        if kind == "mail":
            return payload["message_id"] if self.mailbox.was_sent(payload["message_id"]) else None
        return None  # ending a series or moving an occurrence is idempotent: do it again

    # -- the normal path -----------------------------------------------------------
    def apply(
        self, actions: Sequence[Action], people: Mapping[str, Participant], now: datetime
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for start in range(0, len(actions), CHUNK):
            chunk = actions[start : start + CHUNK]
            prepared, failed = self.preparer.prepare(chunk, people, now)
            for action, why in failed:
                self.store.begin(action.key, action.kind, {}, now)
                self.store.finish(action.key, now, status="failed", error=why)
                log.warning("failed %s: %s", action.describe(), why)
                outcomes.append(Outcome(action, f"failed: {why}"))
            for p in prepared:
                self.store.begin(p.action.key, p.action.kind, p.payload, now)
            self.store.flush()  # every intent is on disk before the first outward call
            for p in prepared:
                if self.should_stop():
                    break
                outcomes.append(self._execute(p, now))
            self.store.flush()
            if self.should_stop():
                break
        return outcomes

    def _execute(self, p: Prepared, now: datetime) -> Outcome:
        action, payload = p.action, p.payload
        try:
            ref = self._call(action.kind, payload)
        except TemporaryError as exc:
            delay = exc.retry_after if exc.retry_after is not None else 300.0
            self._not_before[action.key] = now + timedelta(seconds=delay)
            log.warning("retry later %s: %s", action.describe(), exc)
            return Outcome(action, f"retry: {exc}")
        except PermanentError as exc:
            self.store.finish(action.key, now, status="failed", error=str(exc))
            log.error("failed %s: %s", action.describe(), exc)
            return Outcome(action, f"failed: {exc}")
        self._finish(action, payload, now, ref)
        log.info("done %s", action.describe())
        return Outcome(action, "done")

    def _call(self, kind: str, payload: dict[str, Any]) -> str:
        if kind == "book":
            series = series_from_doc(payload["series"])
            ref = self.calendar.put_series(series)
            self._apply_moves(series)
            return ref
        if kind == "end":
            if payload.get("series_key"):
                self.calendar.end_series(payload["series_key"], parse_iso(payload["after"]))
            return str(payload["pairing"])
        if kind == "move":  # to a new time, or cancelled when the week had none
            new = (Interval(parse_iso(payload["start"]), parse_iso(payload["end"]))
                   if payload["start"] else None)
            self.calendar.change_occurrence(payload["series_key"], parse_iso(payload["original"]),
                                            new)
            return str(payload["series_key"])
        if kind == "mail":
            return self.mailbox.send(outgoing_of(payload))
        raise PermanentError(f"unknown action kind {kind!r}")

    def _apply_moves(self, series: Series) -> None:
        """Occurrences a new series has at other times (learning days): one override each.

        `put_series` books the regular pattern; each move is `change_occurrence`, which
        every backend does idempotently, so a retry after a crash just repeats them.
        """
        for original, start in series.moved:
            self.calendar.change_occurrence(series.key, original,
                                            Interval(start, start + series.duration))

    def _finish(self, action: Action, payload: dict[str, Any], now: datetime, ref: str) -> None:
        if action.kind == "end":
            self.ledger.end_pairing(payload["pairing"], payload.get("reason", ""), now)
        if action.kind == "move":
            series = series_from_doc(payload["series"])
            self.ledger.save_series(payload["pairing"], series)
            self.ledger.forget_responses(series.key, parse_iso(payload["original"]),
                                         series.attendees)
        self.store.finish(action.key, now, ref=ref)
        self._not_before.pop(action.key, None)


class Preparer(Protocol):
    """Turns actions into payloads (slot search, composing); see agent.pipeline.prepare."""

    def prepare(
        self, actions: Sequence[Action], people: Mapping[str, Participant], now: datetime
    ) -> tuple[list[Prepared], list[tuple[Action, str]]]: ...


def outgoing_of(payload: Mapping[str, Any]) -> Outgoing:
    """The message a mail payload (`mail_payload`) sends, byte for byte."""
    return Outgoing(key=payload["key"], message_id=payload["message_id"],
                    sender=payload["sender"], recipients=tuple(payload["recipients"]),
                    raw=base64.b64decode(payload["raw"]))


def mail_payload(outgoing: Outgoing, pairing_id: str = "") -> dict[str, Any]:
    return {
        "key": outgoing.key,
        "pairing": pairing_id,
        "message_id": outgoing.message_id,
        "sender": outgoing.sender,
        "recipients": list(outgoing.recipients),
        "raw": base64.b64encode(outgoing.raw).decode("ascii"),
    }

