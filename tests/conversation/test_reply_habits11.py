"""Habits of real writers met in the eleventh blind corpus (issue #14), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read_in_its_language as _read_any


@pytest.mark.parametrize(("body", "field", "value"), [
    ("ya it happened\nid say 4\nsplitting a backlog", "rating", 4),
    ("Yes, it took place, 3 from me. Ana picked up the filters in no time.", "rating", 3),
    ("Yes, it took place, 3 from me. Ana picked up the filters in no time.", "learned",
     "Ana picked up the filters in no time."),
    ("Nice one today, 4/5.", "took_place", True),
    ("Yes. 4. Forecasts. Budgets. Budgets.", "learned", "Forecasts."),
    ("Yes. 4. Forecasts. Budgets. Budgets.", "next_focus", "Budgets."),
    ("Oui, elle a eu lieu. Note 3/5. On a parlé de la façon de recadrer un client.",
     "learned", "On a parlé de la façon de recadrer un client."),
    # Talking of something else is no answer.
    ("Oui. Note 2. On a parlé d'autre chose que prévu.", "learned", None),
    # What a rating's reason says after it is not cut into an answer.
    ("Oui. Je mets 5 car Paul avait préparé de vrais cas.\nCe que j'ai appris : garder mon "
     "calme.", "learned", "garder mon calme."),
])
def test_habits(body: str, field: str, value: object) -> None:
    assert _read_any(body)[field] == value
