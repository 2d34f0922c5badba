"""The words of commands, the dates of "pause until", and ratings given in words."""

from __future__ import annotations

from datetime import date

import pytest

from agent.conversation.replies.answers import read_answers
from agent.conversation.replies.command import find_command
from agent.conversation.replies.dates import find_date, pause_until

WRITTEN = date(2026, 11, 27)


@pytest.mark.parametrize(("text", "expected"), [
    ("STOP", "stop"), ("Arrêter svp", "stop"), ("Pause", "pause"), ("PAUSE svp", "pause"),
    ("Reprendre", "resume"), ("resume please", "resume"),
    ("skip", "skip"), ("Skip the next session please", "skip"), ("SAUTER", "skip"),
    ("Passer la prochaine séance", "skip"), ("Annuler la prochaine séance", "skip"),
    ("cancel the next session", "skip"),
    ("help", "help"), ("Aide", "help"), ("?", "help"), ("??", "help"), ("HELP!", "help"),
    ("pause until 3 March", "pause"), ("pause jusqu'au 15 janvier", "pause"),
    ("Pause jusqu'à 2027-01-15 merci", "pause"), ("pause until 31 February", "pause"),
    # Sentences and labels are not commands.
    ("Pause café très utile avec Claire", None), ("Résumé : on a vu les tableaux", None),
    ("Passer en revue les objectifs était utile", None),
    ("Help me understand pivot tables next time", None),
    ("Annuler une réunion client m'a appris beaucoup", None),
    ("Note : 4", None), ("", None),
])
def test_commands_in_french_and_english(text: str, expected: str | None) -> None:
    found = find_command(text)
    assert (found.name if found else None) == expected


def test_an_empty_body_reads_the_subject_and_a_lone_question_mark_is_help() -> None:
    def name(text: str, subject: str, body: str = "") -> str | None:
        found = find_command(text, subject, body)
        return found.name if found else None

    assert name("", "RE: Réf : skip") == "skip"
    assert name("", "Re: Questionnaire [B-1a2b3c4d]") is None
    # Quote stripping keeps nothing of a "?" alone: the raw body says it.
    assert name("", "Re: séance 1", "?\n\n> Bonjour Nadia,") == "help"
    assert name("", "Re: séance 1", "\n> ?\n") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("pause until 3 March", date(2027, 3, 3)),
    ("pause until March 3rd, 2027", date(2027, 3, 3)),
    ("Pause till Dec 2", date(2026, 12, 2)),
    ("pause jusqu'au 15 janvier", date(2027, 1, 15)),
    ("PAUSE jusqu'au 1er mars 2027", date(2027, 3, 1)),
    ("pause jusqu'au 3 sept.", date(2027, 9, 3)),
    ("pause jusqu'au 2 févr.", date(2027, 2, 2)),
    ("pause jusqu'au 27 novembre", date(2026, 11, 27)),  # the same day: on or after
    ("pause until 2027-01-15", date(2027, 1, 15)),
    ("pause jusqu'au 15/01", date(2027, 1, 15)),  # day first
    ("pause jusqu'au 15/01/27", date(2027, 1, 15)),
    ("pause until 31 February", None),
    ("pause until next week", None),
    ("pause", None),
    ("pause jusqu'au mardi", None),
])
def test_pause_until_dates(text: str, expected: date | None) -> None:
    assert pause_until(text, WRITTEN) == expected


def test_a_date_without_a_year_needs_the_day_it_was_written() -> None:
    assert find_date("until 3 March", None) is None
    assert find_date("until 3 March 2027", None) == date(2027, 3, 3)
    assert find_date("until 3 March", date(2027, 3, 4)) == date(2028, 3, 3)


@pytest.mark.parametrize(("text", "expected"), [
    ("Note : bof", True), ("Rating: pretty good", True), ("* Note : moyen, sans plus", True),
    ("Note : 4", False), ("Note : quatre", False), ("Rating: 4/5", False),
    ("Merci, très bonne séance", False), ("Appris : rien", False), ("", False),
])
def test_a_rating_given_in_words(text: str, expected: bool) -> None:
    assert read_answers(text).rating_unclear is expected
