"""The admin guide exists in French and English, with the same sections, and names every
command an admin runs (which exist: each is looked up in the real parser)."""

from __future__ import annotations

import re
from pathlib import Path

from agent.cli.main import parser

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = (DOCS / "admin-guide.en.md", DOCS / "guide-admin.fr.md")
COMMANDS = ("init", "check", "run", "tick", "status", "service install", "upgrade", "backup",
            "restore", "export", "forget", "digest", "simulate", "auth")


def sections(text: str) -> list[str]:
    return re.findall(r"^## (\d+)\.", text, flags=re.MULTILINE)


def test_both_guides_have_the_same_numbered_sections() -> None:
    en, fr = (g.read_text(encoding="utf-8") for g in GUIDES)
    assert sections(en) == sections(fr) == [str(n) for n in range(1, 12)]
    assert "guide-admin.fr.md" in en and "admin-guide.en.md" in fr


def test_every_command_an_admin_runs_is_in_both_and_exists() -> None:
    known = set(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8")
        for command in COMMANDS:
            assert command.split()[0] in known, command
            assert f"binome {command}" in text, (guide.name, command)
