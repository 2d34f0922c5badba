"""`binome run`: the long-running agent on the real clock, stopped by a signal.

The programme starts a week before today, so the agent has work at once (match
and book the two pairings of tests/company.py's roster), and its state lives in
tmp_path. The process is the real command (`python -m agent.cli.main run`).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from agent.core.clock import SystemClock
from agent.core.store import Store, lock
from agent.loop.run import guarded, run_forever

if TYPE_CHECKING:
    from company import Programme

ROOT = Path(__file__).resolve().parents[2]


class Agent:
    """`binome run` as a subprocess whose log (standard output, errors merged in) is read
    line by line in a thread."""

    def __init__(self, config: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agent.cli.main", "run", "--config", str(config), *args],
            cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        for line in self.lines:
            if text in line:
                return line
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} in the agent's log:\n" + "\n".join(self.lines))

    def stop(self, timeout: float = 10) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        while not self._queue.empty():
            line = self._queue.get_nowait()
            if line is not None:
                self.lines.append(line)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def live(make_programme: Any) -> Programme:
    """A programme that started a week ago: the first tick has bookings to make."""
    return make_programme(start=(date.today() - timedelta(days=7)).isoformat())


@pytest.fixture
def agents() -> Any:
    started: list[Agent] = []

    def start(config: Path, *args: str) -> Agent:
        agent = Agent(config, *args)
        started.append(agent)
        return agent

    yield start
    for agent in started:
        agent.kill()


def binome(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_run_ticks_at_once_and_stops_cleanly_on_sigterm(live: Programme, agents: Any) -> None:
    agent = agents(live.config)
    agent.wait_for("agent started")
    agent.wait_for(" done book -> ")

    started = time.monotonic()
    code = agent.stop()

    assert code == 0
    assert time.monotonic() - started < 5
    assert any(line.endswith("agent stopped") for line in agent.lines), agent.lines
    assert not any("Traceback" in line for line in agent.lines)
    with lock(live.state):  # released: a new agent may start
        store = Store(live.state)
        pending = store.pending()
    if pending:  # a signal between intent and call: the next start settles them
        done = binome("tick", "--config", str(live.config), cwd=live.folder)
        assert done.returncode == 0, done.stderr
        pending = Store(live.state).pending()
    assert pending == []
    store = Store(live.state)
    booked = [k for k, a in store.all("actions") if k.startswith("series/")]
    assert len(booked) == 2
    assert all(store.action(k)["status"] == "done" for k in booked)
    pairings = [d for _, d in store.all("pairings")]
    assert len(pairings) == 2 and {d["status"] for d in pairings} == {"active"}


def test_a_second_agent_on_the_same_state_is_refused_naming_the_pid(
    live: Programme, agents: Any
) -> None:
    first = agents(live.config)
    first.wait_for("agent started")

    for command in (["tick"], ["run"]):
        done = binome(*command, "--config", str(live.config), cwd=live.folder)
        assert done.returncode == 2, (command, done.stderr)
        assert f"pid {first.proc.pid}" in done.stderr, (command, done.stderr)
        assert "in use by another agent" in done.stderr
        assert "Traceback" not in done.stderr

    assert first.proc.poll() is None  # the first one is unharmed
    assert first.stop() == 0


def test_the_commands_that_only_look_work_beside_a_running_agent(
    live: Programme, agents: Any
) -> None:
    first = agents(live.config)
    first.wait_for("agent started")

    for command in (["plan"], ["plan", "--json"], ["match"], ["match", "--json"], ["skills"],
                    ["status"], ["export", "--email", "nadia@ex.fr"]):
        done = binome(*command, "--config", str(live.config), cwd=live.folder)
        assert done.returncode == 0, (command, done.stderr)
        assert "in use by another agent" not in done.stderr
        assert "Traceback" not in done.stderr
    matched = binome("match", "--json", "--config", str(live.config), cwd=live.folder)
    assert "nadia@ex.fr" in matched.stdout

    assert first.proc.poll() is None  # the running agent is unharmed
    assert first.stop() == 0


def test_guarded_job_that_raises_is_logged_and_returns(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []

    def job() -> None:
        calls.append(1)
        raise RuntimeError("calendar server on fire")

    run = guarded("tick", job)
    with caplog.at_level(logging.ERROR, logger="binome"):
        assert run() is None
        assert run() is None  # and again at the next pass of the loop

    assert len(calls) == 2
    failures = [r for r in caplog.records if r.getMessage() == "tick failed; the agent goes on"]
    assert len(failures) == 2
    assert all(r.exc_info and "calendar server on fire" in str(r.exc_info[1]) for r in failures)


def test_run_forever_survives_a_failing_tick_and_stops(
    live: Programme, caplog: pytest.LogCaptureFixture
) -> None:
    settings = live.settings()
    live.roster.unlink()  # every tick now raises FileNotFoundError

    with caplog.at_level(logging.INFO, logger="binome"):
        run_forever(settings, SystemClock(), max_seconds=0.5)

    messages = [r.getMessage() for r in caplog.records]
    assert "tick failed; the agent goes on" in messages
    assert messages[-1] == "agent stopped"
    with lock(live.state):  # the lock was released
        assert Store(live.state).pending() == []


def test_status_answers_while_the_agent_runs(live: Programme, agents: Any) -> None:
    first = agents(live.config)
    first.wait_for(" done book -> ")

    done = binome("status", "--config", str(live.config), cwd=live.folder)

    assert first.stop() == 0
    assert done.returncode == 0, done.stderr
    assert "  mentoring active: 2" in done.stdout.splitlines()
