"""Accuracy on the blind corpus: replies to our real mails written by someone who never
read the parser (tests/conversation/blind/README.md).

`dev/` is the half the parser was tuned on, `heldout/` the half it was only measured
on. Both must reach 95% on every field, counted as issue #14 counts (where the
expected or the read value is set); `-s` prints the table and the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import FIELDS, NOTES, load, parsed, score

BLIND = Path(__file__).parent / "blind"
TARGET = 0.95


@pytest.mark.parametrize("half", ["dev", "heldout"])
def test_every_message_has_expectations(half: str) -> None:
    expected = load(BLIND / half)
    assert sorted(p.stem for p in (BLIND / half).glob("*.eml")) == sorted(expected)
    assert all(sorted(e) == sorted(FIELDS + NOTES) for e in expected.values())


@pytest.mark.parametrize("half", ["dev", "heldout"])
def test_accuracy_per_field(half: str) -> None:
    result = score(BLIND / half, parsed)
    print(f"blind corpus, {half}: {result.messages} messages\n{result.table()}")
    assert all(result.share(name) >= TARGET for name in FIELDS), result.table()


# The second corpus's first, blind reading (blind2/README.md): a floor per field, so a
# change to the parser never reads it worse. The target stays 95%, which it does not meet.
BLIND2_FIRST = {"kind": 110, "rating": 59, "took_place": 55, "learned": 33, "to_develop": 26,
                "next_focus": 26, "goals": 8, "command": 22, "rating_unclear": 3, "confirm": 4}
# The floor raised to the reading after the replies branch tuned on it (blind2/README.md):
# no longer blind, so a regression guard only.
BLIND2_TUNED = {"kind": 115, "rating": 65, "took_place": 58, "learned": 33, "to_develop": 30,
                "next_focus": 27, "goals": 8, "command": 27, "rating_unclear": 5, "confirm": 5}


def test_the_second_blind_corpus_keeps_its_first_reading() -> None:
    folder = Path(__file__).parent / "blind2"
    expected = load(folder)
    assert sorted(p.stem for p in folder.glob("*.eml")) == sorted(expected)
    result = score(folder, parsed)
    print(f"second blind corpus: {result.messages} messages\n{result.table()}")
    assert sorted(BLIND2_FIRST) == sorted(FIELDS) == sorted(BLIND2_TUNED)
    floor = {name: max(BLIND2_FIRST[name], BLIND2_TUNED[name]) for name in FIELDS}
    assert {name: result.right[name] >= floor[name] for name in FIELDS} == {
        name: True for name in FIELDS}, result.table()
