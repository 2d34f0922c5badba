"""Commands only wondered about, in words the sure phrasings of
agent.conversation.replies.command do not read: always *likely* (asked back before they act).

"Maybe I should stop?", "je devrais peut-être arrêter", "might need to put this on hold",
"mettre tout ça en suspens", "might be worth skipping tomorrow's", "ça vaudrait le coup
d'annuler celle de jeudi" are such. The wondering is what the person writes instead of a
request, so a hedge or a question must be there: "we put it on hold last time" is no
command. The caller looks for a negation ("no need to put things on hold").

Commands refused are here too ("Je ne veux surtout pas arrêter le mentorat", "no need to
pause"): a word on the programme that answers none of our questions. Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.command_words import NEGATED, NO_NEED, PROGRAMME, SENTENCES
from agent.conversation.replies.dates import fold_quotes
from agent.conversation.replies.prose import last_clause

_FOR_GOOD = r"(?:for good|permanently|altogether|entirely|completely|definitivement)\b"
_WONDERED = {
    "stop": re.compile(
        r"\b(?:maybe|perhaps|probably) (?:i|we) (?:should|ought to|need to|had better|'d better)"
        r" (?:just )?(?:stop|quit|drop out|call it a day|give up|pack (?:this|it) in)\b"
        r"|\bshould (?:i|we) (?:maybe |perhaps |just )?(?:stop|quit|drop out|give up)"
        r"(?=\s*(?:[.!?,;]|$|here|now|altogether))"
        # "wondering whether I should stop doing this altogether": all of it
        r"|\b(?:stop|quit) (?:doing )?(?:this|it|the mentoring|mentoring|the programme)"
        r" (?:altogether|entirely|completely|for good)\b"
        # "je pense stop pour moi après": the keyword in a learner's French, hedged
        r"|\bstop pour moi\b"
        # "wiser to step back from the programme for good": not for a while
        r"|\bstep(?:ping)? (?:back|away|down) from (?:the |my |our )?(?:mentoring|programme"
        r"|program|this|workshop|pairing|sessions)\s+" + _FOR_GOOD +
        r"|\b(?:je|on) (?:devrais|devrait|ferais mieux d'|ferait mieux d')\s*(?:peut-etre |sans"
        r" doute |plutot )?(?:arreter|abandonner|laisser tomber)(?=\s*(?:[.!?,;]|$|la|le|tout"
        # "... arrêter après Noël", "... arrêter vu que je passe freelance"
        r"|apres|a la fin|en fin|vu que|car|parce|puisque))"
        r"|\bdevrais-je (?:peut-etre )?(?:arreter|abandonner)\b"
        # "I might just stop here?", "je vais peut-être m'arrêter là"
        r"|\b(?:i|we) (?:might|may|could) (?:just |as well |well )?(?:stop|quit|drop out|call it"
        r" a day|give up)(?=\s*(?:[.!?,;]|$|here|now|there|altogether))"
        # "so I guess I should stop too?"
        r"|\b(?:i|we) (?:should|ought to) (?:probably |maybe |just )?(?:stop|quit|drop out)"
        r"(?: too| as well)?(?=\s*(?:[.!?,;]|$))"
        # "i think i might pack this in tbh"
        r"|\b(?:i|we) (?:might|may|could|should) (?:just )?(?:pack|jack) (?:this|it) in\b"
        r"|\bje (?:vais|devrais) peut-etre (?:m'arreter|arreter|abandonner)(?=\s*(?:[.!?,;]|$|la"
        r"|ici))"
        # "je pense arrêter là", "I'm thinking of stopping"
        r"|\b(?:je pense|j'envisage d'|je songe a|je compte) (?:peut-etre )?(?:arreter|abandonner)"
        r"(?=\s*(?:[.!?,;]|$|la\b|ici|le |ce |mon |les ))"
        r"|\bi(?:'m| am) (?:thinking (?:of|about)|considering) (?:stopping|quitting|dropping out)\b"
        # "Maybe count me out this cycle?", "je passe peut-être mon tour"
        r"|\bcount me out\b|\bcomptez sans moi\b|\bpasser mon tour\b|\bpasse mon tour\b"
        r"|\bsit (?:this|the) (?:one|cycle|round) out\b"
        # "might be time to call it a day", "il est peut-être temps d'arrêter"
        r"|\b(?:time|temps) (?:for me |pour moi )?(?:to call it (?:a day|quits)|to stop|to step"
        r" down|d'arreter|de m'arreter|de raccrocher)\b"
        # "Might have to knock it on the head": end it, said as a Yorkshireman would
        r"|\b(?:might|may|could) (?:have to |need to |just )?knock (?:it|this|these|things|them"
        r"|the mentoring|the sessions) on the head\b"
        # "Might have to drop out of this after Christmas": the subject left out
        r"|^\W*(?:might|may) (?:have to |need to |just )?(?:drop out|quit|stop|pull out|leave)\b"
        # "not sure I'll keep this going", "je me demande si je vais continuer"
        # "je ne sais pas s'il est bien raisonnable de continuer", "not sure it's wise to go on"
        r"|\b(?:not sure|i wonder|je me demande|je ne sais pas|je sais pas|pas sure?)"
        r" (?:if |whether |si |s')?(?:il est|it'?s|it is|c'est)"
        r" (?:bien |vraiment |really |still )?(?:raisonnable"
        r"|judicieux|sage|utile|wise|sensible|worth it) (?:de |to )(?:continuer|poursuivre"
        r"|continue|carry on|go on|keep going)\b"
        r"|\b(?:not sure|unsure|i wonder|wondering|je me demande|je ne sais pas|je sais pas|pas sur"
        r"|pas sure|j'?sais pas|jsp) (?:if |whether |si |s')?(?:i'll|i will|i should|i can"
        r"|i want to|je vais|j'?vais"
        r"|je dois|je peux|il faut|je veux|on va)\s+(?:vraiment |really )?(?:continuer|continue"
        r"|keep (?:going|this going|it going|this up|at it)|carry on|poursuivre|rester)\b"
        # ... the programme, never "continuer le tableur" (a skill)
        r"(?=\s*(?:[.!?,;:…]|$|(?:le |ce |the |this )?(?:programme|program|mentorat|mentoring)"
        r"|comme (?:ca|cela)|ainsi|like this|apres|after|next|l'an|the next))"),
    "pause": re.compile(
        # "maybe I should pause? busy till March", "je devrais peut-être faire une pause"
        r"\b(?:i|we) (?:should|ought to|might|may need to) (?:maybe |perhaps |probably |just )?"
        r"pause\b(?!\s+(?:and|to|for a (?:second|moment|minute)|before|between|after))"
        r"|\bshould (?:i|we) (?:maybe |perhaps |just )?pause\b"
        # "Might need to pause things over Xmas": the subject left out
        r"|^\W*(?:might|may) (?:need to |have to )?pause\b(?!\s+(?:and|to|for a (?:second|moment"
        r"|minute)|before|between|after))"
        # "maybe pause me? not sure how this works"
        r"|\b(?:maybe|perhaps|peut-etre) (?:just )?pause (?:me|us|it|things|the mentoring)\b"
        r"|\b(?:put|place|putting|placing)\s+(?:this|that|things|it|us|me|everything|all this"
        r"|the whole thing|our sessions|the sessions)\s+on (?:hold|ice|pause)\b"
        r"|\b(?:mettre|mettons|mets) (?:ca|tout ca|cela|les choses|le tout|tout|nos seances"
        r"|les seances) (?:en pause|entre parentheses|en suspens|en stand-by|en standby)\b"
        # "might need to step back from mentoring for a bit", "lever le pied sur le mentorat"
        r"|\bstep(?:ping)? back from (?:the |my |our )?(?:mentoring|programme|program|sessions"
        r"|this)\b(?!\s+" + _FOR_GOOD + r")"
        # ("je lève un peu le pied sur le programme pendant quelque temps")
        r"|\blev(?:er|e|es|ons|ez)(?: un peu)? le pied (?:sur|avec) (?:le |les |ce )?(?:mentorat"
        r"|programme|seances)\b"
        r"|\bprendre du recul (?:sur|avec|par rapport au) (?:le |ce )?(?:mentorat|programme)\b"),
    "skip": re.compile(
        # "I might have to miss this one", "je vais peut-être devoir rater celle-ci"
        r"\b(?:i|we) (?:might|may|could) (?:have to |need to )?miss (?:this one|that one|the next"
        r" one|tomorrow's|[a-z]+day's|(?:(?:this|the|our|next) )+session)\b"
        r"|\b(?:devoir|vais|risque de) (?:peut-etre )?(?:rater|manquer|louper) (?:celle-ci"
        r"|celle de \w+|la prochaine|cette seance|la seance)\b"
        r"|\b(?:worth|consider|considering|thinking (?:of|about)|maybe|perhaps|could|might|should)"
        r" (?:we |i )?(?:skip|skipping|cancel|cancelling|canceling|drop|dropping|give)"
        r" (?:tomorrow's|today's|[a-z]+day's|this week's|next week's|the next one|this one"
        r"|that one|the next session|the session|a miss)\b"
        r"|\b(?:sauter|annuler|zapper|laisser tomber) (?:celle de demain|celle-ci|celle de \w+di"
        r"|la prochaine|celle de cette semaine)\b"
        # "might have to skip?? will confirm": in a session's thread, that one
        r"|(?:^|[.!?,;]\s*)(?:(?:i|we) )?(?:might|may) (?:have to |need to )?"
        r"(?:skip|cancel)(?: (?:it|this one|that one))?(?=\s*(?:[?.!,]|$))"),
}
# "Je me demande si je ne devrais pas...", "I wonder whether I shouldn't...": a wish asked
# of oneself (French keeps "ne" without negating); confirmed, never read as a no.
_WONDER = re.compile(r"\b(?:je me demande(?:, [^,]{1,25},)? (?:si (?:je|on|nous)(?: ne)?"
                     r"|s'il(?: ne)?)"
                     r" (?:devrais|devrait|devrions|ferais|ferait|ferions|vais|va|faudrait|faut"
                     r"|serait|vaudrait)"
                     r" pas"
                     # "je ne sais pas s'il faut l'annuler": wondering, not refusing
                     r"|je ne sais pas s'il (?:faut|faudrait)"
                     r"|i (?:wonder|am wondering|'m wondering) (?:if|whether) (?:i|we)"
                     r" (?:shouldn't|should not|ought to))\b")
# A word of doubt, or the question itself: what makes a wish of these words.
_DOUBT = re.compile(
    r"\b(?:maybe|perhaps|probably|might|may|not sure|i think|i guess|worth|wonder|wondering"
    r"|thinking|considering|should|peut-etre|sans doute|je crois|je pense|pas sur|pas sure"
    r"|je me demande|je ne sais pas|je sais pas|j'?sais pas|jsp|ptet|vaudrait|faudrait|devrais"
    r"|devrait|a voir)\b"
    r"|\?\s*$")


def wondered_command(folded: str) -> tuple[str, re.Match[str]] | None:
    """The command a folded sentence wonders about, and where it says it, or None."""
    if not _DOUBT.search(folded):
        return None
    for name, pattern in _WONDERED.items():
        match = pattern.search(folded)
        if match is not None:
            return name, match
    return None


def unnegated(folded: str) -> tuple[str, bool]:
    """A folded sentence with "je me demande si je ne devrais pas" made "je devrais" (a
    wondering, not a negation), and whether there was one."""
    text, count = _WONDER.subn(" je devrais ", folded)
    return text, count > 0


# "Surtout ne mettez pas fin au mentorat", "I don't want to quit the programme": a
# negation before ending or pausing what we run (the negation may split the verb).
_REFUSED = re.compile(r"\b(?:ne|n'|don't|do not|never|not)\b[^.!?]{0,40}?\b(?:arret\w*|stop\w*"
                      r"|fin|quitt\w*|abandonn\w*|pause|quit|end|leave|drop)\b[^.!?]{0,12}?\b"
                      + PROGRAMME + r"\b")


def refuses_command(sentence: str) -> bool:
    """Whether a sentence says the person does not want a command ("Je ne veux surtout pas
    arrêter le mentorat, c'est trop utile !", "no need to pause"): a word on the programme,
    which answers none of our questions."""
    folded = fold_quotes(sentence)
    if _REFUSED.search(folded):
        return True
    if NO_NEED.search(folded):
        return True  # "No need to pause or anything, things are fine now"
    for name in ("stop", "pause", "resume", "skip"):
        match = SENTENCES[name].search(folded)
        if match is not None and NEGATED.search(last_clause(folded[: match.start()])):
            return True
    return False
