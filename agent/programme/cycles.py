"""Cycles: when matching runs, what it makes, and when a cycle's pairings retire.

Matching runs for the current cycle when the roster (as acted on), the opt-outs,
the cycle or its active pairings (one ended: someone declined its whole series)
changed since it last ran (`_stamp`), so an idle tick never matches. The
pairings that go on into a new cycle by consent (agent.programme.renewal) are kept
whole; who asked to stop a format is not matched in it. `due_matching` is pure (what
`binome plan` and `binome match` show); `record_matching` writes what a tick decided.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant, Role, short_hash
from agent.programme.matching import MatchResult
from agent.programme.matchinput import propose
from agent.programme.renewal import renewing, stopped
from agent.programme.roster.intake import Intake
from agent.programme.scheduling import cycle_bounds
from agent.programme.settings import Settings

log = logging.getLogger("binome")

# A finished cycle's pairings stop being looked at once their last questionnaire is past.
RETIRE_AFTER = timedelta(days=10)


def current_cycle(settings: Settings, now: datetime) -> str | None:
    """The first day (ISO) of the cycle `now` falls in; None before the programme starts."""
    p = settings.programme
    tz = settings.organisation.timezone
    if now.astimezone(ZoneInfo(tz)).date() < p.start:
        return None
    return cycle_bounds(p.start, p.cycle_months, now, tz)[0].isoformat()


# The role that takes part in each format, taken away from whoever asked to stop it.
ROLES: dict[str, tuple[Role, ...]] = {"mentoring": ("mentor", "mentee"), "pair": ("peer",)}


def proposal(settings: Settings, ledger: Ledger, participants: Sequence[Participant],
             cycle: str) -> MatchResult:
    """The cycle's matching as it would be now: kept pairings (renewed ones too) and new
    ones; nobody in a format they asked to stop."""
    stops = stopped(ledger)
    people = []
    for p in participants:
        if ledger.people.stopped(p.email):
            continue
        gone = {r for fmt in stops.get(p.email, ()) for r in ROLES.get(fmt, ())}
        people.append(replace(p, roles=p.roles - gone) if gone else p)
    existing = [p for p in ledger.pairings.active() if p.cycle == cycle]
    existing += renewing(settings, ledger, cycle)
    return propose(settings, ledger, people, cycle, existing)


@dataclass(frozen=True)
class Matching:
    """What matching decided for `cycle`: the pairings not made before, and who waits."""

    cycle: str
    roster: str  # the roster's digest (`Intake.digest`) matching ran on
    new: tuple[Pairing, ...] = ()
    waiting: dict[str, list[str]] = field(default_factory=dict)  # email -> formats
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # email -> format -> why
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # email -> skills


def due_matching(settings: Settings, ledger: Ledger, intake: Intake,
                 now: datetime) -> Matching | None:
    """The matching a tick at `now` would record; None when nothing changed since the last."""
    cycle = current_cycle(settings, now)
    if cycle is None:
        return None
    if ledger.marks.get("matched") == _stamp(ledger, intake.digest, cycle):
        return None
    result = proposal(settings, ledger, intake.participants, cycle)
    waiting: dict[str, list[str]] = {}
    reasons: dict[str, dict[str, str]] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for u in result.unmatched:
        log.debug("unmatched %s in %s: %s", u.email, u.format, u.reason)
        waiting.setdefault(u.email, []).append(u.format)
        reasons.setdefault(u.email, {})[u.format] = u.reason
        if u.missing:
            missing[u.email] = tuple(dict.fromkeys([*missing.get(u.email, ()), *u.missing]))
    if result.peers is not None and not result.peers.exact:
        log.info("learning groups: %d peers learn; at most %d could (%.1f%% gap)",
                 result.peers.learners, result.peers.bound, 100 * result.peers.gap)
    # A pairing made before (still on, or ended: someone left and came back) is not redone.
    new = tuple(p for p in result.pairings if ledger.pairings.get(p.id) is None)
    return Matching(cycle, intake.digest, new, waiting, reasons, missing)


def _stamp(ledger: Ledger, roster: str, cycle: str) -> str:
    """What matching depends on: the cycle, the roster, the opt-outs, the active pairings."""
    active = sorted(p.id for p in ledger.pairings.active())
    return (f"{cycle}:{roster}:{len(ledger.people.optouts())}:"
            f"{short_hash(*active, length=12)}")


def record_matching(ledger: Ledger, matching: Matching, now: datetime) -> None:
    """Keep the new pairings and the waiting list; matching will not rerun until a change."""
    ledger.people.set_waitlist(matching.cycle, matching.waiting, matching.reasons,
                               matching.missing)
    for pairing in matching.new:
        ledger.pairings.save(pairing, now)
        log.info("matched %s: %s", pairing.format, pairing.id)
    ledger.marks.set("matched", _stamp(ledger, matching.roster, matching.cycle))


def retire(settings: Settings, ledger: Ledger, now: datetime) -> None:
    """Mark last cycles' pairings completed once nothing more is due for them (daily)."""
    day = now.date().isoformat()
    if ledger.marks.get("retired") == day:
        return
    for pairing in ledger.pairings.active():
        series = ledger.series.get(pairing.id)
        if series is not None and series.until + RETIRE_AFTER < now:
            ledger.pairings.close(pairing.id, "completed", series.until)
        elif series is None and pairing.cycle < (current_cycle(settings, now) or ""):
            # Never booked (no common free slot all cycle): stop retrying.
            ledger.pairings.close(pairing.id, "completed", now, "never booked")
    ledger.marks.set("retired", day)
