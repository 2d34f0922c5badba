"""`binome tick`, `run` and `simulate`: commands that act (they hold the state's lock)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from agent.cli.base import catch_errors, command, running, settings_of
from agent.cli.progress import bar
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.core.ledger import Ledger
from agent.core.requests import leave
from agent.core.store import Store, StoreLocked, lock
from agent.loop.failures import failure_lines, group_failures
from agent.loop.run import run_forever
from agent.sim.simulate import simulate


@catch_errors
def cmd_tick(args: argparse.Namespace) -> int:
    """`binome tick`: do everything due now, once; exits 1 when an action or a unit of work
    failed (the rest was done; the failures grouped by cause)."""
    with running(args) as agent:
        last = agent.ledger.marks.get("last_tick")
        now = agent.clock.now()
        if args.at and last is not None and now < datetime.fromisoformat(last):
            raise UserError(f"--at {args.at}: before the last tick ({last}); ticking in the "
                            "past would do again what the agent did since, so nothing was done")
        report = agent.tick()
    print(report.summary())
    failed = [(o.key, o.result) for o in report.outcomes if o.failed]
    retried = [(o.key, o.result.removeprefix("retry: ")) for o in report.outcomes
               if o.result.startswith("retry")]
    if retried:
        print(f"{len(retried)} action(s) to retry at a later tick:")
        print("\n".join(failure_lines(group_failures(retried))))
    if failed:
        print(f"{len(failed)} action(s) FAILED:")
        print("\n".join(failure_lines(group_failures(failed))))
        print(f"binome: {len(failed)} action(s) failed in this tick", file=sys.stderr)
    return 1 if failed or report.troubles else 0


@catch_errors
def cmd_retry(args: argparse.Namespace) -> int:
    """`binome retry KEY|--all`: try failed (or postponed) actions again at the next tick."""
    if bool(args.key) == bool(args.all):
        raise UserError("binome retry: give one action's KEY (binome status lists them) or --all")
    settings = settings_of(args)
    look = Ledger(Store(settings.state_dir, readonly=True)).journal
    if args.key:
        record = look.get(args.key)
        if record is None or not (record.status == "failed" or record.next_try is not None):
            raise UserError(f"{args.key}: no failed or postponed action under this key "
                            "(binome status lists them)")
    keys = [args.key] if args.key else None
    try:
        with lock(settings.state_dir):
            store = Store(settings.state_dir)
            journal = Ledger(store).journal
            released = ([k for k in keys if journal.release(k)] if keys is not None
                        else journal.release_all())
            store.close()
    except StoreLocked:  # `binome run` holds the state: it takes the request at its next tick
        leave(settings.state_dir, "retry", {"keys": keys})
        print("the running agent will try them again at its next tick")
        return 0
    for key in released:
        print(f"to retry: {key}")
    print(f"{len(released)} action(s) will be tried again at the next tick (binome tick to "
          "do it now); those no longer due are left as they are")
    return 0


@catch_errors
def cmd_run(args: argparse.Namespace) -> int:
    """`binome run`: tick on a schedule until stopped."""
    run_forever(settings_of(args), SystemClock(), max_seconds=args.max_seconds)
    return 0


@catch_errors
def cmd_simulate(args: argparse.Namespace) -> int:
    """`binome simulate`: the agent on a simulated clock, with simulated people, 1-36 months;
    exits 1 when actions failed (grouped by cause in the summary)."""
    settings = settings_of(args)
    if args.months < 1 or args.months > 36:
        raise UserError("--months must be between 1 and 36")
    with bar("simulating") as progress:
        summary = simulate(settings, Path(args.out), months=args.months, seed=args.seed,
                           progress=progress)
    print(summary.text())
    if summary.failed:
        print(f"binome: {summary.failed} action(s) failed in the simulation", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tick`, `run` and `simulate` to the parser."""
    command(sub, "tick", cmd_tick, "do everything due now, once").add_argument("--at")
    sp = command(sub, "retry", cmd_retry, "try failed actions again at the next tick")
    sp.add_argument("key", nargs="?", help="the action's key, as binome status shows it")
    sp.add_argument("--all", action="store_true", help="every failed or postponed action")
    command(sub, "run", cmd_run, "run the agent until stopped").add_argument(
        "--max-seconds", type=float, default=None, help=argparse.SUPPRESS
    )
    sp = command(
        sub, "simulate", cmd_simulate, "run the agent on a simulated clock with simulated people"
    )
    sp.add_argument("--months", type=int, default=3)
    sp.add_argument("--out", required=True)
    sp.add_argument("--seed", type=int, default=1)
