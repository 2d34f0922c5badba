"""How many peers can learn at most: the linear relaxation over every pair and trio.

Choosing groups is set packing: each peer in at most one group, a group worth its
learners, then its mutual exchange, then its learners of a strategic skill, each tier
weighted above every sum of the tiers below it (`weights`). The linear relaxation is
tight on these rosters (on the 400- and 2,000-person bench rosters it is the best
grouping's value exactly), but it has a column per possible group: tens of millions of
trios on a few thousand peers. So it is
solved by column generation (Gilmore and Gomory): GLOP solves the relaxation over the
groups known so far; each peer's dual price says what a group must beat; the pairs,
then the trios around each peer (a trio always has a member linked to both others),
whose worth outweighs their members' prices are added; until none is. The value is
then an upper bound on every grouping's, and the groups generated are the ones worth
choosing among (agent.programme.matching.groups).

A member brings at most one learner (none when no peer can teach them): a trio is
looked at only when its members' prices leave room for that, so each round looks at
few of them. A round that would look at more than `PRICING_LIMIT` stops there and adds
what it found; only a round that looked at every trio and found none proves the bound.
After `MAX_ROUNDS` the value is not proven, and the caller relies on another bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import pywraplp

from agent.programme.matching.columns import Columns, evaluate
from agent.programme.matching.teaching import Ints, Teaching, distinct, within

EPSILON = 1e-6
ADD_PER_ROUND = 4000  # columns added per round (at least; twice the peers on large rosters)
MAX_ROUNDS = 60
PRICING_LIMIT = 3_000_000  # trios one round may look at
Floats = npt.NDArray[np.float64]


def weights(n: int) -> tuple[int, int]:
    """What one learner and one mutual group are worth on a roster of `n` peers (one
    strategic learner is worth 1): a mutual group more than all strategic learners, a
    learner more than all mutual groups and strategic learners together."""
    mutual = n + 1
    return (n // 2 + 1) * mutual, mutual


@dataclass(frozen=True)
class Relaxation:
    """The generated columns, the relaxation's value over them (`worth`), each column's
    value in its optimum, and whether no other group could raise it (the value is then a
    bound)."""

    columns: Columns
    value: float
    solution: Floats
    proven: bool

    def learners_bound(self, n: int) -> int:
        """The most learners any grouping can have, from the relaxation's value."""
        return int(np.floor(self.value / weights(n)[0] + EPSILON))


def worth(columns: Columns, n: int) -> Ints:
    """Each column's worth in the relaxation (see `weights`)."""
    learner, mutual = weights(n)
    return columns.learners * learner + columns.mutual * mutual + columns.strategic


def relax(teaching: Teaching, start: Columns) -> Relaxation:
    """Column generation from the columns `start` (see the module docstring)."""
    n = teaching.n
    pairs = _pairs(teaching)
    pair_worth = worth(pairs, n)
    per_round = max(ADD_PER_ROUND, 2 * n)
    in_lp = within(np.sort(_codes(teaching, start.members)), _codes(teaching, pairs.members))
    trios = start.take(start.members[:, 2] >= 0)  # pairs come from `pairs`, flagged `in_lp`
    known = np.sort(_codes(teaching, trios.members))
    lp = _Master(n)
    added = [pairs.take(in_lp), trios]
    for columns in added:
        lp.add(columns, worth(columns, n))
    proven = False
    for _ in range(MAX_ROUNDS):
        prices = lp.solve()
        gain = pair_worth - prices[pairs.members[:, 0]] - prices[pairs.members[:, 1]]
        better = np.flatnonzero((gain > EPSILON) & ~in_lp)
        if better.size:
            best = better[np.argsort(-gain[better], kind="stable")[:per_round]]
            in_lp[best] = True
            found = pairs.take(best)
        else:  # trios only once no pair is worth adding
            trios, complete = _price_trios(teaching, prices)
            trios = trios.take(~within(known, _codes(teaching, trios.members)))
            if not len(trios):
                proven = complete
                break
            room = worth(trios, n) - prices[trios.members].sum(axis=1)
            found = trios.take(np.argsort(-room, kind="stable")[:per_round])
            known = np.sort(np.concatenate([known, _codes(teaching, found.members)]))
        lp.add(found, worth(found, n))
        added.append(found)
    columns = added[0]
    for more in added[1:]:
        columns = columns.plus(more)
    return Relaxation(columns, lp.value(), lp.solution(), proven)


def every_group(teaching: Teaching) -> Columns | None:
    """Every pair and trio that is a group at all (agent.programme.matching.columns), or
    None when there are more trios than one pricing round may look at."""
    trios, complete = _price_trios(teaching, np.zeros(teaching.n))
    return _pairs(teaching).plus(trios) if complete else None


def _codes(teaching: Teaching, members: Ints) -> Ints:
    """One integer per group (its sorted members; a pair's third is -1)."""
    base = teaching.n + 1
    return (members[:, 0] * base + members[:, 1]) * base + members[:, 2] + 1


