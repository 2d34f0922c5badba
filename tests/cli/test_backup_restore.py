"""`binome backup` while `binome run` works, then `binome restore` into an empty folder:
the restored installation goes on from its snapshot, and does nothing twice.

The agent is the real command in a subprocess, on the real clock, for a programme that
started a week ago (its first tick books two series and sends four introductions, with
the local backend inside the state folder, so the backup holds the calendars and the
Maildir too). Backups are taken one after the other, from the agent's start to the end
of its first tick, so some catch it mid-tick with intents in flight. Each is restored
into its own empty folder and ticked once more: it must end where the agent ended,
every action done once, every mail once.
"""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta
from email.policy import default as default_policy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from agent.cli.main import main

if TYPE_CHECKING:
    from company import Programme


class Running:
    """`binome run` in a subprocess; its log lines are collected by a thread."""

    def __init__(self, config: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agent.cli.main", "run", "--config", str(config)],
            cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def seen(self, text: str) -> bool:
        return any(text in line for line in list(self.lines))

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


def actions(state: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in state.glob("actions-*.json"):
        found.update(json.loads(path.read_bytes())["actions"])
    return found


def pending(state: Path) -> int:
    path = state / "pending.json"
    return len(json.loads(path.read_bytes()).get("pending", {})) if path.exists() else 0


def mail_keys(state: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for path in [*(state / "local" / "mail").glob("new/*"),
                 *(state / "local" / "mail").glob("cur/*")]:
        msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        found[str(msg["X-Binome-Key"]).strip()] += 1
    return found


def test_a_backup_taken_while_the_agent_runs_restores_into_an_empty_folder_and_goes_on(
        make_programme: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    programme: Programme = make_programme(start=(date.today() - timedelta(days=7)).isoformat())
    agent = Running(programme.config)
    archives: list[Path] = []
    try:
        deadline = time.monotonic() + 120
        while not agent.seen("agent started") and time.monotonic() < deadline:
            time.sleep(0.01)
        # Backups from the start until the first tick is over (and one after).
        while time.monotonic() < deadline:
            over = agent.seen("INFO tick ")
            out = tmp_path / f"backup-{len(archives)}.tar.gz"
            if main(["backup", "--config", str(programme.config), "--out", str(out)]) == 0:
                archives.append(out)
            if over:
                break
    finally:
        assert agent.stop() == 0, "\n".join(agent.lines)
    capsys.readouterr()
    assert agent.seen("INFO tick "), "\n".join(agent.lines)
    final = actions(programme.state)
    done = {key for key, record in final.items() if record["status"] == "done"}
    assert len(done) == 6 and len(archives) >= 2  # two series and four introductions

    seen: list[tuple[int, int]] = []
    for n, archive in enumerate(archives):
        label = f"backup {n} of {len(archives)}"
        assert archive.stat().st_mode & 0o777 == 0o600
        folder = tmp_path / f"restored-{n}"
        folder.mkdir()
        config = folder / "binome.toml"
        config.write_text(programme.config.read_text(encoding="utf-8").replace(
            'path = "roster.csv"', f'path = "{programme.roster}"'), encoding="utf-8")
        state = folder / "state"

        assert main(["restore", str(archive), "--config", str(config)]) == 0
        snapshot = actions(state)
        in_flight = pending(state)
        assert main(["restore", str(archive), "--config", str(config)]) == 2  # not twice
        assert main(["tick", "--config", str(config)]) == 0, capsys.readouterr()

        after = actions(state)
        redone = [k for k, r in snapshot.items() if r["status"] == "done" and after[k] != r]
        label += f" ({len(snapshot)} action(s) recorded, {in_flight} in flight)"
        assert not redone, f"{label}: done again after the restore: {redone}"
        assert {k for k, r in after.items() if r["status"] == "done"} == done, label
        keys = mail_keys(state)
        assert set(keys) == {k for k in done if k.startswith("mail/")}, label
        assert max(keys.values()) == 1, f"{label}: {keys.most_common(2)}"
        assert pending(state) == 0
        seen.append((len(snapshot), in_flight))
    # What the snapshots caught (not asserted: timing decides): before, during, after the tick.
    capsys.readouterr()
    print("actions recorded and in flight in each backup:", Counter(seen))
