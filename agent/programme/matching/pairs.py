"""Learning pairs: maximum-weight matching on the general graph of complementary peers.

Peers are nodes; an edge joins two peers when one can teach the other
something they want and the rules allow them together. Weights are tiered so
the optimum is lexicographic: first the most mutual pairs (each teaches the
other), then the most pairs at all (one-sided ones only where no mutual pair
exists), then the greatest total worth. rustworkx's `max_weight_matching`
(Edmonds' blossom algorithm, in Rust) solves it exactly on integer weights,
on the full candidate graph.

An odd person out then joins a pair as a trio, when they can learn from or
teach one of its members and the rules allow them with both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import rustworkx as rx

from agent.core.model import Participant
from agent.programme.matching.rules import EDGE_MAX, Rules


@dataclass(frozen=True)
class Pair:
    """`a` teaches `b` the skills `ab` (and `b` teaches `a` `ba`); `joiner` makes it a trio."""

    a: Participant  # hosts: teaches b (in a one-sided pair, the one who teaches)
    b: Participant
    ab: tuple[str, ...]
    ba: tuple[str, ...]
    joiner: Participant | None = None  # the third of a trio

    @property
    def mutual(self) -> bool:
        """Whether each teaches the other something."""
        return bool(self.ab and self.ba)


def complementary(peers: Sequence[Participant], rules: Rules) -> dict[tuple[int, int], Pair]:
    """Every allowed complementary pair, by the peers' positions (i < j).

    Built from a skill index (teacher, learner) -> skills rather than by testing
    every pair of peers: this loop is most of matching's time on large rosters.
    """
    profiles = [rules.skills(p) for p in peers]
    teachers: dict[str, list[int]] = {}
    for i, prof in enumerate(profiles):
        for key in prof.taught:
            teachers.setdefault(key, []).append(i)
    teach: dict[tuple[int, int], list[str]] = {}  # (teacher, learner) -> skill keys
    for j, prof in enumerate(profiles):
        for key in prof.learnt:
            for i in teachers.get(key, ()):
                if i != j and rules.level_ok(peers[i], peers[j], key):
                    teach.setdefault((i, j), []).append(key)
    out: dict[tuple[int, int], Pair] = {}
    for i, j in sorted({(min(e), max(e)) for e in teach}):
        a, b = peers[i], peers[j]
        if not rules.allowed(a, b, "pair"):
            continue
        ab = tuple(profiles[i].taught[k] for k in teach.get((i, j), ()))
        ba = tuple(profiles[j].taught[k] for k in teach.get((j, i), ()))
        out[(i, j)] = Pair(a, b, ab, ba) if ab else Pair(b, a, ba, ab)
    return out


def best_pairs(peers: Sequence[Participant], rules: Rules) -> list[Pair]:
    """The optimal set of disjoint pairs among `peers`, the same whatever their order."""
    edges = complementary(peers, rules)
    half = len(peers) // 2 + 1
    # Tiers small enough for 64-bit integers (rustworkx is much slower beyond). Ties are
    # broken by the graph's order, which is fixed (peers by email, edges sorted), and the
    # solver is deterministic: the same roster gives the same pairs in every process.
    top = EDGE_MAX * 2 + 1
    one_sided = half * top  # one more pair outweighs any worth
    mutual = half * (one_sided + top) + 1  # one more mutual pair outweighs all else
    graph: rx.PyGraph = rx.PyGraph()
    graph.add_nodes_from(range(len(peers)))
    weighted = []
    for (i, j), p in edges.items():
        worth = rules.worth(p.a, p.b, p.ab, p.ba) + (rules.worth(p.b, p.a, p.ba) if p.ba else 0)
        weighted.append((i, j, (mutual if p.mutual else one_sided) + worth))
    graph.add_edges_from(weighted)
    chosen = rx.max_weight_matching(graph, max_cardinality=False, weight_fn=lambda w: int(w))
    # Each edge comes back as (i, j) or (j, i), in any order: normalised, then sorted.
    return [edges[e] for e in sorted((min(i, j), max(i, j)) for i, j in chosen)]


def add_odd_ones(pairs: list[Pair], alone: Sequence[Participant], rules: Rules) -> list[Pair]:
    """Each person left alone joins the pair they exchange the most with, if any (trios)."""
    out = list(pairs)
    for person in alone:
        best: tuple[int, int, str] | None = None
        for n, p in enumerate(out):
            if p.joiner is not None or not (rules.allowed(person, p.a, "pair")
                                             and rules.allowed(person, p.b, "pair")):
                continue
            score = sum(len(rules.teachable(x, person)) + len(rules.teachable(person, x))
                        for x in (p.a, p.b))
            if score and (best is None or (score, -n) > (best[0], -best[1])):
                best = (score, n, p.a.email)
        if best is not None:
            p = out[best[1]]
            out[best[1]] = Pair(p.a, p.b, p.ab, p.ba, joiner=person)
    return out
