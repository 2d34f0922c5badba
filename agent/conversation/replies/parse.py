"""Parse what people send back into a `ParsedReply`.

Terms:
- *new text*: what the person wrote in this message, read against what we wrote
  (agent.conversation.replies.align): without our quoted message, old history and
  signatures, and with the answers they typed after our questions.
- *token*: the `B-xxxxxxxx` reference our questionnaire subjects carry, so a
  reply whose client dropped In-Reply-To still finds its session.

`parse_reply` takes raw bytes from anyone on the internet. It raises
`ReplyError` when the message cannot be used at all (no sender address), and
nothing else: bad charsets, broken MIME, HTML-only bodies and huge bodies are
read as well as they can be. Headers are read from their raw values and
decoded here, because the stdlib's structured header parsing can itself fail
on hostile input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import date as _Date
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from agent.conversation.replies.align import ANSWERS_BELOW, Aligned, align
from agent.conversation.replies.answers import FIELDS, Answers, read_answers
from agent.conversation.replies.automatic import (
    OUT_OF_OFFICE_TEXT,
    automatic_reply,
    failed_recipients,
    raw_header,
)
from agent.conversation.replies.command import Command, commands_apart, find_command
from agent.conversation.replies.command_words import OBJECTIVES
from agent.conversation.replies.dates import (
    find_date,
    fold,
    next_weekday,
    pause_until,
    weekdays_named,
)
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.intent import (
    added_to_subject,
    asked_command,
    find_token,
    kind_of,
    replying_to,
)
from agent.conversation.replies.levels import level_line
from agent.conversation.replies.markdown import unmarked
from agent.conversation.replies.ours import Ours, not_ours, template_ours
from agent.conversation.replies.prose import ungreeted
from agent.conversation.replies.quotes import MAX_TEXT, html_quoted_text
from agent.conversation.replies.ratings import find_rating
from agent.conversation.replies.yesno import says_yes

MAX_PART_BYTES = 4 * MAX_TEXT  # undecoded bytes read from one body part
MAX_READ = 20_000  # characters of new text read for answers, goals and commands
_MSGID = re.compile(r"<[^<>\s]{1,250}>")
_ONE_CLICK = re.compile(r"^\s*questionnaire\s*\[B-[0-9a-f]{8,12}\]\s*$", re.IGNORECASE)


class ReplyError(ValueError):
    """An inbound message that cannot be used (says which header and why)."""


@dataclass(frozen=True)
class ParsedReply:
    """One inbound message as read: who sent it, what it answers, its answers or command, and
    whether a machine wrote it."""

    message_id: str
    sender: str  # lower-cased bare address
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None  # aware, UTC
    text: str  # what the person wrote, outside the answers typed after our questions
    rating: int | None  # 1..5
    held: bool | None
    learned: str
    to_develop: str
    next_focus: str
    command: str | None  # agent.conversation.replies.command: stop, pause, resume, skip...
    token: str | None  # "B-xxxxxxxx"
    automatic: str = ""  # why it is an auto-reply (out of office...), or "" for a person's
    bounced: tuple[str, ...] = ()  # addresses a delivery report says could not be reached
    pause_until: _Date | None = None  # "pause until 3 March": the day it ends by itself
    skip_on: _Date | None = None  # "annuler la séance du 13 novembre": the day it names
    kind: str = "unknown"  # agent.conversation.replies.intent.KINDS
    answers_to: str = ""  # "intro" | "questionnaire" | "objectives"... as the message tells
    goals: tuple[str, ...] = ()  # read from a reply to the introduction
    # A rating seems given but cannot be read ("note : bof", "7/10", "3.5/5"): worth one
    # polite question rather than a guess.
    rating_unclear: bool = False
    sure: bool = True  # a command to confirm with the person before it acts when False
    command_words: str = ""  # the words the command was read in (a skip's day...)
    echo: bool = False  # only our own text came back: nothing was added to it
    # A yes to our question whether a command was meant: the command it asked about, as
    # our quoted mail says (the inbox reads it from its ledger and the token instead).
    confirms: str | None = None

    @property
    def answered(self) -> bool:
        """Whether any answer to our questionnaire was read."""
        return self.rating is not None or self.held is not None or self.rating_unclear or any(
            (self.learned, self.to_develop, self.next_focus))

    def understood(self) -> dict[str, Any]:
        """What `binome reply parse --json` prints: the fields the agent acts on. Answers
        are never read from an out-of-office nor from a reply to the introduction (which
        gives goals); a command may come with answers (its goals are kept all the same,
        agent.conversation.inbox, but shown under the kind "goals" only, as the first
        blind corpus's rules ask); `confirm` says a command is to be confirmed by the
        person before it acts."""
        answers = self.kind in ("questionnaire", "command", "unknown")
        return {
            "kind": self.kind,
            "rating": self.rating if answers else None,
            "took_place": self.held if answers else None,
            "learned": (self.learned or None) if answers else None,
            "to_develop": (self.to_develop or None) if answers else None,
            "next_focus": (self.next_focus or None) if answers else None,
            "goals": list(self.goals) if self.kind == "goals" else [],
            "command": (self.command or self.confirms) if self.kind == "command" else None,
            "rating_unclear": self.rating_unclear and answers,
            "confirm": (not self.sure) if self.kind == "command" else None,
        }


def parse_reply(raw: bytes, cut: Callable[[str], str] | None = None,
                ours: Ours | None = None) -> ParsedReply:
    """Read one inbound message; see the module docstring for what may raise.

    `ours`: what we wrote in the message it answers (agent.conversation.replies.ours;
    our templates when not given). `cut`, when given, turns the body into the new text
    instead of reading it against ours (bench/bench_quotes.py compares libraries so)."""
    try:
        return _parse(raw, cut, ours or template_ours())
    except ReplyError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug on hostile input must not stop the inbox
        raise ReplyError(f"unreadable message ({type(exc).__name__}: {exc})") from exc


def _parse(raw: bytes, cut: Callable[[str], str] | None, ours: Ours) -> ParsedReply:
    if not isinstance(raw, bytes | bytearray):
        raise ReplyError(f"expected the message bytes, got {type(raw).__name__}")
    msg = BytesParser(policy=default_policy).parsebytes(bytes(raw))
    sender = _sender(raw_header(msg, "From"))
    subject = " ".join(_decoded(raw_header(msg, "Subject")).split())
    body = _body(msg)
    answers_to = replying_to(subject, body)
    aligned = Aligned(top=cut(body)) if cut is not None else align(body, ours)
    # What a person writes in answer is a few lines: past this, it is pasted history or
    # junk, and reading it sentence by sentence would only cost time.
    text = unmarked(aligned.text[:MAX_READ])
    # A one-click reply ("Questionnaire [B-...]", body "Note : 4") gives its rating; a line
    # added below it is a comment, not an answer to the next question.
    questionnaire = answers_to in ("questionnaire", "") and not _ONE_CLICK.match(subject)
    given, asked = commands_apart({k: v for k, v in aligned.answers.items()
                                   if not k.startswith("goal")}, aligned.paragraphs)
    signer = _names(raw_header(msg, "From"))
    # A reply to our question whether a command was meant, to the renewal mail or to the
    # introduction answers no session's questions ("OUI" is no "yes, it took place";
    # "Excel : 3" is a level; "3. connaître la réglementation" is a goal, not what was
    # learned).
    answers = Answers() if answers_to in ("ask", "renewal", "intro") else read_answers(
        text, given, questionnaire=questionnaire, signer=signer)
    # A reply to a session's objectives that says how it went ("Replying here, I can't find
    # the questionnaire: done, 4/5") answers that session's questionnaire, as the inbox
    # takes it (agent.conversation.inbox): its answers are read in order, as one.
    answering = answers_to == "objectives" and (answers.rating is not None
                                                or answers.held is not None)
    if answering:
        answers = read_answers(text, given, questionnaire=True, signer=signer)
    added = added_to_subject(subject) if answers_to == "questionnaire" else ""
    if added and not answers.of_the_session():
        # "... [B-...] oui 5/5" and nothing in the body: the answers typed in the subject
        answers = read_answers(added, questionnaire=True, signer=signer)
    elif added and answers.rating is None and not answers.rating_unclear:
        marked = find_rating(added)  # "... [B-...] — 4/5": the rating typed in the subject
        answers = replace(answers, rating=marked.value, rating_unclear=marked.unclear)
    if not answers_to and not answers.of_the_session() and not raw_header(msg, "In-Reply-To") \
            and not raw_header(msg, "References"):
        # A new mail, a reply to nothing ("Comment on s'inscrit ? Je voudrais apprendre
        # Excel."), that says nothing of a session: its wishes answer no questionnaire.
        # (A reply threaded to ours keeps its answers, whatever its subject says.)
        answers = Answers()
    confirms = answers_to == "ask" and says_yes(text)
    slots = [aligned.answers[k] for k in sorted(aligned.answers) if k.startswith("goal")]
    goals = tuple(read_goals("\n".join(f"{i}. {g}" for i, g in enumerate(slots, 1))
                             if slots else text)) if answers_to == "intro" or slots else ()
    free = "\n".join(line for line in text.split("\n")
                     if line.strip() not in answers.used
                     and ungreeted(line).strip() not in answers.used)
    written = _date(raw_header(msg, "Date"))
    local_day = _local_day(raw_header(msg, "Date"))
    command = find_command("\n".join([free, *asked]) if asked else free, subject, body,
                           local_day)
    if command is not None:  # "Reprendre svp" to the introduction asks; it is no goal
        goals = tuple(g for g in goals if fold(g) not in fold(command.words)
                      and fold(command.words) not in fold(g))
    skip_on = _skipped_day(command, local_day, subject)
    automatic = automatic_reply(msg, subject, text)
    if automatic == OUT_OF_OFFICE_TEXT and answers.count() >= 2:
        # "Replying from my personal email as I'm out of office this week. Yes, 5. ...": a
        # person who says they are away and answers all the same (no machine header).
        automatic = ""
    return ParsedReply(
        message_id=_first_id(raw_header(msg, "Message-ID")) or _synthetic_id(bytes(raw)),
        sender=sender,
        subject=subject,
        in_reply_to=_first_id(raw_header(msg, "In-Reply-To")),
        references=tuple(_MSGID.findall(raw_header(msg, "References")))[-50:],
        date=written,
        text=text,
        rating=answers.rating,
        held=answers.held,
        learned=not_ours(answers.learned, ours),
        to_develop=not_ours(answers.to_develop, ours),
        next_focus=not_ours(answers.next_focus, ours),
        command=command.name if command else None,
        pause_until=pause_until(command.words, written.date() if written else None)
        if command and command.name == "pause" else None,
        skip_on=skip_on,
        token=find_token(subject, body),
        automatic=automatic,
        bounced=failed_recipients(msg),
        kind="command" if confirms and not automatic and command is None else kind_of(
            bool(automatic), command.name if command else None,
            "questionnaire" if answering else answers_to,
            # "Thanks, answers below!" answers, in our quote, as it says
            # ("FW: Laptop booking ... see below": a forward of a new mail answers nothing)
            answers.of_the_session() or bool(answers_to) and answers.count() > 0
            or ANSWERS_BELOW.search(text) is not None
            and bool(answers_to or raw_header(msg, "In-Reply-To")),
            gave_goals=bool(goals) or any(level_line(line) for line in text.split("\n"))),
        confirms=asked_command(body) if confirms and command is None else None,
        answers_to=answers_to,
        goals=goals,
        rating_unclear=answers.rating_unclear,
        sure=command.sure if command else True,
        command_words=command.words if command else "",
        echo=aligned.echo,
    )


def _skipped_day(command: Command | None, written: _Date | None, subject: str
                 ) -> _Date | None:
    """The day a skip names: "annuler la séance du 13 novembre"; "skip Thursday's session"
    where no day is ours, the next Thursday ("jeudi prochain" written on a Thursday, the
    one a week on)."""
    if command is None or command.name != "skip":
        return None
    named = find_date(command.words, written)
    if named is not None or written is None or OBJECTIVES.search(fold(subject)):
        return named
    weekday = next_weekday(command.words, written)
    words = fold(command.words)
    if weekday is None and re.search(r"\b(?:next|prochaine?)\b", words) \
            and weekdays_named(words):
        return written + timedelta(days=7)
    return weekday


def new_text(body: str, trim: Callable[[str], str] | None = None) -> str:
    """What the person wrote, read against our templates: their own text, then each answer
    typed after one of our questions as a numbered line ("2. 4"), so it keeps its question.
    `trim`: the quote-stripping library behind our rules (agent.conversation.replies.quotes)."""
    aligned = align(body, template_ours(), trim)
    numbered = [f"{FIELDS.index(k) + 1}. {v}" for k, v in aligned.answers.items() if k in FIELDS]
    return "\n\n".join(p for p in (aligned.text, "\n".join(sorted(numbered))) if p)


def _decoded(value: str) -> str:
    """RFC 2047 words decoded; the raw value when they are broken."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        # Raw 8-bit bytes in the header (RFC 6532 lets clients send UTF-8 as is): the
        # parser kept them as surrogates; read them as UTF-8, else as Latin-1.
        data = value.encode("utf-8", "surrogateescape")
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            value = data.decode("latin-1")
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - unknown charset or malformed encoded word
        pass
    try:  # an unknown charset: Latin-1 reads every byte and most Western words right
        parts = decode_header(value)
        return "".join(
            p.decode("latin-1") if isinstance(p, bytes) else str(p) for p, _charset in parts
        )
    except Exception:  # noqa: BLE001
        return value


def _sender(value: str) -> str:
    for _name, address in getaddresses([_decoded(value)]):
        address = address.strip().lower()
        if "@" in address and " " not in address:
            return address
    if not value.strip():
        raise ReplyError("no From header: cannot tell who wrote this message")
    raise ReplyError(f"From header has no usable address: {value[:100]!r}")


def _names(value: str) -> tuple[str, ...]:
    """How the sender may sign, lower case: their display name, its first word and its
    initials, and the same from their address ("claire moreau", "claire", "cm" from
    "claire.moreau@...")."""
    names: list[str] = []
    for name, address in getaddresses([_decoded(value)]):
        for source in (name, address.partition("@")[0]):
            words = re.findall(r"[^\W\d_]+", source.casefold())
            if words:
                names += [" ".join(words), words[0]]
                if len(words) > 1:  # a signature in initials ("ZM")
                    names.append("".join(w[0] for w in words))
    return tuple(dict.fromkeys(names))


def _first_id(value: str) -> str | None:
    match = _MSGID.search(value)
    return match.group(0) if match else None


def _synthetic_id(raw: bytes) -> str:
    """A stable id for a message that has none, so reading it twice is still harmless."""
    return f"<{hashlib.sha256(raw).hexdigest()[:24]}@no-message-id.binome.invalid>"


def _local_day(value: str) -> _Date | None:
    """The day a message was written where it was written (its Date's own offset): the
    weekday "skip Thursday's session" is counted from."""
    try:
        return parsedate_to_datetime(value.strip()).date()
    except Exception:  # noqa: BLE001 - absent or malformed Date
        return None


def _date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value.strip())
    except Exception:  # noqa: BLE001 - absent or malformed Date
        return None
    if when.tzinfo is None:  # "-0000": UTC as far as anyone knows (RFC 5322 3.3)
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _body(msg: Message) -> str:
    """The best text of the message: the first inline text/plain, else text/html as text."""
    plain: str | None = None
    html: str | None = None
    for part in _parts(msg):
        kind = part.get_content_type()
        if kind == "text/plain" and not plain:
            plain = _part_text(part)
        elif kind == "text/html" and not html:
            html = _part_text(part)
    if plain and plain.strip():
        return _spaces(plain)
    if html:
        return _spaces(html_quoted_text(html))[:MAX_TEXT]
    return ""


