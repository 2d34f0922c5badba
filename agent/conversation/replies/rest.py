"""A need for rest or an absence, said rather than asked: a pause the person did not ask
for, so it is asked back (agent.conversation.replies.command).

"I might need a break", "j'ai besoin de souffler", "je suis en arrêt maladie jusqu'à fin
janvier", "worth pausing things over December?" are such; an absence that is over ("I was
on sick leave") or a break inside a session ("a break halfway") is not. The caller looks
for a negation ("pas besoin de pause"). Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.dates import fold
from agent.conversation.replies.prose import last_clause

_RESTING = re.compile(
    r"\b(?:need|needs|needing|could use|could do with)\s+(?:a|some)\s+(?:little |short |bit of a"
    r" |proper |real )?(?:break|breather|rest|time off)\b"
    r"|\bbesoin (?:de souffler|de (?:faire |prendre )?(?:une|un peu de|quelques semaines de)"
    r" (?:petite )?(?:pause|repos|recul)|de lever le pied|de decrocher|de me reposer"
    r"|d'une (?:petite |vraie |bonne )?pause|de repos|d'un break)\b"
    r"|\b(?:dois|devoir|vais|faut|voudrais|aimerais|veux|laissez-moi|laisse-moi)\s+(?:un peu\s+)?"
    r"(?:souffler|lever le pied|decrocher)\b|\bje leve le pied\b"
    # "Peut-être une pause de quelques semaines ?"
    r"|\bune (?:petite )?pause de (?:quelques|deux|trois|\d) (?:semaines|mois)\b"
    r"|\b(?:en|un|d'un|mon) arret (?:maladie|de travail)\b|\ben conge (?:maladie|maternite"
    r"|paternite|parental|longue duree)\b|\bsick leave\b|\bon (?:medical|maternity|paternity"
    r"|parental|long-term) leave\b|\bsigned off (?:sick|work)\b|\bout sick\b"
    r"|\b(?:worth|consider|considering|about|suggest|suggesting|think about)\s+pausing\b"
    r"|\bpausing\s+(?:things|everything|the|our|my|it|for)\b"
    # "je vais devoir faire une petite pause", "I'm going to have to take a short break"
    r"|\b(?:vais|dois|devoir|devrai|faudra|faut|faudrait)\s+(?:\w+\s+)?(?:faire|prendre)\s+une"
    r"\s+(?:petite |courte |vraie )?pause\b"
    r"|\b(?:need|have|going|gonna|got) to take (?:a|some) (?:little |short |bit of a )?"
    r"(?:break|breather|time off)\b")
# A break inside a session ("the session could use a break halfway"): its format, no pause.
_WITHIN = re.compile(r"\b(?:in the middle|halfway|midway|mid-session|between|au milieu|a mi"
                     r"|entre|during the session|pendant la seance|after each|after every"
                     r"|apres chaque|a chaque|each time|chaque fois|when i|quand je|lorsque)\b"
                     r"|\b(?:session|seance|meeting|reunion|slides?|exercises?|exercices?)\b"
                     r"[^.!?]*\b(?:could|need|besoin)")
# An absence that is over ("I was on sick leave", "de retour d'arrêt maladie"): no pause.
_OVER = re.compile(r"\b(?:etais|etait|ete|was|were|been|back from|de retour|returned|revenu"
                   r"|revenue)\b")


def needs_rest(folded: str) -> re.Match[str] | None:
    """Where a folded sentence says the person needs rest or will be away, or None."""
    match = _RESTING.search(folded)
    if match is None or _OVER.search(folded) or _WITHIN.search(folded):
        return None
    return match


# "Pas eu lieu, Kevin en arrêt maladie", "his mentor is on sick leave": someone else's
# absence explains a missed session and asks for nothing.
_SOMEONE = re.compile(r"\s*(?:il|elle|ils|elles|he|she|they"
                      r"|(?:his|her|my|our|son|sa|mon|ma|notre) \w+"
                      r"|(?!(?:je|j|i|i'm|im|suis|am|serai|will|moi|me|desormais|actuellement"
                      r"|toujours|encore|depuis|bientot|aussi|currently|still|now|since|from"
                      r"|soon|again|also|donc|so|et|and)\b)(?P<name>[a-z][a-z'-]+))"
                      r"\s+(?:(?:est|sont|is|are|was|etait|will be|sera)\s+)?"
                      r"(?:(?:on|en|in|off|out)\s+)?$")


# "pas eu lieu didier en arret maladie": why the session did not take place, in a reply
# that says so; a pause is asked for only in the writer's own words ("je", "I").
_MISSED = re.compile(r"\b(?:pas eu lieu|didn'?t happen|did not happen|did not take place"
                     r"|never happened|annulee|cancelled|canceled)\b")
_WRITER = re.compile(r"\b(?:je|j|i|i'm|im|me|moi|my|mon|ma)\b")


def explains_a_miss(folded: str) -> bool:
    """Whether a folded sentence gives someone else's absence as why a session did not
    take place ("pas eu lieu didier en arret maladie")."""
    return _MISSED.search(folded) is not None and _WRITER.search(folded) is None


def of_someone_else(before: str, sentence: str) -> bool:
    """Whether the clause before a need for rest (`before`, folded) names someone else as
    the one away: a pronoun, "my mentor", or a name, capitalised in `sentence` as written
    ("Suis en arrêt maladie" leaves the writer out, and is the writer's)."""
    clause = last_clause(before)
    found = _SOMEONE.match(clause) if clause.strip() else None
    if found is None:
        return False
    name = found.group("name")
    return name is None or any(word[:1].isupper() and fold(word) == name
                               for word in re.findall(r"[\w'-]+", sentence))
