"""The state's schema version, and the numbered migrations that bring an older state
up to it: the one list every change to what the state holds adds to.

Migration n takes the store (agent.core.store.Store) of a state at version n - 1 and
changes it, in memory, into version n, through the store's own calls (`put`, `delete`,
`rename`, `all`). agent.core.upkeep.upgrade applies those due in order and records the new
version in the same flush, after a backup, so an upgrade is all or nothing.

To change what the state holds: write the migration below as `_vN_<what>`, with a
docstring saying what changes, and append it to MIGRATIONS. Never edit, remove or
reorder one that has shipped: states in the field are at every version.
"""

from __future__ import annotations

from collections.abc import Callable

from agent.core.store import Store

Migration = Callable[[Store], None]


def _v1_versioned(store: Store) -> None:
    """Version 1: the state of binome 0.1.0 (and of the code before, commit 38e41fb), which
    carried no version. Its tables are unchanged; from now on the state says its version."""


MIGRATIONS: tuple[Migration, ...] = (
    _v1_versioned,
)

SCHEMA_VERSION = len(MIGRATIONS)
