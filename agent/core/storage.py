"""Crash-safe files for the store, speaking tinydb's storage contract.

Terms:
- *file*: one JSON document in tinydb's layout, ``{table: {id: doc}}``, so any
  file can be opened for inspection with ``TinyDB(path, storage=AtomicJSONStorage)``.
- *stage*: write the new content beside the file as ``<name>.new``, flushed and
  fsynced. A staged file is invisible until committed.
- *commit*: ``os.replace`` the staged file over the real one, then fsync the
  directory so the rename itself is durable. A file is always either its old or
  its new version, never a mix (tinydb's own `JSONStorage` truncates in place).
- *group commit*: several files made durable together. The staged files are
  named in a marker file (``flush.commit``) that is itself created atomically;
  only then are they renamed. At open, `recover` rolls a group forward if its
  marker exists (the renames are idempotent) and back (deleting ``*.new``) if
  it does not. So a crash at any instant leaves either every file of a flush
  new or every file old.

`BufferedMiddleware` wraps a storage the way tinydb's `CachingMiddleware` does,
but never writes on its own: `CachingMiddleware` flushes after every
``WRITE_CACHE_SIZE`` writes, which would put one file of a flush on disk
before the others and break the all-or-nothing rule above. Here a file reaches
disk only when the store says so.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.middlewares import Middleware
from tinydb.storages import Storage

STAGED = ".new"
MARKER = "flush.commit"

Tables = dict[str, dict[str, Any]]


def fsync_dir(directory: Path) -> None:
    """Make renames and unlinks inside `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dump(data: Any) -> bytes:
    """Compact UTF-8 JSON: how every store file is written."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class AtomicJSONStorage(Storage):
    """A tinydb storage whose `write` replaces the file atomically and durably.

    `stage` and `commit` are the two halves of `write`, exposed so the store can
    commit several files as one group. `replace` is the single place a file
    changes on disk; tests subclass it to count writes.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        self.staged = self.path.with_name(self.path.name + STAGED)
        self.bytes_written = 0

    def read(self) -> Tables | None:
        """The file's tables; None if missing or empty, ValueError if not a JSON object."""
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{self.path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{self.path}: expected a JSON object of tables")
        return data

    def write(self, data: Tables) -> None:
        """Replace the file atomically and durably (`stage`, then `commit`)."""
        self.stage(data)
        self.commit()

    def stage(self, data: Tables) -> None:
        """Write `data` beside the file as `<name>.new`, fsynced; unseen until `commit`."""
        body = dump(data)
        with open(self.staged, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        self.bytes_written += len(body)

    def commit(self, *, sync_dir: bool = True) -> None:
        """Rename the staged file over the real one; `sync_dir` False leaves the directory's fsync
        to the caller (a group commit)."""
        self.replace(self.staged, self.path)
        if sync_dir:
            fsync_dir(self.path.parent)

    def replace(self, src: Path, dst: Path) -> None:
        """`os.replace`: the one place a file changes on disk (tests count writes here)."""
        os.replace(src, dst)


class BufferedMiddleware(Middleware):  # type: ignore[misc]
    """Reads a file once, keeps it in memory, writes it only on `flush`.

    The store edits `cache` in place and calls `touch` to say it did.
    """

    def __init__(self, storage_cls: type[AtomicJSONStorage]) -> None:
        super().__init__(storage_cls)
        self.storage: AtomicJSONStorage
        self.cache: Tables | None = None
        self.dirty = False

    def read(self) -> Tables:
        """The file's tables, read from disk the first time only."""
        if self.cache is None:
            self.cache = self.storage.read() or {}
        return self.cache

    def write(self, data: Tables) -> None:
        """Replace the tables in memory; they reach disk at the next flush."""
        self.cache = data
        self.dirty = True

    def touch(self) -> None:
        """Mark the file changed, after `cache` was edited in place."""
        self.dirty = True

    def flush(self) -> None:
        """Write this file now if it changed (alone, outside any group)."""
        write_group(self.storage.path.parent, [self])

    def close(self) -> None:
        """Flush, then close the storage."""
        self.flush()
        self.storage.close()


def write_group(directory: Path, files: Iterable[BufferedMiddleware]) -> None:
    """Write every dirty file of `files` so that all or none survive a crash."""
    dirty = [f for f in files if f.dirty]
    if not dirty:
        return
    for f in dirty:
        f.storage.stage(f.read())
    if len(dirty) == 1:  # one rename is atomic by itself: no marker needed
        dirty[0].storage.commit()
    else:
        marker = directory / MARKER
        staged_marker = directory / (MARKER + STAGED)
        names = [f.storage.path.name for f in dirty]
        with open(staged_marker, "wb") as out:
            out.write(dump(names))
            out.flush()
            os.fsync(out.fileno())
        dirty[0].storage.replace(staged_marker, marker)
        fsync_dir(directory)  # from here on the group is committed
        for f in dirty:
            f.storage.commit(sync_dir=False)
        fsync_dir(directory)
        marker.unlink()
        # durable before any later flush stages files this stale marker could name
        fsync_dir(directory)
    for f in dirty:
        f.dirty = False


def recover(directory: Path) -> None:
    """Finish or undo a group commit interrupted by a crash."""
    marker = directory / MARKER
    if marker.exists():
        for name in json.loads(marker.read_bytes()):
            staged = directory / (name + STAGED)
            if staged.exists():
                os.replace(staged, directory / name)
        fsync_dir(directory)
        marker.unlink()
    for leftover in directory.glob("*" + STAGED):
        leftover.unlink()
    fsync_dir(directory)
