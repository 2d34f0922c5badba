"""The `local` mailbox: two Maildirs under one root, readable by any mail client.

Terms:
- `root/mail/`: every message the agent sent, one file each in `new/` (a mail
  client that reads it may move it to `cur/<name>:2,S`). The file name is
  derived from the Message-ID, so a second `send` of the same message finds the
  first one instead of writing it again, and `was_sent` is a file lookup.
- `root/inbox/`: what people wrote to the agent. `receive` lists `inbox/new`
  by file name (senders name files so that this order is arrival order);
  `acknowledge` moves a message to `inbox/cur/<name>:2,S`. The Maildir itself
  is the cursor, so the returned cursor is always "".

Every file appears by `os.replace` from `tmp/` after an fsync: a kill at any
instant leaves either no message or a whole one.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing, short_hash
from agent.core.storage import make_dirs, write_private
from agent.providers.base import Mailbox

FOLDERS = ("cur", "new", "tmp")
SEEN = ":2,S"


def atomic_write(path: Path, data: bytes, tmp_dir: Path | None = None) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix;
    readable by the owner only (mail and calendars hold what people wrote)."""
    tmp = (tmp_dir or path.parent) / f".{path.name}.{os.getpid()}.tmp"
    write_private(tmp, data)
    os.replace(tmp, path)


def clear_leftovers(folder: Path) -> None:
    """Remove the temporary files of `atomic_write`s a crash interrupted.

    They are named by a pid that will not come back, and the real file is intact.
    """
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def make_maildir(folder: Path) -> None:
    """Create the `cur`, `new` and `tmp` folders of a Maildir at `folder`."""
    for sub in FOLDERS:
        make_dirs(folder / sub)


def _present(folder: Path, name: str) -> bool:
    """Whether `name` is in `new/`, or in `cur/` with any info suffix."""
    if (folder / "new" / name).exists() or (folder / "cur" / name).exists():
        return True
    return any((folder / "cur").glob(f"{glob.escape(name)}:*"))


def _deliver(folder: Path, name: str, raw: bytes) -> bool:
    if "/" in name or ":" in name or name.startswith("."):
        raise PermanentError(f"invalid Maildir file name {name!r}")
    if _present(folder, name):
        return False
    atomic_write(folder / "new" / name, raw, tmp_dir=folder / "tmp")
    return True


def deliver_to_inbox(root: Path, name: str, raw: bytes) -> bool:
    """Put a message into the agent's inbox as `name`; False if that name is already there."""
    folder = root / "inbox"
    make_maildir(folder)
    return _deliver(folder, name, raw)


class LocalMailbox(Mailbox):
    """`Mailbox` over `root/mail` (sent) and `root/inbox` (received)."""

    def __init__(self, root: Path) -> None:
        self.sent = root / "mail"
        self.inbox = root / "inbox"
        try:
            make_maildir(self.sent)
            make_maildir(self.inbox)
        except OSError as exc:
            raise PermanentError(f"cannot create the Maildirs under {root}: {exc}") from exc

    @staticmethod
    def file_name(message_id: str) -> str:
        """The sent file's name: a digest of the Message-ID (so no unsafe characters)."""
        return f"{short_hash(message_id.strip(), length=32)}.binome"

    def send(self, message: Outgoing) -> str:
        name = self.file_name(message.message_id)
        try:
            _deliver(self.sent, name, message.raw)
        except OSError as exc:
            raise TemporaryError(f"cannot write {name} into {self.sent}: {exc}") from exc
        return name

    def was_sent(self, message_id: str) -> bool:
        return _present(self.sent, self.file_name(message_id))

    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """`cursor` is unused: the Maildir itself is the cursor, so "" comes back."""
        try:
            names = sorted(e.name for e in os.scandir(self.inbox / "new") if e.is_file())
            found = [Incoming(n, (self.inbox / "new" / n).read_bytes()) for n in names]
        except OSError as exc:
            raise TemporaryError(f"cannot read {self.inbox}: {exc}") from exc
        return found, ""

    def acknowledge(self, refs: Sequence[str]) -> None:
        for ref in refs:
            source = self.inbox / "new" / ref
            if "/" in ref or not source.exists():
                continue  # already acknowledged (or never ours): nothing to do
            try:
                os.replace(source, self.inbox / "cur" / f"{ref}{SEEN}")
            except OSError as exc:
                raise TemporaryError(f"cannot acknowledge {ref}: {exc}") from exc
