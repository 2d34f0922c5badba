"""Read the answers to our questionnaire out of what a person wrote.

Terms (the questionnaire's questions are 1 took place?, 2 rating, 3 learned, 4
still to develop, 5 next time; templates/*/questionnaire.txt.j2):
- *given*: answers typed after our own questions (agent.conversation.replies.align);
  they win.
- *numbered*: "1. Oui / 2. 4 / 3. ..." by the question's number ("1)", "1 -", "Q1:",
  "1 oui" when several lines are so numbered), or "oui / 4 / ... / ..." on one line.
- *labelled*: "Note : 4", "Appris : ...", "À travailler : ...", "Next: ...", also in the
  middle of a line ("Oui ! 5. Les jointures. Prochaine fois : les sous-requêtes.").
- *cued*: a sentence that names its question ("J'ai appris ...", "Next time ...").
- *in order*: lines answering one question each, as people answer a list: once a line
  said whether it took place or gave the rating, each next line that is not small
  talk answers the next question. A sentence after the rating on the same line is a
  comment, unless something later on that line answers a later question.

Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.conversation.replies.command import asks_command
from agent.conversation.replies.cues import cue_of
from agent.conversation.replies.dictated import dictated, spoken_stops
from agent.conversation.replies.hedged import refuses_command
from agent.conversation.replies.labels import (
    headed,
    label_alone,
    line_segments,
    split_at_labels,
)
from agent.conversation.replies.numbered import FIELDS as FIELDS  # the questions, in order
from agent.conversation.replies.numbered import lone_rating, numbered_line, slashed, unlisted
from agent.conversation.replies.numbered import numbered as numbered_answers
from agent.conversation.replies.prose import (
    GREETING,
    bare_answer,
    held_in,
    run_on,
    says_held,
    sentences,
    small_talk,
    stated_held,
    unbulleted,
    ungreeted,
)
from agent.conversation.replies.ratings import (
    Rating,
    corrected,
    find_rating,
    in_slot,
    meh,
    rating_like,
)
from agent.conversation.replies.remarks import (
    addressed,
    comment,
    covered,
    judged,
    judged_first,
    plan_like,
)
from agent.conversation.replies.signed import (
    answer_lines,
    signs,
    unsigned,
    untagged,
    without_sign_off,
)
from agent.conversation.replies.yesno import NO, YES

_TEXT_FIELDS = FIELDS[2:]


@dataclass(frozen=True)
class Answers:
    """What a reply answered: rating (1-5), whether the session took place, free-text answers,
    and `used`: the lines read as answers (commands are not looked for in them)."""

    rating: int | None = None
    held: bool | None = None
    learned: str = ""
    to_develop: str = ""
    next_focus: str = ""
    rating_unclear: bool = False  # a rating seems given but cannot be read
    used: tuple[str, ...] = ()

    def of_the_session(self) -> bool:
        """Whether a rating (read or not) or whether the session took place was given."""
        return self.rating is not None or self.held is not None or self.rating_unclear

    def count(self) -> int:
        """How many of our questions were answered (a rating that cannot be read counts)."""
        return sum((self.rating is not None or self.rating_unclear, self.held is not None,
                    bool(self.learned), bool(self.to_develop), bool(self.next_focus)))


def read_answers(text: str, given: Mapping[str, str] | None = None, *,
                 questionnaire: bool = True, signer: Sequence[str] = ()) -> Answers:
    """The answers in `text` and `given` (module docstring). `questionnaire`: the message
    answers our questionnaire, so lines may answer in order; elsewhere only what says
    what it answers counts. `signer`: the writer's names, lower case (never an answer)."""
    text = headed("\n".join(map(ungreeted, unbulleted(text).split("\n"))))
    # one long line said to a phone, its stops said aloud ("point") made stops
    text = "\n".join(dictated(spoken_stops(line)) for line in text.split("\n"))
    text = "\n".join(part for line in text.split("\n") for part in split_at_labels(line))
    # "[Aoife] Yes": Outlook's "Preface comments with" option puts the name before each
    # answer typed into our quote; the tag is no part of the answer
    # ("- Freeze panes" under our copied question: one list mark is layout)
    fields = {k: unsigned(untagged(unlisted(v).strip(), signer), signer)
              for k, v in (given or {}).items() if k in FIELDS and v.strip()}
    used: list[str] = []
    numbered = numbered_answers(text) or slashed(text) or dict(
        zip(FIELDS, run_on(text), strict=False))
    for name, value in numbered.items():
        fields.setdefault(name, unsigned(value, signer))
    if numbered:
        used += [line for line in text.split("\n") if numbered_line(line)]
    else:
        _in_order(text, fields, questionnaire, used, signer)
    rating = in_slot(fields["rating"]) if "rating" in fields else find_rating(text)
    if "rating" not in fields and not rating.found and meh(text):
        rating = Rating(None, True, "meh")
    fixed = corrected(text)
    if fixed is not None:
        rating = Rating(fixed, False, "corrected")
    held = held_in(fields["held"], slot=True) if "held" in fields else None
    if held is None:
        held = _held_anywhere(text)
    if held is None and (rating.value is not None or rating.unclear and re.search(
            r"\d", rating.found)) and any(
            _clean(fields.get(name, "")) for name in _TEXT_FIELDS):
        # A rating (even a hesitant "3.5/5 maybe") with what was learned or what comes
        # next answers as if the session took place; a rating alone (a one-click
        # "Note : 3") says nothing of it.
        held = True
    if held is False and rating.value is None and rating.unclear \
            and not re.search(r"\d|[★⭐🌟]", rating.found):
        rating = Rating()  # "no; Tom was off; n/a": why it did not happen, in the mark's place
    unrated = [line for line in text.split("\n") if not find_rating(line).found]
    if held is None and rating.value is not None and (
            judged("\n".join(unrated)) or any(
                comment(s) for line in text.split("\n") for s in sentences(line)
                if not find_rating(s).found)):
        # "Rating: 2 / A waste of time, he hadn't prepared", "Three. Session rather
        # rushed": judged, so it took place
        held = True
    return Answers(
        rating=rating.value, held=held,
        # A session that did not take place taught nothing: a line read as learned there
        # says when it will ("On la refait la semaine pro", "The rest once we've had it").
        learned=_clean(fields.get("learned", "")) if held is not False else "",
        to_develop=_clean(fields.get("to_develop", "")),
        next_focus=_clean(fields.get("next_focus", "")),
        rating_unclear=rating.value is None and rating.unclear, used=tuple(used))


