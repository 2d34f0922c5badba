"""What we wrote ourselves, so that a reply is read for what the person added.

Terms:
- *folded*: a line lower-cased, without accents, with no-break spaces and curly
  apostrophes made plain, and of the same length as the line (positions carry over).
- *question*: a line of ours that asks for an answer: the questionnaire's five
  (fields `held`, `rating`, `learned`, `to_develop`, `next_focus`) and the
  introduction's three goal slots ("1. ...": `goal1`..`goal3`).
- `Ours`: tells which lines of a reply are ours and where a question of ours ends.
  Built from our templates (`template_ours`: what `binome reply parse` knows, and
  every reply's baseline), and from the exact text of the message a reply answers
  (`sent_ours`, from the `said` and `questions` that agent.pipeline.mails kept
  with the message's index when it sent it: `said_of`).

What is kept of a sent message is a set of short hashes of its word triples and
short lines, never its words: the text had names and other people's goals in it,
and the ledger must not (agent.core.privacy). No library does this: none knows
the message a reply answers.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import default as default_policy
from functools import cache
from pathlib import Path

from agent.conversation.phrases import phrases
from agent.conversation.replies.quotes import html_to_text
from agent.resources import templates as packaged_templates

QUESTIONNAIRE = ("held", "rating", "learned", "to_develop", "next_focus")
GOAL_SLOTS = ("goal1", "goal2", "goal3")
_DIGEST_BYTES = 3
_SLOT = re.compile(r"^\s*([1-3])[.)]\s*(?:\.\.\.|…)\s*$")
_NUMBERED = re.compile(r"^\s*([1-5])[.)]\s+(\S.*?)\s*$")
_WORD = re.compile(r"\w+")
_VAR = "\ue001"  # stands for a template variable while the template becomes lines
_URL = re.compile(r"<?(?:mailto:|https?://)[^\s>]*>?", re.IGNORECASE)


@cache
def _fold_char(char: str) -> str:
    if char in "\u00a0\u202f\u2007\u2009\t":
        return " "
    if char in "’‘ʼ`´":
        return "'"
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain[:1] or " "


def fold(text: str) -> str:
    """`text` folded for comparing (see the module docstring), the same length as `text`."""
    return "".join(map(_fold_char, text))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=_DIGEST_BYTES,
                           person=b"binome-said").digest()


def _triples(words: Sequence[str]) -> Iterable[str]:
    return (" ".join(words[i:i + 3]) for i in range(len(words) - 2))


@dataclass(frozen=True)
class Question:
    """One question of ours: the field its answer fills, and how to find it in a line."""

    field: str
    pattern: re.Pattern[str]  # searched in a folded line; the answer follows its end


@dataclass(frozen=True)
class Ours:
    """What we wrote: hashed word triples and short lines, template lines (`needle`, regex:
    the regex is tried where the needle occurs) and questions."""

    triples: frozenset[bytes] = frozenset()
    short: frozenset[bytes] = frozenset()
    lines: tuple[tuple[str, re.Pattern[str]], ...] = ()
    questions: tuple[Question, ...] = ()
    # Our templates' triples as words: public text, and a 3-byte digest of the ~1,500 of
    # them met a reader's "jointures la prochaine" (a collision with "decline it in").
    plain: frozenset[str] = frozenset()

    def __or__(self, other: Ours) -> Ours:
        return Ours(self.triples | other.triples, self.short | other.short,
                    self.lines + other.lines, other.questions + self.questions,
                    self.plain | other.plain)

    def question(self, folded: str) -> tuple[Question, int] | None:
        """The first question of ours in a folded line, and where it ends."""
        found: tuple[Question, int, int] | None = None
        for question in self.questions:
            match = question.pattern.search(folded)
            if match and (found is None or match.start() < found[1]):
                found = (question, match.start(), match.end())
        return (found[0], found[2]) if found else None

    def covers(self, folded: str) -> bool:
        """Whether a folded line is ours: most of its words are, in a long enough run."""
        text = _URL.sub(" ", folded)
        spans = [m.span() for m in _WORD.finditer(text)]
        if not spans:
            return False
        words = [text[a:b] for a, b in spans]
        if len(words) < 4:  # too short to tell by its words: only a short line of ours
            return _digest(" ".join(words)) in self.short
        marked = [False] * len(words)
        for i, triple in enumerate(_triples(words)):
            if triple in self.plain or _digest(triple) in self.triples:
                marked[i:i + 3] = [True] * 3
        for needle, pattern in self.lines:
            if needle in text:
                for match in pattern.finditer(text):
                    for i, (a, b) in enumerate(spans):
                        if a >= match.start() and b <= match.end():
                            marked[i] = True
        run = best = 0
        for flag in marked:
            run = run + 1 if flag else 0
            best = max(best, run)
        return sum(marked) >= 0.6 * len(words) and best >= 4


def not_ours(value: str, ours: Ours) -> str:
    """`value`, or "" when it is a question of ours or our own text (an echo read as an
    answer must never be recorded)."""
    folded = fold(value)
    if ours.question(folded) is not None or (value and ours.covers(folded)):
        return ""
    return value


# -- the exact text of a message we sent --------------------------------------------------
def said_of(raw: bytes, kind: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What to keep of a message we send (`kind`: its template) to read its replies: the
    hashes of its text (plain part and HTML part as text), and its questions as
    (field, question text) pairs."""
    msg = BytesParser(policy=default_policy).parsebytes(raw)
    plain = html = ""
    for part in msg.walk():
        if isinstance(part, Message) and part.get_content_maintype() == "text":
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                text = data.decode(part.get_content_charset() or "utf-8", "replace")
                if part.get_content_type() == "text/plain" and not plain:
                    plain = text
                elif part.get_content_type() == "text/html" and not html:
                    html = html_to_text(text)
    triples: set[bytes] = set()
    short: set[bytes] = set()
    questions: list[tuple[str, str]] = []
    for line in (plain + "\n" + html).split("\n"):
        words = _WORD.findall(_URL.sub(" ", fold(line)))
        if 0 < len(words) < 4:
            short.add(_digest(" ".join(words)))
        triples.update(_digest(t) for t in _triples(words))
    names = {"questionnaire": QUESTIONNAIRE, "intro": GOAL_SLOTS}.get(kind, ())
    for line in plain.split("\n"):
        slot, numbered = _SLOT.match(line), _NUMBERED.match(line)
        if names is GOAL_SLOTS and slot:
            questions.append((GOAL_SLOTS[int(slot.group(1)) - 1], "..."))
        elif names is QUESTIONNAIRE and numbered:
            questions.append((QUESTIONNAIRE[int(numbered.group(1)) - 1], numbered.group(2)))
    packed = base64.b64encode(b"".join(sorted(triples)) + b"|" + b"".join(sorted(short)))
    return packed.decode("ascii"), tuple(dict.fromkeys(questions))


