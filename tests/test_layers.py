"""Layers point down: cli -> loop -> services -> providers/store -> model.

Checked on the source's imports (as import-linter would), so a shortcut upward
fails here rather than in review.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

AGENT = Path(__file__).resolve().parents[1] / "agent"

# module (or package prefix) -> what it may import from agent
ALLOWED = {
    "agent.core.errors": set(),
    "agent.core.credentials": {"agent.core.errors"},
    "agent.core.clock": set(),
    "agent.core.model": set(),
    "agent.core.storage": set(),
    "agent.core.store": {"agent.core.storage"},
    "agent.providers": {"agent.providers", "agent.core.model", "agent.core.errors",
                        "agent.core.clock", "agent.core.credentials"},
}
# Nothing below the services may reach these.
UPPER = {"agent.cli.main", "agent.cli.base", "agent.cli.records", "agent.loop",
         "agent.sim.simulate", "agent.sim.people", "agent.cli.status"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("agent"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("agent")}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(AGENT.parent).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def rule_for(module: str) -> set[str] | None:
    for prefix in sorted(ALLOWED, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return ALLOWED[prefix]
    return None


def test_lower_layers_import_nothing_above_them() -> None:
    bad = []
    for path in sorted(AGENT.rglob("*.py")):
        module = module_name(path)
        allowed = rule_for(module)
        if allowed is None:
            continue
        for imported in imports(path):
            if not any(imported == a or imported.startswith(a + ".") for a in allowed):
                bad.append(f"{module} imports {imported}")
    assert bad == []


def test_only_the_top_imports_the_top() -> None:
    top = UPPER | {"agent.__main__"}
    bad = []
    for path in sorted(AGENT.rglob("*.py")):
        module = module_name(path)
        if module in top:
            continue
        for imported in imports(path) & UPPER:
            bad.append(f"{module} imports {imported}")
    assert bad == []


# The backends' own packages: each may import itself, agent.core and these shared modules
# of agent.providers, never another backend's package (nor the registry, which opens them all).
PROVIDERS = AGENT / "providers"
SHARED = {"agent.providers.base", "agent.providers.installation"}


def backend_packages() -> list[str]:
    return sorted(p.name for p in PROVIDERS.iterdir() if (p / "__init__.py").is_file())


def test_backend_packages_import_no_other_provider_module() -> None:
    bad = []
    for package in backend_packages():
        own = f"agent.providers.{package}"
        for path in sorted((PROVIDERS / package).rglob("*.py")):
            for imported in imports(path):
                if not imported.startswith("agent.providers"):
                    continue  # the layer rule above covers the rest
                if imported in SHARED or imported == own or imported.startswith(own + "."):
                    continue
                bad.append(f"{module_name(path)} imports {imported}")
    assert bad == []


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
                          check=True, cwd=AGENT.parent)
    assert done.stdout.strip() == "[]"


def test_the_check_sees_imports() -> None:
    # Guard against a check that passes because it reads nothing.
    assert "agent.core.store" in imports(AGENT / "core" / "ledger.py")
    assert rule_for("agent.providers.local.calendar") == ALLOWED["agent.providers"]
    assert rule_for("agent.providers.registry") == ALLOWED["agent.providers"]
    assert set(backend_packages()) >= {"local", "google", "microsoft"}
    assert "agent.providers.base" in imports(PROVIDERS / "local" / "calendar.py")