class _Master:
    """The relaxation over the columns added so far, in GLOP (re-solved from its last basis)."""

    def __init__(self, n: int) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.rows = [self.solver.Constraint(0, 1) for _ in range(n)]
        self.objective = self.solver.Objective()
        self.objective.SetMaximization()
        self.variables: list[pywraplp.Variable] = []

    def add(self, columns: Columns, values: Ints) -> None:
        """Add `columns`, each worth `values`."""
        for members, value in zip(columns.members.tolist(), values.tolist(), strict=True):
            # No upper bound: each member's row keeps it at most 1, and a bound would hide
            # part of the price in the variable's own reduced cost.
            var = self.solver.NumVar(0, self.solver.infinity(), "")
            for m in members:
                if m >= 0:
                    self.rows[m].SetCoefficient(var, 1)
            self.objective.SetCoefficient(var, value)
            self.variables.append(var)

    def solve(self) -> Floats:
        """Solve, and return each peer's dual price."""
        status = self.solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:  # a packing LP is always feasible and bounded
            raise RuntimeError(f"GLOP status {status}")
        return np.array([max(0.0, row.dual_value()) for row in self.rows])

    def value(self) -> float:
        """The objective's value at the last solve."""
        return float(self.objective.Value())

    def solution(self) -> Floats:
        """Each column's value at the last solve, in the order they were added."""
        return np.array([v.solution_value() for v in self.variables])


def _pairs(teaching: Teaching) -> Columns:
    """Every pair with an arc (priced in bulk each round), its values summed from its one
    or two arcs (cheaper than `evaluate` on the million pairs of a large roster)."""
    n = max(teaching.n, 1)
    pair = teaching.pair_code(teaching.teacher, teaching.learner)
    order = np.argsort(pair, kind="stable")
    codes, arcs = distinct(pair[order])
    del pair
    starts = np.cumsum(arcs) - arcs
    strategic = np.add.reduceat(teaching.strategic[order].astype(np.int64), starts) \
        if order.size else arcs
    rich = np.add.reduceat(teaching.richness[order], starts) if order.size else arcs
    members = np.stack([codes // n, codes % n, np.full(codes.size, -1)], axis=1)
    return Columns(members, arcs, (arcs == 2).astype(np.int64), strategic, rich)


def _price_trios(teaching: Teaching, prices: Floats) -> tuple[Columns, bool]:
    """The trios whose worth outweighs their prices, found around each peer (its centre),
    and whether every trio was looked at (not when that passed `PRICING_LIMIT`)."""
    n = teaching.n
    learner, mutual_weight = weights(n)
    ptr, index, outs, ins = teaching.neighbours
    taught = np.bincount(teaching.learner, minlength=n) > 0
    # The most a member can bring: a learner, of a strategic skill, minus their price.
    room = (learner + 1) * taught.astype(float) - prices
    found: list[Ints] = []
    looked = 0
    for centre in range(n):
        span = slice(ptr[centre], ptr[centre + 1])
        around = index[span]
        if around.size < 2:
            continue
        order = np.argsort(-room[around], kind="stable")
        others, r = around[order], room[around][order]
        teaches, taught_by = outs[span][order], ins[span][order]
        need = EPSILON - mutual_weight - room[centre]  # what the two others must bring
        # `r` decreases: for each i, the j > i with r[i] + r[j] > need come first.
        stop = np.searchsorted(-r, r - need, side="left")
        first = np.arange(r.size)
        count = np.clip(stop - first - 1, 0, None)
        total = int(count.sum())
        if not total:
            continue
        looked += total
        if looked > PRICING_LIMIT:
            break
        i = np.repeat(first, count)
        j = i + 1 + np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        a, c = others[i], others[j]
        # The centre's own arcs are known from its list; only a-c needs looking up.
        ac, ca = teaching.arc(a, c), teaching.arc(c, a)
        learners = ((taught_by[i] | taught_by[j]).astype(np.int64)
                    + (teaches[i] | ca) + (teaches[j] | ac))
        mutual = (teaches[i] & taught_by[i]) | (teaches[j] & taught_by[j]) | (ac & ca)
        # An upper bound on the worth (every learner strategic): exact values come after.
        value = learners * (learner + 1) + mutual * mutual_weight
        keep = value - prices[a] - prices[c] - prices[centre] > EPSILON
        members = np.stack([a[keep], np.full(int(keep.sum()), centre), c[keep]], axis=1)
        found.append(np.sort(members, axis=1))
    rows = np.concatenate(found) if found else np.zeros((0, 3), dtype=np.int64)
    trios = evaluate(teaching, rows)
    gain = worth(trios, n) - prices[trios.members].sum(axis=1)
    return trios.take(gain > EPSILON), looked <= PRICING_LIMIT
