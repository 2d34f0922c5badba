"""Backups of the state folder: a consistent snapshot, even beside a running agent, and
a restore that never overwrites a live state.

Terms:
- *ledger files*: the store's JSON files at the top of the state folder. They change
  only by a flush, which replaces whole files by renaming (agent.core.storage), so a
  file that changed has a new inode.
- *snapshot*: the ledger files as of one completed flush. When no agent holds the lock,
  the backup takes it and copies at leisure. Beside a running agent it copies without
  the lock: it reads the ledger files into memory, then checks that no ledger file
  changed (same inode, size and modification time) and that no flush was under way (no
  commit marker) while it read; otherwise it reads again. So an archive is always the
  state as of one flush: what a crash at that instant would have left, which the agent
  is built to resume from (an intent in flight is settled by asking the provider).
- Everything else in the folder (the reply secret, a Microsoft sign-in cache, the local
  backend's calendars and Maildir; not a file being written: a dot file, a Maildir's
  `tmp/`) is copied after the ledger files: the providers may then be slightly ahead of
  the ledger, never behind it, and every outward action is keyed, so nothing is done
  twice.

An archive is a gzipped tar: `binome-backup.json` (what made it, the schema version,
a SHA-256 per file) and the files under `state/`. It is created 0600, whatever the
umask: it holds the reply secret. Left out: the lock, staged files, a commit marker,
and `backups/` (where upgrades keep theirs).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from agent.core.errors import UserError
from agent.core.storage import MARKER, STAGED, recover
from agent.core.store import LOCK, StoreLocked, lock

MANIFEST = "binome-backup.json"
FORMAT = 1
BACKUPS = "backups"
_SKIPPED = {LOCK, MARKER, MARKER + STAGED, BACKUPS}
ATTEMPTS = 200  # reads tried beside an agent that keeps flushing, 0.05 s apart

Signature = dict[str, tuple[int, int, int]]  # ledger file -> (inode, size, mtime in ns)


@dataclass(frozen=True)
class Backup:
    """An archive written: where, how many files, the state's schema, and the copies it took
    (more than one when the running agent flushed meanwhile)."""

    path: Path
    files: int
    schema: int
    attempts: int


def has_state(state: Path) -> bool:
    """Whether `state` holds anything a restore would overwrite (ledger files, a secret)."""
    return state.is_dir() and any(_kept(p.name) for p in state.iterdir())


def backup(state: Path, out: Path, *, schema: int, made_by: str, now: datetime,
           locked: bool = False) -> Backup:
    """Write a consistent archive of `state` to `out` (0600); refuses to overwrite `out`.

    `locked`: the caller holds the state's lock (an upgrade), so nothing changes meanwhile.
    """
    state = Path(state)
    if not has_state(state):
        raise UserError(f"{state}: no state to back up here (has the agent run?)")
    if out.exists():
        raise UserError(f"{out} already exists; not overwriting it (choose another --out)")
    out.parent.mkdir(parents=True, exist_ok=True)
    if locked:
        return _write(state, out, schema, made_by, now, beside_agent=False)
    try:
        with lock(state):  # no agent: nothing changes while we copy
            recover(state)  # a crash's leftovers, settled as the agent's start would
            return _write(state, out, schema, made_by, now, beside_agent=False)
    except StoreLocked:
        return _write(state, out, schema, made_by, now, beside_agent=True)


def _write(state: Path, out: Path, schema: int, made_by: str, now: datetime, *,
           beside_agent: bool) -> Backup:
    # The ledger files are read into memory first, and checked: the window in which a
    # flush can spoil a copy is a few reads long, not the time compressing takes.
    attempt, ledger = 1, _ledger(state, beside_agent)
    while ledger is None:
        if attempt == ATTEMPTS:
            raise UserError(f"{state}: the running agent changed its state during each of "
                            f"{ATTEMPTS} copies; try again in a moment")
        time.sleep(0.05)  # the agent is flushing: read again once it is done
        attempt, ledger = attempt + 1, _ledger(state, beside_agent)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # O_CREAT's mode is cut by the umask; the archive holds a secret
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                files = _archive(state, ledger, tar, schema, made_by, now)
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return Backup(out, files, schema, attempt)


def _ledger(state: Path, beside_agent: bool) -> dict[str, bytes] | None:
    """The ledger files' bytes as of one flush; None when a flush happened meanwhile."""
    before = _signature(state)
    if before is None:
        return None
    found = {}
    for name in sorted(before):
        try:
            found[name] = (state / name).read_bytes()
        except FileNotFoundError:  # replaced or removed meanwhile
            return None
    if beside_agent and _signature(state) != before:
        return None
    return found


def _archive(state: Path, ledger: dict[str, bytes], tar: tarfile.TarFile, schema: int,
             made_by: str, now: datetime) -> int:
    """Write the ledger files, then the rest, then the manifest; returns the files written."""
    digests: dict[str, str] = {}
    for name, data in ledger.items():
        digests[f"state/{name}"] = hashlib.sha256(data).hexdigest()
        _add_bytes(tar, f"state/{name}", data)
    for path in _others(state):
        _add(tar, path, f"state/{path.relative_to(state).as_posix()}", digests)
    manifest = {"format": FORMAT, "made_by": made_by, "schema": schema,
                "created": now.isoformat(), "files": digests}
    _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return len(digests)


