"""Commands in a reply: the keyword, or a sentence that asks for one, in French or English.

Terms:
- *command*: stop (leave the programme), pause (optionally until a date), resume,
  skip (the next session), resend (our last questionnaire), help (the list).
- *keyword*: the first line of the new text (or the subject of an empty message)
  is the command's word, possibly with a few words ("STOP", "pause svp", "skip the
  next session", "PAUSE UNTIL 3 MARCH", "?"). Always sure.
- *sentence*: a sentence that asks for it: a wish or a request ("je souhaite arrêter
  le mentorat", "merci de me désinscrire", "could you resend the questionnaire?",
  "mettez-moi en pause") naming what it is about where the verb alone would be
  ambiguous ("stop by my desk", "on a passé la moitié du temps").
- *sure* / *likely*: a likely command is hedged ("je crois que je vais devoir
  arrêter", "maybe we should pause", "je me demande si je ne devrais pas faire une
  pause") or names a session by a day other than the one our subject gives ("can we
  skip Monday's session?" in a thread about no one session): it is confirmed by the
  person before it acts (agent.conversation.commands). So is a need for rest or an
  absence said rather than asked ("I might need a break", "arrêt maladie": a pause;
  agent.conversation.replies.rest). In the thread of a session's
  objectives, skipping that day's session or "that one" is sure. A negation ("no need
  to pause", "je ne veux surtout pas arrêter") or a past tense ("we skipped the
  theory") is no command.

Nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from agent.conversation.replies.dates import find_date, fold, fold_quotes
from agent.conversation.replies.hedged import unnegated, wondered_command
from agent.conversation.replies.prose import sentences
from agent.conversation.replies.rest import needs_rest

_KEYWORDS = {
    "stop": "stop", "arret": "stop", "arreter": "stop", "unsubscribe": "stop",
    "desinscription": "stop", "desinscrire": "stop", "desinscrivez": "stop",
    "desabonnement": "stop", "desabonner": "stop", "desabonnez": "stop",
    "pause": "pause", "reprendre": "resume", "resume": "resume", "reprise": "resume",
    "skip": "skip", "passer": "skip", "sauter": "skip",
    "help": "help", "aide": "help", "aidez": "help",
    "resend": "resend", "renvoyer": "resend", "renvoi": "resend",
}
# Commands of several words, folded ("annuler la prochaine séance").
_PHRASES = {
    ("annuler", "la", "prochaine"): "skip", ("annule", "la", "prochaine"): "skip",
    ("cancel", "the", "next"): "skip", ("cancel", "next"): "skip",
}
_POLITE = {"please", "pls", "merci", "svp", "stp", "s", "thanks", "thank", "now", "maintenant"}
# Words that may follow a command without making it a sentence ("skip the next session").
_FILLER = {
    "the", "next", "one", "this", "my", "session", "meeting", "la", "le", "ma", "mon",
    "prochaine", "prochain", "seance", "reunion", "cette", "ce", "rendez", "vous", "rdv",
}
_PROGRAMME = (r"(?:(?:le|la|les|ce|ces|cette|mon|ma|mes|du|de|des|the|this|these|those|my|our"
              r"|notre|nos|au|from|of)\s+)?"
              r"(?:programme|program|mentorat|mentoring|binome|parrainage|accompagnement"
              r"|tutorat|coaching|learning pair|pairing|e-?mails?|mails?|messages?|relances?|envois"
              r"|rappels?|reminders?|notifications?"
              r"|seances|sessions|atelier|workshop|peer[- ]learning)")
_SESSION = (r"(?:(?:(?:la|ma|notre|cette|le|the|my|our|this|that|next|this week'?s|next week'?s"
            r"|tomorrow'?s|today'?s"
            r"|[a-z]+day'?s"
            r"|prochaine|prochain)\s+){1,3}(?:seance|session|meeting|reunion|rendez-vous|rdv)"
            r"|(?:[a-z]+day|tomorrow|today|next week|this week)'?s one\b)")  # "Thursday's one"
_DAY = (r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday"
        r"|thursday|friday|saturday|sunday|demain|tomorrow|du \d{1,2}|on the \d{1,2}|le \d{1,2})")
_SENTENCES = {  # help first: "how do I pause?" asks for the list
    "help": re.compile(
        r"\bquelles? (?:sont les )?(?:commandes|options)\b|\bliste des commandes\b"
        r"|\b(?:que|quoi) (?:puis-je|dois-je|peut-on|faut-il) (?:repondre|ecrire)\b"
        r"|\bcomment (?:faire pour |puis-je |peut-on )?(?:mettre en pause|arreter|me desinscrire)\b"
        r"|\bwhat (?:can|should|do) (?:i|we) (?:reply|answer|write|send)\b"
        r"|\b(?:les|des) mots[- ]cles\b"
        r"|\bles mots (?:a|pour) (?:repondre|ecrire|utiliser|envoyer)\b"
        r"|\bwhat are the (?:commands|options|keywords)\b|\blist of (?:the )?commands\b"
        r"|\bwhat commands\b|\bquelles commandes\b"
        # "what were the commands you can send again?", "c'était quoi les commandes déjà ?"
        r"|\b(?:what|which|quelles?|quoi)\b[^.?!]{0,30}\b(?:commands|commandes|keywords"
        r"|mots-cles)\b"
        r"|\bhow (?:do|can) i (?:pause|stop|unsubscribe|skip)\b|\bwhich commands\b"
        # "rappelez-moi les commandes possibles", "remind me of the keywords"
        r"|\b(?:commandes|options|mots-cles) (?:possibles|disponibles|existantes)\b"
        r"|\b(?:rappel\w*|redonn\w*|remind)(?:-moi|-nous| me| us)?(?: of)? (?:les|la liste des|the"
        r"|the list of) (?:commandes|mots-cles|commands|keywords)\b"
        r"|\b(?:available|possible) (?:commands|keywords)\b"),
    "stop": re.compile(
        r"\b(?:me\s+)?(?:desinscrire|desinscrivez|desabonner|desabonnez|retirer du programme"
        r"|retirez-moi|me retirer)\b|\bne (?:\w+ )?plus (?:recevoir|participer|faire partie)\b"
        r"|\bne (?:\w+ )?plus (?:m'|me |nous )?(?:envoyer|ecrire|relancer|contacter)\b"
        r"|\bne (?:participe|participerai|fais|ferai) plus (?:au|a|partie)\b"
        r"|\b(?:arreter|arretez|cesser|cessez) de (?:m'|me |nous )?(?:envoyer|ecrire|relancer)\b"
        r"|\b(?:arreter|stopper|quitter|abandonner|interrompre|mettre fin(?: a)?"
        r"|mettre un terme(?: a)?"
        r"|sortir d[ue]|arret d[ue]|arretez|stop|quit|leave|end|withdraw from|drop out of"
        r"|stop receiving|stop sending(?: me)?)\s+" + _PROGRAMME
        # "Please stop sending me these, I left the team", "arrêtez de m'envoyer ça"
        + r"|\bstop (?:sending|emailing) (?:me )?(?:these|them|this)\b"
        r"|\b(?:arreter|arretez|cessez) de m'envoyer (?:ca|tout ca|ces \w+)\b"
        + r"|\bunsubscribe\b|\bopt(?:ing)? out\b|\btake me off\b|\bremove me from\b"
        r"|\bremove me\s*(?:[.!,]|$)"
        r"|\bno longer (?:want to |wish to )?(?:receive|take part|participate|be part)\b"
        r"|\b(?:quit|drop out|withdraw|stop|arreter|abandonner|laisser tomber)"
        r"(?: (?:la|ici|here|there|pour moi|for me)(?: (?:apres|after) (?:celle-ci|cette seance"
        r"|this one|this session)| a partir de (?:la|maintenant|demain|cette date)| from (?:then"
        r"|now|that date))?)?"
        r"(?=\s*(?:[.!,;:]|$|sorry|desole))",
    ),
    "pause": re.compile(
        r"\bpause(?:\s+(?:me|us|it|things|everything|the mentoring|our pairing))?\s+(?:until"
        r"|till|for|jusqu|pendant|during)\b|\bcan (?:i|we) pause\b"
        r"|\b(?:faire|take|need|prendre)\s+(?:une|a)\s+(?:petite |short )?(?:pause|break)\s+"
        r"(?:until|till|jusqu|for|pendant|de|du|from|le temps|while)\b"
        # "une pause après cette séance / after the holidays", never "a break after each
        # slide": a break from the programme starts after a session or a time of year.
        r"|\b(?:pause|break)\s+(?:apres|after)\s+(?:(?:cette|la|les|notre|this|the|our|next)\s+)?"
        r"(?:seance|session|fetes|vacances|conges|holidays|christmas|noel|rentree|summer|ete"
        r"|janv|fevr|mars|avril|mai|juin|juil|aout|sept|oct|nov|dec|jan|feb|mar|apr|may|jun"
        r"|jul|aug|sep|\d)"
        r"|\b(?:mettre|mettez|mets|passer|placer)(?:-moi|-nous|-le)?\s+(?:(?:moi|nous|le mentorat"
        r"|mon mentorat|le programme|ma participation|les e-?mails|les seances|tout)\s+)?en pause\b"
        r"|\ben pause jusqu|\b(?:suspendre|suspendez|pauser)\s+" + _PROGRAMME
        + r"|\b(?:suspendre|suspendez|suspend)\s+(?:(?:tout|le tout|everything|things)\s+)?"
        r"(?:jusqu|pendant|until|till|for)\b"
        + r"|\bpause (?:the|my|our)\s+(?:mentoring|programme|program|emails?|sessions?|pairing)"
        r"|\b(?:put|place)\s+(?:me|us|it|the mentoring|my mentoring|the programme|the program"
        r"|things|the sessions|everything)\s+on hold\b|\bon hold (?:until|till)\b"
        r"|\btake a break from\b|\bfaire une pause (?:dans|du|de mon|de notre) (?:le )?"
        r"(?:programme|mentorat|binome)"),
    "resume": re.compile(
        r"\breprendre\s+" + _PROGRAMME + r"|\b(?:resume|restart)\s+" + _PROGRAMME
        + r"|\b(?:reprendre|resume|restart)\s*(?:[?.!]|$)"
        + r"|\b(?:je|nous) (?:peux|pourrai|pouvons|pourrons) (?:de nouveau |enfin )?reprendre\b"
        r"|\b(?:i|we) can (?:resume|restart|start again)\b"
        + r"|\bje suis de retour\b|\bi(?:'m| am) back\b|\brecevoir (?:de nouveau|a nouveau)\b"
        # "je suis rentrée plus tôt, vous pouvez relancer les mails ?": back, the mails again.
        r"|\bje suis (?:bien )?rentre(?:e|s|es)?\b|\b(?:relancer|relancez|rallumer|reactivez)\s+"
        + _PROGRAMME + r"|\b(?:restart|turn on|switch on)\s+(?:the |my )?(?:e-?mails|mails"
        r"|messages|reminders|sessions)\b"
        r"|\breceive (?:the )?(?:e-?mails|messages) again\b|\breactiver\b|\bstart again\b"
        r"|\b(?:start|begin) (?:sending|emailing) (?:me|us)\b"
        r"|\brecommence[rz]? (?:a|de) (?:m'|me |nous )?(?:envoyer|ecrire)\b"),
    "skip": re.compile(
        r"\b(?:annuler|annulez|annule|annulons|sauter|saute|sautons|passer|supprimer|cancel"
        r"|skip|drop)\s+" + _SESSION
        + r"|\b(?:skip|cancel|drop)\s+(?:it|that one|this one|(?:the )?next one)\b"
        # "On peut zapper celle de demain ?" in the thread of tomorrow's session
        r"|\b(?:annuler|annulez|sauter|zapper|skip|cancel)\s+(?:celle de demain|celle-ci"
        r"|tomorrow'?s(?: one)?)(?!\w)"
        # "Et on saute aussi celle de la semaine prochaine"
        r"|\b(?:on saute|sautons|on annule|annulons|on zappe)\s+(?:aussi\s+)?celle (?:de|du)\s"
        r"|\b(?:l'|la )(?:annuler|annule|annulez|annulons|sauter|saute|sautons|supprimer"
        r"|supprimez)\b"
        # "Can we skip Monday?": the day alone (checked against our subject's session).
        r"|\b(?:skip|cancel|sauter|annuler|annulez|annulons|sautons)\s+(?:on\s+)?(?:lundi|mardi"
        r"|mercredi|jeudi|vendredi|monday|tuesday|wednesday|thursday|friday)\b(?!\s*(?:'s|morning"
        r"|matin|afternoon|apres-midi)\b)"
        r"|\b(?:skip|cancel|drop|sauter|annuler|annulez|annulons|sautons)\s+(?:next week|this week"
        r"|la semaine prochaine|cette semaine)\b"),
    "resend": re.compile(
        r"\b(?:me\s+)?(?:renvoyer|renvoyez|re-?envoyer|reexpedier|retransmettre)\b"
        r"|\bresend\b|\bre-send\b|\bsend (?:me )?(?:it|them|the \w+|the e-?mails?|again)\b.*"
        r"\bagain\b|\b(?:n'ai|n'avons) (?:pas|jamais) recu (?:le|les|votre|vos)\b"
        r"|\b(?:didn't|did not|never) (?:get|got|receive|received) (?:the|your|any)\b"),
}
# A wish, a request or an order: a command written as a sentence needs one.
_ASKS = re.compile(
    r"\b(?:je (?:souhaite|souhaiterais|voudrais|veux|desire|demande|prefere|prefererais|dois"
    r"|vais devoir|vais|aimerais)|j'aimerais|j'ai besoin|merci de|merci d'|pouvez-vous"
    r"|pourriez-vous"
    r"|pourrais-je|puis-je|peux-tu|est-ce (?:qu'on|que vous|que je|possible)|veuillez"
    r"|je vous (?:prie|demande|remercie) de|il faudrait|il faudra|il va falloir"
    r"|est-il possible|serait-il possible"
    r"|on peut|peut-on|on pourrait|nous souhaitons|nous voudrions|i (?:want|wish|need|have)"
    r"|i(?:'d| would) (?:like|rather|prefer)|i(?:'m| am) (?:going|writing)|i will have|please"
    r"|can (?:you|we|i)"
    r"|could (?:you|we|i)|would you|we (?:need|want|would like|'d like)|let'?s|kindly"
    r"|need to|have to|going to|devoir|vous pouvez|tu peux|you can|(?:i|we) should"
    r"|should (?:i|we)|no longer|ne (?:\w+ )?plus"
    r"|mettez|mets-moi|arretez|retirez|renvoyez|desinscrivez|suspendez|annulez"
    r"|stop|take me|remove me|unsubscribe|put me|resend|send me"
    r"|je (?:peux|pourrai) reprendre|on saute|sautons|annulons|(?:i|we) can resume"
    r"|\bje devrais|on devrait|nous devrions|svp|stp|s'il (?:vous|te) plait|pls|plz)\b"
    r"|^(?:arret|desinscription|desabonnement|pause|suspension|reprise|stop|unsubscribe)\b"
    r"|\?\s*$")
_HEDGE = re.compile(
    r"\b(?:je crois|je pense|il est possible|peut-etre|probablement|sans doute|il se peut"
    r"|je vous (?:confirme|redis|tiens au courant)|a confirmer|je ne sais pas|pas sur"
    r"|j'envisage|j'hesite|risque de|maybe|perhaps|probably|i think|i might|might|may need"
    r"|not sure|i'll confirm|will confirm|possibly|considering|thinking (?:about|of)|i guess"
    r"|i suppose|for now|i wonder|wondering|je me demande|a voir)\b")
_NEGATED = re.compile(
    r"\b(?:ne|n')\s*(?:\w+[\s-]+){0,2}?(?:pas|jamais|surtout pas|nullement)\b"
    r"|\bpas (?:besoin|question|la peine|necessaire)\b|\binutile de\b|\bsans\b"
    r"|\b(?:no|never) (?:need|reason)\b|\b(?:don't|do not|doesn't|does not|won't|will not"
    r"|didn't|did not|not|never|no)\b|\bnot\b")
# "I didn't get the questionnaire": a resend asked for without a request's words (likely).
_MISSING = re.compile(r"\b(?:n'ai|n'avons) (?:pas|jamais) recu\b|\b(?:didn't|did not|never)"
                      r" (?:get|got|receive|received)\b")
# A pause that names how long without a date ("for two weeks", "until after the holidays").
_BREAK = re.compile(r"\b(?:until|till|jusqu|for|pendant|during|from|de|du|apres|after)\b"
                    r"|\bpause\s*\?")
# Part of what we send rather than the programme: a stop that may mean only these.
_PARTLY = re.compile(r"\b(?:relances?|rappels?|reminders?|notifications?)\b|\bunsubscribe\b"
                     r"|\bdesabonn")
# What makes a resend sure: it names the questionnaire, the verb says it ("renvoyer",
# "resend"), or the mail was lost ("I deleted them by mistake").
_WHAT_AGAIN = re.compile(r"\b(?:questionnaire|formulaire|form|survey|feedback|renvoy\w*|resend"
                         r"|objectives|objectifs|invitation|invite|convocation"
                         r"|re-send|re-?envoy\w*|reexpedi\w*|retransmet\w*|n'ai|n'avons|didn't"
                         r"|did not|never|deleted|lost|missed|erased|supprime\w*|perdu\w*"
                         r"|efface\w*)\b")
_DAY_NAMES = ("lundi monday", "mardi tuesday", "mercredi wednesday", "jeudi thursday",
              "vendredi friday", "samedi saturday", "dimanche sunday")
_DAY_NAME = re.compile(r"\b(?:" + "|".join(n.replace(" ", "|") for n in _DAY_NAMES) + r")\b")
# Our objectives subject: "séance 5 avec X : mardi 3 novembre", "session 7 with X: Monday".
_OBJECTIVES = re.compile(r"\b(?:seance|session) \d+ (?:avec|with) [^:]+ ?:")
_MOVE = re.compile(r"\b(?:deplacer|decaler|avancer|move|reschedule)\b"
                   r"|\b(?:de|from)\s+\d{1,2}\s*(?:h|:|am|pm)[\w:]*\s+(?:a|to)\s+\d"
                   r"|\b(?:a|to|at)\s+\d{1,2}\s*(?:h|:\d\d|am|pm)")

@dataclass(frozen=True)
class Command:
    """A command read in a message: its `name`, whether it is `sure` (else confirmed before
    it acts), and the `words` it was read in (a pause's date, a skip's day are in them)."""

    name: str
    sure: bool = True
    words: str = ""


def command_line(text: str, subject: str) -> str:
    """The line a keyword is read from: the first of the new text, else the subject."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        first = re.sub(r"^\s*(?:(?:re|r[ée]f|tr|fwd?|aw)\s*:\s*)+", "", subject, flags=re.I)
    return first


