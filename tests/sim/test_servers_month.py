"""End to end over real servers: a month of the example programme with `mail = "imap"` on
Dovecot (sent through the SMTP server, which delivers through Dovecot's LMTP) and the
calendar as iMIP only (`email`) or on Radicale (`caldav`). The participants read their
invitations over IMAP, decline one session, accept the rest and answer questionnaires."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from company import PEOPLE
from servers.accounts import folder_messages
from servers.caldav_servers import DavServer
from servers.dovecot import Dovecot
from servers.month import DECLINER, Participants, environment, run_month, server_edits
from servers.smtp import Submission

from agent.core.keys import series_key

if TYPE_CHECKING:
    from company import Programme

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 9, 1, 7, tzinfo=PARIS)


@pytest.mark.parametrize("calendar", ["email", "caldav"])
def test_a_month_over_real_servers(make_programme: Callable[..., Programme], dovecot: Dovecot,
                                   submission: Submission, dav_server: DavServer,
                                   monkeypatch: pytest.MonkeyPatch, calendar: str) -> None:
    if calendar == "caldav" and dav_server.name != "radicale":
        pytest.skip("one CalDAV server is enough for the month (both pass the contract)")
    if calendar == "email" and dav_server.name != "radicale":
        pytest.skip("the email calendar needs no CalDAV server: run it once")
    for name, value in environment().items():
        monkeypatch.setenv(name, value)
    dav = dav_server if calendar == "caldav" else None
    programme = make_programme(folder=f"company-{calendar}", edits={
        **server_edits(dovecot, submission, dav, None),  # type: ignore[arg-type]
        'programme_email = "binome@atelier-lumiere.fr"':
            f'programme_email = "binome-{calendar}@atelier-lumiere.fr"'})
    people = {email: row["language"] for email, row in PEOPLE.items()}
    participants = Participants(dovecot, submission, people)
    agent = run_month(programme.config, participants, START)
    ledger = agent.ledger
    pairings = {p.pairing.id: p.pairing for p in ledger.pairings.everything()}
    assert len(pairings) == 2
    declined_pairing = next(p for p in pairings.values() if DECLINER in p.members)
    series = ledger.series.get(declined_pairing.id)
    assert series is not None
    # Nadia's decline (an iMIP REPLY read from IMAP) moved that session, for everyone.
    (uid, occurrence), = participants.declined
    assert occurrence in dict(series.moved), (series.moved, occurrence)
    assert set(participants.moved_invitations) >= set(declined_pairing.members)
    key = series_key(declined_pairing.id)
    other = next(p for p in pairings.values() if p is not declined_pairing)
    first = ledger.series.get(other.id)
    assert first is not None
    for member in other.members:  # the others accepted the whole series
        assert ledger.responses.status(series_key(other.id), first.occurrences()[0],
                                       member) == "accepted"
    assert ledger.responses.status(key, series.occurrences()[0], "claire@ex.fr") == "accepted"
    # Questionnaire replies were read as feedback; no calendar answer was quarantined.
    feedback = list(ledger.answers.feedback())
    assert participants.answered and len(feedback) == len(participants.answered)
    assert all(f.rating == 4 for f in feedback)
    assert ledger.quarantine.everything() == []
    programme_box = agent.mailbox.imap.username  # type: ignore[attr-defined]
    assert folder_messages(dovecot, programme_box, "Binome.quarantine") == []
    assert len(folder_messages(dovecot, programme_box, "Binome.processed")) >= 5
    # What the last tick sent left its receipts (the programme's own copies); the next read
    # of the inbox clears them, and nothing else is waiting there.
    agent.poll_inbox()
    assert folder_messages(dovecot, programme_box, "INBOX") == []
    assert ledger.quarantine.everything() == []
