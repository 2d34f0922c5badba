"""Backups of the state (agent.core.upkeep.backup): one flush's state even beside a writer that
never stops, private files, and a restore that refuses what it must.

The writer beside the backups is a real process holding the agent's lock and flushing
the real store in a loop (three files per flush, all carrying the same counter, and a
large history between them in the order files are read), so a backup that mixed two
flushes would show two counters; without the check after reading, it does.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.core.errors import UserError
from agent.core.secret import reply_secret
from agent.core.storage import MARKER
from agent.core.store import Store, lock
from agent.core.upkeep.backup import MANIFEST, backup, read_manifest, restore

NOW = datetime(2026, 9, 15, 8, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from pathlib import Path
from agent.core.store import Store, lock
state, stop = Path(sys.argv[1]), Path(sys.argv[2])
with lock(state):
    store = Store(state)
    i = 0
    print("ready", flush=True)
    while not stop.exists():
        i += 1
        for table in ("alpha", "beta"):
            store.put(table, "n", {"i": i})
        store.put("gamma", "n", {"i": i}, month="2026-09")
        store.flush()
        time.sleep(0.01)  # a very busy agent: a flush every few hundredths of a second
    print(i, flush=True)
"""


def make_state(state: Path, bulk: int = 0) -> None:  # bulk: how many 200 kB tables
    store = Store(state)
    for table in ("alpha", "beta"):
        store.put(table, "n", {"i": 0})
    store.put("gamma", "n", {"i": 0}, month="2026-09")
    # Tables read between alpha's and beta's (names in order), never rewritten: reading
    # them takes long enough that a flush often falls in between.
    for n in range(bulk):
        store.put(f"as_of_{n:03d}", "history", {"text": "x" * 200_000})
    store.flush()
    reply_secret(state)
    (state / "local" / "mail" / "new").mkdir(parents=True)
    (state / "local" / "mail" / "new" / "m1").write_bytes(b"Subject: hello\n\nhi\n")


