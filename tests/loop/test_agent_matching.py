"""Matching inside the running agent: waiting list, re-matching, rotation across cycles.

Same set-up as test_agent (a real settings file and roster, the local backend,
a SimClock): Claire mentors Nadia (French), Oliver mentors Emma (English).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from company import COLUMNS
from harness import HOUR, T0, Run, sent_mail

from agent.core.model import Interval

if TYPE_CHECKING:
    from company import Programme

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def add_people(programme: Programme, *rows: dict[str, str]) -> None:
    """Append people to the roster as it is now."""
    lines = [";".join(row.get(c, "") for c in COLUMNS) for row in rows]
    text = programme.roster.read_text(encoding="utf-8")
    programme.roster.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def lucie(max_mentees: str = "1") -> dict[str, str]:
    return dict(email="lucie@ex.fr", name="Lucie Roy", role="mentor", teaches="Négociation",
                team="Achats", timezone="Europe/Paris", language="fr", max_mentees=max_mentees,
                external="no")


def sellers(count: int) -> list[dict[str, str]]:
    """French sellers who all want to learn negotiation (more than one mentor can take)."""
    return [dict(email=f"vendeur{i}@ex.fr", name=f"Vendeur {i}", role="mentee",
                 learns="Négociation", team="Ventes", manager_email="hugo@ex.fr",
                 timezone="Europe/Paris", language="fr", external="no") for i in range(count)]


def members(run: Run, status: str | None = "active") -> set[tuple[str, ...]]:
    return {p.members for p in run.agent.ledger.pairings.with_status(status)}


def test_someone_nobody_can_mentor_is_told_once_then_matched_when_a_mentor_joins(
    run: Run,
) -> None:
    run.programme.write_roster(change={"emma@ex.fr": {"learns": "Python"}})
    run.tick()
    assert members(run) == {("claire@ex.fr", "nadia@ex.fr")}
    [notice] = sent_mail(run.local, "notice/waitlist/", to="emma@ex.fr")
    assert notice.language == "en"
    assert "waiting list" in notice.subject
    assert "nothing you need to do" in notice.text
    assert "To pause, reply PAUSE; to stop, reply STOP." in notice.text  # as in every mail
    assert "reply STOP" in notice.html
    assert run.stored("waitlist") == {"emma@ex.fr": {
        "cycle": "2026-09-01", "formats": ["mentoring"],
        "reasons": {"mentoring": "aucun mentor n'enseigne Python"}, "missing": ["Python"]}}
    run.until(T0 + 6 * HOUR)
    assert len(sent_mail(run.local, "notice/waitlist/")) == 1  # told once, not every tick
    from agent.cli.status import status_report

    shown = status_report(run.settings)
    assert "waiting list: 1" in shown
    assert "  emma@ex.fr: mentoring (nobody teaches Python)" in shown

    # Oliver (English, not her manager) now teaches Python too: she is matched at the next tick.
    run.programme.write_roster(change={"emma@ex.fr": {"learns": "Python"},
                                       "oliver@ex.fr": {"teaches": "SQL, Python"}})
    report = run.tick(T0 + 7 * HOUR)
    assert report.new_pairings == 1
    assert ("oliver@ex.fr", "emma@ex.fr") in members(run)
    assert "Oliver Smith teaches Python, which Emma Wilson wants to learn" in (
        run.pairing("emma@ex.fr").reason)
    assert run.stored("waitlist") == {}


def test_when_a_mentor_leaves_their_mentee_is_matched_again(run: Run) -> None:
    run.tick()
    add_people(run.programme, lucie())  # joins with room, while Nadia is taken
    assert run.tick(T0 + HOUR).new_pairings == 0
    first = run.pairing("nadia@ex.fr")

    text = run.programme.roster.read_text(encoding="utf-8")
    run.programme.roster.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("claire@")) + "\n",
        encoding="utf-8")
    report = run.tick(T0 + 2 * HOUR)
    assert report.new_pairings == 1
    assert run.agent.ledger.pairings.get(first.id).status == "ended"
    assert ("lucie@ex.fr", "nadia@ex.fr") in members(run)
    assert any(o.kind == "book" and o.ok for o in report.outcomes)


def test_the_next_cycle_keeps_a_mentoring_pair_nobody_asked_to_change(
    make_programme: Any,
) -> None:
    # Rotation applies only to people who asked for a change (tests/loop/test_renewal.py);
    # without an answer, a mentoring pairing goes on into the next cycle.
    run = Run(make_programme(edits={"cycle_months = 3": "cycle_months = 1"}))
    add_people(run.programme, lucie(max_mentees="2"))
    run.tick()
    first = {p.id for p in run.agent.ledger.pairings.active()}
    run.tick(datetime(2026, 10, 1, 7, 0, tzinfo=PARIS))
    ledger = run.agent.ledger
    assert {p.id for p in ledger.pairings.active()} == first  # the same pairings, renewed
    assert all(ledger.progress.renewed(p) == ("2026-10-01",) for p in first)
    assert run.stored("waitlist") == {}


def test_match_and_skills_commands_show_the_proposal_and_change_nothing(
    run: Run, capsys: Any
) -> None:
    import json

    from agent.cli.main import main

    run.programme.write_roster(change={"emma@ex.fr": {"learns": "Python"}})
    state = run.programme.state
    before = sorted(p.name for p in state.iterdir()) if state.exists() else []
    assert main(["match", "--config", str(run.programme.config), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["pairings"] == [{
        "format": "mentoring", "members": ["claire@ex.fr", "nadia@ex.fr"],
        "mentor": "claire@ex.fr", "skills": ["Négociation"],
        "why": "Claire Martin enseigne Négociation, que Nadia Benali souhaite apprendre"}]
    # For the admin, in the organisation's language (French here).
    assert shown["unmatched"] == [{"email": "emma@ex.fr", "format": "mentoring",
                                   "reason": "aucun mentor n'enseigne Python",
                                   "missing": ["Python"]}]
    assert shown["learning_groups"] is None  # no learning pairs in this programme
    assert main(["skills", "--config", str(run.programme.config), "--json"]) == 0
    skills = {s["skill"]: s for s in json.loads(capsys.readouterr().out)}
    assert skills["Python"]["gap"] is True and skills["Python"]["wanted_by"] == ["emma@ex.fr"]
    assert skills["Négociation"]["taught_by"] == ["claire@ex.fr"]
    after = sorted(p.name for p in state.iterdir()) if state.exists() else []
    assert [n for n in after if n.endswith(".json")] == [
        n for n in before if n.endswith(".json")]


def test_a_workshop_is_booked_for_its_whole_group_and_each_member_gets_the_mails(
    make_programme: Any,
) -> None:
    run = Run(make_programme(edits={'formats = ["mentoring"]':
                                    'formats = ["mentoring", "workshop"]'}))
    add_people(run.programme, *sellers(4))
    run.tick()
    [workshop] = [p for p in run.agent.ledger.pairings.active() if p.format == "workshop"]
    assert workshop.host == "claire@ex.fr" and workshop.skills == ("Négociation",)
    # Claire mentors two (Nadia and one seller); the workshop is open to everyone who
    # wants Négociation, mentored or not: Nadia and the four sellers.
    mentored = {m for p in run.agent.ledger.pairings.active() if p.format == "mentoring"
                and p.host == "claire@ex.fr" for m in p.members[1:]}
    assert len(workshop.members) == 1 + 5 and mentored < set(workshop.members)
    assert workshop.reason.startswith("Claire Martin anime un atelier Négociation pour 5")
    series = run.series(workshop.members[1])
    assert set(series.attendees) == set(workshop.members)
    assert series.duration.total_seconds() == 90 * 60  # the workshop format's length
    first = series.occurrences()[0]
    # Claire (host and mentor) may already have had her mail of the day: at most one a
    # day, so her objectives can come the next morning (agent.conversation.pacing).
    run.until(first + series.duration + 26 * HOUR)
    # The host prepares (objectives: the curriculum step and the attendees' goals); the
    # attendees say how it went (questionnaire).
    assert len(sent_mail(run.local, f"mail/objectives/{workshop.id}/", to="claire@ex.fr")) == 1
    assert not sent_mail(run.local, f"mail/questionnaire/{workshop.id}/", to="claire@ex.fr")
    for email in workshop.members[1:]:
        assert not sent_mail(run.local, f"mail/objectives/{workshop.id}/", to=email)
        assert len(sent_mail(run.local, f"mail/questionnaire/{workshop.id}/", to=email)) == 1


def test_a_cycle_ends_with_its_series_and_the_next_one_starts_fresh(
    make_programme: Any,
) -> None:
    from datetime import timedelta

    from harness import reply_to, starts

    run = Run(make_programme(edits={"cycle_months = 3": "cycle_months = 1"}))
    add_people(run.programme, lucie(max_mentees="2"))
    run.tick()
    old = run.pairing("nadia@ex.fr")
    series = run.series("nadia@ex.fr")
    next_cycle = datetime(2026, 10, 1, tzinfo=PARIS)
    assert series.until <= next_cycle  # UNTIL: the series stops with its cycle
    assert all(o < next_cycle for o in series.occurrences())
    before = starts(run.local, "nadia@ex.fr", series.key)

    # Asked whether it goes on, Nadia wants a change (agent.programme.renewal).
    run.until(datetime(2026, 9, 18, 8, tzinfo=PARIS), step=timedelta(hours=12))
    [renewal] = sent_mail(run.local, "mail/renewal/", to="nadia@ex.fr")
    run.deliver("change", reply_to(renewal, "nadia@ex.fr", "Renouvellement : changer",
                                   "<change@ex.fr>", run.clock.now()))
    run.until(datetime(2026, 10, 12, 8, tzinfo=PARIS), step=timedelta(hours=12))
    assert run.agent.ledger.pairings.get(old.id).status == "completed"
    assert starts(run.local, "nadia@ex.fr", series.key) == before  # the past is never touched
    [new] = [p for p in run.agent.ledger.pairings.active() if "nadia@ex.fr" in p.members]
    assert new.cycle == "2026-10-01" and new.id != old.id
    fresh = run.agent.ledger.series.get(new.id)
    assert fresh is not None and fresh.start >= next_cycle


def test_workshops_meet_on_the_learning_days_only(make_programme: Any) -> None:
    from datetime import date, timedelta

    import recurring_ical_events
    from harness import calendar

    run = Run(make_programme(edits={
        'formats = ["mentoring"]': 'formats = ["mentoring", "workshop"]',
        "learning_days = []": "learning_days = [2026-09-16, 2026-10-08, 2026-12-03]",
    }))
    add_people(run.programme, *sellers(4))
    run.tick()
    [workshop] = [p for p in run.agent.ledger.pairings.active() if p.format == "workshop"]
    series = run.agent.ledger.series.get(workshop.id)
    assert series is not None
    # A Wednesday and a Thursday in the cycle (December is the next cycle): two sessions.
    days = [start.astimezone(PARIS).date() for _, start in series.sessions(
        Interval(series.start - timedelta(days=7), series.until + timedelta(days=7)))]
    assert days == [date(2026, 9, 16), date(2026, 10, 8)]
    times = {start.astimezone(PARIS).time() for _, start in series.sessions(
        Interval(series.start - timedelta(days=7), series.until + timedelta(days=7)))}
    assert len(times) == 1  # the same hour on each learning day
    # Every attendee's calendar shows exactly those sessions.
    for email in workshop.members:
        events = recurring_ical_events.of(calendar(run.local, email)).between(
            series.start - timedelta(days=7), series.until + timedelta(days=7))
        shown = sorted(e.decoded("DTSTART").astimezone(PARIS).date() for e in events
                       if str(e.get("X-BINOME-KEY", "")) == series.key)
        assert shown == days
    # And mails go out for those sessions only: the host's objectives before the first.
    run.until(datetime(2026, 9, 17, 8, tzinfo=PARIS), step=timedelta(hours=6))
    sent = sent_mail(run.local, f"mail/objectives/{workshop.id}/")
    assert [m.to for m in sent] == [workshop.host]
    assert all(m.key.split("/")[3].startswith("2026-09-16") for m in sent)
