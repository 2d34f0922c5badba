"""A submission server (aiosmtpd) that delivers into Dovecot through its LMTP service.

Why aiosmtpd and not Postfix: Postfix is one system-wide daemon (its queue, its chroot,
/etc/postfix), which a test cannot start for itself on a free port and throw away;
aiosmtpd is a real SMTP server (RFC 5321 state machine, STARTTLS, AUTH) that runs
in-process. Delivery is not ours: each accepted message is handed to Dovecot's LMTP
service (RFC 2033), exactly as Postfix's `lmtp` transport does on a mail host, so
Dovecot files it into the recipient's Maildir and the message appears over IMAP.

Two listeners, as hosted mailboxes offer them: submission with STARTTLS (587's role)
and implicit TLS (465's role). Both require a login (every user's password is
dovecot.PASSWORD); the STARTTLS one refuses AUTH before TLS.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from servers.dovecot import PASSWORD, Dovecot
from servers.ports import free_port

# aiosmtpd warns on every login that its own Session.login_data is deprecated.
logging.getLogger("mail.log").setLevel(logging.ERROR)


class LmtpRelay:
    """The aiosmtpd handler: every message accepted goes to Dovecot's LMTP at once."""

    def __init__(self, lmtp_port: int) -> None:
        self.lmtp_port = lmtp_port
        self.accepted: list[tuple[str, list[str]]] = []  # (envelope sender, recipients)
        # (when, Message-ID) of each message delivered, as time.monotonic() says in this
        # process: the crash test tells a kill right after an acceptance by it.
        self.delivered: list[tuple[float, str]] = []
        self.refuse_next: str | None = None  # an SMTP reply to give the next DATA instead

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Hand the message to LMTP; its refusal becomes ours (4xx or 5xx, as it said)."""
        if self.refuse_next is not None:
            reply, self.refuse_next = self.refuse_next, None
            return reply
        try:
            with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
                # One transaction per recipient: LMTP answers DATA once per recipient (RFC
                # 2033 4.2), which smtplib's sendmail does not read.
                for recipient in envelope.rcpt_tos:
                    lmtp.sendmail(envelope.mail_from, [recipient], envelope.original_content)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            return f"{code} {text.decode(errors='replace')}"
        except (smtplib.SMTPException, OSError) as exc:
            return f"451 4.3.0 local delivery failed: {exc}"
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos)))
        headers = BytesHeaderParser().parsebytes(envelope.original_content)
        self.delivered.append((time.monotonic(), str(headers["Message-ID"] or "").strip()))
        return "250 2.0.0 delivered"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@dataclass
class Submission:
    """The running SMTP listeners and what they delivered."""

    starttls_port: int
    tls_port: int
    relay: LmtpRelay
    controllers: list[Controller] = field(default_factory=list)

    def stop(self) -> None:
        """Stop both listeners."""
        for controller in self.controllers:
            controller.stop()


def start(dovecot: Dovecot) -> Submission:
    """Both listeners, with Dovecot's certificate, delivering into `dovecot`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(dovecot.folder / "cert.pem", dovecot.folder / "key.pem")
    relay = LmtpRelay(dovecot.lmtp_port)
    starttls = Controller(relay, hostname="127.0.0.1", port=free_port(), tls_context=context,
                          require_starttls=True, authenticator=_authenticate,
                          auth_require_tls=True, server_hostname="localhost")
    implicit = Controller(relay, hostname="127.0.0.1", port=free_port(), ssl_context=context,
                          authenticator=_authenticate, auth_require_tls=False,
                          server_hostname="localhost")
    submission = Submission(starttls.port, implicit.port, relay, [starttls, implicit])
    for controller in submission.controllers:
        controller.start()
    return submission
