"""Failed actions, grouped: how `binome tick`, `simulate` and `status` say what failed.

A hundred mails failing for one reason (a broken template, a mailbox refusing us) is
one line with a count, not a hundred lines: failures are grouped by what the action
was (its key's label: `mail/intro`, `series`, `digest`...) and why it failed, with
what differs from one action to the next (addresses, times, ids) taken out of the why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent.core.keys import parse_key

# What makes two reasons for the same failure differ: taken out before grouping.
_VARYING = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "<address>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"),
     "<time>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b"), "<id>"),
)


@dataclass(frozen=True)
class FailureGroup:
    """Actions of one label that failed for one reason: how many, and one key for example."""

    what: str
    why: str
    count: int
    example: str


def reason(error: str) -> str:
    """`error` without what varies between actions failing for the same cause."""
    text = error.removeprefix("failed: ").strip()
    for pattern, placeholder in _VARYING:
        text = pattern.sub(placeholder, text)
    return text


def group_failures(failures: Iterable[tuple[str, str]]) -> list[FailureGroup]:
    """(key, error) pairs grouped by the key's label and the error's reason, largest first."""
    counts: dict[tuple[str, str], list[str]] = {}
    for key, error in failures:
        counts.setdefault((parse_key(key).label, reason(error)), []).append(key)
    groups = [FailureGroup(what, why, len(keys), keys[0])
              for (what, why), keys in counts.items()]
    return sorted(groups, key=lambda g: (-g.count, g.what, g.why))


def failure_lines(groups: list[FailureGroup], *, limit: int = 12) -> list[str]:
    """Lines for the admin: one per group (`limit` at most), then how many groups are left."""
    lines = [f"  {g.count} x {g.what}: {g.why} (e.g. {g.example})" for g in groups[:limit]]
    if len(groups) > limit:
        rest = sum(g.count for g in groups[limit:])
        lines.append(f"  ... and {rest} more in {len(groups) - limit} other group(s): "
                     "binome status lists them")
    return lines
