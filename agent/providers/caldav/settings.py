"""`[backend.caldav]`: the CalDAV server, the account, the programme's calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CalDavSettings(BaseModel):
    """`[backend.caldav]` (see config/example.toml)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    url: str  # the server's DAV root, e.g. https://cloud.example.org/remote.php/dav
    username: str
    password_env: str | None = None
    password_command: str | None = None
    calendar: str = "Binôme"  # display name or URL; created if missing
    # Who sends the invitations: "server" (it schedules: Nextcloud, SOGo, Fastmail, iCloud),
    # "email" (the agent sends iMIP through the mailbox), "auto" (asked of the server).
    invitations: Literal["auto", "server", "email"] = "auto"
    ca_file: Path | None = None  # a private CA's certificate (relative to the settings file)
    timeout_seconds: float = Field(30, gt=0, le=600)
