"""The store on real files: layout, batching, the action ledger, locking, crashes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from agent.core.storage import MARKER, AtomicJSONStorage
from agent.core.store import Store, StoreCorrupt, StoreLocked, lock, payload_hash

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)


class CountingStorage(AtomicJSONStorage):
    """Records every file the store replaces on disk."""

    replaced: list[str] = []

    def replace(self, src: Path, dst: Path) -> None:
        CountingStorage.replaced.append(dst.name)
        super().replace(src, dst)


class CountingStore(Store):
    storage_class = CountingStorage


def files_written() -> set[str]:
    names = set(CountingStorage.replaced) - {MARKER}
    CountingStorage.replaced.clear()
    return names


def python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True, env=env
    )


# -- documents and layout -------------------------------------------------------------
def test_round_trip_across_reopen(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    store.put("pairings", "p/1:a", {"who": ["ana", "bo"], "n": 1.5, "none": None})
    store.put("messages", "<id@x>", {"about": "p/1:a"}, month="2026-10")
    store.close()
    again = Store(tmp_path / "db")
    assert again.get("pairings", "p/1:a") == {"who": ["ana", "bo"], "n": 1.5, "none": None}
    assert again.get("messages", "<id@x>") == {"about": "p/1:a"}
    assert again.get("messages", "missing") is None
    assert again.get("nosuchtable", "x") is None


def test_partition_is_chosen_on_insert_and_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("actions", "mail/1", {"v": 1}, month="2026-10")
    store.flush()
    on_disk = json.loads((tmp_path / "actions-2026-10.json").read_text())
    assert on_disk == {"actions": {"mail/1": {"v": 1}}}
    store.put("actions", "mail/1", {"v": 2}, month="2026-11")  # an update stays put
    store.flush()
    assert not (tmp_path / "actions-2026-11.json").exists()
    assert list(Store(tmp_path).in_month("actions", "2026-10")) == [("mail/1", {"v": 2})]
    assert not (tmp_path / "state.json").exists()  # nothing for it: never written


def test_all_in_month_and_delete(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("feedback", "a", {"n": 1}, month="2026-11")
    store.put("feedback", "b", {"n": 2}, month="2026-10")
    store.put("feedback", "c", {"n": 3})
    assert [id for id, _ in store.all("feedback")] == ["c", "b", "a"]
    assert dict(store.in_month("feedback", "2026-10")) == {"b": {"n": 2}}
    assert list(store.in_month("feedback", "2027-01")) == []
    store.delete("feedback", "b")
    store.delete("feedback", "never")
    store.flush()
    assert dict(Store(tmp_path).all("feedback")) == {"a": {"n": 1}, "c": {"n": 3}}


def test_documents_are_copies_and_must_be_json(tmp_path: Path) -> None:
    store = Store(tmp_path)
    doc: dict[str, Any] = {"list": [1]}
    store.put("t", "x", doc)
    doc["list"].append(2)
    got = store.get("t", "x")
    assert got == {"list": [1]}
    got["list"].append(3)
    assert store.get("t", "x") == {"list": [1]}
    with pytest.raises(ValueError, match="not JSON"):
        store.put("t", "y", {"when": T0})
    with pytest.raises(ValueError, match="YYYY-MM"):
        store.put("t", "y", {}, month="2026-13")
    with pytest.raises(ValueError, match="table name"):
        store.put("../etc", "y", {})


def test_unflushed_writes_are_lost_on_reopen(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("t", "kept", {})
    store.flush()
    store.put("t", "lost", {}, month="2026-10")
    again = Store(tmp_path)
    assert again.get("t", "kept") == {} and again.get("t", "lost") is None


# -- flushing ------------------------------------------------------------------------
def test_flush_writes_only_dirty_files(tmp_path: Path) -> None:
    store = CountingStore(tmp_path)
    for month in range(1, 13):
        store.put("actions", f"a{month}", {"m": month}, month=f"2026-{month:02d}")
    store.put("marks", "last_tick", {"at": "x"})
    store.flush()
    assert len(files_written()) == 13
    store.put("actions", "a10", {"m": "again"})
    store.flush()
    assert files_written() == {"actions-2026-10.json"}
    store.put("actions", "new", {}, month="2026-10")
    store.put("marks", "last_tick", {"at": "y"})
    store.flush()
    assert files_written() == {"actions-2026-10.json", "marks.json"}
    store.delete("actions", "a3")
    store.flush()
    assert files_written() == {"actions-2026-03.json"}


def test_noop_flush_writes_nothing(tmp_path: Path) -> None:
    store = CountingStore(tmp_path)
    store.put("t", "x", {}, month="2026-01")
    store.flush()
    files_written()
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    store.flush()
    store.close()
    CountingStore(tmp_path).flush()  # opening writes nothing either
    assert files_written() == set()
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps


def test_interrupted_group_commit_rolls_forward_with_marker(tmp_path: Path) -> None:
    Store(tmp_path).close()
    (tmp_path / "t.json.new").write_text('{"t": {"x": {"v": "new"}}}')
    (tmp_path / "t-2026-10.json.new").write_text('{"t": {"y": {"v": "new"}}}')
    (tmp_path / MARKER).write_text('["t.json", "t-2026-10.json"]')
    store = Store(tmp_path)
    assert store.get("t", "x") == {"v": "new"} and store.get("t", "y") == {"v": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-2026-10.json", "t.json"]


def test_interrupted_group_commit_rolls_back_without_marker(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("t", "x", {"v": "old"})
    store.close()
    (tmp_path / "t.json.new").write_text('{"t": {"x": {"v": "new"}}}')
    (tmp_path / "t-2026-10.json.new").write_text('{"t": {"y"')
    (tmp_path / (MARKER + ".new")).write_text('["t.json"')
    store = Store(tmp_path)
    assert store.get("t", "x") == {"v": "old"} and store.get("t", "y") is None
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_corrupt_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "feedback-2026-10.json").write_text('{"feedback": {')
    with pytest.raises(StoreCorrupt, match="feedback-2026-10.json"):
        Store(tmp_path)


# -- the action ledger -----------------------------------------------------------------
def test_begin_finish_pending_across_reopen(tmp_path: Path) -> None:
    store = Store(tmp_path)
    payload = {"message_id": "<k@binome>", "raw": "QUJD" * 1000}
    store.begin("mail/objectives/s1/2026-10-05", "mail", payload, T0)
    store.begin("series/p1/1", "book", {"series": {"key": "s"}}, T0.replace(day=1))
    store.flush()

    store = Store(tmp_path)
    assert [p["key"] for p in store.pending()] == [
        "series/p1/1", "mail/objectives/s1/2026-10-05"]  # oldest first
    intent = store.action("mail/objectives/s1/2026-10-05")
    assert intent == {
        "key": "mail/objectives/s1/2026-10-05", "kind": "mail", "status": "intent",
        "ref": None, "hash": payload_hash(payload), "at": T0.isoformat(), "done_at": None,
        "error": "",
    }
    assert store.pending()[1]["payload"] == payload
    assert (tmp_path / "actions-2026-10.json").exists()

    later = T0.replace(minute=31)
    store.finish("mail/objectives/s1/2026-10-05", later, ref="<k@binome>")
    store.finish("series/p1/1", later, status="failed", error="no slot")
    store.flush()
    store = Store(tmp_path)
    assert store.pending() == []
    done = store.action("mail/objectives/s1/2026-10-05")
    assert done is not None and done["status"] == "done" and done["ref"] == "<k@binome>"
    assert done["done_at"] == later.isoformat()
    failed = store.action("series/p1/1")
    assert failed is not None and (failed["status"], failed["error"]) == ("failed", "no slot")
    assert all("QUJD" not in p.read_text() for p in tmp_path.glob("*.json"))  # payload dropped
    assert store.action("never") is None


def test_finish_checks_its_arguments(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(KeyError):
        store.finish("nope", T0)
    store.begin("k", "mail", {}, T0)
    with pytest.raises(ValueError, match="status"):
        store.finish("k", T0, status="ok")


# -- locking ---------------------------------------------------------------------------
HOLD = """
import sys, time
from pathlib import Path
from agent.core.store import lock
with lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_lock_refuses_a_second_holder_and_is_released_on_exit(tmp_path: Path) -> None:
    child = python(HOLD, str(tmp_path))
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        with pytest.raises(StoreLocked, match=f"pid {child.pid}"):
            with lock(tmp_path):
                pass
    finally:
        child.kill()
        child.wait()
    with lock(tmp_path):  # the kernel released it with the dead process
        with pytest.raises(StoreLocked, match=f"pid {os.getpid()}"):
            with lock(tmp_path):
                pass
    with lock(tmp_path):
        pass


