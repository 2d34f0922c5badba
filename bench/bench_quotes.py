"""Which quote stripping reads replies best: run `python bench/bench_quotes.py`.

Compares, on the same inputs, our reading (our rules for the clients our people
use, inline answers, then mail-parser-reply), our rules with each other library
behind them, and each library alone:
- (a) tests/conversation/replies: every message through `parse_reply` with the method as its
  `cut`; "fields" = every field of `binome reply parse` as expected.json says
  (the commands pending the convo branch excluded), "no quote" = none of our
  quoted template's lines left in the new text. HTML-only messages go through our
  HTML quote removal first whatever the method (talon's own HTML path is measured
  in (b)).
- (b) ../shared/data/replies (skipped when absent): discourse's email_reply_trimmer
  fixtures (all languages, and French + English only) and talon's standard and
  HTML replies, with the expected text their projects test against. "exact" =
  same non-blank lines; "kept" = the answer's first line is there and the quote's
  first line is not (so keeping or dropping a signature does not count).

The libraries not installed are skipped: `pip install email-reply-parser talon`
(talon 1.4.4 is from 2017; its quotation extraction still works).
"""

from __future__ import annotations

import email
import json
import sys
import time
import warnings
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.conversation.replies.parse import new_text, parse_reply  # noqa: E402
from agent.conversation.replies.quotes import html_to_text, strip_html_quotes  # noqa: E402

CORPUS = ROOT / "tests" / "conversation" / "replies"
SHARED = ROOT.parent / "shared" / "data" / "replies"
TRIMMER = SHARED / "discourse-email_reply_trimmer" / "test"
TALON = SHARED / "mailgun-talon" / "tests" / "fixtures"
OTHER_LANGUAGES = ("chinese", "dutch", "german", "italian", "norwegian", "polish",
                   "portuguese", "russian", "spanish", "swedish", "ukrainian")
# Lines of our own templates that must not survive as "new text" (not the questions:
# some people copy them above their answers on purpose).
QUOTE_MARKS = ("Pressé·e ?", "In a hurry?", "Vos objectifs :", "Your goals:", "réf. B-",
               "ref. B-")
Cut = Callable[[str], str]


def _libraries() -> dict[str, Cut]:
    found: dict[str, Cut] = {}
    from mailparser_reply import EmailReplyParser as MailParserReply

    found["mail-parser-reply"] = lambda text: str(
        MailParserReply(languages=["en", "fr", "de", "es", "it"]).parse_reply(text) or "")
    try:
        from email_reply_parser import EmailReplyParser

        found["email-reply-parser"] = lambda text: str(EmailReplyParser.parse_reply(text))
    except ImportError:
        print("email-reply-parser not installed: skipped")
    try:
        from talon import quotations

        found["talon"] = lambda text: str(quotations.extract_from_plain(text))
    except Exception as exc:  # noqa: BLE001 - an old package may fail in many ways
        print(f"talon unusable ({type(exc).__name__}: {exc}): skipped")
    return found


def _methods() -> dict[str, Cut]:
    libraries = _libraries()
    methods: dict[str, Cut] = {
        "ours: rules + inline + mail-parser-reply (current)": new_text,
        "ours: rules + inline, no library": lambda b: new_text(b, trim=lambda t: t),
    }
    for name, cut in libraries.items():
        if name != "mail-parser-reply":
            methods[f"ours: rules + inline + {name}"] = (
                lambda b, cut=cut: new_text(b, trim=cut))  # type: ignore[misc]
    methods.update({f"{name} alone": cut for name, cut in libraries.items()})
    return methods


def _safe(cut: Cut, text: str) -> str:
    try:
        return cut(text)
    except Exception:  # noqa: BLE001 - a library failing on an input counts as a miss
        return ""


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")
            if line.strip()]


def corpus_scores(cut: Cut) -> tuple[int, int, int]:
    """(all fields right, no quote left, messages) over tests/conversation/replies."""
    expected: dict[str, dict[str, Any]] = json.loads(
        (CORPUS / "expected.json").read_text(encoding="utf-8"))
    fields_ok = clean = 0
    for name, want in expected.items():
        reply = parse_reply((CORPUS / f"{name}.eml").read_bytes(), cut=lambda b: _safe(cut, b))
        got = reply.understood()
        fields_ok += all(_norm(got[f]) == _norm(want[f]) for f in want)
        clean += not any(mark in reply.text for mark in QUOTE_MARKS)
    return fields_ok, clean, len(expected)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    return [_norm(v) for v in value] if isinstance(value, list) else value


