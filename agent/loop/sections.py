"""The sections of `binome status` (agent.loop.health says what a section is).

Adding a section is one function here, decorated with `@section("name")`: it reads
the `Context` and returns a `Section` (its JSON under "name", its lines for a terminal,
and what is wrong, if anything). Sections appear in the order they are defined.
Document the new key in docs/status.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from agent import __version__
from agent.core.docs import iso
from agent.core.errors import ProviderError, UserError
from agent.core.keys import parse_key
from agent.core.model import Interval
from agent.core.store import LOCK
from agent.core.upkeep.migrations import SCHEMA_VERSION
from agent.core.upkeep.upgrade import version
from agent.loop.failures import group_failures
from agent.loop.health import Context, Level, Section, SectionFn, Status, collect
from agent.programme.cycles import current_cycle
from agent.programme.reports import digest_due
from agent.programme.scheduling import cycle_bounds
from agent.programme.settings import installation
from agent.providers.registry import open_calendar, open_mailbox

SECTIONS: list[tuple[str, SectionFn]] = []
LISTED = 20  # entries a list shows (the most recent); counts are always whole
RECENT = timedelta(days=7)  # failures this recent make the agent degraded
STUCK = timedelta(hours=1)  # an intent older than this should have been settled


def section(name: str) -> Callable[[SectionFn], SectionFn]:
    """Register the decorated function as the section `name`."""
    def register(make: SectionFn) -> SectionFn:
        SECTIONS.append((name, make))
        return make
    return register


def status(ctx: Context) -> Status:
    """Every section's report on the state in `ctx`."""
    return collect(ctx, SECTIONS, __version__)


def _when(value: datetime | None) -> str | None:
    return None if value is None else iso(value)


@section("agent")
def agent(ctx: Context) -> Section:
    """When it last ticked, whether it looks alive, and the state's schema."""
    marks = ctx.ledger.marks
    last, first = marks.get("last_tick"), marks.get("first_tick")
    tick = ctx.settings.agent.tick_minutes
    stale = timedelta(minutes=2 * tick + 30)  # two ticks missed, and a long one's time
    age = None if last is None else ctx.now - datetime.fromisoformat(last)
    schema = version(ctx.ledger.store)
    pid = _running_pid(ctx)
    data = {"state": str(ctx.settings.state_dir), "schema": schema,
            "schema_current": SCHEMA_VERSION, "first_tick": first, "last_tick": last,
            "minutes_since_last_tick": None if age is None else round(age / timedelta(minutes=1),
                                                                      1),
            "tick_minutes": tick, "running_pid": pid}
    lines = [f"last tick: {last or 'never'}",
             f"state: {ctx.settings.state_dir}, schema version {schema}"
             + (f" (this binome's: {SCHEMA_VERSION})" if schema != SCHEMA_VERSION else ""),
             f"agent process: {f'running, pid {pid}' if pid else 'not running'}"]
    findings: list[tuple[Level, str]] = []
    if age is None:
        findings.append(("broken", "the agent has never ticked: start it (binome run, or the "
                                   "service)"))
    elif age > stale:
        findings.append(("broken", f"no tick since {last} (every {tick} min expected): is the "
                                   "agent running?"))
    if schema is not None and schema < SCHEMA_VERSION:
        findings.append(("degraded", f"the state is at schema version {schema}: restart the "
                                     f"agent (or binome upgrade) to bring it to {SCHEMA_VERSION}"))
    return Section(data, lines, findings)


def _running_pid(ctx: Context) -> int | None:
    """The pid the lock file names, if that process is alive (a hint: pids are reused)."""
    try:
        pid = int((ctx.settings.state_dir / LOCK).read_text().strip() or 0)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, someone else's
    return pid


@section("roster")
def roster(ctx: Context) -> Section:
    """The roster as the agent reads it now, and its problems."""
    intake = ctx.look.intake.current()
    problems = [str(p) for p in intake.problems]
    data = {"path": str(ctx.settings.roster.path), "people": len(intake.participants),
            "problems": problems, "kept_from_last_good": list(intake.kept_from_last_good)}
    lines = [f"roster: {len(intake.participants)} people, {len(problems)} problem(s)"]
    lines += [f"  - {p}" for p in problems[:LISTED]]
    findings: list[tuple[Level, str]] = [("degraded", f"the roster has {len(problems)} "
                                        "problem(s): binome check lists them")] if problems else []
    return Section(data, lines, findings)


@section("pairings")
def pairings(ctx: Context) -> Section:
    """Pairings by format and status."""
    counts = Counter((r.pairing.format, r.status) for r in ctx.ledger.pairings.everything())
    by_format: dict[str, dict[str, int]] = {}
    for (fmt, status_), n in sorted(counts.items()):
        by_format.setdefault(fmt, {})[status_] = n
    active = sum(n for (_, s), n in counts.items() if s == "active")
    lines = ["pairings:"] + [f"  {fmt} {s}: {n}" for (fmt, s), n in sorted(counts.items())]
    return Section({"active": active, "by_format": by_format}, lines)


