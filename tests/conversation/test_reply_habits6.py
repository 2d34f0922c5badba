"""Habits of real writers met in the sixth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.align import align
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.ours import template_ours

_OBJECTIVES_THURSDAY = "Re: Atelier · session 4 with Marc Petit: Thursday 10 December 2026 at 14:00"



@pytest.mark.parametrize(("body", "field", "value"), [
    # A mentor tells what their mentee took in, or has left to do.
    ("Oui, 4. Léa a vite compris les formules matricielles.", "learned",
     "Léa a vite compris les formules matricielles."),
    ("Yes, 4. She is getting the hang of pivot tables.", "learned",
     "She is getting the hang of pivot tables."),
    ("Yes, 5. Joins finally make sense now.", "learned", "Joins finally make sense now."),
    ("Yes, 3. He needs to slow down when presenting.", "to_develop",
     "He needs to slow down when presenting."),
    ("Oui, 3. Il lui reste à maîtriser les macros.", "to_develop",
     "Il lui reste à maîtriser les macros."),
    ("Yes, 4. Recursion still confuses me a little.", "to_develop",
     "Recursion still confuses me a little."),
    ("Oui, 4. Je dois encore apprendre à déléguer.", "to_develop",
     "Je dois encore apprendre à déléguer."),
    # What comes next, said in the present.
    ("Oui, 4. On poursuit avec les graphiques croisés.", "next_focus",
     "On poursuit avec les graphiques croisés."),
    ("Yes, 4. We carry on with the budget review.", "next_focus",
     "We carry on with the budget review."),
    # A verdict or a contrast before the answer is not part of it.
    ("Oui\nTop, Marc m'a expliqué les index.", "learned", "Marc m'a expliqué les index."),
    ("Yes, 4. I was nervous at first but I learned to breathe before speaking.", "learned",
     "I learned to breathe before speaking."),
    # Labels people make of our questions, a mentor's too.
    ("Oui, 4.\nCe que Julie a appris, je dirais : relire un contrat.", "learned",
     "relire un contrat."),
    ("Oui, 4.\nPour la prochaine : les clauses de sortie.", "next_focus",
     "les clauses de sortie."),
])
def test_answers_in_other_words(body: str, field: str, value: str) -> None:
    assert _read_any(body)[field] == value


def test_a_sentence_before_one_that_names_its_question_answers_an_earlier_one() -> None:
    got = _read("Yes, 4.\n\nPaul drafted the agenda alone. He still needs to time-box.\n\n"
                "Next time we rehearse the opening.")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (
        "Paul drafted the agenda alone.", "He still needs to time-box.",
        "Next time we rehearse the opening.")


@pytest.mark.parametrize(("body", "rating", "unclear"), [
    ("Session happened.\nRating - 4, good one", 4, False),
    ("Yes, took place. Would rate it two.", 2, False),
    ("Yes went fine 3\nHow to chair a meeting", 3, False),
    ("Oui, 2-3 je dirais, un peu court.", None, True),
    ("Yes 2-3pm works for the next one", None, False),
])
def test_ratings(body: str, rating: int | None, unclear: bool) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, unclear)


def test_a_yes_and_a_mark_then_one_answer_typed_on() -> None:
    got = _read_any("oui 3 relecture des contrats fournisseurs")
    assert (got["rating"], got["learned"]) == (3, "relecture des contrats fournisseurs")


def test_a_signed_closing_or_a_quote_mark_answers_nothing() -> None:
    got = _read("We did not meet, Ana was ill.\nThanks! Zoé", sender="Zoé Martin <z@acme.fr>")
    assert (got["took_place"], got["learned"]) == (False, None)
    got = _read("Yes, 4. Learned the basics of SEO. xx Zoé")
    assert got["to_develop"] is None
    got = _read_any("Note : 5\n« Marc m'a appris à lire un bilan. »\nÀ creuser : la liasse.")
    assert (got["learned"], got["to_develop"]) == ("Marc m'a appris à lire un bilan.",
                                                   "la liasse.")


def test_our_question_copied_above_labelled_answers_ends_at_the_next_label() -> None:
    got = _read("Did the session take place? Yes\nRating: 4\nLearned: how to chair a retro\n"
                "Next: estimation")
    assert (got["took_place"], got["rating"], got["learned"], got["next_focus"]) == (
        True, 4, "how to chair a retro", "estimation")


def test_a_client_footer_below_the_last_inline_answer_is_not_part_of_it() -> None:
    aligned = align("> 5. What should you focus on next time?\nFollow-up calls.\n"
                    "Sent with Proton Mail secure email.\n", template_ours())
    assert aligned.answers == {"next_focus": "Follow-up calls."}


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("I might just quit here, to be honest.", None, "stop", True),
    ("Also could you resend the objectives for Thursday? I think I lost them.", None,
     "resend", False),
    ("Je suis en congé du 3 au 20 mars, mettez les mails en pause jusque-là.", None, "pause",
     False),
    ("Je serai en déplacement jeudi 12, il faudrait sauter cette séance-là.", None, "skip",
     False),
    ("Stop pour moi après celle-ci, je quitte l'entreprise.", None, "stop", True),
    ("Can we skip Thursday? Audit all day.", _OBJECTIVES_THURSDAY, "skip", False),
])
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    got = _read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


def test_a_level_alone_on_its_line_is_no_goal() -> None:
    assert read_goals("Préparer un budget\nLire un bilan\nniveau 3 je pense") == [
        "Préparer un budget", "Lire un bilan"]
    assert read_goals("Run a retro\nWrite user stories\nlevel 2 I think") == [
        "Run a retro", "Write user stories"]


@pytest.mark.parametrize("body", ["Thanks, Tom", "Merci beaucoup !", "Wrong thread, sorry"])
def test_thanks_alone_answer_nothing(body: str) -> None:
    assert _read(body)["kind"] == "unknown"
