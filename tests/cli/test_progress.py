"""Progress on long work: a bar in a terminal, nothing extra when the output is not one.

The commands run as subprocesses whose standard error is a pseudo-terminal (what an
admin's terminal is to them) or a pipe (cron, a log file, a script).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.cli.main import main

if TYPE_CHECKING:
    from company import Programme


def in_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run `binome args` with standard error on a pseudo-terminal: (code, stdout, terminal)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli.main", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=slave, text=True,
                            env={**os.environ, "TERM": "xterm", "COLUMNS": "120"})
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read() if proc.stdout else ""
    code = proc.wait(timeout=300)
    os.close(master)
    return code, out, seen.decode(errors="replace")


def test_simulate_draws_a_bar_in_a_terminal_and_its_summary_is_unchanged(
        programme: Programme, tmp_path: Path) -> None:
    code, out, terminal = in_terminal(["simulate", "--config", str(programme.config),
                                       "--months", "1", "--out", str(tmp_path / "a")], tmp_path)

    assert code == 0
    assert "simulating" in terminal and "/" in terminal.split("simulating", 1)[1]  # done/total
    assert out.startswith(f"Simulated 2026-09-01 to 2026-10-01 in {tmp_path / 'a'}\n")
    # (Piped, a simulation prints its summary and nothing on standard error:
    # tests/core/test_upgrade.py checks it on the simulation it runs.)


def test_digest_out_and_match_show_progress_in_a_terminal_only(
        programme: Programme, tmp_path: Path, capsys: Any) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    capsys.readouterr()
    digest = ["digest", "--config", config, "--month", "2026-09", "--out", str(tmp_path / "d"),
              "--at", "2026-10-01T09:00+02:00"]

    code, out, terminal = in_terminal(digest, tmp_path)
    assert code == 0 and "wrote " in out
    assert "composing the digests of 2026-09" in terminal

    code, out, terminal = in_terminal(["match", "--config", config], tmp_path)
    assert code == 0 and "matching 6 people" in terminal

    for args in ([*digest[:-4], "--out", str(tmp_path / "e"), "--at", "2026-10-01T09:00+02:00"],
                 ["match", "--config", config]):
        piped = subprocess.run([sys.executable, "-m", "agent.cli.main", *args], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
        assert piped.returncode == 0 and piped.stderr == "", (args, piped.stderr)
