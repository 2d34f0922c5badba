"""What may be matched, and how much a match is worth.

Hard constraints (`Rules.why_not`), the same for every format: two different
people, a shared language, neither the other's manager, working hours that
overlap by a session's length across their time zones, not a pair the admin
forbids, not a pair that met within the rotation window. A pair the admin
pins skips all of these: the admin decided.

A teacher "teaches" a learner a skill only when the teacher lists it in
`teaches`, the learner in `learns`, and, when both gave a level, the
teacher's is higher (a mentor should know the skill better than the learner).

Weights are small integers, so the solvers stay exact; the order of the
criteria follows the issue: strategic skills, then mutual benefit, then an
even load (in the solvers), with levels and past ratings as finer signals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from agent.core.model import Participant, skill_key
from agent.programme.scheduling import hours_overlap
from agent.programme.settings import Hours, Settings

STRATEGIC = 1000  # the pairing serves a skill the admin marked strategic
MUTUAL = 100  # each also teaches the other something (mentoring: reverse mentoring)
SKILL = 30  # each skill exchanged beyond the first, up to three
LEVEL = 10  # each level the teacher is ahead of the learner, up to three
RATING = 20  # each rating point a mentor received above 3 (below 3 subtracts)
LOAD = 40  # each mentee already on a mentor, so load spreads evenly
EDGE_MAX = STRATEGIC + MUTUAL + 3 * SKILL + 3 * LEVEL + 2 * RATING  # an upper bound

# Why two people cannot be matched; the codes index explain.NOT_ELIGIBLE.
SAME, LANGUAGE, REPORTING, HOURS, FORBIDDEN, RECENT, DECLINED, WITHDRAWN = (
    "same", "language", "reporting", "hours", "forbidden", "recent", "declined", "withdrawn")


def pair_of(a: str, b: str) -> frozenset[str]:
    """Two addresses as an unordered, case-insensitive pair."""
    return frozenset((a.lower(), b.lower()))


@dataclass(frozen=True)
class Policy:
    """Everything matching needs besides the people: the admin's settings and the past."""

    default_max_mentees: int = 2
    strategic: frozenset[str] = frozenset()  # skill keys
    externals: str = "last_resort"  # or "equal"
    pinned: tuple[tuple[str, str], ...] = ()
    forbidden: frozenset[frozenset[str]] = frozenset()
    # among `forbidden`, the pairs kept apart because one declined their series: named so in
    # the reasons the admin reads, never as the settings' doing
    declined: frozenset[frozenset[str]] = frozenset()
    recent: frozenset[frozenset[str]] = frozenset()  # pairs that met within the rotation window
    withdrawn: frozenset[str] = frozenset()  # stopped mentoring: not pushed back in
    ratings: Mapping[str, float] = field(default_factory=dict)  # mentor -> mean rating received
    minutes: Mapping[str, int] = field(default_factory=lambda: {
        "mentoring": 45, "pair": 30, "workshop": 90})
    hours: Hours | None = None  # None: working hours are not compared
    week_of: date = date(2026, 1, 5)  # the week whose hours are compared (the cycle's first)
    workshop_min: int = 3
    workshop_max: int = 8
    workshops: bool = True  # workshops meet this cycle (no learning day in it: they do not)

    @classmethod
    def from_settings(cls, settings: Settings, cycle: str, **past: object) -> Policy:
        """The policy for `cycle` from the settings, plus `past` from the ledger (`recent`,
        `withdrawn`, `ratings`)."""
        m, p = settings.matching, settings.programme
        return cls(
            default_max_mentees=p.default_max_mentees,
            strategic=frozenset(skill_key(s) for s in m.strategic),
            externals=m.external_mentors,
            pinned=tuple((a.lower(), b.lower()) for a, b in m.pin),
            forbidden=frozenset(pair_of(a, b) for a, b in m.forbid),
            minutes={f: settings.format(f).minutes for f in ("mentoring", "pair", "workshop")},
            hours=settings.hours,
            week_of=date.fromisoformat(cycle),
            workshop_min=m.workshop_min,
            workshop_max=m.workshop_max,
            **past,  # type: ignore[arg-type]
        )

    def capacity(self, mentor: Participant) -> int:
        """How many mentees `mentor` may have: their own maximum, or the default."""
        return mentor.max_mentees if mentor.max_mentees is not None else self.default_max_mentees


@dataclass(frozen=True)
class _Skills:
    taught: dict[str, str]  # skill key -> the person's spelling
    learnt: tuple[str, ...]  # skill keys, in the person's order
    teach_levels: dict[str, int]
    learn_levels: dict[str, int]


