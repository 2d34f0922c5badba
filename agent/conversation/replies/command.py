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
- *sure* / *likely* (weighed in agent.conversation.replies.sureness once a sentence is
  found to ask): a likely command is hedged ("je crois que je vais devoir
  arrêter", "maybe we should pause", "je me demande si je ne devrais pas faire une
  pause") or names a session by a day other than the one our subject gives, or by a
  weekday alone in a message without a date or written that very weekday ("can we
  skip Monday's session?" on a Monday: today's, or next week's?): it is confirmed by the
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

from agent.conversation.replies.command_words import (
    ASKS,
    AWAY_SPAN,
    HEDGE,
    HOW_TO_PAUSE,
    LOST,
    MISSING,
    MOVE,
    NEGATED,
    NO_NEED,
    NO_NEED_NAMES,
    OBJECTIVES,
    PARTLY,
    SENTENCES,
    STILL_PAUSED,
    UNTIL,
    WAS_IT_SENT,
    WHAT_AGAIN,
)
from agent.conversation.replies.dates import (
    find_date,
    fold,
    fold_quotes,
    pause_until,
    weekdays_named,
)
from agent.conversation.replies.hedged import unnegated, wondered_command
from agent.conversation.replies.prose import (
    GREETING,
    first_clause,
    last_clause,
    sentences,
    ungreeted,
)
from agent.conversation.replies.rest import explains_a_miss, needs_rest, of_someone_else
from agent.conversation.replies.sureness import Asked, Thread, how_sure, quits_what
from agent.conversation.replies.yesno import EMOJI

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
@dataclass(frozen=True)
class Command:
    """A command read in a message: its `name`, whether it is `sure` (else confirmed before
    it acts), and the `words` it was read in (a pause's date, a skip's day are in them)."""

    name: str
    sure: bool = True
    words: str = ""


_GREETING_LINE = re.compile(r"\W*" + GREETING + r"\b(?:\s+[\w'-]+){0,3}\W*$")


# Our footer's instruction ("Pour faire une pause, répondez PAUSE ; pour arrêter, répondez
# STOP."), folded: quoted back, its keywords ask nothing.
_OUR_FOOTER = re.compile(r"\b(?:pour (?:arreter|faire une pause|reprendre)|to (?:stop|pause"
                         r"|resume)),? (?:repondez|reply)\b")
# A command's keyword typed in capitals, which is the command itself wherever it stands.
_SHOUTED = r"(?:SKIP|PAUSE|STOP|RESEND|RENVOYER|REPRENDRE|RESUME|PASSER|SAUTER)"
# What a phone's mail client adds below what was typed ("Get Outlook for Android"): no
# words of the writer's, so a message of only that says what its subject says.
_FOOTER = re.compile(r"\W*(?:sent from|envoy[ée] (?:de|depuis)|get outlook|obtenir outlook"
                     r"|obtenez outlook|t[ée]l[ée]charger outlook)\b", re.IGNORECASE)


def _typed(text: str) -> list[str]:
    """The lines of `text` the writer typed (not blank, not the client's footer), up to
    the signature's "-- " line (RFC 3676, 4.3): a body of only a signature says what its
    subject says ("Pause jusqu'au 23 août")."""
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines) if line.rstrip() == "--"), len(lines))
    return [line for line in lines[:end] if line.strip() and not _FOOTER.match(line)]


def command_line(text: str, subject: str) -> str:
    """The line a keyword is read from: the first of the new text, else the subject."""
    lines = _typed(text)
    # "Hello\nStop please, my contract ends": a greeting alone on its line comes first.
    first = next((line for line in lines if not _GREETING_LINE.match(fold(line))), "")
    if not first:
        first = re.sub(r"^\s*(?:(?:re|r[ée]f|tr|fwd?|aw)\s*:\s*)+", "", subject, flags=re.I)
        # "... Thursday 14 January 2027 at 15:00 (Europe/London) skip this one, audit": what
        # was typed after our objectives subject, never our own hour read as a move
        added = re.search(r"\([A-Za-z_]+(?:/[A-Za-z_+-]+)+\)\s+(\S.*)$", first)
        first = added.group(1) if added else first
    return first


