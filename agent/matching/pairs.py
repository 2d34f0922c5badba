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

from agent.matching.rules import EDGE_MAX, Rules, keys
from agent.model import Participant, short_hash

TIE = 1 << 24  # range of the tie-break (six hex digits)


@dataclass(frozen=True)
class Pair:
    a: Participant  # hosts: teaches b (in a one-sided pair, the one who teaches)
    b: Participant
    ab: tuple[str, ...]
    ba: tuple[str, ...]
    joiner: Participant | None = None  # the third of a trio

    @property
    def mutual(self) -> bool:
        return bool(self.ab and self.ba)


def complementary(peers: Sequence[Participant], rules: Rules) -> dict[tuple[int, int], Pair]:
    """Every allowed complementary pair, by the peers' positions (i < j)."""
    teachers: dict[str, list[int]] = {}
    for i, p in enumerate(peers):
        for key in keys(p.teaches):
            teachers.setdefault(key, []).append(i)
    touching: set[tuple[int, int]] = set()
    for j, learner in enumerate(peers):
        for key in keys(learner.learns):
            for i in teachers.get(key, ()):
                if i != j:
                    touching.add((min(i, j), max(i, j)))
    out: dict[tuple[int, int], Pair] = {}
    for i, j in sorted(touching):
        a, b = peers[i], peers[j]
        ab, ba = rules.teachable(a, b), rules.teachable(b, a)
        if (ab or ba) and rules.allowed(a, b, "pair"):
            out[(i, j)] = Pair(a, b, ab, ba) if ab else Pair(b, a, ba, ab)
    return out


def best_pairs(peers: Sequence[Participant], rules: Rules) -> list[Pair]:
    """The optimal set of disjoint pairs among `peers`, the same whatever their order."""
    edges = complementary(peers, rules)
    half = len(peers) // 2 + 1
    # rustworkx breaks ties differently from one process to the next (Rust's hash maps are
    # seeded at random), so each edge gets a fixed pseudo-random tie-break below the worth
    # of any real difference: the optimum is then, in practice, unique and reproducible.
    scale = half * TIE
    top = (EDGE_MAX * 2 + 1) * scale
    one_sided = half * top  # one more pair outweighs any worth
    mutual = half * (one_sided + top) + 1  # one more mutual pair outweighs all else
    graph: rx.PyGraph = rx.PyGraph()
    graph.add_nodes_from(range(len(peers)))
    weighted = []
    for (i, j), p in edges.items():
        worth = rules.worth(p.a, p.b, p.ab, p.ba) + (rules.worth(p.b, p.a, p.ba) if p.ba else 0)
        tie = int(short_hash(*sorted((p.a.email, p.b.email)), length=6), 16)
        weighted.append((i, j, (mutual if p.mutual else one_sided) + worth * scale + tie))
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