def find_command(text: str, subject: str = "", body: str = "") -> Command | None:
    """The command in the new `text` of a message (the keyword first, then sentences),
    or None. `body` is the whole text before quote stripping, which drops a lone "?";
    the subject counts when the text is empty."""
    keyword = _keyword(text, subject, body)
    if keyword is not None:
        return keyword
    found: Command | None = None
    # Our subject names the session ("session 6 with ...: Thursday"): "skip this one" is it.
    named = bool(re.search(r"\b(?:seance|session)\b", fold(subject)))
    # The objectives mail's subject gives the session's day: "skip Monday's session", "can
    # you cancel that one?" in its thread name that very session (the inbox skips it).
    day = _weekdays(fold(subject)) if _OBJECTIVES.search(fold(subject)) else set()
    lines = [line for line in text.split("\n") if line.strip()] or [command_line(text, subject)]
    for line in lines:
        for sentence in sentences(line):
            command = _in_sentence(sentence, named, day)
            if command is not None and not command.sure:
                # "La séance de vendredi prochain, je ne pourrai pas. On peut la sauter ?":
                # the sentence before may name what this one asks about.
                whole = _in_sentence(line, named, day)
                if whole is not None and whole.name == command.name and whole.sure:
                    command = Command(command.name, True, line)
            if command is not None and (found is None or (command.sure and not found.sure)):
                found = command
    if found is not None and found.name == "resend" and not found.sure \
            and not _HEDGE.search(fold(text)) and _WHAT_AGAIN.search(fold_quotes(text)):
        found = Command(found.name, True, found.words)  # the next sentence says why
    return found


