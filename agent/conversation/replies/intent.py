"""What a reply answers and what kind of message it is, from the message alone.

Terms:
- *replying to*: "intro" (our introduction, which asks for goals), "questionnaire"
  (our after-session questions) or "" when nothing says. The inbox knows it for
  sure from the ledger (In-Reply-To, token); `binome reply parse` has only the
  message, so this reads our own subjects and the quoted text of our templates
  (templates/*/intro.* and questionnaire.*).
- *kind*: "auto_reply", "command", "goals", "questionnaire" or "unknown", in that
  order of precedence: a machine's answer is never read, a command wins over any
  answer, and a reply to the introduction is about goals.
"""

from __future__ import annotations

import re

# Our subjects (templates/*/intro.subject.j2, questionnaire.subject.j2, the one-click
# "Questionnaire [token]"), then phrases only our quoted messages carry (the intro also
# mentions "un court questionnaire", so the body patterns are narrower).
_SUBJECT = {
    "intro": re.compile(r"\b(?:votre (?:mentorat|bin[ôo]me|atelier) avec|your (?:mentoring"
                        r"|learning pair|workshop) with)\b", re.IGNORECASE),
    "questionnaire": re.compile(r"comment s'est pass[ée]e|how did session|\bquestionnaire\b",
                                re.IGNORECASE),
}
_BODY = {
    "intro": re.compile(r"^\W*(?:vos objectifs|your goals)\s*:", re.IGNORECASE | re.MULTILINE),
    "questionnaire": re.compile(r"votre note, de 1 [àa] 5|your rating, from 1 to 5",
                                re.IGNORECASE),
}
KINDS = ("questionnaire", "goals", "command", "auto_reply", "unknown")


def replying_to(subject: str, body: str) -> str:
    """"intro", "questionnaire" or "": the subject decides, else our quoted text."""
    for text, patterns in ((subject, _SUBJECT), (body[:100_000], _BODY)):
        found = [name for name, pattern in patterns.items() if pattern.search(text)]
        if len(found) == 1:
            return found[0]
    return ""


def kind_of(automatic: bool, command: str | None, answers_to: str, answered: bool) -> str:
    """The message's kind (see the module docstring); `answered`: some answer was read."""
    if automatic:
        return "auto_reply"
    if command is not None:
        return "command"
    if answers_to == "intro":
        return "goals"
    if answers_to == "questionnaire" or answered:
        return "questionnaire"
    return "unknown"
