"""What a line of a questionnaire reply says beside our questions, or which one it answers
when its place alone would say otherwise.

Terms:
- *remark*: how the session went, in the past ("We spent too long on theory though.",
  "On a un peu débordé."), or how the other person is doing ("Élodie progresse bien."):
  a comment, never what was learned, what is left nor the next focus.
- *plan*: something to do together in a session rather than a skill ("Répéter ma
  présentation", "Finir la campagne ensemble", "Role play: the renewal"): the next focus.
- *addressed*: a sentence to someone by name ("James, if you read this, stop by my
  desk"): chat copied to us, no answer.

Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.dates import fold

_REMARK = re.compile(
    r"^\W*(?:(?:but|mais|and|et|also|aussi)\s+)?(?:we|it|that|this|the session|on|nous|ca|cela"
    r"|c'|la seance)\s*(?:\w+\s+)?(?:spent|had|went|ran|was|were|took|did|got|overran"
    r"|a passe|avons passe|a pris|a dure|a deborde|avons deborde|a ete|etait|a un peu"
    r"|avons un peu|a trop|avons trop)\b|\bthough\W*$|\bquand meme\W*$")
_PLAN = re.compile(
    r"\b(?:ensemble|together|a deux|role[- ]?play\w*|jeux? de roles?|mises? en situation"
    r"|simulations?|mock (?:interview|call|meeting|pitch)s?|dry[- ]run|rehearsals?"
    r"|repetitions? generale|cas pratiques?|case stud(?:y|ies)|walk-?through)\b"
    r"|^\W*(?:repeter|finir|terminer|finaliser|boucler|relire|simuler|rehearse|finish"
    r"|wrap up|run through|go through|go over)\s+(?:ma|mon|mes|la|le|les|l'|notre|nos|the|my"
    r"|our|that|this)\b")


def _folded(sentence: str) -> str:
    return fold(sentence).replace("’", "'")


def plan_like(sentence: str) -> bool:
    """Whether an answer is something to do together next time, not a skill to develop."""
    return bool(_PLAN.search(_folded(sentence)))


def remark(sentence: str) -> bool:
    """Whether a sentence is a remark on how the session went (past tense), not an answer."""
    return bool(_REMARK.search(_folded(sentence)))
