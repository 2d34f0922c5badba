"""The settings file's schema: one pydantic model per TOML table, with its defaults.

`agent.programme.settings` loads and checks a file against it (every problem at once) and
re-exports these names; the documented example is config/example.toml. The `[backend]`
table's models live with the backends (`agent.providers.settings`).
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.core.model import skill_key
from agent.providers.settings import Backend

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Strict(BaseModel):
    # Unknown keys are collected and warned about by the loader, not rejected here.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Organisation(_Strict):
    """`[organisation]`: who runs the programme, its sender, zone and language."""

    name: str
    admin_email: str
    programme_email: str  # sender of every email and organizer of every series
    timezone: str = "Europe/Paris"
    language: Literal["fr", "en"] = "fr"


class RosterSettings(_Strict):
    """`[roster]`: the roster file, and how large a drop is refused."""

    path: Path  # relative paths are resolved against the settings file's folder
    max_drop_share: float = Field(0.2, ge=0, le=1)  # refuse a roster losing more than this


class FormatSettings(_Strict):
    """One format's cadence (every so many weeks) and session length (minutes)."""

    every_weeks: int = Field(ge=1, le=8)
    minutes: int = Field(ge=15, le=240)


class Programme(_Strict):
    """`[programme]`: cycles, formats and cadences, mentors' default capacity, learning days."""

    start: date  # first day of the first cycle
    cycle_months: int = Field(3, ge=1, le=12)
    formats: list[Literal["mentoring", "pair", "workshop"]] = ["mentoring", "pair"]
    default_max_mentees: int = Field(2, ge=1, le=20)
    learning_days: list[date] = []  # workshops meet on these days instead of their cadence
    mentoring: FormatSettings = FormatSettings(every_weeks=2, minutes=45)
    pair: FormatSettings = FormatSettings(every_weeks=1, minutes=30)
    workshop: FormatSettings = FormatSettings(every_weeks=4, minutes=90)


class MatchingSettings(_Strict):
    """`[matching]`: strategic skills, externals, rotation, pins, forbidden pairs, workshops."""

    strategic: list[str] = []  # skills that weigh more when there is not enough for everyone
    # "last_resort": an external mentor only when no insider can take the mentee;
    # "equal": externals compete with insiders on the same criteria.
    external_mentors: Literal["last_resort", "equal"] = "last_resort"
    rotation_cycles: int = Field(1, ge=0, le=12)  # no same pair again within this many cycles
    pin: list[tuple[str, str]] = []  # pairs always made when both are in the roster
    forbid: list[tuple[str, str]] = []  # pairs never made
    workshop_min: int = Field(3, ge=2, le=50)
    workshop_max: int = Field(8, ge=2, le=50)


class Hours(_Strict):
    """`[hours]`: working hours, days and quiet times (each in one's own zone), weekly cap."""

    start: time = time(9, 0)
    end: time = time(18, 0)
    lunch_start: time = time(12, 0)
    lunch_end: time = time(14, 0)
    days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    # Times no session is booked, in each person's own zone: "fri 16:00-18:00".
    quiet: list[str] = []
    max_sessions_per_week: int = Field(3, ge=1, le=20)  # Binôme sessions per person

    def quiet_spans(self) -> dict[int, list[tuple[time, time]]]:
        """Weekday index (Monday is 0) -> quiet (start, end) local times; bad entries skipped
        (the loader reports them)."""
        out: dict[int, list[tuple[time, time]]] = {}
        for entry in self.quiet:
            parsed = parse_quiet(entry)
            if parsed is not None:
                day, start, end = parsed
                out.setdefault(day, []).append((start, end))
        return out


_QUIET = re.compile(
    r"^\s*(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d\d)\s*-\s*(\d{1,2}):(\d\d)\s*$")


def parse_quiet(entry: str) -> tuple[int, time, time] | None:
    """A quiet entry ("fri 16:00-18:00") as (weekday, start, end); None when it is malformed."""
    m = _QUIET.match(entry.lower())
    if m is None:
        return None
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(m.group(1))
    h1, m1, h2, m2 = (int(g) for g in m.groups()[1:])
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) >= (h2, m2):
        return None
    return day, time(h1, m1), time(h2, m2)


class MailSettings(_Strict):
    """`[mail]`: when the objectives, questionnaire and reminder go, and the admin's templates."""

    objectives_hours_before: int = Field(24, ge=1, le=24 * 7)
    questionnaire_hours_after: int = Field(1, ge=0, le=24 * 7)
    reminder_hours_after: int = Field(48, ge=0, le=24 * 14)  # 0: no reminder
    # The admin's own templates (a folder with fr/ and en/), used before the packaged ones.
    templates: Path | None = None


class DigestSettings(_Strict):
    """`[digest]`: when the monthly digests go, and whether they quote free text."""

    day: int = Field(1, ge=1, le=28)
    hour: int = Field(8, ge=0, le=23)
    # What people write in questionnaires (learned, to develop, their goals' wording) reaches
    # their manager only when this is on; off, managers get counts and skills only.
    share_free_text: bool = False


class SkillSettings(_Strict):
    """`[skills."Excel"]`: what the admin gives for one skill (matched however it is spelt)."""

    # What session 1, 2, ... of the skill covers; later sessions follow the learners' goals.
    curriculum: list[str] = []
    resources: list[str] = []  # links or references, listed in every objectives mail


class StateSettings(_Strict):
    """`[state]`: where the agent keeps its state."""

    path: Path = Path("state")  # relative to the settings file's folder


class AgentSettings(_Strict):
    """`[agent]`: how often it ticks and reads the inbox (minutes)."""

    tick_minutes: int = Field(15, ge=1, le=24 * 60)
    inbox_minutes: int = Field(5, ge=1, le=24 * 60)


class Settings(_Strict):
    """The whole settings file, as loaded and checked by `agent.programme.settings`."""

    organisation: Organisation
    roster: RosterSettings
    programme: Programme
    hours: Hours = Hours()
    matching: MatchingSettings = MatchingSettings()
    mail: MailSettings = MailSettings()
    digest: DigestSettings = DigestSettings()
    backend: Backend = Backend()
    state: StateSettings = StateSettings()
    agent: AgentSettings = AgentSettings()
    skills: dict[str, SkillSettings] = {}
    source: Path = Path("settings.toml")  # the file these came from (set by the loader)

    def skill(self, name: str) -> SkillSettings | None:
        """What the admin gave for skill `name`, compared as the roster's skills are."""
        wanted = skill_key(name)
        return next((v for k, v in self.skills.items() if skill_key(k) == wanted), None)

    def format(self, name: str) -> FormatSettings:
        """The cadence and length of format `name` (mentoring, pair or workshop)."""
        fmt: FormatSettings = getattr(self.programme, name)
        return fmt

    @property
    def state_dir(self) -> Path:
        """The state folder (the loader resolves it against the settings file's folder)."""
        return self.state.path

    @property
    def templates_dir(self) -> Path | None:
        """The admin's own templates folder, or None for the packaged ones only."""
        return self.mail.templates

    @property
    def local_dir(self) -> Path:
        """Where the local backend keeps its calendars and mail, under the state folder."""
        return self.state.path / self.backend.local.path
