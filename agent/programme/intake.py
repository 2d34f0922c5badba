"""Roster intake: the roster file as the agent acts on it.

A broken row never cancels anything: the person keeps their entry from the
last good roster (stored in the state) and the admin is told. A roster that
suddenly loses more than `roster.max_drop_share` of people (a truncated
export) is refused as a whole until the admin confirms it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from agent.core.errors import Problem
from agent.core.model import Participant
from agent.core.store import Store
from agent.programme.roster import check_drop, load_roster
from agent.programme.settings import Settings

SNAPSHOT = ("state", "roster")


def participant_to_doc(p: Participant) -> dict[str, Any]:
    doc = asdict(p)
    doc["roles"] = sorted(p.roles)
    doc["teaches"] = list(p.teaches)
    doc["learns"] = list(p.learns)
    doc["aliases"] = list(p.aliases)
    doc["teach_levels"] = [list(x) for x in p.teach_levels]  # as JSON reads them back
    doc["learn_levels"] = [list(x) for x in p.learn_levels]
    return doc


def participant_from_doc(doc: dict[str, Any]) -> Participant:
    fields = dict(doc)
    fields["roles"] = frozenset(fields["roles"])
    fields["teaches"] = tuple(fields["teaches"])
    fields["learns"] = tuple(fields["learns"])
    fields["aliases"] = tuple(fields.get("aliases", ()))  # older snapshots have none
    # Snapshots written before levels existed have none; JSON turns the pairs into lists.
    for name in ("teach_levels", "learn_levels"):
        fields[name] = tuple((str(k), int(v)) for k, v in fields.get(name, ()))
    return Participant(**fields)


@dataclass(frozen=True)
class Intake:
    participants: tuple[Participant, ...]
    problems: tuple[Problem, ...]
    kept_from_last_good: tuple[str, ...]
    refused: bool

    def by_email(self) -> dict[str, Participant]:
        return {p.email: p for p in self.participants}

    @cached_property
    def digest(self) -> str:
        """A fingerprint of the roster as acted on: matching reruns when it changes."""
        docs = [participant_to_doc(p) for p in self.participants]
        blob = json.dumps(docs, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


class RosterIntake:
    """Reads the roster only when the file changed (mtime, size), merges with the last good one."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._seen: tuple[int, int, bool] | None = None
        self._current: Intake | None = None

    def current(self, *, accept_drop: bool = False) -> Intake:
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
        snapshot = self._store.get(*SNAPSHOT) or {"people": {}}
        last_good: dict[str, dict[str, Any]] = snapshot["people"]
        fresh = {p.email: p for p in result.participants}
        problems = list(result.problems)

        kept = sorted(e for e in result.broken_emails if e in last_good and e not in fresh)
        merged = dict(fresh)
        for email in kept:
            merged[email] = participant_from_doc(last_good[email])

        drop = check_drop(set(last_good), set(merged), s.roster.max_drop_share, str(path))
        if drop is not None and not accept_drop:
            people = tuple(participant_from_doc(d) for _, d in sorted(last_good.items()))
            return Intake(people, (*problems, drop), (), refused=True)

        people_docs = {e: participant_to_doc(p) for e, p in sorted(merged.items())}
        if people_docs != last_good:
            self._store.put(*SNAPSHOT, {"people": people_docs})
        return Intake(tuple(merged[e] for e in sorted(merged)), tuple(problems), tuple(kept), False)
