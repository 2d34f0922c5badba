"""Upgrading the state: `binome upgrade`, and the agent by itself when it starts.

The old state is real: tests/fixtures/state-38e41fb.tar.gz was written by the code of
commit 38e41fb, the last before the state carried a version (a `binome simulate` of the
example programme stopped on 15 September; tests/fixtures/make_state_38e41fb.py says
how it was made). The commands run as subprocesses, as an admin runs them.

The machinery (backup first, migrations in order, all or nothing, a newer state
refused) is also checked with migrations written here, passed as the list to apply.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import sys
import tarfile
from collections import Counter
from datetime import UTC, datetime
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar as ICalendar

from agent.core.store import Store, loose_modes
from agent.core.upkeep import migrations
from agent.core.upkeep.backup import read_manifest
from agent.core.upkeep.migrations import MIGRATIONS, SCHEMA_VERSION
from agent.core.upkeep.upgrade import StateTooNew, upgrade, version

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "state-38e41fb.tar.gz"
STOPPED = "2026-09-15T07:00:00+00:00"  # the old agent's last tick
NOW = datetime(2026, 9, 15, 8, tzinfo=UTC)


def binome(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """The fixture unpacked: binome.toml, roster.csv, and sim/ with the old state in it."""
    folder = tmp_path / "company"
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(folder, filter="data")
    return folder


def ledger_files(state: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(state.glob("*.json"))}


def actions(state: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in state.glob("actions-*.json"):
        found.update(json.loads(path.read_bytes())["actions"])
    return found


def schema(state: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((state / "meta.json").read_bytes())["meta"]["schema"]
    return doc


def sent(maildir: Path) -> dict[str, tuple[str, bytes]]:
    """Message-ID -> (the action key it carries, its bytes), for every message sent."""
    found = {}
    for path in sorted([*maildir.glob("new/*"), *maildir.glob("cur/*")]):
        raw = path.read_bytes()
        msg = email.message_from_bytes(raw, policy=default_policy)
        assert str(msg["Message-ID"]) not in found, f"{msg['Message-ID']} is there twice"
        found[str(msg["Message-ID"])] = (str(msg["X-Binome-Key"]).strip(), raw)
    return found


def series_per_file(calendars: Path) -> list[Counter[str]]:
    """For each calendar file, how many master events (no RECURRENCE-ID) each UID has."""
    found = []
    for path in sorted(calendars.glob("*.ics")):
        cal = ICalendar.from_ical(path.read_bytes())
        found.append(Counter(str(e["UID"]) for e in cal.walk("VEVENT")
                             if "RECURRENCE-ID" not in e))
    return found


def assert_nothing_done_twice(before: dict[str, dict[str, Any]],
                              after: dict[str, dict[str, Any]]) -> None:
    again = [key for key, record in before.items()
             if record["status"] == "done" and after.get(key) != record]
    assert not again, f"done before the upgrade, and changed since: {again[:5]}"


def test_binome_upgrade_migrates_the_old_state_and_the_demo_continues_without_duplicates(
        old: Path) -> None:
    state = old / "sim" / "state"
    before, before_actions = ledger_files(state), actions(state)
    before_mail = sent(old / "sim" / "mail")
    assert "meta.json" not in before and before_actions  # written before versions

    done = binome("upgrade", "--config", "binome.toml", cwd=old)

    assert done.returncode == 0, done.stderr
    assert f"upgraded from schema version 0 to {SCHEMA_VERSION}" in done.stdout
    meta = schema(state)
    assert meta["version"] == SCHEMA_VERSION
    assert [(h["from"], h["to"]) for h in meta["history"]] == [(0, SCHEMA_VERSION)]
    kept = state / meta["history"][0]["backup"]
    assert kept.stat().st_mode & 0o777 == 0o600
    assert read_manifest(kept)["schema"] == 0
    with tarfile.open(kept) as tar:  # the backup is the state as it was, byte for byte
        archived = {m.name.removeprefix("state/"): tar.extractfile(m).read()  # type: ignore
                    for m in tar.getmembers() if m.name.endswith(".json")
                    and m.name.startswith("state/")}
    assert archived == before
    assert actions(state) == before_actions
    again = binome("upgrade", "--config", "binome.toml", cwd=old)
    assert again.returncode == 0 and "nothing to do" in again.stdout

    demo = binome("simulate", "--config", "binome.toml", "--months", "1", "--seed", "7",
                  "--out", "sim", cwd=old)

    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "FAILED" not in demo.stdout
    assert demo.stderr == ""  # not a terminal: no progress bar, and nothing went wrong
    after = actions(state)
    assert_nothing_done_twice(before_actions, after)
    # It went on: the sessions of the second half of September, and September's digests.
    assert any(r["status"] == "done" and r["at"] > STOPPED for r in after.values())
    assert after["digest/admin/2026-09"]["status"] == "done"
    assert re.search(r"digests: \S+ \([1-9]\d* files\)", demo.stdout)
    mail = sent(old / "sim" / "mail")
    assert {mid: mail[mid] for mid in before_mail} == before_mail  # untouched
    keys = Counter(key for key, _ in mail.values())
    assert keys and max(keys.values()) == 1, keys.most_common(3)
    assert len(mail) > len(before_mail)
    for counts in series_per_file(old / "sim" / "calendars"):
        assert not counts or max(counts.values()) == 1, counts


def test_the_agent_upgrades_an_old_state_by_itself_when_it_starts(old: Path) -> None:
    state = old / "sim" / "state"
    before_actions = actions(state)
    assert loose_modes(state)  # the old binome wrote 0644 files

    done = binome("tick", "--config", "binome.toml", "--at", "2026-09-15T10:00+02:00", cwd=old)

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"upgraded from schema version 0 to {SCHEMA_VERSION}" in done.stderr
    assert schema(state)["version"] == SCHEMA_VERSION
    assert len(list((state / "backups").glob("before-schema-*.tar.gz"))) == 1
    assert (state / "backups").stat().st_mode & 0o777 == 0o700
    assert loose_modes(state) == []  # made private, as a new state is
    assert_nothing_done_twice(before_actions, actions(state))


# -- the machinery, with migrations written here -------------------------------------------
def _v1(store: Store) -> None:
    """Nothing changes."""


def _v2_minutes(store: Store) -> None:
    """`length` in hours becomes `minutes`."""
    for id, doc in store.all("series"):
        doc["minutes"] = doc.pop("length") * 60
        store.put("series", id, doc)


def _v3_broken(store: Store) -> None:
    """Half done, then fails."""
    store.put("series", "p-1", {"minutes": 0})
    raise RuntimeError("migration 3 failed")


def old_store(path: Path) -> Store:
    store = Store(path)
    store.put("series", "p-1", {"length": 1})
    store.put("series", "p-2", {"length": 2}, month="2026-09")
    store.flush()
    return store


def test_migrations_apply_in_order_after_a_backup_and_record_the_version(tmp_path: Path) -> None:
    state = tmp_path / "state"
    before = ledger_files(old_store(state).path)

    done = upgrade(Store(state), NOW, [_v1, _v2_minutes])

    assert done is not None and (done.before, done.after) == (0, 2)
    assert done.backup is not None and read_manifest(done.backup)["schema"] == 0
    reopened = Store(state)
    assert version(reopened) == 2
    assert dict(reopened.all("series")) == {"p-1": {"minutes": 60}, "p-2": {"minutes": 120}}
    with tarfile.open(done.backup) as tar:
        assert {m.name for m in tar.getmembers()} >= {f"state/{n}" for n in before}
    assert upgrade(reopened, NOW, [_v1, _v2_minutes]) is None  # at that version: nothing


def test_a_failing_migration_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    state = tmp_path / "state"
    old_store(state)
    upgrade(Store(state), NOW, [_v1, _v2_minutes])
    before = ledger_files(state)

    with pytest.raises(RuntimeError, match="migration 3 failed"):
        upgrade(Store(state), NOW, [_v1, _v2_minutes, _v3_broken])

    assert ledger_files(state) == before
    assert version(Store(state)) == 2


def test_a_new_state_gets_the_current_version_without_a_backup(tmp_path: Path) -> None:
    done = upgrade(Store(tmp_path / "state"), NOW)

    assert done is not None and done.backup is None
    assert version(Store(tmp_path / "state")) == SCHEMA_VERSION
    assert not (tmp_path / "state" / "backups").exists()


def test_a_state_newer_than_this_binome_is_refused_by_every_command(
        programme: Any, tmp_path: Path) -> None:
    store = Store(programme.state)
    store.put("meta", "schema", {"version": SCHEMA_VERSION + 1, "history": []})
    store.flush()
    before = ledger_files(programme.state)

    with pytest.raises(StateTooNew):
        upgrade(Store(programme.state), NOW)
    for args in (["tick"], ["upgrade"], ["status"], ["plan"], ["backup", "--out", "b.tar.gz"]):
        done = binome(*args, "--config", str(programme.config), cwd=tmp_path)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"schema version {SCHEMA_VERSION + 1}, written by a newer binome" in done.stderr
        assert "Traceback" not in done.stderr
    assert ledger_files(programme.state) == before
    assert not (tmp_path / "b.tar.gz").exists()


def test_the_migrations_are_one_numbered_list_each_saying_what_it_changes() -> None:
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 1
    for n, migration in enumerate(MIGRATIONS, start=1):
        assert migration.__name__.startswith(f"_v{n}_"), migration.__name__
        assert migration.__doc__ and migration.__doc__.strip()
        assert getattr(migrations, migration.__name__) is migration
