"""Who meets whom in a cycle: mentors and mentees, learning pairs, workshops.

`match` is pure and deterministic: the same roster in any order gives the same
result. It keeps the cycle's existing pairings whose members are all still
there (a mentor's existing mentees count against their capacity), honours
the admin's pins first, then solves mentoring exactly (min-cost flow, see
`mentoring`), learning pairs exactly (blossom, see `pairs`), and finally
groups what one-to-one left unserved into workshops (see `workshops`). The
hard constraints and the weights are in `rules`; the wording in `explain`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from agent.core.model import Format, Pairing, Participant
from agent.programme.matching import explain
from agent.programme.matching.mentoring import Assigned, assign, candidates, mentors_by_skill
from agent.programme.matching.pairs import Pair, add_odd_ones, best_pairs
from agent.programme.matching.rules import Policy, Rules, keys
from agent.programme.matching.workshops import plan_workshops

__all__ = ["MatchResult", "Policy", "Unmatched", "match"]
MENTORING: Final = "mentoring"
PAIR: Final = "pair"
WORKSHOP: Final = "workshop"


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner in `format`, and why (in the admin's language)."""

    email: str
    format: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """What `match` made: the pairings, and who was left without a partner and why."""

    pairings: tuple[Pairing, ...]  # kept existing ones first, then new ones
    unmatched: tuple[Unmatched, ...]


def match(participants: Sequence[Participant], *, cycle: str, formats: Sequence[str],
          policy: Policy, existing: Sequence[Pairing] = (), lang: str = "en") -> MatchResult:
    """Match `participants` (unique emails) for `cycle` (the ISO date of its first day)."""
    people = {p.email: p for p in sorted(participants, key=lambda p: p.email)}
    kept = sorted((p for p in existing if all(m in people for m in p.members)),
                  key=lambda p: (p.format, p.id))
    rules = Rules(policy)
    taken = {f: {m for p in kept if p.format == f for m in p.members} for f in (MENTORING, PAIR)}
    load = Counter(p.host for p in kept if p.format == MENTORING)
    made: list[Pairing] = []
    left: list[Unmatched] = []
    if MENTORING in formats:
        mentors = [p for p in people.values()
                   if "mentor" in p.roles and p.email not in policy.withdrawn]
        pinned = _pinned_mentoring(people, rules, taken[MENTORING], load)
        mentees = [p for p in people.values()
                   if "mentee" in p.roles and p.email not in taken[MENTORING]]
        done = assign(mentees, mentors, rules, load)
        made += [_mentoring(cycle, a.mentor, a.mentee, a.skills, a.back, rules, pin)
                 for pin, group in ((True, pinned), (False, done)) for a in group]
        served = {a.mentee.email for a in [*pinned, *done]}
        by_skill = mentors_by_skill(mentors, rules)
        left += [_why_no_mentor(m, by_skill, rules, lang) for m in mentees
                 if m.email not in served]
    if PAIR in formats:
        peers = [p for p in people.values() if "peer" in p.roles and p.email not in taken[PAIR]]
        forced = _pinned_pairs(peers, rules)
        held = {x.email for p in forced for x in (p.a, p.b)}
        pairs = forced + best_pairs([p for p in peers if p.email not in held], rules)
        paired = {x.email for p in pairs for x in (p.a, p.b)}
        alone = [p for p in peers if p.email not in paired]
        pairs = add_odd_ones(pairs, alone, rules)
        made += [_pair(cycle, p, rules) for p in pairs]
        paired |= {p.joiner.email for p in pairs if p.joiner is not None}
        left += [_why_no_peer(p, peers, rules, lang) for p in peers if p.email not in paired]
    if WORKSHOP in formats:
        in_workshop = {m for p in kept if p.format == WORKSHOP for m in p.members}
        wanting = [people[u.email] for u in left if u.email not in in_workshop]
        wanting = list({p.email: p for p in wanting}.values())
        hosts = [p for p in people.values() if ("mentor" in p.roles or "peer" in p.roles)
                 and p.email not in policy.withdrawn]
        busy = {p.host for p in kept if p.format == WORKSHOP}
        for w in plan_workshops(wanting, hosts, rules, busy):
            reason = explain.workshop(w.host, w.skill, w.members, rules.strategic([w.skill]))
            members = (w.host.email, *(m.email for m in w.members))
            made.append(_make(WORKSHOP, cycle, members, (w.skill,), reason))
            served = set(members[1:])
            left = [u for u in left if u.email not in served]
    return MatchResult((*kept, *made), tuple(left))


