"""Reading levels and renewal answers, in French and English, as people write them."""

from __future__ import annotations

import pytest

from agent.conversation.replies.levels import read_levels
from agent.conversation.replies.renewal import read_choice


@pytest.mark.parametrize("text, levels, rest", [
    ("Excel : 3", {"Excel": 3}, ""),
    ("SQL 2/5\nexcel: 4 sur 5", {"SQL": 2, "Excel": 4}, ""),
    ("Comptabilite : niveau 2", {"Comptabilité": 2}, ""),
    ("Python: débutant; SQL - expert", {"Python": 1, "SQL": 5}, ""),
    ("- Excel: intermediate", {"Excel": 3}, ""),
    ("1. Faire un TCD\nExcel : 2", {"Excel": 2}, "1. Faire un TCD"),
    # Not levels: our own blank line, a number beyond the scale, a goal mentioning one.
    ("Excel : ", {}, "Excel : "),
    ("Excel : 7", {}, "Excel : 7"),
    ("Excel 8/10", {}, "Excel 8/10"),
    ("Excel pour 2 équipes", {}, "Excel pour 2 équipes"),
    ("Le SQL, 3 fois par semaine", {}, "Le SQL, 3 fois par semaine"),
    ("> Excel : 3", {}, "> Excel : 3"),  # quoted: what we wrote, not what they did
])
def test_levels_are_read_for_the_skills_asked_only(
    text: str, levels: dict[str, int], rest: str
) -> None:
    found, left = read_levels(text, ["Excel", "SQL", "Python", "Comptabilité"])
    assert found == levels
    assert left == rest


@pytest.mark.parametrize("text, choice", [
    ("Renouvellement : continuer\n\nExcel : 3", "continue"),
    ("Renouvellement : changer", "change"),
    ("Renouvellement : arrêter", "stop"),
    ("Renewal: continue", "continue"),
    ("Renewal: change", "change"),
    ("Renewal: stop", "stop"),
    ("Je continue avec plaisir !", "continue"),
    ("Oui, on continue", "continue"),
    ("Je préférerais changer de binôme", "change"),
    ("Pas de changement, on continue", "continue"),
    ("Je ne souhaite pas continuer", "stop"),
    ("Je ne continue pas, merci", "stop"),
    ("I'd like a new partner please", "change"),
    ("I don't want to continue", "stop"),
    ("Happy to carry on!", "continue"),
    ("Merci !", None),
    ("", None),
])
def test_the_renewal_answer_in_french_and_english(text: str, choice: str | None) -> None:
    assert read_choice(text) == choice
