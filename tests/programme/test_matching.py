"""Matching on hand-made rosters: who gets whom, and why (in the participants' language)."""

from __future__ import annotations

from datetime import time
from typing import Any

from agent.core.model import Pairing, Participant
from agent.programme.matching import MatchResult, Policy, Unmatched, match
from agent.programme.matching.rules import pair_of
from agent.programme.settings import Hours

CYCLE = "2026-09-01"


def person(email: str, *roles: Any, **kw: Any) -> Participant:
    return Participant(email=email, name=kw.pop("name", email.split("@")[0].title()),
                       roles=frozenset(roles), **kw)


def run(people: list[Participant], formats: tuple[str, ...] = ("mentoring", "pair"),
        existing: tuple[Pairing, ...] = (), default_max: int = 2, lang: str = "en",
        **policy: Any) -> MatchResult:
    return match(people, cycle=CYCLE, formats=formats,
                 policy=Policy(default_max_mentees=default_max, **policy),
                 existing=existing, lang=lang)


def test_mentee_gets_a_mentor_teaching_their_skill() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel", "Comptabilité"), language="en")
    carol = person("carol@x.fr", "mentor", teaches=("Python",), language="en")
    bob = person("bob@x.fr", "mentee", learns=("comptabilite",), name="Bob", language="en")
    result = run([alice, carol, bob])
    assert result.unmatched == ()
    (pairing,) = result.pairings
    assert pairing.members == ("alice@x.fr", "bob@x.fr")
    assert pairing.format == "mentoring"
    assert pairing.skills == ("Comptabilité",)
    assert pairing.id == Pairing.make_id("mentoring", CYCLE, pairing.members)
    assert pairing.reason == "Alice teaches Comptabilité, which Bob wants to learn"


def test_reason_is_in_the_participants_language() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel",), learns=("Python",))
    bob = person("bob@x.fr", "mentee", learns=("Excel",), teaches=("Python",), name="Bob")
    (pairing,) = run([alice, bob]).pairings
    assert pairing.reason == ("Alice enseigne Excel, que Bob souhaite apprendre ; en retour, "
                              "Bob peut lui faire découvrir Python")


def test_capacity_is_respected_and_reported_in_the_admins_language() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel",), max_mentees=1)
    mentees = [person(f"m{i}@x.fr", "mentee", learns=("Excel",)) for i in range(3)]
    result = run([alice, *mentees], lang="fr")
    assert len(result.pairings) == 1
    assert [u.reason for u in result.unmatched] == [
        "aucun mentor disponible pour Excel (tous au complet)"] * 2
    english = run([alice, *mentees])
    assert [u.reason for u in english.unmatched] == ["no mentor with capacity left for Excel"] * 2


def test_default_capacity_applies_when_the_roster_says_nothing() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel",))
    mentees = [person(f"m{i}@x.fr", "mentee", learns=("Excel",)) for i in range(5)]
    assert len(run([alice, *mentees], default_max=3).pairings) == 3


def test_internal_mentor_preferred_over_external_unless_externals_are_equal() -> None:
    ext = person("aaa@consult.fr", "mentor", teaches=("SQL", "Python"), external=True)
    internal = person("zed@x.fr", "mentor", teaches=("SQL",))
    bob = person("bob@x.fr", "mentee", learns=("SQL", "Python"))
    assert run([ext, internal, bob]).pairings[0].host == "zed@x.fr"
    # On equal terms the external expert, who teaches both skills, is the better match.
    assert run([ext, internal, bob], externals="equal").pairings[0].host == "aaa@consult.fr"


def test_external_is_used_when_it_is_the_only_option() -> None:
    ext = person("aaa@consult.fr", "mentor", teaches=("SQL",), external=True)
    bob = person("bob@x.fr", "mentee", learns=("SQL",))
    assert [p.members for p in run([ext, bob]).pairings] == [("aaa@consult.fr", "bob@x.fr")]


