"""A mail as a simulated person's client shows it: decoded headers and the plain text."""

from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32


class Mail:
    """What a mail client shows of a message: decoded headers and the plain-text body.

    Parsed with the fast compat32 policy: the simulation reads every message the
    agent sends, and the modern policy's header objects cost more than the agent.
    """

    def __init__(self, raw: bytes) -> None:
        self._msg = message_from_bytes(raw, policy=compat32)

    def get(self, name: str, default: str = "") -> str:
        """Header `name`, decoded; `default` when it is absent."""
        value = self._msg.get(name)
        return default if value is None else str(make_header(decode_header(str(value))))

    def __getitem__(self, name: str) -> str:
        return self.get(name)

    def body(self) -> str:
        """The first text/plain part, decoded; empty when there is none."""
        for part in self._msg.walk():
            if part.get_content_type() == "text/plain":
                data = part.get_payload(decode=True)
                if isinstance(data, bytes):
                    return data.decode(part.get_content_charset() or "utf-8", "replace")
        return ""
