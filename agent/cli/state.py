"""`binome upgrade`, `backup` and `restore`: keeping the agent's state across versions
and accidents (agent.core.upkeep.upgrade, agent.core.upkeep.backup)."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent import __version__
from agent.cli.base import catch_errors, clock_of, command, settings_of
from agent.core.store import Store, lock
from agent.core.upkeep.backup import backup, restore
from agent.core.upkeep.migrations import SCHEMA_VERSION
from agent.core.upkeep.upgrade import refuse_newer, upgrade, version


@catch_errors
def cmd_upgrade(args: argparse.Namespace) -> int:
    """`binome upgrade`: bring the state to this binome's schema, after a backup (the agent
    also does it when it starts)."""
    settings = settings_of(args)
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        done = upgrade(store, clock_of(args).now())
        store.close()
    if done is None:
        print(f"{settings.state_dir}: schema version {SCHEMA_VERSION}, this binome's "
              f"({__version__}): nothing to do")
    else:
        print(done.text())
    return 0


@catch_errors
def cmd_backup(args: argparse.Namespace) -> int:
    """`binome backup`: a consistent archive of the state (0600), even while the agent runs."""
    settings = settings_of(args)
    now = clock_of(args).now()
    out = Path(args.out or f"binome-backup-{now.strftime('%Y%m%dT%H%M%S')}.tar.gz")
    looked = Store(settings.state_dir, readonly=True)
    refuse_newer(looked)
    made = backup(settings.state_dir, out, schema=version(looked) or 0,
                  made_by=f"binome {__version__}", now=now)
    again = (f" (read {made.attempts} times: the agent wrote meanwhile)"
             if made.attempts > 1 else "")
    print(f"wrote {made.path}: {made.files} file(s) of {settings.state_dir}, schema version "
          f"{made.schema}, reply secret included; readable by you only{again}")
    return 0


@catch_errors
def cmd_restore(args: argparse.Namespace) -> int:
    """`binome restore`: unpack a backup into the settings' state folder, which must be empty."""
    settings = settings_of(args)
    done = restore(Path(args.file), settings.state_dir, newest_schema=SCHEMA_VERSION)
    print(f"restored {done.files} file(s) into {done.state} (backup of {done.created} by "
          f"{done.made_by}, schema version {done.schema}).")
    if done.schema < SCHEMA_VERSION:
        print(f"The agent upgrades it to schema version {SCHEMA_VERSION} when it starts "
              "(or now: binome upgrade).")
    print(f"Check it with: binome status --config {args.config}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `upgrade`, `backup` and `restore` to the parser."""
    command(sub, "upgrade", cmd_upgrade, "bring the state to this version's schema (after a "
            "backup); the agent also does it when it starts")
    sp = command(sub, "backup", cmd_backup, "archive the state (consistent even while the "
                 "agent runs; the reply secret included; readable by you only)")
    sp.add_argument("--out", help="the archive to write (default: "
                    "binome-backup-<date>.tar.gz here); never overwritten")
    sp = command(sub, "restore", cmd_restore, "unpack a backup into the state folder of the "
                 "settings, which must be empty (never overwrites a state)")
    sp.add_argument("file", help="an archive made by binome backup")