def find_command(text: str, subject: str = "", body: str = "",
                 written: date | None = None) -> Command | None:
    """The command in the new `text` of a message (the keyword first, then sentences),
    or None. `body` is the whole text before quote stripping, which drops a lone "?";
    the subject counts when the text is empty; `written`: the day the message was written,
    which makes "skip Thursday's session" the next Thursday's."""
    text = _JOKED.sub("", text)  # "Please stop sending me these. Kidding.": taken back
    keyword = _keyword(text, subject, body)
    if keyword is not None:
        return keyword
    found: Command | None = None
    thread = _thread(subject, written)
    day = thread.day
    lines = _typed(text) or [command_line(text, subject)]
    for line in lines:
        for sentence in sentences(line):
            command = _in_sentence(sentence, thread)
            if command is not None and not command.sure:
                # "La séance de vendredi prochain, je ne pourrai pas. On peut la sauter ?":
                # the sentence before may name what this one asks about.
                whole = _in_sentence(line, thread)
                if whole is not None and whole.name == command.name and whole.sure:
                    command = Command(command.name, True, line)
            if command is not None and command.sure and _UNSURE_BEFORE.search(
                    fold(line[: line.find(sentence)])):
                # "jsais pas si je pourrais être là demain... on peut la sauter ?"
                command = Command(command.name, False, sentence)
            if command is not None and (found is None or (command.sure and not found.sure)):
                found = command
    if found is not None and found.name == "resend" and not found.sure \
            and not HEDGE.search(fold(found.words)) and "@" not in found.words \
            and not WAS_IT_SENT.search(fold(found.words)) \
            and WHAT_AGAIN.search(fold_quotes(text)):
        found = Command(found.name, True, found.words)  # the next sentence says why
    how = HOW_TO_PAUSE.search(fold_quotes(found.words)) \
        if found is not None and found.name == "help" else None
    if found is not None and how is not None and AWAY_SPAN.search(
            fold_quotes(found.words)[how.end():]
            + fold_quotes(text[text.find(found.words) + len(found.words):])):
        # "how do i pause this? we're off on tour from the 20th til mid june": how, asked
        # with when: the pause itself, asked back
        found = Command("pause", False, found.words)
    away = _AWAY.match(fold_quotes(text))
    if found is None and day and away is not None:
        # "pas dispo. vendanges" in the thread of a session's objectives: that session,
        # said rather than asked, so asked back
        found = Command("skip", False, away.group())
    return found


# Not being there, said at the top of a reply to a session's objectives.
_AWAY = re.compile(r"\W*(?:pas dispo(?:nible)?|indispo(?:nible)?|not available|unavailable"
                   r"|(?:i )?can'?t make it|(?:i )?cannot make it"
                   r"|(?:i )?won'?t (?:be able to )?make it"
                   r"|je (?:ne )?(?:serai|pourrai|peux) pas (?:etre la|venir|y etre))\b[^\n]*")


# Not knowing whether one will be there, said before asking ("jsp si je vais pouvoir venir
# mardi, on peut annuler ?", "not sure if I can make it, can we skip?"): the skip is unsure.
_UNSURE_BEFORE = re.compile(r"\b(?:jsp|j'?sais pas|je (?:ne )?sais pas|not sure|unsure|pas sur"
                            r"|pas sure|don'?t know) (?:si|s'il|if|whether)\b")


def _thread(subject: str, written: date | None) -> Thread:
    """What a message's subject says of the session it is about (sureness.Thread)."""
    folded = fold(subject)
    # The objectives mail's subject gives the session's day: "skip Monday's session", "can
    # you cancel that one?" in its thread name that very session (the inbox skips it) ...
    day = frozenset(weekdays_named(folded)) if OBJECTIVES.search(folded) else frozenset()
    # ... and its date: "jpourrai pas le 12, on peut sauter celle la" under "mardi 12
    # janvier" names that session by its day of the month
    dated = find_date(subject, date(2000, 1, 1)) if day else None
    # Our subject names the session ("session 6 with ...: Thursday"): "skip this one" is it.
    return Thread(named=re.search(r"\b(?:seance|session)\b", folded) is not None, day=day,
                  written=written, month_day=dated.day if dated else None)


