"""Draw docs/architecture.png from the code: the packages of agent/, by layer, and who imports
whom. Run `python docs/architecture.py` (make docs) after moving code; the picture and the
figures it prints (modules, lines, floors) are then current.

The layers are read from the import-linter contract in pyproject.toml, the imports from the
source with `ast`, so the picture cannot say what the code does not.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AGENT = ROOT / "agent"


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module under agent/."""
    found = {}
    for path in sorted(AGENT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project's modules it imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges[name].add(target)
    return edges


def layers() -> list[list[str]]:
    """The first layers contract of pyproject.toml: top first, each a list of siblings."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["type"] == "layers")
    return [[s.strip() for s in layer.split("|")] for layer in contract["layers"]]


def package_of(module: str, names: list[str]) -> str:
    return max((n for n in names if module == n or module.startswith(n + ".")), key=len,
               default=module)


def floors(edges: dict[str, set[str]], mods: dict[str, Path]) -> int:
    """The longest chain of imports, counted in modules."""
    sys.setrecursionlimit(10_000)

    @cache
    def depth(m: str, seen: frozenset[str] = frozenset()) -> int:
        # A cycle (a package importing its own module and back) ends the chain.
        below = [n for n in edges.get(m, ()) if n not in seen]
        return 1 + max((depth(n, seen | {m}) for n in below), default=0)

    return max(depth(m) for m in mods)


def parts(layer: str, mods: dict[str, Path]) -> Counter[str]:
    """The layer's modules and sub-packages (a sub-package counts once) -> their lines."""
    found: Counter[str] = Counter()
    for m, path in mods.items():
        if m == layer or not m.startswith(layer + "."):
            continue
        part = m.removeprefix(layer + ".").split(".")[0]
        if (AGENT.parent / Path(*m.split("."))).is_dir() or "." in m.removeprefix(layer + "."):
            part += "/"
        found[part] += len(path.read_text(encoding="utf-8").splitlines())
    return found


def draw(out: Path) -> None:
    mods = modules()
    edges = imports(mods)
    rows = layers()
    names = [n for row in rows for n in row]
    links: Counter[tuple[int, int]] = Counter()
    row_of = {n: r for r, row in enumerate(rows) for n in row}
    for a, bs in edges.items():
        for b in bs:
            ra, rb = row_of.get(package_of(a, names)), row_of.get(package_of(b, names))
            if ra is not None and rb is not None and ra != rb:
                links[(ra, rb)] += 1

    height = 1.15 * len(rows)
    fig, ax = plt.subplots(figsize=(13, height), dpi=110)
    ax.set_xlim(-12, 100)
    ax.set_ylim(0, 10 * len(rows))
    ax.axis("off")
    for r, row in enumerate(rows):
        y = 10 * (len(rows) - r) - 5
        name = " | ".join(n.removeprefix("agent.") for n in row)
        ax.add_patch(FancyBboxPatch((13, y - 3.6), 86, 7.2, boxstyle="round,pad=0.2",
                                    fc="#eef3fb", ec="#2c5282"))
        ax.text(14, y + 2.2, name + "/", fontsize=10, weight="bold", va="center")
        ax.text(26, y + 2.2, _summary(row[0]), fontsize=8, va="center", color="#2c5282",
                style="italic")
        items = sorted(p for layer in row for p in (
            f"{k} {v}" for k, v in sorted(parts(layer, mods).items())))
        text = "   ".join(items)
        ax.text(14, y - 1.2, _wrap(text, 150), fontsize=7.2, va="center", color="#2d3748",
                family="monospace")
    for (ra, rb), n in sorted(links.items()):
        ya, yb = 10 * (len(rows) - ra) - 5, 10 * (len(rows) - rb) - 5
        up = rb < ra  # an import of a higher layer: the contract fails; drawn red
        ax.add_patch(FancyArrowPatch((12.5, ya), (12.5, yb), arrowstyle="-|>",
                                     mutation_scale=8, lw=0.5 + 0.04 * n, alpha=0.6,
                                     color="#c53030" if up else "#2d3748",
                                     connectionstyle=f"arc3,rad={0.12 + 0.05 * abs(rb - ra)}"))
    ax.set_title("agent/ by layer, top imports down (import-linter contract in pyproject.toml); "
                 "each part with its lines; arrows: imports between layers, drawn from the code",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    per = Counter(str(p.parent.relative_to(ROOT)) for p in mods.values())
    biggest = sorted(((len(p.read_text(encoding="utf-8").splitlines()), m)
                      for m, p in mods.items()), reverse=True)[:5]
    total = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in mods.values())
    print(f"{len(mods)} modules, {total} lines, {floors(edges, mods)} floors "
          f"(longest import chain, in modules), {len(rows)} layers")
    print("modules per folder: " + ", ".join(f"{k} {v}" for k, v in sorted(per.items())))
    print("largest: " + ", ".join(f"{m} {n}" for n, m in biggest))
    print(f"wrote {out}")


def _summary(package: str) -> str:
    """The first sentence of the package's docstring: what it is for, in its own words."""
    init = AGENT.parent / Path(*package.split(".")) / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) if init.exists() else ""
    return " ".join((doc or "").split()).split(". ")[0][:120]


def _wrap(text: str, width: int) -> str:
    out, line = [], ""
    for word in text.split("   "):
        if line and len(line) + len(word) + 3 > width:
            out.append(line)
            line = word
        else:
            line = f"{line}   {word}" if line else word
    return "\n".join([*out, line])


if __name__ == "__main__":
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "architecture.png")
