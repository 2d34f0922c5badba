"""The `[backend]` table of the settings file: which backend serves the calendar and the
mail, and each backend's own sub-table.

Kept with the backends so the registry and their setups take their own settings without
importing the settings file's loader (`agent.programme.settings`), which includes `Backend`
in its schema. See config/example.toml for each key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from agent.providers.caldav.settings import CalDavSettings
from agent.providers.google.settings import GoogleBackend
from agent.providers.imap.settings import ImapSettings, SmtpSettings
from agent.providers.microsoft.settings import ExchangeSettings, Microsoft365Settings

BackendName = Literal["local", "google", "microsoft365", "exchange", "imap", "caldav", "email"]


class _Table(BaseModel):
    # Unknown keys are collected and warned about by the loader, not rejected here.
    model_config = ConfigDict(extra="ignore", frozen=True)


class LocalBackend(_Table):
    """`[backend.local]`: where the `local` backend keeps its files."""

    path: Path = Path("local")  # relative to state.path: calendars/ and mail/ live here


class Backend(_Table):
    """`[backend]`: the calendar and mail backends by name, and their tables."""

    calendar: BackendName = "local"
    mail: BackendName = "local"
    local: LocalBackend = LocalBackend()
    google: GoogleBackend | None = None  # [backend.google], see agent.providers.google.settings
    microsoft365: Microsoft365Settings | None = None  # see agent.providers.microsoft.settings
    exchange: ExchangeSettings | None = None
    imap: ImapSettings | None = None  # mail = "imap": see agent.providers.imap.settings
    smtp: SmtpSettings | None = None
    caldav: CalDavSettings | None = None  # calendar = "caldav"
