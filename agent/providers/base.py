"""The provider contract: what Binôme asks of a calendar and of a mailbox.

Terms:
- *key*: the stable name of the action that created a thing (see
  `agent.core.model`). A provider stores it on the thing it creates (an event UID
  or id, a Message-ID, an extended property) so that `find_series` and
  `was_sent` can answer after a crash whether the action already happened.
- *ref*: the provider's own handle for something it holds (an event id, a
  file path, a Maildir key). Opaque to the agent.
- *cursor*: an opaque position in a provider's change stream; `None` means
  "from the beginning".

Errors: every method raises only `TemporaryError` (retry later, with
`retry_after` when known) or `PermanentError` (cannot succeed as asked).
Anything else escaping a provider is a bug in that provider.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.core.errors import PermanentError
from agent.core.model import Change, Incoming, Interval, Outgoing, Response, Series

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


class Calendar(Protocol):
    # Whether `free_busy(..., separate=True)` tells overlapping events apart. Google's freeBusy
    # only ever answers merged busy time, so a meeting put over a session cannot be seen there.
    separates_events: bool

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Busy intervals per person within `window` (clipped to it); unknown people are free.

        Merged (sorted; overlapping and touching intervals joined) unless `separate`: then
        one interval per busy event, sorted, as far as the service tells them apart.
        """
        ...

    def put_series(self, series: Series) -> str:
        """Create the series, or update it in place if `series.key` exists; returns its ref.

        Attendees' responses survive an update that keeps the occurrences.
        """
        ...

    def find_series(self, key: str) -> str | None:
        """The ref of the series created under `key`, or None."""
        ...

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """Move one occurrence to `new`, or cancel it when `new` is None."""
        ...

    def end_series(self, key: str, after: datetime) -> None:
        """Cancel every occurrence starting at or after `after`; the past stays."""
        ...

    def responses(self, key: str, window: Interval) -> list[Response]:
        """Each attendee's answer for each occurrence starting in `window`."""
        ...

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """What people changed by hand since `cursor`, and the new cursor."""
        ...


class Mailbox(Protocol):
    def send(self, message: Outgoing) -> str:
        """Send `message` (its Message-ID is derived from its key); returns a ref."""
        ...

    def was_sent(self, message_id: str) -> bool:
        """Whether a message with this Message-ID was already sent."""
        ...

    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """Inbound messages not yet acknowledged, oldest first, and the new cursor."""
        ...

    def acknowledge(self, refs: Sequence[str]) -> None:
        """Mark messages as processed so `receive` does not return them again."""
        ...
