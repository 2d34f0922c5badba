"""Workshops: a host and a group learning one skill, on the learning days (or at a cadence).

A format of its own, planned for each cycle on the most wanted skills: strategic
skills first, then the skills the most people want. A workshop is open to everyone
who wants its skill, whether or not they also have a mentor or a learning partner
for it, up to `workshop_max`; it is held only with at least `workshop_min`. Each is
hosted by someone who teaches the skill and has room (hosts no other workshop this
cycle), an insider first (an external expert when no insider can). Seats go first to
those with no other way to learn the skill this cycle (no mentor or partner teaching
it to them), then to the others; each person takes one workshop a cycle (they all meet
on the same learning days). Everyone allowed with the host and each other who did not
get a seat waits for one: a seat someone declines goes to the next of them
(`next_seats`).

Greedy, not exact: choosing groups is set packing (NP-hard), and with a handful of
skills a skill-by-skill pass is what an admin would do by hand. Each choice is still
explained.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from agent.core.model import Pairing, Participant, skill_key
from agent.programme.matching.rules import Rules, keys

WORKSHOP = "workshop"


@dataclass(frozen=True)
class Workshop:
    """A host and the group learning `skill` from them."""

    host: Participant
    skill: str  # as the host writes it
    members: tuple[Participant, ...]


def plan_workshops(wanting: Sequence[Participant], hosts: Sequence[Participant],
                   rules: Rules, busy: Collection[str],
                   served: Mapping[str, Collection[str]]) -> list[Workshop]:
    """Workshops for `wanting` (everyone who wants a skill and is free for one this cycle)
    hosted by `hosts`; `busy`: who already hosts or attends one this cycle; `served`:
    email -> skill keys a mentor or a partner teaches them this cycle (their seats come
    after the others')."""
    policy = rules.policy
    taken = set(busy)
    demand: dict[str, list[Participant]] = {}
    for person in wanting:
        for key in keys(person.learns):
            demand.setdefault(key, []).append(person)
    order = sorted(demand, key=lambda k: (k not in policy.strategic, -len(demand[k]), k))
    out: list[Workshop] = []
    for key in order:
        learners = seat_order([p for p in demand[key] if p.email not in taken], key, served)
        if len(learners) < policy.workshop_min:
            continue
        options = [h for h in hosts if h.email not in taken and key in keys(h.teaches)]
        best: Workshop | None = None
        for host in sorted(options, key=lambda h: (h.external, h.email)):
            group = _group(host, key, learners, rules)
            if len(group) >= policy.workshop_min and (
                    best is None or len(group) > len(best.members)):
                best = Workshop(host, _spelling(host, key), tuple(group))
            if best is not None and not host.external and len(best.members) == min(
                    len(learners), policy.workshop_max):
                break  # an insider who can take as many as there are seats: no better host
        if best is not None:
            out.append(best)
            taken |= {best.host.email, *(m.email for m in best.members)}
    return out


def seat_order(people: Sequence[Participant], key: str,
               served: Mapping[str, Collection[str]]) -> list[Participant]:
    """`people` in the order seats go: no other way to learn skill `key` first."""
    return sorted(people, key=lambda p: (key in served.get(p.email, ()), p.email))


def next_seats(workshop: Pairing, people: Mapping[str, Participant], rules: Rules,
               unavailable: Collection[str], served: Mapping[str, Collection[str]],
               count: int) -> list[Participant]:
    """Up to `count` people to take freed seats in `workshop`, in seat order: they want its
    skill, are allowed with its host and its members, and are not `unavailable` (already
    in it, in another workshop this cycle, or gave their seat up)."""
    host = people.get(workshop.host)
    key = skill_key(workshop.skills[0]) if workshop.skills else ""
    if host is None or not key or count <= 0:
        return []
    staying = [people[e] for e in workshop.members[1:] if e in people]
    found: list[Participant] = []
    candidates = [p for p in people.values() if p.email not in unavailable
                  and p.email not in workshop.members and key in keys(p.learns)]
    for person in seat_order(candidates, key, served):
        if len(found) >= count:
            break
        if (rules.level_ok(host, person, key) and rules.allowed(host, person, WORKSHOP)
                and all(rules.allowed(person, other, WORKSHOP)
                        for other in (*staying, *found))
                and rules.overlap([host.timezone, *(p.timezone for p in (*staying, *found,
                                                                          person))],
                                  WORKSHOP)):
            found.append(person)
    return found


def _group(host: Participant, key: str, learners: Sequence[Participant],
           rules: Rules) -> list[Participant]:
    group: list[Participant] = []
    for person in learners:
        if len(group) >= rules.policy.workshop_max:
            break
        if person.email == host.email or not rules.level_ok(host, person, key):
            continue
        if not rules.allowed(host, person, WORKSHOP):
            continue
        if all(rules.allowed(person, other, WORKSHOP) for other in group):
            group.append(person)
    if group and not rules.overlap([host.timezone, *(p.timezone for p in group)], WORKSHOP):
        # Pairwise overlap does not make a common slot for the whole group: keep the host's zone.
        group = [p for p in group if p.timezone == host.timezone]
    return group


def _spelling(host: Participant, key: str) -> str:
    return next((s.strip() for s in host.teaches if skill_key(s) == key), key)
