"""Declining a whole series pauses the pairing and tells the admin; accepting again resumes it."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
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


def test_declining_the_whole_series_pauses_it_and_tells_the_admin_once(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("claire@ex.fr"), run.series("claire@ex.fr")
    first, second, third = series.occurrences()[:3]
    answer(run, "claire@ex.fr", "declined")
    run.until(first + series.duration + 3 * HOUR)

    assert run.stored("paused")[pairing.id]["by"] == "claire@ex.fr"
    from agent.cli.status import status_report

    shown = status_report(run.settings)
    assert "pairings paused (a whole series declined): 1" in shown
    assert f"  {pairing.id}: declined by claire@ex.fr" in shown
    [notice] = sent_mail(run.local, f"notice/declined/{pairing.id}/")
    assert notice.to == ADMIN and notice.language == "fr"
    assert "STOP" not in notice.text.split("--")[-1]  # the admin is not told how to leave
    assert "Claire Martin <claire@ex.fr> a refusé toutes les séances à venir avec Nadia Benali" \
        in notice.text
    assert sent_mail(run.local, f"mail/objectives/{pairing.id}/") == []
    assert sent_mail(run.local, f"mail/questionnaire/{pairing.id}/") == []
    # The other pairing goes on as usual.
    other = run.pairing("emma@ex.fr")
    assert sent_mail(run.local, f"mail/objectives/{other.id}/")

    answer(run, "claire@ex.fr", "accepted")  # she changes her mind
    run.until(third - timedelta(hours=12))
    assert pairing.id not in run.stored("paused")
    sent = sent_mail(run.local, f"mail/objectives/{pairing.id}/")
    assert sorted((m.key.split("/")[3], m.to) for m in sent) == sorted(
        (occ.isoformat(), who) for occ in (second, third)
        for who in ("claire@ex.fr", "nadia@ex.fr"))
    assert len(sent_mail(run.local, f"notice/declined/{pairing.id}/")) == 1


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
