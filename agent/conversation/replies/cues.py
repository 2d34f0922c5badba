"""Sentences that say which of our questions they answer, in French and English.

Terms:
- *cue*: words that name the question a sentence answers: "J'ai appris", "I learned",
  "On a vu" (learned), "je dois encore travailler", "I need to work on", "He needs to"
  (to develop), "La prochaine fois", "Next time", "On continue sur" (next focus). The
  whole sentence is the answer, but for what only leads into it: a rating, a yes, a
  verdict ("Bien, "), a clause set against it ("..., mais ").
- *parts*: a sentence that answers two questions, cut where the second starts.

Nothing here raises.
"""

from __future__ import annotations

import re
import unicodedata

from agent.conversation.replies.yesno import YES

_CUES = {
    "learned": re.compile(
        r"\b(?:j['’ ]?ai|nous avons|on a|il m['’]a|elle m['’]a|m['’]a|m['’]ont|nous a)"
        r" (?:(?:bien|beaucoup|surtout|enfin|vraiment|mieux|quand m[êe]me|tout de m[êe]me"
        r"|aussi|d[ée]j[àa]|pas mal) )?(?:appris|d[ée]couvert|compris)\b"
        # "Je n'ai pas appris grand-chose", "I didn't learn much": an answer all the same.
        r"|\bn['’]?ai (?:pas|rien|pas vraiment|pas beaucoup) (?:appris|d[ée]couvert)\b"
        r"|(?:^\W*|\bj['’ ]?ai )rien (?:appris|d[ée]couvert)\b"  # "Rien appris de nouveau"
        r"|\b(?:i|we) (?:didn['’]?t|did not) (?:really )?learn\b"
        # What one managed: "j'ai fini l'affiche toute seule", "I finally managed to X".
        r"|\bj['’]?ai (?:enfin |finalement |d[ée]j[àa] )?(?:r[ée]ussi [àa]|fini|termin[ée]|su)\b"
        r"|\bi (?:finally |actually )?(?:managed to|finished|nailed)\b"
        # What the learner took in, as their mentor tells it: "Manon a bien compris X",
        # "Rachel is getting the hang of rebasing", "Subqueries make sense now".
        r"|\b(?:il|elle|\w+) a (?:(?:bien|vite|enfin|d[ée]j[àa]|tr[eè]s bien|rapidement|tout de"
        r" suite) )?(?:compris|appris|pris en main|saisi|assimil[ée]|int[ée]gr[ée])\b"
        r"|\b(?:is|are|was|were) (?:really |now )?getting the hang of\b|\bgot the hang of\b"
        r"|\bmakes? (?:a lot more |much more |more )?sense now\b|\bnow makes? sense\b"
        r"|\b(?:is|are) (?:starting|beginning) to make sense\b"
        r"|\bcommencen?t? [àa] (?:rentrer|[êe]tre clairs?|[êe]tre claires?)\b"
        # "Rien de nouveau pour moi", "Not much new": what was learned, nothing.
        r"|^\W*(?:rien de (?:bien |tr[eè]s )?nouveau|pas grand[- ]chose de nouveau"
        r"|nothing (?:really |much )?new|not much new)\b"
        r"|\b(?:he|she|they) (?:has |have )?(?:really |finally |now )?(?:learned|learnt"
        r"|understood|picked up|grasped|nailed)\b|\b(?:quick|fast) learner\b"
        r"|\b\w+ (?:has |have )?(?:really |finally |quickly )?(?:picked up|grasped|mastered)\b"
        # What the session went through, opening the sentence: "On a vu les TCD", "We
        # covered X" (never a remark: "I think we covered budgeting twice").
        r"|^\W*(?:(?:and|et|so|alors|then|puis|ensuite|today|aujourd['’]hui),?\s+)?"
        r"(?:on a|nous avons|we(?:['’]ve| have)?) (?:surtout |beaucoup |bien |mostly |mainly"
        r" |also |really |quand m[êe]me |still )?(?:vu|revu|abord[ée]|couvert|covered"
        r"|went (?:through|over)|looked at|travaill[ée]|pu travailler|worked on|practi[cs]ed"
        r"|pu voir|(?:surtout )?parl[ée] (?:de|du|des)(?! (?:tout|autre chose|choses et d))"
        r"|talked about|discussed"
        # "On a fait le prototypage", "We did get through X" (never "we did it on Monday")
        r"|fait(?! (?:it|[çc]a|cela|la s[ée]ance|une pause|connaissance|le point sur rien)\b)"
        r"|fini|termin[ée]|finished|wrapped up"
        r"|(?:did )?g[eo]t through|did(?! (?:it|not|n't|that|this|so|meet|manage|make|have|go"
        r"|see|talk|speak|start|try|finish|do|end|get(?! through))\b))"
        r"(?! (?:ensemble|together)?\s*(?:qu|que|that|if|si|whether|when|quand)\b)\b"
        # What the person can do now: "now I know how", "je sais maintenant".
        r"|\b(?:now i (?:know|understand|can)|i (?:now|finally) (?:know|understand|get)"
        r"|(?:i|we) can now|i learn how\b"
        r"|je (?:sais|comprends|peux) (?:maintenant|d[ée]sormais|enfin))\b"
        r"|\bgot a (?:much |far |lot )?(?:clearer|better) (?:picture|understanding|idea|view)\b"
        r"|\b(?:i|we)(?:['’]ve| have)? (?:(?:really|finally|also) )?"
        r"(?:learn(?:ed|t)|discovered|understood)\b|\btaught (?:me|us)\b"
        # Someone showed or explained it to the writer: what they took away.
        r"|\b(?:m['’]a|m['’]ont|nous a|nous ont) (?:bien |enfin )?(?:expliqu[ée]|montr[ée]"
        r"|fait (?:d[ée]couvrir|voir|comprendre))\b"
        # "Good session on the risk assessment": what the session was on.
        r"|^\W*(?:good|great|useful|solid|productive|excellent|bonne|super|belle|tr[eè]s bonne)"
        r" (?:session|s[ée]ance) (?:on|about|sur|autour d[eu]|consacr[ée]e [àa])\s"
        r"|\b(?:showed|shown|explained(?: to)?|walked) (?:me|us)\b|\bexplained (?:how|why|what)\b"
        # (... or after a stop, a mark or stars: "4!!! learnt X", "⭐⭐⭐ learnt X")
        r"|(?:^|(?<=, )|(?<=,)|(?<=[.!] )|(?<=[★⭐☆] )|(?<=[★⭐☆]\ufe0f )|(?<=\b[1-5] ))(?:(?:also"
        r"|and also|plus"
        r"|aussi|et) )?(?:appris|learned|learnt)\b"
        # "That I need to slow down.", "Que je parle trop vite.": what was learned, said as
        # the rest of the question ("What did you learn?"), never a wish ("that I would").
        r"|^\W*(?:that|que) (?:i|je)\b(?! (?:would|should|will|still|could|voudrais|devrais"
        r"|pourrais|aimerais|souhaite|dois encore))",
        re.IGNORECASE),
    "to_develop": re.compile(
        # ("jveux encore progresser": "je" run into the verb, as texted)
        r"\b(?:(?:je|j['’]ai|nous|on) |j['’]?(?=(?:veux|dois|voudrais|aimerais)\b))(?:dois|doit"
        r"|devons|veux|voudrais|souhaite|souhaiterais"
        r"|aimerais|ai besoin de|reste [àa]|dois encore|vais devoir)(?: encore)?"
        r" (?:d[ée]velopper|travailler|progresser|am[ée]liorer|approfondir|renforcer|pratiquer"
        r"|apprendre|ma[îi]triser|gagner en|comprendre"
        r"|m['’]entra[iî]ner|consolider|bosser|creuser)\b"
        r"|\b(?:encore|toujours) (?:[àa] )?(?:d[ée]velopper|travailler|am[ée]liorer|bosser)\b"
        # "reste a voir teams.", "Reste l'oral : ...": what is left, opening the sentence
        r"|^\W*(?:(?:et|mais|il)\s+)?reste (?:[àa] (?:voir|bosser|revoir|finir|faire|creuser)\b"
        r"|(?:les?|la|l['’]|mes|mon|ma)\b)"
        # What is left to the learner, as their mentor tells it: "He needs to anticipate X",
        # "She should keep working on Y", "Il lui reste à comprendre Z", "X still scares me".
        r"|\b(?:he|she|they) (?:still )?(?:needs?|has|have) to\b"
        r"|\b(?:he|she|they) (?:should|could|must) (?:keep|continue|work|practi[cs]e|focus|get"
        r" better)\b|\b(?:il|elle) (?:lui|leur) reste\b|\bil (?:lui|leur) faut encore\b"
        r"|\b(?:il|elle) (?:doit|devra) encore\b"
        # "YANN DOIT TRAVAILLER LA RÉGULARITÉ", "still needs to work on scoring": a mentor
        # on the learner, named or left out
        r"|\b\w+ (?:doit|devra) (?:encore )?(?:travailler|bosser|revoir|am[ée]liorer|pratiquer)\b"
        r"|(?:^|(?<=[\s,]))(?:still )?needs (?:to (?:work on|develop|improve|practi[cs]e|get"
        r" better)|more (?:practi[cs]e|work))\b"
        r"|\bil (?:lui )?faut (?:encore |toujours |vraiment )?qu['’](?:il|elle) (?:travaille|bosse"
        r"|revoie|pratique|progresse|am[ée]liore|apprenne|s['’]entra[iî]ne)\b"
        r"|\bstill (?:scares?|confuses?|frightens?|bothers?|trips?) (?:me|him|her|them|us)\b"
        r"|\b(?:me|lui|leur) (?:fait|font) (?:encore|toujours) (?:un peu )?peur\b"
        r"|\bil (?:me|nous) reste\b|\breste [àa] (?:travailler|d[ée]velopper|revoir)\b"
        r"|\b(?:i|we)(?: still)?(?: need| want| would(?: still)? like|['’]d(?: still)? like"
        r"|'d love| have) to"
        r" (?:(?:keep|continue) )?(?:work(?:ing)? on|develop|improve|practi[cs]e|get better)\b"
        r"|\b(?:i|we) still (?:need|want|struggle|have to)\b|\bstill (?:to )?(?:develop|work on)\b"
        r"|\bstill need (?:more |some )?(?:practi[cs]e|work)\b"
        r"|^still need to\b|^(?:encore|toujours) besoin de\b"
        r"|(?:^|(?<=[\s,]))(?:still )?(?:need|want) to (?:get|be|become) (?:\w+er|more \w+)"
        r" (?:at|with|in)\b"  # "... 🙌 need to get quicker at the filters"
        # "Still need the shaping, my boules are flat": what is left, named
        r"|^\W*still need (?:the|my|more|some|a bit more)\b"
        # "il freine encore trop tard", "I still brake too late": what is still wrong
        r"|\b(?:il|elle|je|j|on) \w+ encore trop\b"
        r"|\b(?:he|she|i|we) still \w+ (?:a bit |way )?too\b"
        # "Still want to develop my slides", "wanna get better at X": the subject left out.
        r"|(?:^|(?<=[\s,]))(?:still )?(?:(?:want|need) to|wanna|gotta) (?:(?:keep|continue) )?"
        r"(?:work(?:ing)? on|develop|improve|practi[cs]e|get better)\b"
        r"|\bj['’]ai (?:encore |toujours )?besoin de (?:pratiquer|travailler|revoir"
        r"|m['’]entra[iî]ner|progresser)\b|\bneed (?:more|some more) (?:practi[cs]e|work)\b"
        r"|\bstill (?:unsure|unclear|shaky)\b|\bstill (?:a bit |quite )?(?:fuzzy|hazy|blurry"
        r"|confusing)\b|\b(?:encore|toujours) (?:un peu |assez )?(?:flou|floue|flous|floues"
        r"|confus|confuse|obscur|obscure|pas clair|pas claire|pas clairs)\b"
        r"|\bnot (?:yet|very|really|quite) (?:confident|comfortable|clear|sure)\b"
        r"|\bpas (?:encore |tr[eè]s |vraiment )?(?:[àa] l['’]aise|s[ûu]re?) (?:avec|sur)\b"
        # "I need to get quicker at X", "il faut encore que je bosse X": what is left to do.
        r"|\b(?:i|we) (?:still )?(?:need|have|want) to (?:get|become|be) (?:\w+er|more \w+)"
        r" (?:at|with|in)\b|\b(?:il (?:me )?)?faut (?:encore |toujours |vraiment )*que je\b"
        r"|^still (?:struggl\w*|working on|finding)\b|\b(?:i|we)(?:['’]m| am| are)? (?:still )?"
        r"struggl(?:e|ing) with\b|\bj['’]ai (?:encore |toujours )?du mal (?:avec|[àa])\b"
        # "I'd like more time on the calculations", "j'aimerais plus de temps sur X"
        r"|\b(?:i['’]d|i would) like (?:more|some more) (?:time|practi[cs]e|work) (?:on|with)\b"
        r"|\b(?:j['’]aimerais|je voudrais) (?:plus de|davantage de|encore du) (?:temps|pratique)"
        r" (?:sur|pour|avec)\b"
        # "Faut encore bosser les EX1", "still can't get my head round X", "still confused
        # by Y": what is left, in fewer words.
        r"|^\W*(?:il )?faut (?:encore|toujours) (?:bosser|travailler|revoir|pratiquer)\b"
        r"|\bstill (?:can['’]?t|cannot) (?:get my head (?:a)?round|get|figure out|wrap my head)\b"
        r"|\bstill (?:a bit |quite )?(?:confused|lost) (?:by|with|about|on)\b",
        re.IGNORECASE),
    "next_focus": re.compile(
        r"\bprochaine fois\b"
        r"|\b(?:pour|avant|[àa]|lors de|pendant|d['’]ici) la prochaine s[ée]ance\b"
        r"|^(?:la )?prochaine s[ée]ance\b|\bnext time\b|\b(?:for|before|at|in|during) (?:the|our)"
        r" next session\b|^next session\b|\bla fois prochaine\b|\bnxt time\b"
        r"|\b(?:on|in|for|at) the next one\b|\b(?:focus|concentrate|work) on\b[^.]{0,60}\bnext\W*$"
        # "Printing next, God help us both.": what comes next, named in a few words
        r"|^\W*(?!(?:see you|what|who|and|so)\b)(?:[\w'’-]+\s+){0,3}[\w'’-]+\s+next"
        r"(?:\s+(?:apparently|then|i think|please|hopefully))?\s*(?=[.,!;]|$)"
        # A wish for what we do together ("J'aimerais qu'on prenne le temps sur X", "on
        # pourrait voir X", "Let's finish X"): the next session's, not one's own to develop.
        # What we will do, in the future ("On travaillera X", "We'll go over Y"), opening
        # the sentence; never where or when ("on se verra jeudi"), nor "on verra" (we will see).
        r"|^\W*(?:(?:et|and|then|puis|ensuite|alors|so|next|apr[èe]s)\W+)?(?:(?:on|nous)\s+"
        r"(?:(?:se concentrera|s['’]attaquera|travaillera|fera|reprendra|attaquera|regardera"
        r"|continuera|approfondira|abordera|finira|terminera|pr[ée]parera|r[ée]p[ée]tera"
        r"|creusera|testera|reverra|bossera|pratiquera|simulera)"
        r"|(?:nous concentrerons|travaillerons|ferons|reprendrons|attaquerons|regarderons"
        r"|continuerons|aborderons|finirons|terminerons|pr[ée]parerons|r[ée]p[ée]terons"
        r"|creuserons|pratiquerons))"
        r"|we(?:['’]ll| will| are going to|['’]re going to)\s+(?:work on|look at|look into"
        r"|go over|go through|focus on|tackle|practi[cs]e|cover|continue|dig into|revisit"
        r"|start on|rehearse|move on to))\b(?!\s*(?:bien|[çc]a|cela|plus tard|si|comment|quand"
        r"|how|if|when|la semaine|demain|later|next week|tomorrow)\b|\s*[.!?]|\s*$"
        r"|\s*(?:la|le|notre|cette|the|our|this|next)\s+"
        r"(?:s[ée]ance|session|meeting|r[ée]union|call|one)\b)"
        # "On continue sur les TCD", "We carry on with X": what comes next, opening the sentence.
        r"|^\W*(?:(?:et|and|then|puis|ensuite|alors|so)\W+)?(?:(?:on|nous)\s+(?:continue|continuons"
        r"|poursuit|poursuivons|encha[îi]ne|encha[îi]nons|attaque|attaquons)\s+(?:sur|avec|par"
        r"|le|la|les|l['’])|we\s+(?:continue|carry on|keep going|move on) (?:with|on|to)"
        r"|next step(?: is|:)|prochaine [ée]tape\s*(?::|c['’]est|(?=\s+(?!(?:le|du|on|the)\s+\d"
        r"|\d)\w)))"
        # "On va maintenant préparer X", "We're now going to rehearse Y": what comes next.
        r"|^\W*(?:(?:et|puis|ensuite|alors|and|then|so)\W+)?(?:(?:on|nous)\s+(?:va|allons)"
        r"|we(?:['’]re| are) (?:now )?going to|we(?:['’]ll| will) now)\s+(?:maintenant |ensuite"
        r" |donc )?(?:pr[ée]parer|travailler|voir|attaquer|reprendre|passer [àa]|continuer|revoir"
        r"|approfondir|aborder|simuler|r[ée]p[ée]ter|creuser|tester|finir|terminer|prepare"
        r"|work on|rehearse|tackle|practi[cs]e|review|look at|move on to|go over|finish)\b"
        r"|\b(?:j['’]aimerais|je voudrais|je souhaite|je souhaiterais|i(?:['’]d| would) like)"
        r" (?:qu['’]on|que nous|qu['’]ensemble on|(?:us|we) to)\b"
        r"|^\W*(?:(?:et |and |alors |so |maybe |perhaps |peut-[êe]tre )?"
        r"(?:on pourrait|nous pourrions|on devrait|let['’]?s|we (?:could|should)))\b"
        # ... but not where and when to meet ("Let's keep the next one", "on pourrait se
        # voir"), a regret nor what is possible now ("We should have", "we could finally").
        r"(?!\s*(?:se (?:voir|retrouver|parler|caler|revoir)|keep|meet|talk|speak|catch up|see"
        r"|reschedule|move|book|find a|do that|have|not|never|now|finally|only|already|also"
        r"|barely|hardly)\b|n['’]t)",
        re.IGNORECASE),
}
# A sentence that opens on the next session says what it is for, whatever verb follows.
_LEAD_NEXT = re.compile(r"^\W*(?:(?:and|et|so|alors|donc|also|aussi|puis|then)\s+)?"
                        r"(?:(?:for )?next time|(?:(?:pour|pr|à|a) )?la prochaine fois"
                        r"|prochaine fois"
                        r"|(?:pour|pr) la prochaine(?! s[ée]ance)"
                        r"|la fois prochaine"
                        r"|(?:for |at |in )?(?:the |our )?next (?:session|meeting|call)"
                        r"|(?:pour |à |a |lors de )?"
                        r"(?:la |notre )?prochaine s[ée]ance|next one)\b", re.IGNORECASE)
