"""A month's digest round for 1,000 people: every manager's digest and the admin's.

Simulates one month of the programme (the agent with simulated people, as
bench_year does), then composes every digest of that month as the loop would,
charts included, without sending. Prints the round's wall time, the time per
digest, what drawing one digest's charts costs, and the size of a digest mail.

    .venv/bin/python bench/bench_digest.py [--people 1000] [--out DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_year import write_config, write_roster

from agent.core.clock import SimClock
from agent.digest.charts import rating_chart, skills_chart, weekly_chart
from agent.loop.look import Look
from agent.programme.settings import load_settings
from agent.sim.simulate import sim_settings, simulate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-digest-"))
    folder.mkdir(parents=True, exist_ok=True)
    write_roster(folder / "roster.csv", args.people, seed=3)
    settings, _ = load_settings(write_config(folder))
    out = folder / "sim"
    started = time.perf_counter()
    simulate(settings, out, months=1, seed=3)
    print(f"simulated one month for {args.people} people in {time.perf_counter() - started:.1f}s")

    sim = sim_settings(settings, out)
    at = datetime(2026, 10, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
    look = Look(sim, SimClock(at))
    t = time.perf_counter()
    digests = look.render_digests("2026-09")
    total = time.perf_counter() - t
    sizes = [len(raw) for _, raw in digests]
    print(f"digest round: {len(digests)} digests ({len(digests) - 1} managers + admin) "
          f"in {total:.2f}s, {1000 * total / len(digests):.0f} ms per digest")
    # Drawing alone: one digest's three charts for a five-week month, a dozen skills.
    weeks = {date(2026, 8, 31) + timedelta(weeks=k): [12, 10] for k in range(5)}
    skills = {f"Skill {k}": k + 1 for k in range(12)}
    t = time.perf_counter()
    for _ in range(20):
        weekly_chart(weeks, "fr")
        rating_chart([3, 4, 5, 4, 2] * 8, "fr")
        skills_chart(skills, "fr")
    per = (time.perf_counter() - t) / 20
    print(f"  drawing one digest's three charts: {1000 * per:.0f} ms "
          f"({100 * per * len(digests) / total:.0f}% of the round)")
    print(f"  mail size: median {statistics.median(sizes) / 1024:.0f} KiB, "
          f"max {max(sizes) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
