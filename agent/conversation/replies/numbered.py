"""Answers numbered by our questions' numbers ("1. Oui / 2. 4 / 3. ..."), in any of the
ways people number a list: "1." "1)" "1 -" "1:" "1/" "Q1:" "Question 3 :", "1 oui" when
several lines are so numbered, or "1. oui 2. 4 3. ..." on one line; a teacher's "a) b)
c)" letters too (from the first question, or from the first written one when the rating
came above them). And answers in order without numbers but set apart on one line ("oui /
4 / les TCD / ...", bars, semicolons, spaced dashes), with a lone rating among them.

Terms: *fields* are the questionnaire's questions in order (1 took place?, 2 rating,
3 learned, 4 still to develop, 5 next time; templates/*/questionnaire.txt.j2). Nothing
here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.cues import cue_of
from agent.conversation.replies.labels import LABEL, own_label_off, without_label
from agent.conversation.replies.prose import says_held, sentences, small_talk
from agent.conversation.replies.ratings import find_rating

FIELDS = ("held", "rating", "learned", "to_develop", "next_focus")
# "1. Oui", "2) 4", "(3) J'ai appris", "3 - ...", "4: ...", "Q2: 5", "R3 :", "Question 3 :",
# "1/ oui" (never "4/5": a space must follow).
_NUMBERED = re.compile(r"^[ \t]*\(?(?:q(?:uestion)?[ \t]*|a(?:nswer[ \t]*)?|r(?:[ée]ponse[ \t]*)?)?"
                       r"([1-5])[ \t]*"
                       r"(?:[.)/]|-|–|:)(?=\s|$)[ \t]*",
                       re.IGNORECASE | re.MULTILINE)
# "1 oui / 2 top", "A1 yes / A2 4" (answer codes)
_NUMBERED_BARE = re.compile(r"^[ \t]*(?:[QAR](?=\d))?([1-5])[ \t]+(?=\S)", re.MULTILINE)
# "a) oui / b) 4 / c) ...": a teacher's lettered list, a) for our first question
_LETTERED = re.compile(r"^[ \t]*\(?([a-e])\)[ \t]*", re.IGNORECASE | re.MULTILINE)
# "1. oui 2. 4 3. ...": on one line only "N." / "N)" after a space counts.
_NUMBERED_INLINE = re.compile(r"(?:^|(?<=\s))([1-5])[.)](?=\s)[ \t]*", re.MULTILINE)


# "6. Could you resend the objectives?" after our five: no answer, and the end of the last.
_BEYOND = re.compile(r"^[ \t]*(?:[6-9]|1\d)[ \t]*(?:[.)/]|-|–|:)(?=\s)", re.MULTILINE)
# Our own question, copied before its answer ("3. Qu'avez-vous appris ? X").
_OUR_QUESTION = re.compile(r"^\W*(?:qu['’]avez|que souhaitez|sur quoi|la s[ée]ance a-t-elle"
                           r"|votre note|did the|your rating|what did|what do|what should"
                           r"|what would|what will)", re.IGNORECASE)


def numbered_line(line: str) -> bool:
    """Whether a line opens with a question's number ("2. 4", "Q3: ...")."""
    return _NUMBERED.match(line) is not None or _LETTERED.match(line) is not None


# "1 yes 2 4 3 list comprehensions 4 file handling 5 the csv exercise": all five numbers,
# bare and in order, on one line (a phone's typing).
_ALL_FIVE = re.compile(r"^[ \t]*1[ \t]+(\w.*?)[ \t]+2[ \t]+(\w.*?)[ \t]+3[ \t]+(\w.*?)"
                       r"[ \t]+4[ \t]+(\w.*?)[ \t]+5[ \t]+(\w.*?)[ \t]*$", re.MULTILINE)


