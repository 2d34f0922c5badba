"""`binome plan`, `match`, `skills` and `status`: commands that only look.

Each reads the state read-only, without the lock (they work beside `binome run`),
and opens no backend it does not need (agent.loop.look).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from agent import __version__
from agent.cli.base import catch_errors, clock_of, command, looking, settings_of
from agent.cli.progress import bar
from agent.cli.status import health_report
from agent.core.actions import as_json, describe
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.core.store import StoreCorrupt
from agent.loop.health import Status, failed_status
from agent.programme.skills import needs


@catch_errors
def cmd_plan(args: argparse.Namespace) -> int:
    """`binome plan`: the actions the next tick would take, and the slots it would book."""
    look = looking(args)
    actions = look.planned()
    preview = [] if args.json else look.booking_preview(actions)
    if args.json:
        print(json.dumps([as_json(a) for a in actions], indent=2, ensure_ascii=False))
    else:
        print(f"{len(actions)} action(s) due at {look.clock.now().isoformat()}:")
        for action in actions:
            print(f"  {describe(action)}")
        if preview:
            print("sessions it would book:")
            print("\n".join(preview))
    return 0


@catch_errors
def cmd_match(args: argparse.Namespace) -> int:
    """`binome match`: who the current cycle's matching pairs with whom, and who is left out."""
    look = looking(args, SystemClock())
    with bar(f"matching {len(look.participants())} people"):  # one solve: a pulsing bar
        cycle, result = look.proposal_now()
    pairings = [{"format": p.format, "members": list(p.members),
                 "mentor": p.host if p.format == "mentoring" else None,
                 "skills": list(p.skills), "why": p.reason} for p in result.pairings]
    unmatched = [{"email": u.email, "format": u.format, "reason": u.reason}
                 for u in result.unmatched]
    if args.json:
        print(json.dumps({"cycle": cycle, "pairings": pairings, "unmatched": unmatched},
                         indent=2, ensure_ascii=False))
        return 0
    print(f"cycle from {cycle}: {len(pairings)} pairing(s), {len(unmatched)} left out")
    for pairing in result.pairings:
        print(f"  {pairing.format}: {' + '.join(pairing.members)}\n    {pairing.reason}")
    for u in unmatched:
        print(f"  unmatched ({u['format']}): {u['email']}: {u['reason']}")
    return 0


@catch_errors
def cmd_skills(args: argparse.Namespace) -> int:
    """`binome skills`: each skill wanted and taught, and the gaps no insider fills."""
    look = looking(args, SystemClock())
    found = needs(look.participants(), look.settings.matching.strategic)
    if args.json:
        print(json.dumps([n.as_json() for n in found], indent=2, ensure_ascii=False))
        return 0
    for n in found:
        flag = " [strategic]" if n.strategic else ""
        print(f"{n.name}{flag}: wanted by {len(n.wanted_by)}, taught by {len(n.taught_by)}"
              + (f" (+{len(n.external_teachers)} external)" if n.external_teachers else ""))
        if n.gap:
            hint = ("an external mentor teaches it" if n.external_teachers
                    else "no one teaches it: consider bringing in an external mentor")
            print(f"    gap: no insider teaches it; {hint}")
    return 0


@catch_errors
def cmd_status(args: argparse.Namespace) -> int:
    """`binome status`: the programme's and the agent's state and health; exits 0 healthy,
    1 degraded, 2 broken (for monitoring; `--json` documented in docs/status.md)."""
    report: Status
    try:
        report = health_report(settings_of(args), clock_of(args), probe=args.probe)
    except (UserError, StoreCorrupt, OSError) as exc:
        if not args.json:
            raise  # the one handler prints it, and exits 2
        # A monitor reading JSON gets JSON even when nothing can be read.
        report = failed_status(datetime.now(UTC), __version__, "state", str(exc))
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return report.exit_code


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `plan`, `match`, `skills` and `status` to the parser."""
    sp = command(sub, "plan", cmd_plan, "show what the next tick would do; changes nothing")
    sp.add_argument("--at", help="plan as of this ISO date/time instead of now")
    sp.add_argument("--json", action="store_true")
    command(sub, "match", cmd_match, "show who would be matched with whom, and why; "
            "changes nothing").add_argument("--json", action="store_true")
    command(sub, "skills", cmd_skills, "the skills wanted and taught, and the gaps no insider "
            "fills").add_argument("--json", action="store_true")
    sp = command(sub, "status", cmd_status, "programme and agent status and health (exit 0 "
                 "healthy, 1 degraded, 2 broken)")
    sp.add_argument("--json", action="store_true", help="one JSON document (docs/status.md)")
    sp.add_argument("--probe", action="store_true",
                    help="also ask the calendar and mail backends whether they answer now "
                         "(with the agent's credentials); unreachable is broken")
    sp.add_argument("--at", help="judge as of this ISO date/time instead of now")
