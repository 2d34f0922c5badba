"""Workshops: a host and a group who want the same skill, where one-to-one fell short.

Run after mentoring and pairs, on the people those left without a partner for
a skill they want. A skill wanted by at least `workshop_min` of them gets a
workshop hosted by someone who teaches it: an insider first (an external
expert when none can), never someone already hosting one this cycle. The
group is the learners the rules allow with the host and with each other, up
to `workshop_max`, strategic skills first, then the most wanted.

This is greedy, not exact: choosing groups is set packing (NP-hard), and with
a handful of skills and few left-overs a skill-by-skill pass is what an admin
would do by hand. Each choice is still explained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.core.model import Participant, skill_key
from agent.programme.matching.rules import Rules, keys


@dataclass(frozen=True)
class Workshop:
    """A host and the group learning `skill` from them."""

    host: Participant
    skill: str  # as the host writes it
    members: tuple[Participant, ...]


def plan_workshops(wanting: Sequence[Participant], hosts: Sequence[Participant],
                   rules: Rules, busy_hosts: set[str]) -> list[Workshop]:
    """Workshops for `wanting` (people left without a one-to-one) hosted by `hosts`."""
    policy = rules.policy
    demand: dict[str, list[Participant]] = {}
    for person in wanting:
        for key in keys(person.learns):
            demand.setdefault(key, []).append(person)
    order = sorted(demand, key=lambda k: (k not in policy.strategic, -len(demand[k]), k))
    placed: set[str] = set()
    out: list[Workshop] = []
    for key in order:
        learners = [p for p in demand[key] if p.email not in placed]
        if len(learners) < policy.workshop_min:
            continue
        options = [h for h in hosts if h.email not in busy_hosts and key in keys(h.teaches)]
        best: Workshop | None = None
        for host in sorted(options, key=lambda h: (h.external, h.email)):
            group = _group(host, key, learners, rules)
            if len(group) >= policy.workshop_min and (
                    best is None or len(group) > len(best.members)):
                best = Workshop(host, _spelling(host, key), tuple(group))
            if best is not None and not host.external and len(best.members) == len(learners):
                break  # an insider who can take everyone: no better host to find
        if best is not None:
            out.append(best)
            busy_hosts.add(best.host.email)
            placed |= {m.email for m in best.members}
    return out


def _group(host: Participant, key: str, learners: Sequence[Participant],
           rules: Rules) -> list[Participant]:
    group: list[Participant] = []
    for person in learners:
        if len(group) >= rules.policy.workshop_max:
            break
        if person.email == host.email or not rules.level_ok(host, person, key):
            continue
        if not rules.allowed(host, person, "workshop"):
            continue
        if all(rules.allowed(person, other, "workshop") for other in group):
            group.append(person)
    if group and not rules.overlap([host.timezone, *(p.timezone for p in group)], "workshop"):
        # Pairwise overlap does not make a common slot for the whole group: keep the host's zone.
        group = [p for p in group if p.timezone == host.timezone]
    return group


def _spelling(host: Participant, key: str) -> str:
    return next((s.strip() for s in host.teaches if skill_key(s) == key), key)
