"""Read the answers to our questionnaire out of the new text of a reply.

Terms:
- *numbered answers*: "1. Oui / 2. 4 / 3. ..." following the questionnaire's own
  numbering (1 took place?, 2 rating, 3 learned, 4 still to develop, 5 next
  time; see templates/*/questionnaire.txt.j2).
- *labelled answers*: "Note : 4", "Appris : ...", "To develop: ...".
- *command*: a reply whose first line is STOP, PAUSE or REPRENDRE/RESUME.

Everything here works on the new text only (agent.conversation.replies.quotes removed the
quoted questionnaire), so the numbers of our own questions are never read as
answers. Nothing here raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from agent.conversation.replies.dates import find_date

_WORDS = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5,
}
# A rating value: a digit 1-5 not glued to other digits, times (10:00), decimals or
# dates (8/10, 3.5), or a number word.
_NUM = r"(?<![\d:/.,])([1-5]|un|une|one|deux|two|trois|three|quatre|four|cinq|five)(?![\d:]|[.,]\d)"
_RATING_PATTERNS = [
    # "4/5", "4 / 5", "4 sur 5", "4 out of 5", "quatre sur cinq"; not "3/5/2026".
    re.compile(_NUM + r"\s*(?:/|sur|out of|of)\s*(?:5|cinq|five)(?![\d/])", re.I),
    # "Note : 4", "note: 4 - très bien", "Rating: 4", "je mets 4", "I'd give it 4".
    re.compile(
        r"\b(?:note|notes|rating|score|[ée]valuation"
        r"|je (?:lui |vous )?(?:mets|mettrais|donne|donnerais)(?: une? note de| une?)?"
        r"|i(?:['’]d| would)? (?:give|rate)(?: it)?(?: an?)?)[\s,:]{0,8}" + _NUM, re.I
    ),
    # "4 étoiles", "4 stars".
    re.compile(_NUM + r"\s*(?:[ée]toiles?|stars?)\b", re.I),
    # A line that is only a rating ("4", "4 !", "quatre."), as people answer by one word.
    re.compile(r"^[ \t]*" + _NUM + r"[ \t]*[.!]*[ \t]*$", re.I | re.M),
    # Stars: "★★★★☆" (filled ones count), or a line (or a label's value) of 1-5 "*".
    re.compile(r"(?<![★*])(★{1,5})(?![★*])"
               r"|^[ \t]*(?:(?:note|rating)[ \t]*:[ \t]*)?(\*{1,5})[ \t]*$", re.I | re.M),
]
# A rating given in a form we do not guess from: out of 10/20/100 ("7/10": rescaling
# would invent a precision the person did not give, and "5/10" is no clear 2 or 3), a
# half point ("3.5/5"). "le 8/10" and "15/10/2026" are dates, not ratings.
_UNREADABLE = re.compile(
    r"(?<![\w/.,])(?<!le )(?<!du )(?<!au )(?<!on )(?<!the )"
    r"(\d{1,3}(?:[.,]\d)?)\s*(?:/|sur|out of)\s*(10|20|100)(?![\d/])"
    r"|(?<![\d.,])[0-5][.,]5\s*(?:/|sur|out of)\s*(?:5|cinq|five)(?![\d/])",
    re.I,
)
# Free text that names the question it answers: "J'ai appris à ...", "I learned ...",
# "La prochaine fois, ...", "Next time ...". The whole sentence is the answer.
_SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s))[ \t]*"
_CUES = {
    "learned": re.compile(
        _SENTENCE_START + r"((?:j['’]ai|nous avons|on a) (?:appris|d[ée]couvert)"
        r"|i(?:['’]ve| have)? learn(?:ed|t)|we(?:['’]ve| have)? learn(?:ed|t))\b[^.!?\n]*[.!?]?",
        re.I | re.M),
    "next_focus": re.compile(
        _SENTENCE_START + r"((?:la )?prochaine fois|next time)\b[^.!?\n]*[.!?]?", re.I | re.M),
}
# "1. Oui", "2) 4", "3 - J'ai appris", "4: ...": a question number starting a line.
_NUMBERED_LINE = re.compile(r"^[ \t]*([1-5])[ \t]*(?:[.)]|-|:)(?=\s)[ \t]*", re.M)
# "1. oui 2. 4 3. ...": on one line only "N." / "N)" after a space counts ("from 1 to 5:"
# or "4/5." must not).
_NUMBERED_INLINE = re.compile(r"(?:^|(?<=\s))([1-5])[.)](?=\s)[ \t]*", re.M)
_LABELS = {
    "rating": r"note|rating|score|[ée]valuation",
    "held": r"(?:la s[ée]ance )?a eu lieu|eu lieu|took place|held|happened",
    "learned": r"(?:ce que )?j'ai appris|appris|learned|learnt|what i learned",
    "to_develop": (
        r"(?:encore )?[àa] d[ée]velopper|(?:still )?to develop|to improve|[àa] am[ée]liorer"
    ),
    "next_focus": r"(?:la )?prochaine fois|prochaine s[ée]ance|next time|next session|focus",
}
# "Appris : ...": a known label, optional bold/bullet, then a colon (French space allowed).
_LABEL_LINE = re.compile(
    r"^[ \t*\-•]*("
    + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items())
    + r")\**[ \t]*:[ \t]*(?P<value>.*)$",
    re.I | re.M,
)
_NOT_HELD = re.compile(
    r"n'a pas eu lieu|pas eu lieu|n'a pas pu avoir lieu|annul[ée]e?s?\b|report[ée]e?s?\b"
    r"|didn'?t (?:happen|take place)|did not (?:happen|take place)|cancell?ed|postponed"
    r"|had to cancel|on a d[ûu] annuler",
    re.I,
)
_HELD = re.compile(r"a (?:bien )?eu lieu|took place|it happened|did happen"
                   r"|^\W*yes,? (?:it|we) did\b", re.I | re.M)
# "Oui," / "No." at the very start; "No problem" is not an answer, so punctuation or the
# end of the line must follow.
_YES_NO = re.compile(r"^\W*(oui|yes|yep|non|no|nope)\b[ \t]*(?:[,.!;:]|[-–—][ \t]|$)",
                     re.I | re.M)
# The same answer opening a later sentence of the first line ("Désolée du retard ! Oui, 5/5").
_YES_NO_LATER = re.compile(r"[.!?][ \t]+(oui|yes|non|no)\b[ \t]*(?:[,.!;:]|[-–—][ \t]|$)",
                           re.I)
_COMMANDS = {
    "stop": "stop", "arret": "stop", "arreter": "stop", "unsubscribe": "stop",
    "desinscription": "stop", "desinscrire": "stop", "desinscrivez": "stop",
    "desabonnement": "stop", "desabonner": "stop", "desabonnez": "stop",
    "pause": "pause", "reprendre": "resume", "resume": "resume", "reprise": "resume",
    "skip": "skip", "passer": "skip", "sauter": "skip",
    "help": "help", "aide": "help", "aidez": "help",
}
# Commands of several words, folded ("annuler la prochaine séance").
_COMMAND_PHRASES = {
    ("annuler", "la", "prochaine"): "skip", ("annule", "la", "prochaine"): "skip",
    ("cancel", "the", "next"): "skip", ("cancel", "next"): "skip",
}
_POLITE = {"please", "pls", "merci", "svp", "stp", "s", "thanks", "thank", "now", "maintenant"}
# Words that may follow a command without making it a sentence ("skip the next session").
_FILLER = {
    "the", "next", "one", "this", "my", "session", "meeting", "la", "le", "ma", "mon",
    "prochaine", "prochain", "seance", "reunion", "cette", "ce", "rendez", "vous", "rdv",
}
# Our own scale, repeated by people who answer under the copied question.
_SCALE = re.compile(r"(?:de|from)\s+1\s+(?:[àa]|to)\s+5", re.I)
# 12 hex digits (an HMAC, agent.conversation.messages.reply_token); 8 in mail sent before that.
_TOKEN = re.compile(r"\bB-([0-9a-f]{12}|[0-9a-f]{8})\b", re.I)


@dataclass(frozen=True)
class Answers:
    """What a reply answered: rating (1-5), whether the session took place, free-text answers."""

    rating: int | None = None
    held: bool | None = None
    learned: str = ""
    to_develop: str = ""
    next_focus: str = ""
    rating_unclear: bool = False  # a rating seems given but cannot be read


def read_answers(text: str) -> Answers:
    """Numbered answers first, then labelled ones, then free text for what is still missing."""
    fields = _numbered(text) or _labelled(text)
    rating = _rating_in(fields.get("rating", "")) if "rating" in fields else None
    if rating is None:
        rating = find_rating(text)
    held = _held_in(fields["held"]) if "held" in fields else None
    if held is None:
        held = find_held(text)
    for name, cue in _CUES.items():
        if not fields.get(name) and (found := cue.search(text)):
            fields[name] = found.group(0).strip()
    unclear = rating is None and (
        bool(fields.get("rating", "").strip(" .,;:!?-")) or _UNREADABLE.search(text) is not None)
    return Answers(
        rating=rating,
        held=held,
        learned=fields.get("learned", ""),
        to_develop=fields.get("to_develop", ""),
        next_focus=fields.get("next_focus", ""),
        rating_unclear=unclear,
    )


def _numbered(text: str) -> dict[str, str]:
    """Answers by question number, when at least two numbers come in increasing order."""
    chosen = _increasing(_NUMBERED_LINE.finditer(text))
    if len(chosen) < 2:
        chosen = _increasing(_NUMBERED_INLINE.finditer(text))
    if len(chosen) < 2:
        return {}
    names = {1: "held", 2: "rating", 3: "learned", 4: "to_develop", 5: "next_focus"}
    fields: dict[str, str] = {}
    for i, mark in enumerate(chosen):
        end = chosen[i + 1].start() if i + 1 < len(chosen) else len(text)
        fields[names[int(mark.group(1))]] = _answer_part(_first_paragraph(text[mark.end() : end]))
    return fields


def _first_paragraph(segment: str) -> str:
    """An answer ends at a blank line (a sign-off may follow the last one); a copied
    question standing alone above it ("3. What did you learn?" + blank) goes with it."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", segment) if p.strip()]
    if len(paragraphs) > 1 and paragraphs[0].rstrip().endswith(("?", ":")):
        return paragraphs[0] + "\n" + paragraphs[1]
    return paragraphs[0] if paragraphs else ""


