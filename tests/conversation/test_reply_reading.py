"""What a reply means: unclear ratings, stars, inline answers, bottom posts, kinds."""

from __future__ import annotations

import pytest

from agent.conversation.replies.align import align
from agent.conversation.replies.intent import replying_to
from agent.conversation.replies.ours import template_ours
from agent.conversation.replies.parse import parse_reply
from agent.conversation.replies.quotes import strip_quotes


def _reply(text: str, subject: str = "Re: Questionnaire [B-1a2b3c4d]") -> dict[str, object]:
    raw = (f"From: a@b.fr\r\nSubject: {subject}\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n")
    return parse_reply(raw.encode()).understood()


@pytest.mark.parametrize(("text", "rating", "unclear"), [
    ("Note : bof", None, True), ("Rating: pretty good", None, True),
    ("Note : 7/10, bien", 4, False), ("7 sur 10", 4, False), ("Rating: 10/10", 5, False),
    ("Je donne 13/20", 3, False), ("9 out of 10!", 5, False), ("0/10", None, True),
    ("3.5/5 - rushed", None, True), ("3,5 sur 5", None, True), ("Note :", None, False),
    ("Note : 4", 4, False), ("★★★★☆", 4, False), ("★★★★★ – brilliant", 5, False),
    ("****\nTrès bien", 4, False), ("Rating: **", 2, False), ("I'd give it a 4.", 4, False),
    ("Je mettrais un 4, c’était clair", 4, False), ("I'd rate it 3", 3, False),
    ("On se revoit le 8/10 à 10:00", None, False), ("Prochaine étape le 15/10.", None, False),
    ("Le 15/10/2026 on reprend", None, False), ("Merci !", None, False),
])
def test_ratings_and_unclear_ratings(text: str, rating: int | None, unclear: bool) -> None:
    got = _reply(text)
    assert (got["rating"], got["rating_unclear"]) == (rating, unclear)


@pytest.mark.parametrize(("text", "took_place"), [
    ("Yes - 4 stars.", True), ("Désolée pour le retard ! Oui, 5/5.", True),
    ("We had to cancel, I was ill.", False), ("On a dû annuler.", False),
    ("No problem at all, 4/5", None), ("Yes it did. Solid session.", True),
])
def test_took_place(text: str, took_place: bool | None) -> None:
    assert _reply(text)["took_place"] is took_place


def test_sentences_that_name_their_question() -> None:
    got = _reply("Oui. J'ai appris à lire un bilan. La prochaine fois, les stocks.\nMerci")
    assert got["learned"] == "J'ai appris à lire un bilan."
    assert got["next_focus"] == "La prochaine fois, les stocks."
    # "Nothing learned" is what was learned, as the blind writers answer it (round 43)
    assert _reply("Rien appris de neuf.")["learned"] == "Rien appris de neuf."
    assert _reply("Les stocks, rien à signaler.")["learned"] is None


def test_answers_typed_under_each_quoted_question() -> None:
    body = ("Réponses dans le texte.\n\nLe jeu. 8 oct. 2026 à 10:00, X <x@y.fr> a écrit :\n"
            "> Bonjour,\n>\n> 1. La séance a-t-elle eu lieu ? (oui / non)\n\nOui\n\n"
            "> 2. Votre note, de 1 à 5 :\n>\n4\n> 3. Qu'avez-vous appris ?\nLes macros\n"
            "sur deux lignes\n> 4. Que souhaitez-vous encore développer ?\n"
            "> 5. Sur quoi vous concentrer la prochaine fois ?\n>\n> --\n> réf.\n\nZoé\n")
    assert align(body, template_ours()).answers == {
        "held": "Oui", "rating": "4", "learned": "Les macros sur deux lignes"}
    got = _reply(body)
    assert (got["took_place"], got["rating"], got["learned"], got["to_develop"]) == (
        True, 4, "Les macros sur deux lignes", None)


def test_numbered_answers_end_at_a_blank_line() -> None:
    got = _reply("1 - yes\n2 - 3\n3 - Journeys\n4 - Interviews\n5 - Synthesis\n\nSam")
    assert (got["rating"], got["next_focus"]) == (3, "Synthesis")
    got = _reply("1. Did the session take place?\n\nYes\n\n3. What did you learn?\n\nSQL")
    assert (got["took_place"], got["learned"]) == (True, "SQL")


def test_a_line_under_a_quoted_line_that_is_no_question_of_ours_answers_nothing() -> None:
    aligned = align("> 1. Did it take place?\nYes\n> 2. Rating\n> 3. Learned\n", template_ours())
    assert aligned.answers == {} and aligned.text == "Yes"


def test_a_bottom_posted_reply_keeps_what_follows_the_quote() -> None:
    body = ("Le 08/10/2026 à 10:00, Binôme a écrit :\n> Bonjour,\n> 2. Votre note :\n>\n\n"
            "Oui, très concret. Note : 5\n")
    assert strip_quotes(body) == "Oui, très concret. Note : 5"
    assert strip_quotes("Le 8 oct. 2026 à 10:00, X a écrit :\nNote : 5\n") != ""


@pytest.mark.parametrize(("subject", "body", "want"), [
    ("Re: Acme · votre mentorat avec Marc [B-1]", "", "intro"),
    ("Re: Acme · your learning pair with Sam [B-1]", "", "intro"),
    ("RE : Acme · comment s'est passée la séance 2 ? [B-1]", "", "questionnaire"),
    ("Questionnaire [B-1]", "Note : 4", "questionnaire"),
    ("Re: hello", "> Your goals: reply with up to three things\n> un court questionnaire", "intro"),
    ("Re: hello", "> 2. Votre note, de 1 à 5 :", "questionnaire"),
    ("Re: hello", "Merci", ""),
])
def test_what_a_reply_answers(subject: str, body: str, want: str) -> None:
    assert replying_to(subject, body) == want


def test_kinds_and_what_each_keeps() -> None:
    intro = "Re: Acme · votre mentorat avec Marc [B-1]"
    assert _reply("1. Lire un bilan\n2. Faire un budget", intro)["goals"] == [
        "Lire un bilan", "Faire un budget"]
    assert _reply("1. Lire un bilan", intro)["rating"] is None  # goals carry no rating
    assert _reply("Merci, à jeudi !", intro)["kind"] == "unknown"  # no goal, no level
    assert _reply("Merci !", "Re: hello")["kind"] == "unknown"
    assert _reply("Oui, 4/5", "Re: hello")["kind"] == "questionnaire"
    stop = _reply("STOP")
    assert (stop["kind"], stop["command"], stop["rating"]) == ("command", "stop", None)
    auto = parse_reply(b"From: a@b.fr\r\nSubject: Out of Office: x\r\n\r\nNote : 4\r\n")
    assert auto.understood()["kind"] == "auto_reply" and auto.understood()["rating"] is None
