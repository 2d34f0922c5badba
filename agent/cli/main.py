"""The `binome` command: the parser, from one module per group of commands, and `main`.

Each command calls the layer below; one handler (agent.cli.base.catch_errors) prints
what the admin must fix. A new group of commands is one module with a `register`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from agent import __version__
from agent.cli import logs, looks, records, running, service, setup, state
from agent.cli.base import Command

GROUPS = (setup, looks, running, records, state, service)


def parser() -> argparse.ArgumentParser:
    """The `binome` parser, every group's commands registered."""
    p = argparse.ArgumentParser(
        prog="binome",
        description="Runs a mentoring programme from the company's calendar and mailbox.",
    )
    p.add_argument("--version", action="version", version=f"binome {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log every action")
    p.add_argument("--log-format", choices=logs.FORMATS, default="text",
                   help="text (one line per record; journald-friendly) or json (one object "
                        "per line)")
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names (`run` logs every action to standard output, the others
    their warnings to standard error: agent.cli.logs); returns the exit code."""
    args = parser().parse_args(argv)
    logs.configure(args.command, verbose=args.verbose, fmt=args.log_format)
    func: Command = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
