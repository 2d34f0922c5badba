"""Learning groups: pairs and trios of peers in which the most of them learn.

Terms:
- *learner*: a peer who learns, from someone in their group, a skill they asked for
  (an arc into them, agent.programme.matching.teaching). A member who learns nothing
  there *comes to teach*: every member of a group teaches or learns in it.
- *mutual*: a group in which two members teach each other.

What is maximised, in this order: the learners; then the groups with a mutual
exchange; then the learners of a strategic skill. A trio is formed when at least two
of its members learn there (one learner is a pair's business); then each peer left
out who can teach a member of a pair joins it as its teacher (`_join`), so that
nobody who can teach waits.

How: the linear relaxation over every possible group, by column generation
(agent.programme.matching.bound), gives a bound on the learners and the groups worth
considering. CP-SAT (OR-Tools) then chooses among those, keeping the groups the
relaxation chose whole and deciding the rest (`_choose`), under a deterministic time
limit, so the same roster gives the same groups on any machine. When the
relaxation could not be completed (a roster too large for the pricing budget), the
bound is the max-flow one: a teacher teaches at most two peers in a trio and a learner
needs one teacher, so no grouping makes more learners than the maximum flow from
teachers (capacity two) to learners (capacity one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from agent.core.model import Participant
from agent.programme.matching.bound import EPSILON, Relaxation, every_group, relax, worth
from agent.programme.matching.columns import Columns, evaluate
from agent.programme.matching.rules import Rules
from agent.programme.matching.teaching import Ints, Teaching

# Deterministic seconds (CP-SAT's work units, close to a second each) per solve.
CHOOSE_TIME = 10.0
START_PARTNERS = 3  # each peer's first partners in the relaxation's first round
NEIGHBOURHOOD = 10_000  # columns up to which a neighbourhood is decided again
EXACT_PEERS = 150  # peers up to which a grouping short of its bound is decided over every group
WHOLE = 1 - 1e-6  # a relaxed value this close to 1 is a group the relaxation chose whole


@dataclass(frozen=True)
class Lesson:
    """`teacher` teaches `learner` the `skills` (the learner's order, the teacher's words)."""

    teacher: Participant
    learner: Participant
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """A pair or a trio of peers, the one who teaches the most first, and who learns what."""

    members: tuple[Participant, ...]
    lessons: tuple[Lesson, ...]

    @property
    def learners(self) -> tuple[Participant, ...]:
        """The members who learn something here, in the members' order."""
        taught = {lesson.learner.email for lesson in self.lessons}
        return tuple(m for m in self.members if m.email in taught)

    @property
    def skills(self) -> tuple[str, ...]:
        """Every skill taught in the group, once, in the lessons' order."""
        return tuple(dict.fromkeys(s for lesson in self.lessons for s in lesson.skills))


@dataclass(frozen=True)
class Grouping:
    """The groups, how many peers learn, and the bound no grouping can beat."""

    groups: tuple[Group, ...]
    learners: int
    bound: int
    exact: bool  # the learners are proven to be the most possible

    @property
    def gap(self) -> float:
        """How far the learners may be from the optimum, as a share of the bound."""
        return 0.0 if self.bound <= 0 else (self.bound - self.learners) / self.bound


def best_groups(peers: Sequence[Participant], rules: Rules) -> Grouping:
    """The best pairs and trios among `peers` (see the module docstring); deterministic."""
    teaching = Teaching(sorted(peers, key=lambda p: p.email), rules)
    if not teaching.codes.size:
        return Grouping((), 0, 0, True)
    relaxation = relax(teaching, _start(teaching))
    bound = flow_bound(teaching)
    if relaxation.proven:
        bound = min(bound, relaxation.learners_bound(teaching.n))
    picked = _choose(teaching, relaxation)
    columns = relaxation.columns
    # Short of the relaxation on any tier (learners, then mutual groups, then strategic
    # learners: one weighted sum, `worth`), the generated columns may not hold the best
    # grouping: six learners in one mutual pair where two mutual trios also make six.
    short_worth = relaxation.proven and int(worth(columns, teaching.n)[picked].sum()) < int(
        np.floor(relaxation.value + EPSILON))
    if (int(columns.learners[picked].sum()) < bound or short_worth) \
            and teaching.n <= EXACT_PEERS:
        # The relaxation's bound is not always whole (an odd cycle of peers who could
        # each learn from the next): on a small roster, CP-SAT over every group settles
        # it, and its optimum, when proven, is the bound.
        every = every_group(teaching)
        if every is not None and len(every) <= NEIGHBOURHOOD:
            rows = np.arange(len(every))
            best, _, optimal = _pack(every, rows, worth(every, teaching.n), CHOOSE_TIME)
            if optimal:
                columns, picked = every, best
                bound = min(bound, int(every.learners[best].sum()))
    groups = _join(teaching, [_group(teaching, columns.members[i]) for i in picked])
    groups.sort(key=lambda g: tuple(m.email for m in g.members))
    learners = sum(len(g.learners) for g in groups)
    return Grouping(tuple(groups), learners, max(bound, learners), learners >= bound)


