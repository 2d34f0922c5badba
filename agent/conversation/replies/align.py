"""Read a reply against what we wrote: what the person added, and where they put it.

Terms:
- *quoted line*: a line starting with ">" (HTML quotes arrive so marked,
  agent.conversation.replies.quotes.html_quoted_text).
- *quote header*: what a client writes above the message it quotes ("Le ... a
  écrit :", Outlook's "De : / Envoyé : / À : / Objet :" block, "-----Original
  Message-----"). Outlook (plain text, and HTML without any container) quotes
  without ">": after its header block, an unquoted line is ours, or an answer
  typed after one of our questions, or old text we cannot place (dropped).
- *our line*: a line of our own message (`Ours.covers`); a *question* line of ours
  (`Ours.question`) opens the answer typed after it, on the same line or below,
  until the next line of ours or quoted line.

`align` sorts every line of a body into: what the person wrote above the quote
(`top`), below it (`bottom`, as Thunderbird's bottom posting), between our lines
but after no question (kept with `top`), and the answers typed after each
question (`answers`, by field). A body that is all ours is an *echo*. Nothing
here raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.conversation.replies.labels import labelled
from agent.conversation.replies.ours import Ours, fold
from agent.conversation.replies.prose import held_in, small_talk
from agent.conversation.replies.quotes import (
    OUTLOOK_BLOCK,
    QUOTE_HEADER,
    SIGNATURE,
    strip_quotes,
)
from agent.conversation.replies.ratings import find_rating

MAX_LINES = 5000
# "Answers below!", "réponses en rouge": the answers are typed in our quote, read or not.
ANSWERS_BELOW = re.compile(
    r"\b(?:answers?|replies|r[ée]ponses?|see|voir|comments?|commentaires?) (?:below|inline|👇"
    r"|en dessous|plus bas"
    r"|ci-dessous|ci-apr[èe]s|dans (?:le|ton|votre|ce|vot|mon) (?:texte|mail|message|e-mail)"
    r"|in (?:red|blue|bold|the text|your (?:mail|e-?mail|message)|the (?:mail|e-?mail|message))"
    r"|en (?:rouge|bleu|gras))(?!\w)", re.IGNORECASE)
# One field of Outlook's header block ("De :", "Envoyé :", "À :", "Objet :", "Cc :"...), in
# the languages of the clients our participants use; Notes puts a tab after the colon.
_HEADER_FIELD = re.compile(
    r"^[ \t>]*\**(?:De|From|Von|Da|Envoy[ée]|Sent|Date|Gesendet|Inviato|[ÀA]|To|An|Cc|Cci"
    r"|Bcc|Objet|Subject|Betreff|Oggetto|Importance|Priorit[ée])\**[ \t]*:", re.IGNORECASE)
_QUOTED = re.compile(r"^[ \t]*>")
_LINK_ONLY = re.compile(r"^[\W\d_]*$")
# The last line of each of our mails (agent.conversation.phrases, "stop"): below it, in
# Outlook's unmarked quote, only the person writes (a reply typed under the whole quote).
_OUR_LAST = re.compile(r"^\W*(?:pour faire une pause, r[ée]pondez pause ; pour arr[êe]ter"
                       r"|to pause, reply pause; to stop)", re.IGNORECASE)
# A question of the person's own, answered on its line ("Rating? 4 out of 5", "What did
# I learn? X"): the answer above it has ended.
_OWN_QUESTION = re.compile(r"^\W*(?:what|did|how|which|rating|note|quoi|qu['’]|comment"
                           r"|est-ce)\b[^?\n]{0,60}\?[ \t]+\S", re.IGNORECASE)
# Our footer's line under the rule: "Deux Rives · questions: rh@...", "· réf. B-...".
_FOOTER = re.compile(r"^[ \t]*[^·\n]{1,80} · (?:une question ?:|questions:) ?\S+@\S+\s*$"
                     r"|^[ \t]*[^·\n]{1,80} · r[ée]f\. B-[0-9a-f]{8,12}\s*$")
_RULE = re.compile(r"^\s*(?:-{2,}|_{2,}|={2,}|~{2,})\s*$")
_URL = re.compile(r"<?(?:mailto:|https?://)[^\s>]*>?", re.IGNORECASE)
# Initials some people mark their inline answers with ("[LB] yes", "LB> 5"); never "SQL:",
# which may start an answer.
_INITIALS = re.compile(r"^\s*(?:\[[A-Za-z]{1,4}\]|[A-Z]{2,3}>)\s*")
# A numbered line ("1. Planifier un projet"): typed in Outlook's unmarked quote, it is the
# person's (in colour, under our request for goals), never a line of ours we missed.
_ITEM = re.compile(r"^\s*[1-9]\s*[.)]\s+\S")
# Our introduction's request for goals (templates/*/intro.txt.j2), above its slots.
_GOALS_ASKED = re.compile(r"^\W*(?:vos objectifs|your goals)\s*:")
# What a wrapped question of ours may leave on its next line ("5:", "(oui / non)").
_LEFTOVER = re.compile(r"^[\W\d_]{0,3}[:?]\s*$|^\s*\(.*\)\s*$|[:?]\s*$")


@dataclass(frozen=True)
class Aligned:
    """A body sorted into what the person wrote and what was ours (module docstring)."""

    top: str = ""
    bottom: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    ours: int = 0  # lines of ours seen (quoted, or recognised as ours)
    # An answer typed in paragraphs, each one's lines joined ("Les réseaux" / blank line /
    # "Par contre, merci d'annuler le 12"): a later one may ask something else.
    paragraphs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What the person wrote outside the answers after our questions."""
        return "\n\n".join(part for part in (self.top, self.bottom) if part)

    @property
    def echo(self) -> bool:
        """Only our own text came back: nothing was added to it."""
        return self.ours > 0 and not self.text.strip() and not any(self.answers.values())


