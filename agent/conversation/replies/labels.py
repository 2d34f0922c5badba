"""Labels people put before an answer ("Appris :", "Next:", "À développer :"), and a line
cut into its labelled answers and sentences (agent.conversation.replies.answers reads
them in order). Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.cues import cue_of, cue_parts
from agent.conversation.replies.prose import sentences

_LABELS = {
    # "Note /5", "Rating (1-5)": a table's head says out of what
    "rating": r"(?:note|rating|score)[ \t]*(?:/[ \t]*5|sur 5|out of 5|\(1[ -–]5\))"
              r"|note|notes|rating|score|[ée]valuation|ma note|my rating|votre note|your rating",
    "held": r"(?:la s[ée]ance )?a eu lieu|eu lieu|took place|held|happened|s[ée]ance|session"
            r"|r[ée]alis[ée]e|tenue|effectu[ée]e",  # a form's "RÉALISÉE : OUI"
    # "Ce qu'Antoine a appris, je dirais :", "What Sam learned, I'd say:" (a mentor's)
    "learned": r"ce qu(?:e |['’] ?)\w+ a (?:appris|retenu|compris)(?:,? je dirais)?"
               r"|what \w+ (?:learned|learnt|took away)(?:,? i['’]d say)?"
               r"|(?:ce que )?j['’]ai appris|appris|learned|learnt|what i learned|acquis"
               # the question asked again in the writer's words: "What did I learn? X"
               r"|what did (?:i|we) learn|qu['’]est-ce que j['’]ai appris"
               r"|i learned|key (?:learnings?|takeaways?)|takeaways?|learnings?"
               r"|things i(?:['’]ve)? learn(?:ed|t)|ce que j['’]ai retenu|points? appris"
               r"|lessons? learn(?:ed|t)|[àa] retenir|ce que je retiens|ce que j['’]en retiens"
               r"|retenu"
               # "Concernant mes apprentissages : X", in a formal writer's point by point
               r"|(?:mes |les |nos )?apprentissages?"
               r"|(?:my|the|ma|mon) (?:(?:key|main|big|biggest) )?(?:takeaways?|learnings?)",
    "to_develop": r"(?:ce que )?je (?:veux|voudrais|souhaite) (?:encore )?(?:d[ée]velopper"
                  r"|travailler|am[ée]liorer|approfondir)|d[ée]velopper"
                  r"|[àa] (?:creuser|pratiquer|consolider)|needs? more (?:practi[cs]e|work)"
                  r"|still developing|still working on|still to work on|encore [àa] travailler"
                  r"|[àa] travailler encore|still want|points? [àa] d[ée]velopper"
                  r"|what i (?:still )?wish to develop"
                  r"|ce que je souhaite (?:encore )?(?:d[ée]velopper|travailler|am[ée]liorer)"
                  r"|(?:what )?(?:i ?)?(?:still )?(?:wants?|needs?|would like|['’]d like|like)"
                  r" to (?:develop|work on|improve|practi[cs]e|get better at)"
                  r"|(?:encore )?[àa] d[ée]velopper|(?:still )?to develop|develop|to improve"
                  r"|[àa] am[ée]liorer|[àa] (?:re)?travailler|to work on|work on|[àa] revoir"
                  r"|am[ée]liorer|points? [àa] am[ée]liorer|still to work on|needs work"
                  r"|areas? (?:to|for) (?:improve(?:ment)?|develop(?:ment)?|work on)"
                  r"|axes? (?:de progr[èe]s|d['’]am[ée]lioration)|[àa] approfondir|to practi[cs]e"
                  # "A dév. :", "Dev:", "A bosser :" in a hurry
                  r"|(?:[àa] )?d[ée]v\.?|(?:[àa] )?dvlp(?:er)?|[àa] bosser|encore d[ée]velopper"
                  r"|(?:still )?to dev\.?|improve"
                  r"|encore [àa] bosser"
                  r"|[àa] challenger(?: encore)?"  # in a French office's franglais
                  r"|still needs?(?: to work on)?|[àa] d[ée]velopp[ée]"  # "a developpé :" typed
                  r"|encore"  # "Encore : le pancréas", in a hurry
                  r"|todo|to-do"  # a ticket's "TODO: less waffle"
                  # "reste : les route-maps", "Still to do: the VAT screens": what is left
                  r"|(?:ce qu['’])?(?:il )?(?:me |nous )?reste(?: [àa] (?:faire|voir|travailler"
                  r"|bosser|d[ée]velopper|am[ée]liorer|revoir))?|still to do"
                  r"|left to do|needs? more|still"
                  r"|what (?:do )?(?:i|we) (?:would |['’]d )?(?:still )?(?:like|want|need) to"
                  r" (?:develop|work on|improve)",
    "next_focus": r"focus (?:for )?next (?:time|session)|next focus"
                  r"|next steps?(?: pour la prochaine(?: fois| s[ée]ance)?)?"
                  r"|prochaines? [ée]tapes?"
                  r"|prochain objectif|objectif (?:pour la )?prochaine (?:fois|s[ée]ance)"
                  r"|(?:pour )?(?:la )?prochaine fois|(?:pour )?(?:la )?prochaine s[ée]ance"
                  r"|(?:for )?(?:the )?next time|(?:for )?(?:the )?next session|next"
                  r"|focus|prochain focus|(?:pour )?la suite|for next time|pour la prochaine fois"
                  r"|next (?:up|topic|week|one)|prochain sujet|ensuite|[àa] suivre"
                  r"|(?:pour )?la prochaine|prochain point|prochaine|pro(?:ch)?\.? fois"
                  r"|what (?:we|i) should focus on(?: next(?: time)?)?|focus on next"
                  r"|(?:the )?next session|la prochaine s[ée]ance|what next|et ensuite",
}
# A table's head for a question, never a label alone: "Séance réalisée<tab>Non" heads its
# answer, but "- séance faite" alone on its line is the answer.
_TABLE_HEADS = {"held": r"s[ée]ance (?:r[ée]alis[ée]e|tenue|faite|effectu[ée]e)"
                        r"|session (?:held|done)"}
# How a formal writer brings in the question they answer ("As for what I learned, X").
_ABOUT = (r"(?:concerning|regarding|as for|as to|with regard to|concernant|quant [àa]"
          r"|pour ce qui est de|en ce qui concerne|s['’]agissant (?:des|du|de))")
# "Appris : ...": a known label, optional bold/bullet, then a colon (French space allowed).
LABEL = re.compile(
    # (after an emoji or a star too: "3/5 - a bit rushed 😅 learned: X")
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s)|(?<=[\u2600-\u27bf\U0001f300-\U0001faff]\s))"
    r"[ \t*\-•]*"
    # "So what I learned: X", "Thirdly, what I learned: X"
    r"(?:(?:so|alors|donc|bref|and|et|anyway|en gros|firstly|secondly|thirdly|fourthly|lastly"
    r"|finally|enfin|premi[èe]rement|deuxi[èe]mement|troisi[èe]mement)[, ]+)?"
    # "Re: appris – X", "Q3: learned - X", "Concerning what I learned, X", "Quant à ce que
    # j'ai appris : X": how a formal or a quoting writer introduces the label
    r"(?:(?:re|q[1-5])[ \t]*:[ \t]*|(?P<about>" + _ABOUT + r")[ \t]+)?(?P<label>"
    + "|".join(f"(?P<{k}>{_TABLE_HEADS[k] + '|' if k in _TABLE_HEADS else ''}{v})"
               for k, v in _LABELS.items())
    + r")"
    # "A développer de mon côté :", "Next for me:": whose answer it is, before the colon.
    r"(?:[ \t]+(?:de mon c[ôo]t[ée]|pour ma part|pour moi|for my part|on my side|for me))?"
    # "Appris (Amandine) :", "Learned (Sam):": whose answer, in brackets
    r"(?:[ \t]*\([^()\n]{1,30}\))?"
    # A colon, or at the start of a line a spaced dash ("Learnt - how to ...") or the gap of
    # a table's columns ("Learned      We finished", "Appris<tab>X": HTML tables, tabs).
    r"\**(?:[ \t]*(?::|->|=>|→|=(?!=))|(?<=\w)[ \t]+(?P<dash>[-–—])(?=[ \t]+\w)"
    r"|[ \t]*(?P<ask>\?)(?=[ \t]+\S)|(?P<comma>[ \t]*,)(?=[ \t]+\w)"
    r"|(?<=[\w?])(?P<gap>[ ]*\t[ \t]*|[ ]{2,})(?=\S))"
    # "**Learned:** X": the bold's close, never a rating of stars ("Rating: **")
    r"[ \t]*(?:(?:\*{1,2}|_{2})[ \t]+(?=[^\s*]))?(?P<value>[^\n]*?[.!?]?)"
    # ... up to the next label, after a stop that is no abbreviation's ("i.e. who")
    r"(?=(?:(?<=[.!?])(?<!\bi\.e\.)(?<!\be\.g\.)[ \t]+(?:[^\n]{1,40}?[ \t]*:|" + _ABOUT
    + r"\b))|$)",
    re.IGNORECASE | re.MULTILINE)


# A label typed in the middle of a line with no stop before it: a head in capitals ("...
# approval flow Next: month-end checklist"), or a French one before its spaced colon ("...
# sous excel à dvlper : les courbes"). Either way its colon follows at once.
_MID_LABELS = (
    re.compile(r"\b(?:Next(?: time| session)?|Learn(?:ed|t)|Appris|Prochaine fois"
               r"|[ÀA] (?:d[ée]velopper|d[ée]v|travailler|creuser)|To develop|Develop|TODO"
               r"|Focus)[ \t]?:"),
    # (never "ce que nous verrons la prochaine fois : X", a clause that leads into it)
    # ("Reste à travailler :" after a stop is one label, never "Reste" then a label; "ce
    # qu'il me reste à développer :" leads into it)
    re.compile(r"\b(?:encore [àa] (?:bosser"
               r"|travailler|d[ée]velopper)|(?<!\w)(?:(?<![\w'’] )reste )?[àa] (?:d[ée]velopper"
               r"|am[ée]liorer|d[ée]v\.?|dvlp(?:er)?"
               r"|travailler|bosser|creuser))[ \t]+:", re.IGNORECASE))


# ... or after a comma, its colon right after it ("yes, 3-4, Orla did X, next: Y").
_COMMA_LABEL = re.compile(r",[ \t]*(?=(?:next(?: time| session)?|learn(?:ed|t)|appris|dev"
                          r"|to develop|still to (?:work on|develop)|(?:la )?prochaine fois"
                          r"|pro(?:ch)?\.? fois"
                          r"|[àa] (?:d[ée]velopper|d[ée]v|travailler|bosser|revoir|creuser"
                          r"|approfondir))[ \t]?:[ \t]*\S)",
                          re.IGNORECASE)


def split_at_labels(line: str) -> list[str]:
    """A line cut before each label typed in its middle after a word, not a stop, or after a
    comma with its colon (the comma dropped)."""
    cuts = {(match.start(), match.start()) for pattern in _MID_LABELS
            for match in pattern.finditer(line) if re.search(r"\w[ \t]+$", line[:match.start()])}
    if cuts:
        # never inside the label the line opens with ("S'agissant des points à développer :");
        # matched only when there is a cut to check, as this runs on every line of a reply
        opening = LABEL.match(line)
        inside = opening.end("label") if opening is not None else 0
        cuts = {cut for cut in cuts if cut[0] >= inside}
    cuts |= {(match.start(), match.end()) for match in _COMMA_LABEL.finditer(line)}
    if not cuts:
        return [line]
    ordered = sorted(cuts)
    starts = [0, *(end for _, end in ordered)]
    ends = [*(start for start, _ in ordered), len(line)]
    return [line[a:b].strip() for a, b in zip(starts, ends, strict=True) if line[a:b].strip()]


# One of the labels alone ("4. À développer" left empty in a table of answers).
_ALONE = re.compile(r"[ \t*\-•]*(?:(?:une|la|a|the) (?=\w+[ \t]*\?))?"  # "Une note ?" asked oneself
                    r"(?:" + "|".join(_LABELS.values()) + r")\**[ \t]*[:?]?[ \t]*",
                    re.IGNORECASE)


def label_alone(line: str) -> bool:
    """Whether a line is one of our questions' labels and nothing else ("Develop", "4. À
    développer :"): a question passed, in a table of answers."""
    return _ALONE.fullmatch(re.sub(r"^\s*[1-5]\s*[.)]\s*", "", line)) is not None


