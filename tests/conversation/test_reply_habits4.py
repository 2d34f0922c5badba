"""Habits of real writers met in the fourth blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN as _SESSION_EN
from replytext import SESSION_FR as _SESSION_FR
from replytext import picked as _picked
from replytext import read as _read

_OBJECTIVES_EN = "Re: Atelier · session 4 with Marc Petit: Thursday 10 December 2026 at 14:00"
_OBJECTIVES_FR = "RE: Atelier · séance 4 avec Marc Petit : jeudi 10 décembre 2026 à 14:00"


@pytest.mark.parametrize(("body", "name"), [
    ("Perhaps we should just call it a day, I never find the time.", "stop"),
    ("Not convinced any more. Should I quit?", "stop"),
    ("Franchement je devrais peut-être arrêter, je n'ai plus le temps.", "stop"),
    ("Je ferais mieux d'abandonner, non ?", "stop"),
    ("We may have to put things on ice in January, I'll know next week.", "pause"),
    ("Maybe put everything on hold until the audit is done?", "pause"),
    ("Il faudrait peut-être mettre tout ça en suspens, le chantier déborde.", "pause"),
    ("Je me demande s'il faut mettre les séances en stand-by pendant le déménagement.", "pause"),
    ("Could we maybe give this one a miss? Nothing new on my side.", "skip"),
    ("Thinking of skipping Thursday's, the client moved our demo.", "skip"),
    ("On pourrait peut-être sauter celle de demain, je n'ai rien avancé.", "skip"),
    ("Ça vaudrait peut-être le coup d'annuler celle de jeudi ?", "skip"),
])
def test_a_command_only_wondered_about_is_asked_back(body: str, name: str) -> None:
    subject = _OBJECTIVES_FR if "é" in body or "ç" in body else _OBJECTIVES_EN
    got = _read(body, subject)
    assert _picked(got, {"kind": "command", "command": name, "confirm": True}) == \
        {"kind": "command", "command": name, "confirm": True}


@pytest.mark.parametrize("body", [
    "We put it on hold last month and picked it up again, all good now.",
    "No need to put things on hold, January is calm.",
    "Where did we stop last time? I forgot.",
    "On ne va pas mettre tout ça en suspens, ça avance bien !",
])
def test_a_past_refused_or_plain_question_is_no_wondered_command(body: str) -> None:
    assert _read(body, _OBJECTIVES_EN)["command"] is None


@pytest.mark.parametrize(("body", "subject"), [
    ("Yes, 4\nMail merge at last.\nThe budget sheet.\n\nBy the way, remind me of the "
     "keywords? I forgot how to move a session.", _SESSION_EN),
    ("Oui 4\nLe publipostage.\nLe budget.\n\nPetite question : vous pouvez me redonner la "
     "liste des commandes ?", _SESSION_FR),
    ("Oui, 5.\nLes graphiques croisés.\n\nQuelles sont les options disponibles pour décaler "
     "une séance ?", _SESSION_FR),
])
def test_asking_for_the_commands_after_the_answers_keeps_them(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["kind"] == "command" and got["command"] == "help"
    assert got["rating"] in (4, 5) and got["took_place"] is True
    assert "?" not in str(got["to_develop"]) + str(got["next_focus"])


@pytest.mark.parametrize(("body", "subject"), [
    ("Didn't happen, and to be honest I'd rather stop here: too much on my plate.", _SESSION_EN),
    ("Pas eu lieu, et je crois que je vais arrêter là : trop de boulot en ce moment.",
     _SESSION_FR),
    ("On ne s'est pas vus; je préfère arrêter là, merci pour tout.", _SESSION_FR),
])
def test_a_stop_after_saying_the_session_did_not_happen_keeps_that(body: str,
                                                                   subject: str) -> None:
    got = _read(body, subject)
    assert got["kind"] == "command" and got["command"] == "stop"
    assert got["took_place"] is False


@pytest.mark.parametrize(("body", "subject"), [
    ("Oui, 4\nLes formules matricielles\nVoilà, c'est tout", _SESSION_FR),
    ("oui 3\nle plan de trésorerie\nvoilà voilà !", _SESSION_FR),
    ("Yes, 4\nConditional formatting.\nThat's all for now.", _SESSION_EN),
])
def test_a_line_that_only_closes_answers_nothing(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["learned"] is not None and got["to_develop"] is None and got["next_focus"] is None


@pytest.mark.parametrize(("body", "sender"), [
    ("Did not happen, Claire was off sick.\nSteph", "Stéphanie Roux <s.roux@acme.fr>"),
    ("No - we both forgot, rebooking for Friday.\nAlex", "Alexander Bell <a.bell@acme.co.uk>"),
    ("Non, annulée, Marc était en déplacement.\nFred", "Frédéric Colin <fcolin@acme.fr>"),
])
def test_a_first_name_shortened_under_the_reply_is_a_signature(body: str, sender: str) -> None:
    got = _read(body, _SESSION_EN, sender)
    assert got["took_place"] is False and got["learned"] is None


def test_a_word_that_is_no_shortened_name_still_answers() -> None:
    got = _read("Yes, 4\nPivot tables\nMacros", _SESSION_EN, "Mac Donald <mac@acme.fr>")
    assert got["to_develop"] == "Macros"


@pytest.mark.parametrize(("body", "subject"), [
    ("Yes. Score 4.5 - really useful, but short.\nBudget templates.", _SESSION_EN),
    ("Oui. Note 2.5 - trop théorique.\nLes TCD.", _SESSION_FR),
])
def test_a_half_after_the_rating_word_is_unclear_not_its_whole_part(body: str,
                                                                     subject: str) -> None:
    got = _read(body, subject)
    assert got["rating"] is None and got["rating_unclear"] is True and got["took_place"] is True


@pytest.mark.parametrize(("body", "subject", "rating"), [
    ("Elle a bien eu lieu, je lui donnerais sans hésiter un 4 : on a enfin fait le budget.",
     _SESSION_FR, 4),
    ("It happened and I'd happily give it a 5, we finally built the dashboard.", _SESSION_EN, 5),
    ("Took place. I would rate it comfortably a 4 - lots of practice.", _SESSION_EN, 4),
])
def test_a_rating_in_prose_with_an_adverb_before_it_is_read(body: str, subject: str,
                                                            rating: int) -> None:
    got = _read(body, subject)
    assert got["rating"] == rating and got["took_place"] is True


@pytest.mark.parametrize(("body", "subject"), [
    ("Can't find the survey so answering here.\n\nIt happened, 3 out of 5.\nCost codes.\n"
     "Variance reports.\nThe Q3 forecast.", _OBJECTIVES_EN),
    ("Impossible de retrouver le questionnaire, alors je réponds ici :\nOui, 4.\n"
     "Les rapprochements.\nLe lettrage.\nLa clôture de décembre.", _OBJECTIVES_FR),
])
def test_answers_sent_in_reply_to_the_objectives_are_that_sessions_questionnaire(
        body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["kind"] == "questionnaire" and got["took_place"] is True
    assert got["rating"] in (3, 4) and got["next_focus"] in ("The Q3 forecast.",
                                                             "La clôture de décembre.")


@pytest.mark.parametrize("body", [
    "Thanks, see you Monday!",
    "Could we also look at the budget sheet on Monday?",
])
def test_a_word_on_the_objectives_that_says_nothing_of_a_session_is_unknown(body: str) -> None:
    assert _read(body, _OBJECTIVES_EN)["kind"] == "unknown"


@pytest.mark.parametrize(("body", "subject", "rating"), [
    ("Quick one since the form is gone: solid 3, it went ahead as planned.", _SESSION_EN, 3),
    ("Verdict : une bonne 4, la séance a bien eu lieu.", _SESSION_FR, 4),
])
def test_a_mark_with_a_word_that_judges_it_is_the_rating(body: str, subject: str,
                                                         rating: int) -> None:
    assert _read(body, subject)["rating"] == rating


@pytest.mark.parametrize(("body", "subject"), [
    ("Yes, 4\nThe cash-flow plan.\n\nCould we cancel Monday's one? I'm on site all day.",
     _SESSION_EN),
    ("Yes 5\nStakeholder maps.\n\nLet's skip tomorrow's one, the client moved our demo.",
     _SESSION_EN),
])
def test_a_skip_of_a_days_one_after_the_answers_keeps_them(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["kind"] == "command" and got["command"] == "skip"
    assert got["rating"] in (4, 5) and got["learned"] is not None