def sent_ours(said: str, questions: Sequence[tuple[str, str]]) -> Ours:
    """`Ours` of one message we sent, from what `said_of` kept of it (plus our templates)."""
    try:
        data = base64.b64decode(said.encode("ascii"), validate=True)
    except ValueError:
        data = b""
    long, _, brief = data.partition(b"|")
    size = _DIGEST_BYTES
    kept = Ours(
        frozenset(long[i:i + size] for i in range(0, len(long) - size + 1, size)),
        frozenset(brief[i:i + size] for i in range(0, len(brief) - size + 1, size)),
        questions=tuple(_question(f, text) for f, text in questions),
    )
    return template_ours() | kept


# -- our templates ------------------------------------------------------------------------
def _question(name: str, text: str) -> Question:
    """A question's pattern: its words in order (any punctuation or spacing between them,
    a parenthesis such as "(oui / non)" optional), after an optional number or bullet."""
    if text in ("...", "…"):
        number = GOAL_SLOTS.index(name) + 1
        return Question(name, re.compile(rf"^\W*{number}\s*[.)]\s*(?:\.\.\.|…)"))
    core = re.sub(r"\([^)]*\)", " ", fold(text))
    optional = [fold(p) for p in re.findall(r"\(([^)]*)\)", text)]
    words = _WORD.findall(core)
    pattern = r"\W+".join(map(re.escape, words))
    for extra in optional:
        pattern += r"(?:\W+" + r"\W+".join(map(re.escape, _WORD.findall(extra))) + ")?"
    # What closes the question ("?", ":", "(oui / non)"), never a star an answer starts with.
    return Question(name, re.compile(r"(?<!\w)" + pattern + r"[ \t?:.)\]]*"))


def _template_lines(path: Path) -> list[str]:
    """The lines a template writes, each variable (and inline `{% if %}`) as `_VAR`."""
    source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", _VAR, source, flags=re.S)
    lines = []
    for line in source.split("\n"):
        tags = list(re.finditer(r"\{%.*?%\}", line))
        if len(tags) >= 2:  # "en {% if %}atelier{% else %}mentorat{% endif %} avec"
            line = line[: tags[0].start()] + _VAR + line[tags[-1].end():]
        lines.append(re.sub(r"\{%.*?%\}", "", line))
    text = "\n".join(lines)
    if path.name.endswith(".html.j2"):
        text = html_to_text(text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def _line_pattern(line: str) -> tuple[str, re.Pattern[str]] | None:
    """A template line as (longest literal part, regex with its variables as gaps); None
    when too little of it is ours to recognise it by (fewer than three literal words)."""
    parts = [fold(p) for p in line.split(_VAR)]
    if sum(len(_WORD.findall(p)) for p in parts) < 3:
        return None
    pieces = [r"\s+".join(map(re.escape, p.split())) for p in parts]
    pattern = r".{1,160}?".join(pieces)
    needle = max(parts, key=lambda p: len(p.strip())).strip()
    return needle, re.compile(pattern)


@cache
def template_ours() -> Ours:
    """`Ours` from every packaged template and generated phrase, in French and English."""
    triples: set[str] = set()
    lines: dict[str, tuple[str, re.Pattern[str]]] = {}
    questions: list[Question] = []
    texts: list[str] = []
    for path in sorted(packaged_templates().glob("*/*.j2")):
        written = _template_lines(path)
        texts += written
        if path.name == "questionnaire.txt.j2":
            questions += [_question(QUESTIONNAIRE[int(m.group(1)) - 1], m.group(2))
                          for line in written if (m := _NUMBERED.match(line))]
        if path.name == "intro.txt.j2":
            questions += [_question(GOAL_SLOTS[int(m.group(1)) - 1], "...")
                          for line in written if (m := _SLOT.match(line))]
    for language in ("fr", "en"):
        texts += [re.sub(r"\{\w+\}", _VAR, p) for p in phrases(language).values()]
    for text in texts:
        for part in text.split(_VAR):
            triples.update(_triples(_WORD.findall(fold(part))))
        if _VAR in text and (pattern := _line_pattern(text)) is not None:
            lines[pattern[1].pattern] = pattern
    unique = {q.pattern.pattern: q for q in questions}
    return Ours(frozenset(), frozenset(), tuple(lines.values()), tuple(unique.values()),
                frozenset(triples))
