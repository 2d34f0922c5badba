"""Where the settings are when `--config` is not given: $BINOME_CONFIG (what a service or
the container sets once), else binome.toml in the current folder; with neither, a
message that says what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.cli.main import main


def test_binome_toml_in_the_current_folder_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "company")]) == 0
    capsys.readouterr()
    monkeypatch.delenv("BINOME_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path / "company")

    assert main(["check"]) == 0

    out = capsys.readouterr().out
    assert f"settings: {tmp_path / 'company' / 'binome.toml'}: ok" in out


def test_the_environment_variable_wins_over_the_folder_and_loses_to_the_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b"):
        assert main(["init", str(tmp_path / name)]) == 0
    (tmp_path / "b" / "binome.toml").write_text("[organisation]\nname = 3\n", "utf-8")
    capsys.readouterr()
    monkeypatch.chdir(tmp_path / "b")  # a broken binome.toml here
    monkeypatch.setenv("BINOME_CONFIG", str(tmp_path / "a" / "binome.toml"))

    assert main(["check"]) == 0
    assert f"settings: {tmp_path / 'a' / 'binome.toml'}: ok" in capsys.readouterr().out
    assert main(["check", "--config", "binome.toml"]) == 2  # the option wins
    assert "binome.toml" in capsys.readouterr().err


def test_with_no_settings_anywhere_the_message_says_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("BINOME_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    assert main(["status"]) == 2

    err = capsys.readouterr().err
    assert "no settings file: give --config FILE, set BINOME_CONFIG" in err
    assert "Traceback" not in err
