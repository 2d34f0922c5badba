"""Sentences that say what they answer, in French and English.

Terms:
- *cue*: words that name the question a sentence answers: "J'ai appris",
  "I learned" (learned), "je dois encore travailler", "I need to work on" (to
  develop), "La prochaine fois", "Next time" (next focus). The whole sentence is
  the answer.
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

from agent.conversation.replies.dates import fold, fold_quotes

_CUES = {
    "learned": re.compile(
        r"\b(?:j['’ ]?ai|nous avons|on a|il m['’]a|elle m['’]a|m['’]a|m['’]ont|nous a)"
        r" (?:(?:bien|beaucoup|surtout|enfin|vraiment|mieux|quand m[êe]me|tout de m[êe]me"
        r"|aussi|d[ée]j[àa]|pas mal) )?(?:appris|d[ée]couvert|compris)\b"
        # "Je n'ai pas appris grand-chose", "I didn't learn much": an answer all the same.
        r"|\bn['’]?ai (?:pas|rien|pas vraiment|pas beaucoup) (?:appris|d[ée]couvert)\b"
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
        r"|\b(?:he|she|they) (?:has |have )?(?:really |finally |now )?(?:learned|learnt"
        r"|understood|picked up|grasped|nailed)\b|\b(?:quick|fast) learner\b"
        # What the session went through, opening the sentence: "On a vu les TCD", "We
        # covered X" (never a remark: "I think we covered budgeting twice").
        r"|^\W*(?:(?:and|et|so|alors|then|puis|ensuite|today|aujourd['’]hui),?\s+)?"
        r"(?:on a|nous avons|we(?:['’]ve| have)?) (?:surtout |beaucoup |bien |mostly |mainly"
        r" |also |really |quand m[êe]me |still )?(?:vu|revu|abord[ée]|couvert|covered"
        r"|went (?:through|over)|looked at|travaill[ée]|pu travailler|worked on|practi[cs]ed"
        r"|pu voir)"
        r"(?! (?:ensemble|together)?\s*(?:qu|que|that|if|si|whether|when|quand)\b)\b"
        # What the person can do now: "now I know how", "je sais maintenant".
        r"|\b(?:now i (?:know|understand|can)|i (?:now|finally) (?:know|understand|get)"
        r"|je (?:sais|comprends|peux) (?:maintenant|d[ée]sormais|enfin))\b"
        r"|\bgot a (?:much |far |lot )?(?:clearer|better) (?:picture|understanding|idea|view)\b"
        r"|\b(?:i|we)(?:['’]ve| have)? (?:(?:really|finally|also) )?"
        r"(?:learn(?:ed|t)|discovered|understood)\b|\btaught (?:me|us)\b"
        # Someone showed or explained it to the writer: what they took away.
        r"|\b(?:m['’]a|m['’]ont|nous a|nous ont) (?:bien |enfin )?(?:expliqu[ée]|montr[ée]"
        r"|fait (?:d[ée]couvrir|voir|comprendre))\b"
        r"|\b(?:showed|shown|explained(?: to)?|walked) (?:me|us)\b|\bexplained (?:how|why|what)\b"
        r"|(?:^|(?<=, )|(?<=,))(?:(?:also|and also|plus|aussi|et) )?(?:appris|learned|learnt)\b"
        # "That I need to slow down.", "Que je parle trop vite.": what was learned, said as
        # the rest of the question ("What did you learn?"), never a wish ("that I would").
        r"|^\W*(?:that|que) (?:i|je)\b(?! (?:would|should|will|still|could|voudrais|devrais"
        r"|pourrais|aimerais|souhaite|dois encore))",
        re.IGNORECASE),
    "to_develop": re.compile(
        r"\b(?:je|j['’]ai|nous|on) (?:dois|doit|devons|veux|voudrais|souhaite|souhaiterais"
        r"|aimerais|ai besoin de|reste [àa]|dois encore|vais devoir)(?: encore)?"
        r" (?:d[ée]velopper|travailler|progresser|am[ée]liorer|approfondir|renforcer|pratiquer"
        r"|apprendre|ma[îi]triser|gagner en"
        r"|m['’]entra[iî]ner|consolider|bosser|creuser)\b"
        r"|\b(?:encore|toujours) (?:[àa] )?(?:d[ée]velopper|travailler|am[ée]liorer)\b"
        # What is left to the learner, as their mentor tells it: "He needs to anticipate X",
        # "She should keep working on Y", "Il lui reste à comprendre Z", "X still scares me".
        r"|\b(?:he|she|they) (?:still )?(?:needs?|has|have) to\b"
        r"|\b(?:he|she|they) (?:should|could|must) (?:keep|continue|work|practi[cs]e|focus|get"
        r" better)\b|\b(?:il|elle) (?:lui|leur) reste\b|\bil (?:lui|leur) faut encore\b"
        r"|\b(?:il|elle) (?:doit|devra) encore\b"
        r"|\bstill (?:scares?|confuses?|frightens?|bothers?|trips?) (?:me|him|her|them|us)\b"
        r"|\b(?:me|lui|leur) (?:fait|font) (?:encore|toujours) (?:un peu )?peur\b"
        r"|\bil (?:me|nous) reste\b|\breste [àa] (?:travailler|d[ée]velopper|revoir)\b"
        r"|\b(?:i|we)(?: still)?(?: need| want| would like|['’]d like|'d love| have) to"
        r" (?:(?:keep|continue) )?(?:work(?:ing)? on|develop|improve|practi[cs]e|get better)\b"
        r"|\b(?:i|we) still (?:need|want|struggle|have to)\b|\bstill (?:to )?(?:develop|work on)\b"
        r"|\bstill need (?:more |some )?(?:practi[cs]e|work)\b"
        r"|^still need to\b|^(?:encore|toujours) besoin de\b"
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
        r"struggl(?:e|ing) with\b|\bj['’]ai (?:encore |toujours )?du mal (?:avec|[àa])\b",
        re.IGNORECASE),
    "next_focus": re.compile(
        r"\bprochaine fois\b"
        r"|\b(?:pour|avant|[àa]|lors de|pendant|d['’]ici) la prochaine s[ée]ance\b"
        r"|^(?:la )?prochaine s[ée]ance\b|\bnext time\b|\b(?:for|before|at|in|during) (?:the|our)"
        r" next session\b|^next session\b|\bla fois prochaine\b"
        r"|\b(?:on|in|for|at) the next one\b|\b(?:focus|concentrate|work) on\b[^.]{0,60}\bnext\W*$"
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
_LEAD_NEXT = re.compile(r"^\W*(?:(?:and|et|so|alors|also|aussi|puis|then)\s+)?(?:(?:for )?next time"
                        r"|(?:(?:pour|à|a) )?la prochaine fois|prochaine fois|la fois prochaine"
                        r"|(?:for |at |in )?(?:the |our )?next session|(?:pour |à |a |lors de )?"
                        r"(?:la |notre )?prochaine s[ée]ance|next one)\b", re.IGNORECASE)
# Where a rating ends before a sentence goes on ("Super séance ⭐⭐⭐⭐⭐ j'ai appris...").
_MARK = re.compile(r"[★☆⭐\ufe0f]+\s*|\b\d{1,3}\s*/\s*\d{1,3}\b[\s!.]*")
# What may come before an answer's cue without being part of it: a verdict and a comma
# ("Bien, ", "Great, "), or a clause set against it ("..., but ", "... mais ").
_VERDICT_LEAD = re.compile(r"\W*(?:bien|tr[eè]s bien|super|top|great|good|nice|cool|ok|okay|bref"
                           r"|anyway|honestly|franchement)\s*[,!:]\s*", re.IGNORECASE)
_CONTRAST = re.compile(r"[^.!?]{8,}?[ ,]+(?:mais|but)\s+", re.IGNORECASE)
# A yes and a rating typed before a sentence without a stop ("oui 5 ", "yes 4 - ").
_YES_AND_MARK = re.compile(
    r"\W*(?:oui|yes|yep|yeah)\b[\s,.!–—-]*(?:[1-5](?:\s*/\s*5)?\b[\s,.!–—-]*)?", re.IGNORECASE)
# Where a second answer joins the first in one sentence: "..., and ", " et ", "; ".
_JOINT = re.compile(r"(?:,\s*|\s)(?:and|et|but|mais|then|puis)\s+$|[,;]\s+$", re.IGNORECASE)
_NOT_HELD = re.compile(
    r"\b(?:n['’]a|n['’]ont|n['’]avons|n['’]ai) (?:pas|jamais) (?:pu |encore )?(?:eu lieu|avoir lieu"
    r"|nous voir|nous retrouver|se voir|nous r[ée]unir|faire la s[ée]ance)"
    r"|\bpas eu lieu\b|\b(?:on|nous) ne (?:s['’]est|nous sommes) pas (?:vus?|vues|retrouv[ée]e?s)\b"
    r"|\bpas pu (?:avoir lieu|nous voir|se voir|se retrouver|nous retrouver)\b"
    r"|\bannul[ée]e?s?\b|\breport[ée]e?s?\b|\bd[ée]cal[ée]e?s?\b|\bne s['’]est pas tenue\b"
    r"|\bon a d[ûu] (?:annuler|reporter|d[ée]caler)\b|\bsaut[ée]e\b"
    r"|\b(?:didn['’]?t|did not|never) (?:happen|take place|meet|go ahead)\b"
    r"|\b(?:could not|couldn['’]?t|were not able to|weren['’]t able to|were unable to"
    r"|did not get to|didn['’]t get to) (?:meet|make it|hold it|have (?:it|the session))\b"
    r"|\bcancell?ed\b|\bpostponed\b|\bresched?uled?\b"
    r"|\b(?:didn['’]?t|did not|couldn['’]?t|could not) manage to (?:meet|make it|see each other)\b"
    r"|^\W*(?:not this time|pas cette fois(?:-ci)?)\b|\bpas pu se faire\b"
    r"|^\W*not held\b|\b(?:we |i )?moved (?:it|the session|our session)\b"
    r"|\b(?:l['’]a|l['’]avons|l['’]ont) (?:d[ée]plac[ée]e|d[ée]cal[ée]e|repouss[ée]e)\b"
    r"|^\W*(?:pas de s[ée]ance|no session|no meeting)\b"
    r"|\bhad to (?:cancel|reschedule|postpone|skip it)\b"
    r"|\bno[- ]show\b|\bwasn['’]?t held\b|\bwas not held\b"
    r"|^\W*(?:sadly|unfortunately|malheureusement|h[ée]las)[,\s]+(?:not|pas)\b"
    r"|\b(?:push(?:ed)?|moved|bumped) (?:it|the session|our session) (?:back |out )?to\b"
    r"|\b(?:it|the session|our session) (?:got|was|has been) (?:moved|pushed|bumped)\b"
    r"|\b(?:la |l['’])(?:repousser|reporter|d[ée]caler|d[ée]placer)\b|\bskipped it\b"
    r"|^\W*(?:not yet|pas encore)\b"
    r"|^\W*not (?:took|taken|take) place\b|\bdid(?:n['’]t| not) took place\b", re.IGNORECASE)
_HELD = re.compile(
    r"\ba (?:bien |effectivement )?eu lieu\b|\bs['’]est (?:bien )?(?:tenue|d[ée]roul[ée]e)\b"
    r"|\bs[ée]ance (?:r[ée]alis[ée]e|faite|tenue|effectu[ée]e)\b|\bon s['’]est (?:bien )?vus?\b"
    r"|\bnous nous sommes (?:bien )?(?:vus|vues|retrouv[ée]s)\b|\bpendant la s[ée]ance\b"
    r"|\btook place\b|\bit (?:did|happened)\b|\bdid happen\b|\bwe (?:did )?(?:met|meet)\b"
    r"|\b(?:session|meeting|it) (?:was |has )?happen(?:ed)?\b"
    r"|\b(?:la s[ée]ance|elle|the session|it) (?:a |has |only )?(?:dur[ée]|lasted)\b"
    r"|^\W*(?:short|quick|brief) (?:session|meeting)\b"
    r"|^\W*(?:s[ée]ance|r[ée]union) (?:courte|rapide|[ée]clair)\b"
    r"|\bduring (?:the|our|this) session\b|\bhas taken place\b|\bwent ahead\b"
    r"|\b(?:session|meeting|it) (?:happened|went (?:well|fine|great|ok))\b"
    r"|\bs['’]est (?:bien |tr[eè]s bien |super bien )?pass[ée]e\b|\bs[ée]ance faite\b"
    r"|\bon s['’]est (?:bien )?retrouv[ée]e?s\b|\bon l['’]a (?:bien )?faite\b"
    r"|\b(?:on a|nous avons) (?:bien )?fait (?:la|notre|cette) s[ée]ance\b"
    r"|\bcaught up\b|\bmet (?:up|as planned|as usual|yesterday|today|on \w+day)\b"
    r"|^\W*met\b|\b(?:session|meeting) (?:done|held)\b|\b(?:had|did) (?:the|our) session\b"
    # A session judged took place ("Great session", "Séance ok", "Très bonne séance").
    r"|\b(?:great|good|nice|useful|productive|excellent|lovely|solid|helpful|fun|brilliant"
    r"|fantastic|interesting|super) (?:session|meeting)\b"
    r"|\b(?:bonne|super|belle|excellente|chouette|superbe) s[ée]ance\b"
    r"|\bs[ée]ance (?:ok|top|super|g[ée]niale|utile|tr[eè]s utile|int[ée]ressante|productive"
    r"|sympa|riche|efficace)\b",
    re.IGNORECASE)
# "Oui," / "No." / "yes it did" at the very start; "No problem" is not an answer, so a
# separator, the end, or a word that goes on answering must follow.
_YES_NO = re.compile(
    r"^\W*(?:(?:unfortunately|sadly|malheureusement|h[ée]las)[, \t]+)?"
    r"(oui|yes|yep|yeah|yup|non|no|nope)\b(?:[ \t]*(?:[,.!;:)]|[-–—]|$|\("
    r"|[\u2600-\u27bf\U0001f300-\U0001faff])"
    r"|[ \t]+(?=(?:\d|elle|it|we|on|nous|tout|bien|absolument|of course|c['’]est|c['’][ée]tait"
    r"|mais|but|en|in|sur"
    r"|h[ée]las|malheureusement|unfortunately|sadly"
    r"|comme|as|super|tr[eè]s|very|great|top|eu lieu|a eu lieu|happened)\b))", re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^\W*(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|dear|cher|ch[èe]re|merci|thanks|thank you"
    r"|thx|cordialement|bien cordialement|bien [àa] (?:vous|toi)|bonne (?:journ[ée]e|soir[ée]e|fin)"
    r"|[àa] (?:bient[ôo]t|plus|jeudi|lundi|mardi|mercredi|vendredi)|regards|best|kind regards"
    r"|cheers|see you|d[ée]sol[ée]e?|sorry|voici|here (?:are|is)|voir (?:mes|ci)|see (?:my|below)"
    r"|apologies|my apologies|pardon|excusez-moi|toutes mes excuses|mes excuses"
    r"|r[ée]ponses? (?:ci-dessous|dans le texte|ci-apr[èe]s)|answers? below|my answers"
    r"|bises|bisous|amicalement|belle journ[ée]e|have a (?:good|nice)|talk soon"
    r"|envoy[ée] (?:de|depuis)"
    r"|sent from|get outlook|obtenir outlook|obtenez outlook|p\.?\s?s\.?(?=\s*:)"
    # "More later", "je complèterai plus tard": an answer promised, none given.
    r"|more (?:to come )?later|more soon|(?:la )?suite (?:plus tard|bient[ôo]t)"
    r"|(?:more )?details (?:later|to follow|when)|d[ée]tails plus tard"
    r"|je compl[èe]terai|i['’]ll (?:add|write|send) more"
    r"|je (?:vous )?r[ée]ponds? (?:ce soir|demain|plus tard|d[èe]s que)|je (?:vous )?r[ée]pondrai"
    r"|i['’]ll (?:reply|answer|get back to you)(?: properly)? (?:later|tonight|tomorrow|soon)"
    # "Je n'ai pas grand-chose à ajouter", "Nothing more to add": no answer.
    r"|(?:je n['’]ai )?(?:pas grand[- ]chose|rien (?:de plus|d['’]autre)?) [àa] ajouter"
    r"|nothing (?:more |else )?to add|not much (?:more |else )?to add"
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
    r"|amicalement|many thanks)\W*$", re.IGNORECASE)
# A sentence ends at its stop, or at an emoji before a capital ("would recommend 😄 Learned X").
_SENTENCE = re.compile(r"(?<=[.!?…])[ \t]+(?=\S)|(?<=[\U0001f300-\U0001faff])[ \t]+(?=[A-ZÀ-Ý])")
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
}
# Where and when to meet again, not an answer ("On se revoit jeudi à 10:00").
_LOGISTICS = re.compile(
    r"\b(?:on se (?:revoit|voit|retrouve|rattrape(?:ra)?)|see you|talk soon"
    r"|(?:we['’]ll|we will|let['’]s) catch up|[àa] (?:lundi|mardi|mercredi|jeudi"
    r"|vendredi)|rendez-vous (?:le|jeudi|lundi)|\d{1,2}(?:h\d{0,2}|:\d\d)\b"
    r"|\b(?:le|du|au|on) \d{1,2}/\d{1,2}\b)", re.IGNORECASE)


_MEET_AGAIN = re.compile(r"^\W*(?:(?:we['’]ll|we will|let['’]s|on se|on va se|nous nous)\s+"
                         r"(?:catch up|rattrape(?:ra)?|reverra|revoit|retrouvera"
                         r"|pick (?:it|this|that) up|reprendra)\b[^.!?]{0,30}[.!]*$"
                         r"|(?:should|will|we['’]ll|on devrait|[çc]a devrait) (?:be )?"
                         r"(?:back on track|rentrer dans l['’]ordre)\b[^.!?]{0,20}[.!]*$"
                         r"|(?:hopefully|j['’]esp[èe]re|on esp[èe]re|fingers crossed for)\s+"
                         r"(?:next time|la prochaine fois|next week|la semaine prochaine)\W*$)",
                         re.IGNORECASE)


def cue_of(sentence: str) -> tuple[str, str] | None:
    """The question a sentence names (learned, to_develop, next_focus) and its answer: the
    whole sentence, or its last clause when what comes before answered something else
    ("it took place, 4/5, I learned X" -> "I learned X")."""
    # "10/10 Ben explained how...": a mark typed before the sentence is the rating's.
    sentence = re.sub(r"^\W*\d{1,3}\s*/\s*\d{1,3}\b[\s.,;:!–—-]*(?=\w)", "", sentence)
    if _MEET_AGAIN.search(sentence):
        return None  # "We'll catch up next time", "On se rattrape la prochaine fois": when
    if _LEAD_NEXT.match(sentence):
        return "next_focus", sentence  # "Next time I'd like to practise X": when, then what
    for name, cue in _CUES.items():
        match = cue.search(sentence)
        if match:
            before = sentence[: match.start()]
            cut = max([before.rfind(sep) + 2 for sep in (", ", ": ") if sep in before]
                      + [m.end() for m in _MARK.finditer(before)], default=0)
            head = _YES_AND_MARK.fullmatch(before)
            if head is not None or cut == 0 and re.search(r"\b[1-5]\b", before) \
                    and _OWN_CLAUSE.match(sentence, match.start()):
                # "oui 5 jai compris X", "oui on l a faite je mets 4 j ai appris X": typed
                # on without a stop, the answer starts at its own words.
                cut = max(cut, len(before))
            if cut > 0 and re.search(r"\d|[★⭐]|\b(?:oui|yes|took place|a eu lieu)\b", before,
                                     re.I):
                return name, sentence[cut:].strip()
            # "Bien, Karim m'a montré X": a verdict before; "Je suis toujours stressée mais
            # j'ai compris X": a contrast before; neither is part of the answer.
            lead = _VERDICT_LEAD.match(sentence) or _CONTRAST.fullmatch(before)
            if lead is not None and lead.end() <= match.start():
                return name, sentence[lead.end():].strip()
            return name, sentence.lstrip("«“\"' ")
    return None


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
            lead = re.search(r"(?:\b(?:pour |à |a )?la |\bfor |\bthe )$", sentence[:start])
            if name == "next_focus" and lead:
                start = lead.start()  # ", la prochaine fois on fait X": the article too
            head = sentence[:start]
            joint = _JOINT.search(head)
            if joint and cue_of(head[: joint.start()]) is not None:
                return [head[: joint.start()].strip(), sentence[start:].strip()]
            # "jai appris les raccourcis faut que je bosse les macros": typed on without a
            # stop, a clause of its own (a subject, "faut") starts the second answer, unless
            # the first leads into it ("I learned that I still need...").
            if (not re.search(r"[,.;:!?]", sentence) and _OWN_CLAUSE.match(sentence, start)
                    and not _LEADS_ON.search(head) and cue_of(head) is not None
                    and len(head.split()) >= 4):
                return [head.strip(), sentence[start:].strip()]
    return [sentence]


_OWN_CLAUSE = re.compile(r"(?:je|j['’ ]?|il|faut|i|we|nous|on|still|encore|la prochaine fois"
                         r"|next time)\b", re.IGNORECASE)
_LEADS_ON = re.compile(r"\b(?:que|qu['’]|that|de|d['’]|to|how|comment|why|pourquoi|à|a)\s*$",
                       re.IGNORECASE)
_UNCLEAR_TAIL = re.compile(
    r"\s((?:les|le|la|l['’]|des|du|the|my|mes|ma|mon)\s(?:(?!\b(?:les|le|la|des|du|the|my|mes|ma"
    r"|mon)\b)[^,.;!?]){1,60}?\b(?:encore|toujours|still)\s+(?:un peu\s+|a bit\s+)?(?:flou|floue"
    r"|flous|floues|confus|confuse|pas clairs?|pas claires?|unclear|fuzzy|hazy|blurry|confusing)"
    r"\W*)$", re.IGNORECASE)
# A subject or a verb that makes words a sentence about the session, not an answer.
_CLAUSE = re.compile(
    r"\b(?:i|we|you|he|she|they|it|it's|that's|was|were|is|are|has|had|have|je|j|nous|vous|il"
    r"|elle|ils|elles|on|c|ce|ca|est|etait|sont|etaient|a ete|avait|avaient|ont|suis|sommes"
    r"|merci|thanks|let|lets|rien|nothing|pas|not|no|because|parce|car|since)\b")


# "Oui 4 les TCD les graphiques un cas réel": the yes, the rating, then the answers with
# nothing between them (a phone, in a hurry); never "yes 3 people came".
_RUN_ON = re.compile(
    r"^\W*(?:oui|yes|yep|non|no)[ \t,]+([1-5])[ \t]+(?!(?:sur|out|of|stars?|[ée]toiles?|points?"
    r"|heures?|hours?|h|min\w*|jours?|days?|fois|times|personnes|people|semaines?|weeks?"
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
    return 2 <= len(words) <= 15 and not small_talk(sentence) and not says_held(sentence) \
        and not _CLAUSE.search(" ".join(words)) and not re.search(r"(?<!\w)\d", sentence)


def held_in(text: str, *, slot: bool = False) -> bool | None:
    """Whether `text` says the session took place; `slot`: it answers that very question,
    so a bare "Oui"/"No" anywhere at its start counts."""
    if _NOT_HELD.search(text):
        return False
    match = _YES_NO.match(text)
    if match:
        return match.group(1).casefold() in ("oui", "yes", "yep", "yeah", "yup")
    if _HELD.search(text):
        return True
    return None


def stated_held(text: str) -> bool | None:
    """Whether anything in `text` says the session took place or not (a bare yes does not)."""
    if _NOT_HELD.search(text):
        return False
    return True if _HELD.search(text) else None


def says_held(text: str) -> bool:
    """Whether `text` opens with an answer to "did it take place" (a yes, a no, or says so)."""
    return bool(_YES_NO.match(text)) or bool(_NOT_HELD.search(text) or _HELD.search(text))


def small_talk(line: str) -> bool:
    """Whether a line or sentence answers nothing (module docstring), or is a signature."""
    stripped = line.strip()
    if _SMALL_TALK.match(stripped) or _CLOSING.match(stripped.replace("’", "'")) \
            or _SIGNED.match(stripped):
        return True
    if "|" in stripped or re.search(r"\+?\d[\d .]{8,}\d", stripped):
        return True  # "Emma Wilson | Account Manager", a phone number
    words = re.findall(r"\w+", fold(stripped))
    if words and len(words) <= 8 and all(w in _VERDICT_WORDS for w in words):
        return True
    return _LOGISTICS.search(stripped) is not None and len(words) <= 12


_GREETING = re.compile(r"^\W*(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|dear|cher|ch[èe]re)\b"
                       r"[^,!.\n]{0,30}[,!.]\s+(?=\S)", re.IGNORECASE)


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


def sentences(line: str) -> list[str]:
    """The sentences of one line (not cut after "oct." or "M.")."""
    out: list[str] = []
    for piece in _SENTENCE.split(line):
        if out and _ABBREVIATION.search(out[-1][-12:]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece.strip():
            out.append(piece.strip())
    return [s.strip() for s in out if s.strip()]
