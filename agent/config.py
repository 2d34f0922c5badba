"""Settings: the admin's one TOML file, validated all at once.

SCHEMA ONLY for now (attribute names are the contract other modules use);
loading, error listing, unknown-key warnings and secrets are added below.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Strict(BaseModel):
    # Unknown keys are collected and warned about by the loader, not rejected here.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Organisation(_Strict):
    name: str
    admin_email: str
    programme_email: str  # sender of every email and organizer of every series
    timezone: str = "Europe/Paris"
    language: Literal["fr", "en"] = "fr"


class RosterSettings(_Strict):
    path: Path  # relative paths are resolved against the settings file's folder
    max_drop_share: float = Field(0.2, ge=0, le=1)  # refuse a roster losing more than this


class FormatSettings(_Strict):
    every_weeks: int = Field(ge=1, le=8)
    minutes: int = Field(ge=15, le=240)


class Programme(_Strict):
    start: date  # first day of the first cycle
    cycle_months: int = Field(3, ge=1, le=12)
    formats: list[Literal["mentoring", "pair", "workshop"]] = ["mentoring", "pair"]
    default_max_mentees: int = Field(2, ge=1, le=20)
    mentoring: FormatSettings = FormatSettings(every_weeks=2, minutes=45)
    pair: FormatSettings = FormatSettings(every_weeks=1, minutes=30)
    workshop: FormatSettings = FormatSettings(every_weeks=4, minutes=90)


class Hours(_Strict):
    start: time = time(9, 0)
    end: time = time(18, 0)
    lunch_start: time = time(12, 0)
    lunch_end: time = time(14, 0)
    days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]


class MailSettings(_Strict):
    objectives_hours_before: int = Field(24, ge=1, le=24 * 7)
    questionnaire_hours_after: int = Field(1, ge=0, le=24 * 7)


class DigestSettings(_Strict):
    day: int = Field(1, ge=1, le=28)
    hour: int = Field(8, ge=0, le=23)


class LocalBackend(_Strict):
    path: Path = Path("local")  # relative to state.path: calendars/ and mail/ live here


class Backend(_Strict):
    calendar: Literal["local"] = "local"
    mail: Literal["local"] = "local"
    local: LocalBackend = LocalBackend()


class StateSettings(_Strict):
    path: Path = Path("state")  # relative to the settings file's folder


class AgentSettings(_Strict):
    tick_minutes: int = Field(15, ge=1, le=24 * 60)
    inbox_minutes: int = Field(5, ge=1, le=24 * 60)


class Settings(_Strict):
    organisation: Organisation
    roster: RosterSettings
    programme: Programme
    hours: Hours = Hours()
    mail: MailSettings = MailSettings()
    digest: DigestSettings = DigestSettings()
    backend: Backend = Backend()
    state: StateSettings = StateSettings()
    agent: AgentSettings = AgentSettings()
    source: Path = Path("settings.toml")  # the file these came from (set by the loader)

    def format(self, name: str) -> FormatSettings:
        fmt: FormatSettings = getattr(self.programme, name)
        return fmt

    @property
    def state_dir(self) -> Path:
        return self.state.path

    @property
    def local_dir(self) -> Path:
        return self.state.path / self.backend.local.path
