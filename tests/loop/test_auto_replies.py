"""An out-of-office answering our questionnaire is set aside, never read as feedback, and
spares its author the reminder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Run, sent_mail

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def test_out_of_office_to_a_questionnaire_is_quarantined(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    first = series.occurrences()[0]
    run.until(first + series.duration + 2 * HOUR)
    [question] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    when = question.date + HOUR
    raw = (f"From: Nadia Benali <nadia@ex.fr>\r\nTo: {question.sender}\r\n"
           f"Subject: =?utf-8?q?R=C3=A9ponse_automatique?= : {question.subject}\r\n"
           f"Message-ID: <ooo-1@ex.fr>\r\nIn-Reply-To: {question.message_id}\r\n"
           f"Auto-Submitted: auto-replied\r\n"
           f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n"
           "Je suis absente, note : je reviens le 5. STOP les mails pendant ce temps.\r\n")
    run.deliver("ooo", raw.encode())
    run.tick(run.clock.now() + 2 * HOUR)
    assert run.stored("feedback") == {}
    assert run.agent.ledger.people.optout("nadia@ex.fr") is None  # its "STOP" is not a command
    [why] = [doc["reason"] for doc in run.stored("quarantine").values()]
    assert "automatic reply (Auto-Submitted: auto-replied) from nadia@ex.fr" in why

    # She is away: no reminder for that questionnaire; Claire, who said nothing, gets hers.
    run.until(first + series.duration + 4 * 24 * HOUR, step=3 * HOUR)
    assert sent_mail(run.local, f"mail/reminder/{pairing.id}/{first.isoformat()}/",
                     to="nadia@ex.fr") == []
    assert sent_mail(run.local, f"mail/reminder/{pairing.id}/{first.isoformat()}/",
                     to="claire@ex.fr")


def test_a_bounce_is_recorded_against_the_address_and_shown_in_status(run: Run) -> None:
    from harness import BOUNCE

    from agent.cli.status import status_report

    run.tick()
    run.deliver("bounce", BOUNCE)
    run.tick(run.clock.now() + HOUR)
    assert run.stored("bounces")["nadia.old@ex.fr"]["count"] == 1
    assert run.stored("feedback") == {}
    shown = status_report(run.settings)
    assert "addresses our mail bounced from: 1" in shown
    assert any(line.startswith("  nadia.old@ex.fr: 1 time(s)") for line in shown)