def test_exact_assignment_beats_greedy() -> None:
    # Greedy on "fewest options first" gives a@ the rare mentor and leaves b@ out; the flow
    # finds the assignment where both get one.
    rare = person("rare@x.fr", "mentor", teaches=("SQL", "Excel"), max_mentees=1)
    common = person("common@x.fr", "mentor", teaches=("Excel",), max_mentees=1)
    a = person("a@x.fr", "mentee", learns=("SQL", "Excel"))
    b = person("b@x.fr", "mentee", learns=("SQL",))
    hosts = {p.members[1]: p.host for p in run([rare, common, a, b]).pairings}
    assert hosts == {"a@x.fr": "common@x.fr", "b@x.fr": "rare@x.fr"}


def test_load_spreads_evenly() -> None:
    one = person("one@x.fr", "mentor", teaches=("SQL",), max_mentees=3)
    two = person("two@x.fr", "mentor", teaches=("SQL",), max_mentees=3)
    mentees = [person(f"m{i}@x.fr", "mentee", learns=("SQL",)) for i in range(4)]
    loads = sorted(sum(p.host == m.email for p in run([one, two, *mentees]).pairings)
                   for m in (one, two))
    assert loads == [2, 2]


def test_strategic_skill_wins_the_last_place() -> None:
    mentor = person("m@x.fr", "mentor", teaches=("Excel", "Anglais"), max_mentees=1)
    excel = person("a@x.fr", "mentee", learns=("Excel",))
    english = person("b@x.fr", "mentee", learns=("Anglais",))
    plain = run([mentor, excel, english])
    strategic = run([mentor, excel, english], strategic=frozenset({"anglais"}))
    assert [p.members[1] for p in strategic.pairings] == ["b@x.fr"]
    assert "strategic" not in plain.pairings[0].reason
    assert strategic.pairings[0].reason.endswith("(compétence stratégique pour l'entreprise)")


def test_a_mentor_must_know_the_skill_better() -> None:
    junior = person("j@x.fr", "mentor", teaches=("SQL",), teach_levels=(("sql", 2),))
    senior = person("s@x.fr", "mentor", teaches=("SQL",), teach_levels=(("sql", 5),))
    bob = person("bob@x.fr", "mentee", learns=("SQL",), learn_levels=(("sql", 3),))
    assert run([junior, bob]).pairings == ()
    assert run([junior, senior, bob]).pairings[0].host == "s@x.fr"


def test_better_rated_mentor_is_preferred() -> None:
    a = person("a@x.fr", "mentor", teaches=("SQL",))
    b = person("b@x.fr", "mentor", teaches=("SQL",))
    bob = person("bob@x.fr", "mentee", learns=("SQL",))
    assert run([a, b, bob], ratings={"a@x.fr": 2.5, "b@x.fr": 4.8}).pairings[0].host == "b@x.fr"
    assert run([a, b, bob], ratings={"a@x.fr": 4.8, "b@x.fr": 2.5}).pairings[0].host == "a@x.fr"


def test_withdrawn_mentor_is_not_pushed_back_in() -> None:
    a = person("a@x.fr", "mentor", teaches=("SQL",))
    bob = person("bob@x.fr", "mentee", learns=("SQL",))
    result = run([a, bob], withdrawn=frozenset({"a@x.fr"}))
    assert result.pairings == ()
    # The admin is told why: someone teaches SQL, but stopped mentoring. The skill is still
    # named as one nobody in the programme can teach.
    assert result.unmatched == (Unmatched(
        "bob@x.fr", "mentoring", "no eligible mentor for SQL (stopped mentoring before)",
        ("SQL",)),)
    en = person("en@x.fr", "mentor", teaches=("SQL",), language="en")
    french = run([a, en, bob], withdrawn=frozenset({"a@x.fr"}), lang="fr")
    assert [u.reason for u in french.unmatched] == [
        "aucun mentor possible pour SQL (pas de langue commune, a déjà arrêté de mentorer)"]


def test_a_pair_kept_apart_after_a_decline_says_so() -> None:
    """A pair kept apart because one declined their series is not "forbidden by the
    settings": the admin would look for a setting that is not there."""
    a = person("a@x.fr", "mentor", teaches=("SQL",))
    bob = person("bob@x.fr", "mentee", learns=("SQL",))
    pair = frozenset({pair_of("a@x.fr", "bob@x.fr")})
    declined = run([a, bob], forbidden=pair, declined=pair)
    assert [u.reason for u in declined.unmatched] == [
        "no eligible mentor for SQL (one of the two declined their sessions together)"]
    assert [u.reason for u in run([a, bob], forbidden=pair, declined=pair, lang="fr").unmatched
            ] == ["aucun mentor possible pour SQL (l'un des deux a décliné leurs séances)"]
    assert [u.reason for u in run([a, bob], forbidden=pair).unmatched] == [
        "no eligible mentor for SQL (pair forbidden by the settings)"]


