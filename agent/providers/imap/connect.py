"""Connecting to a mail server and saying exactly what failed: DNS, TLS, login, capability.

Every failure becomes a `TemporaryError` whose message starts with the step that failed
(`DNS:`, `connect:`, `TLS:`, `login:`, `capability:`), so `binome check` and the logs
tell the admin what to fix. They are temporary rather than permanent: a wrong password
or an expired certificate stops every send until fixed, and what was not sent meanwhile
must go out once it is (a permanent error would drop it).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from agent.core.errors import PermanentError, TemporaryError
from agent.providers.imap.settings import Security, plain_text_refused


@dataclass(frozen=True)
class Endpoint:
    """One server to log in to: where, how, as whom; the password is read when needed."""

    protocol: Literal["IMAP", "SMTP"]
    host: str
    port: int
    security: Security
    username: str
    password: Callable[[], str]
    ca_file: Path | None = None
    timeout: float = 30.0

    @property
    def where(self) -> str:
        """`host:port (TLS)`, as messages name the server."""
        security = "no TLS" if self.security == "none" else self.security.upper()
        return f"{self.host}:{self.port} ({security})"

    def context(self) -> ssl.SSLContext:
        """Certificates checked against the system's CAs, or `ca_file` when given."""
        try:
            return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        except (OSError, ssl.SSLError) as exc:
            raise PermanentError(f"TLS: cannot read the CA file {self.ca_file}: {exc}") from exc


def refuse_plain_text(endpoint: Endpoint) -> None:
    """`PermanentError` for `security = "none"` towards another machine."""
    if plain_text_refused(endpoint.host, endpoint.security):
        raise PermanentError(f"{endpoint.protocol} {endpoint.where}: security = \"none\" is "
                             "refused for a host other than localhost (the password would "
                             "travel in clear); use \"tls\" or \"starttls\"")


def resolve(endpoint: Endpoint) -> None:
    """`TemporaryError` starting with `DNS:` when the host name does not resolve."""
    try:
        socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TemporaryError(f"{endpoint.protocol} {endpoint.where}: DNS: cannot resolve "
                             f"{endpoint.host!r} ({exc})") from exc


def network_error(endpoint: Endpoint, exc: BaseException) -> TemporaryError:
    """The failure `exc` met while talking to `endpoint`, named by its step."""
    head = f"{endpoint.protocol} {endpoint.where}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TemporaryError(f"{head}: TLS: the server's certificate is not trusted "
                              f"({exc.verify_message}); set ca_file if it comes from a "
                              "private authority")
    if isinstance(exc, ssl.SSLError):
        return TemporaryError(f"{head}: TLS: handshake failed ({exc.reason or exc}); is the "
                              "port right for this security setting?")
    if isinstance(exc, socket.timeout | TimeoutError):
        return TemporaryError(f"{head}: connect: no answer within {endpoint.timeout:.0f} s")
    if isinstance(exc, ConnectionRefusedError):
        return TemporaryError(f"{head}: connect: connection refused (nothing listens there)")
    return TemporaryError(f"{head}: connect: {exc}")


def open_imap(endpoint: Endpoint) -> IMAPClient:
    """A logged-in IMAP connection (TLS, STARTTLS or, to localhost only, plain)."""
    refuse_plain_text(endpoint)
    resolve(endpoint)
    context = endpoint.context()
    try:
        client = IMAPClient(endpoint.host, port=endpoint.port, ssl=endpoint.security == "tls",
                            ssl_context=context, timeout=endpoint.timeout)
    except (OSError, IMAPClientError) as exc:
        raise network_error(endpoint, exc) from exc
    try:
        if endpoint.security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise TemporaryError(f"IMAP {endpoint.where}: capability: the server does not "
                                     "offer STARTTLS; use security = \"tls\" (port 993)")
            client.starttls(context)
        client.login(endpoint.username, endpoint.password())
    except LoginError as exc:
        _close(client)
        raise TemporaryError(f"IMAP {endpoint.where}: login: the server refused "
                             f"{endpoint.username!r} ({_text(exc)})") from exc
    except TemporaryError:
        _close(client)
        raise
    except (OSError, IMAPClientError) as exc:
        _close(client)
        raise network_error(endpoint, exc) from exc
    return client


def _text(exc: BaseException) -> str:
    text = str(exc)
    return text[2:-1] if text.startswith(("b'", 'b"')) else text


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - closing a connection that already failed
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001
            pass
