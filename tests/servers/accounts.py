"""Throwaway accounts on the test Dovecot, and the `imap` mailbox of one of them."""

from __future__ import annotations

import ssl
import uuid
from typing import Any

from imapclient import IMAPClient

from agent.providers.imap.connect import Endpoint
from agent.providers.imap.mailbox import Folders, ImapMailbox
from servers.dovecot import PASSWORD, Dovecot
from servers.smtp import Submission


def fresh_address(name: str = "binome") -> str:
    """An address nobody used yet on the test server (its mailbox starts empty)."""
    return f"{name}-{uuid.uuid4().hex[:10]}@example.fr"


def endpoints(dovecot: Dovecot, submission: Submission, user: str, *,
              password: str = PASSWORD, security: str = "tls") -> tuple[Endpoint, Endpoint]:
    """IMAP over TLS (or STARTTLS) and SMTP with STARTTLS (or TLS), as `user`."""
    imap_port = dovecot.imaps_port if security == "tls" else dovecot.imap_port
    smtp_port = submission.tls_port if security == "tls" else submission.starttls_port
    return (Endpoint("IMAP", "localhost", imap_port, security, user,  # type: ignore[arg-type]
                     lambda: password, dovecot.ca_file, 10),
            Endpoint("SMTP", "localhost", smtp_port, security, user,  # type: ignore[arg-type]
                     lambda: password, dovecot.ca_file, 10))


def imap_mailbox(dovecot: Dovecot, submission: Submission, user: str | None = None,
                 **options: Any) -> ImapMailbox:
    """The `imap` backend on `user`'s account (a fresh one by default)."""
    security = options.pop("security", "tls")
    imap, smtp = endpoints(dovecot, submission, user or fresh_address(), security=security)
    return ImapMailbox(imap, smtp, options.pop("folders", Folders()), **options)


def client(dovecot: Dovecot, user: str) -> IMAPClient:
    """A plain IMAP session as `user`, as a person's mail client opens one."""
    context = ssl.create_default_context(cafile=str(dovecot.ca_file))
    session = IMAPClient("localhost", port=dovecot.imaps_port, ssl=True, ssl_context=context)
    session.login(user, PASSWORD)
    return session


def folder_messages(dovecot: Dovecot, user: str, folder: str) -> list[bytes]:
    """The raw messages in one of `user`'s folders, oldest first."""
    session = client(dovecot, user)
    try:
        if not session.folder_exists(folder):
            return []
        session.select_folder(folder, readonly=True)
        return fetched(session, sorted(session.search("ALL")))
    finally:
        session.logout()


def fetched(session: IMAPClient, uids: list[int]) -> list[bytes]:
    """The raw messages `uids` of the selected folder that are still there. One the agent
    moved between SEARCH and FETCH is gone: RFC 2180 section 4.1.2 lets the server leave
    it out of the answer or answer NIL for it, as Dovecot does."""
    data = session.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
    raws = (data.get(u, {}).get(b"BODY[]") for u in uids)
    return [bytes(raw) for raw in raws if raw is not None]
