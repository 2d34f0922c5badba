"""Layers point down: cli -> loop -> services -> providers/store -> model.

Checked on the source's imports (as import-linter would), so a shortcut upward
fails here rather than in review.
"""

from __future__ import annotations

import ast
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


# Moved under providers/ but still reading the settings; they get plain arguments next.
NOT_YET = {"agent.providers.registry", "agent.providers.google.setup",
           "agent.providers.microsoft.setup"}


def rule_for(module: str) -> set[str] | None:
    if module in NOT_YET:
        return None
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


def test_the_check_sees_imports() -> None:
    # Guard against a check that passes because it reads nothing.
    assert "agent.core.store" in imports(AGENT / "core" / "ledger.py")
    assert rule_for("agent.providers.local.calendar") == ALLOWED["agent.providers"]