def _make(fmt: Format, cycle: str, members: tuple[str, ...], skills: tuple[str, ...],
          reason: str) -> Pairing:
    return Pairing(Pairing.make_id(fmt, cycle, members), fmt, cycle, members, skills, reason)


# -- mentoring ----------------------------------------------------------------
def _pinned_mentoring(people: dict[str, Participant], rules: Rules, taken: set[str],
                      load: Counter[str]) -> list[Assigned]:
    out: list[Assigned] = []
    for a, b in rules.policy.pinned:
        for mentor, mentee in ((people.get(a), people.get(b)), (people.get(b), people.get(a))):
            if mentor is None or mentee is None or mentee.email in taken:
                continue
            if "mentor" not in mentor.roles or "mentee" not in mentee.roles:
                continue
            if load[mentor.email] >= rules.policy.capacity(mentor):
                continue  # a pin never breaks a capacity
            skills = rules.teachable(mentor, mentee) or tuple(mentor.teaches[:1])
            out.append(Assigned(mentor, mentee, skills, rules.teachable(mentee, mentor)))
            load[mentor.email] += 1
            taken.add(mentee.email)
            break
    return out


def _mentoring(cycle: str, mentor: Participant, mentee: Participant, skills: tuple[str, ...],
               back: tuple[str, ...], rules: Rules, pinned: bool) -> Pairing:
    reason = explain.mentoring(mentor, mentee, skills, back, rules.strategic(skills), pinned)
    return _make(MENTORING, cycle, (mentor.email, mentee.email), skills, reason)


def _why_no_mentor(mentee: Participant, by_skill: Mapping[str, list[Participant]],
                   rules: Rules, lang: str) -> Unmatched:
    wanted = [s.strip() for s in mentee.learns]
    if not keys(wanted):
        return Unmatched(mentee.email, MENTORING, explain.unmatched("nothing", lang))
    teaching = {t.email: t for k in rules.skills(mentee).learnt for t in by_skill.get(k, ())}
    teachers = [t for e, t in sorted(teaching.items())
                if e != mentee.email and rules.teachable(t, mentee)]
    if not teachers:
        code, why = "no_teacher", list[str]()
    elif candidates(mentee, teachers, rules, {k: teachers for k in keys(wanted)}):
        code, why = "capacity", []
    else:
        code = "not_eligible"
        found = (rules.why_not(t, mentee, MENTORING) for t in teachers)
        why = sorted({w for w in found if w})
    return Unmatched(mentee.email, MENTORING, explain.unmatched(code, lang, wanted, why))


# -- learning pairs -----------------------------------------------------------
def _pair(cycle: str, p: Pair, rules: Rules) -> Pairing:
    skills = tuple(dict.fromkeys([*p.ab, *p.ba]))
    reason = explain.pair(p.a, p.b, p.ab, p.ba, rules.strategic(skills),
                          rules.pinned(p.a.email, p.b.email))
    members: tuple[str, ...] = (p.a.email, p.b.email)
    if p.joiner is not None:
        j = p.joiner
        host = p.a if rules.teachable(p.a, j) or not rules.teachable(p.b, j) else p.b
        back = tuple(dict.fromkeys([*rules.teachable(j, p.a), *rules.teachable(j, p.b)]))
        reason = explain.trio(j, host, rules.teachable(host, j), back, reason)
        members += (j.email,)
    return _make(PAIR, cycle, members, skills, reason)


def _pinned_pairs(peers: Sequence[Participant], rules: Rules) -> list[Pair]:
    by_email = {p.email: p for p in peers}
    out: list[Pair] = []
    used: set[str] = set()
    for a_email, b_email in rules.policy.pinned:
        a, b = by_email.get(a_email), by_email.get(b_email)
        if a is None or b is None or {a.email, b.email} & used or a.email == b.email:
            continue
        ab, ba = rules.teachable(a, b), rules.teachable(b, a)
        out.append(Pair(a, b, ab, ba) if ab or not ba else Pair(b, a, ba, ab))
        used |= {a.email, b.email}
    return out


def _why_no_peer(person: Participant, peers: Sequence[Participant], rules: Rules,
                 lang: str) -> Unmatched:
    others = [p for p in peers if p.email != person.email
              and (rules.teachable(p, person) or rules.teachable(person, p))]
    if not others:
        return Unmatched(person.email, PAIR, explain.unmatched("no_peer", lang))
    why = sorted({w for w in (rules.why_not(person, p, PAIR) for p in others) if w})
    if len(why) and all(not rules.allowed(person, p, PAIR) for p in others):
        return Unmatched(person.email, PAIR,
                         explain.unmatched("peer_not_eligible", lang, why=why))
    return Unmatched(person.email, PAIR, explain.unmatched("peers_taken", lang))
