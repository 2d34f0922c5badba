"""Matching against exact optima computed here, independently of the solver's code.

For generated rosters (random and adversarial), the number of mentees matched
must equal the maximum flow of the eligibility network (networkx), and the peers'
groups must reach the best (learners, then groups with a mutual exchange) that an
exhaustive search over every way of forming pairs and trios finds, with an
eligibility rule written again from the issue's words. No capacity or constraint
is ever broken, and the result does not depend on the roster's order.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import combinations
from zoneinfo import ZoneInfo

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.core.model import Participant, skill_key
from agent.programme.matching import MatchResult, Policy, match
from agent.programme.matching.rules import pair_of
from agent.programme.settings import Hours

CYCLE = "2026-09-01"
SKILLS = ["Excel", "SQL", "Python", "Design", "Vente", "Comptabilité"]
ZONES = ["Europe/Paris", "America/Montreal", "Asia/Tokyo"]
HOURS = Hours()  # 09:00-18:00, lunch 12:00-14:00, Monday to Friday
MINUTES = {"mentoring": 45, "pair": 30, "workshop": 90}


# -- the rules, written again -------------------------------------------------------
@cache
def works(zone: str, instant: datetime) -> bool:
    local = instant.astimezone(ZoneInfo(zone))
    t = local.time()
    return local.weekday() < 5 and (time(9) <= t < time(12) or time(14) <= t < time(18))


@cache
def overlap(zones: frozenset[str], minutes: int) -> bool:
    """A quarter-hour walk over the cycle's first week (a day either side)."""
    monday = date.fromisoformat(CYCLE) - timedelta(days=date.fromisoformat(CYCLE).weekday())
    at = datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo("UTC")) - timedelta(1)
    run = 0
    for _ in range(9 * 96):
        run = run + 15 if all(works(z, at) for z in zones) else 0
        if run >= minutes:
            return True
        at += timedelta(minutes=15)
    return False


def level(levels: tuple[tuple[str, int], ...], key: str) -> int | None:
    return dict(levels).get(key)


def teaches(t: Participant, s: Participant) -> bool:
    for name in t.teaches:
        key = skill_key(name)
        if key in {skill_key(x) for x in s.learns}:
            lt, ls = level(t.teach_levels, key), level(s.learn_levels, key)
            if lt is None or ls is None or lt > ls:
                return True
    return False


def may_meet(a: Participant, b: Participant, fmt: str, policy: Policy) -> bool:
    return (a.email != b.email and a.language == b.language
            and a.manager_email != b.email and b.manager_email != a.email
            and pair_of(a.email, b.email) not in policy.forbidden
            and (fmt == "workshop" or pair_of(a.email, b.email) not in policy.recent)
            and overlap(frozenset({a.timezone, b.timezone}), MINUTES[fmt]))


def mentoring_bound(people: list[Participant], policy: Policy) -> int:
    g = nx.DiGraph()
    for m in people:
        if "mentor" in m.roles and m.email not in policy.withdrawn:
            cap = m.max_mentees if m.max_mentees is not None else policy.default_max_mentees
            g.add_edge(("t", m.email), "sink", capacity=cap)
        if "mentee" in m.roles:
            g.add_edge("source", ("s", m.email), capacity=1)
    for t in people:
        for s in people:
            if ("mentor" in t.roles and "mentee" in s.roles and t.email not in policy.withdrawn
                    and teaches(t, s) and may_meet(t, s, "mentoring", policy)):
                g.add_edge(("s", s.email), ("t", t.email), capacity=1)
    if "source" not in g or "sink" not in g:
        return 0
    return int(nx.maximum_flow_value(g, "source", "sink"))


