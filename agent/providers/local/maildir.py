"""The `local` mailbox: two Maildirs under one root, readable by any mail client.

Terms:
- `root/mail/`: every message the agent sent, one file each in `new/` (a mail
  client that reads it may move it to `cur/<name>:2,S`). The file name is
  derived from the Message-ID, so a second `send` of the same message finds the
  first one instead of writing it again, and `was_sent` is a file lookup.
- `root/inbox/`: what people wrote to the agent. `receive` lists `inbox/new`
  by file name (senders name files so that this order is arrival order), a
  bounded batch at a time (`BATCH_MESSAGES`, `BATCH_BYTES`): the next call,
  after `acknowledge` moved the batch to `inbox/cur/<name>:2,S`, gives the
  next. The Maildir itself is the cursor, so the returned cursor is always "".
  One file never stops the others: a file larger than `MAX_INBOUND_BYTES` is not
  read, one that cannot be read is handed over empty with the reason
  (`Incoming.problem`), and a file name that is not UTF-8 (so no usable ref) is
  renamed first.

Every file appears by `os.replace` from `tmp/` after an fsync: a kill at any
instant leaves either no message or a whole one.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import MAX_INBOUND_BYTES, Incoming, Outgoing, short_hash
from agent.core.storage import make_dirs, write_private
from agent.providers.base import Mailbox

FOLDERS = ("cur", "new", "tmp")
SEEN = ":2,S"
BATCH_MESSAGES = 50
BATCH_BYTES = 32 * 1024 * 1024  # of messages read in one batch (one message at least)


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


def _usable(folder: Path, name: str) -> str:
    """`name`, or the name its file gets when `name` is not UTF-8 (it could be no ref: refs
    are kept in the state, which is JSON): a digest of its bytes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    renamed = f"{short_hash(raw.hex(), length=24)}.renamed"
    os.replace(folder / name, folder / renamed)
    return renamed


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
        """The next batch of `inbox/new` (see the module docstring); `cursor` is unused: the
        Maildir itself is the cursor, so "" comes back."""
        folder = self.inbox / "new"
        try:
            names = sorted(e.name for e in os.scandir(folder) if not e.name.startswith("."))
        except OSError as exc:
            raise TemporaryError(f"cannot read {folder}: {exc}") from exc
        found: list[Incoming] = []
        total = 0
        for name in names:
            try:
                ref = _usable(folder, name)
                path = folder / ref
                if not path.is_file():
                    continue  # a folder or a device someone put there: not a message
                size = path.stat().st_size
                if size > MAX_INBOUND_BYTES:
                    found.append(Incoming(ref, b"", f"oversized: {size} bytes (more than "
                                                    f"{MAX_INBOUND_BYTES}); not read"))
                    continue
                if found and total + size > BATCH_BYTES:
                    break
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # moved away meanwhile (a mail client reading the same Maildir)
            except OSError as exc:
                found.append(Incoming(ref, b"", f"cannot be read from {folder}: "
                                                f"{exc.strerror or exc}"))
                continue
            total += len(raw)
            found.append(Incoming(ref, raw))
            if len(found) >= BATCH_MESSAGES:
                break
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
