"""Skills as the roster writes them: names, optional levels, and the needs analysis.

A roster cell lists skills separated by `;` or `,`, each optionally followed
by `:level` ("Excel:expert", "SQL:3", "Comptabilité : débutant"). Levels run
from 1 (beginner) to 5 (expert), in figures or words in French or English.
They let matching check that a mentor knows a skill better than the learner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.core.model import Participant, skill_key

LEVEL_WORDS = {
    "beginner": 1, "novice": 1, "debutant": 1, "debutante": 1,
    "basic": 2, "basics": 2, "notions": 2, "basique": 2,
    "intermediate": 3, "intermediaire": 3, "moyen": 3,
    "advanced": 4, "confirmed": 4, "avance": 4, "avancee": 4, "confirme": 4, "confirmee": 4,
    "expert": 5, "experte": 5,
}
LEVEL_HINT = "a level from 1 to 5, or beginner, intermediate, advanced, expert (débutant … expert)"


class LevelError(ValueError):
    """A level that is neither a figure from 1 to 5 nor a known word."""


def parse_level(text: str) -> int:
    """A level from 1 to 5, from a figure or a word (French or English); `LevelError` otherwise."""
    word = skill_key(text)
    if word.isdigit() and 1 <= int(word) <= 5:
        return int(word)
    if word in LEVEL_WORDS:
        return LEVEL_WORDS[word]
    raise LevelError(f"unknown level '{text.strip()}'")


def parse_skills(value: str) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """Skill names (first spelling of each wins) and their levels by `skill_key`."""
    names: dict[str, str] = {}
    levels: dict[str, int] = {}
    for item in re.split(r"[;,]", value):
        name, colon, level = item.partition(":")
        key = skill_key(name)
        if not key:
            continue
        names.setdefault(key, " ".join(name.split()))
        if colon and level.strip():
            try:
                levels.setdefault(key, parse_level(level))
            except LevelError as bad:
                raise LevelError(f"{bad} for {name.strip()}") from None
    return tuple(names.values()), tuple(sorted(levels.items()))


# -- the skills-needs analysis ------------------------------------------------
@dataclass
class SkillNeed:
    """One skill: who wants to learn it, who can teach it, and whether insiders can."""

    name: str
    key: str
    wanted_by: list[str] = field(default_factory=list)
    taught_by: list[str] = field(default_factory=list)  # mentors and peers
    external_teachers: list[str] = field(default_factory=list)
    strategic: bool = False

    @property
    def gap(self) -> bool:
        """Wanted, and no insider teaches it: a case for an external mentor."""
        return bool(self.wanted_by) and not self.taught_by

    def as_json(self) -> dict[str, object]:
        """The shape `binome skills --json` prints."""
        return {"skill": self.name, "wanted_by": self.wanted_by, "taught_by": self.taught_by,
                "external": self.external_teachers, "strategic": self.strategic,
                "gap": self.gap}


def needs(people: Sequence[Participant], strategic: Sequence[str] = ()) -> list[SkillNeed]:
    """Every skill someone wants or teaches; strategic first, then the most wanted."""
    found: dict[str, SkillNeed] = {}

    def entry(name: str) -> SkillNeed:
        key = skill_key(name)
        return found.setdefault(key, SkillNeed(name.strip(), key))

    for p in sorted(people, key=lambda p: p.email):
        for name in p.learns:
            entry(name).wanted_by.append(p.email)
        if "mentor" in p.roles or "peer" in p.roles:
            for name in p.teaches:
                need = entry(name)
                (need.external_teachers if p.external else need.taught_by).append(p.email)
    for key in map(skill_key, strategic):
        if key in found:
            found[key].strategic = True
    return sorted(found.values(),
                  key=lambda n: (not n.strategic, -len(n.wanted_by), n.key))
