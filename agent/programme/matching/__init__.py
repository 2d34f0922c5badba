"""Who meets whom in a cycle: mentors and mentees, learning pairs, workshops.

`match` is pure and deterministic: the same roster in any order gives the same
result. It keeps the cycle's existing pairings whose members are all still
there (a mentor's existing mentees count against their capacity), honours
the admin's pins first, then solves mentoring exactly (min-cost flow, see
`mentoring`), learning pairs and trios so that the most peers learn (column
generation and CP-SAT, see `groups`), and plans workshops on the most wanted
skills for everyone who wants them (see `workshops`). The hard constraints and
the weights are in `rules`; the wording in `explain`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from agent.core.model import Format, Pairing, Participant, skill_key
from agent.programme.matching import explain
from agent.programme.matching.groups import Group, Grouping, Lesson, best_groups
from agent.programme.matching.mentoring import Assigned, assign, candidates, mentors_by_skill
from agent.programme.matching.rules import WITHDRAWN, Policy, Rules, keys
from agent.programme.matching.workshops import plan_workshops

__all__ = ["Grouping", "MatchResult", "Policy", "Unmatched", "match"]
MENTORING: Final = "mentoring"
PAIR: Final = "pair"
WORKSHOP: Final = "workshop"


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner in `format`, and why (in the admin's language);
    `missing`: the skills they want that nobody who could be matched with them teaches."""

    email: str
    format: str
    reason: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """What `match` made: the pairings, who was left without a partner and why, and (when
    peers were grouped) how many of them learn against the bound no grouping can beat."""

    pairings: tuple[Pairing, ...]  # kept existing ones first, then new ones
    unmatched: tuple[Unmatched, ...]
    peers: Grouping | None = None


def match(participants: Sequence[Participant], *, cycle: str, formats: Sequence[str],
          policy: Policy, existing: Sequence[Pairing] = (), lang: str = "en") -> MatchResult:
    """Match `participants` (unique emails) for `cycle` (the ISO date of its first day)."""
    people = {p.email: p for p in sorted(participants, key=lambda p: p.email)}
    # A workshop stays while its host does (an attendee who left just frees a seat).
    kept = sorted((p for p in existing
                   if all(m in people for m in (p.members[:1] if p.format == WORKSHOP
                                                else p.members))),
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
        gone = mentors_by_skill([p for p in people.values()
                                 if "mentor" in p.roles and p.email in policy.withdrawn], rules)
        left += [_why_no_mentor(m, by_skill, rules, lang, gone) for m in mentees
                 if m.email not in served]
    grouping: Grouping | None = None
    if PAIR in formats:
        peers = [p for p in people.values() if "peer" in p.roles and p.email not in taken[PAIR]]
        forced = _pinned_groups(peers, rules)
        held = {m.email for g in forced for m in g.members}
        grouping = best_groups([p for p in peers if p.email not in held], rules)
        groups = [*forced, *grouping.groups]
        placed = {m.email for g in groups for m in g.members}
        learning = {m.email for g in groups for m in g.learners}
        teachers = _teachers_by_skill(peers, rules)
        missing = {p.email: _untaught(p, teachers, rules) for p in peers
                   if p.email not in learning}
        made += [_group_pairing(cycle, g, rules, missing) for g in groups]
        left += [_why_no_peer(p, peers, rules, lang, missing[p.email]) for p in peers
                 if p.email not in placed]
    if WORKSHOP in formats and policy.workshops:
        made += _workshops(cycle, people, kept, made, rules)
    return MatchResult((*kept, *made), tuple(left), grouping)


def _workshops(cycle: str, people: Mapping[str, Participant], kept: Sequence[Pairing],
               made: Sequence[Pairing], rules: Rules) -> list[Pairing]:
    """This cycle's workshops (see `workshops`): open to everyone who wants a skill and is
    in no workshop yet, whether or not a mentor or a partner teaches it to them."""
    busy = {m for p in kept if p.format == WORKSHOP for m in p.members}
    served: dict[str, set[str]] = {}
    for pairing in (*kept, *made):
        if pairing.format in (MENTORING, PAIR):
            learners = pairing.members[1:] if pairing.format == MENTORING else pairing.members
            for email in learners:
                served.setdefault(email, set()).update(keys(pairing.skills))
    wanting = [p for p in people.values() if p.learns and p.email not in busy]
    hosts = [p for p in people.values() if ("mentor" in p.roles or "peer" in p.roles)
             and p.email not in rules.policy.withdrawn]
    out = []
    for w in plan_workshops(wanting, hosts, rules, busy, served):
        reason = explain.workshop(w.host, w.skill, w.members, rules.strategic([w.skill]))
        out.append(_make(WORKSHOP, cycle, (w.host.email, *(m.email for m in w.members)),
                         (w.skill,), reason))
    return out


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
                   rules: Rules, lang: str, gone: Mapping[str, list[Participant]]) -> Unmatched:
    """Why `mentee` has no mentor; `gone`: by skill, the mentors who stopped mentoring
    (Policy.withdrawn), named in the reason where they teach what the mentee wants."""
    wanted = [s.strip() for s in mentee.learns]
    if not keys(wanted):
        return Unmatched(mentee.email, MENTORING, explain.unmatched("nothing", lang))

    def teaching(mentors: Mapping[str, list[Participant]]) -> list[Participant]:
        """Those of `mentors` who teach `mentee` something they want, by address."""
        found = {t.email: t for k in rules.skills(mentee).learnt for t in mentors.get(k, ())}
        return [t for e, t in sorted(found.items())
                if e != mentee.email and rules.teachable(t, mentee)]

    teachers = teaching(by_skill)
    stopped = [WITHDRAWN] if teaching(gone) else []
    if not teachers and stopped:
        # "no eligible mentor for Excel (stopped mentoring before)": someone teaches it but
        # left mentoring; nobody still in it can, so the skill is still named as missing
        return Unmatched(mentee.email, MENTORING,
                         explain.unmatched("not_eligible", lang, wanted, stopped), tuple(wanted))
    if not teachers:
        code, why = "no_teacher", list[str]()
    elif candidates(mentee, teachers, rules, {k: teachers for k in keys(wanted)}):
        code, why = "capacity", []
    else:
        code = "not_eligible"
        found = (rules.why_not(t, mentee, MENTORING) for t in teachers)
        why = sorted({w for w in found if w}) + stopped
    return Unmatched(mentee.email, MENTORING, explain.unmatched(code, lang, wanted, why),
                     tuple(wanted) if code == "no_teacher" else ())


