"""The provider contract: what Binôme asks of a calendar and of a mailbox.

`Calendar` and `Mailbox` are abstract base classes: every backend subclasses
them, so the type checker (and Python, at construction) tells a backend that
misses a method. `Calendar.put_series` is written here once: it normalises the
series (`checked`) and hands it to the backend's `put_checked`, so no backend
can book attendees in mixed case or twice.

Terms:
- *key*: the stable name of the action that created a thing (see
  `agent.core.model`). A provider stores it on the thing it creates (an event UID
  or id, a Message-ID, an extended property) so that `find_series` and
  `was_sent` can answer after a crash whether the action already happened.
- *ref*: the provider's own handle for something it holds (an event id, a
  file path, a Maildir key). Opaque to the agent.
- *cursor*: an opaque position in a provider's change stream; `None` means
  "from the beginning".
- *delivery*: how a message went out: its ref, and the Message-ID its recipients
  see. That is ours, except where the service puts its own in its place (Gmail's
  API does): replies then cite the service's, and the agent indexes both.

Errors: every method raises only `TemporaryError` (retry later, with
`retry_after` when known) or `PermanentError` (cannot succeed as asked).
Anything else escaping a provider is a bug in that provider.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ClassVar, TypeVar, final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.core.errors import PermanentError
from agent.core.model import Change, Incoming, Interval, Outgoing, Response, Series
from agent.providers.itip import CalendarReply, Taken

log = logging.getLogger("binome")
T = TypeVar("T")


def checked(series: Series) -> Series:
    """`series` as every backend books it: a time zone that exists, emails lower-cased and
    each attendee once; `PermanentError` when the zone is unknown."""
    try:
        ZoneInfo(series.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PermanentError(f"unknown time zone {series.timezone!r}") from exc
    return replace(series, organizer=series.organizer.lower(),
                   attendees=tuple(dict.fromkeys(a.lower() for a in series.attendees)))


def first_keyed(found: Sequence[T], key: str, where: str) -> T | None:
    """The item found under `key` in a backend's search: one is expected; several (a
    duplicate someone made by hand) are reported and the first kept."""
    if len(found) > 1:
        log.warning("%d items in %s carry the key %s; using the first", len(found), where, key)
    return found[0] if found else None


def clipped(start: datetime, end: datetime, window: Interval) -> Interval | None:
    """The part of the busy time from `start` to `end` inside `window`, or None when it
    lies outside (a free/busy answer is clipped to the window asked about)."""
    if start < window.end and window.start < end:
        return Interval(max(start, window.start), min(end, window.end))
    return None


def spans(window: Interval, longest: timedelta) -> list[Interval]:
    """`window` cut into consecutive pieces no longer than `longest`, in order (an empty
    window is one empty piece: the service is still asked once)."""
    pieces: list[Interval] = []
    lo = window.start
    while lo < window.end or not pieces:
        hi = min(lo + longest, window.end)
        pieces.append(Interval(lo, hi))
        lo = hi
    return pieces


def no_occurrence(key: str, original_start: datetime) -> PermanentError:
    """What `change_occurrence` raises for a start that the series `key` never had."""
    return PermanentError(f"{key!r} has no occurrence starting at {original_start.isoformat()}")


def cancelled_before(key: str, original_start: datetime, new: Interval | None) -> None:
    """`change_occurrence` on an occurrence cancelled before: cancelling it again is done
    already (a retry), moving it is a `PermanentError`."""
    if new is not None:
        raise PermanentError(f"the occurrence of {key!r} at {original_start.isoformat()} "
                             "is cancelled")


def ended(series: Series, after: datetime) -> Series | None:
    """`series` without its occurrences starting at or after `after` (what `end_series`
    keeps): None when none would be left; `series` itself when none starts then."""
    remaining = series.occurrences()
    kept = [o for o in remaining if o < after]
    if len(kept) == len(remaining):
        return series
    if not kept:
        return None
    last = kept[-1]
    return replace(series, until=last, cancelled=tuple(c for c in series.cancelled if c <= last))


class Calendar(ABC):
    """A calendar service where the programme mailbox books series and reads answers.

    Every method raises `TemporaryError` or `PermanentError` only (see the module's
    docstring); the ones below say when a `PermanentError` is the expected answer.
    """

    # Whether `free_busy(..., separate=True)` tells overlapping events apart. Google's freeBusy
    # only ever answers merged busy time, so a meeting put over a session cannot be seen there.
    separates_events: ClassVar[bool]

    @abstractmethod
    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Busy intervals per person within `window` (clipped to it); unknown people are free.

        Merged (sorted; overlapping and touching intervals joined) unless `separate`: then
        one interval per busy event, sorted, as far as the service tells them apart.
        A person the service does not know, or will not show, is free (and logged).
        """

    @final
    def put_series(self, series: Series) -> str:
        """Create the series, or update it in place if `series.key` exists; returns its ref.

        Attendees' responses survive an update that keeps the occurrences. The series
        is booked as `checked` makes it; `PermanentError` for an unknown time zone, or a
        series the backend cannot book as asked (another organizer than its mailbox).
        """
        return self.put_checked(checked(series))

    @abstractmethod
    def put_checked(self, series: Series) -> str:
        """The backend's half of `put_series`: `series` has passed `checked` (its zone
        exists; organizer and attendees are lower-cased, each attendee once)."""

    @abstractmethod
    def find_series(self, key: str) -> str | None:
        """The ref of the series created under `key`, or None."""

    @abstractmethod
    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """Move one occurrence to `new`, or cancel it when `new` is None.

        Doing it again is nothing new; cancelling a cancelled occurrence too.
        `PermanentError` for an unknown key, a start the series never had, or a move
        of a cancelled occurrence.
        """

    @abstractmethod
    def end_series(self, key: str, after: datetime) -> None:
        """Cancel every occurrence starting at or after `after`; the past stays.

        Doing it again is nothing new; `PermanentError` for an unknown key.
        """

    @abstractmethod
    def responses(self, key: str, window: Interval) -> list[Response]:
        """Each attendee's answer for each occurrence starting in `window`.

        `PermanentError` for an unknown key.
        """

    @abstractmethod
    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """What people changed by hand since `cursor`, and the new cursor.

        A cursor the service has forgotten starts a full listing again rather than
        failing; a cursor the backend cannot read at all is a `PermanentError`.
        """

    def take_reply(self, reply: CalendarReply) -> Taken | None:
        """An attendee's iMIP REPLY that reached the programme mailbox: the series it
        answers, with the answer kept (what `responses` and `changes` then say) unless
        `Taken.refused` says why not (an attendee not invited, an answer to an older
        SEQUENCE); None when the event is not one of this backend's."""
        return None


