"""Matching on generated company rosters of 200, 2,000 and 10,000 people.

Each size runs in its own process so its peak memory (max RSS) is its own.
Prints, per size: time of the whole match and of each phase (candidate
edges + mentoring flow, learning pairs, workshops), the figures matched and
the peak memory. Roster shape: teams of about eight with a manager; 20% of
people mentor (1 to 3 mentees), 50% want a mentor, 40% want a learning pair
(roles overlap); 60 skills with a long-tail popularity; 85% French, 15%
English; most in Paris, some in London and Montréal.

    .venv/bin/python bench/bench_match.py [--sizes 200 2000 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.core.model import Participant  # noqa: E402
from agent.programme.matching import Policy, match  # noqa: E402
from agent.programme.matching.pairs import best_pairs  # noqa: E402
from agent.programme.matching.rules import Rules  # noqa: E402
from agent.programme.settings import Hours  # noqa: E402

SKILLS = [f"Skill {i:02d}" for i in range(60)]
WEIGHTS = [1 / (i + 1) ** 0.8 for i in range(60)]  # a few skills everybody wants


def roster(n: int, seed: int) -> list[Participant]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        manager = None if i % 8 == 0 else f"p{i - i % 8:05d}@x.fr"
        roles = set()
        if rng.random() < 0.2:
            roles.add("mentor")
        if rng.random() < 0.5:
            roles.add("mentee")
        if rng.random() < 0.4:
            roles.add("peer")
        roles = roles or {"mentee"}
        teaches = tuple(dict.fromkeys(rng.choices(SKILLS, WEIGHTS, k=rng.randint(1, 3))))
        learns = tuple(s for s in dict.fromkeys(rng.choices(SKILLS, WEIGHTS, k=rng.randint(1, 3)))
                       if s not in teaches)
        people.append(Participant(
            email=f"p{i:05d}@x.fr", name=f"Person {i}", roles=frozenset(roles),  # type: ignore[arg-type]
            teaches=teaches, learns=learns, manager_email=manager,
            language="en" if rng.random() < 0.15 else "fr",
            timezone=rng.choices(["Europe/Paris", "Europe/London", "America/Montreal"],
                                 [85, 10, 5])[0],
            max_mentees=rng.randint(1, 3) if "mentor" in roles else None,
            external=rng.random() < 0.03,
        ))
    return people


def one(n: int, seed: int) -> dict[str, float]:
    people = roster(n, seed)
    policy = Policy(hours=Hours(), week_of=date(2026, 9, 7),
                    strategic=frozenset({"skill 03", "skill 10"}))
    started = time.perf_counter()
    result = match(people, cycle="2026-09-07", formats=["mentoring", "pair", "workshop"],
                   policy=policy)
    total = time.perf_counter() - started
    peers = [p for p in people if "peer" in p.roles]
    started = time.perf_counter()
    best_pairs(peers, Rules(policy))
    pairs_only = time.perf_counter() - started
    count = {f: sum(p.format == f for p in result.pairings)
             for f in ("mentoring", "pair", "workshop")}
    return {
        "people": n, "seconds": round(total, 2), "pairs_seconds": round(pairs_only, 2),
        "mentoring": count["mentoring"], "pairs": count["pair"], "workshops": count["workshop"],
        "mentees": sum("mentee" in p.roles for p in people), "peers": len(peers),
        "unmatched": len(result.unmatched),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed)))
        return
    print(f"{'people':>7} {'total s':>8} {'pairs s':>8} {'mentoring':>10} {'pairs':>6} "
          f"{'workshops':>9} {'unmatched':>9} {'peak MiB':>9}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed",
                              str(args.seed)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{r['people']:>7} {r['seconds']:>8} {r['pairs_seconds']:>8} "
              f"{r['mentoring']:>5}/{r['mentees']:<4} {r['pairs']:>6} {r['workshops']:>9} "
              f"{r['unmatched']:>9} {r['peak_mib']:>9}", flush=True)


if __name__ == "__main__":
    main()
