"""Habits of real writers met in the tenth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals


@pytest.mark.parametrize(("body", "rating"), [
    ("La séance a bien eu lieu. Je lui attribue la note de 3.", 3),
    ("Yes, I put 4, she is very patient.", 4),
    ("Yes it went ahead – 4 this time, the new room helped.", 4),
    ("Note ? 2, trop court", 2),
])
def test_ratings(body: str, rating: int) -> None:
    assert _read_any(body)["rating"] == rating


@pytest.mark.parametrize(("body", "field", "value"), [
    ("Oui, 4.\nPoints appris : la relance par téléphone.", "learned",
     "la relance par téléphone."),
    ("Oui, 4.\nPoints à développer : le suivi des litiges.", "to_develop",
     "le suivi des litiges."),
    ("Oui, 4.\nProchain point : le rapprochement bancaire.", "next_focus",
     "le rapprochement bancaire."),
    ("Yes, 4.\nStill want: faster month-end closing.", "to_develop",
     "faster month-end closing."),
    ("Oui, 4. Les relances. A travailler encore : le ton au téléphone.", "to_develop",
     "le ton au téléphone."),
    ("Eu lieu ? oui\nNote ? 4\nAppris ? Les écritures de stock.", "learned",
     "Les écritures de stock."),
    ("Eu lieu ? oui\nNote ? 4\nProchaine fois ? Les inventaires tournants.", "next_focus",
     "Les inventaires tournants."),
    ("Yep we did it. Learned the basics of lettering. Next one on the shop floor.",
     "next_focus", "Next one on the shop floor."),
    ("Oui, 2.\nOn a passé du temps à installer le logiciel.\nAppris : rien de concret.",
     "learned", "rien de concret."),
    ("Yes, 5. I learned to split a story. No need to skip anything though, I'm around.",
     "learned", "I learned to split a story."),
])
def test_labels_and_cues(body: str, field: str, value: str) -> None:
    assert _read_any(body)[field] == value


def test_answers_between_semicolons_on_one_line() -> None:
    got = _read_any("oui ; 3 ; la paie ; les congés ; un cas réel")
    assert (got["took_place"], got["rating"], got["learned"], got["to_develop"],
            got["next_focus"]) == (True, 3, "la paie", "les congés", "un cas réel")


def test_a_reply_typed_on_without_apostrophes_or_stops() -> None:
    got = _read_any("bonjour oui on l a faite je mets 3 j ai appris a faire un devis et la "
                    "prochaine fois on voit les relances")
    assert (got["rating"], got["learned"], got["next_focus"]) == (
        3, "j ai appris a faire un devis", "la prochaine fois on voit les relances")


@pytest.mark.parametrize(("body", "held"), [
    ("yes session was happen, I put 5.", True),
    ("Not took place, he was on a client visit.", False),
])
def test_whether_it_took_place_in_learners_english(body: str, held: bool) -> None:
    assert _read(body)["took_place"] is held


@pytest.mark.parametrize("body", [
    "Oui, 4. Les relances.\nTell him to send me the slides please.",
    "Oui, 4. Les relances.\nx",
    "Yes, fine but a bit slow.",
])
def test_no_more_answers_in_these(body: str) -> None:
    got = _read_any(body)
    assert got["to_develop"] is None and got["next_focus"] is None
    assert got["learned"] in (None, "Les relances.")


@pytest.mark.parametrize(("body", "name", "confirm"), [
    ("Hello, I am not sure I am still in this programme. Maybe you can remove me, I don't "
     "know.", "stop", True),
    ("Non, annulée.\nEt on saute aussi celle de la semaine prochaine, je suis en congé.",
     "skip", True),
])
def test_commands(body: str, name: str, confirm: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)
    assert got["learned"] is None


def test_goals_in_prose_with_a_no_inside_and_a_wish_in_if() -> None:
    assert read_goals("Honestly I mainly want to stop guessing when I don't know the margin. "
                      "If I could also plan the spring stock, that would be great.") == [
        "stop guessing when I don't know the margin", "plan the spring stock"]
    assert read_goals("I don't have goals yet.") == []
