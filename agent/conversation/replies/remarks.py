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

from agent.conversation.replies.dates import fold, fold_quotes

_REMARK = re.compile(
    r"^\W*(?:(?:but|mais|and|et|also|aussi|honestly|frankly|honnetement|franchement|i think"
    r"|je pense qu'?|je crois qu'?)[,\s]+)?"
    r"(?:we|it|that|this|the session|on|nous|ca|cela"
    r"|c'|la seance)\s*(?:\w+\s+)?(?:spent|had|went|ran|was|were|took|did|got|overran"
    r"|covered(?=.*\b(?:twice|again|too)\b)"
    r"|a passe(?! en revue)|avons passe(?! en revue)|a pris|a dure|a deborde|avons deborde"
    r"|a ete|etait|a un peu"
    r"|avons un peu|a trop|avons trop)\b|\bthough\W*$|\bquand meme\W*$"
    # how the other is doing: "Élodie progresse bien", "She is getting more confident"
    r"|^\W*(?!(?:je|i|j|we|nous|on)\b)[a-z][\w'-]*\s+(?:progresse|avance bien|s'ameliore"
    r"|prend (?:de l'|)assurance|prend confiance|gagne en (?:confiance|assurance|aisance)"
    r"|a (?:bien |beaucoup |vraiment |nettement )?progresse|is (?:really )?(?:progressing"
    r"|improving|doing (?:well|great|fine)|getting (?:better|more confident))"
    r"|has (?:really |clearly )?(?:improved|progressed|come a long way))\b"
    # how the other was: "Amir was very patient", "Léa est super pédagogue"
    r"|^\W*(?!(?:je|i|j|we|nous|on|it|this|that|ca|cela)\b)[a-z][\w'-]*\s+(?:was|is|est|etait"
    r"|a ete)\s+(?:(?:very|really|so|super|tres|vraiment|si|toujours|always)\s+)?(?:patient|kind"
    r"|helpful|nice|lovely|friendly|clear|sympa|gentil\w*|pedagogue|disponible|adorable"
    r"|brilliant|amazing|a star|genial\w*|top)\b"
    # what there was no time for: "Pas eu le temps de voir le reste.", "No time for the rest."
    r"|^\W*(?:(?:on|nous|je|j)\s*(?:n'?)?(?:a|avons|ai)\s+)?(?:pas eu le temps|no time for|didn'?t"
    r" (?:have|get) time|ran out of time)\b"
    # the session off its plan: "On a parlé d'autre chose que prévu"
    r"|\bautre chose que prevu\b|\bother than (?:planned|we planned)\b|\boff[- ]topic\b"
    # a verdict said as a review: "would mentor again", "would recommend", "à refaire"
    r"|^\W*(?:(?:i|we)(?:'d| would)|would) (?:\w+ )?(?:again|recommend)\b|^\W*a refaire\W*$"
    r"|^\W*(?:je |on )?(?:le |la )?(?:recommande|referai[st]?|referais)\b")
# The session judged first, how it went rather than what it taught: "bof, il a dû
# partir", "Bien mais trop court", "Honestly not great - ...", "Session rather rushed",
# "bit rushed, the connection kept dropping" (never "bof, j'ai pas appris grand-chose").
_JUDGED_FIRST = re.compile(
    r"^\W*(?:(?:honestly|frankly|franchement|honnetement)[,\s]+)?(?:bof|meh|pas terrible"
    r"|pas top|not great|not (?:so|that|very) (?:good|great)|(?:bien|good|great|sympa|top)"
    r",? (?:mais|but) (?:trop|too|a bit|un peu))\b"
    r"|^\W*(?:(?:the |la )?(?:session|seance) )?(?:(?:a |un )?(?:bit|rather|way|quite|un peu"
    r"|beaucoup|bien) )?(?:trop (?:court|courte|rapide)|too (?:short|rushed|fast|quick)"
    r"|rushed|ecourtee?|expediee?|baclee?)\b")
_LEARNING = re.compile(r"\b(?:appr\w*|learn\w*|retenu|compris|understood)\b")
# "James, if you read this, stop by my desk": a name, a comma, then "you". Words that open
# a sentence so are no names.
_ADDRESSED = re.compile(r"^\W*([A-ZÀ-Þ][a-zà-ÿ'-]+)\s*,\s+(?=.*\b(?:you|your|tu|te|toi|vous"
                        r"|votre|ton|ta|tes)\b)")
_PASS_ON = re.compile(r"^\W*(?:(?:can you |could you |please )?tell (?:him|her|them)|dites-lui"
                      r"|dis-lui|pouvez-vous lui dire|tu peux lui dire"
                      # "Question pour Sam : ...?", "Est-ce que Ryan peut m'envoyer ...?": a
                      # question to the partner, asked through us
                      r"|question (?:pour|for|to) [A-Z]\w+\s*:"
                      r"|est[- ]ce que [A-Z]\w+ (?:peut|pourrait) (?:m|me|nous)\b"
                      r"|(?:can|could) [A-Z]\w+ (?:send|share|forward) me\b)",
                      re.IGNORECASE)
