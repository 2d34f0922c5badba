"""What someone answers to the renewal mail: continue, change, or stop.

The one-click links of the mail prefill a reply whose first line is a label and the
choice ("Renouvellement : continuer", "Renewal: change"); people also write freely
("Je continue avec plaisir", "I'd like a new partner", "on arrête là"). The first
line that says one of the three decides. A negated choice turns: "je ne souhaite pas
continuer" or "I don't want to continue" is a stop, "pas de changement" or "no need
to change" a continue. Nothing here raises.

A bare "STOP" never reaches this: it is the STOP command, read before any answer
(agent.conversation.replies.answers), and ends everything at once.
"""

from __future__ import annotations

import re
import unicodedata

from agent.core.records import RenewalChoice

# Folded (no accents, lower case), matched as whole words; the first one in the line
# decides, turned when a negation comes just before it.
_STOP = re.compile(r"\b(arreter|arrete|stop|stopper|end it|quit|leave the programme|"
                   r"leave the program|no longer)\b")
_CHANGE = re.compile(r"\b(changer|change|changement|autre binome|autre mentor|"
                     r"nouveau binome|nouveau mentor|nouvelle personne|quelqu un d autre|"
                     r"someone else|new partner|new mentor|another partner|"
                     r"another mentor|switch)\b")
_CONTINUE = re.compile(r"\b(continuer|je continue|on continue|continue|continuons|"
                       r"poursuivre|je poursuis|renouveler|je renouvelle|keep going|"
                       r"carry on|renew|go on|oui|yes|d accord|ok|okay)\b")
_LABEL = re.compile(r"^\s*(?:renouvellement|renewal)\s*:\s*")
_NEGATION = re.compile(r"\b(ne|n|pas|plus|not|don t|do not|no need|jamais|never)\b")
_IDIOM = re.compile(r"\b(pas de (?:souci|soucis|probleme)|no problem|sans souci)\b")
_TURNED: dict[RenewalChoice, RenewalChoice] = {"continue": "stop", "change": "continue",
                                               "stop": "continue"}


def read_choice(text: str) -> RenewalChoice | None:
    """continue, change or stop, from the first line of `text` (the new part of a reply)
    that says one; None when none does."""
    for line in text.splitlines()[:40]:
        if line.lstrip().startswith(">"):
            continue
        folded = _fold(line)
        folded = _LABEL.sub("", folded)
        if not folded.strip():
            continue
        patterns: tuple[tuple[RenewalChoice, re.Pattern[str]], ...] = (
            ("stop", _STOP), ("change", _CHANGE), ("continue", _CONTINUE))
        found = [(m.start(), choice) for choice, pattern in patterns
                 if (m := pattern.search(folded))]
        if not found:
            continue
        at, choice = min(found)
        before = " ".join(_IDIOM.sub(" ", folded[:at]).split()[-5:])
        return _TURNED[choice] if _NEGATION.search(before) else choice
    return None


def _fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[’'`]", " ", bare)
