"""The contract every `Mailbox` backend passes.

A backend's test class subclasses `MailboxContract` and provides the fixture
`mailbox` (the backend, empty) and `inject(...)`, which makes a message arrive
for the agent the way a person's mail client would deliver it.
"""

from __future__ import annotations

from typing import Any

from agent.core.model import Outgoing


def raw_message(message_id: str, subject: str = "Objectifs", body: str = "Bonjour") -> bytes:
    head = (f"From: Programme <programme@example.fr>\r\nTo: anne@example.fr\r\n"
            f"Subject: {subject}\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
    return head.encode("ascii") + body.encode("utf-8") + b"\r\n"


def outgoing(message_id: str, body: str = "Bonjour Anne, à lundi !") -> Outgoing:
    return Outgoing(key=f"mail/objectives/{message_id}", message_id=message_id,
                    sender="programme@example.fr", recipients=("anne@example.fr",),
                    raw=raw_message(message_id, body=body))


class MailboxContract:
    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        """Deliver `raw` to the agent; `name` sorts in delivery order."""
        raise NotImplementedError

    def test_send_then_was_sent(self, mailbox: Any) -> None:
        message = outgoing("<objectives.1@binome.example.fr>")
        assert not mailbox.was_sent(message.message_id)
        ref = mailbox.send(message)
        assert isinstance(ref, str) and ref
        assert mailbox.was_sent(message.message_id)

    def test_sending_twice_sends_once(self, mailbox: Any) -> None:
        message = outgoing("<objectives.2@binome.example.fr>")
        assert mailbox.send(message) == mailbox.send(message)
        assert mailbox.was_sent(message.message_id)

    def test_an_unknown_message_id_was_not_sent(self, mailbox: Any) -> None:
        mailbox.send(outgoing("<objectives.3@binome.example.fr>"))
        assert not mailbox.was_sent("<objectives.4@binome.example.fr>")
        assert not mailbox.was_sent("<probe@binome.invalid>")

    def test_receive_oldest_first_and_bytes_unchanged(self, mailbox: Any) -> None:
        raws = [raw_message(f"<reply.{i}@example.fr>", body=f"Réponse n°{i}\r\n> cité")
                for i in range(3)]
        raws.append(b"From: x@example.fr\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xe9t\xe9\n")
        for i, raw in enumerate(raws):
            self.inject(mailbox, f"170000000{i}.m{i}", raw)
        found, _ = mailbox.receive(None)
        assert [m.raw for m in found] == raws

    def test_acknowledged_messages_are_not_received_again(self, mailbox: Any) -> None:
        for i in range(3):
            self.inject(mailbox, f"170000000{i}.m{i}", raw_message(f"<reply.{i}@example.fr>"))
        found, cursor = mailbox.receive(None)
        mailbox.acknowledge([found[0].ref, found[2].ref])
        again, cursor = mailbox.receive(cursor)
        assert [m.raw for m in again] == [found[1].raw]
        mailbox.acknowledge([found[1].ref])
        mailbox.acknowledge([found[1].ref])  # twice: no error
        assert mailbox.receive(cursor)[0] == []