def _held_anywhere(text: str) -> bool | None:
    """Whether the session took place, said anywhere but in a command ("merci d'annuler la
    prochaine séance" cancels what is to come, not the session asked about)."""
    text = "\n".join(" ".join(_not_asking(s) for s in sentences(line))
                     for line in text.split("\n"))
    # "Bonjour oui 3/5": a greeting typed on without a comma opens an answer still
    lines = [re.sub(r"^\W*" + GREETING + r"[ \t]+(?=" + YES + r"\b)", "",
                    line, flags=re.I) for line in text.split("\n")]
    lines = [line for line in lines if line.strip() and not small_talk(line)]
    first = lines[0] if lines else ""
    # "4, oui": the rating typed before the yes leaves the yes its answer.
    first = re.sub(r"^\W*[1-5][ \t]*,?[ \t]*(?=" + YES + r"\b)", "", first, flags=re.I)
    # "Already answered this?? Anyway: yes, 3.": the word that turns to the answer
    first = re.sub(r"(^|[.!?]\s+)(?:anyway|anyhow|bref|enfin bref|bon)\s*[:,]?\s+(?=" + YES
                   + r"\b)", r"\1", first, flags=re.I)
    for sentence in sentences(first):
        if says_held(sentence):
            return held_in(sentence)
    return stated_held(text)


def _not_asking(sentence: str) -> str:
    """A sentence without its clauses that ask for a command: "La séance n'a pas eu lieu,
    et je préfère arrêter là" still says the session did not take place."""
    if not asks_command(sentence):
        return sentence
    # "Yes 4 ⭐ but honestly I'm drowning, maybe I need a break?": the yes still answers
    return ", ".join(c for c in re.split(r"\s*[,;:]\s*|\s+(?:but|mais)\s+", sentence)
                     if c and not asks_command(c))


