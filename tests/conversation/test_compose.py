"""Composing messages: deterministic bytes, both parts, right headers, every template."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from agent.conversation.compose import ComposeError, Composer, mailto_link, message_id_for

KEY = "mail/questionnaire/p-1/2026-10-08"
WHEN = datetime(2026, 10, 8, 8, 0, tzinfo=UTC)
SECRET = b"1" * 32
PERSON = {"first_name": "Zoé", "name": "Zoé Lefèvre", "email": "zoe@acme.fr"}


def _links(subject: str, word: str) -> list[dict[str, Any]]:
    return [
        {"value": v, "href": mailto_link("mentorat@acme.fr", subject, f"{word} {v}", "<q@acme.fr>")}
        for v in range(1, 6)
    ]


def contexts(language: str) -> dict[str, dict[str, Any]]:
    word = "Note :" if language == "fr" else "Rating:"
    common = {"person": PERSON, "programme_name": "Acme Mentorat"}
    return {
        "objectives": {
            **common, "partner_names": ["Marc Dupont"], "format": "mentoring",
            "role_label": "mentorée", "skills": ["Comptabilité"], "session_number": 2,
            "session_start_local": "jeudi 8 octobre 2026 à 10:00 (Europe/Paris)",
            "duration_minutes": 60, "objectives": ["Faire le point"],
            "resources": [{"skill": "Excel", "items": ["https://example.org/excel"]}],
            "focus_last_time": ["Marc souhaite travailler : la clôture"],
            "goals": ["Boucler une clôture mensuelle seule"],
            "admin_email": "admin@acme.fr", "stop_hint": "Répondez PAUSE ou STOP.",
        },
        "intro": {
            **common, "partner_names": ["Marc Dupont"], "format": "mentoring",
            "role_label": "mentorée", "skills": ["Comptabilité"],
            "reason": "Marc Dupont enseigne Comptabilité, que Zoé souhaite apprendre",
            "every_weeks": 2, "duration_minutes": 45,
            "first_session_local": "jeudi 8 octobre 2026 à 10:00 (Europe/Paris)",
            "cycle_end": "30 novembre 2026", "asks_goals": True, "reply_token": "B-1a2b3c4d",
            "commands": "Répondez PAUSE ou STOP.",
            "admin_email": "admin@acme.fr", "stop_hint": "Répondez PAUSE ou STOP.",
        },
        "questionnaire": {
            **common, "partner_names": ["Marc Dupont"],
            "session_start_local": "jeudi 8 octobre 2026 à 10:00", "session_number": 2,
            "rating_links": _links("Questionnaire [B-1a2b3c4d]", word),
            "reply_token": "B-1a2b3c4d", "stop_hint": "Répondez PAUSE ou STOP.",
            "reminder": False,
        },
        "digest": {
            "manager": {"first_name": "Léa", "name": "Léa Martin"},
            "month_label": "octobre 2026",
            "share_text": True,
            "people": [
                {"name": "Zoé Lefèvre", "sessions_planned": 4, "sessions_held": 3,
                 "sessions_declined": 1, "sessions_cancelled": 0, "sessions_missed": 0,
                 "attendance": 0.75, "average_rating": 4.25, "trend": "up", "answered": 2,
                 "questionnaires": 3, "skills": ["Comptabilité"],
                 "goals": [{"text": "Clôturer un mois", "status": "working"}],
                 "learned": ["La TVA"], "to_develop": ["La clôture"], "learned_count": 1,
                 "to_develop_count": 1, "upcoming": ["jeudi 5 novembre 2026"]},
                {"name": "Bob", "sessions_planned": 0, "sessions_held": 0,
                 "sessions_declined": 0, "sessions_cancelled": 0, "sessions_missed": 0,
                 "attendance": None, "average_rating": None, "trend": None, "answered": 0,
                 "questionnaires": 0, "skills": [], "goals": [], "learned": [],
                 "to_develop": [], "learned_count": 0, "to_develop_count": 0, "upcoming": []},
            ],
            "totals": {"people": 2, "sessions_planned": 4, "sessions_held": 3,
                       "sessions_declined": 1, "sessions_cancelled": 0, "attendance": 0.75,
                       "average_rating": 4.2, "ratings": 2, "response_rate": 0.75},
            "weeks": [{"day": "2026-10-05", "planned": 2, "held": 1}],
            "rating_counts": [0, 0, 0, 1, 1],
            "skills_held": [{"skill": "Comptabilité", "sessions": 3}],
            "mentors": [{"name": "Marc Dupont", "sessions": 2, "average_rating": 4.5}],
            "highlights": [{"name": "Zoé", "rating": 5, "skills": ["Comptabilité"],
                            "learned": "La TVA"}],
            "charts": {n: {"src": f"cid:{n}@acme.fr", "width": 552, "height": 200}
                       for n in ("weekly", "ratings", "skills")},
            "programme_name": "Acme Mentorat", "admin_email": "admin@acme.fr",
        },
        "notice": {**common, "title": "Pause enregistrée", "lines": ["Un.", "Deux."],
                   "stop_hint": "Répondez PAUSE ou STOP."},
    }


def compose(composer: Composer, kind: str = "questionnaire", language: str = "fr",
            context: dict[str, Any] | None = None, **extra: Any) -> bytes:
    out = composer.compose(
        kind, language, context or contexts(language)[kind], key=KEY,
        message_id=message_id_for(KEY, "acme.fr", SECRET), sender="mentorat@acme.fr",
        sender_name="Binôme · Acme Mentorat", to=["zoe@acme.fr"],
        date=WHEN, **extra,
    )
    return out.raw


def parse(raw: bytes) -> EmailMessage:
    msg = message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg


def test_same_inputs_give_identical_bytes() -> None:
    assert compose(Composer()) == compose(Composer())


def test_message_id_is_derived_from_key_and_secret() -> None:
    assert message_id_for("k", "acme.fr", SECRET) == message_id_for("k", "acme.fr", SECRET)
    assert message_id_for("k", "acme.fr", SECRET) != message_id_for("k2", "acme.fr", SECRET)
    assert message_id_for("k", "acme.fr", SECRET) != message_id_for("k", "acme.fr", b"2" * 32)
    assert message_id_for("k", "acme.fr", SECRET).endswith("@acme.fr>")


def test_headers_and_parts() -> None:
    raw = compose(Composer(), in_reply_to="<a@x>", references=["<a@x>", "<b@x>"])
    msg = parse(raw)
    assert msg.get_all("Message-ID") == [message_id_for(KEY, "acme.fr", SECRET)]
    assert msg["From"].addresses[0].display_name == "Binôme · Acme Mentorat"
    assert msg["From"].addresses[0].addr_spec == "mentorat@acme.fr"
    assert b"Bin\xc3\xb4me" not in raw.split(b"\r\n\r\n")[0]  # headers are 7-bit encoded
    assert msg["To"] == "zoe@acme.fr"
    assert msg["Date"].datetime == WHEN
    assert msg["In-Reply-To"] == "<a@x>" and msg["References"] == "<a@x> <b@x>"
    assert msg["X-Binome-Key"] == KEY
    assert msg["Auto-Submitted"] == "auto-generated" and msg["Content-Language"] == "fr"
    assert "[B-1a2b3c4d]" in msg["Subject"]
    assert msg.get_content_type() == "multipart/alternative"
    text, html = (msg.get_body(("plain",)), msg.get_body(("html",)))
    assert text is not None and html is not None
    assert "Répondez simplement à cet e-mail" in text.get_content()
    assert "<table" in html.get_content() and "<script" not in html.get_content()


def test_html_is_escaped_text_is_verbatim() -> None:
    context = contexts("en")["notice"]
    context = {**context, "person": {**PERSON, "first_name": "<script>alert(1)</script>"}}
    msg = parse(compose(Composer(), "notice", "en", context))
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["objectives", "questionnaire", "digest", "notice", "intro"])
def test_every_kind_renders(kind: str, language: str) -> None:
    subject, text, html = Composer().render_text(kind, language, contexts(language)[kind])
    assert subject and "\n" not in subject
    assert "Acme Mentorat" in text and "max-width:600px" in html
    assert "{{" not in text and "{%" not in html


@pytest.mark.parametrize("kind", ["objectives", "questionnaire", "digest", "notice", "intro"])
def test_missing_variable_raises(kind: str) -> None:
    context = dict(contexts("fr")[kind])
    context.pop("programme_name")
    with pytest.raises(ComposeError, match="programme_name"):
        Composer().render_text(kind, "fr", context)


def test_unknown_language_and_missing_template() -> None:
    with pytest.raises(ComposeError, match="unknown language"):
        Composer().render_text("notice", "de", contexts("en")["notice"])
    with pytest.raises(ComposeError, match="nosuchkind.subject.j2"):
        Composer().render_text("nosuchkind", "en", {})


def test_override_dir_wins(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "notice.subject.j2").write_text("Custom {{ title }}\n")
    subject, _, _ = Composer(tmp_path).render_text("notice", "en", contexts("en")["notice"])
    assert subject == "Custom Pause enregistrée"


def test_mailto_parses_back() -> None:
    link = mailto_link(
        "mentorat@acme.fr", "Questionnaire [B-1a2b3c4d]", "Note : 4 & co", "<q@acme.fr>"
    )
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "mentorat@acme.fr"
    query = parse_qs(parts.query)
    assert query == {"subject": ["Questionnaire [B-1a2b3c4d]"], "body": ["Note : 4 & co"],
                     "In-Reply-To": ["<q@acme.fr>"]}
    assert " " not in link and "<" not in link


def test_rating_links_are_in_html() -> None:
    html = Composer().render_text("questionnaire", "fr", contexts("fr")["questionnaire"])[2]
    assert html.count('href="mailto:mentorat@acme.fr?subject=') == 5