def test_never_own_manager_and_same_language() -> None:
    boss = person("boss@x.fr", "mentor", teaches=("SQL",))
    en = person("en@x.fr", "mentor", teaches=("SQL",), language="en")
    bob = person("bob@x.fr", "mentee", learns=("SQL",), manager_email="boss@x.fr")
    result = run([boss, en, bob])
    assert result.pairings == ()
    assert result.unmatched == (Unmatched(
        "bob@x.fr", "mentoring",
        "no eligible mentor for SQL (no shared language, same reporting line)"),)


def test_working_hours_must_overlap_by_a_session() -> None:
    hours = Hours(start=time(9), end=time(17), lunch_start=time(12), lunch_end=time(13))
    tokyo = person("t@x.fr", "mentor", teaches=("SQL",), timezone="Asia/Tokyo")
    montreal = person("m@x.fr", "mentee", learns=("SQL",), timezone="America/Montreal")
    kolkata = person("k@x.fr", "mentee", learns=("SQL",), timezone="Asia/Kolkata")
    result = run([tokyo, montreal, kolkata], hours=hours)
    assert [p.members for p in result.pairings] == [("t@x.fr", "k@x.fr")]
    assert result.unmatched[0].reason == (
        "no eligible mentor for SQL (working hours do not overlap enough)")


def test_rotation_pins_and_forbids() -> None:
    a = person("a@x.fr", "mentor", teaches=("SQL",), max_mentees=1)
    b = person("b@x.fr", "mentor", teaches=("SQL",), max_mentees=1)
    bob = person("bob@x.fr", "mentee", learns=("SQL",))
    first = run([a, b, bob]).pairings[0].host
    other = ({"a@x.fr", "b@x.fr"} - {first}).pop()
    assert run([a, b, bob], recent=frozenset({pair_of(first, "bob@x.fr")})
               ).pairings[0].host == other
    assert run([a, b, bob], forbidden=frozenset({pair_of(first, "bob@x.fr")})
               ).pairings[0].host == other
    assert run([a, b, bob], recent=frozenset({pair_of(first, "bob@x.fr"),
                                              pair_of(other, "bob@x.fr")})).pairings == ()
    # A pin wins even over the rotation rule, and is said in the reason.
    pinned = run([a, b, bob], pinned=(("bob@x.fr", first),),
                 recent=frozenset({pair_of(first, "bob@x.fr")}))
    assert pinned.pairings[0].host == first
    assert "demandé par l'organisateur" in pinned.pairings[0].reason


def test_existing_pairings_are_kept_and_count_against_capacity() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel",), max_mentees=1)
    bob = person("bob@x.fr", "mentee", learns=("Excel",))
    zoe = person("zoe@x.fr", "mentee", learns=("Excel",))
    kept = Pairing(Pairing.make_id("mentoring", CYCLE, ("alice@x.fr", "zoe@x.fr")), "mentoring",
                   CYCLE, ("alice@x.fr", "zoe@x.fr"), ("Excel",), "booked earlier")
    result = run([alice, bob, zoe], existing=(kept,))
    assert result.pairings == (kept,)
    assert result.unmatched == (
        Unmatched("bob@x.fr", "mentoring", "no mentor with capacity left for Excel"),)


def test_existing_pairing_with_a_departed_member_is_dropped() -> None:
    alice = person("alice@x.fr", "mentor", teaches=("Excel",), max_mentees=1)
    bob = person("bob@x.fr", "mentee", learns=("Excel",))
    gone = Pairing("m-old", "mentoring", CYCLE, ("alice@x.fr", "gone@x.fr"), ("Excel",))
    result = run([alice, bob], existing=(gone,))
    assert [p.members for p in result.pairings] == [("alice@x.fr", "bob@x.fr")]


