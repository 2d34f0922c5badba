"""Roster intake: the roster file as the agent acts on it.

A broken row never cancels anything: the person keeps their entry from the
last good roster (stored in the state) and the admin is told. A roster that
suddenly loses more than `roster.max_drop_share` of people (a truncated
export) is refused as a whole until the admin confirms it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from agent.core.docs import participant_to_doc
from agent.core.errors import Problem
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.programme.roster.load import check_drop, load_roster
from agent.programme.settings import Settings


@dataclass(frozen=True)
class Intake:
    """The roster acted on: people, problems, who was kept from the last good roster, and whether it
    was refused (a large drop)."""

    participants: tuple[Participant, ...]
    problems: tuple[Problem, ...]
    kept_from_last_good: tuple[str, ...]
    refused: bool

    def by_email(self) -> dict[str, Participant]:
        """The participants by email."""
        return {p.email: p for p in self.participants}

    @cached_property
    def digest(self) -> str:
        """A fingerprint of the roster as acted on: matching reruns when it changes."""
        docs = [participant_to_doc(p) for p in self.participants]
        blob = json.dumps(docs, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


class RosterIntake:
    """Reads the roster only when the file changed (mtime, size), merges with the last good one."""

    def __init__(self, settings: Settings, ledger: Ledger) -> None:
        self._settings = settings
        self._ledger = ledger
        self._seen: tuple[int, int, bool] | None = None
        self._current: Intake | None = None

    def current(self, *, accept_drop: bool = False) -> Intake:
        """The roster now, read again only if the file changed; `accept_drop`: the admin confirmed a
        large drop."""
        path = self._settings.roster.path
        stat = path.stat()
        signature = (stat.st_mtime_ns, stat.st_size, accept_drop)
        if self._current is None or signature != self._seen:
            self._current = self._read(path, accept_drop)
            self._seen = signature
        return self._current

    def _read(self, path: Path, accept_drop: bool) -> Intake:
        s = self._settings
        result = load_roster(
            path,
            default_timezone=s.organisation.timezone,
            default_language=s.organisation.language,
            default_max_mentees=s.programme.default_max_mentees,
        )
        last_good = self._ledger.people.last_good_roster()
        fresh = {p.email: p for p in result.participants}
        problems = list(result.problems)

        kept = sorted(e for e in result.broken_emails if e in last_good and e not in fresh)
        merged = dict(fresh)
        for email in kept:
            merged[email] = last_good[email]

        drop = check_drop(set(last_good), set(merged), s.roster.max_drop_share, str(path))
        if drop is not None and not accept_drop:
            people = tuple(p for _, p in sorted(last_good.items()))
            return Intake(people, (*problems, drop), (), refused=True)

        if not self._ledger.readonly:  # a command that only looks keeps nothing
            self._ledger.people.keep_roster(merged)
        return Intake(tuple(merged[e] for e in sorted(merged)), tuple(problems), tuple(kept), False)
