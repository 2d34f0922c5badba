"""The local inbox hands its messages over in bounded batches, and never reads one larger
than the cap (issue #15, defect 7: 60 mails of 9.9 MB were loaded whole, 776 MB of RSS).

The real `LocalMailbox` on a real Maildir, and the real `read_mail` on the real ledger.
Memory itself is measured by `python bench/bench_inbox.py`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from agent.conversation.inbox import read_mail
from agent.core.ledger import Ledger
from agent.core.model import MAX_INBOUND_BYTES
from agent.core.store import Store
from agent.providers.local.maildir import (
    BATCH_BYTES,
    BATCH_MESSAGES,
    LocalMailbox,
    deliver_to_inbox,
)

NOW = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def message(n: int, size: int = 0) -> bytes:
    head = (f"From: someone{n}@ex.fr\r\nTo: binome@ex.fr\r\nSubject: hello {n}\r\n"
            f"Message-ID: <m{n}@ex.fr>\r\n\r\n").encode()
    return head + b"x" * max(size - len(head), 10) + b"\r\n"


def test_receive_hands_over_bounded_batches_and_leaves_oversized_files_unread(
    tmp_path: Path,
) -> None:
    mailbox = LocalMailbox(tmp_path)
    for n in range(2 * BATCH_MESSAGES + 5):
        assert deliver_to_inbox(tmp_path, f"{1000 + n}.small", message(n))
    for n in range(3):  # as large as the cap allows, and beyond
        assert deliver_to_inbox(tmp_path, f"0{n}.big", message(900 + n, 9 * 1024 * 1024))
    huge = tmp_path / "inbox" / "new" / "0999.huge"
    huge.write_bytes(b"")
    os.truncate(huge, MAX_INBOUND_BYTES + 1)  # sparse: nothing to read, and nothing is

    batch, _ = mailbox.receive(None)

    assert 0 < len(batch) <= BATCH_MESSAGES
    assert sum(len(m.raw) for m in batch) <= max(BATCH_BYTES, max(len(m.raw) for m in batch))
    [over] = [m for m in batch if m.ref == "0999.huge"]
    assert over.raw == b"" and over.problem.startswith(f"oversized: {MAX_INBOUND_BYTES + 1} bytes")


def test_read_mail_takes_the_whole_inbox_batch_by_batch_in_one_poll(tmp_path: Path) -> None:
    mailbox = LocalMailbox(tmp_path / "local")
    count = 2 * BATCH_MESSAGES + 7
    for n in range(count):
        deliver_to_inbox(tmp_path / "local", f"{1000 + n}.m", message(n))
    huge = tmp_path / "local" / "inbox" / "new" / "0999.huge"
    huge.write_bytes(b"")
    os.truncate(huge, MAX_INBOUND_BYTES + 1)
    ledger = Ledger(Store(tmp_path / "state"))

    assert read_mail(ledger, mailbox, NOW) == count + 1

    assert mailbox.receive(None)[0] == []
    aside = {q.ref: q.reason for q in ledger.quarantine.everything()}
    assert len(aside) == count + 1  # none is a reply to us: each is set aside, with why
    assert aside["0999.huge"].startswith("oversized")
