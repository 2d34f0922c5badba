"""Execute prepared actions through the providers, keyed and crash-safe.

For each batch of prepared actions: record every intent (with its payload and
its `on_intent` writes) and flush once, then make the outward calls and record
what they returned with the payload's `on_done` writes, then flush once more. A
crash between the two flushes leaves intents without `done`; `resolve_pending`
settles them at the next start by asking the provider whether the key exists,
so nothing is created twice and nothing is silently dropped.

Each action fails alone. A `TemporaryError` (or anything unexpected, when it is not
known whether the call took effect) leaves the intent pending, to be settled like a
crash's after a backoff the journal keeps (agent.core.ledger.journal: attempts, next
try); a `PermanentError` records the action as failed, to be tried again once
released (`binome retry`, or a change of the settings, templates or roster).

The executor knows the action vocabulary (agent.core.actions) and the provider
contract (agent.providers.base), nothing above them: what to do is decided
before it is called, and it never calls back up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from agent.core.actions import Action, Outcome, Prepared, describe, outcome
from agent.core.errors import PermanentError, TemporaryError
from agent.core.keys import parse_key
from agent.core.ledger import Ledger
from agent.core.model import Interval, Outgoing, Series
from agent.core.payloads import (
    BookPayload,
    EndPayload,
    MailPayload,
    MovePayload,
    Payload,
    payload_from_doc,
)
from agent.providers.base import Calendar, Delivery, Mailbox

log = logging.getLogger("binome")

Call = Callable[[], str]  # the outward call; returns the provider's ref
Lookup = Callable[[], "str | None"]  # after a crash: the ref if the call took effect


class Executor:
    """Runs prepared actions through the providers, keyed and crash-safe (module docstring)."""

    def __init__(self, ledger: Ledger, calendar: Calendar, mailbox: Mailbox) -> None:
        self.ledger = ledger
        self.calendar = calendar
        self.mailbox = mailbox
        self._seen_as: dict[str, str] = {}  # mail key -> the Message-ID recipients saw
        # Checked between outward calls, so SIGTERM stops after the action in flight;
        # intents left unexecuted are settled by `resolve_pending` at the next start.
        self.should_stop: Callable[[], bool] = lambda: False

    # -- crash recovery ----------------------------------------------------------
    def resolve_pending(self, now: datetime) -> list[Outcome]:
        """Settle the intents a crash (or a temporary failure) left without an outcome, each
        once its backoff is over: asked of the provider first, made only if not there."""
        outcomes = []
        journal = self.ledger.journal
        for intent in journal.pending():
            if not journal.due(intent.key, now):
                continue
            if self.should_stop():
                break
            what = f"{intent.kind} {intent.key} (resumed)"
            mail_kind = parse_key(intent.key).kind if intent.kind == "mail" else ""
            try:
                payload = payload_from_doc(intent.kind, intent.payload)
            except (KeyError, TypeError, ValueError) as exc:
                # Not ours to guess: the admin sees it failed, and why.
                error = f"its stored payload cannot be read ({type(exc).__name__}: {exc})"
                journal.finish(intent.key, now, status="failed", error=error)
                log.error("failed %s: %s", what, error)
                outcomes.append(Outcome(intent.key, intent.kind, what, f"failed: {error}",
                                        mail_kind))
                continue
            result = self._attempt(intent.key, what, payload, now, look_first=True)
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
            result = self._attempt(p.action.key, describe(p.action), p.payload, now,
                                   look_first=False)
            outcomes.append(outcome(p.action, result))
        self.ledger.flush()
        return outcomes

    def _attempt(self, key: str, what: str, payload: Payload, now: datetime, *,
                 look_first: bool) -> str:
        """Make the outward call (after asking whether it took effect, with `look_first`):
        `done`, `failed: why` (recorded) or `retry: why` (postponed, still pending)."""
        call, lookup = self._dispatch(payload)
        try:
            ref = lookup() if look_first else None
            if ref is None:
                ref = call()
            self._finish(key, payload, now, ref)
        except TemporaryError as exc:
            return self._postpone(key, what, now, str(exc), exc.retry_after)
        except PermanentError as exc:
            self.ledger.journal.finish(key, now, status="failed", error=str(exc))
            log.error("failed %s: %s", what, exc)
            return f"failed: {exc}"
        except Exception as exc:  # noqa: BLE001 - a backend's bug fails this action only
            # Whether the call took effect is unknown: it stays pending, and is asked about
            # before being made again, as after a crash.
            if isinstance(exc, OSError):  # a network error a client let escape
                log.warning("%s: %s: %s", what, type(exc).__name__, exc)
            else:
                log.exception("unexpected failure of %s", what)
            return self._postpone(key, what, now, f"{type(exc).__name__}: {exc}", None)
        log.info("done %s", what)
        return "done"

    def _postpone(self, key: str, what: str, now: datetime, error: str,
                  retry_after: float | None) -> str:
        when = self.ledger.journal.postpone(key, now, error, retry_after)
        if when is None:
            log.error("failed %s: gave up: %s", what, error)
            return f"failed: gave up: {error}"
        log.warning("retry %s at %s: %s", what, when.isoformat(), error)
        return f"retry: {error}"

    def _finish(self, key: str, payload: Payload, now: datetime, ref: str) -> None:
        writes = payload.on_done()
        if isinstance(payload, MailPayload) and key in self._seen_as:
            writes += payload.seen_as(self._seen_as.pop(key))
        for write in writes:
            self.ledger.apply(write, now)
        self.ledger.journal.finish(key, now, ref=ref)

    # -- the one dispatch on kind ---------------------------------------------------
    def _dispatch(self, payload: Payload) -> tuple[Call, Lookup]:
        """The outward call a payload makes, and how to tell after a crash whether it
        already took effect (None: it did not, or doing it again is harmless)."""
        match payload:
            case BookPayload(series=series):
                return (lambda: self._book(series)), (lambda: self._booked(series))
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
                # The mailbox says which Message-ID recipients saw (a service may replace ours).
                return ((lambda: self._delivered(message.key, self.mailbox.deliver(message))),
                        (lambda: self._went_out(message)))
        raise PermanentError(f"unknown payload {payload!r}")

    def _delivered(self, key: str, delivery: Delivery) -> str:
        """The ref of a mail that went out, remembering the Message-ID its recipients saw."""
        self._seen_as[key] = delivery.message_id
        return delivery.ref

    def _went_out(self, message: Outgoing) -> str | None:
        """After a crash: the ref of `message` if it went out, else None."""
        delivery = self.mailbox.delivery(message)
        return None if delivery is None else self._delivered(message.key, delivery)

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
