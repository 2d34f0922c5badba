"""The third and fourth blind corpora (blind3/README.md, blind4/README.md): replies written
by two more people who never read the parser, measured before anyone tuned on them.

`blind3/dev` may be tuned on; `blind3/heldout` and `blind4` are only measured. Each keeps
a floor per field at its last reading, so a change to the parser never reads them worse;
the 95% target of issue #14 is printed with `-s` and is not met yet (the READMEs say
where it falls short).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import FIELDS, NOTES, load, parsed, score

HERE = Path(__file__).parent

# Fields read right, per corpus, at the reading written in its README (after #14's
# second round). Fields missing here were never set on either side: they count 0.
FLOORS = {
    "blind3/dev": {"kind": 75, "rating": 30, "took_place": 30, "learned": 27, "to_develop": 10,
                   "next_focus": 10, "goals": 11, "command": 11, "confirm": 1},
    "blind3/heldout": {"kind": 74, "rating": 43, "took_place": 43, "learned": 41,
                       "to_develop": 21, "next_focus": 22, "goals": 8, "command": 13,
                       "rating_unclear": 3, "confirm": 2},
    "blind4": {"kind": 124, "rating": 68, "took_place": 67, "learned": 58, "to_develop": 54,
               "next_focus": 55, "goals": 6, "command": 21, "rating_unclear": 3, "confirm": 2},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_message_has_expectations(name: str) -> None:
    folder = HERE / name
    expected = load(folder)
    assert sorted(p.stem for p in folder.glob("*.eml")) == sorted(expected)
    assert all(sorted(e) == sorted(FIELDS + NOTES) for e in expected.values())


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_field_reads_worse_than_its_floor(name: str) -> None:
    result = score(HERE / name, parsed)
    print(f"{name}: {result.messages} messages\n{result.table()}")
    floor = FLOORS[name]
    assert set(floor) <= set(FIELDS)
    assert {f: result.right[f] >= floor.get(f, 0) for f in FIELDS} == dict.fromkeys(
        FIELDS, True), result.table()