# Where a rating ends before a sentence goes on ("Super séance ⭐⭐⭐⭐⭐ j'ai appris...").
_MARK = re.compile(r"[★☆⭐\ufe0f]+\s*|\b\d{1,3}\s*/\s*\d{1,3}\b[\s!.]*"
                   # "ok c bon 4 sur 5 jai compris X", "three out of five"
                   r"|\b(?:[1-9]|10|one|two|three|four|five|un|deux|trois|quatre|cinq)\s+(?:sur"
                   r"|out of)\s+(?:5|10|five|cinq|ten|dix)\b[\s!.,]*"
                   r"|\b[1-5]\s+(?:i guess|i think|maybe|for sure|je pense|je dirais)\b[\s,]*")
# What may come before an answer's cue without being part of it: a verdict and a comma
# ("Bien, ", "Great, "), or a clause set against it ("..., but ", "... mais ").
_VERDICT_LEAD = re.compile(r"\W*(?:bien|tr[eè]s bien|super|top|great|good|nice|cool|ok|okay|bref"
                           r"|anyway|honestly|franchement)\s*[,!:]\s*", re.IGNORECASE)
_CONTRAST = re.compile(r"[^.!?]{8,}?[ ,]+(?:mais|but)\s+", re.IGNORECASE)
# A yes and a rating typed before a sentence without a stop ("oui 5 ", "yes 4 - ").
_YES_AND_MARK = re.compile(
    r"\W*" + YES + r"\b[\s,.!–—-]*(?:[1-5](?:\s*/\s*5)?\b[\s,.!–—-]*)?", re.IGNORECASE)
