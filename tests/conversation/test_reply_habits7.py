"""Habits of real writers met in the seventh blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.ours import not_ours, template_ours

_OBJECTIVES_FR = "RE: Atelier · séance 4 avec Marc Petit : jeudi 10 décembre 2026 à 14:00"



def test_someone_away_who_answers_all_the_same_is_no_automatic_reply() -> None:
    got = _read("Writing from my own phone as I am on leave this week.\nYes, it happened. 4.\n"
                "Learned how to price a retainer.")
    assert (got["kind"], got["rating"], got["learned"]) == (
        "questionnaire", 4, "Learned how to price a retainer.")
    # ... but an absence notice that answers nothing still is one.
    assert _read("I am out of the office until 4 January with no access to email.")[
        "kind"] == "auto_reply"


def test_answers_typed_inside_the_quote_under_a_line_that_announces_them() -> None:
    body = ("My answers below 👇\n\nOn Thu, 8 Oct 2026 at 10:00, Binôme wrote:\n"
            "> 1. Did the session take place? (yes / no)\n> Yes\n"
            "> 2. Your rating, from 1 to 5:\n> 4\n"
            "> 3. What did you learn?\n> How to chase an invoice politely.\n")
    got = _read(body)
    assert (got["took_place"], got["rating"], got["learned"]) == (
        True, 4, "How to chase an invoice politely.")


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Sorry, which commands can I use again?", None, "help", False),
    ("C'était quoi déjà les commandes pour mettre en pause ?", None, "help", False),
    ("Not sure I can keep up right now. Perhaps count me out for this round?", None, "stop",
     True),
    ("I may need to step back from the programme for a while, is that ok?", None, "pause",
     True),
    ("On peut zapper celle de demain ? Inventaire toute la journée.", _OBJECTIVES_FR, "skip",
     False),
    ("Et on saute la séance de jeudi prochain, je suis au salon.", None, "skip", False),
    ("Je suis absente jusqu'au 15 janvier, merci de suspendre les envois d'ici là.", None,
     "pause", False),
])
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    got = _read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


@pytest.mark.parametrize(("body", "field", "value"), [
    ("Yes, 4.\nLearned - how to size a pallet order.", "learned",
     "how to size a pallet order."),
    ("Yes, 4.\nNext time – supplier scorecards.", "next_focus", "supplier scorecards."),
    ("Yes, 4.\n\nThings I learned:\n- why our stock counts drift.", "learned",
     "why our stock counts drift."),
    ("Yes, 4.\nStill developing: saying no to last-minute requests.", "to_develop",
     "saying no to last-minute requests."),
    ("Oui, 4.\nÀ travailler de mon côté : la prise de notes.", "to_develop",
     "la prise de notes."),
    # Our templates' words in an answer do not make it ours.
    ("Oui, 4. Les index la prochaine fois comme prévu.", "next_focus",
     "Les index la prochaine fois comme prévu."),
])
def test_labels_people_make(body: str, field: str, value: str) -> None:
    assert _read_any(body)[field] == value


@pytest.mark.parametrize(("body", "rating", "unclear"), [
    ("Yes. Somewhere between 2-3 honestly.\nLearned to plan.", None, True),
    ("Oui. Je dirais deux et demi, c'était un peu court.", None, True),
    ("Yes we met, but I'd only give it a two this time.", 2, False),
    ("4 - more details when I'm back at my desk.", 4, False),
])
def test_ratings(body: str, rating: int | None, unclear: bool) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, unclear)


def test_whether_it_took_place_in_a_few_words() -> None:
    assert _read_any("Oui c'était top, 4/5 🙂")["took_place"] is True
    got = _read_any("⭐⭐⭐⭐\nOui. Marc pose de bonnes questions.")
    assert (got["rating"], got["took_place"], got["learned"]) == (
        4, True, "Marc pose de bonnes questions.")


@pytest.mark.parametrize("body", [
    "Yes! Four. Details later", "Nope, she was ill. We'll catch up next time",
    "Non, annulée. On se rattrape la semaine prochaine."])
def test_promises_and_meeting_again_answer_no_question(body: str) -> None:
    got = _read_any(body)
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (None, None, None)


def test_the_writers_name_below_their_answers_is_none() -> None:
    sender = "Marie-Claire Dubois <mc.dubois@acme.fr>"
    got = _read_any("Non, la séance n'a pas eu lieu, Paul était malade.\n\nMarie-Claire", sender)
    assert (got["took_place"], got["learned"]) == (False, None)
    got = _read_any("1 oui\n2 4\n3 les relances\n4 rien\n5 le budget\nMarie", sender)
    assert got["next_focus"] == "le budget"


def test_goals_without_asides_or_conditions() -> None:
    assert read_goals("1. Animer une réunion (niveau 1 pour l'instant, honnêtement)\n"
                      "2. Rédiger un compte rendu") == ["Animer une réunion",
                                                        "Rédiger un compte rendu"]
    assert read_goals("J'aimerais surtout préparer un budget. Et si possible, lire un bilan.") \
        == ["préparer un budget", "lire un bilan"]
    assert read_goals("I'd like to run a retro. And if we have time, write user stories.") == [
        "run a retro", "write user stories"]


def test_our_templates_are_matched_by_their_words() -> None:
    ours = template_ours()
    assert not_ours("Sur quoi vous concentrer la prochaine fois ?", ours) == ""
    assert not_ours("Les jointures la prochaine fois comme prévu.", ours) != ""
