"""Who can teach whom, worked out in bulk: the arcs of learning groups and of mentoring.

Terms:
- *arc* `t -> l`: `t` teaches `l` at least one skill `l` wants (a higher level when
  both gave one), and the rules allow the two together in the format (`Rules.why_not`:
  language, reporting line, hours, forbidden, rotation). Among peers anyone may teach
  anyone; for mentoring, only mentors teach and only mentees learn (`teachers`,
  `learners`).
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
    """The arcs among `peers` (sorted by email) under `rules` in `fmt`, and fast questions
    on them; `teachers` and `learners` (masks over `peers`) say who may be which."""

    def __init__(self, peers: Sequence[Participant], rules: Rules, fmt: str = "pair",
                 teachers: Bools | None = None, learners: Bools | None = None) -> None:
        self.peers = list(peers)
        self.rules = rules
        self.format = fmt
        n = self.n = len(self.peers)
        everyone = np.ones(n, dtype=bool)
        self._may_teach = everyone if teachers is None else teachers
        self._may_learn = everyone if learners is None else learners
        zone_names = sorted({p.timezone for p in self.peers})
        self._zone_names = zone_names
        self.zones = np.array([zone_names.index(p.timezone) for p in self.peers],
                              dtype=np.int64)
        # Working hours are compared per pair of zones: a handful of zones, a small table.
        self.overlap = np.array([[rules.overlap((a, b), fmt) for b in zone_names]
                                 for a in zone_names], dtype=bool)
        self._triples: dict[tuple[int, int, int], bool] = {}
        self.banned = _banned_pairs(self.peers, rules, fmt)
        codes, skills, strategic, ahead = self._arcs()
        self.codes = codes  # sorted
        self.skills = skills  # how many skills each arc teaches
        self.richness = np.minimum(skills, 3)  # at most three count
        self.strategic = strategic  # each arc teaches a strategic skill
        self.ahead = ahead  # by how many levels the teacher is ahead (0 when not known)
        self.teacher, self.learner = codes // max(n, 1), codes % max(n, 1)

    def _arcs(self) -> tuple[Ints, Ints, Bools, Ints]:
        n, rules = self.n, self.rules
        profiles = [rules.skills(p) for p in self.peers]
        languages = self._languages
        teachers: dict[str, list[tuple[int, int]]] = {}
        learners: dict[str, list[tuple[int, int]]] = {}
        for i, prof in enumerate(profiles):
            for key in prof.taught if self._may_teach[i] else ():
                teachers.setdefault(key, []).append((i, prof.teach_levels.get(key, 0)))
            for key in prof.learnt if self._may_learn[i] else ():
                learners.setdefault(key, []).append((i, prof.learn_levels.get(key, 0)))
        found: list[Ints] = []
        gaps: list[Ints] = []
        marked: list[Ints] = []
        for key in sorted(set(teachers) & set(learners)):
            # Small integer types: the largest skill's teachers times its learners is a
            # million rows on a 10,000-person roster, and peak memory counts.
            t_idx, t_lvl = np.array(teachers[key], dtype=np.int32).T
            l_idx, l_lvl = np.array(learners[key], dtype=np.int32).T
            t = np.repeat(t_idx, len(l_idx))
            s = np.tile(l_idx, len(t_idx))
            tl = np.repeat(t_lvl.astype(np.int8), len(l_idx))
            sl = np.tile(l_lvl.astype(np.int8), len(t_idx))
            keep = ((t != s) & ((tl == 0) | (sl == 0) | (tl > sl))
                    & (languages[t] == languages[s]) & self.overlap[self.zones[t], self.zones[s]])
            found.append(t[keep].astype(np.int64) * n + s[keep])
            gaps.append(np.where((tl > 0) & (sl > 0), tl - sl, 0)[keep].astype(np.int8))
            del t, s, tl, sl, keep
            if key in rules.policy.strategic:
                marked.append(found[-1])
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=bool), empty
        every, gap = np.concatenate(found), np.concatenate(gaps)
        order = np.argsort(every, kind="stable")
        every, gap = every[order], gap[order]
        codes, counts = distinct(every)
        del order
        starts = np.cumsum(counts) - counts
        ahead = (np.maximum.reduceat(gap, starts) if every.size else gap).astype(np.int64)
        del every, gap
        if self.banned.size:
            keep = ~within(self.banned, self.pair_code(codes // n, codes % n))
            codes, counts, ahead = codes[keep], counts[keep], ahead[keep]
        strategic = within(distinct(np.concatenate(marked))[0], codes) if marked else \
            np.zeros(codes.size, dtype=bool)
        return codes, counts, strategic, ahead

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
            self._triples[key] = self.rules.overlap(names, self.format)
        return self._triples[key]

    @cached_property
    def neighbours(self) -> tuple[Ints, Ints, Bools, Bools]:
        """Undirected neighbours as CSR arrays: `index[ptr[v]:ptr[v + 1]]` are `v`'s, sorted,
        with, for each, whether `v` teaches them (`out`) and whether they teach `v` (`in`)."""
        n = max(self.n, 1)
        # Each arc seen from both ends: (v, other, v teaches other); sorted by v then other,
        # a pair with arcs both ways is one entry that teaches and is taught.
        heads = np.concatenate([self.teacher, self.learner])
        key = heads * n + np.concatenate([self.learner, self.teacher])
        del heads
        order = np.argsort(key, kind="stable")
        key = key[order]
        teaches = np.concatenate([np.ones(self.codes.size, dtype=bool),
                                  np.zeros(self.codes.size, dtype=bool)])[order]
        del order
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) \
            if key.size else np.zeros(0, dtype=np.int64)
        outs = np.logical_or.reduceat(teaches, starts) if key.size else teaches
        ins = np.logical_or.reduceat(~teaches, starts) if key.size else teaches
        key = key[starts]
        ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(key // n, minlength=self.n), out=ptr[1:])
        return ptr, (key % n).astype(np.int64), outs, ins


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


def _banned_pairs(peers: Sequence[Participant], rules: Rules, fmt: str) -> Ints:
    """Unordered pairs the rules forbid beyond language and hours: a manager and their
    report, a pair the admin forbids, a pair that met within the rotation window."""
    n = len(peers)
    index = {p.email: i for i, p in enumerate(peers)}
    pairs: set[frozenset[str]] = set(rules.policy.forbidden)
    if fmt != "workshop":
        pairs |= set(rules.policy.recent)
    pairs |= {pair_of(p.email, p.manager_email) for p in peers
              if p.manager_email and p.manager_email in index}
    out = []
    for pair in pairs:
        members = [index[e] for e in pair if e in index]
        if len(members) == 2 and not rules.pinned(*(peers[i].email for i in members)):
            out.append(min(members) * n + max(members))
    return np.array(sorted(out), dtype=np.int64)
