"""Who can teach whom among peers, worked out in bulk: the arcs of learning groups.

Terms:
- *arc* `t -> l`: peer `t` teaches peer `l` at least one skill `l` wants (a higher
  level when both gave one), and the rules allow the two together (`Rules.why_not`
  for a learning pair: language, reporting line, hours, forbidden, rotation).
- *code*: an arc as one integer, `t * n + l`, with peers numbered by their place in
  the (email-sorted) list; an unordered pair is coded `min * n + max`.

On a 10,000-person roster there are a million and a half arcs. Testing each pair of
peers in Python (and keeping a Python object per pair) cost a minute and a gigabyte,
so the arcs are built skill by skill as numpy arrays: every teacher of a skill
against every learner of it, filtered by vectors of languages, levels and time zones,
then the few pairs the rules forbid one by one (a manager, a forbidden or recent pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
import numpy.typing as npt

from agent.core.model import Participant
from agent.programme.matching.rules import Rules, pair_of

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class Teaching:
    """The arcs among `peers` (sorted by email) under `rules`, and fast questions on them."""

    def __init__(self, peers: Sequence[Participant], rules: Rules) -> None:
        self.peers = list(peers)
        self.rules = rules
        n = self.n = len(self.peers)
        zone_names = sorted({p.timezone for p in self.peers})
        self._zone_names = zone_names
        self.zones = np.array([zone_names.index(p.timezone) for p in self.peers],
                              dtype=np.int64)
        # Working hours are compared per pair of zones: a handful of zones, a small table.
        self.overlap = np.array([[rules.overlap((a, b), "pair") for b in zone_names]
                                 for a in zone_names], dtype=bool)
        self._triples: dict[tuple[int, int, int], bool] = {}
        self.banned = _banned_pairs(self.peers, rules)
        codes, skills, strategic = self._arcs()
        self.codes = codes  # sorted
        self.richness = np.minimum(skills, 3)  # skills on each arc, at most three count
        self.strategic = strategic  # each arc teaches a strategic skill
        self.teacher, self.learner = codes // max(n, 1), codes % max(n, 1)

    def _arcs(self) -> tuple[Ints, Ints, Bools]:
        n, rules = self.n, self.rules
        profiles = [rules.skills(p) for p in self.peers]
        languages = self._languages
        teachers: dict[str, list[tuple[int, int]]] = {}
        learners: dict[str, list[tuple[int, int]]] = {}
        for i, prof in enumerate(profiles):
            for key in prof.taught:
                teachers.setdefault(key, []).append((i, prof.teach_levels.get(key, 0)))
            for key in prof.learnt:
                learners.setdefault(key, []).append((i, prof.learn_levels.get(key, 0)))
        found: list[Ints] = []
        marked: list[Ints] = []
        for key in sorted(set(teachers) & set(learners)):
            t_idx, t_lvl = np.array(teachers[key], dtype=np.int64).T
            l_idx, l_lvl = np.array(learners[key], dtype=np.int64).T
            t = np.repeat(t_idx, len(l_idx))
            tl = np.repeat(t_lvl, len(l_idx))
            s = np.tile(l_idx, len(t_idx))
            sl = np.tile(l_lvl, len(t_idx))
            keep = ((t != s) & ((tl == 0) | (sl == 0) | (tl > sl))
                    & (languages[t] == languages[s]) & self.overlap[self.zones[t], self.zones[s]])
            found.append(t[keep] * n + s[keep])
            if key in rules.policy.strategic:
                marked.append(found[-1])
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=bool)
        codes, counts = distinct(np.concatenate(found))
        if self.banned.size:
            keep = ~within(self.banned, self.pair_code(codes // n, codes % n))
            codes, counts = codes[keep], counts[keep]
        strategic = within(distinct(np.concatenate(marked))[0], codes) if marked else \
            np.zeros(codes.size, dtype=bool)
        return codes, counts, strategic

    def pair_code(self, a: Ints, b: Ints) -> Ints:
        """The unordered pairs (a[i], b[i]) as codes."""
        return np.minimum(a, b) * self.n + np.maximum(a, b)

    def arc(self, t: Ints, s: Ints) -> Bools:
        """Whether `t[i]` teaches `s[i]` (an index of -1 has no arc)."""
        return self.find(t, s) >= 0

    def find(self, t: Ints, s: Ints) -> Ints:
        """The position of each arc `t[i] -> s[i]` in `codes`, or -1 when there is none."""
        valid = (t >= 0) & (s >= 0)
        code = np.where(valid, t * self.n + s, -1)
        at = np.searchsorted(self.codes, code)
        at[at >= self.codes.size] = 0
        hit = valid & (self.codes[at] == code) if self.codes.size else valid & False
        return np.where(hit, at, -1)

    def may_group(self, a: Ints, b: Ints, c: Ints) -> Bools:
        """Whether each trio may meet: every two of them allowed together (a pair with an
        arc is; the others are checked as `Rules.why_not` would), and the three zones share
        a session's length (two zones that do, each with the third, may not)."""
        ok = np.ones(a.size, dtype=bool)
        for x, y in ((a, b), (a, c), (b, c)):
            linked = self.arc(x, y) | self.arc(y, x)
            plain = self.overlap[self.zones[x], self.zones[y]]
            if self.banned.size:
                plain &= ~within(self.banned, self.pair_code(x, y))
            ok &= linked | (plain & self._same_language(x, y))
        if len(self._zone_names) > 2:
            za, zb, zc = self.zones[a], self.zones[b], self.zones[c]
            for i in np.flatnonzero(ok & (za != zb) & (zb != zc) & (za != zc)).tolist():
                ok[i] = self._triple(int(za[i]), int(zb[i]), int(zc[i]))
        return ok

    def _same_language(self, x: Ints, y: Ints) -> Bools:
        same: Bools = self._languages[x] == self._languages[y]
        return same

    @cached_property
    def _languages(self) -> Ints:
        return np.unique([p.language for p in self.peers], return_inverse=True)[1]

    def _triple(self, a: int, b: int, c: int) -> bool:
        low, mid, high = sorted((a, b, c))
        key = (low, mid, high)
        if key not in self._triples:
            names = [self._zone_names[z] for z in key]
            self._triples[key] = self.rules.overlap(names, "pair")
        return self._triples[key]

    @cached_property
    def neighbours(self) -> tuple[Ints, Ints, Bools, Bools]:
        """Undirected neighbours as CSR arrays: `index[ptr[v]:ptr[v + 1]]` are `v`'s, sorted,
        with, for each, whether `v` teaches them (`out`) and whether they teach `v` (`in`)."""
        both = distinct(self.pair_code(self.teacher, self.learner))[0]
        a, b = both // max(self.n, 1), both % max(self.n, 1)
        ab, ba = self.arc(a, b), self.arc(b, a)
        heads = np.concatenate([a, b])
        tails = np.concatenate([b, a])
        outs = np.concatenate([ab, ba])
        ins = np.concatenate([ba, ab])
        order = np.lexsort((tails, heads))
        ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(heads, minlength=self.n), out=ptr[1:])
        return ptr, tails[order], outs[order], ins[order]


