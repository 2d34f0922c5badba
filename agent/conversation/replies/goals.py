"""The goals a learner sets for the cycle, read from their reply to the introduction.

People answer "up to three things you want to be able to do" in many ways: a
numbered list (1. / 1) / 1 -), bullets (- * •), or plain lines. Numbered or
bulleted items win when there are any; otherwise each plain line that is not
a greeting, a thank-you or a sign-off counts. At most three, each trimmed to
a reasonable length. French and English alike.
"""

from __future__ import annotations

import re

MAX_GOALS = 3
MAX_LENGTH = 200
_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}\s*[.)\-:]|[-*•–])\s*(.+?)\s*$")
_SMALL_TALK = re.compile(
    r"^(bonjour|bonsoir|salut|hello|hi|hey|dear|cher|chère|merci|thanks|thank you|"
    r"cordialement|bien à vous|bien a vous|regards|best|cheers|à bientôt|a bientot|"
    r"voici mes objectifs|my goals|here are my goals|mes objectifs)\b", re.IGNORECASE)


def read_goals(text: str) -> list[str]:
    """Up to three goals from the new part of a reply (quotes already removed)."""
    lines = [line.strip() for line in text.splitlines()]
    items = [m.group(1) for line in lines if (m := _ITEM.match(line))]
    if not items:
        items = [line for line in lines if line and not _SMALL_TALK.match(line)
                 and not line.endswith(":") and len(line.split()) > 1]
    goals = []
    for item in items:
        item = item.strip(" .;")
        if item and item not in ("...", "…") and not _SMALL_TALK.match(item):
            goals.append(item[:MAX_LENGTH])
    return goals[:MAX_GOALS]