def flow_bound(teaching: Teaching) -> int:
    """The max-flow bound on learners (module docstring)."""
    n, codes = teaching.n, teaching.codes
    if not codes.size:
        return 0
    flow = max_flow.SimpleMaxFlow()
    source, sink = 2 * n, 2 * n + 1
    people = np.arange(n, dtype=np.int64)
    flow.add_arcs_with_capacity(np.full(n, source), people, np.full(n, 2))
    flow.add_arcs_with_capacity(people + n, np.full(n, sink), np.ones(n, dtype=np.int64))
    flow.add_arcs_with_capacity(teaching.teacher, teaching.learner + n,
                                np.ones(codes.size, dtype=np.int64))
    if flow.solve(source, sink) != flow.OPTIMAL:  # cannot happen: capacities are finite
        raise RuntimeError("max flow failed")
    return int(flow.optimal_flow())


def _start(teaching: Teaching) -> Columns:
    """The relaxation's first columns: each peer's first few partners, those who teach each
    other first, then those with the fewest other partners (a scarce skill's)."""
    ptr, index, outs, ins = teaching.neighbours
    degree = np.diff(ptr)
    rows: list[Ints] = []
    for v in range(teaching.n):
        span = slice(ptr[v], ptr[v + 1])
        others = index[span]
        order = np.lexsort((others, degree[others], ~(outs[span] & ins[span])))
        chosen = others[order[:START_PARTNERS]]
        rows.append(np.stack([np.full(chosen.size, v), chosen, np.full(chosen.size, -1)],
                             axis=1))
    return evaluate(teaching, np.concatenate(rows) if rows else np.zeros((0, 3), np.int64))


def _choose(teaching: Teaching, relaxation: Relaxation) -> list[int]:
    """The groups, among the generated columns, by the module docstring's criteria.

    The groups the relaxation took whole are kept and CP-SAT decides among the peers left
    (where the relaxation was fractional); when that falls short of the relaxation's
    bound, the whole groups next to those peers are put back in play too, and CP-SAT
    decides that neighbourhood again (unless it has more than `NEIGHBOURHOOD` columns)."""
    columns = relaxation.columns
    weights = worth(columns, teaching.n)
    whole = np.flatnonzero(relaxation.solution >= WHOLE)
    fixed = _within(columns, _peers_of(columns, whole, teaching.n), inside=False)
    chosen, _, _ = _pack(columns, fixed, weights, CHOOSE_TIME)
    picked = sorted([*whole.tolist(), *chosen])
    if int(columns.learners[picked].sum()) >= relaxation.learners_bound(teaching.n):
        return picked
    ptr, index, _, _ = teaching.neighbours
    loose = ~_peers_of(columns, whole, teaching.n)
    near = np.zeros(teaching.n, dtype=bool)
    for v in np.flatnonzero(loose).tolist():
        near[index[ptr[v]:ptr[v + 1]]] = True
    touched = whole[np.any(near[np.maximum(columns.members[whole], 0)]
                           & (columns.members[whole] >= 0), axis=1)]
    kept = np.setdiff1d(whole, touched)
    rows = _within(columns, _peers_of(columns, kept, teaching.n), inside=False)
    if rows.size > NEIGHBOURHOOD:
        return picked  # a large roster's dense neighbourhood: the gap is reported instead
    again, _, _ = _pack(columns, rows, weights, CHOOSE_TIME, hint=[*touched.tolist(), *chosen])
    better = sorted([*kept.tolist(), *again])
    if int(weights[better].sum()) > int(weights[picked].sum()):
        return better
    return picked