def group_value(group: tuple[Participant, ...], policy: Policy) -> tuple[int, int] | None:
    """(learners, 1 if two teach each other) of a possible group; None if it is no group:
    two or three peers allowed together, sharing working hours, each learning or teaching
    there (a trio of one learner is a pair joined by a second teacher)."""
    if not all(may_meet(a, b, "pair", policy) for a, b in combinations(group, 2)):
        return None
    if not overlap(frozenset(p.timezone for p in group), MINUTES["pair"]):
        return None
    learns = [any(teaches(t, s) for t in group if t is not s) for s in group]
    busy = [learns[i] or any(teaches(group[i], s) for s in group if s is not group[i])
            for i in range(len(group))]
    if not all(busy) or not any(learns):
        return None
    mutual = any(teaches(a, b) and teaches(b, a) for a, b in combinations(group, 2))
    return sum(learns), int(mutual)


def best_grouping(peers: list[Participant], policy: Policy) -> tuple[int, int]:
    """The most (learners, mutual groups), by trying every way to form pairs and trios."""
    values: dict[tuple[int, ...], tuple[int, int]] = {}
    for size in (2, 3):
        for combo in combinations(range(len(peers)), size):
            value = group_value(tuple(peers[i] for i in combo), policy)
            if value is not None:
                values[combo] = value

    @cache
    def best(left: frozenset[int]) -> tuple[int, int]:
        if not left:
            return 0, 0
        first = min(left)
        found = best(left - {first})  # the first one stays out
        for combo, (learners, mutual) in values.items():
            if combo[0] == first and set(combo) <= left:
                rest = best(left - set(combo))
                found = max(found, (rest[0] + learners, rest[1] + mutual))
        return found

    return best(frozenset(range(len(peers))))


# -- rosters --------------------------------------------------------------------------
def skills_with_levels(draw: st.DrawFn) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    names = tuple(dict.fromkeys(draw(st.lists(st.sampled_from(SKILLS), max_size=3))))
    levels = tuple(sorted((skill_key(n), draw(st.integers(1, 5))) for n in names
                          if draw(st.booleans())))
    return names, levels


@st.composite
def random_roster(draw: st.DrawFn) -> list[Participant]:
    n = draw(st.integers(0, 16))
    emails = [f"p{i}@x.fr" for i in range(n)]
    people = []
    for email in emails:
        teach, teach_levels = skills_with_levels(draw)
        learn, learn_levels = skills_with_levels(draw)
        people.append(Participant(
            email=email, name=email,
            roles=frozenset(draw(st.sets(st.sampled_from(["mentor", "mentee", "peer"]),
                                         min_size=1))),
            teaches=teach, learns=learn, teach_levels=teach_levels, learn_levels=learn_levels,
            manager_email=draw(st.none() | st.sampled_from(emails)),
            language=draw(st.sampled_from(["fr", "en"])),
            timezone=draw(st.sampled_from(ZONES)),
            max_mentees=draw(st.none() | st.integers(0, 3)),
            external=draw(st.booleans()),
        ))
    return people


@st.composite
def one_mentor_everybody_wants(draw: st.DrawFn) -> list[Participant]:
    cap = draw(st.integers(1, 4))
    star = Participant("star@x.fr", "Star", frozenset({"mentor"}), teaches=("SQL",),
                       max_mentees=cap)
    n = draw(st.integers(1, 12))
    return [star, *(Participant(f"m{i}@x.fr", f"M{i}", frozenset({"mentee", "peer"}),
                                learns=("SQL",), teaches=(draw(st.sampled_from(SKILLS)),))
                    for i in range(n))]


@st.composite
def one_team(draw: st.DrawFn) -> list[Participant]:
    """Everybody reports to the only mentor, or to someone who reports to them."""
    n = draw(st.integers(2, 12))
    boss = Participant("boss@x.fr", "Boss", frozenset({"mentor"}), teaches=("Excel", "SQL"))
    people = [boss]
    for i in range(n):
        manager = draw(st.sampled_from([p.email for p in people]))
        roles = draw(st.sets(st.sampled_from(["mentor", "mentee", "peer"]), min_size=1))
        people.append(Participant(f"p{i}@x.fr", f"P{i}", frozenset(roles), manager_email=manager,
                                  teaches=(draw(st.sampled_from(SKILLS)),),
                                  learns=(draw(st.sampled_from(SKILLS)),)))
    return people