def _increasing(marks: Iterator[re.Match[str]]) -> list[re.Match[str]]:
    chosen: list[re.Match[str]] = []
    for mark in marks:
        if not chosen or int(mark.group(1)) > int(chosen[-1].group(1)):
            chosen.append(mark)
    return chosen


def _answer_part(segment: str) -> str:
    """The answer in a segment that may repeat our question ("Qu'avez-vous appris ? X")."""
    segment = " ".join(segment.split())
    segment = re.sub(r"\((?:oui|yes) */ *(?:non|no)\)", "", segment, flags=re.I).strip()
    head, sep, tail = segment.partition("?")
    if sep and tail.strip() and len(head) < 80:
        segment = tail.strip()
    return segment


def _labelled(text: str) -> dict[str, str]:
    """Answers after known labels; an answer runs on until a blank line or the next label."""
    fields: dict[str, str] = {}
    lines = text.split("\n")
    current: str | None = None
    for line in lines:
        match = _LABEL_LINE.match(line)
        if match:
            current = next(k for k in _LABELS if match.group(k))
            fields[current] = match.group("value").strip()
        elif current and line.strip():
            fields[current] = (fields[current] + " " + line.strip()).strip()
        else:
            current = None
    return fields


def _word_value(token: str) -> int | None:
    if token in ("1", "2", "3", "4", "5"):
        return int(token)
    return _WORDS.get(token.casefold())


