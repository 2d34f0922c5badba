"""Hostile and broken inbound mail is set aside with its reason, kept whole, and the
good replies of the same tick are still read (issue #5, "Done when").

The real local backend (Maildirs) and the simulated clock, as in tests/loop/test_agent.py.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Mail, Run, reply_to, sent_mail

from agent.cli.status import status_report

if TYPE_CHECKING:
    from company import Programme

OUR_SERVER = "Authentication-Results: mx.atelier-lumiere.fr;"


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def questionnaires(run: Run) -> dict[str, Mail]:
    """The first questionnaire each of Nadia and Emma received."""
    run.tick()
    fr, en = run.series("nadia@ex.fr"), run.series("emma@ex.fr")
    run.until(max(fr.occurrences()[0], en.occurrences()[0]) + fr.duration + 2 * HOUR)
    found = {}
    for email in ("nadia@ex.fr", "emma@ex.fr"):
        [mail] = sent_mail(run.local, f"mail/questionnaire/{run.pairing(email).id}/", to=email)
        found[email] = mail
    return found


def with_header(raw: bytes, header: str) -> bytes:
    return header.encode() + b"\r\n" + raw


def oversized(question: Mail, message_id: str) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Nadia Benali <nadia@ex.fr>"
    msg["To"] = question.sender
    msg["Subject"] = "Re: " + question.subject
    msg["Message-ID"] = message_id
    msg["In-Reply-To"] = question.message_id
    msg.set_content("Note : 3, voici la présentation.")
    msg.add_attachment(bytes(20 * 1024 * 1024), maintype="application", subtype="octet-stream",
                       filename="presentation.pptx")
    return msg.as_bytes()


def broken_charset(question: Mail, message_id: str) -> bytes:
    # An unknown charset, and bytes that are neither UTF-8 nor Windows-1252 (0x81, 0x8d).
    return (f"From: Nadia Benali <nadia@ex.fr>\r\nTo: {question.sender}\r\n"
            f"Subject: Re: seance\r\nMessage-ID: {message_id}\r\n"
            f"In-Reply-To: {question.message_id}\r\n"
            "Content-Type: text/plain; charset=x-klingon\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n").encode() + (
            b"Note : 2 \x81\x8d tr\xe8s \x9d d\xe9\xe7u\r\n")


def test_spoofed_unmatched_oversized_and_broken_mail_is_kept_aside_and_good_replies_read(
    run: Run,
) -> None:
    asked = questionnaires(run)
    nadia, emma = asked["nadia@ex.fr"], asked["emma@ex.fr"]
    now = run.clock.now()
    good_fr = reply_to(nadia, "nadia@ex.fr", "Note : 5", "<good-fr@ex.fr>", now)
    bad = {
        # Someone else answering in Nadia's thread, with her rating.
        "1000.wrong-sender": reply_to(nadia, "nadia@ex.fr", "Note : 1", "<spoof-1@ex.fr>",
                                      now).replace(b"nadia@ex.fr", b"mallory@evil.example"),
        # Her address, but our server found DMARC failing (SPF and DKIM absent).
        "1001.dmarc-fail": with_header(
            reply_to(nadia, "nadia@ex.fr", "Note : 1", "<spoof-2@ex.fr>", now),
            f"{OUR_SERVER} spf=none smtp.mailfrom=ex.fr; dkim=none; "
            "dmarc=fail (p=NONE) header.from=ex.fr"),
        # Her address, no threading headers and no token: nothing to tie it to.
        "1002.unmatched": (b"From: nadia@ex.fr\r\nSubject: ma note\r\nMessage-ID: <u@ex.fr>\r\n"
                           b"\r\nNote : 2\r\n"),
        "1003.oversized": oversized(nadia, "<big@ex.fr>"),
        "1004.broken-charset": broken_charset(nadia, "<cs@ex.fr>"),
    }
    for name, raw in bad.items():
        run.deliver(name, raw)
    # Good replies come after the bad ones in the same inbox poll.
    run.deliver("1005.good-fr", with_header(
        good_fr, f"{OUR_SERVER} spf=softfail smtp.mailfrom=ex.fr; dkim=pass; dmarc=pass"))
    run.deliver("1006.good-en", reply_to(emma, "emma@ex.fr", "Rating: 4", "<good-en@ex.fr>",
                                         now, lang="en"))

    report = run.tick(now + HOUR)

    assert report.replies_read == 7
    feedback = run.stored("feedback")
    assert {k: (d["sender"], d["rating"]) for k, d in feedback.items()} == {
        "<good-fr@ex.fr>": ("nadia@ex.fr", 5), "<good-en@ex.fr>": ("emma@ex.fr", 4)}
    reasons = {ref: doc["reason"] for ref, doc in run.stored("quarantine").items()}
    assert set(reasons) == set(bad)
    assert reasons["1000.wrong-sender"] == (
        "sender is not the addressee (mallory@evil.example answered our mail to nadia@ex.fr)")
    assert reasons["1001.dmarc-fail"] == (
        "authentication failed (dmarc=fail) for mail from nadia@ex.fr")
    assert reasons["1002.unmatched"].startswith(
        "not a reply to one of our messages (from nadia@ex.fr")
    assert reasons["1003.oversized"].startswith("oversized: ")
    assert reasons["1004.broken-charset"].startswith("broken charset: ")

    # Nothing lost: every message is still in the Maildir, byte for byte, marked read.
    inbox = run.local / "inbox"
    assert list((inbox / "new").iterdir()) == []
    for name, raw in bad.items():
        assert (inbox / "cur" / f"{name}:2,S").read_bytes() == raw
    # The admin sees each one and why.
    shown = status_report(run.settings)
    assert "quarantined inbound messages: 5" in shown
    for name, reason in reasons.items():
        assert any(line.startswith(f"  {name} (") and line.endswith(reason) for line in shown)

    # The loop goes on: read once, and later ticks carry on with the programme.
    assert run.tick(now + 2 * HOUR).replies_read == 0
    later = run.until(now + 60 * HOUR)
    assert all(o.ok for o in later)
    assert run.agent.ledger.people.optout("nadia@ex.fr") is None


def test_unreadable_messages_never_stop_the_inbox(run: Run) -> None:
    asked = questionnaires(run)
    emma = asked["emma@ex.fr"]
    now = run.clock.now()
    run.deliver("2000.no-from", b"Subject: hello\r\n\r\nNote : 3\r\n")
    run.deliver("2001.binary", bytes(range(256)) * 64)
    run.deliver("2002.good", reply_to(emma, "emma@ex.fr", "4/5", "<g@ex.fr>", now, lang="en"))

    report = run.tick(now + HOUR)

    assert report.replies_read == 3
    assert [d["rating"] for d in run.stored("feedback").values()] == [4]
    reasons = {ref: doc["reason"] for ref, doc in run.stored("quarantine").items()}
    assert set(reasons) == {"2000.no-from", "2001.binary"}
    assert all(r.startswith("unreadable: ") for r in reasons.values())