def _signature(state: Path) -> Signature | None:
    """The ledger files' identities; None while a flush is being committed."""
    if (state / MARKER).exists():
        return None
    found: Signature = {}
    for entry in os.scandir(state):
        if entry.is_file(follow_symlinks=False) and entry.name.endswith(".json"):
            st = entry.stat(follow_symlinks=False)
            found[entry.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


def _kept(name: str) -> bool:
    return name not in _SKIPPED and not name.endswith(STAGED) and not name.startswith(".")


def _others(state: Path) -> Iterator[Path]:
    """Every file but the ledger's, the skipped ones and what is not a plain file.

    Files being written are left out: a dot file anywhere (how atomic writes name their
    temporary file) and what is in a Maildir's `tmp/` (a delivery under way)."""
    for root, dirs, files in os.walk(state):
        here = Path(root)
        if here == state:
            dirs[:] = [d for d in dirs if _kept(d)]
            files = [f for f in files if _kept(f) and not f.endswith(".json")]
        if here.name == "tmp" and (here.parent / "new").is_dir():
            continue
        files = [f for f in files if not f.startswith(".")]
        for name in sorted(files):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path


def _add(tar: tarfile.TarFile, path: Path, name: str, digests: dict[str, str]) -> None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # gone meanwhile (a mail read and moved): not in this copy
        return
    digests[name] = hashlib.sha256(data).hexdigest()
    _add_bytes(tar, name, data)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
    tar.addfile(info, io.BytesIO(data))


# -- restore -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Restored:
    """What a restore put where: the state folder, its files, and the manifest's facts."""

    state: Path
    files: int
    schema: int
    made_by: str
    created: str


def read_manifest(archive: Path) -> dict[str, object]:
    """The manifest of `archive`, checked against its files; `UserError` names what is wrong."""
    manifest, _ = _read(archive)
    return manifest


def restore(archive: Path, state: Path, *, newest_schema: int) -> Restored:
    """Unpack `archive` into `state`, which must be empty or absent; files 0600, folders 0700.

    Refuses a live state (ledger files or a secret there, or an agent holding the lock), an
    archive whose files do not match its manifest, and one from a newer schema.
    """
    state = Path(state)
    manifest, files = _read(archive)
    schema = int(str(manifest.get("schema", 0)))
    if schema > newest_schema:
        raise UserError(f"{archive}: made by {manifest.get('made_by')} with state schema "
                        f"{schema}; this binome knows schema {newest_schema} at most: "
                        "install that version or a newer one to restore it")
    if has_state(state):
        raise UserError(f"{state} already holds a state; restore into an empty folder, or "
                        "stop the agent and move that folder away first")
    try:
        with lock(state):
            if has_state(state):  # made between the check and the lock
                raise UserError(f"{state} already holds a state; not overwriting it")
            work = state / ".restoring"
            shutil.rmtree(work, ignore_errors=True)
            for name, data in files.items():
                _write_private(work / PurePosixPath(name).relative_to("state"), data, work)
            # Each top-level entry moves in by a rename: a crash leaves `.restoring`
            # (ignored, and cleared by the next restore), never a half-copied file.
            for entry in sorted(work.iterdir()):
                os.replace(entry, state / entry.name)
            work.rmdir()
    except StoreLocked:
        raise UserError(f"{state} is in use by a running agent: stop it first") from None
    os.chmod(state, 0o700)
    return Restored(state, len(files), schema, str(manifest.get("made_by", "")),
                    str(manifest.get("created", "")))


def _read(archive: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    """The manifest and every file (name -> bytes), checked; nothing is written."""
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise UserError(f"{archive}: not a binome backup (a .tar.gz): {exc}") from None
    files: dict[str, bytes] = {}
    raw_manifest = None
    with tar:
        try:
            members = tar.getmembers()
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise UserError(f"{archive}: damaged archive: {exc}") from None
        for member in members:
            name = member.name
            path = PurePosixPath(name)
            if name == MANIFEST and member.isfile():
                raw_manifest = _extract(tar, member, archive)
                continue
            if member.isdir():
                continue
            if (not member.isfile() or path.is_absolute() or ".." in path.parts
                    or path.parts[0] != "state" or len(path.parts) < 2):
                raise UserError(f"{archive}: unexpected entry {name!r}: not a binome backup")
            files[name] = _extract(tar, member, archive)
    if raw_manifest is None:
        raise UserError(f"{archive}: no {MANIFEST} inside: not a binome backup")
    try:
        manifest = json.loads(raw_manifest)
        listed = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{archive}: {MANIFEST} is damaged") from None
    if set(listed) != set(files):
        missing = sorted(set(listed) ^ set(files))[:5]
        raise UserError(f"{archive}: files and manifest differ ({', '.join(missing)})")
    for name, data in files.items():
        if hashlib.sha256(data).hexdigest() != listed[name]:
            raise UserError(f"{archive}: {name} does not match its checksum: damaged archive")
    return manifest, files


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, archive: Path) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise UserError(f"{archive}: cannot read {member.name}")
    try:
        return handle.read()
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise UserError(f"{archive}: damaged archive at {member.name}: {exc}") from None


def _write_private(path: Path, data: bytes, top: Path) -> None:
    for folder in reversed([p for p in path.parents if p == top or top in p.parents]):
        with suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