@st.composite
def odd_mutual_peers(draw: st.DrawFn) -> list[Participant]:
    n = draw(st.integers(1, 7)) * 2 + 1
    return [Participant(f"p{i}@x.fr", f"P{i}", frozenset({"peer"}),
                        teaches=("Design",) if i % 2 else ("Vente",),
                        learns=("Vente",) if i % 2 else ("Design",)) for i in range(n)]


@st.composite
def no_overlap(draw: st.DrawFn) -> list[Participant]:
    """Pairs across Tokyo and Montréal: working days never meet."""
    n = draw(st.integers(1, 6))
    return [Participant(f"p{i}@x.fr", f"P{i}", frozenset({"mentor", "mentee", "peer"}),
                        teaches=("SQL",) if i % 2 else ("Excel",),
                        learns=("Excel",) if i % 2 else ("SQL",),
                        timezone="Asia/Tokyo" if i % 2 else "America/Montreal")
            for i in range(n)]


ROSTERS = st.one_of(random_roster(), one_mentor_everybody_wants(), one_team(),
                    odd_mutual_peers(), no_overlap())


def policies(people: list[Participant]) -> st.SearchStrategy[Policy]:
    emails = [p.email for p in people] or ["nobody@x.fr"]
    some_pairs = st.frozensets(st.tuples(st.sampled_from(emails), st.sampled_from(emails))
                               .map(lambda t: pair_of(*t)), max_size=3)
    return st.builds(Policy, default_max_mentees=st.integers(1, 3), recent=some_pairs,
                     forbidden=some_pairs, hours=st.just(HOURS),
                     week_of=st.just(date.fromisoformat(CYCLE)),
                     withdrawn=st.frozensets(st.sampled_from(emails), max_size=2),
                     externals=st.sampled_from(["last_resort", "equal"]))


def run(people: list[Participant], policy: Policy, formats: tuple[str, ...]) -> MatchResult:
    return match(people, cycle=CYCLE, formats=formats, policy=policy)


# -- the properties -------------------------------------------------------------------
@settings(max_examples=250, deadline=None)
@given(st.data())
def test_optimal_and_within_every_constraint(data: st.DataObject) -> None:
    people = data.draw(ROSTERS)
    policy = data.draw(policies(people))
    result = run(people, policy, ("mentoring", "pair"))
    by_email = {p.email: p for p in people}
    mentoring = [p for p in result.pairings if p.format == "mentoring"]
    pairs = [p for p in result.pairings if p.format == "pair"]

    assert len(mentoring) == mentoring_bound(people, policy)
    values = [group_value(tuple(by_email[m] for m in p.members), policy) for p in pairs]
    assert None not in values, "a group breaks a rule"
    learners = sum(v[0] for v in values if v)
    peers = [p for p in people if "peer" in p.roles]
    assert result.peers is not None and result.peers.learners == learners
    if len(peers) <= 10:
        assert (learners, sum(v[1] for v in values if v)) == best_grouping(peers, policy)
        assert result.peers.exact and result.peers.bound == learners

    load = Counter(p.host for p in mentoring)
    for mentor, n in load.items():
        cap = by_email[mentor].max_mentees
        assert n <= (cap if cap is not None else policy.default_max_mentees)
    for group in (mentoring, pairs):
        seen = [m for p in group for m in (p.members[1:] if group is mentoring else p.members)]
        assert len(seen) == len(set(seen))
    for p in mentoring:
        mentor, mentee = by_email[p.members[0]], by_email[p.members[1]]
        assert "mentor" in mentor.roles and "mentee" in mentee.roles
        assert teaches(mentor, mentee) and may_meet(mentor, mentee, "mentoring", policy)
        assert mentor.email not in policy.withdrawn
    for u in result.unmatched:  # left out of a format means in no pairing of that format
        # (a mentor who is also a mentee may host and still be left out as a mentee)
        start = 1 if u.format == "mentoring" else 0
        assert all(u.email not in p.members[start:]
                   for p in result.pairings if p.format == u.format)
        assert u.reason


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_same_result_in_any_order(data: st.DataObject) -> None:
    people = data.draw(ROSTERS)
    policy = data.draw(policies(people))
    formats = ("mentoring", "pair", "workshop")
    result = run(people, policy, formats)
    shuffled = list(people)
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    assert run(shuffled, policy, formats) == result


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rematching_keeps_what_was_made(data: st.DataObject) -> None:
    people = data.draw(ROSTERS)
    policy = data.draw(policies(people))
    first = run(people, policy, ("mentoring", "pair"))
    again = match(people, cycle=CYCLE, formats=("mentoring", "pair"), policy=policy,
                  existing=first.pairings)
    assert set(again.pairings) == set(first.pairings)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_workshops_respect_sizes_and_rules(data: st.DataObject) -> None:
    people = data.draw(st.one_of(random_roster(), one_mentor_everybody_wants(), one_team()))
    policy = data.draw(policies(people))
    result = run(people, policy, ("mentoring", "workshop"))
    by_email = {p.email: p for p in people}
    hosts = [p.host for p in result.pairings if p.format == "workshop"]
    assert len(hosts) == len(set(hosts))
    placed: set[str] = set()
    for w in (p for p in result.pairings if p.format == "workshop"):
        learners = w.members[1:]
        assert policy.workshop_min <= len(learners) <= policy.workshop_max
        assert not placed & set(learners)
        placed |= set(learners)
        host = by_email[w.host]
        assert all(by_email[m].learns_key(w.skills[0]) for m in learners)
        assert host.teaches_key(w.skills[0])
        for x, y in combinations(w.members, 2):
            assert may_meet(by_email[x], by_email[y], "workshop", policy)