def _keyword(text: str, subject: str, body: str) -> Command | None:
    first = ungreeted(command_line(text, subject))  # "Hello, SKIP please, I am away"
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
    # ... or before an emoji ("pause 🙏 congé mat jusqu'en mai")
    head = re.findall(r"\w+", re.split(r"[,.;!?]|\s[-–—]\s|" + EMOJI, folded, maxsplit=1)[0])
    punctuated = len(head) < len(words) and all(w in _FILLER for w in head[len(words) - len(rest):])
    polite = bool(rest) and rest[0] in _POLITE
    # "SKIP jsuis en cours mardi": the keyword in capitals, then why, unpunctuated
    shouted = re.match(r"\W*(?:" + _SHOUTED + r"|SAUTER|PASSER|ARRET|AIDE|HELP)\b(?!\s*:)",
                       first) is not None
    if not (short or punctuated or polite or shouted):
        return None
    if command == "stop" and (UNTIL.search(folded)
                              or _for_a_time(folded, re.sub(r"^\W*\w+", "", folded))):
        # "STOP the emails for 2 weeks pls": for a time, so a pause; the keyword of
        # another command, so asked back
        return Command("pause", False, first)
    # "unsubscribe" may mean only fewer mails (and is what mail tools send by themselves):
    # asked back; "STOP", "désinscrire" leave the programme.
    return Command(command, not PARTLY.search(folded), first)


def asks_command(sentence: str) -> bool:
    """Whether a sentence asks for a command (so it answers no question). Read in a reply
    about a session, "can we skip it?", "on saute celle de la semaine prochaine" name one."""
    return _in_sentence(sentence, Thread(named=True)) is not None


def commands_apart(given: dict[str, str], paragraphs: dict[str, list[str]] | None = None
                   ) -> tuple[dict[str, str], list[str]]:
    """Answers typed under our questions but those that ask for a command ("5. Next time?
    There won't be one: please take me off the programme."), and the sentences that ask,
    where the command is then read. As a line written above our quote, an answer with a
    command answers nothing: what is around the request gives its reasons. A request in a
    paragraph of its own after the answer ("Les réseaux sous pression" / blank line /
    "Par contre, merci d'annuler la séance du 12") leaves the answer before it."""
    kept: dict[str, str] = {}
    asked: list[str] = []
    for field, value in given.items():
        parts = (paragraphs or {}).get(field, [value])
        asking = [[s for s in sentences(p) if asks_command(s)] for p in parts]
        asked += [s for found in asking for s in found]
        if not any(asking):
            kept[field] = value
        elif not asking[0]:
            kept[field] = " ".join(parts[:next(i for i, found in enumerate(asking) if found)])
    return kept, asked