# "Firstly, I learned X", "Thirdly, and lastly, ...", "d'autre part": where the answer
# stands in the writer's list, not part of it.
_ORDINAL = re.compile(r"^(?:and |et )?(?:firstly|secondly|thirdly|fourthly|lastly"
                      r"|premi[èe]rement|deuxi[èe]mement|troisi[èe]mement|d['’]une part"
                      r"|d['’]autre part)(?:,? (?:and|et) (?:lastly|finally|enfin))?[,:]? (?=\w)",
                      re.IGNORECASE)


def _clean(value: str) -> str:
    value = _ORDINAL.sub("", without_sign_off(" ".join(value.split())), count=1)
    if re.fullmatch(r"[\W_]*|(?:n\s*/\s*a|na|sans objet|not applicable|ras|r\.a\.s\.?|n[ée]ant"
                    # "sais pas", "dunno": the question passed, not answered
                    r"|(?:je )?(?:ne )?sais pas(?: encore)?|j['’]?sais pas|jsp|aucune id[ée]e"
                    # "Rien de prévu pour la suite, on verra avec Sylvie": nothing yet
                    r"|(?:rien de pr[ée]vu|nothing (?:planned|decided)|pas encore d[ée]cid[ée]"
                    r"|not decided)(?: yet| encore)?(?: pour la suite| for next time)?"
                    r"(?:,? (?:on verra|we'?ll see)[^.!?]{0,40})?"
                    r"|no idea|(?:i )?(?:don['’]?t|do not) know(?: yet)?|dunno|idk)"
                    r"(?:\s*\([^()]*\))?[\W_]*", value, re.IGNORECASE):
        # "N/A", "-", "RAS", "n/a (séance de pratique)": the question passed ("rien",
        # "nothing" are answers, kept)
        return ""
    return value


