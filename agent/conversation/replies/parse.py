"""Parse what people send back into a `ParsedReply`.

Terms:
- *new text*: what the person wrote in this message, without the quoted history
  and signatures (agent.conversation.replies.quotes).
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
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as _Date
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from agent.conversation.replies.answers import (
    find_command,
    find_pause_until,
    find_token,
    read_answers,
)
from agent.conversation.replies.automatic import automatic_reply, failed_recipients, raw_header
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.inline import before_quote, inline_answers
from agent.conversation.replies.intent import kind_of, replying_to
from agent.conversation.replies.quotes import (
    MAX_TEXT,
    html_to_text,
    is_quote_header,
    strip_html_quotes,
    strip_quotes,
)

MAX_PART_BYTES = 4 * MAX_TEXT  # undecoded bytes read from one body part
_MSGID = re.compile(r"<[^<>\s]{1,250}>")


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
    text: str  # the new part only
    rating: int | None  # 1..5
    held: bool | None
    learned: str
    to_develop: str
    next_focus: str
    command: str | None  # "stop" | "pause" | "resume" | "skip" | "help"
    token: str | None  # "B-xxxxxxxx"
    automatic: str = ""  # why it is an auto-reply (out of office...), or "" for a person's
    bounced: tuple[str, ...] = ()  # addresses a delivery report says could not be reached
    pause_until: _Date | None = None  # "pause until 3 March": the day it ends by itself
    kind: str = "unknown"  # agent.conversation.replies.intent.KINDS
    answers_to: str = ""  # "intro" | "questionnaire" | "" as the message itself tells
    goals: tuple[str, ...] = ()  # read from a reply to the introduction
    # A rating seems given but cannot be read ("note : bof", "7/10", "3.5/5"): worth one
    # polite question rather than a guess.
    rating_unclear: bool = False

    def understood(self) -> dict[str, Any]:
        """What `binome reply parse --json` prints: the fields the agent acts on. Answers
        are only read from a reply to a questionnaire (never from a command or an
        out-of-office), goals only from a reply to the introduction."""
        answers = self.kind == "questionnaire"
        return {
            "kind": self.kind,
            "rating": self.rating if answers else None,
            "took_place": self.held if answers else None,
            "learned": (self.learned or None) if answers else None,
            "to_develop": (self.to_develop or None) if answers else None,
            "next_focus": (self.next_focus or None) if answers else None,
            "goals": list(self.goals) if self.kind == "goals" else [],
            "command": self.command if self.kind == "command" else None,
            "rating_unclear": self.rating_unclear and answers,
        }


def parse_reply(raw: bytes, cut: Callable[[str], str] | None = None) -> ParsedReply:
    """Read one inbound message; see the module docstring for what may raise.

    `cut` turns the body into the new text; `new_text` unless given (the benchmark of
    quote-stripping libraries, bench/bench_quotes.py, passes theirs)."""
    try:
        return _parse(raw, cut or new_text)
    except ReplyError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug on hostile input must not stop the inbox
        raise ReplyError(f"unreadable message ({type(exc).__name__}: {exc})") from exc


def _parse(raw: bytes, cut: Callable[[str], str]) -> ParsedReply:
    if not isinstance(raw, bytes | bytearray):
        raise ReplyError(f"expected the message bytes, got {type(raw).__name__}")
    msg = BytesParser(policy=default_policy).parsebytes(bytes(raw))
    sender = _sender(raw_header(msg, "From"))
    subject = " ".join(_decoded(raw_header(msg, "Subject")).split())
    body = _body(msg)
    answers_to = replying_to(subject, body)
    text = cut(body)
    answers = read_answers(text)
    goals = tuple(read_goals(text)) if answers_to == "intro" else ()
    command = find_command(text, subject, body)
    written = _date(raw_header(msg, "Date"))
    automatic = automatic_reply(msg, subject)
    answered = answers.rating is not None or answers.held is not None or any(
        (answers.learned, answers.to_develop, answers.next_focus, answers.rating_unclear))
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
        learned=answers.learned,
        to_develop=answers.to_develop,
        next_focus=answers.next_focus,
        command=command,
        pause_until=find_pause_until(text, subject, written.date() if written else None)
        if command == "pause" else None,
        token=find_token(subject, body),
        automatic=automatic,
        bounced=failed_recipients(msg),
        kind=kind_of(bool(automatic), command, answers_to, answered),
        answers_to=answers_to,
        goals=goals,
        rating_unclear=answers.rating_unclear,
    )


def new_text(body: str, trim: Callable[[str], str] | None = None) -> str:
    """What the person wrote. Answers typed under each quoted question become numbered
    lines ("2. 4") after what they wrote above the quote, so they keep their question.
    `trim`: the quote-stripping library behind our rules (agent.conversation.replies.quotes)."""
    inline = inline_answers(body)
    if not inline:
        return strip_quotes(body, trim)
    top = strip_quotes(before_quote(body), trim)
    if is_quote_header(top):
        top = ""
    numbered = "\n".join(f"{number}. {answer}" for number, answer in sorted(inline.items()))
    return f"{top}\n\n{numbered}".strip()


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


def _first_id(value: str) -> str | None:
    match = _MSGID.search(value)
    return match.group(0) if match else None


def _synthetic_id(raw: bytes) -> str:
    """A stable id for a message that has none, so reading it twice is still harmless."""
    return f"<{hashlib.sha256(raw).hexdigest()[:24]}@no-message-id.binome.invalid>"


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
        return plain
    if html:
        return html_to_text(strip_html_quotes(html))[:MAX_TEXT]
    return ""


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
    for charset in (declared, "utf-8"):
        try:
            return data.decode(charset)[:MAX_TEXT]
        except (LookupError, UnicodeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")[:MAX_TEXT]