def _in_sentence(sentence: str, thread: Thread) -> Command | None:
    """The command a sentence asks for (module docstring), or None; `thread`: what the
    message's subject and date say of the session it may be about."""
    folded = fold_quotes(sentence)
    if re.fullmatch(r"\W*(?:stop|arret)\W*", folded):
        return Command("stop", True, sentence)  # the keyword as a sentence of its own: "STOP."
    if _TAKEN_BACK.search(folded):
        return None  # "I did think about pausing over the flu peak but no, we're carrying on"
    shouted = re.fullmatch(r"\W*(" + _SHOUTED + r")\W*", sentence)
    if shouted is not None:
        # "Can't make next session, concrete pour on site. SKIP", "REPRENDRE 😊": the
        # keyword in capitals
        return Command(_KEYWORDS[fold(shouted.group(1))], True, sentence)
    if re.fullmatch(r"\W*(?:or|ou|sinon)\s+(?:(?:we |on )?(?:just )?(?:skip|cancel|annule|saute)"
                    r"|(?:l'|la )(?:annuler|sauter))(?: it| la)?\s*\?\W*", folded):
        return Command("skip", False, sentence)  # "Move it? or skip?": one of two, asked
    folded, wondering = unnegated(folded)
    # "du coup je fais pareil : PAUSE jusqu'au 11 janvier": the keyword in capitals asks,
    # never our own footer echoed ("pour arrêter, répondez STOP")
    in_capitals = {_KEYWORDS[fold(m.group())]
                   for m in re.finditer(r"\b" + _SHOUTED + r"\b", sentence)
                   if not _done(fold(sentence[: m.start()]), fold(sentence[m.end():]))} \
        if _OUR_FOOTER.search(folded) is None and _NAMED_WORDS.search(sentence) is None else set()
    capitals = bool(in_capitals)
    for name, pattern in SENTENCES.items():
        match = pattern.search(folded)
        missing = name == "resend" and match is not None and bool(MISSING.search(folded))
        # "what are the commands again": a question, with or without its "?"
        # (never "What words to use with angry clients." under what was learned)
        questioned = name == "help" and (re.match(r"\W*(?:what|which|quel|quelle|quels|quelles"
                                                  r"|c'?est quoi|c'?est koi|c koi)\b", folded)
                                         is not None and re.search(
            r"\b(?:commands?|commandes?|keywords?|mots-cles)\b", folded) is not None
            # "how do I pause it again I forgot the word": dictated, without its "?"
            or HOW_TO_PAUSE.match(folded.lstrip(" ,.!-")) is not None)
        if match is None or not (ASKS.search(folded) or missing or questioned or capitals):
            continue
        if any(NO_NEED_NAMES[m.group(1)] in (name, "pause" if name == "resume" else "")
               for m in NO_NEED.finditer(folded)):
            # "I was going to ask to pause, but no need to pause after all"; "No need to
            # pause anything, I'm back from the locum": no pause, so nothing to resume
            continue
        if name == "stop" and _for_a_time(folded, folded[match.end():]):
            name = "pause"  # "interrompre le programme jusqu'à son retour": it comes back
        if name == "resume" and LOST.search(folded):
            name = "resend"  # "recevoir à nouveau les mails, je les ai archivés par erreur"
        if name == "resend" and _NOT_OURS.search(first_clause(folded[match.start():])) \
                and not _OURS.search(folded):
            continue  # "can Declan resend the slides?": a partner's file, not our mail
        if name == "resend" and re.search(r"\b(?:i'?ll|i will|i'?m going to|i am going to"
                                          r"|je vais|je (?:lui|leur|te|vous))\s*$",
                                          folded[: match.start()]):
            continue  # "I'll resend Callum my query": the writer sends, nobody asks us
        if name == "resend" and re.search(r"\b(?:had to|have had to|'ve had to|j'ai du|on a du"
                                          r"|nous avons du)\s*$", folded[: match.start()]):
            continue  # "I had to resend the quote three times": what the writer did
        # A negation counts in the clause of the command only: "je ne pourrai pas être là :
        # on peut sauter la séance ?" asks to skip.
        clause = _just_before(folded, match.start())
        # A move said around the command ("on peut la décaler à 15h ?") is no skip; an hour
        # in another clause ("je finis à 7h, vous pouvez la passer") says nothing of it.
        if _SEEN_POSSIBLE.search(clause):
            continue  # "j'ai vu qu'on pouvait mettre en pause (mais ...)": told, not asked
        if re.search(r"\b(?:rather than|instead of|plutot que(?: de)?|au lieu de)\s*$",
                     folded[: match.start()]):
            continue  # "put this on hold rather than leave the programme": the other one
        if _WHEN_BEFORE.search(clause):
            continue  # "je vous dirai quand arrêter", "I'll tell you when to stop": later
        if _MENTIONED.search(folded[: match.start()]):
            continue  # "je vois qu'on peut répondre STOP : ...": the word named, not sent
        if _done(folded[: match.start()], folded[match.end():]):
            continue  # "pressed STOP by mistake", "learned how to resend webhooks": no ask
        # "il faudrait décaler ou sauter cette séance": one or the other, asked
        either = name == "skip" and re.search(r"\b(?:decaler|deplacer|reporter|move|reschedule"
                                              r"|postpone)\s+(?:\w+\s+)?(?:ou|or)\s+(?:\w+\s+)?$",
                                              folded[: match.start()]) is not None
        if NEGATED.search(clause) or (name == "skip" and not either and MOVE.search(
                last_clause(folded[: match.start()]) + folded[match.start():])):
            continue
        # (the keyword in capitals makes sure its own command only: "pressed STOP by mistake
        # ... RESUME please")
        asked = Asked(name, sentence, folded, match.start(), match.end(), missing, wondering,
                      either, name in in_capitals)
        if _names_nothing(asked, thread):
            continue
        return Command(name, how_sure(asked, thread), sentence)
    if STILL_PAUSED.search(folded):
        return Command("resume", False, sentence)
    wondered = wondered_command(folded)
    doubt = re.sub(r"\b(?:not sure|pas sure?|unsure) (?:if|whether|si|s')", " ",
                   last_clause(folded[: wondered[1].start()])) if wondered else ""
    if wondered is not None and not NEGATED.search(doubt):  # "not sure if I should pause"
        # "maybe I should stop?": asked back; "might need to stop for a few weeks": a pause
        name = "pause" if wondered[0] == "stop" and _FOR_A_WHILE.search(folded) else wondered[0]
        return Command(name, False, sentence)
    match = needs_rest(folded)
    clause = last_clause(folded[: match.end()]) if match else ""
    if match is not None and not NEGATED.search(clause.replace("sans doute", "")) \
            and not of_someone_else(folded[: match.start()], sentence) \
            and not explains_a_miss(folded):
        return Command("pause", False, sentence)  # "sans doute" is a hedge, not "without"
    return None


