"""Reply corpora: load one (a folder of .eml files and its expected.json) and score the
parser on it, field by field, the way the issue counts (#14).

A field counts on a message when the expected value or the parser's value is *set*
(not null, false, "", [] nor the kind "unknown"): a message where both leave it unset
says nothing about that field. Text is compared with runs of white space made one
space. Run as a script to print the table and every miss:

    python tests/corpus.py tests/conversation/blind/heldout
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("kind", "rating", "took_place", "learned", "to_develop", "next_focus", "goals",
          "command", "rating_unclear", "confirm")
NOTES = ("note", "answers")  # what the blind corpus says about a message, not read back


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """stem -> expected fields (with the blind corpus's notes) of every message in `folder`."""
    expected: dict[str, dict[str, Any]] = json.loads(
        (folder / "expected.json").read_text(encoding="utf-8"))
    return expected


def normalised(value: Any) -> Any:
    """`value` with its white space made single spaces, so wrapping never counts."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


# Lead-ins that name the question a sentence answers, and the way a sentence opens or
# closes, which annotators of a corpus keep or drop by habit.
_LEAD_IN = re.compile(
    r"^(?:(?:ce que )?j['’]ai (?:appris|compris|d[ée]couvert)|i (?:learned|learnt|discovered)"
    r"|(?:ce que )?je (?:veux|voudrais|souhaite|aimerais|dois)(?: encore)? (?:d[ée]velopper"
    r"|travailler|am[ée]liorer)|j['’]aimerais (?:encore )?(?:d[ée]velopper|travailler)"
    r"|i(?: still)?(?: want| need| would like|['’]d like) to (?:develop|work on|improve"
    r"|get better at)"
    r"|(?:pour )?la prochaine fois|(?:for )?next time|prochaine fois)[ \t:,]*",
    re.IGNORECASE)
_LEAD_OUT = re.compile(r"[ \t,]+(?:(?:pour )?la prochaine fois|next time|enfin compris)$",
                       re.IGNORECASE)
_TRIM = "\"'«»“”‘’.,;:!?…()[]- \t"


def lenient(value: Any) -> Any:
    """`value` without what only convention changes (see the module docstring)."""
    if isinstance(value, list):
        return [lenient(v) for v in value]
    if not isinstance(value, str):
        return value
    text = " ".join(value.split()).strip(_TRIM)
    text = re.sub(r"[\s\W]*[\u2600-\u27bf\U0001f300-\U0001faff\ufe0f]+[\s\W]*$", "", text)
    text = _LEAD_IN.sub("", text.strip(_TRIM)).strip(_TRIM)
    return _LEAD_OUT.sub("", text).strip(_TRIM).casefold()


def is_set(value: Any) -> bool:
    """Whether a field says something: not null, false, empty, nor the kind "unknown"."""
    return value not in (None, False, "", [], "unknown")


@dataclass
class Score:
    """Per field: right and counted; per message: wholly right; and every miss."""

    right: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    whole: int = 0
    misses: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The figures as a table, the misses below."""
        rows = [f"{name:<15}{self.right[name]:>4}/{self.counted[name]:<4}"
                f"{self.share(name):>7.1%}" for name in FIELDS if self.counted.get(name)]
        total_right, total = sum(self.right.values()), sum(self.counted.values())
        rows.append(f"{'all fields':<15}{total_right:>4}/{total:<4}"
                    f"{total_right / max(total, 1):>7.1%}")
        rows.append(f"{'messages':<15}{self.whole:>4}/{self.messages:<4}"
                    f"{self.whole / max(self.messages, 1):>7.1%}  (every field right)")
        return "\n".join(rows + self.misses)

    def share(self, name: str) -> float:
        """The share of `name` read right where it counts (1.0 where it never counts)."""
        return self.right[name] / self.counted[name] if self.counted.get(name) else 1.0


def score(folder: Path, read: Callable[[Path], Mapping[str, Any]], *,
          loose: bool = False) -> Score:
    """Read every message of `folder` with `read` and compare with its expectations;
    `loose`: as `--lenient` (module docstring)."""
    result = Score(right=dict.fromkeys(FIELDS, 0), counted=dict.fromkeys(FIELDS, 0))
    for stem, want in sorted(load(folder).items()):
        got = read(folder / f"{stem}.eml")
        result.messages += 1
        wrong = []
        for name in FIELDS:
            expected, actual = normalised(want.get(name)), normalised(got.get(name))
            if not (is_set(expected) or is_set(actual)):
                continue
            result.counted[name] += 1
            if expected == actual or (loose and lenient(expected) == lenient(actual)):
                result.right[name] += 1
            else:
                wrong.append(name)
                result.misses.append(f"  {name} {stem}: got {actual!r}, want {expected!r}")
        result.whole += not wrong
    return result


def parsed(path: Path) -> Mapping[str, Any]:
    """What `binome reply parse --json` prints for the message at `path`."""
    from agent.conversation.replies.parse import parse_reply

    return parse_reply(path.read_bytes()).understood()


if __name__ == "__main__":
    loose = "--lenient" in sys.argv[1:]
    for name in (a for a in sys.argv[1:] if a != "--lenient"):
        print(f"{name}{' (lenient)' if loose else ''}:")
        print(score(Path(name), parsed, loose=loose).table())
