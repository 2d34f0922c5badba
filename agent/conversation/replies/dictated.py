"""Replies dictated to a phone: the answers in one long line without a stop ("oui la
séance a eu lieu je mets quatre sur cinq j'ai appris X je voudrais encore développer Y la
prochaine fois Z merci"). Cut into lines where an answer starts, so they are read as
typed ones (agent.conversation.replies.answers); the words are kept as said, with no
punctuation added; stops the phone typed as words ("point", "full stop") end a line.
Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.cues import cue_starts
from agent.conversation.replies.ratings import find_rating

# Dictation leaves no stop in a long line; a typed line of that length has some.
_MIN_WORDS = 20
# The words that lead into a rating said aloud ("I'd give it a four out of five").
_RATING_LEAD = re.compile(
    r"(?:\b(?:i['’]?d|i would|i|we['’]?d) (?:give|rate|say)(?: it| this(?: one)?| the session)?"
    r"|\bje (?:mets|met|mettrais|donne|donnerais|dirais|note)(?: lui| la s[ée]ance)?"
    r"|\b(?:ma |my )?(?:note|rating))(?: an?| une?)?\s*$", re.IGNORECASE)
# A mark said after such words, which nothing but the next answer follows ("je dirais
# trois on a vu les formules"): read where no stop ends it.
_SAID = re.compile(r"\b(?:i['’]?d say|je dirais|je mets|je mettrais|i['’]?d give it(?: an?)?"
                   r"|(?:my |ma )?(?:rating|note))\s+"
                   r"(?:[1-5]|un|deux|trois|quatre|cinq|one|two|three|four|five)\b"
                   r"(?!\s*(?:sur|out|/|ou|or|et|and|[àa]|to|people|personnes|fois|times)\b)",
                   re.IGNORECASE)
# What is said of the mark right after it ("cinq sans hésiter", "trois et demi à cause de
# ça"): the rating's, not the next answer's.
_SAID_OF_THE_MARK = re.compile(r"\s+(?:sans h[ée]siter|[àa] cause de (?:[çc]a|cela)|for sure"
                               r"|easily|honestly|franchement|quand m[êe]me|pour moi|for me"
                               r"|de ma part|from me)\b", re.IGNORECASE)
# The thanks a dictated reply ends on ("merci bonne journée", "thanks very much").
_CLOSING = re.compile(
    r"\s(?:(?:merci|thanks|thank you|cheers)(?: (?:beaucoup|bien|very much|a million|a lot"
    r"|so much))?(?: (?:et )?bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e|semaine))?"
    r"|bonne (?:journ[ée]e|soir[ée]e)|voil[àa])\W*$", re.IGNORECASE)


# A stop said aloud and typed as its word ("... avec le car point à développer X point"):
# never the noun ("le point sur", "un point", "au point", "point de vue", "a point of").
_SAID_STOP = re.compile(
    r"(?<!\ble)(?<!\bun)(?<!\bdu)(?<!\bau)(?<!\bce)(?<!\bmon)(?<!\bson)(?<!\bton)(?<!\bà)"
    r"(?<!\bde)(?<!\bthe)(?<!\ba)(?<!\bthis)(?<!\bthat)(?<!\bmy)(?<!\bno)(?<!\bquel)"
    r"\s+(?:point|full stop|period)\b(?!\s*(?:de|d['’]|du|des|sur|of|is|was|où|where|par)\b)",
    re.IGNORECASE)


def spoken_stops(line: str) -> str:
    """`line` cut where it says its stops aloud, when it has no stop of its own and says
    two or more ("... la séance a eu lieu point appris X point ...")."""
    if re.search(r"[.!?]", line) or len(_SAID_STOP.findall(line)) < 2:
        return line
    return _SAID_STOP.sub("\n", line)  # a line each, the words kept as said


def dictated(line: str) -> str:
    """`line` cut into lines where each answer starts, when it reads as dictated (long,
    without a stop); any other line unchanged."""
    if len(line.split()) < _MIN_WORDS or re.search(r"[.!?;:\n]|\s[-–—/|]\s", line) \
            or line.count(",") > 1:  # typed, with its own separators
        return line
    if re.match(r"\W*1\)?\s+\S.*\s2\)?\s+\S.*\s3\)?\s+\S", line):
        # "1 oui 2 3 3 le calcul ... 4 ... 5 ...", "1) oui 2) 4/5 3) ...": numbered, typed
        # in a hurry
        return line
    cuts = set(cue_starts(line))
    rating = find_rating(line)
    at = line.find(rating.found) if rating.found else -1
    if at >= 0:
        lead = _RATING_LEAD.search(line[:at])
        cuts.add(lead.start() if lead else at)
        after = _SAID_OF_THE_MARK.match(line, at + len(rating.found))
        cuts.add(after.end() if after else at + len(rating.found))
    said = _SAID.search(line) if at < 0 else None
    if said is not None:
        cuts.update((said.start(), said.end()))
    closing = _CLOSING.search(line)
    if closing is not None:
        cuts.add(closing.start() + 1)
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(line)), len(line)]
    # "... un devis et | la prochaine fois ...": the word joining two answers is neither's.
    pieces = [re.sub(r"\s+(?:et|and|mais|but|puis|then|so|donc|alors)$", "", line[a:b].strip(" ,"),
                     flags=re.IGNORECASE) for a, b in zip(bounds, bounds[1:], strict=False)]
    return "\n".join(piece for piece in pieces if piece)
