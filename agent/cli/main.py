"""The `binome` command. Each command calls the layer below; one handler prints errors."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.cli.base import Command, catch_errors, looking, running, settings_of
from agent.cli.records import cmd_digest, cmd_export, cmd_forget, cmd_reply_parse
from agent.cli.status import check_report, status_report
from agent.core.actions import as_json, describe
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.loop.run import run_forever
from agent.programme.settings import installation
from agent.programme.skills import needs
from agent.sim.simulate import simulate

log = logging.getLogger("binome")
EXAMPLES = Path(__file__).resolve().parents[2] / "config"


@catch_errors
def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("example.toml", "roster.example.csv"):
        dest = target / ("binome.toml" if name == "example.toml" else "roster.csv")
        if dest.exists():
            raise UserError(f"{dest} already exists; not overwriting it")
        shutil.copyfile(EXAMPLES / name, dest)
    toml = target / "binome.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("roster.example.csv", "roster.csv"),
        encoding="utf-8",
    )
    print(
        f"Created {toml} and {target / 'roster.csv'}.\n"
        f"Edit both, then: binome check --config {toml}"
    )
    return 0


@catch_errors
def cmd_check(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    lines, ok = check_report(settings, SystemClock(), accept_roster=args.accept_roster)
    print("\n".join(lines))
    return 0 if ok else 1


@catch_errors
def cmd_auth(args: argparse.Namespace) -> int:
    # Each provider's sign-in code is imported only when asked for (msal, oauthlib).
    if args.provider == "google":
        from agent.providers.google.setup import authorize

        settings = settings_of(args)
        store = authorize(settings.backend.google, installation(settings, SystemClock()),
                          open_browser=not args.no_browser)
        print(f"Authorized; stored in {store} (readable by you only). "
              f"Check it with: binome check --config {args.config}")
        return 0
    from agent.providers.microsoft.setup import cached_sign_in, sign_in

    settings = settings_of(args)
    table, site = settings.backend.microsoft365, installation(settings, SystemClock())
    who = sign_in(table, site, print)
    print(f"Signed in as {who}. The sign-in is kept in {cached_sign_in(table, site).cache_file} "
          "(readable only by you); the agent renews it by itself.")
    return 0


@catch_errors
def cmd_plan(args: argparse.Namespace) -> int:
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
    cycle, result = looking(args, SystemClock()).proposal_now()
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
def cmd_tick(args: argparse.Namespace) -> int:
    with running(args) as agent:
        report = agent.tick()
    print(report.summary())
    return 1 if any(o.failed for o in report.outcomes) else 0


@catch_errors
def cmd_run(args: argparse.Namespace) -> int:
    run_forever(settings_of(args), SystemClock(), max_seconds=args.max_seconds)
    return 0


@catch_errors
def cmd_status(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    print("\n".join(status_report(settings)))
    return 0


@catch_errors
def cmd_simulate(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    if args.months < 1 or args.months > 36:
        raise UserError("--months must be between 1 and 36")
    summary = simulate(settings, Path(args.out), months=args.months, seed=args.seed)
    print(summary.text())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="binome",
        description="Runs a mentoring programme from the company's calendar and mailbox.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every action")
    sub = p.add_subparsers(dest="command", required=True)

    def command(
        name: str, func: Command, help: str, config: bool = True
    ) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help)
        if config:
            sp.add_argument("--config", required=True, help="the settings file (TOML)")
        sp.set_defaults(func=func)
        return sp

    command(
        "init", cmd_init, "copy the example settings and roster into DIR", config=False
    ).add_argument("dir")
    command("check", cmd_check, "check settings, roster and backends").add_argument(
        "--accept-roster",
        action="store_true",
        help="accept a roster that dropped many people (a real departure, not a truncated export)",
    )
    sp = command("auth", cmd_auth, "sign in to Google or Microsoft once (the token is kept)")
    sp.add_argument("provider", choices=["google", "microsoft"])
    sp.add_argument("--no-browser", action="store_true",
                    help="google: print the address to open instead of opening a browser")
    sp = command("plan", cmd_plan, "show what the next tick would do; changes nothing")
    sp.add_argument("--at", help="plan as of this ISO date/time instead of now")
    sp.add_argument("--json", action="store_true")
    command("match", cmd_match, "show who would be matched with whom, and why; "
            "changes nothing").add_argument("--json", action="store_true")
    command("skills", cmd_skills, "the skills wanted and taught, and the gaps no insider "
            "fills").add_argument("--json", action="store_true")
    command("tick", cmd_tick, "do everything due now, once").add_argument("--at")
    sp = command("digest", cmd_digest, "write a month's digests as .eml and .html files, "
                 "or send those not sent yet")
    sp.add_argument("--month", required=True, help="YYYY-MM")
    sp.add_argument("--out", help="folder for the .eml, .html and chart files")
    sp.add_argument("--send", action="store_true", help="send the digests not sent yet")
    sp.add_argument("--at", help="compose as of this ISO date/time instead of now")
    sp = command("export", cmd_export, "write everything held about one person, as JSON")
    sp.add_argument("--email", required=True)
    sp.add_argument("--out", help="file to write (default: standard output)")
    command("forget", cmd_forget, "erase one person from the agent's state and future "
            "digests").add_argument("--email", required=True)
    command("run", cmd_run, "run the agent until stopped").add_argument(
        "--max-seconds", type=float, default=None, help=argparse.SUPPRESS
    )
    command("status", cmd_status, "programme and agent status")
    sp = command(
        "simulate", cmd_simulate, "run the agent on a simulated clock with simulated people"
    )
    sp.add_argument("--months", type=int, default=3)
    sp.add_argument("--out", required=True)
    sp.add_argument("--seed", type=int, default=1)
    reply = sub.add_parser("reply", help="what the agent reads in an email")
    reply_sub = reply.add_subparsers(dest="reply_command", required=True)
    sp = reply_sub.add_parser(
        "parse", help="print what the agent understands of one .eml message; reads no ledger"
    )
    sp.add_argument("file", help="a message as received (.eml)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_reply_parse)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s" if args.command == "run" else "%(message)s",
        stream=sys.stderr,
    )
    func: Command = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