# A rating, after a yes or not, typed before a sentence ("yes! 5 kit showed me X").
_MARK_LEAD = re.compile(r"\W*(?:" + YES + r"\b[\s,.!–—-]*)?[1-5](?:\s*/\s*5)?\b[\s,.!–—-]*",
                        re.IGNORECASE)
# Where a second answer joins the first in one sentence: "..., and ", " et ", "; ".
_JOINT = re.compile(r"(?:,\s*|\s)(?:and|et|but|mais|then|puis)\s+$|[,;]\s+$", re.IGNORECASE)
_MEET_AGAIN = re.compile(r"^\W*(?:(?:we['’]ll|we will|let['’]s|on se|on va se|nous nous)\s+"
                         r"(?:catch up|rattrape(?:ra)?|reverra|revoit|retrouvera"
                         r"|pick (?:it|this|that|things)? ?up|reprendra)\b[^.!?]{0,30}[.!]*$"
                         r"|(?:should|will|we['’]ll|on devrait|[çc]a devrait) (?:be )?"
                         r"(?:back on track|rentrer dans l['’]ordre)\b[^.!?]{0,20}[.!]*$"
                         r"|(?:hopefully|j['’]esp[èe]re|on esp[èe]re|fingers crossed for)\s+"
                         r"(?:next time|la prochaine fois|next week|la semaine prochaine)\W*$"
                         # "Next one is in the diary.", "Will answer next time!": when, or the
                         # answers promised, never what the session is for
                         r"|(?:the )?next (?:one|session) is (?:in the diary|booked|scheduled"
                         r"|planned|on the calendar)(?: anyway| already)?\W*$"
                         r"|(?:i['’]ll |i will |will )?(?:answer|reply|fill (?:it|this) in)"
                         r" next time\W*$"
                         r"|(?:je )?(?:r[ée]pondrai|compl[èe]terai) la prochaine fois\W*$)",
                         re.IGNORECASE)


