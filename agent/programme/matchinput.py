"""What matching learns from the ledger: pairs kept apart, who stopped mentoring, ratings.

Kept apart: two people whose pairing ended on a change within the rotation window
(`rotation_cycles`; agent.programme.renewal), and anybody with whom someone declined a
whole series, for good.

Read only when matching runs (a new cycle, a roster or opt-out change), never
on an idle tick, so walking the history here does not slow the loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import combinations

from dateutil.relativedelta import relativedelta

from agent.core.keys import pairing_of_series
from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant
from agent.programme.matching import MatchResult, Policy, match
from agent.programme.matching.rules import pair_of
from agent.programme.planner import decliner
from agent.programme.renewal import changed
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
    return replace(policy, forbidden=policy.forbidden | frozenset(forbidden))


def propose(settings: Settings, ledger: Ledger, people: Sequence[Participant], cycle: str,
            existing: Sequence[Pairing]) -> MatchResult:
    """Match `people` for `cycle` with the ledger's history, keeping `existing` that still hold."""
    return match(people, cycle=cycle, formats=settings.programme.formats,
                 policy=policy_for(settings, ledger, cycle), existing=existing,
                 lang=settings.organisation.language)
