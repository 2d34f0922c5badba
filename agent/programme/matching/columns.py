"""Candidate learning groups as columns: who is in each, and what each is worth.

A *column* is one candidate pair or trio (agent.programme.matching.groups), stored as
a row of three peer indices (the third -1 for a pair) with, computed in bulk:
- `learners`: its members who learn something from another member (an arc into them);
- `mutual`: 1 when two of its members teach each other;
- `strategic`: its learners who learn a strategic skill there;
- `rich`: the skills exchanged on its arcs (at most three per arc).

A candidate is kept only if it is a group at all: a pair with an arc, or a trio of
three peers allowed together (agent.programme.matching.teaching) in which at least two
learn and every member learns or teaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agent.programme.matching.teaching import Bools, Ints, Teaching, distinct

# The six arcs of a trio (a, b, c), and for each the column of its learner.
_ARCS = ((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1))


@dataclass(frozen=True)
class Columns:
    """Candidate groups and their values, row by row (see the module docstring)."""

    members: Ints  # shape (k, 3); -1 where a pair has no third
    learners: Ints
    mutual: Ints
    strategic: Ints
    rich: Ints

    def __len__(self) -> int:
        return len(self.members)

    @property
    def size(self) -> Ints:
        """How many people each group has (2 or 3)."""
        return np.where(self.members[:, 2] >= 0, 3, 2)

    def take(self, rows: Ints | Bools) -> Columns:
        """The columns at `rows` (indices or a mask)."""
        return Columns(self.members[rows], self.learners[rows], self.mutual[rows],
                       self.strategic[rows], self.rich[rows])

    def plus(self, other: Columns) -> Columns:
        """These columns followed by `other`'s."""
        return Columns(*(np.concatenate([getattr(self, f), getattr(other, f)])
                         for f in ("members", "learners", "mutual", "strategic", "rich")))


def evaluate(teaching: Teaching, members: Ints) -> Columns:
    """The groups among `members` (rows of three indices, -1 for a pair's third) that are
    groups at all, with their values; each row's indices sorted, duplicates removed."""
    members = np.sort(members.reshape(-1, 3), axis=1)
    members = np.where(members[:, :1] < 0, np.roll(members, -1, axis=1), members)
    # One integer per row, so that removing duplicates is a flat sort.
    base = teaching.n + 1
    codes = distinct((members[:, 0] * base + members[:, 1]) * base + members[:, 2] + 1)[0]
    members = np.stack([codes // base // base, codes // base % base, codes % base - 1], axis=1)
    found = [teaching.find(members[:, x], members[:, y]) for x, y in _ARCS]
    there = [f >= 0 for f in found]
    learns = np.zeros((len(members), 3), dtype=bool)
    teaches = np.zeros((len(members), 3), dtype=bool)
    strategic = np.zeros((len(members), 3), dtype=bool)
    rich = np.zeros(len(members), dtype=np.int64)
    for (x, y), at, hit in zip(_ARCS, found, there, strict=True):
        learns[:, y] |= hit
        teaches[:, x] |= hit
        if teaching.codes.size:
            strategic[:, y] |= hit & teaching.strategic[np.maximum(at, 0)]
            rich += np.where(hit, teaching.richness[np.maximum(at, 0)], 0)
    trio = members[:, 2] >= 0
    learners = learns.sum(axis=1)
    busy = (learns | teaches)[:, :2].all(axis=1) & (~trio | (learns | teaches)[:, 2])
    ok = np.where(trio, (learners >= 2) & busy, learners >= 1)
    rows = np.flatnonzero(ok & trio)
    if rows.size:
        ok[rows] = teaching.may_group(members[rows, 0], members[rows, 1], members[rows, 2])
    mutual = (there[0] & there[1]) | (there[2] & there[3]) | (there[4] & there[5])
    return Columns(members[ok], learners[ok].astype(np.int64), mutual[ok].astype(np.int64),
                   strategic[ok].sum(axis=1).astype(np.int64), rich[ok])
