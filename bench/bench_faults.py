"""The fault run, longer: `python bench/bench_faults.py [--months N] [--rate R] [--seeds S...]`.

`simulate` of the example programme with the same seed twice: once calm, once with every
call to the calendar and the mailbox going through tests/faults.py at the given rate (429
with Retry-After, 503, time-outs, connection resets, slow answers, half-done batches,
answers lost after the call took effect), the storm stopping for the last day. Printed,
per seed: the calls, the faults injected by kind, the actions retried and their
attempts, and what must be 0: duplicate mails, duplicate events, actions done in one
run and not the other, answers recorded differently, intents left pending, failed
actions. tests/sim/test_faults.py is the same check, shorter, in `make test`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from faults import Faults, faulty  # noqa: E402
from icalendar import Calendar as ICalendar  # noqa: E402

from agent.core.store import Store  # noqa: E402
from agent.loop.agent import Agent  # noqa: E402
from agent.programme.settings import load_settings  # noqa: E402
from agent.sim.simulate import simulate  # noqa: E402


def run(out: Path, months: int, seed: int, faults: Faults | None) -> float:
    """Simulate into `out`; returns the seconds it took."""
    settings, _ = load_settings(ROOT / "config" / "example.toml")
    calm_from: list[datetime] = []

    def calm(agent: Agent, now: datetime) -> None:
        if faults is None:
            return
        if not calm_from:
            doc = Store(out / "people", readonly=True).get("sim", "run")
            assert doc is not None
            calm_from.append(datetime.fromisoformat(doc["end"]) - timedelta(days=1))
        if now >= calm_from[0]:
            faults.enabled = False

    started = time.perf_counter()
    simulate(settings, out, months=months, seed=seed, on_step=calm,
             wrap=None if faults is None else lambda c, m: faulty(c, m, faults))
    return time.perf_counter() - started


def duplicates(out: Path) -> tuple[int, int]:
    """Mails sent twice (by key or Message-ID) and events written twice (per calendar)."""
    keys: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    for sub in ("new", "cur"):
        for path in (out / "mail" / sub).iterdir():
            headers = BytesHeaderParser().parsebytes(path.read_bytes())
            keys[str(headers["X-Binome-Key"]).strip()] += 1
            ids[str(headers["Message-ID"]).strip()] += 1
    mails = sum(n - 1 for n in keys.values()) + sum(n - 1 for n in ids.values())
    events = 0
    for path in (out / "calendars").glob("*.ics"):
        cal = ICalendar.from_ical(path.read_bytes())
        found = Counter((str(e.get("UID")), str(e.get("RECURRENCE-ID", "")))
                        for e in cal.walk("VEVENT"))
        events += sum(n - 1 for n in found.values())
    return mails, events


def compare(calm: Path, stormy: Path) -> dict[str, int]:
    """The figures of one seed: retries, and what must be 0."""
    before, after = Store(calm / "state", readonly=True), Store(stormy / "state", readonly=True)
    done = {k for k, d in before.all("actions") if d["status"] == "done"}
    actions = dict(after.all("actions"))
    answers = [{(d["pairing"], d["occurrence"], d["sender"], d["rating"])
                for _, d in store.all("feedback")} for store in (before, after)]
    mails, events = duplicates(stormy)
    differ = done ^ {k for k, d in actions.items() if d["status"] == "done"}
    for key in sorted(differ)[:5]:
        print(f"  done in one run only: {key} ({actions.get(key, {}).get('status', 'absent')} "
              "under faults)")
    return {
        "actions done": len(done),
        "retried": sum(1 for d in actions.values() if d.get("attempts", 0) > 0),
        "attempts": sum(d.get("attempts", 0) for d in actions.values()),
        "answers": len(answers[1]),
        "duplicate mails": mails,
        "duplicate events": events,
        "done differently": len(differ),
        "answers differently": len(answers[0] ^ answers[1]),
        "pending": sum(1 for _ in after.all("pending")),
        "failed": sum(1 for d in actions.values() if d["status"] == "failed"),
    }


def main() -> None:
    """Run each seed calm and under faults, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    args = parser.parse_args()
    zero = ("duplicate mails", "duplicate events", "done differently", "answers differently",
            "pending", "failed")
    worst = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            folder = Path(tmp) / str(seed)
            faults = Faults(seed, args.rate)
            calm_s = run(folder / "calm", args.months, seed, None)
            stormy_s = run(folder / "stormy", args.months, seed, faults)
            figures = compare(folder / "calm", folder / "stormy")
            worst = max(worst, *(figures[k] for k in zero))
            print(f"seed {seed}, {args.months} months, {args.rate:.0%} faults: "
                  f"{faults.summary()}")
            print(f"  {figures['actions done']} actions done, {figures['answers']} answers; "
                  f"{figures['retried']} actions retried ({figures['attempts']} failed "
                  f"attempts in all); {calm_s:.0f} s calm, {stormy_s:.0f} s under faults")
            print("  " + ", ".join(f"{k}: {figures[k]}" for k in zero))
    print("all zero" if worst == 0 else "NOT ZERO: see above")
    sys.exit(0 if worst == 0 else 1)


if __name__ == "__main__":
    main()