def _rating_in(answer: str) -> int | None:
    """A rating in one answer ("4", "4/5", "Votre note, de 1 à 5 : 4", "quatre")."""
    answer = _SCALE.sub(" ", answer)
    found = find_rating(answer)
    if found is not None:
        return found
    digit = re.search(r"(?<![\d:/.,])([1-5])(?![\d:]|[.,]\d)", answer)
    if digit:
        return int(digit.group(1))
    # A number word only when it is (nearly) the whole answer: "un" starts many sentences.
    word = re.fullmatch(r"\W*(\w+)\W*(?:\w+\W*)?", answer)
    return _word_value(word.group(1)) if word else None


def find_rating(text: str) -> int | None:
    """The first rating pattern (most explicit first) that matches anywhere in `text`."""
    text = _SCALE.sub(" ", text)
    for pattern in _RATING_PATTERNS:
        match = pattern.search(text)
        if match:
            token = next(g for g in match.groups() if g)
            value = len(token) if token[0] in "★*" else _word_value(token)
            if value is not None:
                return value
    return None


def _held_in(answer: str) -> bool | None:
    if _NOT_HELD.search(answer):
        return False
    match = _YES_NO.match(answer)
    if match:
        return match.group(1).casefold() in ("oui", "yes", "yep")
    return True if _HELD.search(answer) else None


