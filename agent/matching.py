"""Who meets whom in a cycle: a mentor for each mentee, learning pairs of peers.

Terms:
- *eligible*: two different people who share a language and neither of whom
  is the other's manager (a mentor is never one's own manager or report).
- *exchange*: the skills one person teaches that the other wants to learn,
  compared with `skill_key`, named as the teacher writes them.
- *existing*: the cycle's pairings already made (and booked). They are kept as
  they are; a person in one is not paired again in that format, and a mentor's
  existing mentees count against their capacity.

`match` is pure and deterministic: the same roster in any order gives the same
result. Only pairings whose members are all in `participants` are returned;
an existing pairing that lost a member is dropped (ending its series is the
caller's concern) and its remaining member can be matched again. Workshops
are not matched yet: "workshop" in `formats` is ignored here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from agent.model import Format, Pairing, Participant, skill_key

MENTORING: Final = "mentoring"
PAIR: Final = "pair"


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner in `format`, and why (a short English phrase)."""

    email: str
    format: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    pairings: tuple[Pairing, ...]  # kept existing ones first, then new ones
    unmatched: tuple[Unmatched, ...]


def match(
    participants: Sequence[Participant],
    *,
    cycle: str,
    formats: Sequence[str],
    default_max_mentees: int,
    existing: Sequence[Pairing] = (),
) -> MatchResult:
    """Pair `participants` for `cycle` (the ISO date of its first day); emails are unique."""
    people = {p.email: p for p in sorted(participants, key=lambda p: p.email)}
    kept = sorted(
        (p for p in existing if all(m in people for m in p.members)),
        key=lambda p: (p.format, p.id),
    )
    pairings: list[Pairing] = list(kept)
    unmatched: list[Unmatched] = []
    if MENTORING in formats:
        made, left = _mentoring(people, cycle, default_max_mentees, kept)
        pairings += made
        unmatched += left
    if PAIR in formats:
        made, left = _pairs(people, cycle, kept)
        pairings += made
        unmatched += left
    return MatchResult(tuple(pairings), tuple(unmatched))


# -- shared helpers -----------------------------------------------------------
def _eligible(a: Participant, b: Participant) -> bool:
    if a.email == b.email or a.language != b.language:
        return False
    return (a.manager_email or "").lower() != b.email and (b.manager_email or "").lower() != a.email


def _keys(skills: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in map(skill_key, skills) if k)


def _exchange(teacher: Participant, learner: Participant) -> tuple[str, ...]:
    """Skills `teacher` teaches that `learner` learns: learner's order, teacher's spelling."""
    spelled: dict[str, str] = {}
    for name in teacher.teaches:
        spelled.setdefault(skill_key(name), name.strip())
    out: dict[str, str] = {}
    for name in learner.learns:
        key = skill_key(name)
        if key in spelled:
            out.setdefault(key, spelled[key])
    return tuple(out.values())


def _listing(skills: Sequence[str], word: str = "and") -> str:
    if len(skills) <= 1:
        return "".join(skills)
    return f"{', '.join(skills[:-1])} {word} {skills[-1]}"


def _make(fmt: Format, cycle: str, members: tuple[str, ...], skills: tuple[str, ...],
          reason: str) -> Pairing:
    return Pairing(Pairing.make_id(fmt, cycle, members), fmt, cycle, members, skills, reason)


# -- one-to-one mentoring -----------------------------------------------------
def _mentoring(
    people: Mapping[str, Participant], cycle: str, default_max: int, kept: Sequence[Pairing]
) -> tuple[list[Pairing], list[Unmatched]]:
    mine = [p for p in kept if p.format == MENTORING]
    taken = {m for p in mine for m in p.members[1:]}
    load = Counter(p.members[0] for p in mine)
    mentors = [p for p in people.values() if "mentor" in p.roles]
    mentees = [p for p in people.values() if "mentee" in p.roles and p.email not in taken]
    teach_keys = {t.email: _keys(t.teaches) for t in mentors}
    learn_keys = {m.email: _keys(m.learns) for m in mentees}
    options = {
        m.email: [t for t in mentors if teach_keys[t.email] & learn_keys[m.email]
                  and _eligible(t, m)]
        for m in mentees
    }

    def capacity(t: Participant) -> int:
        return t.max_mentees if t.max_mentees is not None else default_max

    made: list[Pairing] = []
    left: list[Unmatched] = []
    # The hardest to place choose first, so a rare mentor is not used up by an easy mentee.
    for mentee in sorted(mentees, key=lambda m: (len(options[m.email]), m.email)):
        free = [t for t in options[mentee.email] if load[t.email] < capacity(t)]
        if not free:
            left.append(Unmatched(mentee.email, MENTORING, _no_mentor(mentee, mentors, options)))
            continue
        best = min(free, key=lambda t: (
            t.external, load[t.email], -len(_exchange(t, mentee)), t.email))
        load[best.email] += 1
        skills = _exchange(best, mentee)
        reason = f"{best.name} teaches {_listing(skills)}, which {mentee.name} wants to learn"
        made.append(_make(MENTORING, cycle, (best.email, mentee.email), skills, reason))
    return made, left


