"""What `binome check` and `binome status` report: plain lines for the admin."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from agent.core.clock import Clock
from agent.core.docs import iso
from agent.core.errors import ProviderError, UserError
from agent.core.keys import parse_key
from agent.core.ledger import Ledger
from agent.core.model import Interval
from agent.core.store import Store, StoreCorrupt, lock
from agent.programme.holidays import inferred_regions
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
        intake = RosterIntake(settings, Ledger(store)).current(accept_drop=accept_roster)
        if intake.problems:
            ok = False
            lines.append(f"roster: {settings.roster.path}: {len(intake.problems)} problem(s)")
            lines += [f"  - {p}" for p in intake.problems]
        else:
            lines.append(f"roster: {settings.roster.path}: {len(intake.participants)} people, ok")
        for (zone, country, region), count in sorted(
                inferred_regions(intake.participants).items()):
            lines.append(f"  holidays: {count} in {zone} get {country}-{region}'s public "
                         "holidays (from the time zone; a region column overrides it)")
        if intake.kept_from_last_good:
            lines.append(
                "  kept as of the last good roster: " + ", ".join(intake.kept_from_last_good)
            )
        if accept_roster and not intake.refused:
            store.flush()  # the accepted roster becomes the last good one
            lines.append("  roster accepted")
        # Otherwise nothing is flushed: checking never changes the agent's state.
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
    """The programme's and the agent's state, read-only: works beside a running agent."""
    if not settings.state_dir.is_dir():
        raise StoreCorrupt(f"{settings.state_dir}: no state here yet (has the agent run?)")
    ledger = Ledger(Store(settings.state_dir, readonly=True))
    pairings = Counter((r.pairing.format, r.status) for r in ledger.pairings.everything())
    statuses: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    failures = []
    for action in ledger.journal.everything():
        statuses[action.status] += 1
        if action.status == "done":
            kinds[parse_key(action.key).label] += 1
        elif action.status == "failed":
            failures.append((action.key, action.error))
    lines = [f"last tick: {ledger.marks.get('last_tick') or 'never'}", "pairings:"]
    lines += [f"  {fmt} {status}: {n}" for (fmt, status), n in sorted(pairings.items())]
    lines.append("actions: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    lines += [f"  {k}: {n}" for k, n in sorted(kinds.items())]
    lines.append(f"in flight (settled at next start): {len(ledger.journal.pending())}")
    quarantined = ledger.quarantine.everything()
    lines.append(f"quarantined inbound messages: {len(quarantined)}")
    # The most recent, with why: the message itself is still in the mailbox, under `ref`.
    lines += [f"  {q.ref} ({iso(q.at)}): {q.reason}" for q in quarantined[-20:]]
    lines.append(f"paused or stopped: {len(ledger.people.optouts())}")
    waiting = ledger.people.waitlist()
    lines.append(f"waiting list: {len(waiting)}")
    lines += [f"  {w.email}: {', '.join(w.formats)}" for w in waiting[:20]]
    bounces = ledger.people.bounces()
    lines.append(f"addresses our mail bounced from: {len(bounces)}")
    lines += [f"  {b.address}: {b.count} time(s), last {iso(b.last)}" for b in bounces[:20]]
    declined = ledger.responses.all_paused()
    lines.append(f"pairings paused (a whole series declined): {len(declined)}")
    lines += [f"  {p.pairing_id}: declined by {p.by}" for p in declined[:20]]
    if failures:
        lines.append("failures:")
        lines += [f"  {key}: {error}" for key, error in failures[-20:]]
    return lines
