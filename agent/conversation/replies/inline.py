"""Answers typed inline, under each quoted question of our own message.

Terms:
- *question line*: a quoted line ("> 2. Votre note, de 1 à 5 :") that starts with
  one of our numbers (the questionnaire's 1-5, the introduction's goal slots 1-3).
- *inline answer*: the unquoted lines typed right under a question line, before
  the next quoted line that says anything.

Gmail, Apple Mail and Thunderbird users answer this way; no quote-stripping
library handles it (they all drop every quoted line or cut at the first quote
header, losing which answer went with which question), so it is written here.
Nothing here raises.
"""

from __future__ import annotations

import re

# "> 1. ...", ">> 2) ...", "> 3 - ...": a quoted numbered line.
_QUESTION = re.compile(r"^[ \t]*>[> \t]*([1-5])[ \t]*[.)\-:][ \t]*\S")
_QUOTED = re.compile(r"^[ \t]*>")
MIN_ANSWERS = 2  # one line under one quoted question is as likely a stray top-post


def inline_answers(text: str) -> dict[int, str]:
    """Question number -> answer, when at least two quoted questions were answered inline."""
    answers: dict[int, str] = {}
    current: int | None = None  # the question whose answer lines we are reading
    for line in text.replace("\r\n", "\n").split("\n")[:5000]:
        question = _QUESTION.match(line)
        if question:
            current = int(question.group(1))
            continue
        if _QUOTED.match(line):
            if line.strip(" \t>"):  # quoted text that is not a question: the answer ended
                current = None
            continue
        if current is not None and line.strip():
            previous = answers.get(current, "")
            answers[current] = f"{previous} {line.strip()}".strip()
    return answers if len(answers) >= MIN_ANSWERS else {}


def before_quote(text: str) -> str:
    """The lines above the first quoted line (what was typed before the inline answers)."""
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if _QUOTED.match(line):
            return "\n".join(lines[:i])
    return text
