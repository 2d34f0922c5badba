"""Layers point down: cli -> sim -> loop -> pipeline -> digest -> conversation -> programme
-> providers -> core.

The rule is import-linter's contracts in pyproject.toml, which `make test` runs
(`lint-imports`). These tests prove that the contracts hold on the code and that they
would catch a shortcut: a copy of the package with one import pointing up must fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")

needs_linter = pytest.mark.skipif(not LINT.exists(),
                                  reason="import-linter is not installed (make installs it)")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contracts on the `agent` package found in `root`."""
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of agent/ where `module` (a path under agent/) starts with `line`."""
    shutil.copytree(ROOT / "agent", tmp_path / "agent",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "agent" / module
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    target.write_text(head + sep + line + "\n" + rest, encoding="utf-8")
    return tmp_path


@needs_linter
def test_the_code_keeps_every_contract() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@needs_linter
@pytest.mark.parametrize(("module", "line", "contract"), [
    # the store importing the planner: a lower layer reaching up
    ("core/store.py", "import agent.programme.planner", "Layers:"),
    # a provider reading the settings
    ("providers/local/maildir.py", "import agent.programme.settings", "Layers:"),
    # the executor calling back into prepare
    ("pipeline/execute.py", "import agent.pipeline.prepare", "never calls back up"),
    # one backend using another's code
    ("providers/google/mail.py", "import agent.providers.local.maildir", "each other"),
])
def test_an_import_pointing_up_breaks_the_contract(tmp_path: Path, module: str, line: str,
                                                   contract: str) -> None:
    done = lint(copy_with(tmp_path, module, line))
    assert done.returncode != 0
    broken = done.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, done.stdout


def test_the_local_backend_loads_no_client_library(tmp_path: Path) -> None:
    # A fresh interpreter: what this one has imported for other tests says nothing.
    script = f"""
import sys
from pathlib import Path
import agent.cli.main  # the whole command line, as `binome` loads it
from agent.core.clock import SystemClock
from agent.providers.installation import Installation
from agent.providers.registry import open_calendar, open_mailbox
from agent.providers.settings import Backend
root = Path({str(tmp_path)!r})
site = Installation(root / "binome.toml", root, root / "local", "p@example.fr", SystemClock())
open_calendar(Backend(), site)
open_mailbox(Backend(), site)
print(sorted(m for m in ("googleapiclient", "msal", "exchangelib", "httpx") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"