def headed(text: str) -> str:
    """`text` with a label standing alone on its line, as a heading ("Appris" / "La
    différence entre budget et trésorerie"), put before the line under it as "Label: ..."."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        # the line under it, past one blank line (an HTML heading's margin)
        below = i + 2 if i + 2 < len(lines) and not lines[i + 1].strip() else i + 1
        under = lines[below] if below < len(lines) else ""
        if line.strip() and not re.search(r"[:?\d]", line) and label_alone(line) \
                and under.strip() and not label_alone(under) and not labelled(under) \
                and not re.match(r"\s*\d", under):
            out.append(f"{line.strip()}: {under.strip()}")
            i = below + 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def without_label(answer: str) -> str:
    """An answer without the label typed before it, after the question's number ("3.
    Appris : X", "3. Appris      X" in a table): only the words; a label alone is no
    answer."""
    text = answer.strip()
    if label_alone(text):
        return ""
    match = LABEL.match(text)
    if match is not None and _heads(match):
        return text[match.start("value"):].strip()
    return answer


def own_label_off(field: str, answer: str) -> str:
    """An answer in the place of `field` without a label of that same field before it ("Yes
    / 4 / X / Y / next: Z"): the label names the place the answer already has."""
    match = LABEL.match(answer.strip())
    if match is not None and _heads(match) and match.group(field) \
            and match.group("value").strip():
        return match.group("value").strip()
    return answer


def labelled(line: str) -> bool:
    """Whether a line opens with the label of one of our questions ("Rating: 3")."""
    match = LABEL.match(line.strip())
    return match is not None and _heads(match)


def _heads(match: re.Match[str]) -> bool:
    """Whether a LABEL match opening a line is a label there: never a dash or a question
    mark after the words ("Session - went well"), nor a comma without "As for"."""
    return not match.group("dash") and not match.group("ask") \
        and not (match.group("comma") and not match.group("about"))


def line_segments(line: str) -> list[tuple[str | None, str]]:
    """A line as (label or None, text) pieces: labelled answers, else its sentences."""
    pieces: list[tuple[str | None, str]] = []
    at = 0
    for match in LABEL.finditer(line):
        label = next(k for k in _LABELS if match.group(k))
        if match.group("dash") and (label in ("held", "rating") or line[:match.start()].strip()):
            continue  # "Session - went well", "Yes - 4 - learned X": a dash, no label
        if (match.group("ask") or match.group("gap")) and line[:match.start()].strip():
            continue  # "Note ? 5" opens its line; a question in a sentence is no label
        if match.group("comma") and not match.group("about"):
            continue  # "Next, ..." is a sentence; "As for what I learned, X" a label
        before = line[at: match.start()].strip()
        pieces += [(None, s) for s in sentences(before)]
        value = match.group("value").strip()
        if label == "rating" and re.search(r"(?:sur|out of|/)[ \t]*10\b", line[
                match.start(): match.start("value")], re.IGNORECASE) \
                and re.fullmatch(r"\d{1,2}(?:[.,]\d)?\W*", value):
            # "EVALUATION (SUR 10) : 8": the head says out of what; the mark alone does not
            value = f"{value.rstrip(' .!')}/10"
        said = sentences(value)
        # "Note : cinq. J'ai appris X": a rating is one sentence; one that names another
        # question after it is that answer.
        if label in ("rating", "held") and any(cue_of(s) for s in said[1:]):
            pieces += [(label, said[0]), *((None, s) for s in said[1:])]
        elif (cut := _cued_after(label, said)) is not None:
            # "reste: les allergènes. prochaine fois calcul des portions": the sentence
            # that names another question answers it
            pieces += [(label, " ".join(said[:cut])), *((None, s) for s in said[cut:])]
        else:
            pieces.append((label, value))
        at = match.end()
    pieces += [(None, s) for s in sentences(line[at:].strip())]
    return [part for label, value in pieces for part in _parts(label, value)]


def _cued_after(label: str, said: list[str]) -> int | None:
    """Where, in a labelled answer's sentences, one opens by naming another question (a
    cue), or None."""
    for at, sentence in enumerate(said[1:], 1):
        cue = cue_of(sentence)
        if cue is not None and cue[0] != label and cue[1] == sentence \
                and _OPENS_CUED.match(sentence):
            return at
    return None


# How a sentence opens that turns to another question ("Et la prochaine fois on attaque X",
# "Next time we'll tackle Y", "Learned how to Z"), never one that ends on it ("I'll jot
# something down before next time").
_OPENS_CUED = re.compile(r"\W*(?:(?:et|and|so|alors|puis|then)\s+)?(?:(?:la|the|for|pour)\s+)?"
                         r"(?:prochaine (?:fois|s[ée]ance)|next (?:time|session|week)"
                         r"|learn(?:ed|t)|appris|j['’]ai appris|i(?:['’]ve)? learn(?:ed|t)"
                         r"|still need|(?:il )?reste|[àa] d[ée]velopper|to develop)\b",
                         re.IGNORECASE)


def _parts(label: str | None, sentence: str) -> list[tuple[str | None, str]]:
    """A sentence cut where a semicolon or a spaced dash sets answers apart ("Yes - 4 -
    learned X", "learnt X; still need Y; next time: Z"), when a piece after the cut says
    what it answers; otherwise the sentence whole."""
    if label is not None:
        return [(label, sentence)]
    parts = [p.strip() for p in re.split(r"\s*;\s+|\s+[-–—]\s+", sentence) if p.strip()]
    if len(parts) < 2 or not any(cue_of(p) or LABEL.match(p) for p in parts[1:]):
        return [(None, part) for part in cue_parts(sentence)]
    out: list[tuple[str | None, str]] = []
    for part in parts:
        match = LABEL.match(part)
        if match and match.end() == len(part):
            out.append((next(k for k in _LABELS if match.group(k)),
                        match.group("value").strip()))
        else:
            out.append((None, part))
    return out
