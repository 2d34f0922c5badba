"""`binome service install`: the systemd unit that keeps the agent running.

The unit is checked by systemd itself (`systemd-analyze verify`, as a system and as a
user unit) where systemd is installed (Debian's `systemd` package), and its ExecStart
line is run for real: it must start this binome's agent on these settings.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from agent.cli.main import main

if TYPE_CHECKING:
    from company import Programme

ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


def unit_of(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["service", "install", "--config", str(config), "--print", *args]) == 0
    return capsys.readouterr().out


def directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def verify(unit: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    runtime = unit.parent / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run([ANALYZE, "verify", *args, str(unit)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})


def test_the_unit_restarts_the_agent_and_shuts_the_system_away_from_it(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    unit = directives(unit_of(programme.config, capsys))

    assert unit["Restart"] == ["on-failure"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["PrivateTmp"] == ["yes"]
    assert unit["UMask"] == ["0077"]
    assert unit["User"] == ["binome"]
    # The state is the one folder it may write (the local backend lives inside it).
    assert unit["ReadWritePaths"] == [str(programme.state.resolve())]
    assert unit["EnvironmentFile"] == ["-/etc/binome/binome.env"]
    assert unit["WantedBy"] == ["multi-user.target"]
    start = shlex.split(unit["ExecStart"][0])
    assert start[-3:] == ["run", "--config", str(programme.config.resolve())]


def test_a_user_unit_and_systemd_credentials(programme: Programme,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = unit_of(programme.config, capsys, "--user", "--credential", "smtp:/etc/keys/smtp",
                   "--name", "binome-acme")
    unit = directives(text)

    assert "User" not in unit and unit["WantedBy"] == ["default.target"]
    assert unit["PrivateUsers"] == ["yes"]  # the sandbox of a user unit needs it
    assert unit["ProtectSystem"] == ["strict"] and unit["PrivateTmp"] == ["yes"]
    assert unit["LoadCredential"] == ["smtp:/etc/keys/smtp"]
    assert unit["EnvironmentFile"][0].endswith("/binome/binome-acme.env")
    assert main(["service", "install", "--config", str(programme.config), "--print",
                 "--credential", "no-path"]) == 2
    assert "expected NAME:/path/to/file" in capsys.readouterr().err


@needs_systemd
@pytest.mark.parametrize("scope", ["system", "user"])
def test_systemd_analyze_verify_accepts_the_unit(
        programme: Programme, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        scope: str) -> None:
    args = ["--user"] if scope == "user" else []
    unit = tmp_path / "binome.service"
    unit.write_text(unit_of(programme.config, capsys, *args), encoding="utf-8")

    done = verify(unit, *args)

    assert done.returncode == 0, done.stderr
    # verify only warns about an unknown key or a bad value: no warning about our unit.
    assert str(unit) not in done.stderr and "binome.service" not in done.stderr, done.stderr


@needs_systemd
def test_systemd_analyze_verify_would_catch_a_broken_unit(
        programme: Programme, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    unit = tmp_path / "binome.service"
    text = unit_of(programme.config, capsys).replace("Restart=on-failure", "Restart=sometimes")
    unit.write_text(text, encoding="utf-8")

    done = verify(unit)

    assert "Failed to parse service restart specifier" in done.stderr


def test_its_start_line_runs_this_agent_on_these_settings(make_programme: Any,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    programme = make_programme(start=(date.today() - timedelta(days=7)).isoformat())
    start = shlex.split(directives(unit_of(programme.config, capsys))["ExecStart"][0])

    done = subprocess.run([*start, "--max-seconds", "0.2"], capture_output=True, text=True,
                          timeout=120, cwd="/")

    assert done.returncode == 0, done.stdout + done.stderr
    assert " INFO done book -> " in done.stdout


def test_install_writes_the_unit_a_private_secrets_file_and_the_state_folder(
        programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edits = programme.config.read_text(encoding="utf-8").replace(
        '[backend]\ncalendar = "local"', '[backend]\ncalendar = "microsoft365"').replace(
        "# [backend.microsoft365]\n# tenant = \"atelierlumiere.onmicrosoft.com\"",
        "[backend.microsoft365]\ntenant = \"atelierlumiere.onmicrosoft.com\"").replace(
        '# client_id = "00000000', 'client_id = "00000000').replace(
        '# client_secret_env = "BINOME_M365_SECRET"', 'client_secret_env = "BINOME_M365_SECRET"')
    programme.config.write_text(edits, encoding="utf-8")
    units, env = tmp_path / "units", tmp_path / "etc" / "binome.env"
    args = ["service", "install", "--config", str(programme.config), "--unit-dir", str(units),
            "--env-file", str(env)]

    assert main(args) == 0

    out = capsys.readouterr().out
    assert (units / "binome.service").read_text(encoding="utf-8").startswith("# Written by")
    assert env.stat().st_mode & 0o777 == 0o600
    assert "# BINOME_M365_SECRET=" in env.read_text(encoding="utf-8")
    assert programme.state.stat().st_mode & 0o777 == 0o700
    assert "systemctl daemon-reload && systemctl enable --now binome" in out
    env.write_text("BINOME_M365_SECRET=s3cret\n", encoding="utf-8")
    assert main(args) == 2  # never replaced without --force
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert env.read_text(encoding="utf-8") == "BINOME_M365_SECRET=s3cret\n"  # secrets kept