# "j'ai vu qu'on pouvait mettre en pause", "I know I can pause": what the person knows is
# possible, said right before the command's words, asks nothing.
_SEEN_POSSIBLE = re.compile(r"\b(?:j'ai vu|je sais|je vois|j'ai lu|i saw|i know|i see|i read)"
                            r"(?: que| qu'| that)?\s*(?:on|je|j'|nous|vous|we|i|you)\s*"
                            r"(?:pouvait|peut|pouvais|peux|pourrait|pouvons|pouvez|could|can)"
                            r"(?: aussi| toujours| always| also)?\s*$")
# "I won't be around for the next few weeks, best not to send me anything": away a while.
# (Never "for a while" alone: "I've thought about quitting for a while" is a stop.)
_FOR_A_WHILE = re.compile(r"\b(?:for the next (?:few|couple of|two|three) (?:weeks|months)"
                          # "merci de ne plus m'envoyer ces messages pour le moment"
                          r"|pour le moment|for the moment|for the time being"
                          r"|pendant (?:quelques|les prochaines) semaines"
                          r"|for (?:a few|a couple of|two|three|\d{1,2}) (?:weeks|months)"
                          r"|pendant \d{1,2} (?:semaines|mois)"
                          r"|(?:pendant )?(?:un moment|quelque temps|quelques semaines)"
                          # "... et qu'on reprenne en décembre": it comes back
                          r"|(?:qu'on|que l'on|que nous) reprenne"
                          r"|(?:and|then) (?:resume|pick (?:it|things) (?:back )?up|start again)"
                          r")\b")
# "stop the emails for that stretch", "pendant cette période": a span, so a pause.
_FOR_A_SPAN = re.compile(r"\b(?:for|during) (?:that|this|the) (?:stretch|period|time|spell"
                         r"|fortnight|month|week)\b|\bpendant (?:cette|la) (?:periode|quinzaine"
                         r"|semaine)\b")


# A command's words taken back in the same sentence: "... but no, we're carrying on", "...
# mais non, on continue" (never "but no more emails": the "no" stands alone).
_TAKEN_BACK = re.compile(r"\b(?:but|mais|en fait|actually)\s+(?:no|non|nah|nope)\s*[,.!;…]"
                         r"|\b(?:decided against it|finalement non|mais on continue"
                         r"|(?:we'?re|i'?m) (?:carrying|keeping) on)\b")


# "qu'on peut répondre STOP", "you can just reply PAUSE": the keyword named as one that can
# be sent, not sent.
_MENTIONED = re.compile(r"\b(?:peut|peux|pouvez|pourrait|pourrais|can|could|may|suffit de|just)"
                        r"\s+(?:\w+\s+){0,2}?(?:repondre|reply|answer|ecrire|write|send|taper"
                        r"|type)(?:\s+(?:with|par|avec))?\s*$")