class Rules:
    """The hard constraints and the worth of a match under one `Policy` (module docstring)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._overlap: dict[tuple[tuple[str, ...], int], bool] = {}
        self._pinned = {pair_of(a, b) for a, b in policy.pinned}
        # Skill keys worked out once per person: comparing skills is the inner loop.
        self._skills: dict[str, _Skills] = {}

    def skills(self, p: Participant) -> _Skills:
        """`p`'s skills by key, with their levels, worked out once per person."""
        found = self._skills.get(p.email)
        if found is None:
            taught: dict[str, str] = {}
            for name in p.teaches:
                taught.setdefault(skill_key(name), name.strip())
            learnt = tuple(dict.fromkeys(k for k in map(skill_key, p.learns) if k))
            found = _Skills(taught, learnt, dict(p.teach_levels), dict(p.learn_levels))
            self._skills[p.email] = found
        return found

    def teachable(self, teacher: Participant, learner: Participant) -> tuple[str, ...]:
        """Skills `teacher` can teach `learner`: learner's order, teacher's spelling."""
        t, s = self.skills(teacher), self.skills(learner)
        return tuple(t.taught[k] for k in s.learnt if k in t.taught and _ok(t, s, k))

    def level_ok(self, teacher: Participant, learner: Participant, key: str) -> bool:
        """Whether `teacher` knows `key` better than `learner` (True if either gave no level)."""
        return _ok(self.skills(teacher), self.skills(learner), key)

    def pinned(self, a: str, b: str) -> bool:
        """Whether the admin pinned `a` and `b` together."""
        return pair_of(a, b) in self._pinned

    def why_not(self, a: Participant, b: Participant, fmt: str) -> str | None:
        """None when `a` and `b` may be matched in `fmt`, else the broken rule's code."""
        if a.email == b.email:
            return SAME
        if self.pinned(a.email, b.email):
            return None
        if a.language != b.language:
            return LANGUAGE
        if (a.manager_email or "") == b.email or (b.manager_email or "") == a.email:
            return REPORTING
        pair = pair_of(a.email, b.email)
        if pair in self.policy.forbidden:
            return DECLINED if pair in self.policy.declined else FORBIDDEN
        if fmt != "workshop" and pair in self.policy.recent:
            return RECENT
        if not self.overlap((a.timezone, b.timezone), fmt):
            return HOURS
        return None

    def allowed(self, a: Participant, b: Participant, fmt: str) -> bool:
        """Whether `a` and `b` may be matched in `fmt` (see `why_not`)."""
        return self.why_not(a, b, fmt) is None

    def overlap(self, zones: Sequence[str], fmt: str) -> bool:
        """Working hours in `zones` share a session of `fmt`; cached, as zones repeat."""
        if self.policy.hours is None:
            return True
        minutes = self.policy.minutes.get(fmt, 30)
        key = (tuple(sorted(set(zones))), minutes)
        if key not in self._overlap:
            self._overlap[key] = hours_overlap(key[0], self.policy.hours, minutes,
                                               self.policy.week_of)
        return self._overlap[key]

    # -- worth ------------------------------------------------------------------
    def strategic(self, skills: Sequence[str]) -> bool:
        """Whether any of `skills` is one the admin marked strategic."""
        return any(skill_key(s) in self.policy.strategic for s in skills)

    def worth(self, teacher: Participant, learner: Participant, skills: Sequence[str],
              back: Sequence[str] = ()) -> int:
        """How good it is that `teacher` teaches `learner` `skills` (and learns `back`)."""
        value = STRATEGIC if self.strategic([*skills, *back]) else 0
        value += MUTUAL if back else 0
        value += SKILL * min(3, len(skills) + len(back) - 1)
        t, s = self.skills(teacher), self.skills(learner)
        ahead = [_ahead(t, s, skill_key(name)) for name in skills]
        value += LEVEL * min(3, max(ahead, default=0))
        rating = self.policy.ratings.get(teacher.email)
        if rating is not None:
            value += round(RATING * max(-2.0, min(2.0, rating - 3)))
        return value


def _ahead(teacher: _Skills, learner: _Skills, key: str) -> int:
    t, s = teacher.teach_levels.get(key), learner.learn_levels.get(key)
    return max(0, t - s) if t is not None and s is not None else 0


def _ok(teacher: _Skills, learner: _Skills, key: str) -> bool:
    """A mentor should know the skill better than the learner (when both gave a level)."""
    t, s = teacher.teach_levels.get(key), learner.learn_levels.get(key)
    return t is None or s is None or t > s


def keys(skills: Sequence[str]) -> frozenset[str]:
    """The `skill_key`s of `skills`, without empty names."""
    return frozenset(k for k in map(skill_key, skills) if k)
