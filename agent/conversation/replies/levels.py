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
nothing else of substance. "Nothing of substance" allows how people soften a figure: a
word or two ("Excel level: 2 I think", "SQL : 3 je crois") or a remark in brackets
("Python: 1 (total beginner)"); the skill may follow the word level ("niveau Excel 3/5").

`level_line` tells a level line without knowing the skills (reading goals, where the
skills asked are not at hand): a short name, then a level, and nothing more.
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
# How people soften a level ("2 I think", "3 je crois", "1 (total beginner)"): said after
# the figure, it is still only the level.
_HEDGE = re.compile(
    r"\s*[,;–-]?\s*(?:\([^()]{0,60}\)"
    # "2, maybe 1 on a bad day": another figure it might be
    r"|(?:maybe|or|ou|voire|peut-[êe]tre|sometimes|parfois)\s+[1-5]\b[^\d.!]{0,25}"
    r"|i think|i guess|i suppose|i(?:['’]d| would) say|maybe"
    r"|probably|roughly|at best|at most|tops|or so|ish|on a good day|honestly|to be honest"
    r"|i['’]m afraid|sadly|h[ée]las|j['’]en ai peur"
    r"|je crois|je pense|je dirais|j['’]imagine|environ|[àa] peu pr[èe]s|max|maxi|grand max"
    r"|au mieux|peut-[êe]tre|disons|franchement|honn[êe]tement|pour l['’]instant|for now)"
    r"\s*[.!…]*$", re.IGNORECASE)
# "niveau Excel 3/5", "my level in SQL: 2", "Mon niveau en Python : 1": the skill comes after.
_LEVEL_FIRST = re.compile(
    r"^(?:(?:mon|my)\s+)?(?:niveau|level)\s+(?:(?:en|in|d['’]|de|on|for)\s*)?", re.IGNORECASE)
_BARE_LEVEL = re.compile(
    r"^\W*(?:(?:mon|my)\s+)?(?:niveau|level)(?:\s+(?:actuel|current|now|aujourd['’]hui))?"
    r"\s*[:=]?\s*[1-5](?:\s*/\s*5)?(?:\s*(?:et|and|&|,|/)\s*[1-5])*"  # "niveau 2 et 3"
    r"(?:[\s,]*(?:je pense|je dirais|je crois|i think|i guess"
    r"|i['’]d say|maybe|peut-[êe]tre|environ|roughly|about))?\W*$", re.IGNORECASE)
# Any skill's name, for `level_line`: a few words, no figure but in a word ("grandma3"), not
# a goal's or rating's label; then "level" (English puts it after the skill) and a
# separator, all optional.
_ANY_SKILL = re.compile(r"[^\W\d_](?:[^\d:=()]|(?<=[^\W\d_])\d+){0,38}")
_BETWEEN = re.compile(r"\s*(?:(?:level|niveau)\b\s*)?(?:=>|->|→|[:=–-]|\bis\b|\best\b)?\s*",
                      re.IGNORECASE)
_NOT_A_SKILL = re.compile(r"^(?:objectifs?|goals?|buts?|aims?|note|rating|s[ée]ance|session"
                          r"|semaine|week|num[ée]ro|number|n[°o]|page|[ée]tape|step)\b",
                          re.IGNORECASE)


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


def level_line(line: str) -> bool:
    """Whether `line` gives some skill a level and says nothing else ("Excel : 2", "niveau
    SQL 3/5", "Public speaking: 1 (total beginner)", "Excel : 2, SQL : 1"), whichever
    skills were asked."""
    if _BARE_LEVEL.match(line):
        return True  # "niveau 2 je pense": the one skill of the pairing, unnamed
    parts = [p for p in re.split(r"[;,]\s+|\s+/\s+", line) if p.strip()]  # "A : 2 / B : 3"
    if len(parts) == 1:  # "sketchup 2 layout 1": a phone's list, a figure ends each part
        parts = [p for p in re.split(r"(?<=\b[1-5])\s+(?=[^\W\d_])", line) if p.strip()]
        if len(parts) > 1 and all(_one_level(p) for p in parts):
            return True
        parts = [line]
    if len(parts) > 1:
        return all(_one_level(p) for p in parts) or _one_level(line)  # "2, I think"
    return _one_level(line)


def _one_level(line: str) -> bool:
    """`level_line` for one skill."""
    text = _LEVEL_FIRST.sub("", re.sub(r"^\s*[-*•–]\s+", "", line.strip()))
    text = re.sub(r"^(?:mon|my)\s+", "", text, flags=re.IGNORECASE)
    text = _EMOJI_AFTER.sub("", text)  # "chocolat 1 😅": the level, and how it feels
    for cut in re.finditer(r"(?<=\S)(?=[\s:=]|$)", text[:40]):  # where the name may end
        name, after = text[:cut.start()], text[cut.start():]
        if not _ANY_SKILL.fullmatch(name) or len(name.split()) > 4 or _NOT_A_SKILL.match(name):
            continue
        between = _BETWEEN.match(after)
        rest = after[between.end():] if between else after
        # Without a separator only a figure is a level: "Devenir expert" is a goal.
        if (_level(rest) is not None and (between and between.group().strip()
                                          or _FIGURE.match(_HEDGE.sub("", rest.strip())))):
            return True
    return False


def _level_in(part: str, wanted: dict[str, str]) -> tuple[str, int] | None:
    """(skill, level) when `part` is one skill we asked about and one level, else None."""
    text = re.sub(r"^\s*(?:[-*•–]|\d[.)])\s+", "", part.strip())  # a bullet or a number
    text = _LEVEL_FIRST.sub("", text)
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


# Emoji closing a line (and the stops between them).
_EMOJI_AFTER = re.compile(r"[\s.!…]*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF][\s.!…]*)+$")


def _level(rest: str) -> int | None:
    """The level `rest` gives (what follows the skill), a softening word after it aside."""
    rest = _EMOJI_AFTER.sub("", rest)
    rest = _HEDGE.sub("", rest.strip()) if not _FIGURE.match(rest.strip()) else rest
    rest = re.sub(r"^(?:is|est)\s+", "", rest.strip(), flags=re.IGNORECASE)
    match = _FIGURE.match(rest.strip())
    if match:
        return int(match.group(1))
    word = skill_key(rest.strip(" .!"))
    word = re.sub(r"^(?:niveau|level)\s+", "", word)
    return LEVEL_WORDS.get(word)