# Keywords named as words, not sent: "I know STOP and PAUSE from the footer", "je connais
# STOP".
_NAMED_WORDS = re.compile(_SHOUTED + r"\s*(?:,|/|&|and|or|et|ou)\s*" + _SHOUTED
                          + r"|(?i:\b(?:i know|i(?:'ve| have) seen|je connais|the word"
                          r"|le mot)\s+(?:about\s+)?)" + _SHOUTED)
# What was done, not asked: the keyword pressed ("pressed STOP by mistake", "j'ai cliqué sur
# PAUSE") or the command's words as what was learned ("learned how to resend webhooks").
_DONE_BEFORE = re.compile(r"\b(?:pressed|clicked|hit|tapped|appuye sur|clique sur"
                          r"|(?:learn(?:ed|t)?|showed me|appris|montre)(?: how)? (?:to|a|comment))"
                          r"\s*$")
def _done(before: str, after: str) -> bool:
    """Whether a command's words, between the folded texts `before` and `after`, say what was
    done, not what is asked."""
    return _DONE_BEFORE.search(before) is not None or _BY_MISTAKE.match(after) is not None


_BY_MISTAKE = re.compile(r"[ \t]*(?:\w+[ \t]+)?(?:by mistake|by accident|accidentally|par erreur"
                         r"|sans faire expres|sans le vouloir)\b")


# "je vous dirai quand arrêter", "I'll let you know when to stop": the when of a command
# to come, not one asked now.
_WHEN_BEFORE = re.compile(r"\b(?:quand|lorsque|when)(?: to| il faudra| je dois| on doit)?\s*$")


def _just_before(folded: str, start: int) -> str:
    """The words a negation of the command at `start` stands in: its clause, and in a
    dictated text without commas only the last eight words ("je ne peux pas je suis au
    camion on saute la séance" asks to skip)."""
    # "sans doute" hedges; it negates nothing
    return " ".join(last_clause(folded[:start]).replace("sans doute", "").split()[-8:])


# A sentence taken back by the one after it ("Please stop sending me these.\nKidding.").
_JOKED = re.compile(r"[^.!?\n]+[.!?]+\s*(?:(?:just |only )?kidding|jk|je plaisante|je rigole"
                    r"|c'est une blague)\b[.!]*", re.IGNORECASE)
# What a partner sends, not us ("resend the slides", "me renvoyer la vidéo"), and what we do.
_NOT_OURS = re.compile(r"\b(?:slides?|deck|files?|fichiers?|docs?|documents?|presentation|pdf"
                       r"|quotes?|devis|invoices?|factures?"
                       r"|links?|liens?|notes|photos?|videos?|diapos?|supports?|plans?|schemas?"
                       r"|spreadsheets?|tableurs?|exercices?|exercises?)\b")
_OURS = re.compile(r"\b(?:questionnaires?|formulaires?|forms?|survey|objectives|objectifs"
                   r"|invitations?|invites?|convocations?|e-?mails?|mails?|messages?|courriels?"
                   r"|rappels?|reminders?)\b")



def _for_a_time(folded: str, after: str) -> bool:
    """Whether a stop is said for a time, so a pause: "until" in the clause `after` its
    words, "for the next few weeks", "for that stretch", "for a bit" ("interrompre le
    programme jusqu'à son retour", "step back from mentoring for a bit")."""
    return bool(UNTIL.search(first_clause(after)) or _FOR_A_WHILE.search(folded)
                or _FOR_A_SPAN.search(folded)
                or re.match(r"\s*for a (?:bit|while|little while)\b", after))


def _names_nothing(asked: Asked, thread: Thread) -> bool:
    """Whether a command's words ask for nothing here: "can we skip it?" with no session
    named in the sentence or the subject, "we had to stop." (what happened)."""
    if asked.name == "skip" and not asked.names_a_session():
        return not thread.named and not thread.of_month(asked.folded) and not re.search(
            r"\b(?:seance|session|meeting|reunion|rdv|first one|next one)\b", asked.folded)
    return quits_what(asked) and re.search(r"\b(?:had to|a du|avons du|ont du|as du)\b",
                                           asked.folded) is not None
