"""The digests' figures against a month of history built by hand (tests/digest_ledger.py).

Every expected number below was counted by hand from that module's docstring,
not computed by the code under test. The digests are then composed for real
(templates, charts, MIME) and read back as a mail client would.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from digest_ledger import ANA, BEA, BEN, CLEO, MAX, MONTH, NOW, OLGA, PEOPLE, build

from agent.conversation.compose import Composer, message_id_for
from agent.core.ledger import Ledger
from agent.digest.admin import admin_context
from agent.digest.content import digest_content
from agent.digest.figures import month_index, person_month
from agent.digest.manager import manager_context
from agent.programme.settings import Settings

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return build(tmp_path / "state")


def settings_for(programme: Programme, share: bool = False) -> Settings:
    s = programme.settings()
    return s.model_copy(update={"digest": s.digest.model_copy(update={"share_free_text": share})})


def test_each_persons_month_matches_the_hand_count(ledger: Ledger) -> None:
    index = month_index(ledger, MONTH, "Europe/Paris")
    ana = person_month(ledger, index, ANA, NOW)
    assert (ana.planned, ana.held, ana.declined, ana.cancelled, ana.missed) == (4, 1, 1, 1, 1)
    assert ana.attendance == pytest.approx(1 / 3)
    assert (ana.questionnaires, ana.answered, ana.ratings) == (2, 2, [4])
    assert ana.average_rating == 4.0 and ana.trend == 2.0
    assert ana.learned == ["préparer une négociation salariale"]
    ben = person_month(ledger, index, BEN, NOW)
    assert (ben.planned, ben.held, ben.questionnaires, ben.answered) == (3, 3, 3, 2)
    assert ben.ratings == [5, 3] and ben.trend is None
    cleo = person_month(ledger, index, CLEO, NOW)
    assert (cleo.held, cleo.answered, cleo.ratings) == (3, 1, [5])
    mentor = person_month(ledger, index, MAX, NOW)
    assert (mentor.hosted, mentor.ratings_received) == (1, [4])
    assert ben.hosted == 0  # a learning pair has no mentor to thank


def test_manager_digest_figures(ledger: Ledger, programme: Programme) -> None:
    index = month_index(ledger, MONTH, "Europe/Paris")
    context, charts = manager_context(ledger, PEOPLE, PEOPLE[BEA], [ANA, BEN], index, NOW,
                                      "Acme", "rh@ex.fr")
    t = context["totals"]
    assert (t["sessions_planned"], t["sessions_held"], t["sessions_declined"],
            t["sessions_cancelled"]) == (7, 4, 1, 1)
    assert t["attendance"] == pytest.approx(4 / 6)
    assert t["response_rate"] == pytest.approx(4 / 5)  # Ana 2 of 2, Ben 2 of 3
    assert t["average_rating"] == 4.0 and t["ratings"] == 3
    assert context["rating_counts"] == [0, 0, 1, 1, 1]
    assert [(w["day"], w["planned"], w["held"]) for w in context["weeks"]] == [
        ("2026-09-28", 1, 1), ("2026-10-05", 1, 1), ("2026-10-12", 2, 1),
        ("2026-10-19", 1, 0), ("2026-10-26", 2, 1)]
    ana = context["people"][0]
    assert ana["trend"] == "up" and ana["goals"] == [
        {"text": "", "status": "reported"}, {"text": "", "status": "working"}]
    assert ana["learned"] == [] and ana["learned_count"] == 1  # sharing is off by default
    assert [h["name"] for h in context["highlights"]] == ["Ben", "Ana"]
    assert context["mentors"] == []  # nobody in Bea's team mentors
    assert [c.name for c in charts] == ["weekly", "ratings", "skills"]
    assert all(c.png.startswith(b"\x89PNG") for c in charts)


def test_admin_digest_figures(ledger: Ledger, programme: Programme) -> None:
    settings = programme.settings()
    index = month_index(ledger, MONTH, "Europe/Paris")
    context, _ = admin_context(settings, ledger, PEOPLE, PEOPLE[OLGA], index, NOW)
    t = context["totals"]
    assert (t["active_pairings"], t["pairings_met"]) == (2, 2)
    assert (t["sessions_planned"], t["sessions_held"]) == (7, 4)
    assert t["held_share"] == pytest.approx(4 / 7) and t["target"] == "below"
    assert t["questionnaires"] == 9 and t["response_rate"] == pytest.approx(5 / 9)
    assert t["ratings"] == 4 and t["average_rating"] == pytest.approx(4.2, abs=0.06)
    assert context["mentors"] == [{"name": "Max Leroy", "sessions": 1, "average_rating": 4.0}]
    assert [g["skill"] for g in context["gaps"]] == ["Design"]
    assert context["unpaired"] == ["Bea Roux"]
    assert context["quarantined"] == 1 and context["failure_count"] == 1
    assert context["failures"][0]["error"] == "mailbox full"


def test_admin_digest_does_not_list_who_stopped_as_wanting_a_partner(
        ledger: Ledger, programme: Programme) -> None:
    ledger.people.set_optout(BEA, "stop", NOW)
    index = month_index(ledger, MONTH, "Europe/Paris")
    context, _ = admin_context(programme.settings(), ledger, PEOPLE, PEOPLE[OLGA], index, NOW)
    assert context["unpaired"] == [] and context["unpaired_count"] == 0


def compose(settings: Settings, ledger: Ledger, recipient: str, kind: str = "digest"
            ) -> EmailMessage:
    person = PEOPLE[recipient]
    key = f"digest/{'admin' if kind == 'admin_digest' else recipient}/{MONTH}"
    index = month_index(ledger, MONTH, "Europe/Paris")
    context, images = digest_content(settings, ledger, PEOPLE, person, kind, key, index, NOW)
    out = Composer().compose(kind, person.language, context, key=key,
                             message_id=message_id_for(key, "ex.fr", b"s" * 32), sender="b@ex.fr",
                             sender_name="Binôme", to=[recipient], date=NOW, images=images)
    msg = message_from_bytes(out.raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg


def parts(msg: EmailMessage) -> tuple[str, str, dict[str, Any]]:
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    images = {str(p["Content-ID"]).strip("<>"): p for p in msg.walk()
              if p.get_content_maintype() == "image"}
    return text, html, images


@pytest.mark.parametrize("manager,team,others", [
    (BEA, [ANA, BEN], [CLEO, MAX, OLGA]),
    (OLGA, [CLEO], [ANA, BEN, MAX, BEA]),
])
def test_a_manager_digest_names_only_their_team(ledger: Ledger, programme: Programme,
                                                manager: str, team: list[str],
                                                others: list[str]) -> None:
    msg = compose(settings_for(programme, share=True), ledger, manager)
    text, html, _ = parts(msg)
    words = str(msg["Subject"]) + text + html
    for email in team:
        assert PEOPLE[email].name in words
    for email in others:
        p = PEOPLE[email]
        assert p.name not in words and p.first_name not in words and email not in words, email


def test_the_mail_carries_its_charts_inline_and_the_text_the_same_numbers(
        ledger: Ledger, programme: Programme) -> None:
    msg = compose(settings_for(programme), ledger, BEA)
    assert msg.get_content_type() == "multipart/alternative"
    related = list(msg.iter_parts())[1]
    assert related.get_content_type() == "multipart/related"
    text, html, images = parts(msg)
    referenced = re.findall(r'src="cid:([^"]+)"', html)
    assert sorted(referenced) == sorted(images) and len(images) == 3
    assert all(p.get_content().startswith(b"\x89PNG") for p in images.values())
    assert "http" not in "".join(re.findall(r'src="([^"]+)"', html))
    # Bea reads English: the plain part has the figures the charts and tiles show.
    assert "Sessions held: 4 of 7 planned (1 declined, 1 cancelled)" in text
    assert "Questionnaires answered: 80%" in text and "Attendance: 67%" in text
    assert "- week of 2026-10-12: 1 / 2" in text
    assert "Ratings given: 1 star: 0, 2 stars: 0, 3 stars: 1, 4 stars: 1, 5 stars: 1" in text
    assert "préparer une négociation" not in text + html  # sharing off: counts only
    again = compose(settings_for(programme), ledger, BEA)
    assert again.as_bytes() == msg.as_bytes()  # a retry after a crash sends the same bytes


def test_free_text_reaches_managers_only_when_the_settings_allow(
        ledger: Ledger, programme: Programme) -> None:
    text, html, _ = parts(compose(settings_for(programme, share=True), ledger, BEA))
    for words in (text, html):
        assert "préparer une négociation salariale" in words
        assert "Mener une négociation salariale" in words  # her goal, worded by her


def test_the_admin_digest_in_french(ledger: Ledger, programme: Programme) -> None:
    text, html, images = parts(compose(programme.settings(), ledger, OLGA, "admin_digest"))
    assert len(images) == 3
    assert "Séances tenues : 57 %, 4 sur 7 prévues" in text
    assert "Questionnaires remplis : 56 % sur 9 envoyés" in text
    assert "Design, demandée par 1 : envisagez de faire appel à un mentor externe" in text
    assert "mailbox full" in text and "Max Leroy" in html