def _score(output: str, want: str, quote_first: str) -> tuple[bool, bool]:
    got, wanted = _lines(output), _lines(want)
    exact = got == wanted
    kept = bool(wanted) and wanted[0] in got and not (
        quote_first and quote_first != wanted[0] and any(quote_first in line for line in got))
    return exact, kept


def trimmer_cases(french_english_only: bool) -> list[tuple[str, str, str]]:
    cases = []
    for path in sorted((TRIMMER / "emails").glob("*.txt")):
        if french_english_only and any(lang in path.stem for lang in OTHER_LANGUAGES):
            continue
        trimmed, elided = TRIMMER / "trimmed" / path.name, TRIMMER / "elided" / path.name
        if trimmed.exists():
            quote = _lines(elided.read_text(errors="replace")) if elided.exists() else []
            cases.append((path.read_text(errors="replace"),
                          trimmed.read_text(errors="replace"), quote[0] if quote else ""))
    return cases


def _plain(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            data = part.get_payload(decode=True)
            return data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
    return ""


def talon_cases() -> list[tuple[str, str, str]]:
    cases = []
    for path in sorted((TALON / "standard_replies").glob("*.eml")):
        body = _plain(email.message_from_bytes(path.read_bytes()))
        answer = path.with_name(path.stem + "_reply_text")
        want = answer.read_text() if answer.exists() else "Hello"
        quoted = next((line for line in _lines(body) if line.startswith(">")), "")
        cases.append((body, want, quoted.lstrip("> ")))
    return cases


def html_cases() -> list[str]:
    return [p.read_text(errors="replace") for p in sorted((TALON / "html_replies").glob("*.html"))]


def html_score(name: str, html: str, cut: Cut) -> tuple[bool, bool]:
    if name.startswith("talon alone"):
        from talon import quotations

        text = html_to_text(_safe(quotations.extract_from_html, html))
    elif name.startswith("ours"):
        text = _safe(cut, html_to_text(strip_html_quotes(html)))
    else:
        text = _safe(cut, html_to_text(html))
    flat = " ".join(text.split())
    return flat == "Hi. I am fine. Thanks, Alex", "Hi. I am fine." in flat and "How are" not in flat


def main() -> None:
    warnings.simplefilter("ignore")  # html5lib (talon) warns on Outlook's XML names
    methods = _methods()
    shared = TRIMMER.is_dir() and TALON.is_dir()
    if not shared:
        print(f"{SHARED} absent: only (a) is measured")
    head = f"{'method':<52}{'(a) fields':>11}{'no quote':>10}"
    if shared:
        head += f"{'trim all':>15}{'trim fr+en':>15}{'talon plain':>15}{'talon html':>15}"
    print(head + f"{'seconds':>9}\n" + "-" * len(head + " " * 9))
    for name, cut in methods.items():
        start = time.perf_counter()
        fields_ok, clean, total = corpus_scores(cut)
        row = f"{name:<52}{fields_ok:>5}/{total:<5}{clean:>5}/{total:<4}"
        if shared:
            for cases in (trimmer_cases(False), trimmer_cases(True), talon_cases()):
                scores = [_score(_safe(cut, text), want, quote) for text, want, quote in cases]
                exact, kept = sum(s[0] for s in scores), sum(s[1] for s in scores)
                row += f"{exact:>5}/{kept:>2}/{len(cases):<6}"
            html = [html_score(name, page, cut) for page in html_cases()]
            row += f"{sum(h[0] for h in html):>5}/{sum(h[1] for h in html):>2}/{len(html):<6}"
        print(row + f"{time.perf_counter() - start:>9.1f}")
    if shared:
        print("(b) columns: exact / kept / cases")
    hostile()


def hostile() -> None:
    """Slowest parse of bodies built to make line-oriented patterns backtrack."""
    worst = (0.0, "")
    for token in ("On 1 ", "Le 1 ", "Il 1 ", "On ", "> 1. x\nA\n", "J'ai appris. ", "★",
                  "3.5/5 ", "1. a\n\n", "De : a\n", "Le 8 oct. 2026 à 10:00, "):
        body = token * (250_000 // len(token))
        raw = ("From: a@b.fr\r\nSubject: Re: Questionnaire\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
        start = time.perf_counter()
        parse_reply(raw)
        worst = max(worst, (time.perf_counter() - start, token))
    print(f"hostile 250 kB bodies: slowest parse {worst[0]:.2f} s ({worst[1]!r} repeated)")


if __name__ == "__main__":
    main()