def test_mutual_pairs_before_one_sided_and_the_odd_one_joins_as_a_trio() -> None:
    designer = person("d@x.fr", "peer", teaches=("Design",), learns=("Marketing",))
    marketer = person("m@x.fr", "peer", teaches=("Marketing",), learns=("Design",))
    learner = person("l@x.fr", "peer", learns=("Design",), name="Lou")
    result = run([learner, designer, marketer])
    (trio,) = result.pairings
    assert set(trio.members[:2]) == {"d@x.fr", "m@x.fr"} and trio.members[2] == "l@x.fr"
    assert set(trio.skills) == {"Design", "Marketing"}
    assert trio.reason == ("D apprend Marketing auprès de M ; M apprend Design auprès de D ; "
                           "Lou apprend Design auprès de D")
    assert result.unmatched == ()


def test_one_sided_pair_is_hosted_by_the_teacher() -> None:
    teacher = person("z@x.fr", "peer", teaches=("Figma",), language="en", name="Zoé")
    learner = person("a@x.fr", "peer", learns=("figma",), language="en", name="Ali")
    (pair,) = run([learner, teacher]).pairings
    assert pair.members == ("z@x.fr", "a@x.fr")
    assert pair.skills == ("Figma",)
    assert pair.reason == "Ali learns Figma from Zoé; Zoé comes to teach"


def test_maximum_mutual_matching_not_greedy() -> None:
    # a-b is the "best" single mutual edge (two skills each way), but taking it leaves c and d
    # without partners; the optimum is a-c and b-d.
    a = person("a@x.fr", "peer", teaches=("X", "Y"), learns=("P", "Q", "R"))
    b = person("b@x.fr", "peer", teaches=("P", "Q"), learns=("X", "Y", "S"))
    c = person("c@x.fr", "peer", teaches=("R",), learns=("X",))
    d = person("d@x.fr", "peer", teaches=("S",), learns=("P",))
    result = run([a, b, c, d], formats=("pair",))
    assert sorted(tuple(sorted(p.members)) for p in result.pairings) == [
        ("a@x.fr", "c@x.fr"), ("b@x.fr", "d@x.fr")]


def test_unmatched_reasons() -> None:
    result = run([
        person("bob@x.fr", "mentee", learns=("SQL", "Excel")),
        person("lone@x.fr", "peer", teaches=("Vente",), learns=("Droit",)),
    ])
    assert set(result.unmatched) == {
        Unmatched("bob@x.fr", "mentoring", "no mentor teaches SQL or Excel", ("SQL", "Excel")),
        Unmatched("lone@x.fr", "pair", "no peer teaches Droit", ("Droit",)),
    }


def test_a_workshop_seats_first_those_no_one_to_one_serves() -> None:
    host = person("host@x.fr", "mentor", teaches=("Excel",), max_mentees=1, name="Hélène")
    learners = [person(f"l{i}@x.fr", "mentee", learns=("Excel",), name=f"L{i}")
                for i in range(5)]
    boss = person("boss@x.fr", "mentee", learns=("Excel",), name="Boss")
    report = person("r@x.fr", "mentee", learns=("Excel",), manager_email="boss@x.fr")
    result = run([host, *learners, boss, report], formats=("mentoring", "workshop"),
                 workshop_max=5)
    mentoring = [p for p in result.pairings if p.format == "mentoring"]
    (workshop,) = [p for p in result.pairings if p.format == "workshop"]
    assert len(mentoring) == 1
    assert workshop.host == "host@x.fr" and workshop.skills == ("Excel",)
    members = set(workshop.members[1:])
    assert len(members) == 5 and not members & set(mentoring[0].members)
    assert not {"boss@x.fr", "r@x.fr"} <= members  # never a manager with their report
    assert workshop.reason.startswith("Hélène anime un atelier Excel pour 5 personnes")
    # A seat is no mentor: those without one still wait for one.
    assert {u.email for u in result.unmatched} == ({p.email for p in [*learners, boss, report]}
                                                   - set(mentoring[0].members))