def test_the_best_mutual_groups_when_the_learners_are_at_their_bound() -> None:
    """Found by the property above on a fresh run: six learners either way, but two trios
    with a mutual exchange each beat one mutual pair beside a teaching cycle; the groups
    the relaxation generated held only the second, and the learners alone, at their
    bound, did not ask for the exact search."""
    def peer(i: int, teaches: tuple[str, ...], learns: tuple[str, ...], zone: str,
             teach_levels: tuple[tuple[str, int], ...] = (),
             learn_levels: tuple[tuple[str, int], ...] = ()) -> Participant:
        return Participant(f"p{i}@x.fr", f"p{i}@x.fr", frozenset({"peer"}), teaches=teaches,
                           learns=learns, timezone=zone, language="fr",
                           teach_levels=teach_levels, learn_levels=learn_levels)
    paris, montreal = "Europe/Paris", "America/Montreal"
    people = [
        peer(1, ("Excel", "Python"), ("Excel",), paris, learn_levels=(("excel", 1),)),
        peer(2, ("Excel",), ("Excel", "SQL"), montreal, learn_levels=(("excel", 1),)),
        peer(3, ("Excel", "SQL"), ("SQL", "Python", "Design"), montreal,
             teach_levels=(("excel", 1),)),
        peer(4, ("Excel", "Design"), ("Excel",), paris, teach_levels=(("excel", 1),),
             learn_levels=(("excel", 1),)),
        peer(5, ("Excel", "SQL"), ("Python",), paris),
        peer(6, ("SQL",), (), "Asia/Tokyo"),
        peer(7, ("Excel", "Python"), ("SQL",), paris),
    ]
    policy = Policy(default_max_mentees=1, hours=HOURS, week_of=date.fromisoformat(CYCLE))
    result = run(people, policy, ("pair",))
    by_email = {p.email: p for p in people}
    values = [group_value(tuple(by_email[m] for m in p.members), policy)
              for p in result.pairings if p.format == "pair"]
    assert None not in values
    assert (sum(v[0] for v in values if v), sum(v[1] for v in values if v)) == \
        best_grouping(people, policy) == (6, 2)