def _keyword(text: str, subject: str, body: str) -> Command | None:
    first = command_line(text, subject)
    lone = next((line for line in body.split("\n") if line.strip()), "") if not text.strip() \
        else first
    if re.fullmatch(r"\s*\?+\s*", lone) or re.fullmatch(r"\s*\?+\s*", first):
        return Command("help", True, first)
    folded = fold(first)
    words = re.findall(r"\w+", folded)
    command = _KEYWORDS.get(words[0]) if words else None
    rest = words[1:]
    for phrase, name in _PHRASES.items():
        if tuple(words[: len(phrase)]) == phrase:
            command, rest = name, words[len(phrase):]
    # "Résumé : ..." is a label, and "Pause café très utile" a sentence, not commands;
    # "STOP", "stop please", "Pause, je suis en congé" and "PAUSE svp" are.
    if command is None or re.match(r"\W*\w+\s*:", folded):
        return None
    if command == "pause" and (rest[:1] in (["until"], ["till"], ["jusqu"])
                               or pause_until(first, None, any_year=True)):
        return Command(command, True, first)  # "pause jusqu'au 15 janvier 2027"
    meaningful = [w for w in rest if w not in _FILLER]
    short = len(meaningful) <= 2
    # The command stands alone before a comma or a full stop: "Pause, je suis en congé",
    # "Annuler la prochaine séance, je suis en déplacement".
    head = re.findall(r"\w+", re.split(r"[,.;!]", folded, maxsplit=1)[0])
    punctuated = len(head) < len(words) and all(w in _FILLER for w in head[len(words) - len(rest):])
    polite = bool(rest) and rest[0] in _POLITE
    if not (short or punctuated or polite):
        return None
    # "unsubscribe" may mean only fewer mails (and is what mail tools send by themselves):
    # asked back; "STOP", "désinscrire" leave the programme.
    return Command(command, not _PARTLY.search(folded), first)


