"""Invitations by mail (`calendar = "email"`) as the agent sends them and reads the answers,
over the real `local` mailbox: what each attendee receives, in their language, and what
their client's REPLY changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import TYPE_CHECKING

import pytest
from fakes.imip_client import latest_sequence, reply_mail
from harness import ORGANIZER, Run

if TYPE_CHECKING:
    from company import Programme

EMAIL_CALENDAR = {'calendar = "local"          #': 'calendar = "email"          #'}


@pytest.fixture
def run(make_programme: Callable[..., Programme]) -> Run:
    return Run(make_programme(edits=EMAIL_CALENDAR))


def invitations(run: Run, to: str) -> list[EmailMessage]:
    """The invitation mails `to` received, oldest first."""
    found = []
    for path in sorted((run.local / "mail" / "new").iterdir()):
        msg = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
        assert isinstance(msg, EmailMessage)
        if str(msg["To"]) == to and any(p.get_content_type() == "text/calendar"
                                        for p in msg.walk()):
            found.append(msg)
    return sorted(found, key=lambda m: str(m["Date"]))


def test_an_answer_to_an_invitation_updated_since_is_set_aside_not_applied(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    uid = run.agent.calendar.uid(key)  # type: ignore[attr-defined]
    first = latest_sequence(run.local / "mail", uid, "claire@ex.fr")
    # Nadia declines the second session: a week before, it moves, and everyone gets the
    # new version.
    second = series.occurrences()[1]
    run.deliver("decline", reply_mail(uid, ORGANIZER, "nadia@ex.fr", "declined", second,
                                      sequence=first, message_id="<decline@ex.fr>"))
    run.clock.set(second - timedelta(days=7))
    run.until(run.clock.now() + timedelta(hours=3))
    now = latest_sequence(run.local / "mail", uid, "claire@ex.fr")
    assert now > first and second in dict(run.series("nadia@ex.fr").moved)

    # Claire then clicks Decline (whole series) on the first invitation, still in her inbox.
    run.deliver("late", reply_mail(uid, ORGANIZER, "claire@ex.fr", "declined",
                                   sequence=first, message_id="<late@ex.fr>"))
    run.tick(run.clock.now() + timedelta(hours=1))

    ledger = run.agent.ledger
    [(ref, reason)] = [(q.ref, q.reason) for q in ledger.quarantine.everything()]
    assert f"SEQUENCE {first}, now {now}" in reason and "claire@ex.fr" in reason
    assert run.stored("paused") == {}  # a whole-series decline would have paused the pairing
    assert ledger.responses.status(key, series.occurrences()[2], "claire@ex.fr") in (
        None, "needs-action")

    # Her answer to the current version is applied.
    run.deliver("current", reply_mail(uid, ORGANIZER, "claire@ex.fr", "accepted",
                                      sequence=now, message_id="<current@ex.fr>"))
    run.tick(run.clock.now() + timedelta(hours=1))
    assert ledger.responses.status(key, series.occurrences()[2], "claire@ex.fr") == "accepted"
    assert len(ledger.quarantine.everything()) == 1