@dataclass(frozen=True)
class Delivery:
    """How a message went out: the mailbox's ref, and the Message-ID recipients see."""

    ref: str
    message_id: str


class Mailbox(ABC):
    """The programme mailbox: what the agent sends, and what people write to it.

    Every method raises `TemporaryError` or `PermanentError` only (see the module's
    docstring). `deliver` and `delivery` have defaults for a mailbox that keeps our
    Message-ID; one whose service replaces it overrides both.
    """

    def deliver(self, message: Outgoing) -> Delivery:
        """`send`, and the Message-ID the recipients see (ours, unless the service put its own)."""
        return Delivery(self.send(message), message.message_id)

    def delivery(self, message: Outgoing) -> Delivery | None:
        """How `message` went out if it did (after a crash or a lost answer), else None."""
        if self.was_sent(message.message_id):
            return Delivery(message.message_id, message.message_id)
        return None

    @abstractmethod
    def send(self, message: Outgoing) -> str:
        """Send `message` (its Message-ID is derived from its key); returns a ref.

        Sending a message already sent sends nothing and returns a ref again.
        """

    @abstractmethod
    def was_sent(self, message_id: str) -> bool:
        """Whether a message with this Message-ID was already sent."""

    @abstractmethod
    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """Inbound messages not yet acknowledged, oldest first, and the new cursor.

        A cursor the backend cannot read at all is a `PermanentError`.
        """

    @abstractmethod
    def acknowledge(self, refs: Sequence[str]) -> None:
        """Mark messages as processed so `receive` does not return them again.

        A ref already acknowledged, or of a message gone meanwhile, is no error.
        """

    def set_aside(self, refs: Sequence[str]) -> None:
        """Like `acknowledge`, for messages quarantined (kept as they are for the admin);
        a backend with a place for them (an IMAP folder) puts them there."""
        self.acknowledge(refs)

    def wait_for_mail(self, seconds: float,
                      stop: Callable[[], bool] = lambda: False) -> bool | None:
        """Wait up to `seconds` for new mail, giving up soon after `stop()` turns true: True
        when some arrived, False when none did; None (at once) when the backend cannot tell,
        and the agent polls instead. `seconds` <= 0 only looks."""
        return None
