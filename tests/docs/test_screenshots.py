"""docs/screenshots.py, the admin guide's pictures: drawn by Debian's Chromium from a real
simulation's output (tests/company.py's programme, one month: French and English
people, both kinds of manager), one picture per kind of mail and language."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from company import Programme

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_the_guide_s_screenshots_are_drawn_from_a_simulation(
        programme: Programme, tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    pytest.importorskip("playwright.sync_api")
    out = tmp_path / "sim"
    sim = subprocess.run([sys.executable, "-m", "agent.cli.main", "simulate", "--config",
                          str(programme.config), "--months", "1", "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert sim.returncode == 0, sim.stdout + sim.stderr

    done = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots.py"), str(out),
                           str(tmp_path / "img")], capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stdout + done.stderr
    drawn = sorted(p.name for p in (tmp_path / "img").iterdir())
    assert drawn == [f"{kind}-{lang}.png" for kind in ("digest", "intro", "invitation",
                                                       "questionnaire") for lang in ("en", "fr")]
    for name in drawn:
        width, height = png_size(tmp_path / "img" / name)
        assert width == 600 and 150 < height <= 1600, (name, width, height)
    # What the guide shows is in the docs: the same names.
    guides = [(ROOT / "docs" / g).read_text(encoding="utf-8")
              for g in ("admin-guide.en.md", "guide-admin.fr.md")]
    for lang, guide in zip(("en", "fr"), guides, strict=True):
        for kind in ("digest", "intro", "invitation", "questionnaire"):
            assert f"img/{kind}-{lang}.png" in guide
            assert (ROOT / "docs" / "img" / f"{kind}-{lang}.png").exists()