def header_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that are quote headers (possibly wrapped over lines)."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: set[int] = set()

    def mark(start: int, end: int) -> None:
        found.update(i for i in range(len(lines)) if starts[i] < end and starts[i + 1] > start)

    for match in QUOTE_HEADER.finditer(text):
        mark(match.start(), match.end())
    for match in OUTLOOK_BLOCK.finditer(text):
        first = text.count("\n", 0, match.start())
        last = first
        while last + 1 < len(lines) and (_HEADER_FIELD.match(lines[last + 1])
                                         or last + 1 <= text.count("\n", 0, match.end())):
            last += 1
        found.update(range(first, last + 1))
    return found


def align(body: str, ours: Ours, trim: Callable[[str], str] | None = None) -> Aligned:
    """Sort `body` (plain text, "> " quotes) against `ours`; `trim` is the quote-stripping
    library run on what the person wrote above the quote (agent.conversation.replies.quotes)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]
    headers = header_lines(lines)
    free: list[tuple[int, str]] = []  # the person's lines outside any answer
    answers: dict[str, list[str]] = {}
    current: str | None = None  # the question whose answer is being read
    zone = False  # after an Outlook header: unquoted lines are quoted text
    first_quote: int | None = None
    last_quote = -1
    seen = 0
    inside: dict[str, list[str]] = {}  # lines under our questions inside a "> " quote
    blocks = 0  # quote headers seen: the first opens our message, later ones older history
    slots = False  # our request for goals was quoted: its "1. ..." slots follow
    last_ours: int | None = None  # the last line quoted or ours (found when first needed)
    below: dict[str, list[tuple[int, str]]] = {}  # answer lines typed under a quoted question
    skip_to = -1  # the last line of our footer, below our mail's last line in a zone
    for i, line in enumerate(lines):
        if i <= skip_to:
            continue
        quoted = bool(_QUOTED.match(line))
        content = re.sub(r"^[ \t]*(?:>[ \t]?)+", "", line) if quoted else line
        if i in headers:
            blocks += 0 if i - 1 in headers else 1
            zone = not _next_is_quoted(lines, i, headers)
            current = None
            first_quote = i if first_quote is None else first_quote
            last_quote = i
            continue
        if not content.strip():
            if current is None and not zone and not quoted:
                free.append((i, ""))  # paragraphs end answers and set signatures apart
            elif current is not None and not quoted and answers.get(current):
                answers[current].append("")  # a paragraph of its own may ask something else
            continue
        if _RULE.match(content) and (current is not None or quoted or zone):
            current = None  # "--", "_____": a signature or a quote starts, the answer ends
            continue
        folded = fold(content)
        if zone and not quoted and _OUR_LAST.match(content):
            if last_ours is None:  # once: where the last line of a quote or of ours stands
                last_ours = max((at for at, later in enumerate(lines) if later.strip() and (
                    _QUOTED.match(later) or _RULE.match(later) or ours.covers(fold(later)))),
                    default=-1)
            # ... or only our footer follows it ("--", "Deux Rives · questions: ..."), as
            # under the introduction's last line
            footer = i
            while footer + 1 < len(lines) and (not lines[footer + 1].strip() or any(
                    match(lines[footer + 1]) for match in (_RULE.match, _FOOTER.match))):
                footer += 1
            if last_ours <= footer:
                zone = False  # our mail ends here: what follows is the person's
                current = None
                last_quote = skip_to = footer
                continue
        slots = (slots or bool(_GOALS_ASKED.match(folded))) and blocks <= 1
        if quoted and slots and _ITEM.match(content) and not ours.covers(folded) \
                and ours.question(folded) is None and int(content.strip()[0]) <= 3:
            # A goal typed over our "1. ..." slot, inside the quote (Apple Mail, Gmail).
            answers.setdefault(f"goal{content.strip()[0]}", []).append(
                re.sub(r"^\s*[1-3]\s*[.)]\s*", "", content).strip())
            continue
        asked = ours.question(folded)
        if asked is not None:
            question, end = asked
            current = question.field
            seen += 1
            first_quote = i if first_quote is None else first_quote
            last_quote = i
            rest = content[end:].strip(" \t:-–—")
            # Inside a "> " quote too: our question ends its line (a goal slot is "1. ..."),
            # so what follows on it was typed over our text ("> 1. Maîtriser les TCD").
            if rest and (not quoted or not _LEFTOVER.search(rest)) \
                    and _URL.sub("", rest).strip():
                answers.setdefault(current, []).append(_answer(rest))
            continue
        mine = ours.covers(folded) and (zone or first_quote is not None
                                        or _ours_follows(lines, i, headers, ours)) \
            and not (not zone and not quoted and first_quote is not None and _own_label(content))
        if zone and quoted and current is not None and not mine and content.strip() \
                and not _links_only(content):
            # Our text unquoted below a Zimbra or Outlook header, and ">>> Oui" under one of
            # our questions: our own mail has no ">" line, so the person marked an answer.
            answers.setdefault(current, []).append(_answer(content))
            continue
        if quoted and current is not None and not mine and not _links_only(content) \
                and not _LEFTOVER.search(content) and line.lstrip().startswith(">") \
                and not line.lstrip()[1:].lstrip().startswith(">"):
            # Gmail and Apple Mail may keep an answer typed under our question inside the
            # quote ("> *Oui*"): kept aside, read only when nothing else was written.
            inside.setdefault(current, []).append(_answer(content).strip("*_ "))
            continue
        if quoted or mine or _links_only(content):
            current = None
            seen += 1
            first_quote = i if first_quote is None else first_quote
            last_quote = i
            continue
        if current is not None and SIGNATURE.match(content):
            current = None  # "Sent with Proton Mail secure email." below the last answer
            continue
        if current is not None and answers.get(current) and answers[current][-1] == "" \
                and small_talk(content):
            current = None  # "Bonnes fêtes !" after a blank line below the last answer
        if current is not None and answers.get(current) and (labelled(content)
                                                             or _OWN_QUESTION.match(content)):
            # "Did the session take place? Yes" copied, then "Rating: 3" below it: a label
            # of its own ends that answer, and the rest is read as the person wrote it.
            if below.get(current) and not any(_QUOTED.match(later) for later in lines[i:]):
                # Our questions quoted, then below the quote "Oui, 4/5." / "Appris : X":
                # the lines under our last question open a reply of its own (Thunderbird).
                free += below.pop(current)
                del answers[current]
            current = None
        if current is not None:
            answers.setdefault(current, []).append(_answer(content))
            below.setdefault(current, []).append((i, content))
        elif not zone or (blocks == 1 and _ITEM.match(content)):
            free.append((i, content))
    top = [text for i, text in free if first_quote is None or i < first_quote]
    middle = [text for i, text in free if first_quote is not None and first_quote < i < last_quote]
    bottom = [text for i, text in free if first_quote is not None and i > last_quote]
    new_top = strip_quotes("\n".join(top + [""] + middle), trim)
    new_bottom = _cut_signature("\n".join(bottom))
    # A line above that answers nothing itself ("Réponses dans ton mail 🙂", "Hi Paul,"):
    # what is written above, if it answers, always wins over the quote.
    short = len(new_top.split()) <= 12 and not new_bottom.strip() \
        and held_in(new_top) is None and not find_rating(new_top).found
    if not answers and (not (new_top.strip() or new_bottom.strip()) or (
            short and (ANSWERS_BELOW.search(new_top) or len(inside) >= 3))):
        # Nothing written but in our quote, or only "Réponses dans le texte 👇" above it;
        # or a line of greeting above answers under three of our questions, which only the
        # person can have typed there.
        answers = {name: parts for name, parts in inside.items() if any(parts)}
    return Aligned(new_top, new_bottom,
                   {name: " ".join(p for p in parts if p) for name, parts in answers.items()},
                   seen, {name: split for name, parts in answers.items()
                          if len(split := _paragraphs(parts)) > 1})


def _paragraphs(parts: list[str]) -> list[str]:
    """An answer's paragraphs ("" between them in `parts`), each one's lines joined."""
    paragraphs: list[list[str]] = [[]]
    for part in parts:
        if part:
            paragraphs[-1].append(part)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(lines) for lines in paragraphs if lines]


def _ours_follows(lines: list[str], i: int, headers: set[int], ours: Ours) -> bool:
    """Whether our unquoted text goes on after line `i`: a line of ours alone above the
    quote is the person's own (they may copy our "PAUSE JUSQU'AU 15 JANVIER")."""
    for j in range(i + 1, min(i + 40, len(lines))):
        line = lines[j]
        if line.strip():
            folded = fold(line)
            return j not in headers and not _QUOTED.match(line) and (
                ours.covers(folded) or ours.question(folded) is not None or _links_only(line))
    return False