def _spaces(text: str) -> str:
    """No-break spaces (French typography: "De\u00a0:", "Note\u00a0: 4") made plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")


def _parts(msg: Message) -> list[Message]:
    """Leaf parts that are not attachments, breadth-first, at most 100 (hostile nesting)."""
    queue: list[Message] = [msg]
    leaves: list[Message] = []
    while queue and len(leaves) < 100:
        part = queue.pop(0)
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            queue.extend(p for p in payload[:100] if isinstance(p, Message))
            continue
        if (part.get_content_disposition() or "inline") != "attachment":
            leaves.append(part)
    return leaves


def _part_text(part: Message) -> str:
    """Decoded text of one part: declared charset, else UTF-8, else Windows-1252."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    data = data[:MAX_PART_BYTES]
    declared = part.get_content_charset() or "utf-8"
    # Mail labelled Latin-1 is most often Windows-1252 (Outlook's curly quotes, "€", "œ"):
    # the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels)
    # decodes every Latin-1 label as windows-1252 for that reason; Latin-1 stays the
    # fallback for the five bytes windows-1252 leaves undefined.
    latin = declared.replace("_", "-") in ("iso-8859-1", "latin1", "latin-1", "l1", "iso8859-1")
    text: str | None = None
    for charset in (("cp1252", declared, "utf-8") if latin else (declared, "utf-8")):
        try:
            text = data.decode(charset)[:MAX_TEXT]
            break
        except (LookupError, UnicodeError, ValueError):
            continue
    if text is None:
        text = data.decode("cp1252", errors="replace")[:MAX_TEXT]
    params = {k.lower(): v.lower() for k, v in part.get_params() or () if isinstance(v, str)}
    if part.get_content_type() == "text/plain" and params.get("format") == "flowed":
        text = unflowed(text, params.get("delsp") == "yes")
    return text


def unflowed(text: str, delsp: bool) -> str:
    """A format=flowed body (RFC 3676, as Thunderbird and Apple Mail send) as its lines:
    a line ending in a space goes on in the next one of the same quote depth. Written
    here: the standard library does not undo it, and the one package that does
    (formatflowed) has not changed since 2016."""
    out: list[tuple[int, str, bool]] = []  # (depth, text, flowed)
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if out and out[-1][2] and out[-1][0] == depth:
            out[-1] = (depth, out[-1][1] + content, flowed)
        else:
            out.append((depth, content, flowed))
    return "\n".join((">" * d + " " if d else "") + t for d, t, _ in out)