@section("actions")
def actions(ctx: Context) -> Section:
    """Actions done, failed and in flight; failures grouped by cause."""
    statuses: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    failures = []
    for action in ctx.ledger.journal.everything():
        statuses[action.status] += 1
        if action.status == "done":
            labels[parse_key(action.key).label] += 1
        elif action.status == "failed":
            failures.append(action)
    failures.sort(key=lambda a: (a.done_at or a.at, a.key))
    recent = [a for a in failures if (a.done_at or a.at) >= ctx.now - RECENT]
    groups = group_failures((a.key, a.error) for a in failures)
    intents = ctx.ledger.journal.pending()
    # An intent waiting for its next try (a temporary failure's backoff) is not stuck.
    waits = {i.key: r for i in intents
             if (r := ctx.ledger.journal.get(i.key)) is not None and r.next_try is not None}
    stuck = [i for i in intents if i.at < ctx.now - STUCK and i.key not in waits]
    to_retry = [a.key for a in failures
                if (r := ctx.ledger.journal.get(a.key)) is not None and r.retry]
    data = {
        "done": statuses["done"], "failed": statuses["failed"], "pending": len(intents),
        "done_by_label": dict(sorted(labels.items())),
        "failed_recently": len(recent),
        "failure_groups": [{"what": g.what, "why": g.why, "count": g.count,
                            "example": g.example} for g in groups],
        "last_failures": [{"key": a.key, "error": a.error, "at": _when(a.done_at or a.at)}
                          for a in failures[-LISTED:]],
        "in_flight": [{"key": i.key, "kind": i.kind, "since": iso(i.at)}
                      for i in intents[:LISTED]],
        "waiting_retry": [{"key": k, "attempts": r.attempts, "next_try": _when(r.next_try),
                           "error": r.error} for k, r in list(waits.items())[:LISTED]],
        "to_retry": to_retry[-LISTED:],
    }
    lines = ["actions: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))]
    lines += [f"  {k}: {n}" for k, n in sorted(labels.items())]
    lines.append(f"in flight (settled at next start): {len(intents)}")
    lines += [f"  {k}: attempt {r.attempts + 1} at {_when(r.next_try)} ({r.error})"
              for k, r in list(waits.items())[:LISTED]]
    if failures:
        # Tried again by `binome retry`, or by itself once the settings, templates or roster
        # change; a released one goes again at the next tick if it is still due.
        lines.append(f"failures: {len(failures)} (binome retry KEY or --all)")
        lines += [f"  {a.key}: {a.error}{' [to retry]' if a.key in to_retry else ''}"
                  for a in failures[-LISTED:]]
    findings: list[tuple[Level, str]] = []
    if recent:
        findings.append(("degraded", f"{len(recent)} action(s) failed in the last "
                                     f"{RECENT.days} days"))
    if stuck:
        findings.append(("degraded", f"{len(stuck)} action(s) in flight since {iso(stuck[0].at)}"
                                     " or before"))
    return Section(data, lines, findings)


@section("troubles")
def troubles(ctx: Context) -> Section:
    """Units of work failing now (the inbox, one series' calendar, matching...): the tick
    goes on without them and tries them again at the next one."""
    found = ctx.ledger.troubles.everything()
    data = {"count": len(found),
            "units": [{"unit": t.unit, "error": t.error, "since": iso(t.since),
                       "last": iso(t.last), "count": t.count} for t in found[:LISTED]]}
    lines = [f"failing now: {len(found)}"]
    lines += [f"  {t.unit}: {t.error} (since {iso(t.since)}, {t.count} time(s))"
              for t in found[:LISTED]]
    findings: list[tuple[Level, str]] = [
        ("degraded", f"{len(found)} unit(s) of work failing: "
                     + ", ".join(t.unit for t in found[:3]))
    ] if found else []
    return Section(data, lines, findings)


@section("quarantine")
def quarantine(ctx: Context) -> Section:
    """Inbound mail set aside, and why (the message itself stays in the mailbox)."""
    found = ctx.ledger.quarantine.everything()
    data = {"count": len(found), "recent": [{"ref": q.ref, "reason": q.reason, "at": iso(q.at)}
                                            for q in found[-LISTED:]]}
    lines = [f"quarantined inbound messages: {len(found)}"]
    lines += [f"  {q.ref} ({iso(q.at)}): {q.reason}" for q in found[-LISTED:]]
    return Section(data, lines)


@section("opted_out")
def opted_out(ctx: Context) -> Section:
    """People who replied PAUSE or STOP."""
    found = ctx.ledger.people.optouts()
    data = {"count": len(found), "people": [{"email": o.email, "mode": o.mode, "since": iso(o.at),
                                             "until": _when(o.until)} for o in found[:LISTED]]}
    return Section(data, [f"paused or stopped: {len(found)}"])


@section("waiting_list")
def waiting_list(ctx: Context) -> Section:
    """Who the last matching left out, for which formats."""
    found = ctx.ledger.people.waitlist()
    data = {"count": len(found), "people": [{"email": w.email, "cycle": w.cycle,
                                             "formats": list(w.formats)} for w in found]}
    lines = [f"waiting list: {len(found)}"]
    lines += [f"  {w.email}: {', '.join(w.formats)}" for w in found[:LISTED]]
    return Section(data, lines)


@section("bounces")
def bounces(ctx: Context) -> Section:
    """Addresses our mail bounced from."""
    found = ctx.ledger.people.bounces()
    data = {"count": len(found), "addresses": [{"address": b.address, "count": b.count,
                                                "last": iso(b.last)} for b in found[:LISTED]]}
    lines = [f"addresses our mail bounced from: {len(found)}"]
    lines += [f"  {b.address}: {b.count} time(s), last {iso(b.last)}" for b in found[:LISTED]]
    return Section(data, lines)


@section("paused_pairings")
def paused_pairings(ctx: Context) -> Section:
    """Pairings paused because someone declined their whole series."""
    found = ctx.ledger.responses.all_paused()
    data = {"count": len(found), "pairings": [{"pairing": p.pairing_id, "declined_by": p.by,
                                               "at": iso(p.at)} for p in found]}
    lines = [f"pairings paused (a whole series declined): {len(found)}"]
    lines += [f"  {p.pairing_id}: declined by {p.by}" for p in found[:LISTED]]
    return Section(data, lines)


@section("next")
def next_work(ctx: Context) -> Section:
    """What is due now (what the next tick would do), the next session, digest and cycle."""
    due = Counter(parse_key(a.key).label for a in ctx.look.planned())
    active = {p.id for p in ctx.ledger.pairings.active()}
    window = Interval(ctx.now, ctx.now + timedelta(weeks=9))
    starts = [start for pid, series in ctx.ledger.series.everything() if pid in active
              for _, start in series.sessions(window) if start > ctx.now]
    settings = ctx.settings
    _, digest = digest_due(settings, ctx.now)
    if ctx.now >= digest:
        _, digest = digest_due(settings, digest + timedelta(days=31))
    cycle = current_cycle(settings, ctx.now)
    tz = settings.organisation.timezone
    next_cycle = (settings.programme.start if cycle is None else
                  cycle_bounds(settings.programme.start, settings.programme.cycle_months,
                               ctx.now, tz)[1])
    data = {"due_now": dict(sorted(due.items())), "next_session": _when(min(starts, default=None)),
            "next_digest": iso(digest), "next_cycle": next_cycle.isoformat()}
    lines = ["due now: " + (", ".join(f"{k} {n}" for k, n in sorted(due.items())) or "nothing"),
             f"next session: {data['next_session'] or 'none booked'}; next digests: "
             f"{data['next_digest']}; next cycle: {data['next_cycle']}"]
    return Section(data, lines)


@section("backends")
def backends(ctx: Context) -> Section:
    """Whether the calendar and the mailbox answer now (only with `--probe`: looking opens no
    backend otherwise; a backend that stops answering also stops the ticks, which `agent`
    reports)."""
    settings, site = ctx.settings, installation(ctx.settings, ctx.look.clock)
    data: dict[str, Any] = {}
    lines: list[str] = []
    findings: list[tuple[Level, str]] = []
    for kind in ("calendar", "mail"):
        name = getattr(settings.backend, kind)
        if not ctx.probe:
            data[kind] = {"backend": name, "reachable": None, "error": None}
            lines.append(f"{kind} backend '{name}': not probed (binome status --probe)")
            continue
        try:
            if kind == "calendar":
                start = ctx.now
                open_calendar(settings.backend, site).free_busy(
                    [settings.organisation.programme_email],
                    Interval(start, start + timedelta(hours=1)))
            else:
                open_mailbox(settings.backend, site).was_sent("<probe@binome.invalid>")
        except (ProviderError, UserError, OSError) as exc:
            data[kind] = {"backend": name, "reachable": False, "error": str(exc)}
            lines.append(f"{kind} backend '{name}': unreachable: {exc}")
            findings.append(("broken", f"the {kind} backend '{name}' is unreachable: {exc}"))
            continue
        data[kind] = {"backend": name, "reachable": True, "error": None}
        lines.append(f"{kind} backend '{name}': reachable")
    return Section(data, lines, findings)