# -- crashes ---------------------------------------------------------------------------
WRITER = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from agent.core.store import Store
store = Store(Path(sys.argv[1]))
i = int(sys.argv[2])
print("open", flush=True)
while True:
    store.put("counter", "last", {"i": i})
    store.put("notes", f"n/{i}", {"i": i, "pad": "x" * 300}, month=f"2026-{i % 12 + 1:02d}")
    store.put("notes", f"m:{i}", {"i": i}, month=f"2027-{i % 12 + 1:02d}")
    at = datetime(2026, i % 12 + 1, 1, tzinfo=UTC)
    store.begin(f"act/{i}", "mail", {"i": i, "raw": "y" * 2000}, at)
    if i % 2:
        store.finish(f"act/{i - 1}", datetime.now(UTC), ref=str(i - 1))
    store.flush()
    print(i, flush=True)
    i += 1
"""


def check_batch(store: Store, i: int) -> bool:
    """Whether every write of batch `i` is there (all) or none is, else fail."""
    parts = [store.get("notes", f"n/{i}"), store.get("notes", f"m:{i}"), store.action(f"act/{i}")]
    assert all(p is None for p in parts) or all(p is not None for p in parts), (i, parts)
    return parts[0] is not None


def test_kill_9_at_random_moments_loses_no_completed_flush(tmp_path: Path) -> None:
    rng = random.Random(1234)
    acknowledged = -1
    for _ in range(int(os.environ.get("KILLS", "30"))):
        child = python(WRITER, str(tmp_path), str(acknowledged + 1))
        assert child.stdout is not None
        child.stdout.readline()  # killing during start-up is covered by the random delay too
        # Let it acknowledge a few flushes first (however slow the machine is), then kill it
        # at a random moment: the kill still lands anywhere inside a flush.
        seen = [child.stdout.readline() for _ in range(rng.randint(1, 3))]
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        lines = [*"".join(seen).split(), *out.split()]
        if lines:
            acknowledged = int(lines[-1])

        store = Store(tmp_path)  # opens cleanly: no exception, no leftovers
        assert not any(p.name.endswith(".new") for p in tmp_path.iterdir())
        for i in range(acknowledged + 1):
            assert check_batch(store, i), f"flush {i} completed but its records are gone"
        check_batch(store, acknowledged + 1)
        last = store.get("counter", "last")
        assert last is not None and last["i"] >= acknowledged
        pending = {p["key"] for p in store.pending()}
        for i in range(acknowledged + 1):
            record = store.action(f"act/{i}")
            assert record is not None
            assert (record["status"] == "intent") == (f"act/{i}" in pending)
    assert acknowledged > 30  # the child did get work done between kills


# -- model-based -----------------------------------------------------------------------
class StoreMachine(RuleBasedStateMachine):
    """Store vs a dict: reopening keeps exactly what was flushed."""

    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.store = Store(self.dir)
        # (table, id) -> (month or None, doc); current includes unflushed changes
        self.current: dict[tuple[str, str], tuple[str | None, dict[str, Any]]] = {}
        self.flushed: dict[tuple[str, str], tuple[str | None, dict[str, Any]]] = {}

    @rule(target=ids, table=st.sampled_from(["pairings", "actions"]),
          id=st.text("ab/:-é.", min_size=1, max_size=4))
    def new_id(self, table: str, id: str) -> tuple[str, str]:
        return (table, id)

    @rule(ref=ids, month=st.sampled_from([None, "2026-01", "2026-02"]),
          value=st.integers() | st.text(max_size=3) | st.lists(st.booleans(), max_size=2))
    def put(self, ref: tuple[str, str], month: str | None, value: Any) -> None:
        self.store.put(*ref, {"v": value}, month=month)
        where = self.current[ref][0] if ref in self.current else month
        self.current[ref] = (where, {"v": value})

    @rule(ref=ids)
    def delete(self, ref: tuple[str, str]) -> None:
        self.store.delete(*ref)
        self.current.pop(ref, None)

    @rule()
    def flush(self) -> None:
        self.store.flush()
        self.flushed = dict(self.current)

    @rule()
    def reopen(self) -> None:
        self.store = Store(self.dir)
        self.current = dict(self.flushed)

    @invariant()
    def same_as_model(self) -> None:
        for table in ("pairings", "actions"):
            got = dict(self.store.all(table))
            assert got == {id: doc for (t, id), (_, doc) in self.current.items() if t == table}
            for month in ("2026-01", "2026-02"):
                assert dict(self.store.in_month(table, month)) == {
                    id: doc for (t, id), (m, doc) in self.current.items()
                    if t == table and m == month
                }

    def teardown(self) -> None:
        shutil.rmtree(self.dir)


StoreMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_store_matches_model = StoreMachine.TestCase
