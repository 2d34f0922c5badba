"""Memory of reading a heavy inbox: run `python bench/bench_inbox.py [--mails N] [--mb S]`.

The real `LocalMailbox` and the real `read_mail` on a real ledger, in a child process
whose peak resident memory (`ru_maxrss`) is the figure. Issue #15 measured 776 MB for
60 mails of 9.9 MB when the inbox was loaded whole; read in bounded batches (at most
`BATCH_BYTES` of messages at a time, one message at least), the peak stays near one
batch and its parsing, whatever the number of mails. A mail over the cap
(`MAX_INBOUND_BYTES`) is never read at all: the run adds a few to show it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.conversation.inbox import read_mail  # noqa: E402
from agent.core.ledger import Ledger  # noqa: E402
from agent.core.model import MAX_INBOUND_BYTES  # noqa: E402
from agent.core.store import Store  # noqa: E402
from agent.providers.local.maildir import (  # noqa: E402
    BATCH_BYTES,
    LocalMailbox,
    deliver_to_inbox,
)


def fill(root: Path, mails: int, size: int, oversized: int) -> None:
    """`mails` replies of `size` bytes (a long quoted text, as a reply with history), and
    `oversized` sparse files over the cap."""
    body = ("Note : 4\r\n\r\n" + "> " + "une ligne de l'historique cité. " * 3 + "\r\n") * (
        size // 110)
    for n in range(mails):
        head = (f"From: someone{n}@ex.fr\r\nTo: binome@ex.fr\r\nSubject: Re: Questionnaire\r\n"
                f"Message-ID: <heavy-{n}@ex.fr>\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "\r\n")
        deliver_to_inbox(root, f"{1000 + n}.heavy", (head + body).encode()[:size])
    for n in range(oversized):
        path = root / "inbox" / "new" / f"0{n}.huge"
        path.write_bytes(b"")
        os.truncate(path, MAX_INBOUND_BYTES * 3)


def child(folder: Path) -> None:
    """Read the whole inbox once; print messages read, seconds and peak RSS (MB)."""
    ledger = Ledger(Store(folder / "state"))
    started = time.perf_counter()
    read = read_mail(ledger, LocalMailbox(folder / "local"), datetime(2026, 10, 5, tzinfo=UTC))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{read} {seconds:.1f} {peak:.0f}")


def main() -> None:
    """Fill an inbox, read it in a child process, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=60)
    parser.add_argument("--mb", type=float, default=9.9)
    parser.add_argument("--oversized", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = int(args.mb * 1024 * 1024)
        fill(folder / "local", args.mails, size, args.oversized)
        baseline = subprocess.run([sys.executable, "-c", "import resource, agent.conversation."
                                   "inbox; print(resource.getrusage(resource.RUSAGE_SELF)"
                                   ".ru_maxrss // 1024)"], capture_output=True, text=True,
                                  cwd=ROOT, check=True).stdout.strip()
        out = subprocess.run([sys.executable, __file__, "--child", str(folder)],
                             capture_output=True, text=True, check=True).stdout.split()
        read, seconds, peak = int(out[0]), float(out[1]), float(out[2])
    total = args.mails * size / 1024 / 1024
    print(f"inbox: {args.mails} mails of {args.mb} MB ({total:.0f} MB) and {args.oversized} "
          f"over the {MAX_INBOUND_BYTES // 1024 // 1024} MB cap (never read)")
    print(f"  read {read} messages in {seconds:.1f} s, batches of at most "
          f"{BATCH_BYTES // 1024 // 1024} MB")
    print(f"  peak RSS {peak:.0f} MB (the interpreter with the agent imported: {baseline} MB)")


if __name__ == "__main__":
    main()
