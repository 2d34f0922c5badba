"""Execute prepared actions through the providers, keyed and crash-safe.

For each batch of prepared actions: record every intent (with its payload and
its `on_intent` writes) and flush once, then make the outward calls and record
what they returned with the payload's `on_done` writes, then flush once more. A
crash between the two flushes leaves intents without `done`; `resolve_pending`
settles them at the next start by asking the provider whether the key exists,
so nothing is created twice and nothing is silently dropped.

The executor knows the action vocabulary (agent.core.actions) and the provider
contract (agent.providers.base), nothing above them: what to do is decided
before it is called, and it never calls back up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from agent.core.actions import Action, Outcome, Prepared, describe, outcome
from agent.core.errors import PermanentError, TemporaryError
from agent.core.keys import parse_key
from agent.core.ledger import Ledger
from agent.core.model import Interval, Series
from agent.core.payloads import (
    BookPayload,
    EndPayload,
    MailPayload,
    MovePayload,
    Payload,
    UpdatePayload,
    payload_from_doc,
)
from agent.providers.base import Calendar, Mailbox

log = logging.getLogger("binome")

Call = Callable[[], str]  # the outward call; returns the provider's ref
Lookup = Callable[[], "str | None"]  # after a crash: the ref if the call took effect


class Executor:
    """Runs prepared actions through the providers, keyed and crash-safe (module docstring)."""

    def __init__(self, ledger: Ledger, calendar: Calendar, mailbox: Mailbox) -> None:
        self.ledger = ledger
        self.calendar = calendar
        self.mailbox = mailbox
        self._not_before: dict[str, datetime] = {}
        # Checked between outward calls, so SIGTERM stops after the action in flight;
        # intents left unexecuted are settled by `resolve_pending` at the next start.
        self.should_stop: Callable[[], bool] = lambda: False

    # -- crash recovery ----------------------------------------------------------
    def resolve_pending(self, now: datetime) -> list[Outcome]:
        """Settle the intents a crash (or a retry later) left without an outcome."""
        outcomes = []
        for intent in self.ledger.journal.pending():
            if self._not_before.get(intent.key, now) > now:
                continue
            payload = payload_from_doc(intent.kind, intent.payload)
            what = f"{intent.kind} {intent.key} (resumed after an interruption)"
            _, lookup = self._dispatch(payload)
            ref = lookup()
            result = "done"
            if ref is not None:
                self._finish(intent.key, payload, now, ref)
            else:
                result = self._call(intent.key, what, payload, now)
            mail_kind = parse_key(intent.key).kind if intent.kind == "mail" else ""
            outcomes.append(Outcome(intent.key, intent.kind, what, result, mail_kind))
        if outcomes:
            self.ledger.flush()
        return outcomes

    # -- the normal path -----------------------------------------------------------
    def execute(self, prepared: Sequence[Prepared], failed: Sequence[tuple[Action, str]],
                now: datetime) -> list[Outcome]:
        """Record `failed` (prepare could not make them) and run `prepared`."""
        outcomes: list[Outcome] = []
        journal = self.ledger.journal
        for action, why in failed:
            journal.begin(action.key, action.kind, {}, now)
            journal.finish(action.key, now, status="failed", error=why)
            log.warning("failed %s: %s", describe(action), why)
            outcomes.append(outcome(action, f"failed: {why}"))
        for p in prepared:
            journal.begin(p.action.key, p.action.kind, p.payload.to_doc(), now)
            for write in p.payload.on_intent():
                self.ledger.apply(write, now)
        self.ledger.flush()  # every intent is on disk before the first outward call
        for p in prepared:
            if self.should_stop():
                break
            outcomes.append(outcome(p.action, self._call(p.action.key, describe(p.action),
                                                         p.payload, now)))
        self.ledger.flush()
        return outcomes

    def _call(self, key: str, what: str, payload: Payload, now: datetime) -> str:
        """Make the outward call: `done`, `failed: why` (recorded) or `retry: why`."""
        call, _ = self._dispatch(payload)
        try:
            ref = call()
        except TemporaryError as exc:
            delay = exc.retry_after if exc.retry_after is not None else 300.0
            self._not_before[key] = now + timedelta(seconds=delay)
            log.warning("retry later %s: %s", what, exc)
            return f"retry: {exc}"
        except PermanentError as exc:
            self.ledger.journal.finish(key, now, status="failed", error=str(exc))
            log.error("failed %s: %s", what, exc)
            return f"failed: {exc}"
        self._finish(key, payload, now, ref)
        log.info("done %s", what)
        return "done"

    def _finish(self, key: str, payload: Payload, now: datetime, ref: str) -> None:
        for write in payload.on_done():
            self.ledger.apply(write, now)
        self.ledger.journal.finish(key, now, ref=ref)
        self._not_before.pop(key, None)

    # -- the one dispatch on kind ---------------------------------------------------
    def _dispatch(self, payload: Payload) -> tuple[Call, Lookup]:
        """The outward call a payload makes, and how to tell after a crash whether it
        already took effect (None: it did not, or doing it again is harmless)."""
        match payload:
            case BookPayload(series=series):
                return (lambda: self._book(series)), (lambda: self._booked(series))
            case UpdatePayload(series=series):
                # Updating in place is idempotent at every provider: after a crash it is
                # simply done again (whether it took effect cannot be told by its key).
                return (lambda: self._book(series)), _again
            case EndPayload(series_key=key, after=after, pairing_id=pairing_id):
                def end() -> str:
                    if key:
                        self.calendar.end_series(key, after)
                    return pairing_id
                return end, _again  # ending again is idempotent
            case MovePayload(series_key=key, original=original, new=new):
                def move() -> str:  # to a new time, or cancelled when the week had none
                    self.calendar.change_occurrence(key, original, new)
                    return key
                return move, _again  # moving again is idempotent
            case MailPayload(outgoing=message):
                def sent() -> str | None:
                    return message.message_id if self.mailbox.was_sent(message.message_id) \
                        else None
                return (lambda: self.mailbox.send(message)), sent
        raise PermanentError(f"unknown payload {payload!r}")

    def _book(self, series: Series) -> str:
        ref = self.calendar.put_series(series)
        self._apply_moves(series)
        return ref

    def _booked(self, series: Series) -> str | None:
        ref = self.calendar.find_series(series.key)
        if ref is not None:
            self._apply_moves(series)  # may be half done
        return ref

    def _apply_moves(self, series: Series) -> None:
        """Occurrences a new series has at other times (learning days): one override each.

        `put_series` books the regular pattern; each move is `change_occurrence`, which
        every backend does idempotently, so a retry after a crash just repeats them.
        """
        for original, start in series.moved:
            self.calendar.change_occurrence(series.key, original,
                                            Interval(start, start + series.duration))


def _again() -> str | None:
    return None
