"""The agent's state and action ledger: JSON files in one directory.

Layout (every file in tinydb's format, ``{table: {id: doc}}``):
- ``<table>.json``: small state tables (series, marks, the ledger's ``pending``
  table...), one file each, so a flush rewrites only the tables that changed.
- ``<table>-YYYY-MM.json``: history tables partitioned by month (sent mails,
  feedback, responses, the ``actions`` ledger). The caller names the month on
  insert; a record stays in the partition it was first put in.
- ``agent.lock``: held by the running agent (`lock`), holds its pid.

Costs: opening reads every file once and builds an index (table -> id -> file),
so `get`, `put` and `delete` are dict operations and reads never touch disk.
Writes stay in memory until `flush`, which rewrites only the files that changed:
this month's partitions and the state tables that changed, never a year of history.

Crash safety: one `flush` is all-or-nothing, even across files (see
`agent.core.storage`: staged files, a commit marker, roll forward or back at open).
After a crash the store is exactly as of the last completed flush. So once
`begin` has been flushed, its intent is in `pending()` at every later open until
a flush records `finish`; and an action's record and its pending payload always
change in the same flush, so it can never be seen "done" with its intent lost.

Action ledger terms: *key* is the action's stable identity (``mail/objectives/
<series>/<date>``); *intent* is recorded by `begin` before the outward call, with
the payload needed to redo the call; `finish` records ``done`` (with the
provider's reference) or ``failed`` and drops the payload.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.core.storage import (
    FILE_MODE,
    AtomicJSONStorage,
    BufferedMiddleware,
    make_dirs,
    recover,
    write_group,
)

ACTIONS = "actions"
PENDING = "pending"
LOCK = "agent.lock"

_TABLE = re.compile(r"[a-z][a-z0-9_]*\Z")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")
_FILE = re.compile(r"[a-z][a-z0-9_]*(-\d{4}-\d{2})?\.json\Z")
_STATUSES = ("done", "failed")


class StoreLocked(Exception):
    """Another process holds the store's directory."""


class ReadOnlyStore(PermissionError):
    """A write to a store opened read-only (a command that only looks)."""


class StoreCorrupt(Exception):
    """A store file cannot be read; the message names it."""


