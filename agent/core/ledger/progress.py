"""Where people are going: renewal answers, renewals, skill levels, workshop seats.

Tables: `renewal` (history, by month answered): pairing|cycle|email -> continue, change
or stop, and when; `renewed`: pairing id -> the cycles it went on into; `levels`:
email -> skill key -> every level they gave themselves (1-5), oldest first; `seats`:
workshop pairing id -> who gave their seat up (declined it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from agent.core.docs import iso, month_of, parse_iso
from agent.core.model import skill_key
from agent.core.records import LevelReport, RenewalAnswer, RenewalChoice
from agent.core.store import Store


class Progress:
    """Renewal answers, renewals, levels and seats (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- renewal by consent ---------------------------------------------------------
    def answer(self, a: RenewalAnswer) -> None:
        """Keep `a.email`'s answer for the pairing and cycle (a later answer replaces it)."""
        self._store.put("renewal", f"{a.pairing_id}|{a.cycle}|{a.email}",
                        {"pairing": a.pairing_id, "cycle": a.cycle, "email": a.email,
                         "answer": a.answer, "at": iso(a.at)}, month=month_of(a.at))

    def answers(self, pairing_id: str, cycle: str) -> dict[str, RenewalAnswer]:
        """Each member's answer about the pairing going on into `cycle`, by email."""
        found = {}
        for email in self._members_answering(pairing_id, cycle):
            doc = self._store.peek("renewal", f"{pairing_id}|{cycle}|{email}")
            if doc is not None:
                found[email] = _answer_from(doc)
        return found

    def _members_answering(self, pairing_id: str, cycle: str) -> list[str]:
        prefix = f"{pairing_id}|{cycle}|"
        return [k[len(prefix):] for k in self._store.ids("renewal") if k.startswith(prefix)]

    def every_answer(self) -> list[RenewalAnswer]:
        """Every renewal answer ever given, oldest first."""
        found = [_answer_from(doc) for _, doc in self._store.all("renewal")]
        return sorted(found, key=lambda a: (a.at, a.pairing_id, a.email))

    def renew(self, pairing_id: str, cycle: str) -> None:
        """Record that the pairing went on into `cycle`."""
        doc = dict(self._store.get("renewed", pairing_id) or {"cycles": []})
        if cycle not in doc["cycles"]:
            doc["cycles"] = sorted([*doc["cycles"], cycle])
            self._store.put("renewed", pairing_id, doc)

    def renewed(self, pairing_id: str) -> tuple[str, ...]:
        """The cycles the pairing went on into, after the one it was made for."""
        doc = self._store.peek("renewed", pairing_id)
        return tuple(doc["cycles"]) if doc else ()

    # -- skill levels ---------------------------------------------------------------
    def report_levels(self, email: str, levels: Mapping[str, int], at: datetime,
                      source: str) -> None:
        """Keep the levels `email` gave themselves (skill as written -> 1..5)."""
        if not levels:
            return
        doc = {k: list(v) for k, v in (self._store.get("levels", email) or {}).items()}
        for skill, level in levels.items():
            entry = [skill, int(level), iso(at), source]
            history = doc.setdefault(skill_key(skill), [])
            if entry not in history:
                history.append(entry)
        self._store.put("levels", email, doc)

    def levels(self, email: str) -> dict[str, list[LevelReport]]:
        """Skill key -> the levels `email` gave themselves, oldest first."""
        doc = self._store.peek("levels", email) or {}
        return {key: sorted((LevelReport(str(e[0]), int(e[1]), parse_iso(e[2]), str(e[3]))
                             for e in entries), key=lambda r: r.at or datetime.min)
                for key, entries in doc.items()}

    def everyone_levels(self) -> dict[str, dict[str, list[LevelReport]]]:
        """Email -> `levels(email)`, for everyone who gave one."""
        return {email: self.levels(email) for email in self._store.ids("levels")}

    # -- workshop seats ---------------------------------------------------------------
    def leave_seats(self, pairing_id: str, emails: tuple[str, ...]) -> None:
        """Record that `emails` gave up their seat in the workshop (they declined it)."""
        doc = dict(self._store.get("seats", pairing_id) or {"left": []})
        doc["left"] = sorted({*doc["left"], *emails})
        self._store.put("seats", pairing_id, doc)

    def left_seats(self, pairing_id: str) -> tuple[str, ...]:
        """Who gave up their seat in the workshop."""
        doc = self._store.peek("seats", pairing_id)
        return tuple(doc["left"]) if doc else ()


def _answer_from(doc: Mapping[str, object]) -> RenewalAnswer:
    answer: RenewalChoice = doc["answer"]  # type: ignore[assignment]
    return RenewalAnswer(str(doc["pairing"]), str(doc["cycle"]), str(doc["email"]), answer,
                         parse_iso(str(doc["at"])))
