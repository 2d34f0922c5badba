"""Matching on generated company rosters of 60, 400, 2,000 and 10,000 people.

Each size runs in its own process so its peak memory (max RSS) is its own.
Prints, per size: the peers who learn from their group beside the bound no grouping
can beat, and the optimality gap; the groups with a mutual exchange beside the most
disjoint mutual pairs (a maximum matching, rustworkx); the mentees matched beside the
maximum flow of the eligibility network (OR-Tools); the workshops; the time of the
whole match and of the peers' grouping alone; the peak memory.

Roster shape: teams of about eight with a manager; 20% of people mentor (1 to 3
mentees), 50% want a mentor, 40% want a learning pair (roles overlap); 60 skills with
a long-tail popularity; 85% French, 15% English; most in Paris, some in London and
Montréal.

    .venv/bin/python bench/bench_match.py [--sizes 60 400 2000 10000] [--seed 1]
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

import numpy as np
import rustworkx as rx
from ortools.graph.python import max_flow

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.core.model import Pairing, Participant  # noqa: E402
from agent.programme.matching import Policy, match  # noqa: E402
from agent.programme.matching.mentoring import candidates, mentors_by_skill  # noqa: E402
from agent.programme.matching.rules import Rules  # noqa: E402
from agent.programme.matching.teaching import Teaching  # noqa: E402
from agent.programme.settings import Hours  # noqa: E402

SKILLS = [f"Skill {i:02d}" for i in range(60)]
WEIGHTS = [1 / (i + 1) ** 0.8 for i in range(60)]  # a few skills everybody wants


def roster(n: int, seed: int) -> list[Participant]:
    """A generated company of `n` people (see the module docstring)."""
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


def mentee_bound(people: list[Participant], rules: Rules) -> int:
    """The maximum flow from mentees (one mentor each) to mentors (their capacity)."""
    mentors = [p for p in people if "mentor" in p.roles]
    mentees = [p for p in people if "mentee" in p.roles]
    by_skill = mentors_by_skill(mentors, rules)
    index = {m.email: len(mentees) + i for i, m in enumerate(mentors)}
    flow = max_flow.SimpleMaxFlow()
    source, sink = len(mentees) + len(mentors), len(mentees) + len(mentors) + 1
    for i, mentee in enumerate(mentees):
        flow.add_arc_with_capacity(source, i, 1)
        for mentor, _ in candidates(mentee, mentors, rules, by_skill):
            flow.add_arc_with_capacity(i, index[mentor.email], 1)
    for mentor in mentors:
        flow.add_arc_with_capacity(index[mentor.email], sink, rules.policy.capacity(mentor))
    flow.solve(source, sink)
    return int(flow.optimal_flow())


def mutual_bound(peers: list[Participant], rules: Rules) -> int:
    """The most disjoint pairs of peers who teach each other (a maximum matching)."""
    teaching = Teaching(sorted(peers, key=lambda p: p.email), rules)
    both = teaching.arc(teaching.learner, teaching.teacher) & (teaching.teacher < teaching.learner)
    graph: rx.PyGraph = rx.PyGraph()
    graph.add_nodes_from(range(teaching.n))
    graph.add_edges_from_no_data(list(zip(teaching.teacher[both].tolist(),
                                          teaching.learner[both].tolist(), strict=True)))
    return len(rx.max_weight_matching(graph, max_cardinality=True))


def one(n: int, seed: int) -> dict[str, float]:
    """Match one generated roster of `n` people and measure it."""
    people = roster(n, seed)
    policy = Policy(hours=Hours(), week_of=date(2026, 9, 7),
                    strategic=frozenset({"skill 03", "skill 10"}))
    started = time.perf_counter()
    result = match(people, cycle="2026-09-07", formats=["mentoring", "pair", "workshop"],
                   policy=policy)
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert result.peers is not None
    rules = Rules(policy)
    peers = [p for p in people if "peer" in p.roles]
    by_email = {p.email: p for p in people}
    groups = [p for p in result.pairings if p.format == "pair"]
    mutual = sum(any(rules.teachable(by_email[a], by_email[b])
                     and rules.teachable(by_email[b], by_email[a])
                     for i, a in enumerate(g.members) for b in g.members[i + 1:])
                 for g in groups)
    return {
        "people": n, "seconds": round(total, 1), "peak_mib": round(peak),
        "peers": len(peers), "learners": result.peers.learners, "bound": result.peers.bound,
        "gap": result.peers.gap, "exact": result.peers.exact,
        "trios": sum(len(g.members) == 3 for g in groups),
        "mutual": mutual, "mutual_bound": mutual_bound(peers, rules),
        "mentees": sum(p.format == "mentoring" for p in result.pairings),
        "mentee_bound": mentee_bound(people, rules),
        "workshops": sum(p.format == "workshop" for p in result.pairings),
        "explained": all(_explained(g, by_email, rules) for g in groups),
    }


def _explained(group: Pairing, by_email: dict[str, Participant], rules: Rules) -> bool:
    """Whether the group's explanation names every member and, for each who learns there,
    a skill they learn from someone in it."""
    members = [by_email[e] for e in group.members]
    for m in members:
        if m.name not in group.reason:
            return False
        learnt = {s for t in members if t is not m for s in rules.teachable(t, m)}
        if learnt and not any(s in group.reason for s in learnt):
            return False
    return True


def main() -> None:
    """Run each size in its own process and print one line per size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 400, 2000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed), default=lambda x: x.item()
                         if isinstance(x, np.generic) else str(x)))
        return
    print(f"{'people':>7} {'peers':>6} {'learners/bound':>15} {'gap':>6} {'trios':>6} "
          f"{'mutual/bound':>13} {'mentees/bound':>14} {'workshops':>9} {'seconds':>8} "
          f"{'peak MiB':>9} {'explained':>9}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed",
                              str(args.seed)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        exact = " " if r["exact"] else "*"
        print(f"{r['people']:>7} {r['peers']:>6} {r['learners']:>7}/{r['bound']:<6}{exact} "
              f"{100 * r['gap']:>5.2f}% {r['trios']:>6} {r['mutual']:>6}/{r['mutual_bound']:<6} "
              f"{r['mentees']:>7}/{r['mentee_bound']:<6} {r['workshops']:>9} "
              f"{r['seconds']:>8} {r['peak_mib']:>9} {'yes' if r['explained'] else 'NO':>9}",
              flush=True)
    print("(* the solver stopped at its limit: the bound is printed, the gap is at most that;"
          " explained: every group's explanation names each member and a skill each learner"
          " learns there)")


if __name__ == "__main__":
    main()
