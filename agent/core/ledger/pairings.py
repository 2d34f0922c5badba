"""Pairings and their booked series.

Tables: `pairings` (history, by the month the cycle starts): every pairing ever
made, with its status (active, ended, completed) and why; `active`: the ids of
those still active, so a tick walks only these and its cost does not grow with
past cycles; `series`: pairing id -> the booked series.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from agent.core.docs import (
    iso,
    pairing_from_doc,
    pairing_record_from_doc,
    series_from_doc,
    series_to_doc,
)
from agent.core.model import Pairing, Series
from agent.core.records import PairingRecord, PairingStatus
from agent.core.store import Store


class Pairings:
    """Every pairing ever made, and which of them are still active."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def active(self) -> list[Pairing]:
        """The pairings still on (the planner's walk, every tick)."""
        docs = [self._store.peek("pairings", pid) for pid in self._store.ids("active")]
        return [pairing_from_doc(d) for d in docs if d is not None]

    def everything(self) -> Iterator[PairingRecord]:
        """Every pairing ever made (for digests, matching and reports, not every tick)."""
        for _, doc in self._store.all("pairings"):
            yield pairing_record_from_doc(doc)

    def with_status(self, status: PairingStatus) -> list[Pairing]:
        """The pairings with `status` (reads every pairing ever made)."""
        return [r.pairing for r in self.everything() if r.status == status]

    def get(self, pairing_id: str) -> PairingRecord | None:
        """The record of `pairing_id`, or None if no such pairing was made."""
        doc = self._store.peek("pairings", pairing_id)
        return None if doc is None else pairing_record_from_doc(doc)

    def save(self, p: Pairing, at: datetime) -> None:
        """Record `p` as active since `at`, filed under its cycle's month."""
        doc = {
            "id": p.id,
            "format": p.format,
            "cycle": p.cycle,
            "members": list(p.members),
            "skills": list(p.skills),
            "reason": p.reason,
            "status": "active",
            "since": iso(at),
        }
        self._store.put("pairings", p.id, doc, month=p.cycle[:7])
        self._store.put("active", p.id, {})

    def set_members(self, pairing_id: str, members: tuple[str, ...]) -> None:
        """Who is in the pairing now (a workshop whose seats changed hands)."""
        doc = self._store.get("pairings", pairing_id)
        if doc is not None and doc["members"] != list(members):
            doc["members"] = list(members)
            self._store.put("pairings", pairing_id, doc)

    def close(self, pairing_id: str, status: PairingStatus, at: datetime,
              reason: str = "") -> None:
        """End (`ended`: someone left or stopped) or complete (`completed`: the cycle is over)."""
        doc = self._store.get("pairings", pairing_id)
        if doc is not None and doc["status"] == "active":
            doc.update(status=status, ended=iso(at), ended_reason=reason)
            self._store.put("pairings", pairing_id, doc)
        if self._store.has("active", pairing_id):
            self._store.delete("active", pairing_id)


class SeriesTable:
    """Pairing id -> its booked `Series` (the ledger's copy of what calendars show)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, tuple[Mapping[str, Any], Series]] = {}

    def get(self, pairing_id: str) -> Series | None:
        """The series booked for `pairing_id`, or None if none is."""
        doc = self._store.peek("series", pairing_id)
        if doc is None:
            return None
        # Parsing a series doc is on the planner's path for every pairing on every tick.
        # The store replaces a doc on every put, and the cache holds the old one alive,
        # so identity tells whether it changed.
        cached = self._cache.get(pairing_id)
        if cached is not None and cached[0] is doc:
            return cached[1]
        series = series_from_doc(doc)
        self._cache[pairing_id] = (doc, series)
        return series

    def save(self, pairing_id: str, series: Series) -> None:
        """Keep `series` as the one booked for `pairing_id`."""
        self._store.put("series", pairing_id, series_to_doc(series))

    def everything(self) -> Iterator[tuple[str, Series]]:
        """Every booked series, with its pairing id."""
        for pairing_id, doc in self._store.all("series"):
            yield pairing_id, series_from_doc(doc)
