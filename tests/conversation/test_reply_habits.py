"""Habits of real writers met in the second blind corpus (blind2/), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest

from agent.conversation.replies.parse import parse_reply


def _read(body: str, subject: str = "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]",
          sender: str = "Zoé Martin <zoe@acme.fr>") -> dict[str, object]:
    raw = (f"From: {sender}\r\nSubject: {subject}\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")
    return parse_reply(raw.encode()).understood()


@pytest.mark.parametrize(("body", "want"), [
    # A mark on another scale is converted and rounded half up; a half of ours is asked.
    ("Yes, it was really useful, 7/10.", {"rating": 4, "rating_unclear": False}),
    ("Oui, je dirais 3 sur 10, trop théorique.", {"rating": 2, "rating_unclear": False}),
    ("Oui ! 19/20", {"rating": 5, "took_place": True}),
    ("Oui, 2,5/5 cette fois.", {"rating": None, "rating_unclear": True}),
    # A range inside a sentence.
    ("It took place. I'd put it between 2 and 3, too short.",
     {"rating": None, "rating_unclear": True}),
    ("Oui. Je mettrais quelque part entre 4 et 5.", {"rating": None, "rating_unclear": True}),
    ("On se voit entre 3 et 4 h jeudi.", {"rating": None, "rating_unclear": False}),
    # A sentence that opens with the mark.
    ("Frankly a 2. The room was taken and we lost half the hour.", {"rating": 2}),
    ("Franchement un 5 ! Super échange.", {"rating": 5}),
    ("Un 4 pour moi.", {"rating": 4}),
    ("A lot to take in, but useful.", {"rating": None}),
])
def test_ratings_written_in_prose(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want
