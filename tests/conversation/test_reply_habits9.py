"""Habits of real writers met in the ninth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals

_OBJECTIVES_EN = "Re: Atelier · session 4 with Marc Petit: Thursday 10 December 2026 at 14:00"



@pytest.mark.parametrize(("body", "rating", "unclear"), [
    ("Yes - rated 3 I'm afraid, we were both tired.", 3, False),
    ("Oui, très utile, note maximale.", 5, False),
    ("Yes. Rating - three.\nLearned to plan.", 3, False),
    ("Yes\nI'd say 3, maybe 4.\nHow to chase invoices.", None, True),
    ("Yes, it happened. Somewhere around 2-3, he was late.", None, True),
])
def test_ratings(body: str, rating: int | None, unclear: bool) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, unclear)


@pytest.mark.parametrize(("body", "field", "value"), [
    # An explanation after the rating is a comment, not what was learned.
    ("Yes, 3 - short one because of the strike.\nNot much new, we reviewed the budget.",
     "learned", "Not much new, we reviewed the budget."),
    # A judgement of the pace after what was learned answers nothing.
    ("oui, ⭐⭐⭐\nMarc m'a montré les bases du SQL. Franchement c'était un peu rapide pour moi.\n"
     "Les jointures.\nReprendre avec mes propres tables.", "to_develop", "Les jointures."),
    ("yes 4\nlearnt pivot tables, their handy and still need practise with slicers",
     "to_develop", "still need practise with slicers"),
])
def test_answers(body: str, field: str, value: str) -> None:
    assert _read_any(body)[field] == value


def test_a_later_sentence_that_names_its_question_wins_over_one_placed_there() -> None:
    got = _read_any("Oui, 4.\n\nCe que j'ai appris, c'est qu'il retient mieux en faisant. Je vais "
                    "changer ma façon de faire.\n\nDe mon côté je dois encore apprendre à "
                    "couper la parole poliment.")
    assert got["to_develop"] == "De mon côté je dois encore apprendre à couper la parole poliment."


@pytest.mark.parametrize("body", [
    "We could not meet, she was ill. We'll pick it up next time.",
    "No, he was on leave. Should be back on track next time.",
    "Oui. Je n'ai pas grand-chose à ajouter.",
])
def test_no_answer_in_these(body: str) -> None:
    got = _read_any(body)
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (None, None, None)


@pytest.mark.parametrize("body", ["Je vous réponds ce soir, là je file.",
                                  "I'll reply properly tomorrow, swamped today."])
def test_a_promise_to_answer_later_answers_nothing(body: str) -> None:
    assert _read_any(body)["kind"] == "unknown"


def test_answer_codes() -> None:
    got = _read("A1 yes\nA2 4\nA3 How to read a cash-flow table.\nA5 The budget.")
    assert (got["took_place"], got["rating"], got["learned"], got["next_focus"]) == (
        True, 4, "How to read a cash-flow table.", "The budget.")


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Please stop sending me these, I have left the company.", _OBJECTIVES_EN, "stop", False),
    ("Oui, 5.\nLes TCD.\n\nJe change de service en janvier, donc STOP pour moi à partir de là.",
     None, "stop", False),
    ("Oui, 4.\nLes TCD.\n\nLa séance de jeudi prochain, je ne pourrai pas. On peut la sauter ?",
     None, "skip", False),
])
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    got = _read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


def test_a_command_line_answers_no_question() -> None:
    got = _read_any("Oui, 4.\nLes TCD.\n\nLa séance de jeudi prochain, je ne pourrai pas. "
                    "On peut la sauter ?")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == ("Les TCD.", None, None)


@pytest.mark.parametrize("text", ["Super, merci ! Hâte de commencer avec Paul.",
                                  "Génial, à lundi !", "Looking forward to it, thanks!"])
def test_an_acknowledgement_sets_no_goal(text: str) -> None:
    assert read_goals(text) == []