def distinct(values: Ints) -> tuple[Ints, Ints]:
    """The sorted distinct `values` and how often each occurs (a sort: numpy's hashing
    `unique` is several times slower on these millions of integers)."""
    ordered = np.sort(values)
    if not ordered.size:
        return ordered, ordered
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, ordered.size)).astype(np.int64)


def within(known: Ints, values: Ints) -> Bools:
    """Which of `values` are in the sorted array `known`."""
    if not known.size:
        return np.zeros(values.shape, dtype=bool)
    at = np.minimum(np.searchsorted(known, values), known.size - 1)
    found: Bools = known[at] == values
    return found


def _banned_pairs(peers: Sequence[Participant], rules: Rules) -> Ints:
    """Unordered pairs the rules forbid beyond language and hours: a manager and their
    report, a pair the admin forbids, a pair that met within the rotation window."""
    n = len(peers)
    index = {p.email: i for i, p in enumerate(peers)}
    pairs: set[frozenset[str]] = set(rules.policy.forbidden) | set(rules.policy.recent)
    pairs |= {pair_of(p.email, p.manager_email) for p in peers
              if p.manager_email and p.manager_email in index}
    out = []
    for pair in pairs:
        members = [index[e] for e in pair if e in index]
        if len(members) == 2 and not rules.pinned(*(peers[i].email for i in members)):
            out.append(min(members) * n + max(members))
    return np.array(sorted(out), dtype=np.int64)
