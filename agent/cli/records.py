"""`binome` commands about what the agent holds and reads: digests, one person's data,
one reply."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from agent.cli.base import catch_errors, command, looking, running, settings_of
from agent.cli.progress import bar
from agent.conversation.replies.parse import ReplyError, parse_reply
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.core.ledger import Ledger
from agent.core.privacy import export_person, forget_person
from agent.core.store import Store, lock
from agent.core.upkeep.upgrade import open_state, refuse_newer
from agent.digest.files import digest_stem, write_digest
from agent.programme.roster.intake import RosterIntake


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise UserError(f"--month {text!r}: expected a month as YYYY-MM, e.g. 2026-10")
    return text


@catch_errors
def cmd_digest(args: argparse.Namespace) -> int:
    """`binome digest`: write a month's digests (`--out`) and/or send those not sent (`--send`)."""
    month = _month(args.month)
    if not args.out and not args.send:
        raise UserError("binome digest: give --out DIR to write the digests, --send to send "
                        "them, or both")
    if args.out:  # only looks: works beside a running agent
        with bar(f"composing the digests of {month}") as progress:
            written = [write_digest(raw, Path(args.out), digest_stem(key))
                       for key, raw in looking(args).render_digests(month, progress)]
        for path in written:
            if path is not None:
                print(f"wrote {path} (and its .eml and charts)")
    if args.send:
        with running(args) as agent:
            outcomes = agent.send_digests(month)
        for o in outcomes:
            print(f"{o.key}: {o.result}")
        print(f"{sum(o.ok for o in outcomes)} digest(s) sent for {month}; "
              "those sent before are not sent again")
        return 1 if any(not o.ok for o in outcomes) else 0
    return 0


@catch_errors
def cmd_export(args: argparse.Namespace) -> int:
    """`binome export`: everything the state holds about one person, as JSON."""
    settings = settings_of(args)
    store = Store(settings.state_dir, readonly=True)
    refuse_newer(store)
    data = export_person(store, args.email)
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
    """`binome forget`: erase one person from the state (not while in the roster or a pairing)."""
    settings = settings_of(args)
    with lock(settings.state_dir):
        store = open_state(settings.state_dir, SystemClock().now())
        email = args.email.strip().lower()
        in_roster = email in RosterIntake(settings, Ledger(store)).current().by_email()
        done = forget_person(store, email, in_roster, names=args.name or ())
        store.close()
    print(f"forgot {done.email}: {done.deleted} record(s) deleted, {done.rewritten} kept "
          f"under {done.pseudonym} (anonymous totals only)")
    return 0


@catch_errors
def cmd_reply_parse(args: argparse.Namespace) -> int:
    """`binome reply parse`: what the agent understands of one .eml message; reads no ledger."""
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `digest`, `export`, `forget` and `reply parse` to the parser."""
    sp = command(sub, "digest", cmd_digest, "write a month's digests as .eml and .html files, "
                 "or send those not sent yet")
    sp.add_argument("--month", required=True, help="YYYY-MM")
    sp.add_argument("--out", help="folder for the .eml, .html and chart files")
    sp.add_argument("--send", action="store_true", help="send the digests not sent yet")
    sp.add_argument("--at", help="compose as of this ISO date/time instead of now")
    sp = command(sub, "export", cmd_export, "write everything held about one person, as JSON")
    sp.add_argument("--email", required=True)
    sp.add_argument("--out", help="file to write (default: standard output)")
    sp = command(sub, "forget", cmd_forget, "erase one person from the agent's state and "
                 "future digests")
    sp.add_argument("--email", required=True)
    sp.add_argument("--name", action="append", help="another name they went by (the ones "
                    "in the roster are known already); may be repeated")
    reply = sub.add_parser("reply", help="what the agent reads in an email")
    reply_sub = reply.add_subparsers(dest="reply_command", required=True)
    sp = reply_sub.add_parser(
        "parse", help="print what the agent understands of one .eml message; reads no ledger"
    )
    sp.add_argument("file", help="a message as received (.eml)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_reply_parse)