def payload_hash(payload: dict[str, Any]) -> str:
    """sha256 of the payload's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _copy(value: Any) -> Any:
    # Faster than copy.deepcopy for JSON values; keeps callers from editing the store.
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _copy_doc(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) for k, v in doc.items()}


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


class Store:
    """Tables of JSON documents keyed by string ids; see the module docstring."""

    storage_class: type[AtomicJSONStorage] = AtomicJSONStorage

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        """`readonly` opens without the lock, without recovering and refuses every write,
        so the commands that only look can read beside a running agent (whose staged
        files recovery would delete)."""
        self.path = Path(path)
        self.readonly = readonly
        if not readonly:
            make_private_dir(self.path)
            try:
                recover(self.path)
            except ValueError as exc:
                raise StoreCorrupt(f"{exc}; an interrupted write cannot be finished: restore "
                                   "the state folder from a backup") from None
        self._files: dict[str, BufferedMiddleware] = {}
        self._index: dict[str, dict[str, str]] = {}  # table -> id -> file name
        # Read-only and no folder yet (nothing ran): an empty store, and none is made.
        names = sorted(self.path.iterdir()) if self.path.is_dir() else []
        for file in names:
            if _FILE.match(file.name):
                self._open_file(file.name)

    def _open_file(self, name: str) -> BufferedMiddleware:
        file = BufferedMiddleware(self.storage_class)
        file(self.path / name)  # tinydb's way: the middleware opens the storage
        try:
            tables = file.read()
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreCorrupt(f"{exc}; restore it from a backup") from None
        self._files[name] = file
        for table, docs in tables.items():
            index = self._index.setdefault(table, {})
            for id in docs:
                index[id] = name
        return file

    # -- documents -----------------------------------------------------------------
    def peek(self, table: str, id: str) -> Mapping[str, Any] | None:
        """The stored document itself, not a copy: for hot read-only paths. Never modify it."""
        name = self._index.get(table, {}).get(id)
        return None if name is None else self._files[name].read()[table][id]

    def get(self, table: str, id: str) -> dict[str, Any] | None:
        """A copy of the document, safe to modify; None if there is none."""
        name = self._index.get(table, {}).get(id)
        if name is None:
            return None
        return _copy_doc(self._files[name].read()[table][id])

    def ids(self, table: str) -> list[str]:
        """The ids of `table`'s documents, without copying them."""
        return list(self._index.get(table, {}))

    def has(self, table: str, id: str) -> bool:
        """Whether a document exists, without copying it (the planner asks this a lot)."""
        return id in self._index.get(table, {})

    def put(self, table: str, id: str, doc: dict[str, Any], *, month: str | None = None) -> None:
        """Insert or replace. `month` ("YYYY-MM") files a new record in that
        month's partition; an existing record is replaced where it lives."""
        self._writable()
        if not _TABLE.match(table):
            raise ValueError(f"table name {table!r}: use lowercase letters, digits and _")
        if month is not None and not _MONTH.match(month):
            raise ValueError(f"month {month!r}: expected YYYY-MM")
        try:
            # A round trip copies the doc and rejects what JSON cannot hold (or UTF-8
            # cannot write: a lone surrogate) now, not at the next flush, which it would
            # make fail for every file.
            id.encode("utf-8")
            value = json.loads(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{table}/{id!r}: document is not JSON ({exc})") from None
        index = self._index.setdefault(table, {})
        name = index.get(id)
        if name is None:
            name = f"{table}.json" if month is None else f"{table}-{month}.json"
            index[id] = name
        file = self._files.get(name) or self._open_file(name)
        file.read().setdefault(table, {})[id] = value
        file.touch()

    def delete(self, table: str, id: str) -> None:
        """Remove the document if there is one (`ReadOnlyStore` on a read-only store)."""
        self._writable()
        name = self._index.get(table, {}).pop(id, None)
        if name is not None:
            file = self._files[name]
            del file.read()[table][id]
            file.touch()

    def all(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every document of `table`: state first, then partitions by month."""
        names = sorted(set(self._index.get(table, {}).values()), key=lambda n: (len(n), n))
        for name in names:
            for id, doc in list(self._files[name].read().get(table, {}).items()):
                yield id, _copy_doc(doc)

    def rename(self, table: str, id: str, new_id: str, doc: dict[str, Any]) -> None:
        """Replace document `id` by `doc` under `new_id`, in the same file (partition)."""
        name = self._index.get(table, {}).get(id)
        if name is None:
            raise KeyError(f"{table}/{id}")
        self.delete(table, id)
        self._index[table][new_id] = name
        self.put(table, new_id, doc)

    def tables(self) -> list[str]:
        """The names of every table holding at least one document."""
        return sorted(t for t, ids in self._index.items() if ids)

    def in_month(self, table: str, month: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The documents (copies) filed in `table`'s partition for `month` ("YYYY-MM")."""
        file = self._files.get(f"{table}-{month}.json")
        if file is not None:
            for id, doc in list(file.read().get(table, {}).items()):
                yield id, _copy_doc(doc)

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyStore(f"{self.path} was opened read-only: this command changes "
                                "nothing")

    def flush(self) -> None:
        """Write every changed file, all or nothing; nothing when nothing changed."""
        self._writable()
        write_group(self.path, self._files.values())

    def close(self) -> None:
        """Flush, unless the store is read-only."""
        if not self.readonly:
            self.flush()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- action ledger ---------------------------------------------------------------
    def begin(self, key: str, kind: str, payload: dict[str, Any], at: datetime) -> None:
        """Record the intent to do `key`, before the outward call.

        The record goes to the ``actions`` partition of the month of `at` (a key
        begun again stays where it is); the payload, which may be large, waits in
        ``pending`` (pending.json) until `finish`.
        """
        record = {
            "key": key,
            "kind": kind,
            "status": "intent",
            "ref": None,
            "hash": payload_hash(payload),
            "at": _iso(at),
            "done_at": None,
            "error": "",
        }
        self.put(ACTIONS, key, record, month=_iso(at)[:7])
        self.put(PENDING, key, {"key": key, "kind": kind, "at": record["at"], "payload": payload})

    def finish(
        self,
        key: str,
        at: datetime,
        *,
        ref: str | None = None,
        status: str = "done",
        error: str = "",
    ) -> None:
        """Record the outcome of a begun action and drop its pending payload."""
        if status not in _STATUSES:
            raise ValueError(f"status {status!r}: expected one of {_STATUSES}")
        record = self.get(ACTIONS, key)
        if record is None:
            raise KeyError(f"finish({key!r}) without begin")
        record.update(status=status, ref=ref, done_at=_iso(at), error=error)
        self.put(ACTIONS, key, record)
        self.delete(PENDING, key)

    def action(self, key: str) -> dict[str, Any] | None:
        """{key, kind, status: intent|done|failed, ref, hash, at, done_at, error}"""
        return self.get(ACTIONS, key)

    def pending(self) -> list[dict[str, Any]]:
        """Intents not finished, each its action record plus ``payload``, oldest first."""
        out = []
        for key, entry in self.all(PENDING):
            record = self.get(ACTIONS, key) or {}
            out.append({**record, **entry, "status": "intent"})
        out.sort(key=lambda r: (r["at"], r["key"]))
        return out


def make_private_dir(path: Path) -> None:
    """Create the state folder readable by its owner only (whatever the umask); an existing
    one keeps its mode (`binome check` warns when it is looser, see `loose_modes`)."""
    make_dirs(path)


def make_private(path: Path) -> int:
    """Take the group's and others' bits off every folder and file under `path` (itself
    included), as a state written before binome kept it private (an upgrade) needs;
    returns how many changed. Symbolic links are left alone."""
    changed = 0
    for entry in [path, *sorted(path.rglob("*"))] if path.is_dir() else []:
        try:
            mode = entry.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISLNK(mode) and mode & 0o077:
            os.chmod(entry, mode & 0o700)
            changed += 1
    return changed


def loose_modes(path: Path) -> list[str]:
    """The folders and files under `path` (itself included) that others than their owner
    may read or write."""
    found = []
    entries = [path, *sorted(path.rglob("*"))] if path.is_dir() else []
    for entry in entries:
        try:
            mode = entry.lstat().st_mode & 0o777
        except FileNotFoundError:
            continue
        if mode & 0o077:
            found.append(f"{entry} is {mode:o}")
    return found


@contextmanager
def lock(path: Path) -> Iterator[None]:
    """Hold `path`/agent.lock for the duration, or raise `StoreLocked` at once.

    tinydb files are not safe for two writers, so one agent per directory. The
    lock is an flock: the kernel releases it when the holder exits or dies, so a
    stale file never blocks a restart. The file keeps the holder's pid for the message.
    """
    path = Path(path)
    make_private_dir(path)
    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise StoreLocked(
                f"{path} is in use by another agent (pid {holder}); stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
