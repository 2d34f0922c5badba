"""A simulated year for 1,000 people on the local backend.

Prints: wall time, peak memory, the store's size on disk, and the time of an
idle tick (nothing due) at month 1 and at month 12. The idle tick must not
grow with history (target: month 12 within 1.2x of month 1).

    .venv/bin/python bench/bench_year.py [--people 1000] [--months 12] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from agent.loop.agent import Agent
from agent.programme.settings import load_settings
from agent.sim.simulate import simulate

SKILLS = ["Excel", "SQL", "Python", "Design graphique", "Marketing digital", "Prise de parole",
          "Comptabilité", "Négociation", "Gestion de projet", "Droit social", "Figma", "Anglais",
          "Vente", "Data visualisation", "Management", "Rédaction"]
ZONES = ["Europe/Paris"] * 8 + ["America/Montreal", "Europe/London"]


def write_roster(path: Path, people: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    managers = [f"manager{i}@example.fr" for i in range(max(1, people // 12))]
    for i in range(people):
        email = managers[i] if i < len(managers) else f"person{i}@example.fr"
        roles = rng.choice(["mentor", "mentee", "peer", "peer", "mentee;peer", "mentor;peer"])
        teaches = rng.sample(SKILLS, 2)
        learns = rng.sample([s for s in SKILLS if s not in teaches], 2)
        manager = "" if i < len(managers) else rng.choice(managers)
        rows.append({
            "email": email, "name": f"Person {i}", "role": roles,
            "teaches": ";".join(teaches), "learns": ";".join(learns),
            "manager_email": manager, "team": f"team{i % 20}",
            "timezone": rng.choice(ZONES), "language": rng.choice(["fr", "fr", "en"]),
            "max_mentees": "", "external": "no",
        })
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_config(folder: Path) -> Path:
    source = Path(__file__).resolve().parents[1] / "config" / "example.toml"
    text = source.read_text(encoding="utf-8").replace("roster.example.csv", "roster.csv")
    target = folder / "binome.toml"
    target.write_text(text, encoding="utf-8")
    return target


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="binome-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    write_roster(base / "roster.csv", args.people, seed=3)
    settings, _ = load_settings(write_config(base))

    idle: dict[int, list[float]] = {}
    ticks = 0

    def on_step(agent: Agent, now: datetime) -> None:
        nonlocal ticks
        ticks += 1
        month = (now.year - start.year) * 12 + now.month - start.month + 1
        # Measure on the 15th at 03:00 local-ish (nothing is due at night): ten idle ticks.
        if now.day == 15 and now.hour == 2 and month in (1, args.months) and month not in idle:
            samples = []
            for _ in range(10):
                t0 = time.perf_counter()
                report = agent.tick()
                samples.append(time.perf_counter() - t0)
                assert not report.outcomes, f"idle tick did something: {report.summary()}"
            idle[month] = samples

    start = datetime.combine(settings.programme.start, datetime.min.time())
    t0 = time.perf_counter()
    summary = simulate(settings, base / "sim", months=args.months, seed=5, on_step=on_step)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(summary.text())
    print(f"people: {args.people}, months: {args.months}, steps: {ticks}")
    print(f"wall time: {wall:.1f} s ({wall / max(ticks, 1) * 1000:.1f} ms per simulated hour)")
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    print(f"store on disk: {du(base / 'sim' / 'state') / 1e6:.1f} MB "
          f"(whole output {du(base / 'sim') / 1e6:.1f} MB)")
    for month, samples in sorted(idle.items()):
        print(f"idle tick, month {month}: median {statistics.median(samples) * 1000:.2f} ms "
              f"(min {min(samples) * 1000:.2f}, max {max(samples) * 1000:.2f})")
    if len(idle) == 2:
        first, last = (statistics.median(idle[m]) for m in sorted(idle))
        print(f"idle tick ratio month {max(idle)}/month 1: {last / first:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
