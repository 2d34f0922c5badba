"""Upgrading the state to this binome's schema (agent.core.upkeep.migrations): at every start,
and by `binome upgrade`.

Terms: the *version* of a state is in its `meta` table (`meta/schema`); a state with
ledger files and no version is version 0 (binome 0.1.0 and before); a state with no
ledger file yet is *new* and simply gets the current version. An upgrade runs under
the agent's lock: it archives the state into `<state>/backups/` first (0600, see
agent.core.upkeep.backup), applies the migrations due in memory, and writes them and the new
version in one flush (all or nothing: a crash leaves the old state, and the backup).
A state newer than this binome is refused, never read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agent import __version__
from agent.core.errors import UserError
from agent.core.store import Store, make_private
from agent.core.upkeep.backup import BACKUPS, backup
from agent.core.upkeep.migrations import MIGRATIONS, SCHEMA_VERSION, Migration

log = logging.getLogger("binome")

META = "meta"
SCHEMA = "schema"


class StateTooNew(UserError):
    """The state was written by a newer binome: reading it could lose what it holds."""


@dataclass(frozen=True)
class Upgraded:
    """An upgrade done: from and to which version, and the backup made before it."""

    state: Path
    before: int
    after: int
    backup: Path | None  # None for a new state, which had nothing to keep

    def text(self) -> str:
        """One line for the admin (and the log)."""
        if self.backup is None:
            return f"{self.state}: new state, schema version {self.after}"
        return (f"{self.state}: upgraded from schema version {self.before} to {self.after}; "
                f"the state as it was is in {self.backup}")


def version(store: Store) -> int | None:
    """The state's schema version: 0 for a state from before versions, None for a new one."""
    doc = store.peek(META, SCHEMA)
    if doc is not None:
        return int(doc["version"])
    return 0 if store.tables() else None


def refuse_newer(store: Store, newest: int = SCHEMA_VERSION) -> None:
    """`StateTooNew` when the state's version is past `newest` (this binome's)."""
    found = version(store)
    if found is not None and found > newest:
        raise StateTooNew(
            f"{store.path}: this state has schema version {found}, written by a newer binome; "
            f"this one ({__version__}) knows version {newest} at most: upgrade binome "
            "(pip install --upgrade binome), or restore a backup made by this version")


def upgrade(store: Store, now: datetime,
            migrations: Sequence[Migration] = MIGRATIONS) -> Upgraded | None:
    """Bring the open, writable, locked `store` to `len(migrations)`; None when it is there."""
    newest = len(migrations)
    refuse_newer(store, newest)
    found = version(store)
    if found == newest:
        return None
    history = []
    kept: Path | None = None
    if found is not None:
        stamp = now.strftime("%Y%m%dT%H%M%S")
        (store.path / BACKUPS).mkdir(mode=0o700, exist_ok=True)
        os.chmod(store.path / BACKUPS, 0o700)
        kept = store.path / BACKUPS / f"before-schema-{newest}-{stamp}.tar.gz"
        n = 1
        while kept.exists():  # two upgrades within a second (tests): keep both
            n += 1
            kept = kept.with_name(f"before-schema-{newest}-{stamp}-{n}.tar.gz")
        # The store is open under the lock, as on disk: the archive is the state as it was.
        backup(store.path, kept, schema=found, made_by=f"binome {__version__}", now=now,
               locked=True)
        for migrate in migrations[found:]:
            migrate(store)
        # Older binomes left the state readable by others (0644); it holds feedback, goals
        # and raw mail, so an upgrade makes it private as a new state is (issue #15).
        make_private(store.path)
        old = store.get(META, SCHEMA) or {}
        history = list(old.get("history", []))
        history.append({"from": found, "to": newest, "at": now.isoformat(),
                        "by": f"binome {__version__}",
                        "backup": kept.relative_to(store.path).as_posix()})
    store.put(META, SCHEMA, {"version": newest, "history": history})
    store.flush()
    return Upgraded(store.path, found or 0, newest, kept)


def open_state(path: Path, now: datetime) -> Store:
    """The writable store at `path` (the caller holds the lock), upgraded first if need be:
    how every command that acts opens the state, so an upgrade happens at start."""
    store = Store(path)
    upgraded = upgrade(store, now)
    if upgraded is not None and upgraded.backup is not None:
        log.warning("%s", upgraded.text())
    return store
