"""What `binome check` and `binome status` report: plain lines for the admin."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from agent.backends import open_calendar, open_mailbox
from agent.clock import Clock
from agent.config import Settings
from agent.errors import ProviderError, UserError
from agent.intake import RosterIntake
from agent.ledger import Ledger
from agent.model import Interval
from agent.store import Store, lock


def check_report(
    settings: Settings, clock: Clock, *, accept_roster: bool
) -> tuple[list[str], bool]:
    """Settings (already loaded), roster, backends: every problem listed; ok when none."""
    lines = [f"settings: {settings.source}: ok"]
    ok = True
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        intake = RosterIntake(settings, store).current(accept_drop=accept_roster)
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
        store.close()
    now = clock.now()
    for name, probe in (("calendar", _probe_calendar), ("mail", _probe_mail)):
        try:
            probe(settings, clock, now)
            lines.append(f"{name} backend '{getattr(settings.backend, name)}': reachable")
        except (ProviderError, UserError, OSError) as exc:
            ok = False
            lines.append(f"{name} backend '{getattr(settings.backend, name)}': {exc}")
    return lines, ok


def _probe_calendar(settings: Settings, clock: Clock, now: object) -> None:
    calendar = open_calendar(settings, clock)
    start = clock.now()
    calendar.free_busy(
        [settings.organisation.programme_email], Interval(start, start + timedelta(hours=1))
    )


def _probe_mail(settings: Settings, clock: Clock, now: object) -> None:
    mailbox = open_mailbox(settings)
    mailbox.was_sent("<probe@binome.invalid>")


def status_report(settings: Settings) -> list[str]:
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        ledger = Ledger(store)
        pairings = Counter((d["format"], d["status"]) for d in ledger.pairing_docs())
        actions = Counter(a["status"] for _, a in store.all("actions"))
        kinds = Counter(
            k.split("/")[0] + "/" + k.split("/")[1] if k.startswith("mail/") else k.split("/")[0]
            for k, a in store.all("actions")
            if a["status"] == "done"
        )
        failures = [(k, a) for k, a in store.all("actions") if a["status"] == "failed"]
        quarantined = sum(1 for _ in store.all("quarantine"))
        optouts = list(store.all("optout"))
        pending = store.pending()
        last = ledger.mark("last_tick") or "never"
    lines = [f"last tick: {last}", "pairings:"]
    lines += [f"  {fmt} {status}: {n}" for (fmt, status), n in sorted(pairings.items())]
    lines.append("actions: " + ", ".join(f"{s} {n}" for s, n in sorted(actions.items())))
    lines += [f"  {k}: {n}" for k, n in sorted(kinds.items())]
    lines.append(f"in flight (settled at next start): {len(pending)}")
    lines.append(f"quarantined inbound messages: {quarantined}")
    lines.append(f"paused or stopped: {len(optouts)}")
    if failures:
        lines.append("failures:")
        lines += [f"  {k}: {a.get('error', '')}" for k, a in failures[-20:]]
    return lines
