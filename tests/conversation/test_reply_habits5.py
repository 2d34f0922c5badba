"""Habits of real writers met in the fifth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import picked as _picked
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals


@pytest.mark.parametrize(("body", "want"), [
    # A mark with a word that judges it after "I'd say" / "je dirais".
    ("Yes. I'd say a good 3. Learned to plan sprints.", {"rating": 3, "rating_unclear": False}),
    ("Oui. Je dirais un bon 3. J'ai appris à planifier.", {"rating": 3}),
    # A range after them is unclear, and the line below is still what was learned.
    ("Yes\nI'd say 4 or 5\nHow to write a brief",
     {"rating": None, "rating_unclear": True, "learned": "How to write a brief"}),
    ("Oui.\nJe dirais 2 ou 3.\nLa relecture de contrats.",
     {"rating": None, "rating_unclear": True, "learned": "La relecture de contrats."}),
    # ... but never a count of people.
    ("I'd say 3 or 4 people came. Learned a lot.", {"rating": None, "rating_unclear": False}),
    # The mark in brackets after a word that judges the session.
    ("Yes, interesting one (3). I learned the basics of SEO.", {"rating": 3}),
    ("Oui, séance utile (4). J'ai appris les bases du SEO.", {"rating": 4}),
    ("Oui, la séance (3) était bien. J'ai appris X.", {"rating": None}),
    # A yes and a mark typed on before the answer, with no stop.
    ("oui 5 jai compris les tableaux croises",
     {"rating": 5, "took_place": True, "learned": "jai compris les tableaux croises"}),
])
def test_ratings_said_in_passing(body: str, want: dict[str, object]) -> None:
    assert _picked(_read_any(body), want) == want


@pytest.mark.parametrize(("body", "held"), [
    # A hesitant mark in figures with an answer: the session happened.
    ("Yes it went ok, maybe 2.5/5. learned how the audit trail works", True),
    ("ça allait, 3,5/5 peut-être. j'ai appris à lire un bilan", True),
    # A verdict word alone where the mark goes says nothing of it.
    ("Rating: fine\nLearned: how to read a P&L", None),
])
def test_a_hesitant_mark_with_an_answer_says_the_session_took_place(
        body: str, held: bool | None) -> None:
    assert _read_any(body)["took_place"] is held


@pytest.mark.parametrize(("body", "learned"), [
    ("Yes, 4. We went through the quarterly forecast.", "We went through the quarterly forecast."),
    ("Oui, 4. On a abordé le bilan comptable.", "On a abordé le bilan comptable."),
    ("Oui, 3. J'ai tout de même appris à lire un bilan.",
     "J'ai tout de même appris à lire un bilan."),
    ("Oui, 2. Je n'ai rien appris de neuf, on a surtout bavardé.",
     "Je n'ai rien appris de neuf, on a surtout bavardé."),
    ("Yes, 2. I didn't learn much, we ran out of time.",
     "I didn't learn much, we ran out of time."),
    # An emoji ends a sentence before a capital.
    ("Great session 👍 Learned to chair a meeting.", "Learned to chair a meeting."),
    # A remark on the session names no answer.
    ("Yes, 3. I think we covered the forecast twice.", None),
])
def test_what_was_learned_in_other_words(body: str, learned: str | None) -> None:
    assert _read_any(body)["learned"] == learned


@pytest.mark.parametrize(("body", "learned", "to_develop"), [
    ("oui 5 jai compris les tableaux croises faut que je revoie les macros",
     "jai compris les tableaux croises", "faut que je revoie les macros"),
    # What was learned that leads into what is left stays one answer.
    ("Oui 4 j'ai appris que je dois ralentir", "j'ai appris que je dois ralentir", None),
])
def test_two_answers_typed_on_without_a_stop(body: str, learned: str,
                                            to_develop: str | None) -> None:
    got = _read_any(body)
    assert (got["learned"], got["to_develop"]) == (learned, to_develop)


@pytest.mark.parametrize(("text", "goals"), [
    ("improve my pitch and learn to negotiate probably",
     ["improve my pitch", "learn to negotiate"]),
    ("Comprendre la comptabilité analytique et préparer un budget je pense",
     ["Comprendre la comptabilité analytique", "préparer un budget"]),
    ("Mes objectifs pour le trimestre : animer une réunion, rédiger un compte rendu.",
     ["animer une réunion", "rédiger un compte rendu"]),
    ("My goals by March: run a workshop alone, and write clearer specs.",
     ["run a workshop alone", "write clearer specs"]),
    # An acknowledgement or a plan to meet is no goal.
    ("Sounds great, looking forward to working with Emma.", []),
    ("Bien reçu, je contacte Nadia pour caler un café.", []),
    ("Organiser un café avec Nadia avant la première séance ?", []),
])
def test_goals_in_one_line(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


@pytest.mark.parametrize(("body", "name", "confirm"), [
    ("Could we cancel the next one? I'm at a conference.", "skip", False),
    ("All good, 4. Learned to size a story.\n\nAlso could we drop the next one? Offsite week.",
     "skip", False),
    ("Je serai absent à la prochaine séance, vous pouvez l'annuler ?", "skip", False),
    ("Je me demande si on ne devrait pas faire une pause le temps du déménagement.", "pause",
     True),
    ("Je suis rentré de congé, vous pouvez réactiver les mails ?", "resume", False),
    ("Back from leave, could you restart the emails?", "resume", False),
])
def test_commands_in_other_sentences(body: str, name: str, confirm: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


@pytest.mark.parametrize("body", [
    "We skipped the next one last time, it was fine.",
    "No need to skip the next one.",
    "Je suis rentrée hier, la séance a eu lieu. 4.",
])
def test_no_command_in_these(body: str) -> None:
    assert _read_any(body)["command"] is None
