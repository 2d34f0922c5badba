"""How a series kept for iMIP changes, whoever keeps it (a CalDAV object, a file).

The email calendar and the CalDAV calendar hold the same state for a series: the series
itself (`series`, as `series_to_doc` writes it), its moved occurrences (`moves`: the
original start's `iso` -> [new start, new end]) and its `status` (CONFIRMED or CANCELLED).
A move, a cancellation or an earlier end changes that state the same way for both, and
owes the attendees the same invitations; only where the state and the answers are kept
differs. These functions change `state` in place and say what is owed: an outbox (a list
of [METHOD, attendee, occurrence tag or ""]), or None when nothing changed and only what a
crash left unsent is owed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from agent.core.docs import iso, parse_iso, series_from_doc, series_to_doc
from agent.core.model import Interval
from agent.providers.base import cancelled_before, ended, no_occurrence

Outbox = list[list[str]]


@dataclass(frozen=True)
class Owed:
    """What a change owes: the invitations (None: nothing changed), and the occurrence
    moved to a new time, whose answers must be asked again (the backend resets them)."""

    outbox: Outbox | None
    asked_again: datetime | None = None


def change_occurrence(key: str, state: dict[str, Any], original_start: datetime,
                      new: Interval | None) -> Owed:
    """Move one occurrence (a RECURRENCE-ID override, everyone asked again) or cancel it
    (a CANCEL for that occurrence); an occurrence cancelled before is left as it is."""
    series = series_from_doc(state["series"])
    original = original_start.astimezone(UTC)
    if original not in series.occurrences() and original not in series.cancelled:
        raise no_occurrence(key, original)
    if original in series.cancelled:
        cancelled_before(key, original, new)
        return Owed(None)
    tag = iso(original)
    if new is None:
        state["series"] = series_to_doc(replace(series, cancelled=(*series.cancelled, original)))
        state["moves"].pop(tag, None)
        return Owed([["CANCEL", a, tag] for a in series.attendees])
    if state["moves"].get(tag) == [iso(new.start), iso(new.end)]:
        return Owed(None)
    state["moves"][tag] = [iso(new.start), iso(new.end)]
    return Owed([["REQUEST", a, ""] for a in series.attendees], asked_again=original)


def end_series(state: dict[str, Any], after: datetime) -> Owed:
    """Cut what remains after `after` (an update with an earlier UNTIL), or cancel the whole
    series when nothing would be left; a series cancelled or ended before is left."""
    series = series_from_doc(state["series"])
    shortened = ended(series, after) if state["status"] == "CONFIRMED" else series
    if shortened is series:
        return Owed(None)
    state["moves"] = {o: m for o, m in state["moves"].items() if parse_iso(o) < after}
    if shortened is None:
        state["status"] = "CANCELLED"
        return Owed([["CANCEL", a, ""] for a in series.attendees])
    state["series"] = series_to_doc(shortened)
    return Owed([["REQUEST", a, ""] for a in series.attendees])