def find_held(text: str) -> bool | None:
    """Whether the session took place, if the reply says so."""
    if _NOT_HELD.search(text):
        return False
    if _HELD.search(text):
        return True
    first = next((line for line in text.split("\n") if line.strip()), "")
    match = _YES_NO.match(first) or _YES_NO_LATER.search(first)
    return match.group(1).casefold() in ("oui", "yes", "yep") if match else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _command_line(text: str, subject: str) -> str:
    """The line a command is read from: the first of the new text, else the subject."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        first = re.sub(r"^\s*(?:(?:re|r[ée]f|tr|fwd?|aw)\s*:\s*)+", "", subject, flags=re.I)
    return first


def find_command(text: str, subject: str = "", body: str = "") -> str | None:
    """"stop", "pause", "resume", "skip" or "help" when the first line (or, for an empty
    body, the subject) is such a word, possibly followed by a few words ("stop please",
    "skip the next session", "pause jusqu'au 15 janvier"), or is just "?".

    `body` is the whole text before quote stripping, which drops a lone "?".
    """
    first = _command_line(text, subject)
    lone = next((line for line in body.split("\n") if line.strip()), "") if not text.strip() \
        else first
    if re.fullmatch(r"\s*\?+\s*", lone) or re.fullmatch(r"\s*\?+\s*", first):
        return "help"
    folded = _fold(first)
    words = re.findall(r"\w+", folded)
    command = _COMMANDS.get(words[0]) if words else None
    rest = words[1:]
    for phrase, name in _COMMAND_PHRASES.items():
        if tuple(words[: len(phrase)]) == phrase:
            command, rest = name, words[len(phrase):]
    # "Résumé : ..." is a label, and "Pause café très utile" a sentence, not commands;
    # "STOP", "stop please", "Pause, je suis en congé" and "PAUSE svp" are.
    if command is None or re.match(r"\W*\w+\s*:", folded):
        return None
    if command == "pause" and (rest[:1] in (["until"], ["till"], ["jusqu"])
                               or find_pause_until(text, subject, None, any_year=True)):
        return command  # "pause jusqu'au 15 janvier 2027": a date, however many words
    meaningful = [w for w in rest if w not in _FILLER]
    short = len(meaningful) <= 2
    # The command stands alone before a comma or a full stop: "Pause, je suis en congé",
    # "Annuler la prochaine séance, je suis en déplacement".
    head = re.findall(r"\w+", re.split(r"[,.;!]", folded, maxsplit=1)[0])
    punctuated = len(head) < len(words) and all(w in _FILLER for w in head[len(words) - len(rest):])
    polite = bool(rest) and rest[0] in _POLITE
    return command if short or punctuated or polite else None


def find_pause_until(
    text: str, subject: str, written: date | None, *, any_year: bool = False
) -> date | None:
    """The date in a "pause until <date>" command line (see agent.conversation.replies.dates).

    A date without a year is the next such day on or after `written` (the message's
    date); `any_year` only asks whether there is a date at all.
    """
    line = _command_line(text, subject)
    if not re.search(r"\b(?:until|till|til|jusqu|au|to)\b|\d", _fold(line)):
        return None
    return find_date(line, written or (date(2000, 1, 1) if any_year else None))


def find_token(*texts: str) -> str | None:
    """The first B-xxxxxxxxxxxx reply token in `texts` (subject first, then the body)."""
    for text in texts:
        match = _TOKEN.search(text)
        if match:
            return "B-" + match.group(1).lower()
    return None