def numbered(text: str) -> dict[str, str]:
    """Answers by question number, when at least two numbers come in increasing order."""
    five = _ALL_FIVE.search(text)
    if five is not None and says_held(five.group(1)):
        return dict(zip(FIELDS, (part.strip() for part in five.groups()), strict=True))
    chosen = _increasing(list(_NUMBERED.finditer(text)))
    if len(chosen) < 2:
        chosen = _increasing(list(_NUMBERED_BARE.finditer(text)))
    if len(chosen) < 2:
        chosen = _increasing(list(_NUMBERED_INLINE.finditer(text)))
    shift = 0
    if len(chosen) < 2:
        chosen = _increasing(list(_LETTERED.finditer(text)))
        if len(chosen) >= 2 and _rank(chosen[0]) == 1 and not _first_two(text, chosen):
            # "Yes, 5.\na) X\nb) Y\nc) Z": the letters list the written answers only
            shift = 2
    if len(chosen) < 2 or len(chosen) + shift > len(FIELDS):
        return {}
    beyond = _BEYOND.search(text, chosen[-1].end())
    parts: dict[str, str] = {}
    for i, mark in enumerate(chosen):
        end = chosen[i + 1].start() if i + 1 < len(chosen) else \
            beyond.start() if beyond else len(text)
        parts[FIELDS[_rank(mark) - 1 + shift]] = _first_paragraph(text[mark.end(): end])
    # "3. Appris : X", "4. À développer" left empty: answers labelled after their numbers
    # (twice at least, as a table of answers is) are the words after the labels.
    table = sum(without_label(part) != part for part in parts.values()) >= 2
    parts = {name: unlisted(re.sub(r"(?m)^[ \t]*" + str(FIELDS.index(name) + 1) + _SUB_POINT,
                                    "", part))
             if name != "rating" else part for name, part in parts.items()}
    return {name: _answer_part(without_label(part) if table else part)
            for name, part in parts.items()}


# "3. Acquis :\n   3.1 Rédaction d'un règlement\n   3.2 Lecture de l'EDD": a template's
# sub-points, numbered under their question's number (never "2. 4.5 - good": a rating).
_SUB_POINT = r"\.\d{1,2}\.?[ \t]+(?=\S)"


# "3. Learned:\n   - X": one item under a question's number, set out as a list. A single
# mark is layout; two items or more keep theirs, which tell the items apart (the writers
# of blind56 and blind67 differ there, and "a) X ; b) Y" reads better than "X Y").
_SUB_ITEM = re.compile(r"^[ \t]*(?:[-•*–▪◦]|[a-h][.)])[ \t]+(?=\S)", re.MULTILINE)


def unlisted(part: str) -> str:
    """`part` without its list mark when only one line carries one."""
    return _SUB_ITEM.sub("", part) if len(_SUB_ITEM.findall(part)) == 1 else part


