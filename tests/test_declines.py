"""Declining a whole series pauses the pairing and tells the admin; accepting again resumes it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import test_local_provider as local_tests
from test_agent import HOUR, Run, sent_mail

if TYPE_CHECKING:
    from conftest import Programme

ADMIN = "rh@atelier-lumiere.fr"


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def answer(run: Run, email: str, status: str) -> None:
    """`email` answers the whole series in their own calendar, as their client would."""
    key = f"series/{run.pairing(email).id}"
    local_tests.TestLocalCalendar().answer(run.agent.calendar, key, email, None, status)


def test_declining_the_whole_series_pauses_it_and_tells_the_admin_once(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("claire@ex.fr"), run.series("claire@ex.fr")
    first, second, third = series.occurrences()[:3]
    answer(run, "claire@ex.fr", "declined")
    run.until(first + series.duration + 3 * HOUR)

    assert run.stored("paused")[pairing.id]["by"] == "claire@ex.fr"
    [notice] = sent_mail(run.local, f"notice/declined/{pairing.id}/")
    assert notice.to == ADMIN and notice.language == "fr"
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
    local_tests.TestLocalCalendar().answer(
        run.agent.calendar, f"series/{pairing.id}", "nadia@ex.fr", first, "declined")
    run.until(first + series.duration + 3 * HOUR)
    assert run.stored("paused") == {}
    assert sent_mail(run.local, f"notice/declined/{pairing.id}/") == []
