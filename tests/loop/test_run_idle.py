"""`binome run` on a plain mailbox (Dovecot, mail submitted through the SMTP server):
new mail is read as soon as IMAP IDLE announces it, long before the scheduled poll;
with IDLE off the scheduled poll is all there is; SIGTERM stops it promptly either way."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from contract.mailbox_contract import raw_message
from servers.accounts import folder_messages, fresh_address
from servers.dovecot import PASSWORD, Dovecot
from servers.month import environment, server_edits
from servers.smtp import Submission
from test_run import agents  # noqa: F401 - the fixture

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def on_servers(make_programme: Callable[..., Programme], dovecot: Dovecot,
               submission: Submission, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """A programme on the test servers that starts in two months: the agent only waits."""
    for name, value in environment().items():  # inherited by the agent's process
        monkeypatch.setenv(name, value)

    def make(idle: bool) -> tuple[Programme, str]:
        address = fresh_address()
        edits = server_edits(dovecot, submission, None, None)  # type: ignore[arg-type]
        edits["[backend.local]\n"] = edits["[backend.local]\n"].replace(
            'security = "tls"\n', f'security = "tls"\nidle = {str(idle).lower()}\n', 1)
        programme = make_programme(
            start=(date.today() + timedelta(days=60)).isoformat(), folder=f"idle-{idle}",
            edits={**edits, "tick_minutes = 15 ": "tick_minutes = 60 ",
                   "inbox_minutes = 5 ": "inbox_minutes = 60 ",
                   'programme_email = "binome@atelier-lumiere.fr"':
                       f'programme_email = "{address}"'})
        return programme, address

    return make


def mail_to(submission: Submission, dovecot: Dovecot, to: str) -> None:
    """Someone writes to the programme, through the submission server."""
    context = ssl.create_default_context(cafile=str(dovecot.ca_file))
    with smtplib.SMTP("localhost", submission.starttls_port) as smtp:
        smtp.starttls(context=context)
        smtp.login("someone@example.fr", PASSWORD)
        smtp.sendmail("someone@example.fr", [to], raw_message("<hello.idle@example.fr>"))


def test_new_mail_is_read_as_idle_announces_it_and_sigterm_stops_at_once(
        on_servers: Callable[..., Any], agents: Any, dovecot: Dovecot,  # noqa: F811
        submission: Submission) -> None:
    programme, address = on_servers(idle=True)
    agent = agents(programme.config)
    agent.wait_for("new mail is read as it arrives", timeout=60)
    sent = time.monotonic()
    mail_to(submission, dovecot, address)
    agent.wait_for("quarantined", timeout=30)  # read (not a reply to us): set aside
    read_after = time.monotonic() - sent
    assert read_after < 30  # the scheduled poll is an hour away
    while folder_messages(dovecot, address, "INBOX") and time.monotonic() - sent < 30:
        time.sleep(0.2)  # the ledger is written first, then the message moved
    assert folder_messages(dovecot, address, "INBOX") == []
    assert len(folder_messages(dovecot, address, "Binome.quarantine")) == 1

    started = time.monotonic()
    assert agent.stop() == 0
    assert time.monotonic() - started < 5, agent.lines  # not stuck in IDLE
    assert any(line.endswith("agent stopped") for line in agent.lines)
    print(f"\nread {read_after:.1f} s after it was sent; stopped in "
          f"{time.monotonic() - started:.1f} s")


def test_without_idle_the_scheduled_poll_stays_and_sigterm_still_stops_at_once(
        on_servers: Callable[..., Any], agents: Any, dovecot: Dovecot,  # noqa: F811
        submission: Submission) -> None:
    programme, address = on_servers(idle=False)
    agent = agents(programme.config)
    line = agent.wait_for("cannot announce new mail", timeout=60)
    assert "polled every 60 min" in line
    mail_to(submission, dovecot, address)
    time.sleep(3)
    assert len(folder_messages(dovecot, address, "INBOX")) == 1  # waits for the poll
    started = time.monotonic()
    assert agent.stop() == 0
    assert time.monotonic() - started < 5
