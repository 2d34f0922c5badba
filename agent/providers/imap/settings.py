"""Settings of the `imap` mail backend: the `[backend.imap]` and `[backend.smtp]` tables.

Passwords come from `password_env` / `password_command` (agent.core.credentials), never
from the file. `security = "none"` (no TLS at all) is refused unless the host is this
machine: a password must never cross a network in clear.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Security = Literal["tls", "starttls", "none"]
LOCALHOSTS = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
DEFAULT_PORTS = {"imap": {"tls": 993, "starttls": 143, "none": 143},
                 "smtp": {"tls": 465, "starttls": 587, "none": 25}}


class _Table(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ImapSettings(_Table):
    """`[backend.imap]`: where replies are read, and the folders the agent uses."""

    host: str
    port: int | None = Field(None, ge=1, le=65535)  # default: 993 (tls) or 143
    security: Security = "tls"
    username: str | None = None  # default: organisation.programme_email
    password_env: str | None = None
    password_command: str | None = None
    folder: str = "INBOX"  # where people's replies arrive
    processed_folder: str = "Binome/processed"  # "/" is replaced by the server's delimiter
    quarantine_folder: str = "Binome/quarantine"
    sent_folder: str | None = None  # default: the folder the server marks \Sent, else "Sent"
    # Whether the agent appends a copy of what it sends to Sent: "auto" does it unless the
    # server is known to file sent mail itself (Gmail); "always" or "never" to say so.
    save_sent: Literal["auto", "always", "never"] = "auto"
    idle: bool = True  # wait for new mail with IDLE where the server offers it
    ca_file: Path | None = None  # a private CA's certificate (relative to the settings file)
    timeout_seconds: float = Field(30, gt=0, le=600)


class SmtpSettings(_Table):
    """`[backend.smtp]`: where mail is submitted (username and password default to IMAP's)."""

    host: str
    port: int | None = Field(None, ge=1, le=65535)  # default: 587 (starttls) or 465 (tls)
    security: Security = "starttls"
    username: str | None = None  # default: [backend.imap] username
    password_env: str | None = None  # default: [backend.imap]'s
    password_command: str | None = None
    ca_file: Path | None = None
    timeout_seconds: float = Field(60, gt=0, le=600)


def port_of(protocol: Literal["imap", "smtp"], security: Security, port: int | None) -> int:
    """The port to use: the one given, else the usual one for the protocol and security."""
    return port if port is not None else DEFAULT_PORTS[protocol][security]


def plain_text_refused(host: str, security: Security) -> bool:
    """Whether a connection would carry a password in clear over a network."""
    return security == "none" and host.lower().strip("[]") not in LOCALHOSTS
