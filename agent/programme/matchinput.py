"""What matching learns from the ledger: pairs kept apart, who stopped mentoring, ratings.

Kept apart: two people whose pairing ended on a change within the rotation window
(`rotation_cycles`; agent.programme.renewal), and anybody with whom someone declined a
whole series, for good.

Read only when matching runs (a new cycle, a roster or opt-out change), never
on an idle tick, so walking the history here does not slow the loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from itertools import combinations
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant, skill_key
from agent.programme.matching import MatchResult, Policy, match
from agent.programme.matching.rules import Rules, pair_of
from agent.programme.matching.workshops import next_seats
from agent.programme.planner import decliner
from agent.programme.renewal import changed
from agent.programme.scheduling import cycle_bounds
from agent.programme.settings import Settings


def previous_cycles(settings: Settings, cycle: str, count: int) -> set[str]:
    """The first days of the `count` cycles before `cycle`."""
    start, months = date.fromisoformat(cycle), settings.programme.cycle_months
    return {(start - relativedelta(months=k * months)).isoformat() for k in range(1, count + 1)}


def policy_for(settings: Settings, ledger: Ledger, cycle: str) -> Policy:
    """The policy for `cycle`: the settings, and the ledger's pairs kept apart (see the
    module docstring), withdrawn mentors and mentors' mean ratings."""
    window = sorted(previous_cycles(settings, cycle, settings.matching.rotation_cycles))
    recent: set[frozenset[str]] = set()
    for pairing in changed(settings, ledger, window):
        recent |= {pair_of(a, b) for a, b in combinations(pairing.members, 2)}
    forbidden: set[frozenset[str]] = set()
    withdrawn: set[str] = set()
    hosts: dict[str, str] = {}
    for record in ledger.pairings.everything():
        pairing = record.pairing
        by = decliner(record.ended_reason)
        if by is not None:
            forbidden |= {pair_of(by, other) for other in pairing.members if other != by}
        if pairing.format == "mentoring":
            hosts[pairing.id] = pairing.host
            # A mentor who replied STOP is not pushed back into mentoring, even if they resumed.
            if record.ended_reason == f"{pairing.host} replied STOP":
                withdrawn.add(pairing.host)
    # A mentor who declined every session of a mentoring series they answered (at least
    # two) said no to mentoring, even without writing STOP.
    answers: dict[str, list[str]] = defaultdict(list)
    for response in ledger.responses.everything():
        host = hosts.get(pairing_of_series(response.key))
        if host == response.attendee:
            answers[response.key].append(response.status)
    for key, statuses in answers.items():
        if len(statuses) >= 2 and all(s == "declined" for s in statuses):
            withdrawn.add(hosts[pairing_of_series(key)])
    ratings: dict[str, list[int]] = defaultdict(list)
    for fb in ledger.answers.feedback():
        host = hosts.get(fb.pairing_id)
        if host and fb.sender != host and fb.rating is not None:
            ratings[host].append(fb.rating)
    policy = Policy.from_settings(
        settings, cycle, recent=frozenset(recent), withdrawn=frozenset(withdrawn),
        ratings={m: sum(r) / len(r) for m, r in ratings.items()})
    return replace(policy, forbidden=policy.forbidden | frozenset(forbidden),
                   declined=frozenset(forbidden) - policy.forbidden,
                   workshops=workshops_meet(settings, cycle))


def workshops_meet(settings: Settings, cycle: str) -> bool:
    """Whether workshops meet in `cycle`: always at their cadence without learning days;
    with them, only in a cycle that has one."""
    days = settings.programme.learning_days
    if not days:
        return True
    p, tz = settings.programme, settings.organisation.timezone
    start = date.fromisoformat(cycle)
    _, end = cycle_bounds(p.start, p.cycle_months,
                          datetime.combine(start, time(12), ZoneInfo(tz)), tz)
    return any(start <= day < end for day in days)


def reseat(settings: Settings, ledger: Ledger, people: Mapping[str, Participant],
           workshop: Pairing, leaving: Sequence[str]) -> tuple[str, ...]:
    """Who is in `workshop` once `leaving` gave their seats up: its host and those staying,
    then as many of those waiting as seats were freed (in seat order, agent.programme.
    matching.workshops)."""
    policy = policy_for(settings, ledger, workshop.cycle)
    staying = tuple(e for e in workshop.members if e not in leaving)
    active = ledger.pairings.active()
    unavailable = {*workshop.members, *ledger.progress.left_seats(workshop.id)}
    served: dict[str, set[str]] = {}
    for pairing in active:
        if pairing.format == "workshop" and pairing.id != workshop.id \
                and pairing.cycle == workshop.cycle:
            unavailable |= set(pairing.members)
        elif pairing.format in ("mentoring", "pair"):
            learners = pairing.members[1:] if pairing.format == "mentoring" else pairing.members
            for email in learners:
                served.setdefault(email, set()).update(skill_key(s) for s in pairing.skills)
    free = {e: p for e, p in people.items() if ledger.people.active(e)}
    room = max(0, policy.workshop_max - (len(staying) - 1))
    newcomers = next_seats(replace(workshop, members=staying), free, Rules(policy),
                           unavailable, served, min(len(leaving), room))
    return (*staying, *(p.email for p in newcomers))


def propose(settings: Settings, ledger: Ledger, people: Sequence[Participant], cycle: str,
            existing: Sequence[Pairing]) -> MatchResult:
    """Match `people` for `cycle` with the ledger's history, keeping `existing` that still hold."""
    return match(people, cycle=cycle, formats=settings.programme.formats,
                 policy=policy_for(settings, ledger, cycle), existing=existing,
                 lang=settings.organisation.language)
