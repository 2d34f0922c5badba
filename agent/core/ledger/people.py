"""What people asked for or caused: opt-outs, skipped sessions, the waiting list, bounces.

Tables: `optout`: email -> STOP or PAUSE (with the day a pause ends by itself);
`skips`: pairing id -> {occurrence: who asked to skip it} (SKIP by reply);
`waitlist`: email -> the cycle and formats matching left them out of;
`bounces`: address -> how often our mail bounced; `state/roster`: the last good
roster, kept so that a broken row never cancels anybody (agent.programme.roster.intake);
`names`: email -> each name a roster gave them (for `binome forget`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from agent.core.docs import iso, parse_iso, participant_from_doc, participant_to_doc
from agent.core.model import Participant
from agent.core.records import Bounce, OptOut, Waiting
from agent.core.store import Store

SNAPSHOT = ("state", "roster")
NAMES = "names"  # email -> every name a roster gave them


class People:
    """What people asked for or caused (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- STOP and PAUSE ------------------------------------------------------------
    def optout(self, email: str) -> OptOut | None:
        """`email`'s STOP or PAUSE, or None when mail goes to them."""
        doc = self._store.peek("optout", email)
        if doc is None:
            return None
        return OptOut(email, doc["mode"], parse_iso(doc["at"]),
                      parse_iso(doc["until"]) if doc.get("until") else None)

    def active(self, email: str) -> bool:
        """Neither stopped nor paused: mail goes to them."""
        return not self._store.has("optout", email)

    def stopped(self, email: str) -> bool:
        """Whether `email` replied STOP (a pause is not a stop)."""
        doc = self._store.peek("optout", email)
        return doc is not None and doc["mode"] == "stop"

    def optouts(self) -> list[OptOut]:
        """Every STOP and PAUSE in force."""
        return [o for o in (self.optout(e) for e in self._store.ids("optout")) if o is not None]

    def set_optout(self, email: str, mode: Literal["stop", "pause"] | None, at: datetime,
                   until: datetime | None = None) -> None:
        """`until`: when a pause asked "until a date" ends by itself (`lift_pauses`)."""
        if mode is None:
            if self._store.has("optout", email):
                self._store.delete("optout", email)
            return
        doc = {"mode": mode, "at": iso(at)}
        if until is not None:
            doc["until"] = iso(until)
        self._store.put("optout", email, doc)

    def lift_pauses(self, now: datetime) -> list[str]:
        """End the pauses whose date has come; returns whose."""
        ended = [o.email for o in self.optouts() if o.until is not None and o.until <= now]
        for email in ended:
            self._store.delete("optout", email)
        return ended

    # -- sessions people asked to skip (SKIP by reply), until the calendar shows it -----
    def request_skip(self, pairing_id: str, occurrence: datetime, by: str, at: datetime) -> None:
        """Record that `by` asked to skip that occurrence; the first request stays."""
        doc = dict(self._store.get("skips", pairing_id) or {})
        doc.setdefault(iso(occurrence), {"by": by, "at": iso(at)})
        self._store.put("skips", pairing_id, doc)

    def skips(self, pairing_id: str) -> dict[datetime, str]:
        """Occurrence -> who asked to skip it, for `pairing_id`."""
        doc = self._store.peek("skips", pairing_id)
        return {parse_iso(occ): str(d["by"]) for occ, d in (doc or {}).items()}

    # -- waiting list (who the last matching left out, for the current cycle) -----------
    def set_waitlist(self, cycle: str, entries: Mapping[str, list[str]]) -> None:
        """`entries`: email -> formats they are waiting for. Replaces the whole list."""
        for email in list(self._store.ids("waitlist")):
            if email not in entries:
                self._store.delete("waitlist", email)
        for email, formats in entries.items():
            doc = {"cycle": cycle, "formats": sorted(formats)}
            if self._store.peek("waitlist", email) != doc:
                self._store.put("waitlist", email, doc)

    def waitlist(self) -> list[Waiting]:
        """Who the last matching left out, with the formats they wait for."""
        return [Waiting(email, doc["cycle"], tuple(doc["formats"]))
                for email, doc in self._store.all("waitlist")]

    # -- mail that bounced ---------------------------------------------------------
    def record_bounce(self, address: str, at: datetime) -> None:
        """Count one more bounce of our mail to `address`, the last at `at`."""
        doc = dict(self._store.get("bounces", address) or {"count": 0})
        doc.update(count=int(doc["count"]) + 1, last=iso(at))
        self._store.put("bounces", address, doc)

    def bounces(self) -> list[Bounce]:
        """Every address our mail bounced from: how often, and when last."""
        return [Bounce(a, int(d["count"]), parse_iso(d["last"]))
                for a, d in self._store.all("bounces")]

    # -- the last good roster ------------------------------------------------------
    def last_good_roster(self) -> dict[str, Participant]:
        """The roster `keep_roster` last kept, by email; empty if none was."""
        doc = self._store.peek(*SNAPSHOT)
        people: Mapping[str, dict[str, object]] = doc["people"] if doc else {}
        return {e: participant_from_doc(dict(d)) for e, d in people.items()}

    def keep_roster(self, people: Mapping[str, Participant]) -> bool:
        """Keep `people` as the last good roster; False when it was already that one."""
        for email, person in people.items():
            self._remember_name(email, person.name)
        docs = {e: participant_to_doc(p) for e, p in sorted(people.items())}
        current = self._store.peek(*SNAPSHOT)
        if current is not None and current.get("people") == docs:
            return False
        self._store.put(*SNAPSHOT, {"people": docs})
        return True

    def _remember_name(self, email: str, name: str) -> None:
        """Every name `email` had in a roster: what `binome forget` erases with the address
        (matching reasons and series titles name people), even after their row is gone."""
        if not name.strip():
            return
        doc = self._store.peek(NAMES, email)
        known = list(doc["names"]) if doc else []
        if name not in known:
            self._store.put(NAMES, email, {"names": [*known, name]})