# "On verra la prochaine fois.", "Le reste on verra la prochaine fois j'ai pas le temps":
# a shrug, never "On verra ça la prochaine fois avec les chiffres d'octobre".
SHRUG = re.compile(r"^\W*(?:le reste,? |the rest,? )?(?:on verra|nous verrons|we['’]ll see)"
                    r"(?: [çc]a| the rest)? (?:la prochaine fois|next time)\s*(?:[.!…]*$"
                    r"|[,;]?\s*(?:j['’]ai|je|j|i|i['’]m|we|on|il|elle|les|the)\b)",
                    re.IGNORECASE)
# "Nothing new to add", "Rien de neuf à signaler": nothing said, not "nothing new learned".
_NOTHING_TO_ADD = re.compile(r"^\W*(?:nothing|rien)(?: new| more| else| de neuf| de nouveau"
                             r"| de plus| d['’]autre)? (?:to add|to report|[àa] ajouter"
                             r"|[àa] signaler)\b",
                             re.IGNORECASE)


def cue_of(sentence: str) -> tuple[str, str] | None:
    """The question a sentence names (learned, to_develop, next_focus) and its answer: the
    whole sentence, or its last clause when what comes before answered something else
    ("it took place, 4/5, I learned X" -> "I learned X")."""
    # "10/10 Ben explained how...": a mark typed before the sentence is the rating's.
    sentence = re.sub(r"^\W*\d{1,3}\s*/\s*\d{1,3}\b[\s.,;:!–—-]*(?=\w)", "", sentence)
    if _NOTHING_TO_ADD.match(sentence):
        return None  # "Nothing new to add this time": no answer, though "nothing new" may be
    if _MEET_AGAIN.search(sentence) or SHRUG.match(sentence):
        return None  # "We'll catch up next time", "On se rattrape la prochaine fois": when
    if _LEAD_NEXT.match(sentence):
        return "next_focus", sentence  # "Next time I'd like to practise X": when, then what
    # "Pour la suite, voir avec Amandine X": what comes next; never a wish of one's own
    # ("Pour la suite je voudrais être plus autonome") nor a shrug ("je sais pas encore")
    after = re.match(r"^\W*(?:et\s+)?pour la suite\s*[,:]?\s+(?!d[ue]s?\b|de la\b"
                     r"|je (?:voudrais|veux|souhaite|souhaiterais|aimerais|dois|ne sais|sais)\b"
                     r"|jsp\b|aucune id[ée]e|on verra|nous verrons)", sentence, re.IGNORECASE)
    if after is not None:
        return "next_focus", sentence[after.end():]
    relative = _RELATIVE_LEAD.match(sentence)
    if relative is not None and not re.search(r"\b(?:c['’]est|c['’][ée]tait|is|was)\b",
                                              relative.group(1), re.IGNORECASE):
        # "Ce qu'il a appris, je crois : X", "The thing I learned: X": the question, asked
        # back as a label, then the answer ("Ce que j'aimerais travailler, c'est la
        # synthèse : ..." gives it before the colon, and stays whole)
        named = cue_of(relative.group(1))
        if named is not None:
            return named[0], sentence[relative.end():].strip()
    for name, cue in _CUES.items():
        match = cue.search(sentence)
        if match:
            before = sentence[: match.start()]
            cut = max([before.rfind(sep) + 2 for sep in (", ", ": ") if sep in before]
                      + [m.end() for m in _MARK.finditer(before)], default=0)
            if re.search(r"(?:\b[1-5]|[★⭐☆!]|\ufe0f)\s$", before):
                cut = len(before)  # "went ahead 4 learned X", "⭐⭐⭐ learnt X": after the mark
            head = _YES_AND_MARK.fullmatch(before)
            led = _MARK_LEAD.match(before)
            if head is None and led is not None and len(before[led.end():].split()) <= 2:
                cut = max(cut, led.end())  # "yes! 5 kit showed me X": the subject opens it
            if head is not None or cut == 0 and re.search(r"\b[1-5]\b", before) \
                    and _OWN_CLAUSE.match(sentence, match.start()):
                # "oui 5 jai compris X", "oui on l a faite je mets 4 j ai appris X": typed
                # on without a stop, the answer starts at its own words.
                cut = max(cut, len(before))
            if cut > 0 and re.search(r"\d|[★⭐]|\b(?:oui|yes|took place|a eu lieu)\b", before,
                                     re.I):
                # "Je mets ★★★★★ parce que j'ai enfin compris X": the reason's word leads in
                return name, re.sub(r"^(?:parce que|parce qu['’]|because|car|since)\s*", "",
                                    sentence[cut:].strip(), flags=re.I)
            # "Bien, Karim m'a montré X": a verdict before; "Je suis toujours stressée mais
            # j'ai compris X": a contrast before; neither is part of the answer.
            lead = _VERDICT_LEAD.match(sentence) or _CONTRAST.fullmatch(before)
            if lead is not None and lead.end() <= match.start():
                return name, sentence[lead.end():].strip()
            return name, _unadorned(sentence.lstrip("«“\"' "))
    return None