# "Stop by my desk if you want more details", "Passez me voir à la lingerie": an
# invitation to the partner (the reader of a forwarded copy), no answer to a question.
_COME_BY = re.compile(r"(?:^|[-–—,:]\s*)(?:(?:stop|drop|pop|swing|come) (?:by|round|over to)"
                      r" (?:my|the) (?:desk|office|station|bureau)|come (?:and |& )?(?:see|find)"
                      r" me|(?:passez|passe|venez|viens) (?:me voir|a mon bureau))\b")
_OPENERS = {
    "honestly", "frankly", "also", "anyway", "overall", "well", "so", "then", "yes", "no",
    "ok", "okay", "sorry", "btw", "oh", "plus", "bref", "sinon", "alors", "bon", "enfin",
    "franchement", "honnetement", "oui", "non", "ensuite", "puis", "donc", "voila", "bonus",
    "perso", "personnellement", "personally", "otherwise", "again", "encore", "sadly",
    "unfortunately", "malheureusement", "merci", "thanks", "dear", "hello", "hi", "bonjour",
    "salut", "coucou", "ps", "note", "because", "parce", "si", "if", "when", "quand", "as",
    "comme", "but", "mais", "and", "et", "now", "maintenant", "today", "aujourd'hui",
}
_PLAN = re.compile(
    r"\b(?:ensemble|together|a deux|role[- ]?play\w*|jeux? de roles?|mises? en situation"
    r"|simulations?|mock (?:interview|call|meeting|pitch)s?|dry[- ]run|rehearsals?"
    r"|repetitions? generale|cas pratiques?|case stud(?:y|ies)|walk-?through)\b"
    r"|^\W*(?:repeter|finir|terminer|finaliser|boucler|relire|simuler|rehearse|finish"
    r"|wrap up|run through|go through|go over)\s+(?:ma|mon|mes|la|le|les|l'|notre|nos|the|my"
    r"|our|that|this)\b"
    # what goes on from this session: "la suite du plan de feu", "le même mais au téléphone",
    # "Same again next week", "Opening titles again", "Reprendre le point sur X"
    r"|^\W*(?:la suite d[eu]s?|le meme|la meme|same again|more of the same|the rest of"
    r"|reprendre|continuer)\b|\bagain\b")


def plan_like(sentence: str) -> bool:
    """Whether an answer is something to do together next time, not a skill to develop."""
    return bool(_PLAN.search(fold_quotes(sentence)))


def remark(sentence: str) -> bool:
    """Whether a sentence is a remark on how the session went (past tense), not an answer."""
    return bool(_REMARK.search(fold_quotes(sentence)))


def judged_first(sentence: str) -> bool:
    """Whether a sentence opens by judging how the session went ("Bof, elle a dû écourter",
    "A bit rushed, the alarm went off"), and says nothing of what was learned."""
    folded = fold_quotes(sentence)
    return bool(_JUDGED_FIRST.search(folded)) and not _LEARNING.search(folded)


def addressed(sentence: str) -> bool:
    """Whether a sentence speaks to someone by name ("Paul, tu peux me renvoyer le
    fichier ?") or asks us to pass a word on ("Tell him to stop by my desk"): chat, no
    answer; or invites them to come by ("Stop by my desk if you want the details")."""
    if _PASS_ON.match(sentence) or _COME_BY.search(fold_quotes(sentence)):
        return True
    match = _ADDRESSED.match(sentence)
    return match is not None and fold(match.group(1)) not in _OPENERS


# What the session went through, said after the rating ("oui, 4/5, on a vu les handlers et
# les tags", "yes, 4, we covered the rebase flow"): what was learned, in the writer's words.
_COVERED = re.compile(r"(?:on a|nous avons|we(?:'ve| have)?) (?:vu|revu|travaill[ée]|abord[ée]"
                      r"|pass[ée] en revue"
                      r"|couvert|fini|termin[ée]|covered|went (?:through|over)|looked at"
                      r"|worked on|finished|did)\s+\S",
                      re.IGNORECASE)


def comment(sentence: str) -> bool:
    """Whether a sentence comments on the session: a remark, or a judgement first."""
    return remark(sentence) or judged_first(sentence)


def covered(sentence: str) -> bool:
    """Whether a sentence says what the session went through ("on a vu les handlers"), not
    what was done together ("on a revu la compta ensemble": a remark on the session)."""
    return _COVERED.match(sentence) is not None and not plan_like(sentence)


# What the session was worth, said beside a rating: it happened to be judged.
_WORTH = re.compile(
    r"\b(?:waste of time|perte de temps|(?:very |really |quite |super |pretty |not very |not "
    r"really )?(?:useful|useless|helpful|unhelpful|interesting|boring|productive|valuable"
    r"|enriching)|(?:tr[eè]s |vraiment |super |pas tr[eè]s |peu )?(?:utile|inutile|int[ée]ressant"
    r"|int[ée]ressante|ennuyeux|ennuyeuse|productive|productif|enrichissant|enrichissante))\b",
    re.IGNORECASE)


def judged(text: str) -> bool:
    """Whether a text says what the session was worth ("a waste of time", "très utile")."""
    return _WORTH.search(text) is not None
