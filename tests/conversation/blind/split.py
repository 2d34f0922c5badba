"""Copy the blind corpus into its two halves, deterministically (run once; kept to show how).

A message goes to `dev/` (tuned on) when the first byte of sha256(file stem) is even,
else to `heldout/` (measured, never tuned on). Usage:
    python tests/conversation/blind/split.py /work/corpus-blind/replies [TARGET]
(TARGET: the folder that gets dev/ and heldout/; by default the one beside this file).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path


def half(stem: str) -> str:
    """"dev" or "heldout" for the message named `stem`."""
    return "dev" if hashlib.sha256(stem.encode()).digest()[0] % 2 == 0 else "heldout"


def main(source: Path, here: Path) -> None:
    """Copy every .eml and its expectations from `source` into the halves in `here`."""
    expected = json.loads((source / "expected.json").read_text(encoding="utf-8"))
    halves: dict[str, dict[str, object]] = {"dev": {}, "heldout": {}}
    for stem, entry in sorted(expected.items()):
        target = here / half(stem)
        target.mkdir(exist_ok=True)
        shutil.copyfile(source / f"{stem}.eml", target / f"{stem}.eml")
        halves[half(stem)][stem] = entry
    for name, entries in halves.items():
        (here / name / "expected.json").write_text(
            json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent)