# The question turned into a clause up to a colon ("Ce qu'elle doit encore travailler :",
# "Le truc que j'ai vraiment appris :", "What he learned, I think:").
_RELATIVE_LEAD = re.compile(r"^\W*(?:(?:and|et|so|alors|donc)\s+)?((?:ce qu['’e]\s?"
                            r"|le truc qu['’e]\s?|la chose qu['’e]\s?|ce dont |what "
                            r"|the (?:main |one |big )?things? (?:that )?)[^:.!?]{3,60}?)\s*:\s*"
                            r"(?=\S)", re.IGNORECASE)
# The article before "prochaine fois" / "next time", part of that answer ("..., la prochaine
# fois on fait X").
_NEXT_ARTICLE = re.compile(r"(?:\b(?:pour |à |a )?la |\bfor |\bthe )$")


def cue_starts(text: str) -> list[int]:
    """Where, in a text typed on without stops, a clause that names one of our questions
    starts ("... j'ai appris X je voudrais encore développer Y la prochaine fois Z"): at
    the words of its own clause, with the article of "la prochaine fois"."""
    starts = []
    for cue in _CUES.values():
        for match in cue.finditer(text):
            start = match.start()
            lead = _NEXT_ARTICLE.search(text[:start])
            if lead and re.match(r"(?:prochaine|next)\b", text[start:], re.IGNORECASE):
                start = lead.start()
            start = _subject_start(text, start)
            if _OWN_CLAUSE.match(text, match.start()) or _LEAD_NEXT.match(text[start:]):
                starts.append(start)
    return starts


