"""The agent's health, as `binome status` reports it for an admin and for monitoring.

Terms:
- a *section* is one part of the report (`actions`, `waiting_list`, `backends`...): a
  function from the `Context` to a `Section` (agent.loop.sections registers them);
- its `data` is the section's JSON (docs/status.md documents every key), its `lines`
  what a terminal shows, its `findings` what is wrong, each `degraded` or `broken`;
- the *verdict* is the worst finding: `healthy` (exit 0), `degraded` (1: it works, but
  something needs the admin: failed actions, stuck intents, a bad roster row) or
  `broken` (2: it does not work: the agent stopped ticking, a backend is unreachable,
  the state cannot be read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from agent.core.ledger import Ledger
from agent.loop.look import Look
from agent.programme.settings import Settings

Level = Literal["healthy", "degraded", "broken"]
EXIT_CODES: dict[Level, int] = {"healthy": 0, "degraded": 1, "broken": 2}
FORMAT = 1  # of the JSON document; a key is only ever added, never renamed


@dataclass(frozen=True)
class Finding:
    """Something wrong: how bad (`degraded` or `broken`), in which section, and what."""

    level: Level
    section: str
    message: str

    def as_json(self) -> dict[str, str]:
        """{level, section, message}."""
        return {"level": self.level, "section": self.section, "message": self.message}


@dataclass
class Section:
    """One part of the report: its JSON data, its lines for a terminal, what is wrong."""

    data: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    findings: list[tuple[Level, str]] = field(default_factory=list)


@dataclass
class Context:
    """What a section may read: the settings, the state (read-only), the time, and the
    read-only look (roster, plan); `probe` says whether backends may be asked (a command
    that only looks opens none unless asked: `binome status --probe`)."""

    settings: Settings
    ledger: Ledger
    now: datetime
    look: Look
    probe: bool = False


SectionFn = Callable[[Context], Section]


@dataclass(frozen=True)
class Status:
    """The whole report: each section by name, and the findings of all."""

    at: datetime
    version: str
    sections: dict[str, Section]
    findings: list[Finding]

    @property
    def health(self) -> Level:
        """The worst finding's level; `healthy` without any."""
        return verdict(self.findings)

    @property
    def exit_code(self) -> int:
        """0 healthy, 1 degraded, 2 broken."""
        return EXIT_CODES[self.health]

    def as_json(self) -> dict[str, Any]:
        """The documented JSON document (docs/status.md)."""
        head: dict[str, Any] = {
            "format": FORMAT, "binome": self.version, "at": self.at.isoformat(),
            "health": self.health, "exit_code": self.exit_code,
            "problems": [f.as_json() for f in self.findings],
        }
        return {**head, **{name: s.data for name, s in self.sections.items()}}

    def lines(self) -> list[str]:
        """The report for a terminal: the verdict and its reasons, then every section."""
        out = [f"health: {self.health}"]
        out += [f"  {f.level}: {f.message}" for f in self.findings]
        for section in self.sections.values():
            out += section.lines
        return out


def verdict(findings: list[Finding]) -> Level:
    """`broken` if any finding is, else `degraded` if any, else `healthy`."""
    levels = {f.level for f in findings}
    return "broken" if "broken" in levels else "degraded" if levels else "healthy"


def failed_status(at: datetime, version: str, section: str, message: str) -> Status:
    """The report when the state cannot even be read: one broken finding."""
    return Status(at, version, {}, [Finding("broken", section, message)])


def collect(ctx: Context, sections: list[tuple[str, SectionFn]], version: str) -> Status:
    """Run every section; a section that raises is a broken finding, not a crash."""
    found: dict[str, Section] = {}
    findings: list[Finding] = []
    for name, make in sections:
        try:
            part = make(ctx)
        except Exception as exc:  # one section's bug must not hide the others
            part = Section({"error": f"{type(exc).__name__}: {exc}"},
                           [f"{name}: could not be read ({type(exc).__name__}: {exc})"],
                           [("broken", f"{name}: could not be read: {exc}")])
        found[name] = part
        findings += [Finding(level, name, message) for level, message in part.findings]
    return Status(ctx.now, version, found, findings)