# -- learning pairs and trios ---------------------------------------------------
def _group_pairing(cycle: str, group: Group, rules: Rules,
                   missing: Mapping[str, tuple[str, ...]]) -> Pairing:
    members = tuple(m.email for m in group.members)
    pinned = len(members) == 2 and rules.pinned(*members)
    reason = explain.group(group.members, [(x.teacher, x.learner, x.skills)
                                           for x in group.lessons],
                           missing, rules.strategic(group.skills), pinned)
    return _make(PAIR, cycle, members, group.skills, reason)


def _pinned_groups(peers: Sequence[Participant], rules: Rules) -> list[Group]:
    """The pairs the admin pinned, both peers here: made whatever they teach each other."""
    by_email = {p.email: p for p in peers}
    out: list[Group] = []
    used: set[str] = set()
    for a_email, b_email in rules.policy.pinned:
        a, b = by_email.get(a_email), by_email.get(b_email)
        if a is None or b is None or {a.email, b.email} & used or a.email == b.email:
            continue
        lessons = tuple(Lesson(t, s, rules.teachable(t, s)) for t, s in ((a, b), (b, a))
                        if rules.teachable(t, s))
        ab, ba = rules.teachable(a, b), rules.teachable(b, a)
        out.append(Group((a, b) if ab or not ba else (b, a), lessons))
        used |= {a.email, b.email}
    return out


def _teachers_by_skill(peers: Sequence[Participant],
                       rules: Rules) -> dict[str, list[Participant]]:
    found: dict[str, list[Participant]] = {}
    for p in peers:
        for key in rules.skills(p).taught:
            found.setdefault(key, []).append(p)
    return found


def _untaught(person: Participant, teachers: Mapping[str, list[Participant]],
              rules: Rules) -> tuple[str, ...]:
    """The skills `person` wants that no peer who may be grouped with them teaches them."""
    names = {skill_key(s): s.strip() for s in person.learns}
    return tuple(names.get(k, k) for k in rules.skills(person).learnt
                 if not any(t.email != person.email and rules.level_ok(t, person, k)
                            and rules.allowed(t, person, PAIR) for t in teachers.get(k, ())))


def _why_no_peer(person: Participant, peers: Sequence[Participant], rules: Rules,
                 lang: str, missing: tuple[str, ...]) -> Unmatched:
    wanted = rules.skills(person).learnt
    if wanted and len(missing) == len(wanted):
        teachers = [p for p in peers if p.email != person.email and rules.teachable(p, person)]
        if not teachers:
            return Unmatched(person.email, PAIR,
                             explain.unmatched("no_peer_teacher", lang, missing), missing)
        why = sorted({w for w in (rules.why_not(p, person, PAIR) for p in teachers) if w})
        return Unmatched(person.email, PAIR,
                         explain.unmatched("peer_not_eligible", lang, missing, why), missing)
    others = [p for p in peers if p.email != person.email
              and (rules.teachable(p, person) or rules.teachable(person, p))]
    if not others:
        return Unmatched(person.email, PAIR, explain.unmatched("no_peer", lang), missing)
    return Unmatched(person.email, PAIR, explain.unmatched("peers_taken", lang), missing)