def _peers_of(columns: Columns, rows: Ints, n: int) -> np.ndarray:
    """Which peers the columns at `rows` hold."""
    held = np.zeros(n, dtype=bool)
    members = columns.members[rows]
    held[members[members >= 0]] = True
    return held


def _within(columns: Columns, peers: np.ndarray, inside: bool) -> Ints:
    """The columns all of whose members are (`inside`) or none of whose are in `peers`."""
    hit = peers[np.maximum(columns.members, 0)] & (columns.members >= 0)
    return np.flatnonzero(~np.any(hit, axis=1)) if not inside else \
        np.flatnonzero(np.all(hit | (columns.members < 0), axis=1))


def _pack(columns: Columns, rows: Ints, weights: Ints, seconds: float,
          hint: Sequence[int] = ()) -> tuple[list[int], int, bool]:
    """CP-SAT: the disjoint columns among `rows` of greatest total weight; returns the
    chosen rows, their weight, and whether they are proven the best."""
    if not rows.size:
        return [], 0, True
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in range(rows.size)]
    members = columns.members[rows]
    peers = members[members >= 0]
    owner = np.repeat(np.arange(rows.size), (members >= 0).sum(axis=1))
    order = np.argsort(peers, kind="stable")
    peers, owner = peers[order], owner[order]
    starts = np.flatnonzero(np.concatenate([[True], peers[1:] != peers[:-1]]))
    for block in np.split(owner, starts[1:]):
        if block.size > 1:
            model.add_at_most_one([chosen[i] for i in block.tolist()])
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, weights[rows].tolist()))
    hinted = set(hint)
    for var, row in zip(chosen, rows.tolist(), strict=True):
        model.add_hint(var, row in hinted)
    solver = cp_model.CpSolver()
    # One worker and a deterministic time limit: the same roster gives the same groups
    # whatever the machine's load (a wall-clock limit would not). Presolve is off: on
    # these set-packing models it took longer than the search it was to speed up.
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.random_seed = 0
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(hint), int(weights[list(hint)].sum()) if hint else 0, False
    picked = [row for var, row in zip(chosen, rows.tolist(), strict=True)
              if solver.boolean_value(var)]
    return picked, int(weights[picked].sum()), status == cp_model.OPTIMAL


def _join(teaching: Teaching, groups: list[Group]) -> list[Group]:
    """Each peer left out who teaches something to a pair's member joins that pair as its
    teacher, where the three are allowed together: the pair keeps its learners and gains
    a lesson. Among the pairs they could join, the one they would teach most, then the
    first in the pairs' order."""
    index = {p.email: i for i, p in enumerate(teaching.peers)}
    placed = {m.email for g in groups for m in g.members}
    pair_of = {index[m.email]: at for at, g in enumerate(groups) if len(g.members) == 2
               for m in g.members}
    ptr, neighbours, outs, _ = teaching.neighbours
    out = list(groups)
    for me in range(teaching.n):
        if teaching.peers[me].email in placed:
            continue
        span = slice(ptr[me], ptr[me + 1])
        taught = [int(x) for x in neighbours[span][outs[span]] if int(x) in pair_of]
        gives: dict[int, int] = {}
        for x in taught:
            gives[pair_of[x]] = gives.get(pair_of[x], 0) + 1
        for at in sorted(gives, key=lambda at: (-gives[at], at)):
            if len(out[at].members) != 2:
                continue  # another joined it meanwhile
            a, b = (index[m.email] for m in out[at].members)
            if teaching.may_group(np.array([a]), np.array([b]), np.array([me]))[0]:
                out[at] = _group(teaching, np.array([a, b, me]))
                break
    return out


def _group(teaching: Teaching, members: Ints) -> Group:
    """A column as a `Group`: its lessons, the one who teaches the most first."""
    people = [int(m) for m in members if m >= 0]
    peers, rules = teaching.peers, teaching.rules
    lessons = tuple(Lesson(peers[t], peers[s], rules.teachable(peers[t], peers[s]))
                    for t in people for s in people
                    if t != s and teaching.arc(np.array([t]), np.array([s]))[0])
    hosts = sorted((peers[i] for i in people),
                   key=lambda p: (-sum(x.teacher is p for x in lessons), p.email))
    return Group(tuple(hosts), lessons)