def _no_mentor(
    mentee: Participant, mentors: Sequence[Participant], options: Mapping[str, list[Participant]]
) -> str:
    wanted = [s.strip() for s in mentee.learns if skill_key(s)]
    if not wanted:
        return "wants to learn nothing listed"
    candidates = options[mentee.email]
    if candidates:
        found = {k: s for t in candidates for s in _exchange(t, mentee) for k in [skill_key(s)]}
        return f"no mentor with capacity left for {_listing(list(found.values()), 'or')}"
    teachers = [t for t in mentors if t.email != mentee.email and _exchange(t, mentee)]
    if teachers:
        return (f"no eligible mentor teaches {_listing(wanted, 'or')} "
                "(same language, outside the reporting line)")
    return f"no mentor teaches {_listing(wanted, 'or')}"


# -- learning pairs -----------------------------------------------------------
def _pairs(
    people: Mapping[str, Participant], cycle: str, kept: Sequence[Pairing]
) -> tuple[list[Pairing], list[Unmatched]]:
    taken = {m for p in kept if p.format == PAIR for m in p.members}
    peers = [p for p in people.values() if "peer" in p.roles]
    teach = {p.email: _keys(p.teaches) for p in peers}
    learn = {p.email: _keys(p.learns) for p in peers}
    edges: list[tuple[Participant, Participant, int, int]] = []  # a, b, mutual, exchanged
    degree: Counter[str] = Counter()  # complementary peers still free
    known: Counter[str] = Counter()  # complementary peers at all (for the reason)
    for i, a in enumerate(peers):
        for b in peers[i + 1:]:
            ab = len(teach[a.email] & learn[b.email])
            ba = len(teach[b.email] & learn[a.email])
            if not (ab or ba) or not _eligible(a, b):
                continue
            known.update((a.email, b.email))
            if a.email not in taken and b.email not in taken:
                edges.append((a, b, int(ab > 0 and ba > 0), ab + ba))
                degree.update((a.email, b.email))
    # Mutual first, then most skills exchanged; among equals, people with fewer
    # options first (leaves fewer people out); emails make it deterministic.
    edges.sort(key=lambda e: (-e[2], -e[3], degree[e[0].email] + degree[e[1].email],
                              e[0].email, e[1].email))
    paired: set[str] = set()
    made: list[Pairing] = []
    for a, b, _, _ in edges:
        if a.email in paired or b.email in paired:
            continue
        paired |= {a.email, b.email}
        made.append(_pair(a, b, cycle))
    left = [
        Unmatched(p.email, PAIR, "every complementary peer is already paired"
                  if known[p.email] else "no complementary peer")
        for p in peers if p.email not in paired and p.email not in taken
    ]
    return made, left


def _pair(a: Participant, b: Participant, cycle: str) -> Pairing:
    ab, ba = _exchange(a, b), _exchange(b, a)
    if not ab:  # one-sided: the one who teaches hosts
        a, b, ab, ba = b, a, ba, ab
    skills = dict.fromkeys(ab)
    for s in ba:
        if skill_key(s) not in {skill_key(x) for x in skills}:
            skills[s] = None
    reason = f"{a.name} teaches {b.name} {_listing(ab)}"
    if ba:
        reason += f"; {b.name} teaches {a.name} {_listing(ba)}"
    return _make(PAIR, cycle, (a.email, b.email), tuple(skills), reason)