def test_a_workshop_is_open_to_those_who_also_have_a_mentor() -> None:
    host = person("host@x.fr", "mentor", teaches=("Excel",), max_mentees=2)
    learners = [person(f"l{i}@x.fr", "mentee", learns=("Excel",)) for i in range(3)]
    result = run([host, *learners], formats=("mentoring", "workshop"))
    mentored = {m for p in result.pairings if p.format == "mentoring" for m in p.members[1:]}
    (workshop,) = [p for p in result.pairings if p.format == "workshop"]
    assert len(mentored) == 2
    assert set(workshop.members[1:]) == {p.email for p in learners}
    # The one without a mentor got their seat first.
    assert workshop.members[1] not in mentored


def test_no_workshop_below_the_minimum() -> None:
    host = person("host@x.fr", "mentor", teaches=("Excel",), max_mentees=1)
    learners = [person(f"l{i}@x.fr", "mentee", learns=("Excel",)) for i in range(2)]
    result = run([host, *learners], formats=("mentoring", "workshop"))
    assert [p.format for p in result.pairings] == ["mentoring"]  # two who want it: below 3
    assert len(result.unmatched) == 1


def test_a_teaching_cycle_makes_a_trio_where_all_three_learn_and_each_is_named() -> None:
    # Nobody teaches anybody back: only a cycle lets all three learn.
    ana = person("ana@x.fr", "peer", teaches=("Design",), learns=("SQL",), name="Ana")
    bea = person("bea@x.fr", "peer", teaches=("SQL",), learns=("Vente",), name="Béa")
    cyd = person("cyd@x.fr", "peer", teaches=("Vente",), learns=("Design",), name="Cyd")
    result = run([ana, bea, cyd], formats=("pair",))
    (trio,) = result.pairings
    assert set(trio.members) == {"ana@x.fr", "bea@x.fr", "cyd@x.fr"}
    assert result.peers is not None and result.peers.learners == 3 == result.peers.bound
    for clause in ("Ana apprend SQL auprès de Béa", "Béa apprend Vente auprès de Cyd",
                   "Cyd apprend Design auprès d'Ana"):
        assert clause in trio.reason
    assert result.unmatched == ()


def test_one_teacher_for_two_learners_is_a_trio_and_every_learner_is_named() -> None:
    lea = person("lea@x.fr", "peer", teaches=("Management",), learns=("Python",), name="Léa",
                 language="en")
    chloe = person("chloe@x.fr", "peer", learns=("Management",), name="Chloé", language="en")
    ines = person("ines@x.fr", "peer", learns=("Management",), name="Inès", language="en")
    (trio,) = run([lea, chloe, ines], formats=("pair",)).pairings
    assert trio.host == "lea@x.fr"
    assert trio.reason == ("Chloé learns Management from Léa; Inès learns Management from Léa; "
                           "Léa comes to teach (no peer teaches Python yet)")


def test_a_peer_nobody_teaches_joins_as_a_teacher_and_the_reason_says_so() -> None:
    ana = person("ana@x.fr", "peer", teaches=("Design",), learns=("SQL",), name="Ana",
                 language="en")
    bea = person("bea@x.fr", "peer", teaches=("SQL",), learns=("Design",), name="Béa",
                 language="en")
    # Cyd wants Python, which nobody teaches, and can teach Ana something she wants.
    cyd = person("cyd@x.fr", "peer", teaches=("SQL",), learns=("Python",), name="Cyd",
                 language="en")
    (trio,) = run([ana, bea, cyd], formats=("pair",)).pairings
    assert set(trio.members) == {"ana@x.fr", "bea@x.fr", "cyd@x.fr"}
    assert "Cyd comes to teach (no peer teaches Python yet)" in trio.reason
    assert "Ana learns SQL from Béa and SQL from Cyd" in trio.reason


def test_a_peer_nobody_can_teach_and_who_teaches_nobody_waits_with_the_skills_named() -> None:
    ana = person("ana@x.fr", "peer", teaches=("Design",), learns=("SQL",))
    bea = person("bea@x.fr", "peer", teaches=("SQL",), learns=("Design",))
    cyd = person("cyd@x.fr", "peer", teaches=("Droit",), learns=("Python", "Chinois"))
    result = run([ana, bea, cyd], formats=("pair",))
    assert result.unmatched == (
        Unmatched("cyd@x.fr", "pair", "no peer teaches Python or Chinois",
                  ("Python", "Chinois")),)
