"""Backup, restore, upgrade and status on a large state: what they cost an admin.

Simulates `--months` of the programme for `--people` (as bench_year does), then times
on its state: `binome backup` (the archive's size against the state's), `restore` into
an empty folder, the upgrade of a state of before versions (its backup included), and
`binome status --json`'s report (which a monitor runs every few minutes).

    .venv/bin/python bench/bench_upkeep.py [--people 300] [--months 6] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_year import write_config, write_roster

from agent.cli.status import health_report
from agent.core.clock import SimClock
from agent.core.store import Store
from agent.core.upkeep.backup import backup, restore
from agent.core.upkeep.migrations import SCHEMA_VERSION
from agent.core.upkeep.upgrade import upgrade
from agent.programme.settings import load_settings
from agent.sim.simulate import sim_settings, simulate


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--months", type=int, default=6)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-upkeep-"))
    folder.mkdir(parents=True, exist_ok=True)
    write_roster(folder / "roster.csv", args.people, seed=5)
    settings, _ = load_settings(write_config(folder))
    out = folder / "sim"
    started = time.perf_counter()
    simulate(settings, out, months=args.months, seed=5)
    print(f"simulated {args.months} months for {args.people} people in "
          f"{time.perf_counter() - started:.0f}s")
    state = out / "state"
    now = datetime(2027, 1, 1, tzinfo=UTC)
    print(f"state: {size(state) / 2**20:.1f} MiB in {sum(1 for _ in state.iterdir())} files")

    t = time.perf_counter()
    made = backup(state, folder / "b.tar.gz", schema=SCHEMA_VERSION, made_by="bench", now=now)
    print(f"backup: {time.perf_counter() - t:.2f}s, {made.files} files, archive "
          f"{made.path.stat().st_size / 2**20:.1f} MiB")

    t = time.perf_counter()
    restore(made.path, folder / "restored" / "state", newest_schema=SCHEMA_VERSION)
    print(f"restore into an empty folder: {time.perf_counter() - t:.2f}s")

    old = Store(folder / "restored" / "state")
    old.delete("meta", "schema")  # as a state of before versions
    old.flush()
    t = time.perf_counter()
    done = upgrade(Store(folder / "restored" / "state"), now)
    assert done is not None and done.backup is not None
    print(f"upgrade from schema 0 (open, back up, migrate, flush): "
          f"{time.perf_counter() - t:.2f}s")

    sim = sim_settings(settings, out)
    t = time.perf_counter()
    report = health_report(sim, SimClock(now), probe=False)
    print(f"status --json report: {time.perf_counter() - t:.2f}s ({report.health}, "
          f"{len(report.sections)} sections)")


if __name__ == "__main__":
    main()
