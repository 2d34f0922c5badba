"""Cycles: when matching runs, what it makes, and when a cycle's pairings retire.

Matching runs for the current cycle when the roster (as acted on), the opt-outs
or the cycle changed since it last ran (`Matching.stamp`), so an idle tick never
matches. `due_matching` is pure (what `binome plan` and `binome match` show);
`record_matching` writes what a tick decided.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant
from agent.programme.matching import MatchResult
from agent.programme.matchinput import propose
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


def proposal(settings: Settings, ledger: Ledger, participants: Sequence[Participant],
             cycle: str) -> MatchResult:
    """The cycle's matching as it would be now: kept pairings and new ones."""
    people = [p for p in participants if not ledger.people.stopped(p.email)]
    existing = [p for p in ledger.pairings.active() if p.cycle == cycle]
    return propose(settings, ledger, people, cycle, existing)


@dataclass(frozen=True)
class Matching:
    """What matching decided for `cycle`: the pairings not made before, and who waits."""

    cycle: str
    stamp: str
    new: tuple[Pairing, ...] = ()
    waiting: dict[str, list[str]] = field(default_factory=dict)  # email -> formats


def due_matching(settings: Settings, ledger: Ledger, intake: Intake,
                 now: datetime) -> Matching | None:
    """The matching a tick at `now` would record; None when nothing changed since the last."""
    cycle = current_cycle(settings, now)
    if cycle is None:
        return None
    stamp = f"{cycle}:{intake.digest}:{len(ledger.people.optouts())}"
    if ledger.marks.get("matched") == stamp:
        return None
    result = proposal(settings, ledger, intake.participants, cycle)
    waiting: dict[str, list[str]] = {}
    for u in result.unmatched:
        log.debug("unmatched %s in %s: %s", u.email, u.format, u.reason)
        waiting.setdefault(u.email, []).append(u.format)
    # A pairing made before (still on, or ended: someone left and came back) is not redone.
    new = tuple(p for p in result.pairings if ledger.pairings.get(p.id) is None)
    return Matching(cycle, stamp, new, waiting)


def record_matching(ledger: Ledger, matching: Matching, now: datetime) -> None:
    """Keep the new pairings and the waiting list; matching will not rerun until a change."""
    ledger.people.set_waitlist(matching.cycle, matching.waiting)
    for pairing in matching.new:
        ledger.pairings.save(pairing, now)
        log.info("matched %s: %s", pairing.format, pairing.id)
    ledger.marks.set("matched", matching.stamp)


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