def _in_order(text: str, fields: dict[str, str], questionnaire: bool, used: list[str],
              signer: Sequence[str]) -> None:
    """Labelled, cued and in-order answers, line by line (module docstring)."""
    cursor = 0  # the first question not answered or passed yet
    in_list = False  # once true, lines answer the questions one after the other
    labelled = ""  # the field a label on the line before opened ("À développer : a\nb")
    cued: set[str] = set()  # fields a cue or the order of lines gave, not a label
    deferred: list[tuple[str, str]] = []  # sentences after a cued one, and where they'd go
    held_over = ""  # a sentence after the mark, no text answer yet: learned, if later
    # lines answer only the questions after it
    lines = [(_before_the_turn(line), blank) for line, blank in answer_lines(text, signer)]
    said_of = [sentences(line) for line, _ in lines]
    asking_of = [[asks_command(s) for s in said] for said in said_of]
    # The lines that may answer: neither small talk nor a request ("Yes, 4. X." above "I
    # think I need a break until January" is a line of answers all the same).
    answering = [i for i, (line, _) in enumerate(lines)
                 if not small_talk(line) and not any(asking_of[i])]
    for at, (line, after_blank) in enumerate(lines):
        said, asking = said_of[at], asking_of[at]
        if labelled in _TEXT_FIELDS and not after_blank and fields.get(labelled) \
                and re.search(r"(?m)^\s*\(" + re.escape(line) + r"\)\s*$", text):
            # "Develop: delegation" / "(I still do everything myself)": an aside on the
            # answer above (answer_lines took its brackets off), whatever it says
            fields[labelled] = f"{fields[labelled]} ({line})"
            continue
        # A refused command and a word to someone answer nothing; the rest of their line
        # may ("Yes, 5. I learned X. No need to pause anything, though."). A line with a
        # command answers nothing at all, and the command may name its session in the
        # sentence before ("La séance de vendredi, je ne pourrai pas. On peut la sauter ?").
        kept = [s for s, asks in zip(said, asking, strict=True)
                if not (asks or refuses_command(s) or addressed(s))]
        if len(kept) > 1 and signs(kept[-1], signer):
            kept.pop()  # "... we're both around. H x": signed at the end of the line
        paragraph = len(said) >= 4 and any(asking)
        if paragraph:
            # A paragraph that answers, then asks ("..., 4. J'ai compris X. Je dois encore
            # Y. Par contre, pouvez-vous mettre mes mails en pause ?"): its cued answers
            # before the request stand; the request and what leads into it answer nothing.
            kept = [s for s in said[: asking.index(True)] if s in kept
                    and (cue_of(s) or says_held(s) or find_rating(s).found)]
        if small_talk(line) and re.match(r"\W*p\.?\s?s\b", line, re.I) or not kept \
                or any(asking) and not paragraph or 1 < len(said) <= 3 and asks_command(line):
            labelled = ""
            continue  # an aside ("PS : ..."), a line with a command, or nothing else
        line = " ".join(kept)
        if labelled and label_alone(line):
            labelled = ""  # "Develop" left empty under a labelled answer: that question passed
            continue
        segments = line_segments(line)
        if len(segments) > 1 and segments[0][0] is None and re.fullmatch(
                r"\s*1[.)]\s*", segments[0][1]) and says_held(segments[1][1]):
            segments = segments[1:]  # "1. Non, reportée au 24": our first question's number
        # A rating or a yes is one line: only a text answer goes on below its label.
        if labelled in _TEXT_FIELDS and not after_blank and _goes_on(fields[labelled], line) \
                and all(label is None and cue_of(value) is None and not says_held(value)
                        and not find_rating(value).found for label, value in segments):
            fields[labelled] = f"{fields[labelled]} {line}"
            continue
        labelled = segments[-1][0] or "" if segments else ""
        head = False  # this line opened with whether it took place, or the rating
        pending: list[str] = []  # sentences after the head, waiting for a later answer
        loose: list[str] = []  # sentences of a line that says nothing of what it answers
        cued_after = len(FIELDS)  # the first question a sentence after the loose ones named
        after: list[tuple[str, str]] = []  # sentences after a cued one: (question, text)
        last = ""  # the text answer the sentence before on this line gave
        judging = False  # the line opened by judging the session: what follows goes on so
        # "Unfortunately we only had half an hour. 3/5": what comes before the rating on
        # its line is a comment on it; only lines below a list's start answer in order.
        listed = in_list
        for label, value in segments:
            if label is None and (not re.search(r"[\w★☆⭐🌟]", value)
                                  or value.casefold().strip(" .!,") in signer
                                  or _ASKED_BACK.fullmatch(value)
                                  or value.rstrip().endswith("?") and label_alone(value)):
                # "»" closing a quoted answer, "Thanks! Emma", "Sur quoi ? X", "Une note ?
                # Entre 3 et 4": no answer
                continue
            cue = cue_of(value) if label is None else None
            if cue is not None:
                label, value = cue
            if label is not None:
                name = label
                if name == "held" and held_in(value, slot=True) is None:
                    continue  # "Séance : ..." with no yes or no says nothing of it
                if cue is not None and name == last:
                    # "Rachel showed me X. Also learnt Y.": one answer in two sentences.
                    fields[name] = f"{fields[name]} {value}"
                    continue
                if name in fields and not (cue is None and name in cued):
                    labelled = ""
                    continue
                if cue is not None:
                    cued.add(name)  # a label for it later wins: "What I learned: X"
                else:
                    cued.discard(name)
                fields[name] = value
                last = name if name in _TEXT_FIELDS else ""
                used.append(line)
                cursor = _fill(pending, fields, cursor, FIELDS.index(name))
                if loose:
                    cued_after = min(cued_after, FIELDS.index(name))
                cursor = max(cursor, FIELDS.index(name) + 1)
                in_list = True
            elif cursor <= 1 and not pending and (says_held(value) or find_rating(value).found
                                                  or lone_rating(value)):
                if says_held(value) and "held" not in fields:
                    fields["held"] = value
                rating = find_rating(value)
                if (rating.found or lone_rating(value)) and "rating" not in fields:
                    fields["rating"] = rating.found or value
                    cursor = 2
                cursor = max(cursor, 1)
                head = in_list = True
                # "Secondly, in terms of a rating, I have to be honest: it was really useful.
                # So five out of five.": what leads up to the rating on its line is said of it.
                loose.clear()
                # "Yes 3/5, the basics of negotiation": what follows the rating may answer.
                rest = value[value.find(rating.found) + len(rating.found):] \
                    if rating.found and rating.found in value else ""
                if _ON_THE_MARK.match(rest) or _DOCKED.search(rest) \
                        or re.fullmatch(r"\s*\([^()]*\)\W*", rest):
                    # "3 out of 5 this time, bit rushed.", "4 (Bernard showed me his
                    # notebook)": said of the mark
                    rest = ""
                rest = rest.strip(" ,;:–—-")
                if (bare_answer(rest) or covered(rest)) and not comment(rest):
                    pending.append(rest)
            elif cursor == 1 and "rating" not in fields and not pending and len(segments) == 1 \
                    and rating_like(value):
                fields["rating"] = value  # "Oui / entre 3 et 4 / ...": the rating's line
                cursor = 2
            elif small_talk(value):
                continue
            elif "held" not in fields and (len(value.split()) <= 5 and (
                    stated_held(value) or says_held(value) and held_in(value, slot=True))
                    or _BARE_YES.fullmatch(value)):
                # "Five. / Took place yes. / ...": whether it took place, said after the
                # rating, is that answer, not the next question's.
                fields["held"] = value
            elif stated_held(value) and not cue_of(value):
                # "on a fait la séance mais courte (partiel le lendemain)": whether it took
                # place, said in a sentence of its own, answers no later question
                fields.setdefault("held", value)
            elif find_rating(value).found or lone_rating(value):
                if "rating" not in fields:  # a rating after other words: still the rating
                    fields["rating"] = find_rating(value).found or value
            elif head:
                if not comment(value):  # "Oui. 4. Élodie progresse bien.": a comment
                    pending.append(value)
            elif (last or loose) and comment(value):
                continue  # "Learned X. We spent too long on theory though.": a remark on it
            elif last or cued_after < len(FIELDS) and loose:
                # "X. Still shaky on Y. Build Z.": after the cued one, the next question, as
                # it stands now (a later sentence may name it, or one after it, itself)
                slot = _next_free(fields, max(cursor, 2))
                if slot is not None:
                    after.append((slot, value))
            elif (judging or judged_first(value)) and not loose:
                # "Rating: 3 / A bit rushed, the alarm went off. Not his fault.": how it went
                judging = True
                continue
            else:
                loose.append(value)
        if after and listed and questionnaire:
            # Only where no later line answers that question itself ("Ce que j'ai appris,
            # c'est X. Je vais changer ma façon de faire." / "Je dois encore Y.").
            for slot in dict.fromkeys(s for s, _ in after):
                deferred.append((slot, " ".join(v for s, v in after if s == slot)))
        if loose and listed and questionnaire:
            slot = _next_free(fields, max(cursor, 2))
            before = _next_free(fields, 2)
            if before is not None and FIELDS.index(before) < cued_after < len(FIELDS):
                # "Tom prepared the deck himself. He needs to anticipate X.": what comes
                # before a sentence that names its question answers one before it.
                slot = before
            if slot == "to_develop" and plan_like(" ".join(loose)):
                # "Oui / 5 / X / Finir la campagne ensemble.": one question passed, and what
                # to do together is the next session's, not a skill to develop.
                slot = "next_focus" if "next_focus" not in fields else slot
            if slot is not None:
                fields[slot] = " ".join(loose)
                cued.add(slot)  # placed by order: a label for it later wins
                cursor = FIELDS.index(slot) + 1
        # ... and so do the three sentences after the head of a reply on one line ("Oui, 4.
        # X. Je veux encore Y. Z."; "Sur quoi ?" said back was passed over above)
        three = len(pending) == len(_TEXT_FIELDS) and all(len(p.split()) >= 3 for p in pending)
        if questionnaire and head and pending and (all(
                bare_answer(p) or covered(p) for p in pending) or (
                len(pending) == 1 or three) and answering == [at]) \
                and held_in(fields.get("held", ""), slot=True) is not False \
                and sum(i > at for i in answering) < len(_TEXT_FIELDS):
            # "Oui, 4/5. Les TCD et les segments.": words with no verb of their own after
            # the rating answer the next question; a sentence ("Paul est très clair") is a
            # comment on the session.
            cursor = _fill(pending, fields, cursor, len(FIELDS))
        elif questionnaire and head and len(pending) == 1 and not held_over \
                and not any(field in fields for field in _TEXT_FIELDS) \
                and not _WHY_SO.search(pending[0]):
            held_over = pending[0]
    if held_over and "learned" not in fields and any(
            field in fields for field in ("to_develop", "next_focus")):
        # "Yes — 5! We finally recorded the intro." above "Develop: X": the sentence after
        # the mark answers the question the later labels left
        fields["learned"] = held_over
    for slot, value in deferred:
        fields.setdefault(slot, value)


