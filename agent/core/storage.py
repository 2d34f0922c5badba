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
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.middlewares import Middleware
from tinydb.storages import Storage

STAGED = ".new"
MARKER = "flush.commit"
# The state holds feedback, goals and raw mail: readable by its owner only, whatever the umask.
FILE_MODE = 0o600
DIR_MODE = 0o700
_NAME = re.compile(r"[a-z][a-z0-9_]*(-\d{4}-\d{2})?\.json\Z")

Tables = dict[str, dict[str, Any]]


def fsync_dir(directory: Path) -> None:
    """Make renames and unlinks inside `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, body: bytes) -> None:
    """Write `body` to `path`, fsynced, readable by the owner only (whatever the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # an older, looser file of that name keeps its mode otherwise
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(path: Path) -> None:
    """Create `path` and its missing parents readable by the owner only (whatever the umask);
    folders that exist keep their mode."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask


def checked_tables(path: Path, data: Any) -> Tables:
    """`data` if it is ``{table: {id: document}}`` with every document an object;
    ValueError naming `path` and the first thing out of shape otherwise (a table replaced
    by a list would otherwise read as empty and be lost at the next write)."""
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of tables, found "
                         f"{type(data).__name__}")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise ValueError(f"{path}: table {table!r} is a {_json_type(docs)}, not an object "
                             "of documents")
        for id, doc in docs.items():
            if not isinstance(doc, dict):
                raise ValueError(f"{path}: document {table}/{id} is a {_json_type(doc)}, not "
                                 "an object")
    return data


def _json_type(value: Any) -> str:
    names = {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


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
        """The file's tables; None if missing; ValueError if it is not tables of documents.

        The store never writes an empty file (no data is ``{}``), so an empty or blank
        one was emptied or cut short by someone else: it is corrupt, not "no data".
        """
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not text.strip():
            raise ValueError(f"{self.path}: the file is empty (a state file is never empty: "
                             "it was emptied or cut short)")
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{self.path}: not valid JSON ({exc})") from None
        return checked_tables(self.path, data)

    def write(self, data: Tables) -> None:
        """Replace the file atomically and durably (`stage`, then `commit`)."""
        self.stage(data)
        self.commit()

    def stage(self, data: Tables) -> None:
        """Write `data` beside the file as `<name>.new` (owner only), fsynced; unseen until
        `commit`."""
        body = dump(data)
        write_private(self.staged, body)
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
        write_private(staged_marker, dump(names))
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
    """Finish or undo a group commit interrupted by a crash; ValueError naming the marker
    when it is not what a flush writes (a list of the store's file names)."""
    marker = directory / MARKER
    if marker.exists():
        for name in _marker_names(marker):
            staged = directory / (name + STAGED)
            if staged.exists():
                os.replace(staged, directory / name)
        fsync_dir(directory)
        marker.unlink()
    for leftover in directory.glob("*" + STAGED):
        leftover.unlink()
    fsync_dir(directory)


def _marker_names(marker: Path) -> list[str]:
    """The file names a commit marker lists; only the store's own names are accepted, so a
    hand-edited marker can never rename anything outside the state folder."""
    try:
        names = json.loads(marker.read_bytes())
    except ValueError as exc:
        raise ValueError(f"{marker}: not valid JSON ({exc})") from None
    if not isinstance(names, list) or not all(
            isinstance(n, str) and _NAME.match(n) for n in names):
        raise ValueError(f"{marker}: expected a list of the state's file names")
    return names
