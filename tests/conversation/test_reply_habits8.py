"""Habits of real writers met in the eighth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.parse import parse_reply


@pytest.mark.parametrize(("body", "field", "value"), [
    ("Yes.\nRating 2 – he was late, the room was noisy.\nLearned: to book the room myself.",
     "learned", "to book the room myself."),
    ("Oui, 3. On a pu travailler la relance téléphonique.", "learned",
     "On a pu travailler la relance téléphonique."),
    ("Yes, 4. We worked on the quarterly forecast.", "learned",
     "We worked on the quarterly forecast."),
    ("Oui, 5. J'ai enfin réussi à monter le tableau seule.", "learned",
     "J'ai enfin réussi à monter le tableau seule."),
    ("Yes, 5. I finally managed to close the books on time.", "learned",
     "I finally managed to close the books on time."),
    ("Oui, 4. On va maintenant préparer la démo client.", "next_focus",
     "On va maintenant préparer la démo client."),
    ("Yes, 4. We're now going to rehearse the board pitch.", "next_focus",
     "We're now going to rehearse the board pitch."),
    ("Oui, 4. prochaine étape la relance client", "next_focus",
     "prochaine étape la relance client"),
    # A label for a question wins over a sentence's cue for it.
    ("Yes, I'd give it a 4 - Ana is a quick learner.\nWhat I learned: to listen more.",
     "learned", "to listen more."),
    ("Oui, 4. Rien de neuf pour moi. Développer : la prise de parole.", "to_develop",
     "la prise de parole."),
    ("Oui, 4.\nCe que je veux encore améliorer : mes relances.", "to_develop", "mes relances."),
    ("Yes, 4.\nSo what I learned: how to split a backlog.", "learned",
     "how to split a backlog."),
])
def test_answers_in_other_words(body: str, field: str, value: str) -> None:
    assert _read_any(body)[field] == value


def test_prochaine_etape_with_a_date_is_when_not_what() -> None:
    assert _read_any("Oui, 4. Prochaine étape le 12/01.")["next_focus"] is None


def test_sentences_after_a_cued_one_answer_the_questions_after_it() -> None:
    got = _read("Yes, 4.\nPivot tables. Still shaky on slicers. Build the monthly report.")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (
        "Pivot tables.", "Still shaky on slicers.", "Build the monthly report.")


@pytest.mark.parametrize(("body", "rating", "unclear"), [
    ("Oui c'était top, 3,5 je dirais.", None, True),
    ("It went well, the best so far, so 4.", 4, False),
    ("Oui elle a eu lieu, 3. Je crois qu'il faudra ralentir.", 3, False),
])
def test_ratings(body: str, rating: int | None, unclear: bool) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, unclear)


def test_how_long_it_lasted_says_it_took_place() -> None:
    assert _read_any("Note : 2\nLa séance a duré vingt minutes, il était pressé.")[
        "took_place"] is True


def test_one_word_answers_in_order() -> None:
    got = _read_any("oui\n4\ntout\nrien\nla suite")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == ("tout", "rien", "la suite")


def test_hoping_for_next_time_is_no_answer() -> None:
    got = _read("We could not meet, she was ill. Hopefully next time.")
    assert (got["took_place"], got["next_focus"]) == (False, None)


@pytest.mark.parametrize(("body", "name", "confirm"), [
    ("c'est quoi deja les mots a ecrire pour arreter ?", "help", False),
    ("je pense arrêter là, je n'ai plus le temps.", "stop", True),
    ("I'm thinking of stopping, work is crazy.", "stop", True),
])
def test_commands(body: str, name: str, confirm: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


def test_a_new_mail_asking_to_join_answers_no_questionnaire() -> None:
    got = _read("Comment on fait pour s'inscrire ? Je voudrais apprendre Python.",
                subject="Question mentorat")
    assert (got["kind"], got["to_develop"]) == ("unknown", None)


def test_a_reply_threaded_to_ours_keeps_its_answers_whatever_its_subject() -> None:
    raw = ("From: Zoé Martin <zoe.martin@acme.fr>\r\nSubject: hier\r\n"
           "In-Reply-To: <q-3@atelier.example>\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "\r\nJ'ai appris à lire un bilan.\r\n")
    got = parse_reply(raw.encode()).understood()
    assert got["learned"] == "J'ai appris à lire un bilan."