def archived(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


def counters(archive: Path) -> set[int]:
    files = archived(archive)
    docs = [json.loads(files[f"state/{name}"]) for name in
            ("alpha.json", "beta.json", "gamma-2026-09.json")]
    return {next(iter(doc.values()))["n"]["i"] for doc in docs}


def save(state: Path, out: Path) -> int:
    return backup(state, out, schema=1, made_by="binome test", now=NOW).attempts


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    state = tmp_path / "state"
    make_state(state, bulk=100)
    stop = tmp_path / "stop"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(state), str(stop)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield state, proc
    stop.touch()
    proc.wait(timeout=30)


def test_backups_beside_a_writer_that_keeps_flushing_each_hold_one_flush(
        writer: tuple[Path, subprocess.Popen[str]], tmp_path: Path) -> None:
    state, proc = writer
    seen = set()
    for n in range(8):
        out = tmp_path / f"b{n}.tar.gz"
        save(state, out)
        found = counters(out)
        assert len(found) == 1, f"backup {n} mixes flushes {sorted(found)}"
        seen |= found
    (tmp_path / "stop").touch()
    assert proc.stdout is not None
    flushes = int(proc.stdout.readline())
    assert len(seen) > 1 and flushes > max(seen)  # the writer went on during the backups


def test_a_backup_waits_for_a_flush_being_committed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    make_state(state)
    (state / MARKER).write_bytes(b"[]")  # a group commit under way, by the agent below
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time\nfrom pathlib import Path\n"
                               "from agent.core.store import lock\n"
                               "with lock(Path(sys.argv[1])):\n"
                               "    print('locked', flush=True); time.sleep(30)\n", str(state)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        threading.Timer(0.3, (state / MARKER).unlink).start()

        attempts = save(state, tmp_path / "b.tar.gz")

        assert attempts > 1
        assert counters(tmp_path / "b.tar.gz") == {0}
    finally:
        holder.kill()
        holder.wait()


def test_the_archive_is_private_whatever_the_umask_and_keeps_the_reply_secret(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    make_state(state)
    (state / "backups").mkdir()
    (state / "backups" / "old.tar.gz").write_bytes(b"not again")
    (state / "alpha.json.new").write_bytes(b"{}")  # a staged file of an unfinished flush
    (state / "local" / "mail" / "tmp").mkdir()  # deliveries under way
    (state / "local" / "mail" / "tmp" / "m2").write_bytes(b"Subject: half")
    (state / "local" / "mail" / "new" / ".m3.123.tmp").write_bytes(b"Subject: half")
    old = os.umask(0)
    try:
        save(state, tmp_path / "b.tar.gz")
    finally:
        os.umask(old)

    assert (tmp_path / "b.tar.gz").stat().st_mode & 0o777 == 0o600
    files = archived(tmp_path / "b.tar.gz")
    assert files["state/reply-secret.key"] == (state / "reply-secret.key").read_bytes()
    assert files["state/local/mail/new/m1"] == b"Subject: hello\n\nhi\n"
    assert set(files) == {MANIFEST, "state/alpha.json", "state/beta.json",
                          "state/gamma-2026-09.json", "state/reply-secret.key",
                          "state/local/mail/new/m1"}
    with pytest.raises(UserError, match="already exists"):
        save(state, tmp_path / "b.tar.gz")


def test_restore_gives_the_same_files_private_into_an_empty_folder(tmp_path: Path) -> None:
    state = tmp_path / "state"
    make_state(state)
    save(state, tmp_path / "b.tar.gz")
    target = tmp_path / "elsewhere" / "state"
    target.mkdir(parents=True)  # empty: fine

    done = restore(tmp_path / "b.tar.gz", target, newest_schema=1)

    assert done.files == 5 and done.schema == 1
    for path in state.rglob("*"):
        if path.is_file() and path.name != "agent.lock":
            copy = target / path.relative_to(state)
            assert copy.read_bytes() == path.read_bytes()
            assert copy.stat().st_mode & 0o777 == 0o600
    for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
        assert folder.stat().st_mode & 0o777 == 0o700
    assert Store(target).get("alpha", "n") == {"i": 0}


def test_restore_never_overwrites_a_state_nor_one_an_agent_holds(tmp_path: Path) -> None:
    state = tmp_path / "state"
    make_state(state)
    save(state, tmp_path / "b.tar.gz")
    before = {p: p.read_bytes() for p in state.rglob("*") if p.is_file()}

    with pytest.raises(UserError, match="already holds a state"):
        restore(tmp_path / "b.tar.gz", state, newest_schema=1)
    assert {p: p.read_bytes() for p in state.rglob("*") if p.is_file()} == before

    empty = tmp_path / "empty"
    with lock(empty), pytest.raises(UserError, match="in use by a running agent"):
        restore(tmp_path / "b.tar.gz", empty, newest_schema=1)
    assert [p.name for p in empty.iterdir()] == ["agent.lock"]


def forged(path: Path, entries: dict[str, bytes], manifest: dict[str, object] | None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        items = dict(entries)
        if manifest is not None:
            items[MANIFEST] = json.dumps(manifest).encode()
        for name, data in items.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_restore_refuses_damaged_foreign_and_newer_archives(tmp_path: Path) -> None:
    state = tmp_path / "state"
    make_state(state)
    good = tmp_path / "b.tar.gz"
    save(state, good)
    files = archived(good)
    manifest = read_manifest(good)
    tampered = {**files, "state/alpha.json": b'{"alpha":{"n":{"i":666}}}'}
    tampered.pop(MANIFEST)
    cases = {
        "does not match its checksum": forged(tmp_path / "t.tar.gz", tampered, manifest),
        "unexpected entry '../escape'": forged(tmp_path / "e.tar.gz", {"../escape": b"x"},
                                               {**manifest, "files": {}}),
        "no binome-backup.json inside": forged(tmp_path / "n.tar.gz", {"state/a.json": b"{}"},
                                               None),
        "this binome knows schema 0 at most": good,
    }
    (tmp_path / "junk.tar.gz").write_bytes(b"\x00" * 100)
    cases["not a binome backup"] = tmp_path / "junk.tar.gz"
    for message, archive in cases.items():
        target = tmp_path / f"into-{archive.stem}"
        with pytest.raises(UserError, match=message.replace("(", r"\(")):
            restore(archive, target, newest_schema=0 if archive == good else 1)
        assert not target.exists() or not any(target.iterdir())
    assert not (tmp_path / "escape").exists()


def test_a_backup_of_nothing_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no state to back up"):
        save(tmp_path / "nothing", tmp_path / "b.tar.gz")
    assert not (tmp_path / "b.tar.gz").exists()
    time.sleep(0)  # nothing left running