def _next_is_quoted(lines: list[str], i: int, headers: set[int]) -> bool:
    """Whether the quote a header opens uses ">" (else Outlook's unmarked quote follows)."""
    for j in range(i + 1, min(i + 40, len(lines))):
        if lines[j].strip() and j not in headers:
            return bool(_QUOTED.match(lines[j]))
    return False


def _links_only(line: str) -> bool:
    """A line of our one-click links as a client quotes them ("1<mailto:...> 2<...>")."""
    return bool(_URL.search(line)) and bool(_LINK_ONLY.match(_URL.sub(" ", line)))


def _answer(line: str) -> str:
    """An answer as typed, without the initials it may be marked with, nor the brackets a
    form's copy puts it in ("[toujours les TCD]"; "[ ]" left empty is none)."""
    # ("[oui]" whole is the answer, never the initials "[LB]" that mark one after them)
    boxed = re.fullmatch(r"\[([^\[\]]*)\]", line.strip())
    return boxed.group(1).strip() if boxed else _INITIALS.sub("", line.strip(), count=1)


def _own_label(content: str) -> bool:
    """Whether a line below the quote is the person's labelled answer, though its label
    borrows our question's words ("Still want to develop: editing.")."""
    match = re.match(r"([^:]{3,40}):\s*(\S.*)$", content.strip())
    return match is not None and labelled(content) and not match.group(1)[:1].isdigit()


def _cut_signature(text: str) -> str:
    match = SIGNATURE.search(text)
    return (text[: match.start()] if match else text).strip()
