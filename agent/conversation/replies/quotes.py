"""Keep only what a person just wrote: drop quoted history and signatures.

Terms:
- *quote header*: the line(s) a mail client puts above the message it quotes
  ("Le jeu. 8 oct. 2026 à 10:00, X a écrit :", "On ... wrote:", Outlook's
  "De : / Envoyé : / À : / Objet :" block, "-----Original Message-----").
- *new text*: everything above the first quote header, without `>` lines and
  without mobile signatures ("Envoyé de mon iPhone").

Our own rules run first (they know the clients our participants use, in French
and English, including headers wrapped over several lines and bottom-posted
replies); mailparser_reply then catches the many other languages and clients
and the sign-offs under an answer. Nothing here raises: a failure of the
third-party parts falls back to the simpler result.

Why mail-parser-reply behind our rules (bench/bench_quotes.py, Nov 2026): on our
88-message corpus each library alone misses 7-14 messages (French headers,
non-breaking spaces, inline answers, bottom posts) where our rules, with any
library or none, miss none; on discourse's 64 trimmer fixtures, keeping the
answer without the quote, ours + mail-parser-reply 48 (34 of 44 French/English),
+ talon 47 (33), + email-reply-parser 45 (33), no library 44 (32). talon (1.4.4,
2017, pulls scikit-learn and scipy) is exact more often (41 vs 38) only by keeping
signatures, which we drop.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mailparser_reply.parser import EmailMessage as _ReplyParserMessage

MAX_TEXT = 200_000  # characters; a reply is a few lines, a longer body is junk or history
_LANGUAGES = ["en", "fr", "de", "es", "it"]
LIBRARY_WINDOW = 4_000  # characters given to mailparser_reply (see library_trim)

# "Le jeu. 8 oct. 2026 à 10:00, Binôme <x@y> a écrit :" and Apple's
# "Le 8 oct. 2026 à 10:00, X <x@y> a écrit :". Clients wrap it, so "a écrit" may
# come up to 4 lines later; the first line must hold a digit (the date) so that a
# sentence of the reply starting with "Le" is not taken for the header. Bounded
# repeats keep hostile single-line bodies linear. A client wraps the header without a
# blank line: "le 29 je peux pas ..." above a blank line and the real header is the reply.
_WRAPPED = r"[^\n]{0,120}?\d[^\n]{0,200}(?:\n[ \t]*\S[^\n]{0,200}){0,4}?"
# After "Le" / "On" comes the date: a weekday or a figure ("Le mar. 22 sept.", "Le 22/09",
# "On Tue, Sep 22", "On 22 Sep"), never an answer that holds a figure further on ("le
# feuilletage des croissants, les 3 tours" three lines above the real header).
_DAY_FR = r"(?:(?:lun|mar|mer|jeu|ven|sam|dim)[a-z]*\.?,?\s|\d)"
_DAY_EN = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s|\d)"
# Yahoo on Android may flatten the quote onto the header's line ("... a écrit :   Bonjour
# Julie, Comment s'est passée ..."): what follows the colon there is ours.
_WROTE_END = r"(?:[ \t]*$|:[ \t]{2,}\S[^\n]*$)"
_WROTE_FR = r"^[ \t>]*Le\s(?=" + _DAY_FR + ")" + _WRAPPED + r"\s+a\s+[ée]crit\s*:?" + _WROTE_END
# "On Thu, Oct 8, 2026 at 10:00 AM X <x@y> wrote:", same shape.
_WROTE_EN = r"^[ \t>]*On\s(?=" + _DAY_EN + ")" + _WRAPPED + r"\s+wrote\s*:?" + _WROTE_END
# Dashed separators of Outlook, Thunderbird, Lotus and Apple forwards.
_SEPARATOR = (
    r"^[ \t>]*-{2,}\s*(?:Original Message|Message d'origine|Message original|Mail original"
    r"|Mail transf[ée]r[ée]|Courriel transf[ée]r[ée]|Message transf[ée]r[ée]"
    r"|Forwarded message|Message transféré|Mensaje original|Ursprüngliche Nachricht)\s*-{2,}"
    r"|^[ \t>]*(?:Begin forwarded message|Début du message réexpédié)\s*:"
    r"|^[ \t]*_{10,}[ \t]*$"
    # Older Gmail: "2013/7/20 Name <x@y>" or "2016-03-03 17:21 GMT+01:00 Name <x@y>:".
    r"|^[ \t>]*\d{4}[-/]\d{1,2}[-/]\d{1,2}[ \t][^\n]{0,200}(?:<[^\n]{0,200}@|GMT)"
)
QUOTE_HEADER = re.compile(
    f"{_WROTE_FR}|{_WROTE_EN}|{_SEPARATOR}", re.MULTILINE | re.IGNORECASE
)
# Outlook's header block: "De :" (or From:, possibly *bold*) followed within two lines by
# "Envoyé :", "Date :" or "Sent:". French typography puts a space before the colon.
OUTLOOK_BLOCK = re.compile(
    r"^[ \t>]*\**(?:De|From|Von|Da)\**[ \t]*:.*\n(?:.*\n){0,2}?"
    r"[ \t>]*\**(?:Envoy[ée]|Sent|Date|Gesendet|Inviato)\**[ \t]*:",
    re.MULTILINE | re.IGNORECASE,
)
# Mobile and webmail footers, and the "-- " signature delimiter: everything after goes.
SIGNATURE = re.compile(
    r"^[ \t]*(?:--[ \t]*$"
    r"|(?:Envoy[ée]|Sent|Get|Obtenir|Obtenez|Télécharger)\s+(?:de|depuis|from|via|with|avec|Outlook)\b"
    r".{0,80}$"
    r"|\(?sent from .{0,60}$"
    # a client set to German: "Outlook für Android herunterladen", "Von meinem iPhone gesendet"
    r"|Outlook f[üu]r (?:Android|iOS) herunterladen\b.{0,60}$"
    r"|Von meine[mr] .{0,40}gesendet\b.{0,40}$"
    r"|Gesendet von .{0,60}$)",
    re.MULTILINE | re.IGNORECASE,
)


def is_quote_header(text: str) -> bool:
    """Whether `text` is nothing but a quote header ("On ... wrote:")."""
    match = QUOTE_HEADER.match(text.strip())
    return bool(text.strip()) and match is not None and match.end() == len(text.strip())


def strip_quotes(text: str, trim: Callable[[str], str] | None = None) -> str:
    """The new text of a reply body (plain text), quotes and signatures removed.

    `trim` is the quote-stripping library run after our own rules (mail-parser-reply
    by default; bench/bench_quotes.py measures the others through it)."""
    text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    text = _below_quote(text)
    text = _cut_at_first(text, QUOTE_HEADER, OUTLOOK_BLOCK)
    text = (trim or library_trim)(text)
    text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))
    text = _cut_at_first(text, SIGNATURE)
    return _tidy(text)


def _below_quote(text: str) -> str:
    """A bottom-posted reply (Thunderbird's default: header, quoted message, then the
    answer) keeps only what follows the quote; any other text is returned as is."""
    header = QUOTE_HEADER.match(text.lstrip())
    if header is None:
        return text
    rest = text.lstrip()[header.end():].split("\n")
    unquoted = [line for line in rest if not line.lstrip().startswith(">")]
    quoted = len(rest) - len(unquoted)
    below = "\n".join(unquoted).strip()
    return below if quoted and below else text


def _cut_at_first(text: str, *patterns: re.Pattern[str]) -> str:
    """`text` up to the earliest match of any pattern (matches at the very top are skipped
    when they would leave nothing: a reply that *is* a forward keeps its content)."""
    cut = len(text)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if text[: match.start()].strip():
                cut = min(cut, match.start())
                break
    return text[:cut]


def library_trim(text: str) -> str:
    """mailparser_reply's latest reply, without its signatures; `text` if it fails.

    It reads only the first LIBRARY_WINDOW characters: its patterns take time growing
    with the square of a long line ("On 1 On 1 ..." over 250 kB: 45 s), and a reply's
    own words come first; beyond the window our rules alone apply."""
    head = text[:LIBRARY_WINDOW]
    try:
        # keep_hyphen_lists: its default treats "- item" lines as a signature start.
        message = _ReplyParserMessage(
            text=head, languages=list(_LANGUAGES), keep_hyphen_lists=True
        ).read()
        if message.replies:
            body = message.replies[0].body
            if isinstance(body, str) and (body.strip() or not head.strip()):
                return text if body.strip() == head.strip() else body
    except Exception:  # noqa: BLE001 - a third-party regex failing must not lose the reply
        pass
    return text


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    # Trailing separator lines ("-----", Gmail's invisible tracker glyph) carry nothing.
    # A line of stars is a rating ("★★★★☆", "⭐⭐⭐", "****"), and "👍" a yes: no separators.
    while lines and not re.search(r"[^\W_]|[★☆⭐\U0001F300-\U0001FAFF\u2600-\u27BF]"
                                  r"|^\s*\*{1,5}\s*$", lines[-1]):
        lines.pop()
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):  # collapse runs of blank lines
            out.append(line)
    return "\n".join(out).strip()


def strip_html_quotes(html: str) -> str:
    """Drop quoted parts from an HTML body before it becomes text (blockquotes, Gmail's
    and Outlook's quote containers); returns HTML. Falls back to `html` on failure."""
    try:
        from lxml import html as lxml_html  # type: ignore[import-untyped]

        root = lxml_html.fromstring(html[: MAX_TEXT * 5])
        selectors = (
            "//blockquote | //*[contains(@class, 'gmail_quote')]"
            " | //*[@id='divRplyFwdMsg'] | //*[@id='appendonsend']"
            " | //*[contains(@class, 'yahoo_quoted')]"
            " | //*[@id='mail-editor-reference-message-container']"
        )
        for element in root.xpath(selectors):
            _drop_with_following(element)
        result = lxml_html.tostring(root, encoding="unicode")
        return result if isinstance(result, str) else html
    except Exception:  # noqa: BLE001 - broken HTML: the text rules below still apply
        return html


_QUOTED_MARK = "\ue000"


def html_quoted_text(html: str) -> str:
    """The text of an HTML body with its quoted parts kept, each of their lines starting
    with "> " as a plain-text client writes them: blockquotes (Gmail, Apple Mail,
    Thunderbird) and Yahoo's quote container. Outlook quotes without any container: its
    header block is then the only sign (agent.conversation.replies.align reads it). The
    text without its quotes when the HTML cannot be read."""
    try:
        from lxml import html as lxml_html

        root = lxml_html.fromstring(html[: MAX_TEXT * 5])
        # Not Gmail's div.gmail_quote: answers typed between the pieces of a split quote
        # stay inside it, between its blockquotes.
        selectors = "//blockquote | //*[contains(@class, 'yahoo_quoted')]"
        for element in root.xpath(selectors):
            for node in element.iter():
                if node.text and node.text.strip():
                    node.text = _QUOTED_MARK + node.text
                if node is not element and node.tail and node.tail.strip():
                    node.tail = _QUOTED_MARK + node.tail
        marked = lxml_html.tostring(root, encoding="unicode")
    except Exception:  # noqa: BLE001 - broken HTML: read it without its quotes
        return html_to_text(strip_html_quotes(html))
    lines = []
    for line in html_to_text(marked if isinstance(marked, str) else html).split("\n"):
        lines.append("> " + line.replace(_QUOTED_MARK, "") if _QUOTED_MARK in line else line)
    return "\n".join(lines)


def _drop_with_following(element: object) -> None:
    """Remove `element` and, for Outlook's reply markers, everything after it."""
    parent = element.getparent()  # type: ignore[attr-defined]
    if parent is None:
        return
    marker = element.get("id") in ("divRplyFwdMsg", "appendonsend")  # type: ignore[attr-defined]
    if marker:
        for sibling in list(element.itersiblings()):  # type: ignore[attr-defined]
            parent.remove(sibling)
    parent.remove(element)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (quoted parts already removed or not)."""
    try:
        from inscriptis import get_text

        text = get_text(html[: MAX_TEXT * 5])
        return text if isinstance(text, str) else ""
    except Exception:  # noqa: BLE001 - fall back to a crude tag strip
        return re.sub(r"<[^>]*>", " ", html)
