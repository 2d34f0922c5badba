"""What the wheel ships beside the code (agent.resources): every template and the
example settings and roster, found through importlib.resources, never through a path
next to the source tree.

The wheel itself is built and installed outside the clone by .ci/run; these tests
check, cheaply, that the package data patterns in pyproject.toml cover every file the
agent reads, so a new template cannot be left out of the wheel unnoticed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from agent import __version__
from agent.cli.main import main
from agent.resources import EXAMPLES, example, templates

ROOT = Path(__file__).resolve().parents[2]


def shipped_patterns() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["setuptools"]["package-data"]["agent.resources"])


def test_every_template_of_the_source_is_reachable_and_shipped() -> None:
    source = sorted(p.relative_to(ROOT / "templates") for p in (ROOT / "templates").rglob("*")
                    if p.is_file())
    packaged = sorted(p.relative_to(templates()) for p in templates().rglob("*") if p.is_file())
    assert source and packaged == source
    package = ROOT / "agent" / "resources"
    matched = {p.relative_to(package / "templates")
               for pattern in shipped_patterns() for p in package.glob(pattern)
               if p.is_file() and pattern.startswith("templates/")}
    assert matched == set(source), "pyproject.toml's package-data misses some templates"


def test_the_examples_are_the_config_folder_s_files_and_shipped() -> None:
    package = ROOT / "agent" / "resources"
    shipped = {p.name for pattern in shipped_patterns() for p in package.glob(pattern)
               if pattern.startswith("examples/")}
    assert shipped == set(EXAMPLES)
    for name in EXAMPLES:
        assert example(name) == (ROOT / "config" / name).read_bytes()


def test_version_is_written_once_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "agent.__version__"}
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"binome {__version__}"
