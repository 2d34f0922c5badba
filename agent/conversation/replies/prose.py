"""Sentences in French and English: whether they say the session took place, whether
they answer nothing, and how a line divides into them (which question a sentence
names is agent.conversation.replies.cues).

Terms:
- *held*: whether the session took place: "Oui", "It did!", "we met", "séance
  réalisée" (yes); "annulée", "we could not meet", "we had to reschedule" (no).
- *small talk*: greetings, thanks, apologies, sign-offs and signatures, which answer
  nothing ("Bonjour,", "Merci encore à Antoine !", "Désolée pour le retard !").
- *bare answer*: words with no subject nor verb of their own ("Les TCD et les
  segments."), which answer a question where a sentence would only comment; a
  *run-on* reply puts them one after the other with no separator ("Oui 4 les TCD
  les graphiques un cas réel").

Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.cues import SHRUG
from agent.conversation.replies.dates import fold, fold_quotes
from agent.conversation.replies.yesno import EMOJI, NO, YES

_NOT_HELD = re.compile(
    # ("La séance n'a pu se tenir": the written negation, "pas" left out)
    r"\b(?:n['’]a|n['’]ont|n['’]avons|n['’]ai) (?:(?:pas|jamais) (?:pu |encore )?|pu )(?:eu lieu"
    r"|avoir lieu"
    r"|nous voir|nous retrouver|se voir|nous r[ée]unir|faire la s[ée]ance|se tenir|se faire)"
    # "Pas pu, il pleuvait", "Not able to, Rob was off": the answer, then its reason
    r"|^\W*(?:pas pu|not able to|couldn['’]t|could not)\s*(?:[,.;:!–—-]|$)"
    # "pas fait. vendanges", "not done, flu": the answer, then its reason
    r"|^\W*(?:pas fait|pas faite|pas eu lieu|not done|didn['’]t happen|didnae happen)"
    r"\s*(?:[,.;:!–—-]|$)"
    # "pas pu venir j'étais malade", "je n'ai pas pu venir": the learner was not there
    r"|^\W*(?:(?:j['’]?ai |je n['’]ai )?pas pu|i couldn['’]t|i could not) (?:venir|y aller"
    r"|[êe]tre l[àa]|come|make it|attend)\b"
    r"|\bpas eu lieu\b|\bs[ée]ance (?:non|pas) (?:r[ée]alis[ée]e|tenue|faite)\b"
    r"|\b(?:on|nous) (?:n['’])?(?:a|avons) pas pu (?:la |le )?faire\b"  # "dsl on a pas pu la faire"
    r"|\b(?:on|nous) ne (?:s['’]est|nous sommes) pas (?:vus?|vues|retrouv[ée]e?s)\b"
    r"|\bpas pu (?:avoir lieu|nous voir|se voir|se retrouver|nous retrouver)\b"
    # "reportée", never "on reporte les cotes" (carry over)
    r"|\b(?:nous avons|on a|j['’]ai) d[ûu] (?:annuler|reporter|d[ée]caler)\b"
    r"|\bannul[ée]e?s?\b|(?<!\bon )(?<!\bje )(?<!\bil )(?<!elle )\breport[ée]e?s?\b"
    r"|\bd[ée]cal[ée]e?s?\b|\bne s['’]est pas tenue\b"
    r"|\bon a d[ûu] (?:annuler|reporter|d[ée]caler)\b|\bsaut[ée]e\b"
    r"|\b(?:didn['’]?t|didnae|did not|never|could not|couldn['’]t|was unable to) (?:happen"
    r"|take place"
    r"|meet|go ahead)\b|\bnever happened\b"
    r"|\b(?:could not|couldn['’]?t|were not able to|weren['’]t able to|were unable to"
    r"|did not get to|didn['’]t get to) (?:meet|make it|hold it|have (?:it|the session))\b"
    r"|\bcancell?ed\b|\bpostponed\b|\bresched?uled?\b"
    # "session not done, Rachel was on holiday", "séance pas faite"
    r"|\b(?:session|meeting|it) (?:was |has )?not (?:done|held|happened)\b"
    r"|\b(?:s[ée]ance|r[ée]union) (?:pas|non) (?:faite|tenue)\b"
    r"|\b(?:didn['’]?t|did not|couldn['’]?t|could not) manage (?:to (?:meet|make it|see each other)"
    r"|this one|it this (?:time|week))\b"
    r"|^\W*(?:not this time|pas cette fois(?:-ci)?)\b|\bpas pu se faire\b"
    r"|^\W*not (?:held|happened|happend)\b|\b(?:we |i )?moved (?:it|the session|our session)\b"
    r"|\b(?:l['’]a|l['’]avons|l['’]ont) (?:d[ée]plac[ée]e|d[ée]cal[ée]e|repouss[ée]e)\b"
    r"|^\W*(?:(?:non|no)\W+)?(?:pas de s[ée]ance|no session|no meeting)\b"
    r"|\bno (?:session|meeting) (?:this time|this week|today|yesterday)\b"
    r"|\bpas de s[ée]ance (?:cette semaine|cette fois|aujourd['’]hui|hier)\b"
    r"|\b(?:session|meeting|s[ée]ance) (?:moved|pushed back|bumped) to\b"
    r"|\b(?:this time|this week|cette fois(?:-ci)?|cette semaine),?\s+(?:no session|no meeting"
    r"|pas de s[ée]ance)\b"
    # "on l'a pas faite", "on s'est pas vus": spoken French leaves out the "ne"
    r"|\b(?:on|nous) (?:ne |n['’])?(?:l['’]a|la|l['’]avons|s['’]est) (?:pas|jamais)"
    r" (?:faite?|vus?|vues|retrouv[ée]e?s)\b"
    r"|\bhad to (?:cancel|reschedule|postpone|skip it)\b"
    r"|\bno[- ]show\b|\bwasn['’]?t held\b|\bwas not held\b"
    # "this one fell through: ... So, no session; nothing to rate."
    r"|\bfell through\b|\btomb[ée]e? [àa] l['’]eau\b"
    r"|\b(?:so|donc),? (?:no session|pas de s[ée]ance)\b"
    r"|^\W*(?:sadly|unfortunately|malheureusement|h[ée]las)[,\s]+(?:not|pas)\b"
    r"|\b(?:push(?:ed)?|moved|bumped) (?:it|the session|our session) (?:back |out )?to\b"
    r"|\b(?:it|the session|our session) (?:got|was|has been) (?:moved|pushed|bumped)\b"
    r"|\b(?:la |l['’])(?:repousser|reporter|d[ée]caler|d[ée]placer)\b|\bskipped it\b"
    r"|^\W*(?:not yet|pas encore)\b"
    # "You asked whether the session took place: it did not."
    r"|\b(?:it|the session|the meeting) did(?:n['’]t| not)\s*(?:[.!]|$)"
    r"|^\W*not (?:took|taken|take) place\b|\bdid(?:n['’]t| not) took place\b", re.IGNORECASE)
_HELD = re.compile(
    # ("Eu lieu. 4.": the question's words as the answer)
    r"\ba (?:bien |effectivement )?eu lieu\b|^\W*eu lieu\b"
    r"|\bs['’]est (?:bien )?(?:tenue|d[ée]roul[ée]e)\b"
    r"|\bs[ée]ance (?:r[ée]alis[ée]e|faite|tenue|effectu[ée]e|rattrap[ée]e)\b"
    r"|\bon s['’]est (?:bien )?vus?\b"
    r"|\bnous nous sommes (?:bien )?(?:vus|vues|retrouv[ée]s)\b|\bpendant la s[ée]ance\b"
    r"|\btook place\b|\bit (?:did|happened)\b|\bdid (?:happen|take place|go ahead)\b"
    r"|\bwe (?:did )?(?:met|meet)\b"
    # (never "to make it happen", what the writer thanks us for)
    r"|\b(?:session|meeting|it) (?:was |has )?happened\b|\b(?:session|meeting|it) has happen\b"
    r"|\b(?:session|meeting) happen\b"
    r"|\b(?:la s[ée]ance|elle|the session|it) (?:a |has |only )?(?:dur[ée]|lasted)\b"
    r"|^\W*(?:short|quick|brief) (?:session|meeting)\b|^\W*happened\b"
    r"|^\W*(?:faite|done|held)\s*(?:[.!,;]|$)"  # "Faite. 4/5. RAS.", "Held, 4/5."
    r"|^\W*(?:s[ée]ance|r[ée]union) (?:courte|rapide|[ée]clair)\b"
    r"|\bduring (?:the|our|this) session\b|\bhas taken place\b|\bwent ahead\b"
    r"|\b(?:session|meeting|it) (?:happened|went (?:well|fine|great|ok))\b"
    # "Went ok.", "session was good, 4": judged, so it happened
    r"|^\W*went (?:well|fine|great|ok|okay|alright|smoothly)\b"
    r"|\b(?:session|meeting) (?:was|went) (?:really |very |pretty |quite )?(?:good|great|fine|ok"
    r"|okay|useful|productive|helpful|brilliant|excellent)\b"
    r"|\bs['’]est (?:bien |tr[eè]s bien |super bien )?pass[ée]e\b|\bs[ée]ance faite\b"
    r"|\bon s['’]est (?:bien )?retrouv[ée]e?s\b|\bon l['’]a (?:bien )?faite\b"
    r"|\b(?:on a|nous avons) (?:bien )?fait (?:la|notre|cette) s[ée]ance\b"
    r"|\bcaught up\b|\bmet (?:up|as planned|as usual|yesterday|today|on \w+day)\b"
    r"|^\W*(?:session|s[ée]ance|meeting|r[ée]union)[ \t]*[:,–—-]?[ \t]*(?:" + YES + r")\b"
    r"|^\W*met\b|\b(?:session|meeting) (?:done|held)\b|\b(?:had|did) (?:the|our) session\b"
    # A session judged took place ("Great session", "Séance ok", "Très bonne séance").
    r"|\b(?:good|great|nice|useful|productive|solid) one (?:today|this time|again)\b"
    r"|\b(?:great|good|nice|useful|productive|excellent|lovely|solid|helpful|fun|brilliant|grand"
    r"|fantastic|interesting|super) (?:session|meeting)\b"
    r"|\b(?:bonne|super|belle|excellente|chouette|superbe) s[ée]ance\b"
    r"|\bs[ée]ance (?:ok|top|super|g[ée]niale|utile|tr[eè]s utile|int[ée]ressante|productive"
    r"|sympa|riche|efficace)\b",
    re.IGNORECASE)
# "Oui," / "No." / "yes it did" at the very start; "No problem" is not an answer, so a
# separator, the end, or a word that goes on answering must follow.
_YES_NO = re.compile(
    r"^\W*(?:(?:unfortunately|sadly|malheureusement|h[ée]las)[, \t]+)?"
    # ("Oui oui faite !": a yes said twice)
    r"(" + YES + r"(?:[ \t,]+" + YES + r")*|" + NO + r")\b(?:[ \t]*(?:[,.!;:)]|[-–—]|$|\("
    r"|" + EMOJI + r")"
    r"|[ \t]+(?=(?:\d|elle|it|we|on|nous|je|j['’]|i|he|she|il|ils|elles|they|tout|bien"
    r"|one|two|three|four|five|un|deux|trois|quatre|cinq|session|s[ée]ance|meeting"
    r"|absolument|of course|c['’]est|c['’][ée]tait|c|met|did"
    r"|mais|but|en|in|sur"
    r"|h[ée]las|malheureusement|unfortunately|sadly"
    r"|comme|as|super|tr[eè]s|very|great|top|eu lieu|a eu lieu|happened|faite|fait|done|and|et"
    r"|held)\b)"
    # "nah rob was off sick", "non coupure de courant": a no and its reason, unpunctuated;
    # never "No worries", "Non merci", "no need to ...", which answer nothing.
    r"|(?:(?<=no)|(?<=non)|(?<=nope)|(?<=nan)|(?<=nah))[ \t]+(?!(?:worr(?:y|ies)|problems?"
    r"|probs?|pb|idea|need|rush|hurry|doubt|one|way|comments?|clue|big|pressure|more|less"
    r"|longer|change|thanks?|thx|merci|probl[eè]mes?|soucis?|seulement|plus|rien|personne"
    r"|mais|matter|wonder|kidding|joke|offen[cs]e|stress|bother|reply|answer|response|news"
    r"|stop|pause|issues?|questions?|id[ée]e|pas|non|nothing|not|sorry|d[ée]sol[ée]e?|de|du"
    r"|des|la|le|les|time|chance|sure|other|further|please|hassle|harm|excuses?|luck"
    r"|e?-?mails?)\b)(?=\w))", re.IGNORECASE)
# The words a message opens with, in French and English (one list for every reader).
GREETING = (r"(?:bonjour|bonsoir|salut|slt|coucou|allo|hello|hiya|heya|hi|hey|dear|cher|ch[èe]re"
            r"|good (?:morning|afternoon|evening))")
_SMALL_TALK = re.compile(
    r"^\W*(?:" + GREETING + r"|merci|thanks|thank you"
    r"|thx|cordialement|bien cordialement|bien [àa] (?:vous|toi)|bonne (?:journ[ée]e|soir[ée]e|fin)"
    r"|[àa] (?:bient[ôo]t|plus|jeudi|lundi|mardi|mercredi|vendredi)|regards|best|kind regards"
    r"|cheers|see you|d[ée]sol[ée]e?|sorry|voici|here (?:are|is)|voir (?:mes|ci)|see (?:my|below)"
    r"|apologies|my apologies|pardon|excusez-moi|toutes mes excuses|mes excuses"
    r"|bon r[ée]tablissement|prompt r[ée]tablissement|get well soon"
    # "Je réponds mieux demain promis", "I'll reply properly later": answers to come
    r"|je (?:r[ée]ponds|r[ée]pondrai|vous en dis|t'en dis) (?:mieux|plus|plus tard|demain"
    r"|en d[ée]tail)|(?:i'?ll|i will) (?:answer|reply|write) (?:properly|more|later|tomorrow"
    r"|in full)|more (?:details )?later"
    r"|r[ée]ponses? (?:ci-dessous|dans le texte|ci-apr[èe]s)|answers? below|my answers"
    r"|bises|bisous|amicalement|belle journ[ée]e|have a (?:good|nice)|talk soon"
    r"|envoy[ée] (?:de|depuis)"
    r"|sent from|get outlook|obtenir outlook|obtenez outlook|p\.?\s?s\.?(?=\s*:|\s*$)"
    # "More later", "je complèterai plus tard": an answer promised, none given.
    r"|more (?:to come )?later|more soon|(?:la )?suite (?:plus tard|bient[ôo]t)"
    r"|(?:more )?details (?:later|to follow|when)|d[ée]tails plus tard"
    r"|je compl[èe]terai|je compl[èe]te (?:ce soir|demain|plus tard|le reste)"
    r"|i['’]ll (?:add|write|send) more"
    r"|je (?:vous )?r[ée]ponds? (?:ce soir|demain|plus tard|d[èe]s que)|je (?:vous )?r[ée]pondrai"
    r"|i['’]ll (?:reply|answer|get back to you)(?: properly)? (?:later|tonight|tomorrow|soon)"
    # "Je n'ai pas grand-chose à ajouter", "Nothing more to add": no answer.
    r"|(?:je n['’]ai )?(?:pas grand[- ]chose|rien(?: de plus| d['’]autre)?) [àa] ajouter"
    r"|nothing (?:new |more |else )?to add|not much (?:new |more |else )?to add"
    r"|rien (?:de (?:neuf|nouveau)|d['’]autre) [àa] (?:ajouter|signaler)"
    # "Wrong thread, sorry, ignore": sent here by mistake.
    r"|wrong (?:thread|e-?mail|mail|reply|person|recipient)|please ignore|ignore (?:this|that|me)"
    r"|mauvais (?:fil|mail|e-mail|destinataire)|erreur de destinataire|ignorez)\b", re.IGNORECASE)
# A sign-off with a name, ending a line of answers ("... we covered a lot. x Grace").
_SIGNED = re.compile(r"^\W*(?:(?:x+o*x*|bises|bisous|cheers|thanks|merci|cdlt|a\+|best)[\s,]+"
                     r"[^\W\d_][\w'’-]*|x+o*x*)\W*$", re.IGNORECASE)
# A line that only closes what was said ("voilà voilà", "that's all"): no answer.
_CLOSING = re.compile(r"^\W*(?:voil[àa](?:[\s,]+voil[àa])*(?:[\s,]+(?:c'est tout|pour moi))?"
                      r"|c'est tout|that'?s (?:it|all)(?: for now| from me)?)\W*$", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^\W*(?:cordialement|bien cordialement|bien [àa] vous|regards|best regards|kind regards|best"
    r"|cheers|thanks|thank you|merci|merci beaucoup|bonne journ[ée]e|[àa] bient[ôo]t|bises"
    r"|amicalement|many thanks|tout de bon|tout bon)\W*$", re.IGNORECASE)  # Swiss: "Tout de bon"
# A sentence ends at its stop, or at an emoji before a capital ("would recommend 😄 Learned X").
# A sentence ends at its stop, or at an emoji that closes it in chat ("I fill every gap 🙈
# next time the debrief"), before a capital or a word.
_SENTENCE = re.compile(r"(?<=[.!?…])[ \t]+(?=\S)"
                       # ... and after an emoji ("4/5 ✨ Storybook, enfin ..."), never
                       # after stars ("it was ★★★★★ and that she can now ...")
                       r"|(?<=[\u2600-\u2604\u2607-\u27bf\ufe0f\U0001f300-\U0001faff])[ \t]+"
                       r"(?=[A-ZÀ-Ý]|[a-zà-ÿ]{2,})")
# Abbreviations a sentence does not end at ("8 oct. 2026", "M. Dupont", "e.g. this").
_ABBREVIATION = re.compile(
    r"(?:(?<!\w)(?:janv|f[ée]vr|avr|juil|sept|oct|nov|d[ée]c|jan|feb|mar|apr|jun|jul|aug|sep|dec|m|mme"
    r"|mr|mrs|ms|dr|st|cf|ex|etc|e\.g|i\.e|vs|n[°o]|p|env|approx)\.)$", re.IGNORECASE)
# Lines that only judge the session or thank ("Très bien, merci !", "Great session, thanks!").
_VERDICT_WORDS = {
    "tres", "bien", "super", "top", "great", "good", "nice", "seance", "session", "merci",
    "thanks", "thank", "you", "beaucoup", "vraiment", "really", "excellente", "excellent",
    "parfait", "cool", "genial", "geniale", "the", "la", "une", "un", "a", "very", "so", "much",
    "comme", "d", "habitude", "toujours", "as", "always", "encore", "again", "bonne", "belle",
    "chouette", "utile", "useful", "helpful", "interesting", "interessante", "riche", "productive",
    "sympa", "fun", "cette", "this", "what", "quelle", "moment", "ok", "okay",
    "well", "deserved", "merite", "meritee", "clair", "clear", "pratique", "practical",
    "concret", "concrete", "efficace", "efficient", "rushed", "court", "short", "dense",
    "intense", "bit", "peu", "trop", "too", "overall", "pour", "moi", "for", "me", "de", "ma",
    "part", "from", "once", "but", "mais", "rapide", "quick", "fast", "slow", "lent",
    "long", "longue", "plutot", "rather", "quite", "assez", "premiere", "first", "derniere",
    "last", "deuxieme", "second", "nouvelle", "new", "another", "honestly",
    "franchement", "best", "meilleure", "meilleur", "worst", "pire", "ever", "far", "yet",
    "of", "cycle", "du", "jusqu", "ici", "one", "le", "would", "recommend", "recommande",
    "recommended", "fine",
    # chat's fillers, alone after a mark ("Somewhere between 3 and 4 tbh."): no answer
    "tbh", "ngl", "imo", "lol", "haha", "mdr", "honnetement", "perso",
}
# Where and when to meet again, not an answer ("On se revoit jeudi à 10:00").
_LOGISTICS = re.compile(
    r"\b(?:on se (?:revoit|voit|retrouve|rattrape(?:ra)?)|see you|talk soon"
    r"|(?:we['’]ll|we will|let['’]s) catch up|[àa] (?:lundi|mardi|mercredi|jeudi"
    r"|vendredi)|rendez-vous (?:le|jeudi|lundi)|\d{1,2}(?:h\d{0,2}|:\d\d)\b"
    r"|\b(?:le|du|au|on) \d{1,2}/\d{1,2}\b)", re.IGNORECASE)


# A subject or a verb that makes words a sentence about the session, not an answer.
_CLAUSE = re.compile(
    r"\b(?:i|we|you|he|she|they|it|it's|that's|was|were|is|are|has|had|have|je|j|nous|vous|il"
    r"|elle|ils|elles|on|c|ce|ca|est|etait|sont|etaient|a ete|avait|avaient|ont|suis|sommes"
    r"|merci|thanks|let|lets|rien|nothing|pas|not|no|because|parce|car|since)\b")


# "Oui 4 les TCD les graphiques un cas réel": the yes, the rating, then the answers with
# nothing between them (a phone, in a hurry); never "yes 3 people came".
_RUN_ON = re.compile(
    r"^\W*(?:" + YES + "|" + NO + r")[ \t,]+([1-5])[ \t]+(?!(?:sur|out|of|stars?|[ée]toiles?"
    r"|points?|heures?|hours?|h|min\w*|jours?|days?|fois|times|personnes|people|semaines?|weeks?"
    r"|mois|months?|ans|years?)\b)([^\W\d][^.!?;:/\n]*)$", re.IGNORECASE)
# Where one such answer starts: an article or a possessive, unless a preposition comes
# before it ("la mise en forme de la feuille" is one answer).
_ARTICLE = re.compile(r"(?<=\s)(?:les|le|la|l['’]|un|une|mes|ma|mon|the|a|an|my|our)\b",
                      re.IGNORECASE)
_PREPOSITION = re.compile(r"\b(?:de|d['’]|à|a|au|aux|en|dans|sur|pour|avec|par|of|in|on|for"
                          r"|with|to|from|at|by|and|et|ou|or)\s+$", re.IGNORECASE)


def run_on(text: str) -> list[str]:
    """A one-line reply that gives the yes, the rating and up to three answers without a
    separator, each opening with an article, as [yes, rating, answers...]; more pieces
    than questions stay one answer; [] for any other text."""
    lines = [line for line in text.split("\n") if line.strip() and not small_talk(line)]
    match = _RUN_ON.match(lines[0].strip()) if len(lines) == 1 else None
    if match is not None and not _ARTICLE.match(" " + match.group(2), 1) \
            and len(match.group(2).split()) <= 8 and bare_answer(match.group(2)):
        # "yes 4 ticket writing, acceptance criteria": one answer, no article to cut at
        return [lines[0].strip()[: match.start(1)].strip(" ,"), match.group(1),
                match.group(2).strip()]
    if match is None or len(match.group(2).split()) < 2 or not _ARTICLE.match(
            " " + match.group(2), 1):
        return []  # "Oui 4 très bien": a comment, no answers
    rest = match.group(2)
    cuts = [m.start() for m in _ARTICLE.finditer(rest)
            if not _PREPOSITION.search(rest[: m.start()])]
    pieces = [rest[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(rest)], strict=True)
              if rest[a:b].strip()]
    if len(pieces) > 3:
        pieces = [match.group(2).strip()]
    head = lines[0].strip()[: match.start(1)].strip(" ,")
    return [head, match.group(1), *pieces]


def bare_answer(sentence: str) -> bool:
    """Whether a sentence is only what it names, with no subject nor verb of its own ("Les
    TCD et les segments.", "Pivot tables and slicers"): a list's answer, not a comment."""
    words = re.findall(r"\w+", fold_quotes(sentence))
    return 1 <= len(words) <= 15 and not small_talk(sentence) and not says_held(sentence) \
        and not _CLAUSE.search(" ".join(words)) and not re.search(r"(?<!\w)\d", sentence)


# "On l'a faite ou pas finalement ?": a question whether it took place says nothing of it.
_WHETHER = re.compile(r"[^.!?\n]*\b(?:ou pas|ou non|or not)\b[^.!?\n]*\?")


# "No need to pause or reschedule, I'm running late": what is not needed did not happen.
_NOT_NEEDED = re.compile(r"\b(?:no need|pas besoin|pas la peine|inutile) (?:to |de |d['’])\s*\w+"
                         r"(?:\s+(?:or|ou)\s+\w+)?", re.IGNORECASE)


def held_in(text: str, *, slot: bool = False) -> bool | None:
    """Whether `text` says the session took place; `slot`: it answers that very question,
    so a bare "Oui"/"No" anywhere at its start counts."""
    text = _thumbs_up(_WHETHER.sub("", _NOT_NEEDED.sub("", text)))
    match = _YES_NO.match(text)
    if slot and match and re.fullmatch(YES, match.group(1), re.IGNORECASE) \
            and not _CALLED_OFF.search(text):
        return True  # "Oui mais décalée à 15h": it took place, at another time
    if _BUT_HELD.search(text):
        return True  # "(we rescheduled from Thursday to Friday, but we did meet)"
    if _NOT_HELD.search(text):
        return False
    if match:
        return re.fullmatch(NO, match.group(1), re.IGNORECASE) is None
    if _HELD.search(text):
        return True
    return None


# A change of plan, then that it took place all the same.
_BUT_HELD = re.compile(r"\b(?:but|mais)\s+(?:we |on |nous )?(?:did (?:meet|it|happen)"
                       r"|met (?:anyway|all the same)|s['’]est (?:quand m[êe]me )?vus?"
                       r"|l['’]a (?:quand m[êe]me )?faite|it (?:still )?happened"
                       r"|(?:it )?went ahead)\b", re.IGNORECASE)


# What undoes a yes to "did it take place?" ("Oui... enfin non, annulée"); moved is not.
_CALLED_OFF = re.compile(r"\b(?:annul\w*|cancel\w*|pas eu lieu|didn['’]?t|did not|not held"
                         r"|n['’]a pas|no[- ]show|finalement non|actually no)\b", re.IGNORECASE)


def stated_held(text: str) -> bool | None:
    """Whether anything in `text` says the session took place or not (a bare yes does not)."""
    text = _WHETHER.sub("", _NOT_NEEDED.sub("", text))
    if _BUT_HELD.search(text):
        return True
    if _NOT_HELD.search(text):
        return False
    return True if _HELD.search(text) else None


def _thumbs_up(text: str) -> str:
    """`text` with a thumbs-up opening it read as the yes it stands for ("👍 5"); alone, it
    only acknowledges our mail."""
    return re.sub(r"^\s*👍[\U0001F3FB-\U0001F3FF\ufe0f]*[ \t]+(?=[\w★⭐])", "yes ", text)


def says_held(text: str) -> bool:
    """Whether `text` opens with an answer to "did it take place" (a yes, a no, or says so)."""
    text = _thumbs_up(_WHETHER.sub("", _NOT_NEEDED.sub("", text)))
    return bool(_YES_NO.match(text)) or bool(_NOT_HELD.search(text) or _HELD.search(text))


def small_talk(line: str) -> bool:
    """Whether a line or sentence answers nothing (module docstring), or is a signature."""
    stripped = line.strip()
    if _SMALL_TALK.match(stripped) or _CLOSING.match(stripped.replace("’", "'")) \
            or _SIGNED.match(stripped):
        return True
    if "|" in stripped or re.search(r"\+?\d[\d .]{8,}\d", stripped):
        return True  # "Emma Wilson | Account Manager", a phone number
    if SHRUG.match(stripped):
        return True  # "On verra la prochaine fois.": no subject for it
    words = re.findall(r"\w+", fold(stripped))
    if words and len(words) <= 8 and all(w in _VERDICT_WORDS for w in words):
        return True
    return _LOGISTICS.search(stripped) is not None and len(words) <= 12


_GREETING = re.compile(r"^\W*" + GREETING + r"\b"
                       # a name or a few words ("Bonjour Madame Durand,"), not a clause
                       # nor an answer ("Hi yes it happened, ...")
                       r"(?:(?:[ \t]+(?!(?:" + YES + "|" + NO
                       + r"|it|we|i|on|elle|nous|c['’]est|it['’]s)\b)"
                       r"[^\s,!.]+){0,3}[ \t]*[,!.]\s+(?=\S)"
                       # ... or typed straight on into the yes ("Hiya yes, 4.")
                       r"|[ \t]+(?=" + YES + r"\b))", re.IGNORECASE)


def ungreeted(line: str) -> str:
    """A line without the greeting it opens with ("Bonjour Binôme, oui 5/5" -> "oui 5/5")."""
    return _GREETING.sub("", line, count=1)


def name_like(line: str) -> bool:
    """Whether a line looks like a name or a job title ("Claire Moreau", "Senior Analyst")."""
    words = line.split()
    if not words or len(words) > 5 or line.rstrip().endswith((".", "!", "?", ":", ";", ",")):
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    return bool(alpha) and sum(w[0].isupper() for w in alpha) >= max(1, len(alpha) - 1)


def sign_off(line: str) -> bool:
    """Whether a line closes the message ("Cordialement,", "Thanks,"): a signature follows."""
    return _SIGN_OFF.match(line.strip()) is not None


def last_clause(before: str) -> str:
    """The last clause of a text that comes before some words: where a negation of them,
    or the one they are said of, would be ("..., mais je veux surtout pas arrêter")."""
    return re.split(r"[:;,.!?]|\bmais\b|\bbut\b", before)[-1]


def first_clause(after: str) -> str:
    """The clause a text opens with, up to its first comma or stop ("skip the 12th, I'm on
    leave that week" -> "skip the 12th")."""
    return re.split(r"[,;:.!?]", after)[0]


def sentences(line: str) -> list[str]:
    """The sentences of one line (not cut after "oct." or "M.")."""
    out: list[str] = []
    for piece in _SENTENCE.split(line):
        if out and _ABBREVIATION.search(out[-1][-12:]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece.strip():
            out.append(piece.strip())
    return [s.strip() for s in out if s.strip()]


# An emoji opening a line as its bullet ("⭐ 4", "➡️ Cool-downs next.", "🏊‍♀️ yes"), with
# its joiners, skin tones and variation selectors; never a thumbs-up, which says yes.
_EMOJI_BULLET = re.compile(r"^([ \t]*)(?!👍)(?:" + EMOJI + r"|[\u200d\ufe0f\u20e3"
                           r"\U0001F3FB-\U0001F3FF])+[ \t]*(?=[^\W_]|[«\"'(\[])", re.MULTILINE)


def unbulleted(text: str) -> str:
    """`text` without the emoji its lines open with, when two lines or more do so (a list
    laid out with emoji); one emoji opening one line is the writer's tone, and stays."""
    if len(_EMOJI_BULLET.findall(text)) < 2:
        return text
    return _EMOJI_BULLET.sub(r"\1", text)
