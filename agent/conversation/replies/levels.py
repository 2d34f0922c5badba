"""Skill levels people give themselves in a reply: "Excel : 3", "SQL 2/5", "Python: débutant".

Terms:
- *level*: 1 (beginner) to 5 (expert), in figures ("3", "3/5", "3 sur 5", "niveau 3")
  or words, French or English (agent.programme.skills.LEVEL_WORDS: "débutant",
  "intermediate", "expert"...).
- *level line*: a line (or a comma- or semicolon-separated part of one) that names one
  of the skills asked about (accents and case aside) and gives exactly one level. A
  line naming a skill without a level ("Excel : ", copied from our question) is
  nothing; a figure out of range ("Excel : 7", "8/10") is not a level.

Only the skills we asked about are read, so a goal that mentions a number ("2 dashboards
in Excel") is not read as a level unless it looks like one: the skill, then a level, and
nothing else of substance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.core.model import skill_key
from agent.programme.skills import LEVEL_WORDS

# A level after the skill: "3", "3/5", "3 / 5", "3 sur 5", "niveau 3", "level: 4", a word.
_FIGURE = re.compile(r"^(?:niveau|level|lvl|note)?\s*[:=\-–]?\s*([1-5])\s*(?:/\s*5|sur\s*5|"
                     r"out of 5)?\s*[.!]?$", re.IGNORECASE)
_QUOTED = re.compile(r"^\s*>")


def read_levels(text: str, skills: Sequence[str]) -> tuple[dict[str, int], str]:
    """The levels given for `skills` (skill as we wrote it -> 1..5), and the text without
    the lines that gave them (what is left may hold goals)."""
    wanted = {skill_key(s): s for s in skills if skill_key(s)}
    found: dict[str, int] = {}
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTED.match(line):
            kept.append(line)
            continue
        parts = [p for p in re.split(r"[;,]", line) if p.strip()]
        levels = [_level_in(p, wanted) for p in parts]
        if parts and all(levels):
            for skill, level in levels:  # type: ignore[misc]
                found.setdefault(skill, level)
            continue
        kept.append(line)
    return found, "\n".join(kept)


def _level_in(part: str, wanted: dict[str, str]) -> tuple[str, int] | None:
    """(skill, level) when `part` is one skill we asked about and one level, else None."""
    text = re.sub(r"^\s*(?:[-*•–]|\d[.)])\s+", "", part.strip())  # a bullet or a number
    folded = skill_key(text)
    for key in sorted(wanted, key=len, reverse=True):  # "Excel avancé" before "Excel"
        if folded.startswith(key):
            rest = text[len(_prefix(text, key)):].strip(" \t:=-–")
            level = _level(rest)
            return (wanted[key], level) if level is not None else None
    return None


def _prefix(text: str, key: str) -> str:
    """The start of `text` that folds to `key` (the skill as the person wrote it)."""
    for end in range(len(key), len(text) + 1):
        if skill_key(text[:end]) == key:
            return text[:end]
    return text


def _level(rest: str) -> int | None:
    match = _FIGURE.match(rest.strip())
    if match:
        return int(match.group(1))
    word = skill_key(rest.strip(" .!"))
    word = re.sub(r"^(?:niveau|level)\s+", "", word)
    return LEVEL_WORDS.get(word)
