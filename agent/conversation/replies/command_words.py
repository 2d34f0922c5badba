"""The words of commands written as sentences, in French and English (folded: lower case,
no accents; agent.conversation.replies.command reads them): what each command's
sentences say, what makes a sentence a request, a hedge or a negation, and what names
a session or a day. Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.yesno import EMOJI

# A month, folded and cut short as people write it ("janv", "sept", "dec"), French or English.
MONTH = (r"(?:janv|fevr|mars|avril|mai|juin|juil|aout|sept|oct|nov|dec|jan|feb|mar|apr|may|jun"
         r"|jul|aug|sep)")
PROGRAMME = (r"(?:(?:le|la|les|ce|ces|cette|mon|ma|mes|du|de|des|the|this|these|those|my|our"
             r"|notre|nos|ses|sa|son|vos|votre|your|au|from|of|his|her|their|leur)\s+)?"
             r"(?:programme|program|mentorat|mentoring|binome|parrainage|accompagnement"
             r"|tutorat|coaching|learning pair|pairing|e-?mails?|mails?|courriels?|messages?"
             r"|relances?|envois|l'envoi|participation"
             r"|rappels?|reminders?|notifications?"
             r"|seances|sessions|atelier|workshop|peer[- ]learning)"
             # a whole word: "stop emailing the panto crowd" stops no mail of ours
             r"(?!\w)")
SESSION = (r"(?:(?:(?:la|ma|sa|notre|cette|le|the|my|our|his|her|this|that|next|this week'?s"
           r"|next week'?s"
           r"|tomorrow'?s|today'?s"
           r"|[a-z]+day'?s"
           r"|prochaine|prochain|premiere|first)\s+){1,3}"
           r"(?:(?:mentoring|coaching|peer|catch-up|catch up)\s+)?"  # "the mentoring session"
           r"(?:seance|session|meeting|reunion"
           r"|rendez-vous|rdv)"
           # "Thursday's one", "next Wednesday's one"
           r"|(?:(?:next|this) )?(?:[a-z]+day|tomorrow|today|next week|this week)'?s one\b)")
DAY = (r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday"
       r"|thursday|friday|saturday|sunday|demain|tomorrow|du \d{1,2}|on the \d{1,2}|le \d{1,2})")
# "je n'ai pas reçu", "n ai pas recu" typed without its apostrophe, "nous n'avons jamais":
# not received, where a resend is asked for.
_HAVE_NOT = r"(?:n'ai|n ai|n'avons)"
# How people make a break sound small: "a wee break", "une petite pause".
_SMALL = r"(?:(?:petite|short|little|wee|small|quick) )?"
# "Can we skip the 19th?", "skip le 24": a day of the month right after the verb, one
# session (outside a session's objectives, which name their own day).
DAY_OF_MONTH = re.compile(r"\b(?:skip|cancel|drop|sauter|annuler|zapper)\s+(?:the|le)\s+"
                          r"\d{1,2}(?:st|nd|rd|th|er)?(?!\s*(?:minutes?|mins?|%|pages?))\b")
SENTENCES = {  # help first: "how do I pause?" asks for the list
    "help": re.compile(
        r"\bquelles? (?:sont les )?(?:autres )?(?:commandes|options)\b|\bliste des commandes\b"
        r"|\b(?:que|quoi) (?:puis-je|dois-je|peut-on|faut-il) (?:repondre|ecrire)\b"
        # "Comment fait-on pour mettre le programme en pause ?"
        r"|\bcomment (?:faire pour |fait-on pour |on fait pour |je fais pour |puis-je |peut-on"
        r" |dois-je )?(?:mettre (?:\w+ ){0,2}en pause|arreter|me desinscrire|annuler une"
        r" (?:seule )?seance)\b"
        r"|\bwhat (?:can|should|do) (?:i|we) (?:actually |even |really )?(?:reply|answer|write"
        r"|send)\b"
        r"|\b(?:les|des)(?: autres)? mots[- ]cles\b"
        r"|\bles mots? (?:a|pour) (?:repondre|ecrire|utiliser|envoyer)\b"
        r"|\bwhat are the (?:other )?(?:commands|options|keywords)\b"
        r"|\blist of (?:the )?commands\b"
        r"|\bwhat commands\b|\bquelles commandes\b"
        # "what are the words again to pause things or cancel a session?"
        r"|\bwhat (?:are|were) the (?:words|commands|keywords)\b"
        r"|\b(?:words|commands|keywords|mots|commandes)(?: again| deja)? (?:to|for|pour)"
        r" (?:pause|stop|cancel|skip|resume|mettre en pause|annuler|arreter|sauter)\b"
        # "send me the list of what I can reply? Like the words for pause etc"
        r"|\blist of what (?:i|we) can (?:reply|say|write|send|answer)\b"
        r"|\bthe words (?:for|to) (?:pause|stop|skip)\b"
        # "nobody has ever told me how I'm supposed to answer these", "personne ne m'a
        # expliqué comment répondre": how to answer us, asked as a complaint
        r"|\b(?:explain|told me|tell me|know|understand) (?:what|how) (?:i|we)(?:'m| am| are)?"
        r" (?:can |should |supposed to |meant to )?(?:send|reply|answer|write|respond)\b"
        r"|\b(?:comprends pas|sais pas|explique|m'a explique|expliquer) comment (?:je dois |on doit"
        r" |il faut )?(?:repondre|ecrire)\b"
        # "what were the commands you can send again?", "c'était quoi les commandes déjà ?"
        r"|\b(?:what|which|quelles?|quoi|koi)\b[^.?!]{0,30}\b(?:commands?|commandes?|keywords?"
        r"|mots-cles)\b"
        r"|\bhow (?:do|can) (?:i|we) (?:pause|stop|unsubscribe|skip)\b|\bwhich commands\b"
        # "rappelez-moi les commandes possibles", "remind me of the keywords"
        r"|\b(?:commandes|options|mots-cles) (?:possibles|disponibles|existantes)\b"
        r"|\b(?:rappel\w*|redonn\w*|remind)(?:-moi|-nous| me| us)?(?: of)? (?:les|la liste des|the"
        r"|the list of) (?:commandes|mots-cles|commands|keywords)\b"
        r"|\b(?:available|possible) (?:commands|keywords)\b"
        # "what are the magic words you reply with again?", "les mots magiques à répondre"
        # "which words can I send to the programme?", "quels mots je peux répondre ?"
        r"|\b(?:what|which|quels?) (?:words|mots)\b[^.?!]{0,30}\b(?:reply|send|write|answer|use"
        r"|repondre|envoyer|ecrire|utiliser)\b"
        r"|\bwords (?:you|to|we|i|one)(?: can| should| must| could)? (?:reply|answer|write|use"
        r"|send)\b|\bmots magiques\b|\bmagic words\b"),
    "stop": re.compile(
        r"\b(?:me\s+)?(?:desinscrire|desinscrivez|desabonner|desabonnez|retirer du programme"
        r"|retirez-moi|me retirer)\b"
        r"|\bne (?:\w+ )?plus (?:recevoir|participer|faire partie)\b"
        # "jveux plus recevoir les mails": the spoken negation, without "ne"
        r"|\b(?:j|je |on )?veu[xt] plus (?:recevoir|participer|faire partie|les recevoir)\b"
        r"|\bne (?:\w+ )?plus (?:m'|me |nous )?(?:envoyer|ecrire|relancer|contacter|adresser)\b"
        # "je souhaite également y mettre fin", in the programme's thread
        r"|\by mettre (?:fin|un terme)\b"
        r"|\bne (?:participe|participerai|fais|ferai) plus (?:au|a|partie)\b"
        r"|\b(?:arreter|arretez|arrete|cesser|cessez) de (?:m'|me |nous )?"
        r"(?:envoyer|ecrire|relancer|recevoir)\b"
        r"|\b(?:arreter|stopper|quitter|abandonner|interrompre|mettre fin(?: a)?"
        r"|mettre un terme(?: a)?"
        r"|sortir d[ue]|arret d[ue]|arretez|stop|quit|leave|leaving|end|withdraw from|drop out of"
        r"|j'arrete|je quitte"
        r"|step (?:back|down|away) from"
        r"|(?:qu'|que )?(?:on|l'on) arrete|nous arretions"
        r"|m['\s]enlever|enlevez-moi|m['\s]enlevez|(?:be )?withdrawn from|(?:be )?removed from"
        r"|withdraw me from|take me out of|take (?:him|her) out of|withdraw (?:him|her) from"
        r"|stop receiving|stop getting|stop sending(?: me)?)\s+" + PROGRAMME
        # "Please stop sending me these, I left the team", "arrêtez de m'envoyer ça"
        + r"|\bstop (?:sending|emailing) (?:me )?(?:these|them|this)\b"
        # "Can you stop these till March": ours, for a time (a pause)
        r"|\bstop (?:these|them|those)(?= (?:till|until|til)\b)"
        r"|\bstop (?:e-?mailing|mailing|writing to|contacting) (?:me|us)\b"
        r"|\b(?:arreter|arretez|cessez) de m'envoyer (?:ca|tout ca|ces \w+)\b"
        # "plus la peine de m'envoyer les questionnaires", "best not to send me anything"
        # ... only when what is sent is ours ("no point sending me the slides" is no stop)
        + r"|\b(?:plus|pas) la peine de (?:m'|me |nous )?(?:envoyer|ecrire|relancer)"
        r"(?: (?:les|ces|vos|des) (?:e-?mails|mails|questionnaires|relances|messages|courriels"
        r"|rappels)|\s*(?:[.,;!]|$))"
        r"|\b(?:no point|best not|no need)(?: in)? (?:to )?send(?:ing)? me (?:anything|any more"
        r"|(?:the |these |any |your )?(?:e-?mails|mails|questionnaires|reminders|messages))\b"
        + r"|\bunsubscribe\b|\bopt(?:ing)? out\b|\btake me off\b|\bremove me from\b"
        # "je quitte l'agence et le programme", "leaving the firm and the mentoring": both
        r"|\b(?:je quitte|quitter|i(?:'m| am) leaving|leave) (?:donc |aussi |alors |also |both )?"
        r"(?:l'|l |la |le |the )?\w+"
        r" (?:et|and) " + PROGRAMME
        # "probably best to stop it for now", "mieux vaut arrêter là"
        + r"|\b(?:best|better) (?:to )?(?:stop|end|quit) (?:it|this|things|everything)"
        r"(?: for now)?(?=\s*(?:[.!?,;:…]|$))"
        # "enlevez moi de la liste", "retirez-nous de vos envois"
        r"|\b(?:enlevez|retirez|enleve|retire|sortez|supprimez|rayez)[- ](?:moi|nous)"
        r"(?:\s+(?:svp|stp|s'il vous plait))?\s+(?:de|du|des)\s+(?:la |cette |votre |vos |ma )?"
        r"(?:liste|listes|programme|mailing|diffusion|envois|boucle)\b"
        # "vous pouvez m'enlever de la liste"
        r"|\bm['\s]enlever (?:de|du|des) (?:la |cette |votre |vos )?(?:liste|mailing|diffusion"
        r"|envois|boucle)\b"
        r"|\bremove me\s*(?:[.!,]|$)"
        r"|\bno longer (?:want to |wish to )?(?:receive|take part|participate|be part)\b"
        # ("full stop" dictated to a phone is punctuation, never the command)
        r"|\b(?:quit|drop out|withdraw|(?<!full )stop|arreter|abandonner|laisser tomber"
        r"|(?:que )?j'?arrete)"
        r"(?: (?:la|ici|here|there|pour moi|for me|of this|of it))?(?: for now| pour l'instant"
        r"| pour (?:ce|cette) (?:cycle|saison|annee)| for this (?:cycle|round|term|year))?"
        r"(?: (?:apres|after) (?:celle-ci|cette seance"
        r"|this one|this session|this cycle|ce cycle)"
        r"| a partir de (?:la|maintenant|demain|cette date)| from (?:then"
        r"|now|that date))?"
        # ... then the sentence ends, even with an emoji or "..." ("je vais devoir arrêter 😢")
        r"(?=\s*(?:[.!?,;:…–—]|" + EMOJI + r"|$|(?:sorry|desole|please"
        r"|pls|svp|stp|merci|thanks|unless|sauf|if|si)\b))",
    ),
    "pause": re.compile(
        r"\bpause(?:\s+(?:me|us|it|them|this|mine|things|everything|the mentoring|our pairing"
        r"|the whole thing|it all|all of it"
        r"|(?:all|the|my|our) (?:e-?mails|mails|messages|sessions|reminders)))?\s+(?:until|til|from"
        r"|a partir|des le|starting"
        r"|till|for|jusqu|jusque|pendant|during)\b|\bcan (?:i|we) pause\b"
        # "please pause me over Christmas" (never "Pause over, back to work")
        r"|\bpause (?:me|us|my (?:e-?mails|sessions)) over\b"
        r"|\b(?:faire|take|need|prendre)\s+(?:une|un|a)\s+" + _SMALL + r"(?:pause|break)\s+"
        r"(?:until|till|jusqu|jusque|for|pendant|de|du|from|le temps|while|d'ici"
        r"|(?:en|in|over|during|au mois de) " + MONTH + r"\w*)\b"
        # "une pause après cette séance / after the holidays", never "a break after each
        # slide": a break from the programme starts after a session or a time of year.
        r"|\b(?:pause|break)\s+(?:apres|after)\s+(?:(?:cette|la|les|notre|this|the|our|next)\s+)?"
        r"(?:seance|session|fetes|vacances|conges|holidays|christmas|noel|rentree|summer|ete|"
        + MONTH + r"|\d)"
        r"|\b(?:mettre|mettez|mets|mette|passer|placer)(?:-moi|-nous|-le)?\s+(?:(?:moi|nous|tout|"
        + PROGRAMME + r")\s+)?en pause\b"
        # "Suspension des envois jusqu'au 4 janvier", a clerk's point: a pause to a date
        r"|\bsuspension (?:de |des |du |de la )?(?:envois|e-?mails|mails|programme|mentorat"
        r"|participation|seances)\b[^.!?]{0,20}\bjusqu"
        # "suspendre l'ensemble des envois", "suspend all the emails"
        r"|\ben pause jusqu|\b(?:suspendre|suspendez|suspend|pauser)\s+(?:l'ensemble (?=de)|tous "
        r"|toutes |all (?=the |my |our ))?" + PROGRAMME
        + r"|\b(?:suspendre|suspendez|suspend)\s+(?:(?:tout|le tout|everything|things)\s+)?"
        r"(?:jusqu|jusque|pendant|until|till|for)\b"
        + r"|\bpause (?:(?:the|my|our|his|her|their)\s+)?(?:mentoring|programme|program|emails?"
        r"|sessions?|participation"
        r"|pairing)\b"
        r"|\b(?:put|place)\s+(?:me|us|it|this|the mentoring|my mentoring|the programme|the program"
        r"|things|the sessions|everything)\s+on hold\b|\bon hold (?:until|till)\b"
        # "Can we push the whole thing to next month": postponed, all of it
        r"|\bpush (?:the whole thing|everything|it all|all of (?:it|this)|the mentoring"
        r"|the programme|our sessions|the sessions) (?:back )?(?:to|until|till|into)\b"
        # "could you hold the emails until the 5th?"
        r"|\bhold (?:off )?(?:the |my |all )?(?:e-?mails|mails|messages|questionnaires|sessions)"
        r"\s+(?:until|till|for)\b"
        # "hold off on sending me anything until after Christmas", "don't send me anything
        # else until after mid-term": nothing until a date
        r"|\bhold off (?:on )?(?:sending|emailing)\b[^.!?]{0,40}\b(?:until|till)\b"
        r"|\b(?:don't|do not) (?:send|email) me (?:anything|any more|anymore|more)"
        r"(?: else)?[^.!?]{0,20}\b(?:until|till)\b"
        # "any chance of a break til the new year": asked, the end said loosely
        r"|\b(?:any chance of|could i have|can i have|can i get|could i get) (?:a )?" + _SMALL
        + r"break\b"
        # "jpeux faire une pause?", "can I take a break?": asked, for how long is asked back
        r"|\b(?:je peux|j'?peux|puis-je|pourrais-je|peut-on|on peut|can i|could i|can we|could we)"
        r"\s+(?:faire|prendre|take|have)\s+(?:une|a)\s+" + _SMALL + r"(?:pause|break)\b"
        # "that my participation in the programme be suspended", "que ma participation soit
        # suspendue": the passive, formal
        r"|\b(?:participation|mentoring|programme|program|sessions|e-?mails|mails|envois)\b"
        r"[^.!?]{0,40}\b(?:be|to be|being|soit|soient|etre) (?:temporarily |temporairement )?"
        r"(?:suspended|paused|put on hold|suspendue?s?|mise?s? en (?:pause|suspens))\b"
        # "je fais une pause sur le programme jusqu'au 15", "je vais devoir faire une pause,"
        r"|\bje (?:fais|prends|fasse) une (?:petite )?pause\b(?!\s+(?:a chaque|entre|quand|avant"
        r"|apres|cafe|dejeuner|de \d|pendant (?:la|les|mes|chaque)))"
        r"|\b(?:faire|prendre) une (?:petite )?pause\s*(?=[,.;!?]|$)"
        # "can we park this till Jan?", "on met en stand-by jusqu'à janvier"
        r"|\bpark (?:this|it|things|the mentoring)(?: for now)? (?:till|until|til)\b"
        r"|\b(?:met|mettre|mettez|mets)(?:-le|-les)? (?:\w+ ){0,2}en stand-?by\b"
        r"|\btake a " + _SMALL + r"break from\b"
        r"|\bfaire une pause (?:dans|du|de mon|de notre) (?:le )?"
        r"(?:programme|mentorat|binome)"),
    "resume": re.compile(
        # "reprendre dès à présent le programme": when, between the verb and what
        r"\breprendre\s+(?:(?:des a present|des maintenant|maintenant|tout de suite|de nouveau"
        r"|a nouveau)\s+)?" + PROGRAMME + r"|\b(?:resume|restart)\s+" + PROGRAMME
        + r"|^\W*je reprends\s*(?:[.!,]|$)"
        # "je souhaiterais reprendre dès à présent, et non le 23": back earlier than said
        + r"|\breprendre\s+(?:des a present|des maintenant|des aujourd'hui|plus tot"
        r"|tout de suite)\b"
        # "c bon jsuis rentrée on reprend les séances": back, so the sessions again
        + r"|\b(?:on reprend|nous reprenons)\s+(?:(?:donc|alors|enfin)\s+)?" + PROGRAMME
        + r"|\b(?:reprendre|resume|restart)(?:\s+me)?(?:\s+(?:now|today|maintenant|des maintenant"
        r"|aujourd'hui))?(?:\s+(?:please|pls|svp|stp))?\s*(?:[?.!]|$"
        r"|" + EMOJI + ")"
        + r"|\b(?:je|nous) (?:peux|pourrai|pouvons|pourrons) (?:de nouveau |enfin )?reprendre\b"
        # "Je pense pouvoir reprendre bientôt"
        r"|\b(?:je pense|je crois|j'espere|i think i can|i hope to) (?:pouvoir )?(?:reprendre"
        r"|resume|restart|start again|be back)\b"
        r"|\b(?:i|we) can (?:resume|restart|start again)\b"
        + r"|\bje suis de retour\b|\bi(?:'?m| am) back\b|\brecevoir (?:de nouveau|a nouveau)\b"
        # "je suis rentrée plus tôt, vous pouvez relancer les mails ?": back, the mails again.
        r"|\b(?:je suis|j'?suis|chui) (?:bien )?rentre(?:e|s|es)?\b"
        r"|\b(?:relancer|relancez|rallumer|reactivez|repartir|redemarrer|redemarrez)\s+"
        + PROGRAMME + r"|\b(?:restart|turn on|switch on)\s+(?:the |my )?(?:e-?mails|mails"
        r"|messages|reminders|sessions)\b"
        r"|\breceive (?:the )?(?:e-?mails|messages) again\b|\breactiver\b|\bstart again\b"
        # "switch my mentoring emails back on", "remettre les mails"
        r"|\b(?:switch|turn|put) (?:\w+ ){0,3}back on\b"
        r"|\bremettre (?:en route )?(?:les|mes) (?:e-?)?mails\b"
        r"|\b(?:start|begin) (?:sending|emailing) (?:me|us)\b"
        r"|\b(?:start|begin) sending (?:me |us )?(?:the |my )?(?:session |programme |mentoring )?"
        r"(?:e-?mails|mails|messages) again\b"
        # "start getting the emails again and pick the sessions back up"
        r"|\b(?:start|begin) (?:getting|receiving) (?:the )?(?:e-?mails|mails|messages) again\b"
        r"|\bpick (?:the sessions|our sessions|things|it) back up\b"
        r"|\brecommence[rz]? (?:a|de) (?:m'|me |nous )?(?:envoyer|ecrire|recevoir)\b"),
    "skip": re.compile(
        r"\b(?:annuler|annulez|annule|annulons|sauter|saute|sautons|passer|supprimer|cancel"
        r"|skip|skippe|drop)\s+(?:(?:peut-etre|maybe|perhaps|just|juste|simplement|donc|alors|aussi"
        r"|uniquement|seulement|only"
        r"|also|carrement|plutot)\s+)?" + SESSION
        # "sauter une seule séance, celle du 14 octobre", "skip just one session"
        + r"|\b(?:annuler|sauter|manquer|skip|cancel|miss)\s+(?:just |juste )?(?:une|one|a)"
        r"\s+(?:seule |single )?(?:seance|session)\b"
        # "vous pouvez l'enlever de mon agenda ?", "take it out of my calendar": that session
        + r"|\b(?:l'|la )(?:enlever|retirer|supprimer|enlevez|retirez|supprimez)"
        r" de (?:mon|l') ?agenda\b"
        r"|\b(?:take|remove) (?:it|this one|that one) (?:out of|off|from) my (?:calendar|diary)\b"
        # "c'est juste la séance du 14 que je voudrais louper": the session, then the wish
        + r"|\b(?:la|cette) seance (?:du|de) [^.!?]{0,25}\bque (?:je|j') ?(?:voudrais|veux"
        r"|souhaite|souhaiterais|aimerais|dois|vais) (?:louper|rater|manquer|sauter|annuler)\b"
        # "Je vous saurais gré de bien vouloir procéder à son annulation": the session's
        r"|\bproceder a (?:son|l'|cette|leur) annulation\b"
        + r"|\b(?:skip|cancel|drop)\s+(?:it|that one|this one|(?:the )?(?:next|first) one)\b"
        # "Je passe cette séance", "je saute celle du 12": decided, in the first person
        r"|\bje (?:passe|saute|zappe|skippe?|annule)\s+(?:" + SESSION + r"|celle (?:du|de)\s)"
        # "Can we skip the 19th?", "skip le 24": one session, by its day of the month
        + "|" + DAY_OF_MONTH.pattern
        # "ON PASSE CELLE LA": decided, by the session's thread
        + r"|\b(?:on|je) (?:passe|saute|zappe|skippe?|annule)\s+(?:celle-ci|celle-la|celle la"
        r"|celle ci)\b"
        # "Bitte annulez-la.": the imperative, the session after it
        r"|\b(?:annulez|annule|annulons|sautez|sautons|supprimez|zappez|zappons)-la\b"
        # "On peut zapper celle de demain ?" in the thread of tomorrow's session
        r"|\b(?:annuler|annulez|annule|annulons|sauter|saute|sautons|zapper|zappe|zappons|skip"
        r"|cancel|passer)\s+(?:celle de demain|celle-ci"
        r"|celle-la|celle la|celle d[eu] \w+di|tomorrow'?s(?: one)?)(?!\w)"
        # "je pense qu'on va sauter la prochaine", never "la prochaine fois"
        r"|\b(?:skip|skipper|sauter|annuler|zapper|passer)\s+(?:pour |for )?(?:la prochaine"
        r"|le prochain)"
        r"(?=\s*(?:[.,;!?(]|$|one\b|svp|stp|please))"
        # "skip the one on the 7th", "sauter celle du 7": one session, by its date or day
        r"|\b(?:skip|cancel|drop|sauter|annuler|annulez|zapper)\s+(?:the one|celle)\s+"
        r"(?:on|of|du|de)\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th|er)?|[a-z]+day|mon|tues?|wed"
        r"|thur?s?|fri|lundi|mardi"
        r"|mercredi|jeudi|vendredi)\b"
        # "skip the one on opening night (Thursday 19th)": what happens then, and its day
        r"|\b(?:skip|cancel|drop|sauter|annuler|zapper)\s+(?:the one|celle)\s+(?:on|of|for|du|de"
        r"|pour)\s+[^.!?;]{0,30}?\b(?:monday|tuesday|wednesday|thursday|friday|lundi|mardi"
        r"|mercredi|jeudi|vendredi)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th|er)?\b"
        # "je ne serai pas là les deux prochaines fois, on peut peut-être annuler ?"
        r"|\b(?:on peut|peut-on|can we|could we|(?:il )?faut|(?:il )?faudrait|on devrait"
        r"|should we)\s+(?:peut-etre\s+|ptet\s+|maybe\s+)?(?:annuler|sauter|skip|cancel)\s*(?:\?|$)"
        # "can we skip the one during lambing": one session, by what happens then
        r"|\b(?:skip|cancel|sauter|annuler|zapper)\s+(?:the one|celle)\s+(?:during|over|pendant"
        r"|durant)\s"
        # "donc pas de séance mardi 3 s'il vous plaît", "no session on Thursday please": that
        # day's session asked off (a statement, without its please, asks nothing)
        r"|\bpas de (?:seance|session|rdv|reunion)\s+(?:ce |le )?(?:lundi|mardi|mercredi|jeudi"
        r"|vendredi)\b|\bno (?:session|meeting)\s+(?:on |this )?(?:monday|tuesday|wednesday"
        r"|thursday|friday)\b"
        # "je passe pour jeudi": in the thread of Thursday's session, that one
        r"|\bje passe pour (?:lundi|mardi|mercredi|jeudi|vendredi|celle-ci|cette fois)\b"
        # "Can we skip the 7am one on Thursday?", "sauter celle de 18h": one session, by its hour
        r"|\b(?:skip|cancel|drop)\s+the\s+\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)?\s+one\b"
        r"|\b(?:sauter|annuler|zapper)\s+celle de\s+\d{1,2}\s*h(?:\d{2})?\b"
        # "we'll skip the 12th", "can you skip le 9 ?": one session, by its date
        r"|\b(?:skip|cancel|drop)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b"
        # "Skip the 16 June one": by its date, then "one"
        r"|\b(?:skip|cancel|drop)\s+the\s+\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH + r"\w*\s+one\b"
        r"|\b(?:skip|cancel|sauter|annuler|zapper|passer)\s+(?:celle du|la seance du|le)"
        r"\s+\d{1,2}\b(?!\s*(?:h\b|heures?|:|/|\.\d))"
        # "jeudi je peux pas, on annule": in the thread of that session, the session itself
        r"|\b(?:on skip\w*|on annule|annulons|on saute|sautons|on zappe"
        r"|let'?s (?:cancel|skip)(?: it)?)"
        r"\s*(?:[.!?]|$)"
        # "Et on saute aussi celle de la semaine prochaine"
        r"|\b(?:on saute|sautons|on annule|annulons|on zappe)\s+(?:aussi\s+)?celle (?:de|du)\s"
        r"|\b(?:l'|la )(?:annuler|annule|annulez|annulons|sauter|saute|sautons|supprimer"
        r"|supprimez|skipper|zapper|zappe|zappons|passer)\b"
        # "Can we skip Monday?": the day alone (checked against our subject's session).
        # "Mardi 24 je suis en audit, cette séance est à annuler."
        r"|" + SESSION + r"\s+(?:est|sera)\s+a\s+(?:annuler|sauter|supprimer)\b"
        r"|\b(?:skip|skippe|cancel|sauter|annuler|annulez|annulons|sautons)\s+(?:on\s+)?"
        r"(?:next\s+|this\s+)?"
        r"(?:lundi|mardi"
        r"|mercredi|jeudi|vendredi|monday|tuesday|wednesday|thursday|friday)s?\b(?!\s*(?:morning"
        r"|matin|afternoon|apres-midi)\b)"
        # "Can we skip Thursday's?" is the session; "skip Thursday's site visit" is not ours
        r"(?!'s\s+(?!one\b|session\b|please\b|pls\b|plz\b|thanks\b|boss\b|mate\b)\w)"
        # "Je passe mon tour pour cette séance", "I'll sit this one out"
        r"|\b(?:je passe|passer) mon tour\b|\bsit (?:this|that|the next|tomorrow'?s) one out\b"
        r"|\bgive (?:this|that|the next|tomorrow'?s) one a miss\b"
        r"|\b(?:skip|cancel|drop|sauter|annuler|annulez|annulons|sautons)\s+(?:next week|this week"
        r"|la semaine prochaine|cette semaine)\b"),
    "resend": re.compile(
        r"\b(?:me\s+)?(?:renvoyer|renvoyez|re-?envoyer|reexpedier|retransmettre)\b"
        # "renvoi moi le questionnaire stp": the imperative as texted
        r"|\brenvoi(?:e|es)?[- ](?:moi|nous)\b"
        r"|\bresend\b|\bre-send\b|\bsend (?:me |us )?again\b"
        r"|\bsend (?:me )?(?:it|them|the \w+|the e-?mails?|again)\b.*"
        r"\bagain\b|\b" + _HAVE_NOT + r" (?:pas|jamais) recu (?:le|les|votre|vos)\b"
        # "I never got the questionnaire", never "I can never get the numbers out"
        r"|\b(?:didn't|did not|never|(?:i )?do(?:n'?t| not) think i (?:ever )?)"
        r" ?(?:get|got|receive|received) (?:the|your|any)\b"
        r"(?=[^.!?]{0,25}\b(?:questionn?ai?res?|forms?|survey|e-?mails?|mails?|messages?"
        r"|invitations?|invites?|objectives|links?|reminders?|anything|it|them)\b)"
        # "is there a way to get the questionnaire for session 9 again?"
        # "Did I ever get the feedback form for last week's session?": asked, so unsure
        r"|\bdid (?:i|we) (?:ever )?(?:get|receive)\b(?=[^.!?]{0,25}\b(?:questionn?ai?res?"
        r"|forms?|survey|objectives)\b)"
        r"|\b(?:get|have|receive|recevoir|avoir)\b[^.?!]{0,20}\b(?:questionnaire|formulaire"
        r"|form|survey|invitation|objectives|objectifs)\b[^.?!]{0,30}\b(?:again|a nouveau"
        r"|de nouveau)\b"),
}
# A wish, a request or an order: a command written as a sentence needs one.
ASKS = re.compile(
    r"\b(?:je (?:souhaite|souhaiterais|voudrais|veux|desire|demande|prefere|prefererais|dois"
    r"|vais devoir|vais|aimerais)|j'aimerais|j'ai besoin|merci de|merci d'|pouvez[- ]vous"
    r"|pourriez[- ]vous|vau(?:drait|t) (?:peut-etre |sans doute |surement |donc )?mieux"
    r"|grateful if|if you could|si vous pouviez|vous serais reconnaissante?|request that"
    r"|plus la peine|no point|best not|\bi (?:stop|quit|leave)\b|\bj'?arrete\b|\bje quitte\b"
    # typed for someone else: "il voudrait recommencer à recevoir les mails"
    r"|(?:il|elle) (?:voudrait|souhaite|souhaiterait|aimerait|veut)|(?:he|she) (?:would like|wants)"
    # "Monsieur Roux souhaite suspendre sa participation": a wish, whoever it is of
    r"|souhaite|souhaiterait|voudrait|aimerait|wishes to|would like to"
    r"|pourrais[- ]je|puis[- ]je|peux[- ]tu|est-ce (?:qu'on|que vous|que je|possible)|veuillez"
    r"|je vous (?:prie|demande|remercie) d(?:e\b|')|il faudrait|il faudra|il va falloir"
    # "faut annuler la seance", "faut peut-etre annuler ?"
    r"|(?:il )?faut (?:peut-etre |ptet )?(?=annuler|sauter|arreter|suspendre|mettre)"
    # "faut que je mette en pause ?": whether to, asked
    r"|faut(?:-il)? que (?:je|j'|on)"
    r"|est-il possible|serait-il possible|saurais gre|serais gre|bien vouloir|on skip\w*"
    r"|je skip\w*"  # "je skip la session de jeudi": franglais, decided
    r"|est a (?:annuler|sauter|supprimer)"
    r"|on peut|peut-on|on pourrait|nous souhaitons|nous voudrions"
    # "on peu sauter celle la" as texted, "on pourra sauter la séance du 29"
    r"|on peu|on pourra|pourra-t-on"
    # "I have to stop", "I have decided to leave"; never "as I have withdrawn" (done already)
    r"|i (?:want|wish|need|have to|have got to|have decided)"
    r"|i(?:'d| would) (?:like|rather|prefer)|i(?:'m| am) (?:going|writing)|i will have|please"
    r"|can (?:you|we|i)|u can|i(?:'m| am) leaving"
    r"|could (?:you|we|i)|would you|we (?:need|want|would like|'d like)|let'?s|kindly"
    r"|need to|have to|going to|devoir|vous pouvez|tu peux|you can|(?:i|we) should"
    r"|should (?:i|we)|no longer|ne (?:\w+ )?plus"
    r"|mettez|mets-moi|arretez|retirez|enlevez|renvoyez|desinscrivez|suspendez|annulez"
    r"|(?<!full )stop|take me|remove me|unsubscribe|put me|resend|send me"
    # "stick me on pause till the 4th of Jan", "pop us on hold": said as a Briton asks
    r"|(?:stick|pop|bung) (?:me|us)"
    # "can ye skip next week's session", "could youse pause me": a Scot's, a Liverpudlian's
    r"|(?:can|could|would|will) (?:ye|yous|youse)\b"
    r"|je (?:peux|pourrai) reprendre|on reprend|nous reprenons|on saute|sautons|annulons"
    r"|(?:i|we) can resume"
    r"|\bje devrais|on devrait|nous devrions|svp|stp|s'il (?:vous|te) plait|pls|plz"
    r"|vaudrait-il mieux|vaut-il mieux|je fais une|je prends une|on met|can we park"
    r"|je passe pour|(?:je|on) (?:passe|saute|zappe|annule) (?:cette|la|celle)"
    r"|gonna|wanna|i'll|i will|we'll|we will|on va|nous allons|on annule|on zappe|can u"
    r"|i must|we must|(?:it is|it's) better|better if|best to|je passe mon tour|sit this one"
    r"|(?:may|might|would) be (?:sensible|wise|best|better|preferable)|je reprends|any chance"
    r"|give this one|do (?:skip|cancel|pause|stop)|is there a way|y a-t-il (?:un )?moyen"
    r"|il y a (?:un )?moyen"
    # "I'd be glad to resume the programme", "je serais ravie de reprendre": a wish
    r"|(?:(?:i|we)(?:'d| would)|\bwould) be (?:glad|happy|delighted) to"
    r"|je serais (?:ravie?|heureuse?|contente?) de"
    # "non non, je voulais juste sauter la séance de vendredi": what was meant, put right
    r"|je voulais (?:juste|seulement|simplement)|i (?:just|only) wanted"
    # "je pense pouvoir reprendre en mars"
    r"|je (?:pense|crois) pouvoir"
    # "il me semble raisonnable d'interrompre...", "it would be best to pause"
    r"|(?:serait|semble|est) (?:donc |alors |vraiment )?(?:plus )?(?:raisonnable|preferable"
    r"|judicieux|mieux)"
    r"|(?:it would|it'd|would it) be (?:best|better|wiser))\b"
    # a ticket's head: "ACTION: pause programme until 15/01"
    r"|^\W*(?:action|todo|to do|request|demande)\s*:"
    # ... or a numbered point of its own ("6.1 Suspension des envois jusqu'au 4 janvier"),
    # named as a noun: "5.1 Reprendre le programme prévu" answers what to do next time
    r"|^\d{1,2}(?:\.\d{1,2})*\.?\s+(?:suspension|desinscription|desabonnement)\b"
    r"|^(?:arret|desinscription|desabonnement|pause|suspension|reprise|stop|unsubscribe|skip"
    r"|resume|reprendre|restart"
    r"|cancel|annule|annulez|annuler|saute|sautez|sauter|passer|resend|renvoie|renvoyez)\b"
    # "first one I'm away, skip that one": the order opening a clause
    r"|(?:[,;:]\s*|\bso\s+|\bdonc\s+)(?:skip|cancel|annulez|sautez)\b"
    r"|\?\s*$")
HEDGE = re.compile(
    r"\b(?:je crois|je pense|il est possible|peut-etre|probablement|sans doute|il se peut"
    r"|je vous (?:confirme|redis|tiens au courant)|a confirmer|je ne sais pas|pas sur"
    r"|j'envisage|j'hesite|risque de|jsp|j'?sais pas|sais pas si|maybe|perhaps|probably"
    r"|i think|i might|might|may need|ptet que"
    r"|not sure|i'll confirm|will confirm|possibly|considering|thinking (?:about|of)|i guess"
    r"|i suppose|for now|i wonder|wondering|je me demande|a voir|il me semble|let me think"
    r"|si (?:cela|c'est|ca) (?:est )?possible|if (?:that's|that is|it's) possible"
    r"|plus la peine|no point|best not)\b")  # said, not asked: a statement to confirm
NEGATED = re.compile(
    r"\b(?:ne|n')\s*(?:\w+[\s-]+){0,2}?(?:pas|jamais|surtout pas|nullement)\b"
    r"|\bpas (?:besoin|question|la peine|necessaire)\b|\binutile de\b|\bsans\b"
    # "je voulais juste sauter vendredi, pas tout arrêter": the clause opens with its "pas"
    r"|^\W*pas (?:tout|tous|forcement|vraiment|encore)\b"
    r"|\b(?:no|never) (?:need|reason)\b|\b(?:don't|do not|doesn't|does not|won't|will not"
    r"|didn't|did not|not|never|no)\b|\bnot\b"
    # "je veux surtout pas arrêter": spoken French leaves out the "ne"
    r"|\b(?:j'?veux|veux|veut|voulons|vais|va|faut|peux|dois|compte)\s+(?:surtout |vraiment"
    r" |absolument )?"
    r"pas\b")
# "no need to pause", "pas besoin d'arrêter": the command refused, whatever else the
# sentence says of it ("I was going to ask to pause for November but no need to pause").
NO_NEED = re.compile(r"\b(?:no need|pas besoin|pas la peine|inutile) (?:to |de |d')\s*(pause|stop"
                     r"|skip|arreter|annuler|sauter|mettre en pause)\b")
NO_NEED_NAMES = {"pause": "pause", "mettre en pause": "pause", "stop": "stop", "arreter": "stop",
                 "skip": "skip", "annuler": "skip", "sauter": "skip"}
# "I didn't get the questionnaire": a resend asked for without a request's words (likely).
MISSING = re.compile(r"\b" + _HAVE_NOT + r" (?:pas|jamais) recu\b|\b(?:didn't|did not|never"
                     r"|do(?:n'?t| not) think i (?:ever )?)\s?(?:get|got|receive|received)\b")
# A pause that names how long without a date ("for two weeks", "until after the holidays").
BREAK = re.compile(r"\b(?:until|till|jusqu|jusque|for|pendant|during|from|de|du|apres|after"
                   r"|pour le moment|for the moment|for the time being)\b"
                   r"|\b(?:pause|break)\s*\?")
# Part of what we send rather than the programme: a stop that may mean only these.
PARTLY = re.compile(r"\b(?:relances?|rappels?|reminders?|notifications?)\b|\bunsubscribe\b"
                    r"|\bdesabonn")
# What makes a resend sure: it names the questionnaire, the verb says it ("renvoyer",
# "resend"), or the mail was lost ("I deleted them by mistake").
WHAT_AGAIN = re.compile(r"\b(?:questionn?ai?re|formulaire|form|survey|feedback|questions|renvoy\w*"
                        r"|resend"
                        r"|objectives|objectifs|invitation|invite|convocation"
                        r"|re-send|re-?envoy\w*|reexpedi\w*|retransmet\w*|" + _HAVE_NOT + r"|didn't"
                        r"|did not|never|deleted|lost|missed|erased|supprime\w*|perdu\w*"
                        r"|efface\w*|archiv\w*)\b")
# Our objectives subject: "séance 5 avec X : mardi 3 novembre", "session 7 with X: Monday".
OBJECTIVES = re.compile(r"\b(?:seance|session) \d+ (?:avec|with) [^:]+ ?:")
MOVE = re.compile(r"\b(?:deplacer|decaler|avancer|move|reschedule)\b"
                  r"|\b(?:de|from)\s+\d{1,2}\s*(?:h|:|am|pm)[\w:]*\s+(?:a|to)\s+\d"
                  r"|\b(?:a|to|at)\s+\d{1,2}\s*(?:h|:\d\d|am|pm)")
# "Stop until January", "interrompre le programme jusqu'à son retour": a pause.
UNTIL = re.compile(r"\b(?:jusqu|jusque|until|till)\b")
# Mail lost on the person's side: "receive them again" then asks for them sent again.
LOST = re.compile(r"\b(?:archiv\w*|supprime\w*|efface\w*|perdu\w*|deleted|lost|erased"
                  r"|by mistake|par erreur)\b")
# "in the new year", "en janvier", "after Easter": a time to come ("back from leave and
# happy to resume next month" is a resume all the same, test_reply_habits29).
# ("I'm back from leave", "à partir de cette semaine": now)
LATER = re.compile(r"\s+(?:in the new year|in (?:the )?(?:spring|summer|autumn|fall|winter)\b"
                   r"|in " + MONTH + r"|en " + MONTH + r"|(?:after|apres) (?:the |les |la |le )?"
                   r"(?:new year|holidays|vacances|fetes|summer|ete|easter|paques|christmas|noel)"
                   r"|(?:a la|at the) (?:rentree|end)\b)")
# "how do I pause this?", "comment on fait pour mettre en pause ?"
HOW_TO_PAUSE = re.compile(r"\b(?:how (?:do|can) (?:i|we)|comment (?:je|on|faire pour"
                          r"|fait-on pour|on fait pour))\b[^?]{0,20}\b(?:pause|en pause|hold)\b")
# ... and when: "til mid june", "jusqu'au 15", "from the 20th", "en avril".
AWAY_SPAN = re.compile(r"\b(?:until|till|til|jusqu|jusque|from the \d|du \d|a partir"
                       r"|(?:all|the whole of) next week|toute la semaine prochaine"
                       r"|in " + MONTH + r"|en " + MONTH + r")")
# "Did I ever get the feedback form for last week's session?": a resend, asked as a doubt.
WAS_IT_SENT = re.compile(r"\bdid (?:i|we) (?:ever )?(?:get|receive)\b[^.!]*\?")
# "am I still paused or whatever? I think I'm meant to be back now": a resume, asked back.
STILL_PAUSED = re.compile(r"\b(?:am i|are we) still (?:paused|on pause|on hold)\b"
                          r"|\b(?:suis-je|je suis|sommes-nous|on est) (?:toujours|encore)"
                          r" en pause\s*\?")
