"""What `binome check` and `binome status` report: plain lines for the admin."""

from __future__ import annotations

from datetime import timedelta

from agent.core.clock import Clock, SystemClock
from agent.core.errors import ProviderError, UserError
from agent.core.ledger import Ledger
from agent.core.model import Interval
from agent.core.store import Store, StoreCorrupt, lock, loose_modes
from agent.core.upkeep.migrations import SCHEMA_VERSION
from agent.core.upkeep.upgrade import StateTooNew, refuse_newer, version
from agent.loop.health import Context, Status
from agent.loop.look import Look
from agent.loop.sections import status
from agent.programme.roster.intake import RosterIntake
from agent.programme.settings import Settings, installation
from agent.providers.microsoft.settings import exchange_warnings
from agent.providers.registry import backend_notes, open_calendar, open_mailbox


def check_report(
    settings: Settings, clock: Clock, *, accept_roster: bool
) -> tuple[list[str], bool]:
    """Settings (already loaded), roster, backends: every problem listed; ok when none."""
    lines = [f"settings: {settings.source}: ok"]
    ok = True
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        schema_line, schema_ok = _schema_line(store)  # as on disk, before the intake's writes
        intake = RosterIntake(settings, Ledger(store)).current(accept_drop=accept_roster)
        if intake.problems:
            ok = False
            lines.append(f"roster: {settings.roster.path}: {len(intake.problems)} problem(s)")
            lines += [f"  - {p}" for p in intake.problems]
        else:
            lines.append(f"roster: {settings.roster.path}: {len(intake.participants)} people, ok")
        if intake.kept_from_last_good:
            lines.append(
                "  kept as of the last good roster: " + ", ".join(intake.kept_from_last_good)
            )
        if accept_roster and not intake.refused:
            store.flush()  # the accepted roster becomes the last good one
            lines.append("  roster accepted")
        # Otherwise nothing is flushed: checking never changes the agent's state.
        lines.append(schema_line)
        ok = ok and schema_ok
    loose = loose_modes(settings.state_dir)
    if loose:
        # The state holds feedback, goals and raw mail: nobody but the agent's user reads it.
        lines += [f"warning: {entry} (readable by others)" for entry in loose[:10]]
        more = f" and {len(loose) - 10} more" if len(loose) > 10 else ""
        lines.append(f"  the state should be readable by its owner only{more}: run "
                     f"chmod -R go-rwx {settings.state_dir}")
    backend = settings.backend
    lines += [f"warning: {w}" for w in exchange_warnings(backend.calendar, backend.mail,
                                                         backend.exchange)]
    now = clock.now()
    lines += backend_notes(backend, installation(settings, clock))
    for name, probe in (("calendar", _probe_calendar), ("mail", _probe_mail)):
        try:
            probe(settings, clock, now)
            lines.append(f"{name} backend '{getattr(settings.backend, name)}': reachable")
        except (ProviderError, UserError, OSError) as exc:
            ok = False
            lines.append(f"{name} backend '{getattr(settings.backend, name)}': {exc}")
    return lines, ok


def _schema_line(store: Store) -> tuple[str, bool]:
    """What `check` says of the state's schema version; not ok when it is too new to read."""
    try:
        refuse_newer(store)
    except StateTooNew as exc:
        return f"state: {exc}", False
    found = version(store)
    if found is None:
        return f"state: {store.path}: new (the agent starts it at its first tick)", True
    if found < SCHEMA_VERSION:
        return (f"state: {store.path}: schema version {found}; the agent upgrades it to "
                f"{SCHEMA_VERSION} when it starts (binome upgrade does it now, after a backup)",
                True)
    return f"state: {store.path}: schema version {found}, up to date", True


def _probe_calendar(settings: Settings, clock: Clock, now: object) -> None:
    calendar = open_calendar(settings.backend, installation(settings, clock))
    start = clock.now()
    calendar.free_busy(
        [settings.organisation.programme_email], Interval(start, start + timedelta(hours=1))
    )


def _probe_mail(settings: Settings, clock: Clock, now: object) -> None:
    mailbox = open_mailbox(settings.backend, installation(settings, clock))
    mailbox.was_sent("<probe@binome.invalid>")


def status_report(settings: Settings) -> list[str]:
    """What `binome status` prints in a terminal, now: the verdict, then every section."""
    return health_report(settings, SystemClock(), probe=False).lines()


def health_report(settings: Settings, clock: Clock, *, probe: bool) -> Status:
    """The programme's and the agent's state, read-only: works beside a running agent."""
    if not settings.state_dir.is_dir():
        raise StoreCorrupt(f"{settings.state_dir}: no state here yet (has the agent run?)")
    look = Look(settings, clock)  # refuses a state newer than this binome
    return status(Context(settings, look.ledger, clock.now(), look, probe=probe))
