"""The `binome` command. Each command calls the layer below; one handler prints errors."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from agent.clock import Clock, SimClock, SystemClock
from agent.config import Settings, load_settings
from agent.digest_files import digest_stem, write_digest
from agent.errors import UserError
from agent.intake import RosterIntake
from agent.loop import Agent, run_forever
from agent.mail.replies import ReplyError, parse_reply
from agent.privacy import export_person, forget_person
from agent.simulate import simulate
from agent.skills import needs
from agent.status import check_report, status_report
from agent.store import Store, StoreCorrupt, StoreLocked, lock

log = logging.getLogger("binome")
EXAMPLES = Path(__file__).resolve().parents[1] / "config"

Command = Callable[[argparse.Namespace], int]


def catch_errors(command: Command) -> Command:
    """The one place that turns a domain failure into a message: no traceback, exit 2."""

    @functools.wraps(command)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (UserError, StoreLocked, StoreCorrupt) as exc:
            print(f"binome: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # a folder not writable, a disk full: the admin's to fix
            print(f"binome: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                  file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130

    return wrapper


def _settings(args: argparse.Namespace) -> Settings:
    settings, warnings = load_settings(Path(args.config))
    for warning in warnings:
        log.warning("%s", warning)
    return settings


def _clock(args: argparse.Namespace) -> Clock:
    at = getattr(args, "at", None)
    if not at:
        return SystemClock()
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise UserError(
            f"--at {at!r} is not an ISO date/time (e.g. 2026-10-05T09:00+02:00)"
        ) from None
    return SimClock(when if when.tzinfo else when.replace(tzinfo=UTC))


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
    settings = _settings(args)
    lines, ok = check_report(settings, SystemClock(), accept_roster=args.accept_roster)
    print("\n".join(lines))
    return 0 if ok else 1


@catch_errors
def cmd_auth(args: argparse.Namespace) -> int:
    # Each provider's sign-in code is imported only when asked for (msal, oauthlib).
    if args.provider == "google":
        from agent.google_setup import authorize

        store = authorize(_settings(args), open_browser=not args.no_browser)
        print(f"Authorized; stored in {store} (readable by you only). "
              f"Check it with: binome check --config {args.config}")
        return 0
    from agent.backends_microsoft import cached_sign_in, sign_in

    settings = _settings(args)
    who = sign_in(settings, print)
    print(f"Signed in as {who}. The sign-in is kept in {cached_sign_in(settings).cache_file} "
          "(readable only by you); the agent renews it by itself.")
    return 0


@catch_errors
def cmd_plan(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with lock(settings.state_dir):
        agent = Agent(settings, Store(settings.state_dir), _clock(args))
        actions = agent.planned()  # never flushed: the plan changes nothing
        preview = [] if args.json else agent.booking_preview(actions)
    if args.json:
        print(json.dumps([a.as_json() for a in actions], indent=2, ensure_ascii=False))
    else:
        print(f"{len(actions)} action(s) due at {agent.clock.now().isoformat()}:")
        for action in actions:
            print(f"  {action.describe()}")
        if preview:
            print("sessions it would book:")
            print("\n".join(preview))
    return 0


@catch_errors
def cmd_match(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with lock(settings.state_dir):
        agent = Agent(settings, Store(settings.state_dir), SystemClock())
        cycle, result = agent.proposal_now()  # never flushed: showing changes nothing
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
    settings = _settings(args)
    with lock(settings.state_dir):
        people = Agent(settings, Store(settings.state_dir), SystemClock()).participants()
    found = needs(people, settings.matching.strategic)
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


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise UserError(f"--month {text!r}: expected a month as YYYY-MM, e.g. 2026-10")
    return text


@catch_errors
def cmd_digest(args: argparse.Namespace) -> int:
    settings = _settings(args)
    month = _month(args.month)
    if not args.out and not args.send:
        raise UserError("binome digest: give --out DIR to write the digests, --send to send "
                        "them, or both")
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        agent = Agent(settings, store, _clock(args))
        if args.out:
            written = [write_digest(raw, Path(args.out), digest_stem(key))
                       for key, raw in agent.render_digests(month)]
            for path in written:
                if path is not None:
                    print(f"wrote {path} (and its .eml and charts)")
        if args.send:
            outcomes = agent.send_digests(month)
            for o in outcomes:
                print(f"{o.action.key}: {o.result}")
            print(f"{sum(o.ok for o in outcomes)} digest(s) sent for {month}; "
                  "those sent before are not sent again")
            store.close()
            return 1 if any(not o.ok for o in outcomes) else 0
    return 0


@catch_errors
def cmd_export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with lock(settings.state_dir):
        data = export_person(Store(settings.state_dir), args.email)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        found = sum(len(docs) for docs in data["held"].values())
        print(f"wrote {args.out}: {found} record(s) about {data['email']}")
    else:
        sys.stdout.write(text)
    return 0


@catch_errors
def cmd_forget(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        email = args.email.strip().lower()
        in_roster = email in RosterIntake(settings, store).current().by_email()
        done = forget_person(store, email, in_roster)
        store.close()
    print(f"forgot {done.email}: {done.deleted} record(s) deleted, {done.rewritten} kept "
          f"under {done.pseudonym} (anonymous totals only)")
    return 0


@catch_errors
def cmd_tick(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with lock(settings.state_dir):
        store = Store(settings.state_dir)
        report = Agent(settings, store, _clock(args)).tick()
        store.close()
    print(report.summary())
    return 1 if any(o.result.startswith("failed") for o in report.outcomes) else 0


@catch_errors
def cmd_run(args: argparse.Namespace) -> int:
    run_forever(_settings(args), SystemClock(), max_seconds=args.max_seconds)
    return 0


@catch_errors
def cmd_status(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print("\n".join(status_report(settings)))
    return 0


@catch_errors
def cmd_simulate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.months < 1 or args.months > 36:
        raise UserError("--months must be between 1 and 36")
    summary = simulate(settings, Path(args.out), months=args.months, seed=args.seed)
    print(summary.text())
    return 0


@catch_errors
def cmd_reply_parse(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        reply = parse_reply(path.read_bytes())
    except ReplyError as exc:
        raise UserError(f"{path}: {exc}") from None
    understood = reply.understood()
    if args.json:
        print(json.dumps(understood, indent=2, ensure_ascii=False))
        return 0
    # Labels and values stay language-neutral: the admin may read French or English.
    shown = {True: "yes", False: "no", None: "-"}
    print(f"{path.name}: from {reply.sender}, subject {reply.subject!r}")
    for field, value in understood.items():
        label = field.replace("_", " ")
        if field == "goals":
            print(f"  {label + ':':<16}" + ("-" if not value else ""))
            for goal in value:
                print(f"    - {goal}")
            continue
        text = shown[value] if value is None or isinstance(value, bool) else value
        print(f"  {label + ':':<16}{text}")
    if reply.automatic:
        print(f"  (automatic reply: {reply.automatic})")
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