# Why the session went as it did, said after the mark ("Not Gareth's fault.", "Emma was
# distracted, we cut it short", "Je ne mettrai pas de note"): no answer of what was learned.
_WHY_SO = re.compile(r"\b(?:fault|faute|distract\w*|cut (?:it )?short|[ée]court[ée]e?|notes?"
                     r"|ratings?|marks?|pr[ée]par[ée]e?s?|prepared|injuste|unfair|en retard|late"
                     r"|honestly|franchement)\b", re.IGNORECASE)


# Where a long sentence turns from its answers to something else: "..., et puis je voulais
# vous dire aussi que ...", "..., and also I wanted to say ...".
_TURN = re.compile(r",\s*(?:et puis|et aussi|par contre|autre chose|and also|also|oh and|by the way"
                   r"|btw)\b", re.IGNORECASE)


def _before_the_turn(line: str) -> str:
    """A line of answers typed on as one long sentence that ends by asking for a command
    ("oui, 4, j'ai appris X, ..., et puis je me demande si je ne devrais pas arrêter"): the
    answers before the turn (the command is read from the whole text all the same)."""
    turn = _TURN.search(line)
    if turn is None or len(line.split()) < 25 or asks_command(line[: turn.start()]) \
            or not asks_command(line[turn.start():]):
        return line
    return line[: turn.start()]


