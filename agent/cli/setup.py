"""`binome init`, `check` and `auth`: setting an installation up."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.cli.base import catch_errors, command, settings_of
from agent.cli.status import check_report
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.programme.settings import installation, load_settings
from agent.resources import example


@catch_errors
def cmd_init(args: argparse.Namespace) -> int:
    """`binome init`: copy the example settings and roster into a folder; never overwrites."""
    target = Path(args.dir)
    target.mkdir(parents=True, exist_ok=True)
    toml, roster = target / "binome.toml", target / "roster.csv"
    for dest in (toml, roster):
        if dest.exists():
            raise UserError(f"{dest} already exists; not overwriting it")
    # The examples ship inside the package (agent.resources), so an installed wheel has them.
    settings = example("example.toml").decode("utf-8").replace("roster.example.csv", "roster.csv")
    toml.write_text(settings, encoding="utf-8")
    roster.write_bytes(example("roster.example.csv"))
    print(
        f"Created {toml} and {target / 'roster.csv'}.\n"
        f"Edit both, then: binome check --config {toml}"
    )
    return 0


@catch_errors
def cmd_check(args: argparse.Namespace) -> int:
    """`binome check`: check settings, roster and backends; exits 1 on a problem."""
    settings, warnings = load_settings(Path(args.config))
    lines, ok = check_report(settings, SystemClock(), accept_roster=args.accept_roster)
    if warnings:  # beside the settings' line, not only on stderr: a typo is a likely mistake
        lines[0] += f" ({len(warnings)} warning{'s' if len(warnings) > 1 else ''})"
        lines[1:1] = [f"  warning: {w}" for w in warnings]
    print("\n".join(lines))
    return 0 if ok else 1


@catch_errors
def cmd_auth(args: argparse.Namespace) -> int:
    """`binome auth`: sign in to Google or Microsoft once; the token is kept for the agent."""
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `init`, `check` and `auth` to the parser."""
    command(sub, "init", cmd_init, "copy the example settings and roster into DIR",
            config=False).add_argument("dir")
    command(sub, "check", cmd_check, "check settings, roster and backends").add_argument(
        "--accept-roster",
        action="store_true",
        help="accept a roster that dropped many people (a real departure, not a truncated export)",
    )
    sp = command(sub, "auth", cmd_auth, "sign in to Google or Microsoft once (the token is kept)")
    sp.add_argument("provider", choices=["google", "microsoft"])
    sp.add_argument("--no-browser", action="store_true",
                    help="google: print the address to open instead of opening a browser")
