"""One reply typed as a person would, read by the parser: the helper the tests of writers'
habits share (tests/conversation/test_reply_habits*.py)."""

from __future__ import annotations

from agent.conversation.replies.parse import parse_reply

SESSION_EN = "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]"
SESSION_FR = "RE: Atelier · comment s'est passée la séance 3 ? [B-1a2b3c4d5e6f]"


def read(body: str, subject: str = SESSION_EN,
         sender: str = "Zoé Martin <zoe.martin@acme.fr>") -> dict[str, object]:
    """What `binome reply parse --json` prints for a plain-text reply with this body."""
    raw = (f"From: {sender}\r\nSubject: {subject}\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")
    return parse_reply(raw.encode()).understood()


def picked(got: dict[str, object], want: dict[str, object]) -> dict[str, object]:
    """The fields of `got` that `want` names, to compare with it whole."""
    return {k: got[k] for k in want}


_FRENCH = ("oui", "je ", "non", "top", "⭐")


def read_in_its_language(body: str,
                         sender: str = "Zoé Martin <zoe.martin@acme.fr>") -> dict[str, object]:
    """`read` as a reply to the questionnaire in the body's language: French when it has
    French letters or opens as French replies do ("oui", "je ", "⭐"...), else English."""
    french = any(c in body for c in "éèàçùêô") or " jai " in body \
        or body.lower().startswith(_FRENCH)
    return read(body, SESSION_FR if french else SESSION_EN, sender)