def _goes_on(answer: str, line: str) -> bool:
    """Whether `line` goes on with the labelled `answer` above it (a client wrapped it, or
    the person went on in lower case), rather than answering the next question ("À bosser
    : le cadrage\nOn fait le prochain shooting ...")."""
    return not answer.strip() or line[:1].islower() or not line[:1].isalpha() \
        or len(answer) >= 50 \
        or bool(re.search(r"[,;:–-]$|\b(?:et|and|or|ou|de|du|des|the|of|to|les|la|le|a|à|en|in"
                          r"|for|pour|with|avec|on|sur)$", answer.rstrip(), re.IGNORECASE))


_ON_THE_MARK = re.compile(r"\W*(?:this time|cette fois|for me|pour moi|from me|de ma part"
                          r"|overall|au total|today|aujourd['’]hui|honestly|franchement"
                          r"|sans h[ée]siter|for sure|easily|[àa] cause de (?:[çc]a|cela))\b",
                          re.IGNORECASE)
# "four and a half, tom lost half a point for the dad jokes": why the mark is what it is.
_DOCKED = re.compile(r"\b(?:lost|loses|losing|minus|docked|knocked off|perd\w*|moins|enl[eè]v\w*"
                     r"|retir\w*)\b[^.!?]{0,25}\b(?:points?|stars?|marks?|[ée]toiles?)\b",
                     re.IGNORECASE)
# "Sur quoi ? L'accroche du lustre": our question said back before its answer.
_ASKED_BACK = re.compile(r"\W*(?:sur quoi|quoi|what|which|how|comment|pourquoi|why|quand|when"
                         r"|o[uù]|where|who|qui)\b[^?\n]{0,20}\?\W*", re.IGNORECASE)
_BARE_YES = re.compile(r"\W*(?:" + YES + "|" + NO + r")\W*", re.IGNORECASE)


def _fill(pending: list[str], fields: dict[str, str], cursor: int, until: int) -> int:
    """Sentences waiting before an answer to question `until` answer the ones before it;
    returns the new cursor."""
    for value in pending:
        slot = _next_free(fields, max(cursor, 2))
        if slot is not None and FIELDS.index(slot) < until:
            fields[slot] = value
            cursor = FIELDS.index(slot) + 1
    pending.clear()
    return cursor


def _next_free(fields: Mapping[str, str], start: int) -> str | None:
    return next((f for f in FIELDS[start:] if f not in fields), None)
