"""Accuracy of reply reading over the regression corpus (replies/*.eml beside this file,
expected.json), the replies written by people who knew the parser.

Each message has the fields `binome reply parse --json` prints; expected.json says
what a careful person reads in it (see tests/conversation/replies/README.md for the
conventions). Every field must be right on at least 95% of the messages where it is
set (expected or read), as issue #14 counts. Run with `-s` to see the table.
"""

from __future__ import annotations

from pathlib import Path

from corpus import FIELDS, load, parsed, score

CORPUS = Path(__file__).parent / "replies"
TARGET = 0.95


def test_every_message_has_expectations() -> None:
    expected = load(CORPUS)
    assert sorted(p.stem for p in CORPUS.glob("*.eml")) == sorted(expected)
    assert all(sorted(e) == sorted(FIELDS) for e in expected.values())


def test_accuracy_per_field() -> None:
    result = score(CORPUS, parsed)
    print(f"reply corpus: {result.messages} messages\n{result.table()}")
    assert all(result.share(name) >= TARGET for name in FIELDS), result.table()
