"""How simulated people answer about their progress: levels, and whether they go on.

A person starts each skill at a level (the roster's, else a drawn 1 to 3) and climbs
from there: at each renewal mail, a level more with some luck (never above 5). Asked
whether their pairing goes on, most continue, some want a change, a few stop; some
click a one-click link (its prefilled body, levels filled in), others write a line.
Every draw comes from a generator seeded by what it is about, so a resumed simulation
answers the same.
"""

from __future__ import annotations

import random
import re

from agent.core.model import Participant, skill_key

RENEWAL_RATE = 0.9  # people who answer the renewal mail at all
CHOICES = (("continue", 0.82), ("change", 0.12), ("stop", 0.06))
_ASKED = re.compile(r"(?:de 1 \(débutant\) à 5 \(expert\)|from 1 \(beginner\) to 5 \(expert\))")
_SKILL_LINE = re.compile(r"^\s*(?:[-*]\s*)?(.+?)\s*:\s*$")
_LABEL = {"fr": "Renouvellement : {word}", "en": "Renewal: {word}"}
_WORDS = {"fr": {"continue": "continuer", "change": "changer", "stop": "arrêter"},
          "en": {"continue": "continue", "change": "change", "stop": "stop"}}
_PROSE = {
    "fr": {"continue": "Je continue avec plaisir, merci !",
           "change": "Je préférerais changer de binôme pour le prochain cycle.",
           "stop": "Je souhaite arrêter à la fin de ce cycle, merci pour tout."},
    "en": {"continue": "Happy to carry on, thanks!",
           "change": "I would rather have a new partner next cycle.",
           "stop": "I'd like to stop at the end of this cycle, thanks for everything."},
}


def asked_levels(body: str) -> list[str]:
    """The skills a mail of ours asks a level in: the "Skill :" lines after its question."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if _ASKED.search(line):
            found = []
            for after in lines[i + 1:]:
                match = _SKILL_LINE.match(after)
                if not match:
                    break
                found.append(match.group(1))
            return found
    return []


def level(seed: int, person: Participant, skill: str, step: int) -> int:
    """`person`'s level in `skill` at their `step`-th answer (0: the introduction's)."""
    start = person.learn_level(skill_key(skill))
    if start is None:
        start = random.Random(f"{seed}|start|{person.email}|{skill_key(skill)}").randint(1, 3)
    gained = sum(random.Random(f"{seed}|gain|{person.email}|{skill_key(skill)}|{k}").choices(
        (0, 1, 2), (0.3, 0.55, 0.15))[0] for k in range(1, step + 1))
    return min(5, start + gained)


def levels_text(lang: str, levels: dict[str, int]) -> str:
    """One "Skill : level" line per skill, as people fill our question in."""
    sep = " : " if lang == "fr" else ": "
    return "\n".join(f"{skill}{sep}{value}" for skill, value in levels.items())


def renewal_choice(rng: random.Random) -> str | None:
    """continue, change or stop; None for someone who does not answer."""
    if rng.random() >= RENEWAL_RATE:
        return None
    return rng.choices([c for c, _ in CHOICES], [w for _, w in CHOICES])[0]


def renewal_text(rng: random.Random, lang: str, choice: str, levels: dict[str, int]) -> str:
    """The reply: the one-click link's prefilled body, or a line of their own; levels below."""
    if rng.random() < 0.6:
        head = _LABEL[lang].format(word=_WORDS[lang][choice])
    else:
        head = _PROSE[lang][choice]
    return head + ("\n\n" + levels_text(lang, levels) if levels else "")
