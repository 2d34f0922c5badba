"""Replies shaped as mail clients shape them, around questionnaires we really sent
(tests/conversation/blind/sent): what the person added is read wherever they put it,
and our own text never is.

Each case is a client habit the issue (#14) names: Outlook's French header block with
no-break spaces, answers typed in colour inside Outlook's HTML quote, Gmail's HTML
quote split around the answers, HTML-only replies, out-of-office answers that echo
our questionnaire, and a body that is our text alone.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from html import escape
from pathlib import Path
from typing import Any

import pytest

from agent.conversation.replies.ours import said_of, sent_ours
from agent.conversation.replies.parse import parse_reply

SENT = Path(__file__).parent / "blind" / "sent"
QUESTIONS = {
    "fr": ["La séance a-t-elle eu lieu", "Votre note, de 1 à 5", "Qu'avez-vous appris",
           "Que souhaitez-vous encore développer", "Sur quoi vous concentrer la prochaine fois"],
    "en": ["Did the session take place", "Your rating, from 1 to 5", "What did you learn",
           "What do you still want to develop", "What should you focus on next time"],
}
ANSWERS = {"fr": ["Oui", "4", "Les TCD", "Les graphiques", "Un vrai dossier"],
           "en": ["Yes", "4", "Pivot tables", "Charts", "A real case"]}
WANT = {"fr": (True, 4, "Les TCD", "Les graphiques", "Un vrai dossier"),
        "en": (True, 4, "Pivot tables", "Charts", "A real case")}


def ours(lang: str) -> tuple[EmailMessage, bytes]:
    raw = (SENT / f"questionnaire-{lang}-0_{21 if lang == 'fr' else 17}.eml").read_bytes()
    msg = message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg, raw


def reply(original: EmailMessage, *, plain: str | None = None, html: str | None = None,
          subject: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"Zoé Martin <{original['To']}>"
    msg["To"] = str(original["From"])
    msg["Subject"] = subject or "RE: " + str(original["Subject"])
    msg["Message-ID"] = "<r1@client.example>"
    msg["In-Reply-To"] = str(original["Message-ID"])
    for name, value in (headers or {}).items():
        msg[name] = value
    if plain is not None:
        msg.set_content(plain)
    if html is not None:
        if plain is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


def fields(raw: bytes, sent: bytes | None = None) -> tuple[Any, ...]:
    against = sent_ours(*said_of(sent, "questionnaire")) if sent else None
    got = parse_reply(raw, ours=against).understood()
    return (got["took_place"], got["rating"], got["learned"], got["to_develop"],
            got["next_focus"])


def _outlook_header(original: EmailMessage, lang: str) -> str:
    if lang == "fr":
        return (f"De\u00a0: {original['From']}\nEnvoyé\u00a0: jeudi 15 octobre 2026 18:00\n"
                f"À\u00a0: {original['To']}\nObjet\u00a0: {original['Subject']}\n")
    return (f"From: {original['From']}\nSent: Thursday, October 15, 2026 6:00 PM\n"
            f"To: {original['To']}\nSubject: {original['Subject']}\n")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_outlook_plain_quote_with_its_no_break_spaces_is_never_an_answer(lang: str) -> None:
    original, sent = ours(lang)
    text = original.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    body = f"{ANSWERS[lang][0]}, 4.\n\nZoé\n\n{_outlook_header(original, lang)}\n{text}"
    for against in (None, sent):
        assert fields(reply(original, plain=body), against) == (True, 4, None, None, None)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_answers_typed_in_colour_inside_outlook_s_html_quote(lang: str) -> None:
    original, sent = ours(lang)
    html = original.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for question, answer in zip(QUESTIONS[lang], ANSWERS[lang], strict=True):
        html = re.sub(rf"({re.escape(escape(question, quote=False))}[^<]*)</li>",
                      rf'\1 <span style="color:#C00000">{answer}</span></li>', html, count=1)
    header = "<br>".join(escape(line) for line in _outlook_header(original, lang).splitlines())
    body = (f'<html><body><div>{"Voir ci-dessous" if lang == "fr" else "See below"}</div>'
            f'<div id="appendonsend"></div><hr><div id="divRplyFwdMsg">{header}</div>'
            f"<div>{html}</div></body></html>")
    for against in (None, sent):
        assert fields(reply(original, html=body), against) == WANT[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_answers_between_the_pieces_of_a_split_gmail_quote(lang: str) -> None:
    original, sent = ours(lang)
    text = original.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    pieces, lines = [], text.splitlines()
    for question, answer in zip(QUESTIONS[lang], ANSWERS[lang], strict=True):
        at = next(i for i, line in enumerate(lines) if question in line) + 1
        pieces.append("<blockquote class=\"gmail_quote\">" + "<br>".join(
            escape(line) for line in lines[:at]) + f"</blockquote><div>{answer}</div>")
        lines = lines[at:]
    html = ('<div dir="ltr">Bonjour,</div><div class="gmail_quote"><div class="gmail_attr">'
            "Le jeu. 15 oct. 2026 à 18:00, Binôme a écrit :</div>" + "".join(pieces)
            + "<blockquote>" + "<br>".join(escape(line) for line in lines)
            + "</blockquote></div>")
    for against in (None, sent):
        assert fields(reply(original, html=html), against) == WANT[lang]


@pytest.mark.parametrize("lang, away", [
    ("fr", "Bonjour,\nJe suis absente du bureau jusqu'au 2 novembre, sans accès à mes "
           "e-mails.\nCordialement,\nZoé"),
    ("en", "Hi,\nI am currently on annual leave, returning on 2 November. I will reply "
           "when I am back.\nZoé"),
])
def test_an_out_of_office_that_echoes_our_questionnaire_is_no_answer(lang: str,
                                                                       away: str) -> None:
    original, sent = ours(lang)
    text = original.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # No Auto-Submitted header, the subject kept as a reply's: only the words tell.
    raw = reply(original, plain=f"{away}\n\n{text}", subject="Re: " + str(original["Subject"]))
    got = parse_reply(raw).understood()
    assert got["kind"] == "auto_reply"
    assert all(got[k] is None for k in ("rating", "took_place", "learned", "to_develop",
                                        "next_focus"))


def test_our_text_alone_is_an_echo_not_an_answer() -> None:
    original, sent = ours("fr")
    text = original.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    quoted = "\n".join("> " + line for line in text.splitlines())
    raw = reply(original, plain=f"Le jeu. 15 oct. 2026 à 18:00, Binôme a écrit :\n{quoted}\n")
    for against in (None, sent):
        parsed = parse_reply(raw, ours=sent_ours(*said_of(sent, "questionnaire"))
                             if against else None)
        assert parsed.echo and not parsed.answered and parsed.command is None


def test_html_only_answers_keep_their_lines_and_labels() -> None:
    original, _ = ours("en")
    html = ("<div>Yes</div><div>5</div><div>Learned: window functions</div>"
            "<div>Develop: CTEs</div><div>Next: indexes</div>")
    assert fields(reply(original, html=html)) == (True, 5, "window functions", "CTEs",
                                                  "indexes")
    lines = "<p>Yes</p><p>4</p><p>Pivot tables</p><p>Charts</p><p>A real case</p>"
    assert fields(reply(original, html=lines)) == WANT["en"]


def _quoted_with_answers(lang: str, mark: str) -> str:
    """Our questionnaire quoted with "> ", each answer under its question as `mark` says."""
    original, _ = ours(lang)
    out = ["On Thu, 15 Oct 2026 at 18:00, Binôme wrote:"]
    answers = dict(zip(QUESTIONS[lang], ANSWERS[lang], strict=True))
    for line in original.get_body(("plain",)).get_content().splitlines():  # type: ignore[union-attr]
        out.append("> " + line)
        asked = next((q for q in answers if q in line), None)
        if asked is not None:
            out.append(mark.format(answers.pop(asked)))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_answers_kept_inside_the_quote_in_bold(lang: str) -> None:
    """Gmail and Apple Mail may keep what is typed under a quoted line inside the quote."""
    original, sent = ours(lang)
    raw = reply(original, plain=_quoted_with_answers(lang, "> *{}*"))
    for against in (None, sent):
        assert fields(raw, against) == WANT[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_inline_answers_marked_with_initials(lang: str) -> None:
    original, sent = ours(lang)
    raw = reply(original, plain=_quoted_with_answers(lang, "[ZM] {}"))
    for against in (None, sent):
        assert fields(raw, against) == WANT[lang]


def test_an_answer_inside_the_quote_never_wins_over_what_is_written_above() -> None:
    original, _ = ours("en")
    body = "Yes, 2.\n\n" + _quoted_with_answers("en", "> *{}*")
    assert fields(reply(original, plain=body)) == (True, 2, None, None, None)


@pytest.mark.parametrize("name", ["intro-fr-0_4", "intro-en-0_2"])
def test_goals_typed_in_colour_inside_outlook_s_html_quote_of_the_introduction(
        name: str) -> None:
    raw = (SENT / f"{name}.eml").read_bytes()
    original = message_from_bytes(raw, policy=default_policy)
    assert isinstance(original, EmailMessage)
    lang = name.split("-")[1]
    html = original.get_body(("html",)).get_content()  # type: ignore[union-attr]
    goals = ["Planifier un projet", "Animer un comité", "Suivre un budget"]
    typed = ('<span style="color:#C00000">' + "<br>".join(
        f"{i}. {g}" for i, g in enumerate(goals, 1)) + "</span>")
    html = html.replace("<!-- binome:more -->", typed + "<!-- binome:more -->", 1)
    assert typed in html, "the introduction's HTML changed: put the goals after its request"
    header = "<br>".join(escape(line) for line in _outlook_header(original, lang).splitlines())
    body = (f"<html><body><div>{'Voir en rouge ci-dessous' if lang == 'fr' else 'See below'}"
            f'</div><hr><div id="divRplyFwdMsg">{header}</div><div>{html}</div></body></html>')
    got = parse_reply(reply(original, html=body)).understood()
    assert (got["kind"], got["goals"]) == ("goals", goals)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_answers_in_bold_inside_gmail_s_html_blockquote(lang: str) -> None:
    original, sent = ours(lang)
    answers = dict(zip(QUESTIONS[lang], ANSWERS[lang], strict=True))
    out = []
    for line in original.get_body(("plain",)).get_content().splitlines():  # type: ignore[union-attr]
        out.append(escape(line))
        asked = next((q for q in answers if q in line), None)
        if asked is not None:
            out.append(f"<b>{escape(answers.pop(asked))}</b>")
    html = ('<div dir="ltr"></div><div class="gmail_quote"><div class="gmail_attr">'
            "On Thu, 15 Oct 2026 at 18:00, Binôme wrote:</div>"
            '<blockquote class="gmail_quote">' + "<br>".join(out) + "</blockquote></div>")
    for against in (None, sent):
        assert fields(reply(original, html=html), against) == WANT[lang]


def test_an_answer_that_starts_with_capitals_and_a_colon_is_kept_whole() -> None:
    original, _ = ours("en")
    body = _quoted_with_answers("en", "{}").replace("\nPivot tables\n", "\nSQL: joins\n")
    assert fields(reply(original, plain=body))[2] == "SQL: joins"


@pytest.mark.parametrize(("lang", "last"), [
    ("fr", "Plus de séance pour moi, je quitte Lyon le mois prochain. Vous pouvez me "
           "désinscrire du mentorat."),
    ("en", "Nothing planned, I'm moving to the Leeds office. Please remove me from the "
           "programme."),
])
def test_a_command_typed_under_our_last_question_is_read_and_answers_nothing(
        lang: str, last: str) -> None:
    # Answers typed between our quoted questions (Thunderbird, Apple Mail), the last one a
    # request: it was kept as "next time" and the request never read (blind12).
    original, sent = ours(lang)
    body = _quoted_with_answers(lang, "{}").replace(ANSWERS[lang][-1], last)
    for against in (None, sent):
        got = parse_reply(reply(original, plain=body),
                          ours=sent_ours(*said_of(against, "questionnaire")) if against
                          else None).understood()
        assert (got["kind"], got["command"], got["confirm"]) == ("command", "stop", False)
        assert (got["took_place"], got["rating"], got["learned"]) == WANT[lang][:3]
        assert got["next_focus"] is None  # its first sentence is the request's reason