def _first_paragraph(segment: str) -> str:
    """An answer ends at a blank line (a sign-off may follow the last one); a copied
    question standing alone above it ("3. What did you learn?" + blank) goes with it."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", segment) if p.strip()]
    if len(paragraphs) > 1 and paragraphs[0].rstrip().endswith(("?", ":")):
        return paragraphs[0] + "\n" + paragraphs[1]
    return paragraphs[0] if paragraphs else ""


def _first_two(text: str, chosen: list[re.Match[str]]) -> bool:
    """Whether lettered answers open with whether it took place or the rating, as our
    first two questions are answered ("a) oui", "b) 4")."""
    first = text[chosen[0].end(): chosen[1].start()]
    second = text[chosen[1].end(): chosen[2].start() if len(chosen) > 2 else len(text)]
    return says_held(first) or find_rating(first).found != "" or _rank(chosen[1]) == 2 and (
        find_rating(second).found != "" or re.match(r"\W*[1-5]\b", second) is not None)


def _rank(mark: re.Match[str]) -> int:
    """The question a number ("3") or a letter ("c") stands for, from 1."""
    token = mark.group(1)
    return int(token) if token.isdigit() else ord(token.casefold()) - ord("a") + 1


def _increasing(marks: list[re.Match[str]]) -> list[re.Match[str]]:
    chosen: list[re.Match[str]] = []
    for mark in marks:
        if not chosen or _rank(mark) > _rank(chosen[-1]):
            chosen.append(mark)
    return chosen


def _answer_part(segment: str) -> str:
    """The answer in a segment that may repeat our question ("Qu'avez-vous appris ? X")."""
    segment = " ".join(segment.split())
    aside = re.fullmatch(r"\(([^()]+)\)", segment)
    segment = aside.group(1).strip() if aside else segment  # "3 (the answer, in brackets)"
    segment = re.sub(r"\((?:oui|yes) */ *(?:non|no)\)", "", segment, flags=re.I).strip()
    head, sep, tail = segment.partition("?")
    if sep and tail.strip() and len(head) < 80 and _OUR_QUESTION.match(head):
        segment = tail.strip()
    return segment


def slashed(text: str) -> dict[str, str]:
    """"oui / 4 / les RECHERCHEX / les TCD / les TCD encore", "Oui - 4/5 - les TCD": answers
    in order on one line, set apart by slashes or spaced dashes."""
    for line in text.split("\n"):
        said = sentences(line)
        if len(said) > 1 and small_talk(said[0]) and says_held(" ".join(said[1:])):
            line = " ".join(said[1:])  # "Sorry! Yes - 5 - ...": the apology answers nothing
        # "oui ; 4 ; les TCD ; ..." and "oui | 4 | ... | C." too: semicolons and bars set
        # answers apart as slashes do (what comes after the fifth is the signature)
        parts = [p.strip() for p in re.split(r"\s+[/|]\s+|\s*;\s+", line)]
        if len(parts) >= 4 and says_held(parts[0]) and (" | " not in line or find_rating(
                parts[1]).found or lone_rating(parts[1])):  # a bar splits signatures too
            return {name: own_label_off(name, part)
                    for name, part in zip(FIELDS, parts, strict=False) if part}
        parts = [p.strip() for p in re.split(r"\s+(?:/|[-–—|])\s+", line)]
        while len(parts) > 2 and small_talk(parts[-1]):
            parts.pop()  # "Oui - 5 - top": a verdict closing the line answers nothing
        if 3 <= len(parts) <= 5 and says_held(parts[0]) and len(parts[0].split()) <= 3 and (
                find_rating(parts[1]).found or lone_rating(parts[1])) and not any(
                cue_of(p) or LABEL.match(p) for p in parts[2:]):
            return {name: part for name, part in zip(FIELDS, parts, strict=False) if part}
        # "Oui. 4. Le beurre à 12°C. Régularité. Feuilletage inversé.", "yes, 4, remoting,
        # DSC still confusing, DSC": five short sentences or clauses, one per question, the
        # first two the yes and the rating
        for parts in (sentences(line), [p.strip() for p in line.split(", ")]):
            if len(parts) == len(FIELDS) and lone_rating(parts[0]) and says_held(parts[1]) \
                    and len(parts[1].split()) <= 2:
                parts = [parts[1], parts[0], *parts[2:]]  # "5, yes, X, Y, Z": the mark first
            if len(parts) == len(FIELDS) and says_held(parts[0]) \
                    and len(parts[0].split()) <= 2 and lone_rating(parts[1]) and all(
                    len(p.split()) <= 10 and not small_talk(p) and not LABEL.match(p)
                    and cue_of(p) in (None, (name, p))  # "DSC still confusing": its own place
                    for name, p in zip(FIELDS[2:], parts[2:], strict=True)):
                return dict(zip(FIELDS, parts, strict=True))
    return {}


def lone_rating(value: str) -> bool:
    """A sentence that is only a rating ("5", "5.", "quatre !"), or a rating and a word on it
    in brackets ("3 (on était crevés)")."""
    return bool(re.fullmatch(r"\W*(?:[1-5]|un|une|one|deux|two|trois|three|quatre|four|cinq"
                             r"|five)\W*(?:\([^()\d]{1,60}\)\W*)?", value, re.IGNORECASE))
