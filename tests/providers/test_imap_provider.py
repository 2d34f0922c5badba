"""The `imap` backend against real servers: Dovecot for IMAP, an SMTP server delivering
through Dovecot's LMTP. The mailbox contract, plus what only a real server shows."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from contract.mailbox_contract import MailboxContract, outgoing, raw_message
from fakes.local_client import T0
from servers.accounts import client, endpoints, folder_messages, fresh_address, imap_mailbox
from servers.dovecot import PASSWORD, Dovecot
from servers.smtp import Submission

from agent.core.clock import SimClock
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Outgoing
from agent.providers.imap.connect import login_hint
from agent.providers.imap.mailbox import ImapMailbox, bodies
from agent.providers.imap.settings import ImapSettings, SmtpSettings
from agent.providers.imap.setup import check_lines, open_mailbox
from agent.providers.imap.smtp import submit
from agent.providers.installation import Installation


class TestImapMailbox(MailboxContract):
    @pytest.fixture
    def mailbox(self, dovecot: Dovecot, submission: Submission) -> ImapMailbox:
        self.dovecot = dovecot
        return imap_mailbox(dovecot, submission)

    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        # A message filed by a mail client (APPEND) keeps its bytes; delivery would add
        # Received and Return-Path headers (the end-to-end tests deliver for real).
        session = client(self.dovecot, mailbox.imap.username)
        session.append("INBOX", raw)
        session.logout()

    def test_receive_oldest_first_and_bytes_unchanged(self, mailbox: Any) -> None:
        raws = [raw_message(f"<reply.{i}@example.fr>", body=f"Réponse n°{i}\r\n> cité")
                for i in range(3)]
        bare = b"From: x@example.fr\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xe9t\xe9\n"
        for i, raw in enumerate([*raws, bare]):
            self.inject(mailbox, f"170000000{i}.m{i}", raw)
        found, _ = mailbox.receive(None)
        # IMAP carries lines ending in CRLF (RFC 3501 section 4.3): a bare LF comes back as
        # CRLF; every other byte is as it was, 8-bit ones included.
        assert [m.raw for m in found] == [*raws, bare.replace(b"\xe9\n", b"\xe9\r\n")]


def test_a_sent_message_reaches_the_recipient_and_a_copy_stays_in_sent(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    anne = fresh_address("anne")
    message = Outgoing("mail/intro/p1/anne", "<intro.1@binome.example.fr>", box.imap.username,
                       (anne,), raw_message("<intro.1@binome.example.fr>", body="Bonjour Anne"))
    box.send(message)
    box.send(message)  # again: nothing new
    arrived = folder_messages(dovecot, anne, "INBOX")
    assert len(arrived) == 1 and b"Bonjour Anne" in arrived[0]
    assert b"Message-ID: <intro.1@binome.example.fr>" in arrived[0]
    sent = folder_messages(dovecot, box.imap.username, "Sent")
    assert sent == [message.raw]
    session = client(dovecot, box.imap.username)
    session.select_folder("Sent", readonly=True)
    flags = session.get_flags(session.search("ALL"))
    session.logout()
    assert [set(f) for f in flags.values()] == [{b"\\Seen"}]  # no longer a draft


def test_a_send_interrupted_before_the_server_accepted_it_is_sent_on_retry(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    anne = fresh_address("anne")
    message = outgoing("<objectives.9@binome.example.fr>")
    message = Outgoing(message.key, message.message_id, box.imap.username, (anne,), message.raw)
    submission.relay.refuse_next = "451 4.3.0 try again later"
    with pytest.raises(TemporaryError, match="451"):
        box.send(message)
    assert not box.was_sent(message.message_id)  # the copy in Sent is still a draft
    assert folder_messages(dovecot, anne, "INBOX") == []
    box.send(message)
    assert box.was_sent(message.message_id)
    assert len(folder_messages(dovecot, anne, "INBOX")) == 1
    assert len(folder_messages(dovecot, box.imap.username, "Sent")) == 1  # the copy reused


def ours(message: Outgoing, sender: str, to: str) -> Outgoing:
    """`message` from `sender` to `to`, carrying its key as everything the agent sends does."""
    raw = f"X-Binome-Key: {message.key}\r\n".encode() + message.raw
    return Outgoing(message.key, message.message_id, sender, (to,), raw)


def test_a_message_the_server_took_before_a_crash_is_not_sent_again(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    me, anne = box.imap.username, fresh_address("anne")
    message = ours(outgoing("<objectives.11@binome.example.fr>"), me, anne)
    # What `send` did before a crash right after the server's 250: the draft copy in Sent,
    # the submission to Anne and to the programme itself, and no confirmation.
    session = client(dovecot, me)
    session.append("Sent", message.raw, flags=(b"\\Seen", b"\\Draft"))
    session.logout()
    submit(box.smtp, me, [anne, me], message.raw)
    assert box.was_sent(message.message_id)  # the receipt is in the inbox
    box.send(message)  # the executor's retry: nothing goes out
    assert len(folder_messages(dovecot, anne, "INBOX")) == 1
    session = client(dovecot, me)
    session.select_folder("Sent", readonly=True)
    assert [set(f) for f in session.get_flags(session.search("ALL")).values()] == [{b"\\Seen"}]
    session.logout()
    assert box.receive(None)[0] == []  # the receipt is not a reply...
    assert folder_messages(dovecot, me, "INBOX") == []  # ...and it is gone


def test_every_send_leaves_a_receipt_that_the_next_read_clears(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    box.send(ours(outgoing("<objectives.12@binome.example.fr>"), box.imap.username,
                  fresh_address("anne")))
    [receipt] = folder_messages(dovecot, box.imap.username, "INBOX")
    assert b"Message-ID: <objectives.12@binome.example.fr>" in receipt
    assert box.receive(None)[0] == []
    assert folder_messages(dovecot, box.imap.username, "INBOX") == []
    assert len(folder_messages(dovecot, box.imap.username, "Sent")) == 1


def test_a_refused_recipient_is_a_permanent_error(dovecot: Dovecot,
                                                   submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    message = outgoing("<objectives.10@binome.example.fr>")
    submission.relay.refuse_next = "550 5.1.1 no such user"
    with pytest.raises(PermanentError, match="550"):
        box.send(Outgoing(message.key, message.message_id, box.imap.username,
                          ("nobody@example.fr",), message.raw))


def test_processed_and_quarantined_mail_go_to_their_folders_byte_for_byte(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    session = client(dovecot, box.imap.username)
    raws = [raw_message(f"<in.{i}@example.fr>", body=f"n°{i}") for i in range(3)]
    for raw in raws:
        session.append("INBOX", raw)
    session.logout()
    found, cursor = box.receive(None)
    box.acknowledge([found[0].ref, found[2].ref])
    box.set_aside([found[1].ref])
    assert folder_messages(dovecot, box.imap.username, "INBOX") == []
    # Dovecot's Maildir++ separates levels with ".": the folder is Binome.processed there.
    assert folder_messages(dovecot, box.imap.username, "Binome.processed") == [raws[0], raws[2]]
    assert folder_messages(dovecot, box.imap.username, "Binome.quarantine") == [raws[1]]
    assert box.receive(cursor)[0] == []


def test_a_message_another_client_expunges_while_we_read_is_left_out(
        dovecot: Dovecot) -> None:
    # The agent searches, then fetches; a person filing mail in webmail can expunge one in
    # between. Dovecot then answers BODY[] NIL with EXPUNGEISSUED (RFC 5530) rather than
    # leaving it out; the read goes on with the others (it crashed the tick before).
    user = fresh_address()
    reader = client(dovecot, user)
    raws = [raw_message(f"<race.{i}@example.fr>", body=f"n°{i}") for i in range(3)]
    for raw in raws:
        reader.append("INBOX", raw)
    reader.select_folder("INBOX")
    uids = sorted(reader.search("ALL"))
    other = client(dovecot, user)
    other.select_folder("INBOX")
    other.delete_messages([uids[1]])
    other.expunge()
    other.logout()
    assert reader.fetch([uids[1]], ["BODY.PEEK[]"])[uids[1]][b"BODY[]"] is None  # the server
    assert bodies(reader, uids) == [(uids[0], raws[0]), (uids[2], raws[2])]
    reader.logout()


def test_starttls_and_idle(dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission, security="starttls")
    assert box.receive(None)[0] == []
    assert box.wait_for_mail(0.5) is False
    session = client(dovecot, box.imap.username)
    session.append("INBOX", raw_message("<new@example.fr>"))
    session.logout()
    assert box.wait_for_mail(5) is True
    box.close()


def test_waiting_wakes_for_new_mail_only_and_gives_up_when_told(
        dovecot: Dovecot, submission: Submission) -> None:
    box = imap_mailbox(dovecot, submission)
    session = client(dovecot, box.imap.username)
    session.append("INBOX", raw_message("<first@example.fr>"))
    assert box.wait_for_mail(0) is True  # waiting, never received
    found, _ = box.receive(None)
    assert len(found) == 1  # read, but not moved away (say the move failed)
    assert box.wait_for_mail(0) is False  # so waiting does not wake for it again
    started = time.monotonic()
    assert box.wait_for_mail(30, stop=lambda: time.monotonic() - started > 1) is False
    assert time.monotonic() - started < 5  # the stop was heard within about a second
    # Mail that arrives while waiting wakes it (a thread delivers it a moment later).
    later = threading.Timer(0.5, session.append, ("INBOX", raw_message("<second@example.fr>")))
    later.start()
    started = time.monotonic()
    assert box.wait_for_mail(20) is True
    assert time.monotonic() - started < 10
    later.join()
    session.logout()
    assert [m.raw for m in box.receive(None)[0]][1] == raw_message("<second@example.fr>")
    assert box.wait_for_mail(0) is False
    box.close()


def test_no_waiting_when_idle_is_off(dovecot: Dovecot, submission: Submission) -> None:
    assert imap_mailbox(dovecot, submission, idle=False).wait_for_mail(5) is None


@pytest.mark.parametrize("change, step", [
    (dict(password="wrong"), "login:"),
    (dict(host="no-such-host.invalid"), "DNS:"),
    (dict(port=1), "connect:"),
    (dict(ca=None), "TLS:"),
])
def test_each_failure_names_its_step(dovecot: Dovecot, submission: Submission,
                                     change: dict[str, Any], step: str) -> None:
    from dataclasses import replace

    box = imap_mailbox(dovecot, submission)
    imap = box.imap
    if "password" in change:
        imap = replace(imap, password=lambda: "wrong")
    if "host" in change:
        imap = replace(imap, host=change["host"])
    if "port" in change:
        imap = replace(imap, port=1)
    if "ca" in change:
        imap = replace(imap, ca_file=None)
    broken = ImapMailbox(imap, box.smtp)
    with pytest.raises(TemporaryError, match=step):
        broken.was_sent("<probe@binome.invalid>")


def test_plain_text_is_refused_towards_another_host(dovecot: Dovecot,
                                                    submission: Submission) -> None:
    from dataclasses import replace

    box = imap_mailbox(dovecot, submission)
    broken = ImapMailbox(replace(box.imap, host="mail.example.org", security="none"), box.smtp)
    with pytest.raises(PermanentError, match="refused"):
        broken.was_sent("<probe@binome.invalid>")


@pytest.mark.parametrize("idle, said", [
    (True, "imap: IDLE: used: new mail is read as it arrives (the scheduled poll stays)"),
    (False, "imap: IDLE: offered but not used (idle = false): mail is read at each "
            "scheduled poll"),
])
def test_check_says_whether_idle_will_be_used(dovecot: Dovecot, submission: Submission,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               idle: bool, said: str) -> None:
    monkeypatch.setenv("BINOME_TEST_MAIL", PASSWORD)
    user = fresh_address()
    imap = ImapSettings(host="localhost", port=dovecot.imaps_port, username=user,
                        password_env="BINOME_TEST_MAIL", ca_file=dovecot.ca_file, idle=idle)
    smtp = SmtpSettings(host="localhost", port=submission.starttls_port,
                        ca_file=dovecot.ca_file)
    site = Installation(tmp_path / "binome.toml", tmp_path, tmp_path, user, SimClock(T0))
    lines, ok = check_lines(imap, smtp, site)
    assert ok, lines
    assert said in lines
    assert "imap: moving read mail: MOVE" in lines
    # and it is what the agent then does: wait with IDLE, or not at all
    box = open_mailbox(imap, smtp, site)
    assert (box.wait_for_mail(0) is not None) is idle
    box.close()


@pytest.mark.parametrize(("smtp_host", "save_sent", "files"), [
    ("localhost", "auto", False),  # Dovecot's users: the agent keeps the copy
    ("smtp.office365.com", "auto", True),  # Exchange Online files SMTP submissions itself
    ("SMTP.Office365.com.", "always", False),  # the settings say otherwise
    ("localhost", "never", True),
])
def test_who_files_sent_mail(dovecot: Dovecot, submission: Submission, smtp_host: str,
                             save_sent: str, files: bool) -> None:
    imap, smtp = endpoints(dovecot, submission, fresh_address())
    box = ImapMailbox(imap, dataclasses.replace(smtp, host=smtp_host),
                      save_sent=save_sent)  # type: ignore[arg-type]
    session = client(dovecot, imap.username)
    try:
        assert box.files_sent_mail(session) is files
    finally:
        session.logout()


def test_check_warns_that_mail_already_waiting_will_be_read(
        dovecot: Dovecot, submission: Submission, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINOME_TEST_MAIL", PASSWORD)
    user = fresh_address()
    imap = ImapSettings(host="localhost", port=dovecot.imaps_port, username=user,
                        password_env="BINOME_TEST_MAIL", ca_file=dovecot.ca_file)
    smtp = SmtpSettings(host="localhost", port=submission.starttls_port,
                        ca_file=dovecot.ca_file)
    site = Installation(tmp_path / "binome.toml", tmp_path, tmp_path, user, SimClock(T0))
    lines, ok = check_lines(imap, smtp, site)
    assert ok and "imap: folder INBOX: 0 message(s) waiting" in lines, lines
    session = client(dovecot, user)  # the mailbox was already in use
    try:
        session.append("INBOX", raw_message("<old@example.fr>", "Hello"))
        session.append("INBOX", raw_message("<older@example.fr>", "Invoice"))
    finally:
        session.logout()
    lines, ok = check_lines(imap, smtp, site)
    assert ok and ("imap: folder INBOX: 2 message(s) waiting: all are read at the next poll; "
                   "what is not for the programme goes to Binome.quarantine") in lines, lines


def test_a_refused_login_at_a_known_service_says_what_it_takes() -> None:
    assert "app password" in login_hint("imap.gmail.com")
    assert "app password" in login_hint("SMTP.Gmail.com.")
    assert 'mail = "microsoft365"' in login_hint("outlook.office365.com")
    assert 'mail = "microsoft365"' in login_hint("smtp-mail.outlook.com")
    assert "app-specific" in login_hint("imap.mail.me.com")
    # Nothing is guessed for other servers, nor for names that only end alike.
    assert login_hint("localhost") == login_hint("imap.notgmail.com") == ""