def _subject_start(text: str, start: int) -> int:
    """Where the clause whose cue starts at `start` starts: at its subject ("c'est encore
    flou", "it's still fuzzy"), or at "faudra" ("faudra encore bosser X"), unless a relative
    began it before ("ce qu'il faut encore développer")."""
    subject = re.search(r"(?:\bc['’ ]?est|\bit['’]?s|\bit is|\bi['’]?m|\bje suis|\bca reste"
                        r"|\b[çc]a reste|\b(?:il )?(?:faut|faudra|faudrait))\s+$",
                        text[:start], re.IGNORECASE)
    if subject is None or re.search(r"\bqu['’]\s*$", text[: subject.start()]):
        return start
    return subject.start()


def _unadorned(answer: str) -> str:
    """An answer without the emoji or stars it opens with ("✨ Inès a compris X" -> "Inès a
    compris X"); one closing it is the writer's tone, and stays ("... mes slides 😅")."""
    start = 0
    while start < len(answer) and (unicodedata.category(answer[start]) in ("So", "Sk", "Cf")
                                   or answer[start].isspace()):
        start += 1
    return answer[start:]


def cue_parts(sentence: str) -> list[str]:
    """A sentence that answers two questions cut in two where the second starts ("I learned
    X and I want to keep working on Y", "J'ai appris X, et je dois encore travailler Y");
    otherwise the sentence whole."""
    first = cue_of(sentence)
    if first is None:
        return [sentence]
    # "jai compris les boucles for les dictionnaires encore flou": typed without a stop,
    # the last thing named, and said to be unclear still, is what is left to develop.
    tail = _UNCLEAR_TAIL.search(sentence)
    if first[0] == "learned" and tail and cue_of(sentence[: tail.start()]) is not None:
        return [sentence[: tail.start()].strip(), tail.group(1).strip()]
    for name, cue in _CUES.items():
        if name == first[0]:
            continue
        for match in cue.finditer(sentence):
            start = match.start()
            lead = _NEXT_ARTICLE.search(sentence[:start])
            if name == "next_focus" and lead:
                start = lead.start()  # ", la prochaine fois on fait X": the article too
            head = sentence[:start]
            joint = _JOINT.search(head)
            if joint and cue_of(head[: joint.start()]) is not None:
                # "X, still need Y, next time Z": what comes before may answer two
                return [*cue_parts(head[: joint.start()].strip()),
                        *cue_parts(sentence[start:].strip())]  # and a third after it
            # "jai appris les raccourcis faut que je bosse les macros": typed on without a
            # stop, a clause of its own (a subject, "faut") starts the second answer, unless
            # the first leads into it ("I learned that I still need...").
            # (a stop closing a run-on typed all in lower case does not count)
            if (not re.search(r"[,.;:!?](?!\W*$)" if sentence[:1].islower() else r"[,.;:!?]",
                              sentence)
                    and _OWN_CLAUSE.match(sentence, start)
                    and not _LEADS_ON.search(head) and cue_of(head) is not None
                    and len(head.split()) >= 4):
                start = _subject_start(sentence, start)
                head = sentence[:start]
                return [head.strip(), *cue_parts(sentence[start:].strip())]  # and a third
    # "Je dois encore travailler X, on pourrait regarder Y la prochaine fois": a clause
    # after a comma that names another question on its own.
    for comma in re.finditer(r",\s+", sentence):
        opening, rest = sentence[: comma.start()], sentence[comma.end():]
        second, before = cue_of(rest), cue_of(opening)
        if second is not None and second[0] != first[0] and second[1] == rest \
                and before is not None and before[0] == first[0] \
                and not re.match(r"(?:que|qu['’]|that|which|qui)\b", rest, re.IGNORECASE):
            # (", que je confonds encore avec le bilan": a relative clause goes on)
            return [opening.strip(), *cue_parts(rest.strip())]  # and a third after it
    return [sentence]


_OWN_CLAUSE = re.compile(r"(?:je|j['’ ]?|il|faut|i|we|nous|on|still|encore|(?:need|want) to"
                         r"|(?:la )?prochaine fois"
                         r"|next time)\b", re.IGNORECASE)
_LEADS_ON = re.compile(r"\b(?:que|qu['’]|that|de|d['’]|to|how|comment|why|pourquoi|à|a)\s*$",
                       re.IGNORECASE)
_UNCLEAR_TAIL = re.compile(
    r"\s((?:les|le|la|l['’]|des|du|the|my|mes|ma|mon)\s(?:(?!\b(?:les|le|la|des|du|the|my|mes|ma"
    r"|mon)\b)[^,.;!?]){1,60}?\b(?:encore|toujours|still)\s+(?:un peu\s+|a bit\s+)?(?:flou|floue"
    r"|flous|floues|confus|confuse|pas clairs?|pas claires?|unclear|fuzzy|hazy|blurry|confusing)"
    r"\W*)$", re.IGNORECASE)
