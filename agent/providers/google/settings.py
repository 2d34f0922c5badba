"""The `[backend.google]` settings table (see config/example.toml for each key).

Kept apart from `agent.programme.settings` so each backend's settings live in one place;
`config.Backend` includes it as an optional sub-table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GoogleBackend(BaseModel):
    """`[backend.google]`: how the `google` backend signs in and which calendar it books in."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    # "service_account": Workspace domain-wide delegation, acting as `mailbox`.
    # "oauth": an installed-app authorization stored by `binome auth google`.
    auth: Literal["service_account", "oauth"] = "service_account"
    # The service account's key JSON, from the environment or a command (never the file).
    service_account_key_env: str | None = None
    service_account_key_command: str | None = None
    # The OAuth client JSON ("Desktop app") downloaded from the Google Cloud console.
    oauth_client: Path | None = None
    # Where `binome auth google` keeps the authorization (0600); default under ~/.config.
    oauth_store: Path | None = None
    # The OAuth consent screen's status: "testing" apps lose their refresh token after 7 days.
    oauth_app: Literal["testing", "production", "internal"] = "testing"
    mailbox: str | None = None  # the mailbox acted as; default organisation.programme_email
    calendar_id: str = "primary"  # the programme calendar, in that mailbox
    label: str = "Binome/processed"  # put on every inbound message once handled
    api_root: str | None = None  # another address for Google's APIs (a proxy); rarely needed
    max_wait_seconds: float = Field(60.0, ge=0, le=3600)  # waits for rate limits, per call
