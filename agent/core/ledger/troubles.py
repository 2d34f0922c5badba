"""Units of work failing now: what `binome status` shows beside failed actions and quarantine.

A *unit* is one part of a tick that can fail alone while the rest goes on: reading
the inbox, one series' calendar answers, the day's clash scan, the roster. It is
named by a short stable string (`inbox`, `calendar series/<pairing>`, `roster`):
a key, never what someone wrote. Table `troubles` (state): unit -> the last error,
since when it fails, how many times in a row. A unit that works again is cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent.core.docs import iso, parse_iso
from agent.core.store import Store

TABLE = "troubles"
MAX_ERROR = 500  # characters of an error kept: enough to act on, never a whole message


@dataclass(frozen=True)
class Trouble:
    """One unit failing: its name, the last error, since when, and how many times in a row."""

    unit: str
    error: str
    since: datetime
    last: datetime
    count: int


class Troubles:
    """The units of work failing now (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def report(self, unit: str, error: str, at: datetime) -> None:
        """`unit` failed at `at` with `error` (kept short)."""
        doc = self._store.peek(TABLE, unit)
        since = iso(at) if doc is None else str(doc["since"])
        count = 1 if doc is None else int(doc.get("count", 0)) + 1
        self._store.put(TABLE, unit, {"error": error[:MAX_ERROR], "since": since,
                                      "last": iso(at), "count": count})

    def clear(self, unit: str) -> None:
        """`unit` works again."""
        if self._store.has(TABLE, unit):
            self._store.delete(TABLE, unit)

    def clear_prefix(self, prefix: str, keep: set[str]) -> None:
        """Clear every unit named `prefix...` but those in `keep` (a pass that looked at all
        of them, and found only `keep` failing)."""
        for unit in self._store.ids(TABLE):
            if unit.startswith(prefix) and unit not in keep:
                self._store.delete(TABLE, unit)

    def failing(self, unit: str) -> bool:
        """Whether `unit` failed the last time it ran."""
        return self._store.has(TABLE, unit)

    def everything(self) -> list[Trouble]:
        """Every unit failing now, the longest-failing first."""
        found = [Trouble(unit, str(d["error"]), parse_iso(d["since"]), parse_iso(d["last"]),
                         int(d.get("count", 1)))
                 for unit, d in self._store.all(TABLE)]
        return sorted(found, key=lambda t: (t.since, t.unit))
