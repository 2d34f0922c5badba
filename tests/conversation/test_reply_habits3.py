"""Habits of real writers met in the held-out half of the third blind corpus (issue #14),
each tested here in other words than the corpus's, in French and English: a rule must
hit a phrasing no corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN as _SESSION_EN
from replytext import SESSION_FR as _SESSION_FR
from replytext import picked as _picked
from replytext import read as _read


@pytest.mark.parametrize("body", [
    "Honestly I could do with a short break, the audit is eating all my time.",
    "We might need some time off from the sessions, the move is next month.",
    "J'ai besoin de souffler un peu, la clôture me prend tout mon temps.",
    "Je vais devoir lever le pied quelques semaines.",
    "J'aurais besoin d'une petite pause, le rush de fin d'année me prend tout.",
    "Je suis en congé maternité à partir de mars, je vous recontacte ensuite.",
    "Heads up: I'm signed off sick for three weeks.",
    "I'm on medical leave until the end of February.",
    "Petit mot : je serai en arrêt de travail tout le mois prochain.",
])
def test_a_need_for_rest_or_a_leave_is_a_pause_asked_back(body: str) -> None:
    got = _read(body)
    assert _picked(got, {"kind": "command", "command": "pause", "confirm": True}) == \
        {"kind": "command", "command": "pause", "confirm": True}


@pytest.mark.parametrize("body", [
    "I don't need a break at all, keep them coming.",
    "Pas besoin de faire une pause en janvier, je suis là.",
    "I was on sick leave last week, hence the cancellation.",
    "Je suis de retour d'arrêt maladie, on peut reprendre le rythme normal ?",
])
def test_a_refused_or_finished_rest_is_no_pause(body: str) -> None:
    assert _read(body)["command"] != "pause"


@pytest.mark.parametrize(("body", "subject"), [
    ("Yes\n4\nForecasting with seasonality.\n\nBy the way, would it be worth pausing things "
     "in August? Still deciding.", _SESSION_EN),
    ("Oui\n5\nLes relances par téléphone.\n\nPar contre j'aurai sans doute besoin de souffler "
     "en février.", _SESSION_FR),
])
def test_a_hedged_pause_after_the_answers_keeps_them(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["command"] == "pause" and got["confirm"] is True
    assert got["rating"] in (4, 5) and got["learned"] is not None
    assert "paus" not in str(got["next_focus"]) and "souffler" not in str(got["next_focus"])


@pytest.mark.parametrize(("body", "subject"), [
    ("Oui, 2.\nPas grand-chose.\n\nJe n'y trouve plus mon compte, j'arrête ici. STOP.",
     _SESSION_FR),
    ("Yes, 2.\nNot much this time.\n\nThis isn't working for me anymore. Stop!", _SESSION_EN),
])
def test_the_stop_keyword_as_a_sentence_after_answers_is_sure(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert (got["command"], got["confirm"], got["rating"]) == ("stop", False, 2)


@pytest.mark.parametrize(("body", "subject"), [
    ("Renouvellement : changer\n\nPower BI : 2\nAnglais : 4", "Renouvellement [B-0a1b2c3d4e5f]"),
    ("Renewal: continue\n\nPython: 4", "RE: Renewal [B-0a1b2c3d4e5f]"),
])
def test_a_one_click_renewal_with_levels_is_no_questionnaire(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert (got["kind"], got["rating"]) == ("unknown", None)


@pytest.mark.parametrize(("body", "subject", "want"), [
    ("Yes, 4.\nHow to read a P&L. It ran over a bit though.\nCash flow forecasts.",
     _SESSION_EN, {"learned": "How to read a P&L.", "to_develop": "Cash flow forecasts."}),
    ("Oui, 4.\nLa lecture d'un bilan. On a un peu débordé.\nLes prévisions de trésorerie.",
     _SESSION_FR, {"learned": "La lecture d'un bilan.",
                   "to_develop": "Les prévisions de trésorerie."}),
    ("Yes, 3.\nI learned to split the backlog. We had a fire drill in the middle, mind you.",
     _SESSION_EN, {"to_develop": None, "next_focus": None}),
])
def test_a_remark_on_how_it_went_after_an_answer_is_no_answer(
        body: str, subject: str, want: dict[str, object]) -> None:
    assert _picked(_read(body, subject), want) == want


@pytest.mark.parametrize(("body", "subject", "focus"), [
    ("Yes, 5.\nI learned to write user stories.\nNext time I want to work on estimates.",
     _SESSION_EN, "Next time I want to work on estimates."),
    ("Oui, 4.\nLes formules matricielles.\nLa prochaine fois j'aimerais pratiquer les macros.",
     _SESSION_FR, "La prochaine fois j'aimerais pratiquer les macros."),
    ("Yes, 4.\nGit rebase.\nFor the next session I need to practise conflict resolution.",
     _SESSION_EN, "For the next session I need to practise conflict resolution."),
])
def test_a_sentence_opening_on_the_next_session_is_its_focus(
        body: str, subject: str, focus: str) -> None:
    got = _read(body, subject)
    assert (got["next_focus"], got["to_develop"]) == (focus, None)


@pytest.mark.parametrize(("body", "subject", "focus"), [
    ("Oui\n4\nLes tableaux croisés.\nPréparer ensemble le point budget de janvier.",
     _SESSION_FR, "Préparer ensemble le point budget de janvier."),
    ("Oui\n5\nLa prise de parole.\nUne mise en situation avec un client difficile.",
     _SESSION_FR, "Une mise en situation avec un client difficile."),
    ("Yes\n4\nStakeholder maps.\nA mock interview for the team lead role.",
     _SESSION_EN, "A mock interview for the team lead role."),
    ("Yes\n3\nSprint reviews.\nGo through my slides for the offsite.",
     _SESSION_EN, "Go through my slides for the offsite."),
])
def test_something_to_do_together_in_the_last_answer_is_the_next_focus(
        body: str, subject: str, focus: str) -> None:
    got = _read(body, subject)
    assert (got["next_focus"], got["to_develop"]) == (focus, None)


@pytest.mark.parametrize(("body", "subject", "develop"), [
    ("Oui\n4\nLes tableaux croisés.\nGérer mon stress à l'oral.", _SESSION_FR,
     "Gérer mon stress à l'oral."),
    ("Yes\n4\nStakeholder maps.\nSaying no to my manager.", _SESSION_EN,
     "Saying no to my manager."),
])
def test_a_skill_in_the_last_answer_stays_to_develop(body: str, subject: str,
                                                     develop: str) -> None:
    got = _read(body, subject)
    assert (got["to_develop"], got["next_focus"]) == (develop, None)


@pytest.mark.parametrize(("body", "subject", "rating", "held"), [
    ("5, yes", _SESSION_EN, 5, True),
    ("2 oui\nPas grand-chose.", _SESSION_FR, 2, True),
    ("Yes, 3 ⭐\nThe release checklist.", _SESSION_EN, 3, True),
    ("Oui 5🌟", _SESSION_FR, 5, True),
    ("Oui, séance utile – 4", _SESSION_FR, 4, True),
    ("Yes, a solid session - 4!", _SESSION_EN, 4, True),
])
def test_a_rating_before_the_yes_beside_one_star_or_after_a_dash(
        body: str, subject: str, rating: int, held: bool) -> None:
    got = _read(body, subject)
    assert (got["rating"], got["took_place"]) == (rating, held)


@pytest.mark.parametrize("body", ["Yes\nChapter 3 - 5 minutes of slides",
                                  "Oui\nLes étapes 2 - 3 du process."])
def test_a_number_after_a_dash_inside_a_line_is_no_rating(body: str) -> None:
    assert _read(body)["rating"] is None


@pytest.mark.parametrize(("body", "subject", "want"), [
    ("Oui, 4.\nAppris : comment cadrer un brief client.\nOn reprendra les devis, il en a besoin.",
     _SESSION_FR, {"learned": "comment cadrer un brief client.",
                   "next_focus": "On reprendra les devis, il en a besoin."}),
    ("Oui, 5.\nLearned : the SQL window functions.\nNous aborderons les index ensuite.",
     _SESSION_FR, {"next_focus": "Nous aborderons les index ensuite."}),
    ("Yes, 4.\nLearned: how to chair a stand-up.\nWe'll go over the retro format after that.",
     _SESSION_EN, {"learned": "how to chair a stand-up.",
                   "next_focus": "We'll go over the retro format after that."}),
])
def test_what_we_will_do_is_the_next_focus_and_no_part_of_learned(
        body: str, subject: str, want: dict[str, object]) -> None:
    assert _picked(_read(body, subject), want) == want


@pytest.mark.parametrize("body", [
    "Oui, 4.\nLes macros.\nOn se verra jeudi à la cafétéria.",
    "Oui, 4.\nLes macros.\nOn fera la séance en salle 2, la visio coupe.",
    "Yes, 4.\nMacros.\nWe'll see how it goes.",
])
def test_where_when_or_we_will_see_is_no_focus(body: str) -> None:
    assert _read(body, _SESSION_FR)["next_focus"] is None


@pytest.mark.parametrize(("body", "subject", "learned", "develop"), [
    ("oui 4/5 jai appris les jointures sql les sous-requetes toujours un peu floues",
     _SESSION_FR, "jai appris les jointures sql", "les sous-requetes toujours un peu floues"),
    ("Oui 5/5. J'ai compris le lettrage des comptes la TVA intracom encore pas claire",
     _SESSION_FR, "J'ai compris le lettrage des comptes", "la TVA intracom encore pas claire"),
    ("yes 4/5 i learned the git basics the rebase stuff still fuzzy",
     _SESSION_EN, "i learned the git basics", "the rebase stuff still fuzzy"),
])
def test_a_typed_run_that_ends_on_what_is_still_unclear_gives_both(
        body: str, subject: str, learned: str, develop: str) -> None:
    got = _read(body, subject)
    assert (got["learned"], got["to_develop"]) == (learned, develop)


@pytest.mark.parametrize(("body", "subject"), [
    ("Oui. 5. Karim a beaucoup progressé.\nProchaine étape : la revue de code en binôme.",
     _SESSION_FR),
    ("Yes. 4. Sam is getting more confident.\nNext step: the client demo.", _SESSION_EN),
    ("Oui, 4. Elle gagne en assurance.\nÀ travailler : les transitions.", _SESSION_FR),
])
def test_how_the_other_person_is_doing_is_no_learning(body: str, subject: str) -> None:
    assert _read(body, subject)["learned"] is None


@pytest.mark.parametrize(("body", "subject"), [
    ("Yes, 5.\nReading flame graphs.\nMemory leaks.\nPriya, could you forward me your notes?",
     _SESSION_EN),
    ("Oui, 4.\nLes relances.\nLa négociation.\nPaul, tu me renvoies ton modèle de mail ?",
     _SESSION_FR),
])
def test_a_word_to_someone_by_name_answers_nothing(body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["next_focus"] is None and got["to_develop"] is not None


def test_an_opening_word_with_a_comma_is_no_name() -> None:
    got = _read("Yes, 4.\nHow to read a cap table.\nHonestly, you could spend a whole session "
                "on term sheets.")
    assert got["to_develop"] == ("Honestly, you could spend a whole session on term sheets.")


@pytest.mark.parametrize(("body", "subject", "learned"), [
    ("Yes! 5/5. That I talk too fast when I'm nervous.", _SESSION_EN,
     "That I talk too fast when I'm nervous."),
    ("Oui, 4/5. Que je dois poser le contexte avant les chiffres.", _SESSION_FR,
     "Que je dois poser le contexte avant les chiffres."),
])
def test_that_i_answers_what_was_learned(body: str, subject: str, learned: str) -> None:
    assert _read(body, subject)["learned"] == learned


def test_that_i_would_is_a_wish_not_learning() -> None:
    assert _read("Yes, 4/5. That I would like more time on the budget.")["learned"] is None


@pytest.mark.parametrize(("body", "subject"), [
    ("Rating: 4\n\nReally useful, we finally untangled the release process.",
     "Questionnaire [B-1a2b3c4d5e6f]"),
    ("Note : 2\n\nPas très utile cette fois, on a tourné en rond.",
     "Questionnaire [B-1a2b3c4d5e6f]"),
    ("Note : 5\nSéance très enrichissante.", _SESSION_FR),
])
def test_a_rating_with_a_judgement_of_the_session_took_place(body: str, subject: str) -> None:
    assert _read(body, subject)["took_place"] is True


@pytest.mark.parametrize(("body", "subject"), [
    ("Rating: 3", "Questionnaire [B-1a2b3c4d5e6f]"),
    ("Note : 3\n\nMerci !", "Questionnaire [B-1a2b3c4d5e6f]"),
    ("Note : 1\nFinalement annulée, ce qui est bien dommage car c'était très utile d'habitude.",
     _SESSION_FR),
])
def test_a_rating_alone_or_a_cancelled_session_is_no_judgement(body: str, subject: str) -> None:
    assert _read(body, subject)["took_place"] is not True


@pytest.mark.parametrize("body", [
    "Yes, 4.\nSQL joins.\nThe session could use a break halfway, two hours is long.",
    "Oui, 4.\nLes jointures.\nOn aurait besoin d'une pause au milieu, deux heures c'est long.",
])
def test_a_break_inside_the_session_is_no_pause(body: str) -> None:
    assert _read(body)["command"] is None


@pytest.mark.parametrize(("body", "subject", "learned"), [
    ("4\nIt happened, yes.\nHow to split a big ticket into small ones.", _SESSION_EN,
     "How to split a big ticket into small ones."),
    ("⭐⭐⭐\nSéance tenue.\nLes raccourcis clavier de Figma.", _SESSION_FR,
     "Les raccourcis clavier de Figma."),
])
def test_took_place_said_after_the_rating_is_that_answer_not_what_was_learned(
        body: str, subject: str, learned: str) -> None:
    got = _read(body, subject)
    assert _picked(got, {"took_place": True, "learned": learned}) == {
        "took_place": True, "learned": learned}


@pytest.mark.parametrize(("body", "subject"), [
    ("Mes réponses :\n- oui\n- 5\n- le publipostage\n- les étiquettes\n- un vrai courrier",
     _SESSION_FR),
    ("Answers:\n• yes\n• 5\n• mail merge\n• labels\n• a real letter", _SESSION_EN),
])
def test_answers_typed_as_a_bulleted_list_answer_in_order_without_their_bullets(
        body: str, subject: str) -> None:
    got = _read(body, subject)
    assert got["took_place"] is True and got["rating"] == 5
    assert not any(str(got[k]).startswith(("-", "•"))
                   for k in ("learned", "to_develop", "next_focus"))
    assert got["next_focus"] in ("un vrai courrier", "a real letter")
