"""Progress in skills: where each learner started and where they stand, per skill.

Terms:
- *start*: the level (1-5) the roster gave for the skill, else the first one the
  person gave themselves (in reply to their introduction, usually).
- *now*: the last level they gave themselves (in reply to a renewal mail, usually).
- *progressed*: now is above start. Only people with both a start and a later answer
  count in the averages, so a skill where nobody answered twice shows no average.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import mean
from typing import Any

from agent.core.ledger import Ledger
from agent.core.model import Participant, skill_key
from agent.core.records import LevelReport


@dataclass(frozen=True)
class SkillProgress:
    """One person's start and latest level in one skill; `moved`: they gave a later one."""

    skill: str
    start: int
    now: int
    moved: bool

    @property
    def gain(self) -> int:
        """Levels gained (may be negative: people rate themselves more soberly later)."""
        return self.now - self.start


def person_progress(person: Participant, reports: Mapping[str, list[LevelReport]]
                    ) -> list[SkillProgress]:
    """`person`'s progress per skill they gave a level in (see the module docstring)."""
    out = []
    for key, history in sorted(reports.items()):
        if not history:
            continue
        roster = person.learn_level(key)
        start = roster if roster is not None else history[0].level
        moved = roster is not None or len(history) > 1
        out.append(SkillProgress(history[-1].skill, start, history[-1].level, moved))
    return out


def progress_rows(progress: list[SkillProgress]) -> list[dict[str, Any]]:
    """A person's progress as the digests' templates read it."""
    return [{"skill": p.skill, "start": p.start, "now": p.now, "moved": p.moved}
            for p in progress]


def programme_progress(ledger: Ledger, people: Mapping[str, Participant]
                       ) -> tuple[list[dict[str, Any]], float | None]:
    """Per skill: how many learners gave a level twice, their average gain and the share
    who progressed; and the share who progressed in at least one skill, programme-wide."""
    by_skill: dict[str, list[SkillProgress]] = {}
    progressed = measured = 0
    for email, reports in sorted(ledger.progress.everyone_levels().items()):
        person = people.get(email)
        if person is None:
            continue  # left, or forgotten: not named, not counted
        moved = [p for p in person_progress(person, reports) if p.moved]
        for p in moved:
            by_skill.setdefault(skill_key(p.skill), []).append(p)
        if moved:
            measured += 1
            progressed += any(p.gain > 0 for p in moved)
    rows = [{"skill": items[0].skill, "learners": len(items),
             "average": round(mean(p.gain for p in items), 1),
             "progressed": sum(p.gain > 0 for p in items) / len(items)}
            for _, items in sorted(by_skill.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return rows, (progressed / measured if measured else None)
