"""A seeded fault-injecting wrapper around any calendar and mailbox, through the contract.

`FaultyCalendar` and `FaultyMailbox` are `Calendar` and `Mailbox` (agent.providers.base)
that hand every call to a real backend (local, or the real Google and Graph clients
talking to their HTTP fakes) and, for a share `rate` of the calls, fail the way real
services and networks do instead:

- `429`: too many requests, with a Retry-After (TemporaryError with `retry_after`), before
  the call (Google and Graph both answer 429 so, with the header);
- `5xx`: the service is unavailable (TemporaryError), before the call;
- `timeout`: no answer in time (TemporaryError), before the call;
- `reset`: the connection reset by the peer, raw, as a client library may let it escape
  (ConnectionResetError: not one of the two failure kinds of the contract);
- `slow`: the answer comes, late (`slow_seconds`);
- `partial`: a batch half done (`acknowledge` acknowledges the first half of its refs,
  then fails);
- `lost`: the call takes effect and its answer is lost (the request went out, the reply
  timed out): the caller cannot tell it from a failure before the call.

Nothing here touches a backend's internals: the wrapper only calls and raises. What was
injected is counted (`Faults.injected`), and every call by method (`Faults.calls`), so a
test or a benchmark can say how many faults it survived.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import TypeVar

from harness import Mail, Run, reply_to

from agent.core.errors import TemporaryError
from agent.core.model import Change, Incoming, Interval, Outgoing, Response, Series
from agent.core.store import Store
from agent.providers.base import Calendar, Delivery, Mailbox
from agent.providers.itip import CalendarReply, Taken

T = TypeVar("T")
KINDS = ("429", "5xx", "timeout", "reset", "slow", "partial", "lost")
# Calls whose effect changes something outside: only these can lose their answer after it.
EFFECTS = {"put_checked", "change_occurrence", "end_series", "send", "acknowledge"}


class Killed(BaseException):
    """The process dies here (kill -9): not an error anyone catches, everything unflushed
    is lost. A BaseException, so no `except Exception` of the agent stops it."""


class Faults:
    """Which call fails and how: seeded, so a run is repeatable; `enabled` stops them all
    (the storm passes, and what was left is settled). `kill_at` kills the process at that
    call (counted from now), before it, or after it took effect (`kill_after`)."""

    def __init__(self, seed: int | str, rate: float, kinds: Sequence[str] = KINDS,
                 slow_seconds: float = 0.002, only: Collection[str] | None = None) -> None:
        self.random = random.Random(seed)
        self.only = only  # the methods that may fail (None: every one)
        self.rate = rate
        self.kinds = tuple(kinds)
        self.slow_seconds = slow_seconds
        self.enabled = True
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.kill_at: int | None = None
        self.kill_after = False

    def pick(self, method: str) -> str | None:
        """The fault of this call of `method`, or None."""
        self.calls[method] += 1
        if not self.enabled or (self.only is not None and method not in self.only):
            return None
        if self.random.random() >= self.rate:
            return None
        kind = self.random.choice(self.kinds)
        if method in EFFECTS and kind in ("slow", "partial") and "lost" in self.kinds:
            kind = "lost"  # the rarest calls and the worst case: lost more often
        if kind == "lost" and method not in EFFECTS:
            kind = "timeout"  # a read that loses its answer simply failed
        if kind == "partial" and method != "acknowledge":
            kind = "5xx"
        self.injected[kind] += 1
        return kind

    def around(self, method: str, call: Callable[[], T]) -> T:
        """`call()`, or a fault instead of it (or after it, for `lost`)."""
        if self.kill_at is not None:
            self.kill_at -= 1
            if self.kill_at <= 0:
                self.kill_at = None
                if self.kill_after:
                    call()
                raise Killed(method)
        return self.inject(self.pick(method), method, call)

    def inject(self, kind: str | None, method: str, call: Callable[[], T]) -> T:
        """`call()` with the fault `kind` (None: none)."""
        if kind is None:
            return call()
        if kind == "429":
            raise TemporaryError(f"{method}: 429 Too Many Requests",
                                 retry_after=self.random.choice([1.0, 30.0, 120.0]))
        if kind == "5xx":
            raise TemporaryError(f"{method}: 503 Service Unavailable")
        if kind == "timeout":
            raise TemporaryError(f"{method}: timed out")
        if kind == "reset":
            raise ConnectionResetError(104, "Connection reset by peer")
        if kind == "slow":
            time.sleep(self.slow_seconds)
            return call()
        call()  # lost (or a batch half done): it took effect, and nobody heard back
        raise TemporaryError(f"{method}: timed out waiting for the answer")

    def summary(self) -> str:
        """One line: calls made, faults injected by kind."""
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.injected.items()))
        return (f"{sum(self.calls.values())} calls, {sum(self.injected.values())} faults "
                f"injected ({kinds})")


class FaultyCalendar(Calendar):
    """`inner`, with the faults of `faults` (module docstring)."""

    def __init__(self, inner: Calendar, faults: Faults) -> None:
        self.inner = inner
        self.faults = faults
        self.separates_events = inner.separates_events  # type: ignore[misc]

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        return self.faults.around("free_busy", lambda: self.inner.free_busy(
            people, window, separate=separate))

    def put_checked(self, series: Series) -> str:
        return self.faults.around("put_checked", lambda: self.inner.put_checked(series))

    def find_series(self, key: str) -> str | None:
        return self.faults.around("find_series", lambda: self.inner.find_series(key))

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        self.faults.around("change_occurrence", lambda: self.inner.change_occurrence(
            key, original_start, new))

    def end_series(self, key: str, after: datetime) -> None:
        self.faults.around("end_series", lambda: self.inner.end_series(key, after))

    def responses(self, key: str, window: Interval) -> list[Response]:
        return self.faults.around("responses", lambda: self.inner.responses(key, window))

    def take_reply(self, reply: CalendarReply) -> Taken | None:
        return self.faults.around("take_reply", lambda: self.inner.take_reply(reply))

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        return self.faults.around("changes", lambda: self.inner.changes(cursor))


class FaultyMailbox(Mailbox):
    """`inner`, with the faults of `faults` (module docstring)."""

    def __init__(self, inner: Mailbox, faults: Faults) -> None:
        self.inner = inner
        self.faults = faults

    # deliver/delivery/set_aside go to the backend's own (Gmail's ids, an IMAP folder),
    # not the base's defaults built on send/was_sent/acknowledge.
    def deliver(self, message: Outgoing) -> Delivery:
        return self.faults.around("send", lambda: self.inner.deliver(message))

    def delivery(self, message: Outgoing) -> Delivery | None:
        return self.faults.around("was_sent", lambda: self.inner.delivery(message))

    def send(self, message: Outgoing) -> str:
        return self.faults.around("send", lambda: self.inner.send(message))

    def was_sent(self, message_id: str) -> bool:
        return self.faults.around("was_sent", lambda: self.inner.was_sent(message_id))

    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        return self.faults.around("receive", lambda: self.inner.receive(cursor))

    def acknowledge(self, refs: Sequence[str]) -> None:
        kind = self.faults.pick("acknowledge")
        if kind == "partial" and len(refs) > 1:
            self.inner.acknowledge(refs[: len(refs) // 2])
            raise TemporaryError("acknowledge: 500 on part of the batch")
        self.faults.inject(kind, "acknowledge", lambda: self.inner.acknowledge(refs))

    def set_aside(self, refs: Sequence[str]) -> None:
        self.faults.around("acknowledge", lambda: self.inner.set_aside(refs))


def faulty(calendar: Calendar, mailbox: Mailbox, faults: Faults) -> tuple[Calendar, Mailbox]:
    """Both backends behind the same fault schedule."""
    return FaultyCalendar(calendar, faults), FaultyMailbox(mailbox, faults)


# -- a few weeks of the small programme on a hosted backend (its HTTP fake) -------------
@dataclass(frozen=True)
class Hosted:
    """How a scenario reaches a hosted backend's fake: the raw messages the programme mailbox
    sent (as their recipients got them), and how a reply lands in its inbox."""

    sent: Callable[[], list[bytes]]
    deliver: Callable[[bytes], None]


def weeks_of_replies(run: Run, hosted: Hosted, until: datetime, step: timedelta,
                     faults: Faults | None = None) -> int:
    """Tick `run` every `step` up to `until`; each questionnaire (or reminder) sent gets its
    addressee's reply at the next step. The faults stop for the last day. Returns how many
    replies were delivered."""
    answered: set[str] = set()
    while run.clock.now() < until:
        if faults is not None and run.clock.now() >= until - timedelta(days=1):
            faults.enabled = False
        run.agent.tick()
        for raw in hosted.sent():
            headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
            key = str(headers["X-Binome-Key"]).strip()
            if not key.startswith("mail/questionnaire/") or key in answered:
                continue
            answered.add(key)
            person = str(headers["To"]).strip()
            mail = Mail(key, person, str(headers["From"]), str(headers["Subject"]),
                        str(headers["Message-ID"]), run.clock.now(),
                        "Comment s'est passée la séance ?\n", "", "fr")
            hosted.deliver(reply_to(mail, person, f"Note : {1 + len(answered) % 5}",
                                    f"<answer-{len(answered)}@ex.fr>", run.clock.now()))
        run.clock.advance(step)
    return len(answered)


def settled(run: Run) -> dict[str, object]:
    """What a scenario left, to compare a faulted run with a calm one: the actions done
    (their keys), the answers recorded; and what must be empty (in flight, failed,
    failing)."""
    state = Store(run.settings.state_dir, readonly=True)
    actions = dict(state.all("actions"))
    return {
        "done": sorted(k for k, d in actions.items() if d["status"] == "done"),
        "answers": sorted((d["pairing"], d["occurrence"], d["sender"], d["rating"])
                          for _, d in state.all("feedback")),
        "not done": sorted(k for k, d in actions.items() if d["status"] != "done"),
        "pending": [k for k, _ in state.all("pending")],
        "troubles": [k for k, _ in state.all("troubles")],
    }


def settled_alike(name: str, faults: Faults, calm: tuple[Run, int],
                  stormy: tuple[Run, int]) -> None:
    """A few weeks on a hosted fake under `faults` ended as without them: the faults
    happened (lost answers among them), nothing is left pending, failed or failing, the
    same actions were done and every reply was recorded alike. `calm`/`stormy`: each
    run and how many replies its people sent."""
    print(f"\n{name} fault run: {faults.summary()}")
    assert sum(faults.injected.values()) > 60 and len(faults.injected) >= 6
    assert faults.injected["lost"] >= 3  # sent or booked, and the answer lost
    before, after = settled(calm[0]), settled(stormy[0])
    assert after["pending"] == after["not done"] == after["troubles"] == []
    assert after["done"] == before["done"] and len(before["done"]) >= 16
    assert stormy[1] == calm[1] > 4
    assert after["answers"] == before["answers"] and len(after["answers"]) == stormy[1]
