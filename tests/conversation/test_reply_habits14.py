"""Habits of real writers met in the fourteenth and fifteenth blind corpora (issue #14),
each tested here in other words than the corpora's, in French and English: a rule must
hit a phrasing no corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals

_OBJECTIVES_FR = "RE: Atelier · séance 4 avec Paul Roy : jeudi 10 décembre 2026 à 14:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Spoken French without "ne"; the programme by another of its names.
    ("oui 4\njveux plus recevoir les mails apres decembre svp", None, "stop", False),
    # ... for as long as something lasts: no date, so asked back.
    ("Est-ce qu'on pourrait mettre le binôme en pause le temps du salon ?", None, "pause",
     True),
    # Formal English: withdrawn from it.
    ("For personal reasons I must ask to be withdrawn from the mentoring programme.", None,
     "stop", False),
    # Wondering, in other words.
    ("Je me demande si je ne vais pas arrêter le mentorat après les fêtes.", None, "stop",
     True),
    ("Might have to drop out after the audit, not decided yet.", None, "stop", True),
    ("Perhaps it is better if we skip the next session, I may be travelling.", None, "skip",
     True),
    # Skipping a session named by its day: in that session's thread, sure.
    ("Pas dispo, on annule celle-là.", _OBJECTIVES_FR, "skip", False),
    ("On peut sauter celle de jeudi ? Inventaire.", _OBJECTIVES_FR, "skip", False),
    ("hey can u skip my session on monday, doctor", None, "skip", True),
])
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    got = read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


@pytest.mark.parametrize("body", [
    # The command refused later in the sentence; a negation without "ne".
    "Yes, 4. I meant to ask to pause for March but no need to pause after all.",
    "Elle a pas eu lieu. Mais je veux surtout pas arrêter le mentorat, c'est utile.",
    # Someone else's absence explains the missed session.
    "Pas eu lieu, Julie en arrêt maladie.",
    "No, my mentor is on sick leave this week.",
])
def test_no_command_in(body: str) -> None:
    assert _read_any(body)["command"] is None


@pytest.mark.parametrize("body", ["Suis en arrêt maladie jusqu'au 15.",
                                  "Currently on sick leave, sorry.",
                                  "Pas eu lieu, je suis en arrêt maladie."])
def test_the_writer_s_own_absence_is_still_asked_back_as_a_pause(body: str) -> None:
    got = _read_any(body)
    assert (got["command"], got["confirm"]) == ("pause", True)


@pytest.mark.parametrize(("body", "rating"), [
    ("Oui 3 relances clients dans Sage", 3),
    ("yes 4 tbh, we ran late", 4),
    ("Voir mon mail d'avant. 2 cette fois.", 2),
    ("Much the same. Yes and 5.", 5),
    ("The last one was a 4, the role play helped.", 4),
    ("c'était bien, 3, j'ai compris les écarts", 3),
])
def test_ratings(body: str, rating: int) -> None:
    assert _read_any(body)["rating"] == rating


@pytest.mark.parametrize("body", ["yes 2 hours late", "Oui 3 fois de suite"])
def test_a_count_after_the_yes_is_no_rating(body: str) -> None:
    assert _read_any(body)["rating"] is None


def test_a_rating_typed_in_our_subject() -> None:
    got = read("Oui.\nLes TCD.", "Re: Atelier · comment s'est passée la séance 3 ? "
                                 "[B-1a2b3c4d5e6f] — 3/5")
    assert (got["rating"], got["took_place"], got["learned"]) == (3, True, "Les TCD.")
    got = read("Yes.\nForecasts.", "rating 4 — Atelier · how did session 3 go? [B-1a2b3c4d5e6f]")
    assert got["rating"] == 4


@pytest.mark.parametrize(("body", "held"), [
    ("Much the same. Yes and 3.", True),
    ("happened but short, 4", True),
    ("Bonjour oui 3/5 on a revu le budget", True),
    ("Yes 4 but honestly I'm swamped, maybe I need a break from the programme?", True),
])
def test_whether_it_took_place(body: str, held: bool) -> None:
    assert _read_any(body)["took_place"] is held


def test_a_session_that_did_not_take_place_taught_nothing() -> None:
    got = _read_any("Non, Paul était malade.\nOn la refait mardi.")
    assert (got["took_place"], got["learned"]) == (False, None)


def test_three_answers_in_one_line_set_apart_by_commas() -> None:
    got = _read_any("yes, 4, learned how to split a budget line, still need to work on "
                    "forecasts, next time cash flow")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (
        "learned how to split a budget line", "still need to work on forecasts",
        "next time cash flow")


def test_a_closing_remark_under_the_goals_is_no_goal() -> None:
    assert read_goals("Préparer un budget prévisionnel complet pour le prochain exercice "
                      "comptable.\nLire un bilan.\n\nC'est déjà pas mal !") == [
        "Préparer un budget prévisionnel complet pour le prochain exercice comptable.",
        "Lire un bilan."]
