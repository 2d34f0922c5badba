"""Declining a whole series pauses the pairing and tells the admin; accepting again resumes it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from company import COLUMNS
from fakes.local_client import LocalClient
from harness import HOUR, Run, sent_mail, starts

from agent.core.docs import iso

if TYPE_CHECKING:
    from company import Programme

ADMIN = "rh@atelier-lumiere.fr"


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def answer(run: Run, email: str, status: str) -> None:
    """`email` answers the whole series in their own calendar, as their client would."""
    key = f"series/{run.pairing(email).id}"
    LocalClient().answer(run.agent.calendar, key, email, None, status)


def test_declining_the_whole_series_ends_it_and_the_other_is_matched_again_without_them(
    run: Run,
) -> None:
    # Lucie also teaches negotiation and has room: Nadia has somewhere to go.
    lucie = {"email": "lucie@ex.fr", "name": "Lucie Roy", "role": "mentor",
             "teaches": "Négociation", "team": "Achats", "timezone": "Europe/Paris",
             "language": "fr", "max_mentees": "1", "external": "no"}
    roster = run.programme.roster
    roster.write_text(roster.read_text(encoding="utf-8")
                      + ";".join(lucie.get(c, "") for c in COLUMNS) + "\n", encoding="utf-8")
    run.tick()
    pairing, series = run.pairing("claire@ex.fr"), run.series("claire@ex.fr")
    first = series.occurrences()[0]
    answer(run, "claire@ex.fr", "declined")
    run.until(first - timedelta(days=2))

    record = run.agent.ledger.pairings.get(pairing.id)
    assert record is not None and record.status == "ended"
    assert record.ended_reason == "claire@ex.fr declined the whole series"
    assert run.stored("paused") == {}  # not paused, waiting for nobody: ended
    # Nobody is asked to act: no notice to the admin; Claire's calendar shows nothing left.
    assert sent_mail(run.local, f"notice/declined/{pairing.id}/") == []
    assert starts(run.local, "nadia@ex.fr", f"series/{pairing.id}") == []
    # The next matching pass gives Nadia another mentor, never Claire again.
    [again] = [p for p in run.agent.ledger.pairings.active() if "nadia@ex.fr" in p.members]
    assert again.host == "lucie@ex.fr"
    assert sent_mail(run.local, f"mail/intro/{again.id}/nadia@ex.fr")
    from agent.cli.status import status_report

    assert "pairings paused (a whole series declined): 0" in status_report(run.settings)
    # The admin reads it in the month's digest: nothing for them to do.
    run.until(datetime(2026, 10, 1, 16, tzinfo=ZoneInfo("Europe/Paris")), step=6 * HOUR)
    [digest] = sent_mail(run.local, "digest/admin/2026-09")
    assert ("- Claire Martin a décliné la série (mentorat) : Nadia Benali a un nouveau binôme"
            in digest.text)
    # The other pairing goes on as usual.
    other = run.pairing("emma@ex.fr")
    assert run.agent.ledger.pairings.get(other.id).status == "active"


def test_declining_one_occurrence_does_not_pause(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    first = series.occurrences()[0]
    LocalClient().answer(
        run.agent.calendar, f"series/{pairing.id}", "nadia@ex.fr", first, "declined")
    run.until(first + series.duration + 3 * HOUR)
    assert run.stored("paused") == {}
    assert sent_mail(run.local, f"notice/declined/{pairing.id}/") == []


def test_a_declined_occurrence_moves_to_a_free_time_that_week(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    first, second = series.occurrences()[:2]
    LocalClient().answer(run.agent.calendar, key, "nadia@ex.fr", first, "declined")
    run.until(first - timedelta(days=1, hours=1))

    moved = run.series("nadia@ex.fr")
    [(original, new)] = moved.moved
    assert original == first and new != first
    paris = ZoneInfo("Europe/Paris")
    week = lambda t: t.astimezone(paris).isocalendar()[:2]  # noqa: E731
    assert week(new) == week(first)
    assert time(9) <= new.astimezone(paris).time() and (
        (new + series.duration).astimezone(paris).time() <= time(18))
    # Both calendars show the moved occurrence (an override), expanded as a client would.
    for email in ("claire@ex.fr", "nadia@ex.fr"):
        assert starts(run.local, email, key)[:2] == sorted([new, second])[:2]
    # The old "no" does not count for the new time: everybody is asked again.
    assert run.agent.ledger.responses.status(key, first, "nadia@ex.fr") is None

    run.until(new + series.duration + 2 * HOUR)
    sent = sent_mail(run.local, f"mail/objectives/{pairing.id}/{iso(first)}")
    assert sorted(m.to for m in sent) == ["claire@ex.fr", "nadia@ex.fr"]
    assert all(new - timedelta(hours=25) <= m.date <= new for m in sent)
    asked = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/{iso(first)}")
    assert sorted(m.to for m in asked) == ["claire@ex.fr", "nadia@ex.fr"]


def test_declined_again_after_the_move_counts_as_not_held(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    first = series.occurrences()[0]
    client = LocalClient()
    client.answer(run.agent.calendar, key, "nadia@ex.fr", first, "declined")
    run.until(first - timedelta(days=1, hours=1))
    [(_, new)] = run.series("nadia@ex.fr").moved
    client.answer(run.agent.calendar, key, "nadia@ex.fr", first, "declined")
    run.until(new + series.duration + 3 * HOUR)
    assert len(run.series("nadia@ex.fr").moved) == 1  # moved once, not again
    assert sent_mail(run.local, f"mail/questionnaire/{pairing.id}/{iso(first)}") == []


def test_no_free_time_that_week_skips_it_in_every_calendar(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    first = series.occurrences()[0]
    client = LocalClient()
    paris = ZoneInfo("Europe/Paris")
    monday = first.astimezone(paris).date() - timedelta(days=first.astimezone(paris).weekday())
    client.own_event(run.agent.calendar, "claire@ex.fr", monday, monday + timedelta(days=7))
    client.answer(run.agent.calendar, key, "nadia@ex.fr", first, "declined")
    report = run.until(first + series.duration + 3 * HOUR)
    [move] = [o for o in report if o.kind == "move"]
    assert move.ok
    assert run.series("nadia@ex.fr").moved == ()
    assert first in run.series("nadia@ex.fr").cancelled  # skipped, and every calendar shows it
    for email in ("claire@ex.fr", "nadia@ex.fr"):
        assert first not in starts(run.local, email, key)
    assert sent_mail(run.local, f"mail/questionnaire/{pairing.id}/{iso(first)}") == []