# A yes to our question whether a command was meant ("OUI", "Yes please", "je confirme").
_YES = re.compile(
    r"^\W*(?:oui|yes|yep|yeah|ok|okay|d'accord|dac|confirm[ée]?|confirmed|je (?:le )?confirme"
    r"|i confirm|c'est (?:bien )?(?:ca|cela)|exact(?:ement)?|absolument|bien sur|tout a fait"
    r"|correct|that'?s (?:right|correct)|sure|of course|indeed|affirmative)\b")
_NO = re.compile(r"^\W*(?:non|no|nope|pas du tout|surtout pas|not at all|annul|cancel|ignore)\b")


def says_yes(text: str) -> bool:
    """Whether the new text of a reply opens with a yes (and not with a no)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    folded = fold_quotes(first)
    return bool(_YES.match(folded)) and not _NO.match(folded)


def asks_command(sentence: str) -> bool:
    """Whether a sentence asks for a command (so it answers no question). Read in a reply
    about a session, "can we skip it?", "on saute celle de la semaine prochaine" name one."""
    return _in_sentence(sentence, True) is not None


# "Surtout ne mettez pas fin au mentorat", "I don't want to quit the programme": a
# negation before ending or pausing what we run (the negation may split the verb).
_REFUSED = re.compile(r"\b(?:ne|n'|don't|do not|never|not)\b[^.!?]{0,40}?\b(?:arret\w*|stop\w*"
                      r"|fin|quitt\w*|abandonn\w*|pause|quit|end|leave|drop)\b[^.!?]{0,12}?\b"
                      + _PROGRAMME + r"\b")


def refuses_command(sentence: str) -> bool:
    """Whether a sentence says the person does not want a command ("Je ne veux surtout pas
    arrêter le mentorat, c'est trop utile !", "no need to pause"): a word on the programme,
    which answers none of our questions."""
    folded = fold_quotes(sentence)
    if _REFUSED.search(folded):
        return True
    if re.search(r"\b(?:no need|pas besoin|pas la peine|inutile) (?:to |de |d')\s*(?:pause|stop"
                 r"|skip|arreter|annuler|sauter|mettre en pause)\b", folded):
        return True  # "No need to pause or anything, things are fine now"
    for name in ("stop", "pause", "resume", "skip"):
        match = _SENTENCES[name].search(folded)
        if match is not None and _NEGATED.search(_clause(folded[: match.start()])):
            return True
    return False


def _in_sentence(sentence: str, named: bool = False,
                 day: set[int] | None = None) -> Command | None:
    """The command a sentence asks for (module docstring), or None; `named`: the message's
    subject names a session, which "can we skip it?" may then mean; `day`: the weekday of
    the session our subject is about, when it is one session's objectives."""
    folded = fold_quotes(sentence)
    if re.fullmatch(r"\W*(?:stop|arret)\W*", folded):
        return Command("stop", True, sentence)  # the keyword as a sentence of its own: "STOP."
    folded, wondering = unnegated(folded)
    for name, pattern in _SENTENCES.items():
        match = pattern.search(folded)
        missing = name == "resend" and match is not None and bool(_MISSING.search(folded))
        if match is None or not (_ASKS.search(folded) or missing):
            continue
        # A negation counts in the clause of the command only: "je ne pourrai pas être là :
        # on peut sauter la séance ?" asks to skip.
        clause = _clause(folded[: match.start()])
        if _NEGATED.search(clause) or (name == "skip" and _MOVE.search(folded)):
            continue
        sure = not _HEDGE.search(folded) and not wondering \
            and not (missing and not _ASKS.search(folded))
        # "I'm off from the 18th until 5 January, please pause the emails until then": the
        # date said before the pause.
        dated = folded if re.search(r"\buntil then\b|\bjusque-?la\b|\bjusqu'a cette date\b"
                                    r"|\bd'ici-?la\b",
                                    folded) else folded[match.start():]
        if name == "pause" and not re.search(r"\d|\b(?:janv|fevr|mars|avril|mai|juin|juil|aout"
                                             r"|sept|oct|nov|dec|jan|feb|mar|apr|may|jun|jul"
                                             r"|aug|sep)", dated) \
                and _BREAK.search(folded[match.start():]):
            sure = False  # "pause for a while", "until after the holidays": asked back
        if name == "stop" and _PARTLY.search(folded):
            sure = False  # "stop sending reminders": the reminders, or the programme?
        if name == "resend" and not _WHAT_AGAIN.search(folded):
            sure = False  # "send me the emails again": which ones, or resume after a pause?
        days = _weekdays(folded)
        # A session named by its weekday alone: check it is the next one. With its date
        # ("vendredi 13 novembre") it names one session (the inbox skips that one).
        if name == "skip" and re.search(_DAY, re.sub(r"\b(?:demain|tomorrow)\b", "", folded)) \
                and "prochain" not in folded \
                and "next" not in folded and not (day and days and days <= day) \
                and find_date(folded, date(2000, 1, 1)) is None \
                and not re.search(_DAY + r"\s+\d{1,2}\b", folded):  # "lundi 16": one day
            sure = False
        if name == "skip" and re.search(r"\b(?:week|semaine)\b", folded[match.start():]) \
                and not re.search(_SESSION, folded[match.start():]):
            sure = False  # "skip next week": sessions may not be weekly; which one is asked
        if name == "skip" and not re.search(_SESSION, folded[match.start():]) \
                and not re.search(r"\bnext one\b", folded[match.start():]):
            # "can we skip it?": only a session named on the line makes it one
            if not named and not re.search(r"\b(?:seance|session|meeting|reunion|rdv)\b", folded):
                continue
            # "je ne serai pas là à la prochaine séance, on peut la sauter ?": the next one,
            # named before; otherwise only our subject's session is sure.
            sure = sure and (bool(day) and days <= (day or set()) or bool(
                re.search(r"\b(?:prochaine|prochain|next)\s+(?:seance|session|meeting|reunion"
                          r"|rendez-vous|rdv)\b|\b(?:seance|session) (?:de |du |on )?\w+day"
                          r"|\bseance d[eu] \w+di prochain", folded[: match.start()])))
        if name == "stop" and not re.search(_PROGRAMME, folded[match.start():]) \
                and re.match(r"(?:quit|drop out|withdraw|stop|arreter|abandonner|laisser tomber)"
                             r"(?!\s+(?:sending|emailing|receiving|de m'envoyer))",
                             folded[match.start():]):
            if re.search(r"\b(?:had to|a du|avons du|ont du|as du)\b", folded):
                continue  # "we had to stop.": what happened, not a wish
            # "I want to quit.", "je préfère arrêter là": quit what? asked back; the keyword
            # in capitals ("donc STOP pour moi à partir de là") is the command itself.
            sure = bool(re.search(r"\bSTOP\b", sentence))
        return Command(name, sure, sentence)
    wondered = wondered_command(folded)
    if wondered is not None and not _NEGATED.search(_clause(folded[: wondered[1].start()])):
        return Command(wondered[0], False, sentence)  # "maybe I should stop?": asked back
    match = needs_rest(folded)
    clause = _clause(folded[: match.end()]) if match else ""
    if match is not None and not _NEGATED.search(clause.replace("sans doute", "")):
        return Command("pause", False, sentence)  # "sans doute" is a hedge, not "without"
    return None


def _clause(before: str) -> str:
    """The last clause of the text before a command: where a negation of it would be."""
    return re.split(r"[:;,.!?]|\bmais\b|\bbut\b", before)[-1]


def _weekdays(folded: str) -> set[int]:
    """The weekdays a folded text names, Monday 0, in French or English."""
    return {next(i for i, names in enumerate(_DAY_NAMES) if word in names.split())
            for word in _DAY_NAME.findall(folded)}


def pause_until(words: str, written: date | None, *, any_year: bool = False) -> date | None:
    """The date in a "pause until <date>" command's words (agent.conversation.replies.dates).

    A date without a year is the next such day on or after `written` (the message's
    date); `any_year` only asks whether there is a date at all."""
    if not re.search(r"\b(?:until|till|til|jusqu|au|to|fin|end)\b|\d", fold(words)):
        return None
    return find_date(words, written or (date(2000, 1, 1) if any_year else None))
