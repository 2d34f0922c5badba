"""Habits of real writers met in the third blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN as _SESSION_EN
from replytext import SESSION_FR as _SESSION_FR
from replytext import picked as _picked
from replytext import read as _read


@pytest.mark.parametrize(("body", "want"), [
    # A rating with what was learned or what comes next: the session took place.
    ("★★★\nComment relancer un client sans le braquer.", {"took_place": True, "rating": 3}),
    ("5\nWindow functions", {"took_place": True, "rating": 5, "learned": "Window functions"}),
    ("Note : 4\nProchaine fois : les graphiques croisés", {"took_place": True}),
    ("4/5 - next time: the quarterly forecast", {"took_place": True}),
    # A rating alone says nothing of it.
    ("Note : 3", {"took_place": None, "rating": 3}),
    ("Rating: 2", {"took_place": None, "rating": 2}),
    # Nor a comment typed before the rating on its line.
    ("We only managed forty minutes. 3/5", {"took_place": None, "learned": None}),
])
def test_a_rating_with_answers_took_place(body: str, want: dict[str, object]) -> None:
    assert _picked(_read(body), want) == want


@pytest.mark.parametrize(("body", "want"), [
    # A wish for what we do together is the next session's ...
    ("Oui, 4/5.\nJ'aimerais qu'on regarde ensemble le budget prévisionnel.",
     {"next_focus": "J'aimerais qu'on regarde ensemble le budget prévisionnel.",
      "to_develop": None}),
    ("Oui, 4/5.\nOn pourrait voir les tableaux de bord la fois d'après.",
     {"next_focus": "On pourrait voir les tableaux de bord la fois d'après.",
      "to_develop": None}),
    ("Yes, 5/5.\nLet's go over the hiring plan before the board meeting.",
     {"next_focus": "Let's go over the hiring plan before the board meeting.",
      "to_develop": None}),
    ("Yes, 3/5.\nI'd like us to rehearse the pitch once more.",
     {"next_focus": "I'd like us to rehearse the pitch once more.", "to_develop": None}),
    ("Yes, 4/5.\nMaybe we could look at the churn numbers together.",
     {"next_focus": "Maybe we could look at the churn numbers together.", "to_develop": None}),
    # ... but where and when to meet is no answer.
    ("No, she was ill. Let's meet next Tuesday instead.", {"next_focus": None}),
    ("Non, reportée. On pourrait se voir jeudi ?", {"next_focus": None}),
    # Nor a regret, nor what could be done at last.
    ("Yes 4/5\nWe should have prepared more.", {"next_focus": None}),
    ("Yes 4/5\nWe could finally see the whole pipeline.", {"next_focus": None}),
    # What the writer still has to get better at is left to develop.
    ("Yes. 4/5. I need to get faster at writing the summaries.",
     {"to_develop": "I need to get faster at writing the summaries.", "next_focus": None}),
    ("Oui, 3/5. Il faut encore que je travaille ma prise de parole.",
     {"to_develop": "Il faut encore que je travaille ma prise de parole."}),
    ("Yes 4/5. We still have to become more consistent with the reviews.",
     {"to_develop": "We still have to become more consistent with the reviews."}),
])
def test_next_session_wishes_and_what_is_left(body: str, want: dict[str, object]) -> None:
    assert _picked(_read(body), want) == want


@pytest.mark.parametrize(("body", "want"), [
    # "For next session: X" is a label: X is the answer.
    ("Oui\nNote : 4\nPour la prochaine séance : revoir le plan de charge.",
     {"next_focus": "revoir le plan de charge."}),
    ("Yes\nRating: 5\nFor the next session: the onboarding checklist.",
     {"next_focus": "the onboarding checklist."}),
    # Numbered with slashes.
    ("1/ yes\n2/ 3\n3/ how to read a P&L\n4/ cash flow\n5/ the forecast model",
     {"took_place": True, "rating": 3, "learned": "how to read a P&L",
      "to_develop": "cash flow", "next_focus": "the forecast model"}),
    # A rating in words, after "I'd say" or "je dirais".
    ("Bonne séance, je dirais trois.", {"rating": 3}),
    ("It went fine, though the room was noisy, so I'd just say four.", {"rating": 4}),
    ("We ran late so I'll only say 2.", {"rating": 2}),
    ("I'd say 3 people had not read the brief.", {"rating": None}),
    # A label for the rating does not run on to the next line.
    ("Yes\nScore: 4/5 great one\nhow to split a big ticket\ntesting\nthe release notes",
     {"rating": 4, "learned": "how to split a big ticket", "to_develop": "testing",
      "next_focus": "the release notes"}),
    # A sentence after the rating on the same label line that names its question.
    ("Oui. Note : quatre. J'ai appris à lire un bilan.",
     {"rating": 4, "learned": "J'ai appris à lire un bilan."}),
])
def test_labels_numbers_and_ratings_in_words(body: str, want: dict[str, object]) -> None:
    assert _picked(_read(body), want) == want


@pytest.mark.parametrize(("body", "learned"), [
    ("Yes 4/5. Priya showed me how to size a sprint. Also learned that I overcommit.",
     "Priya showed me how to size a sprint. Also learned that I overcommit."),
    ("Oui 5/5. Karim m'a montré comment lire une liasse fiscale. Et appris à poser mes "
     "questions plus tôt.",
     "Karim m'a montré comment lire une liasse fiscale. Et appris à poser mes questions "
     "plus tôt."),
])
def test_a_second_sentence_of_the_same_answer_joins_it(body: str, learned: str) -> None:
    assert _read(body)["learned"] == learned


@pytest.mark.parametrize("signature", ["M. Durand", "-- P. Lefèvre", "A.Nguyen"])
def test_an_initial_and_a_name_sign_the_reply(signature: str) -> None:
    got = _read(f"Oui\n4\nLes index\n\n{signature}", subject=_SESSION_FR)
    assert (got["learned"], got["to_develop"]) == ("Les index", None)


@pytest.mark.parametrize(("body", "want"), [
    # A word about the programme answers none of our questions, and is no command.
    ("Oui\n4\nLes requêtes imbriquées.\nSurtout ne mettez pas fin au mentorat, j'adore !\n"
     "Les jointures externes.",
     {"kind": "questionnaire", "command": None, "learned": "Les requêtes imbriquées.",
      "to_develop": "Les jointures externes."}),
    ("Yes\n5\nStakeholder mapping.\nI really don't want to stop the mentoring, it helps!\n"
     "Saying no.",
     {"kind": "questionnaire", "command": None, "to_develop": "Saying no."}),
    # A command at the end of the answers: a command, and the answers are still read.
    ("Oui\n3\nLe tableau de trésorerie.\nLes relances clients.\n\n"
     "Autre chose : je pars en formation le 4, pause jusqu'au 20 mars stp.",
     {"kind": "command", "command": "pause", "rating": 3,
      "learned": "Le tableau de trésorerie.", "to_develop": "Les relances clients.",
      "next_focus": None}),
    ("Yes\n4\nBudget variance.\n\nBy the way I'm on leave from the 3rd: pause until 1 June "
     "please.",
     {"kind": "command", "command": "pause", "learned": "Budget variance.",
      "to_develop": None}),
])
def test_a_word_on_the_programme_among_answers(body: str, want: dict[str, object]) -> None:
    assert _picked(_read(body), want) == want


_ASK_FR = ("> Nous voulons être sûrs de bien vous comprendre avant de changer quoi que ce "
           "soit : souhaitez-vous mettre le programme en pause jusqu'au 4 janvier ?\n"
           "> Pour confirmer, répondez OUI à cet e-mail.")
_ASK_EN = ("> We want to be sure we understood you before we change anything: do you want "
           "to\n> leave the programme? Your coming sessions would be cancelled.\n"
           "> To confirm, reply YES to this email.")


@pytest.mark.parametrize(("body", "subject", "command"), [
    (f"Oui, tout à fait.\n\n{_ASK_FR}", "RE: Atelier · confirmez-vous ? [B-1a2b3c4d5e6f]",
     "pause"),
    (f"Yes please\n\n{_ASK_EN}", "Re: Atelier · please confirm [B-1a2b3c4d5e6f]", "stop"),
    ("YES", "YES, I confirm [B-1a2b3c4d5e6f]", None),  # the one-click yes: no quote to read
])
def test_a_yes_to_our_confirmation_question(body: str, subject: str,
                                            command: str | None) -> None:
    got = _read(body, subject=subject)
    assert _picked(got, {"kind": "", "command": "", "confirm": "", "took_place": ""}) == {
        "kind": "command", "command": command, "confirm": False, "took_place": None}


def test_a_no_to_our_confirmation_question_is_no_command() -> None:
    got = _read(f"Non merci, c'était une erreur.\n\n{_ASK_FR}",
                subject="RE: Atelier · confirmez-vous ? [B-1a2b3c4d5e6f]")
    assert (got["kind"], got["command"], got["took_place"]) == ("unknown", None, None)


@pytest.mark.parametrize(("body", "subject"), [
    # Nothing typed, or only the signature Outlook adds.
    ("", _SESSION_FR),
    ("Zoé Martin\nChargée de clientèle\n01 23 45 67 89", _SESSION_FR),
    ("Zoe Martin | Acme", _SESSION_EN),
    # A reply to the renewal mail is no introduction's goals.
    ("Je préférerais changer de binôme.\nExcel : 4",
     "RE: Atelier · votre binôme avec Paul Roux : on continue ? [B-1a2b3c4d5e6f]"),
    ("Happy to carry on with Paul.",
     "Re: Atelier · your learning pair with Paul Roux: carry on? [B-1a2b3c4d5e6f]"),
])
def test_replies_that_answer_nothing_we_read(body: str, subject: str) -> None:
    got = _read(body, subject=subject)
    assert (got["kind"], got["rating"], got["goals"]) == ("unknown", None, [])


def test_a_thank_you_to_the_introduction_answers_nothing() -> None:
    got = _read("Merci, ravie de commencer !",
                subject="RE: Atelier · votre mentorat avec Paul Roux [B-1a2b3c4d5e6f]")
    assert (got["kind"], got["goals"]) == ("unknown", [])
    # A level alone answers the introduction all the same.
    got = _read("Merci ! Excel : 2",
                subject="RE: Atelier · votre mentorat avec Paul Roux [B-1a2b3c4d5e6f]")
    assert (got["kind"], got["goals"]) == ("goals", [])
