"""Habits of real writers met in the seventy-fifth blind corpus (issue #14, round 45), each
tested in other words than the corpus's, in French and English: a rule must hit a phrasing
no corpus holds, and the words around it that mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read

_INTRO_EN = "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]"


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


@pytest.mark.parametrize(("body", "subject", "want"), [
    # Keywords named as words, in a question about the others: the list, not a pause ("les
    # autres mots-clés": the others, asked).
    ("I've seen PAUSE and STOP at the bottom, but what are the other commands?", "Words",
     {"command": "help", "confirm": False}),
    ("Je connais STOP et PAUSE ; quels sont les autres mots-clés ?", "Mots-clés",
     {"command": "help", "confirm": False}),
    # A hedge on the question itself, not on what it asks.
    ("Probably a silly question, but which words can I reply with?", "Words",
     {"command": "help", "confirm": False}),
    ("C'est sans doute une question bête, mais quelles sont les commandes ?", "Commandes",
     {"command": "help", "confirm": False}),
    # Put on pause, said as a Briton asks.
    ("Pop me on pause till the 20th of March ta, stocktake", "Stocktake",
     {"command": "pause", "confirm": False}),
    # A keyword pressed by mistake, then the one meant: the one meant.
    ("Oops, hit STOP by accident earlier. RESUME please", "Oops",
     {"command": "resume", "confirm": False}),
    ("J'ai cliqué sur STOP par erreur ce matin. REPRENDRE svp", "Erreur",
     {"command": "resume", "confirm": False}),
    # "ye" / "youse" for "you", as Scots and Liverpudlians write it.
    ("could ye skip the next session, I'm at the mart", "Mart",
     {"command": "skip", "confirm": False}),
    # A day's session asked off with a please, without the verb.
    ("On sera à l'inventaire, donc pas de séance jeudi 12 svp.", "Inventaire",
     {"command": "skip", "confirm": False}),
    # ... never a loss said in another clause, which is why a resend is asked.
    ("could you send me the questionnaire again, binned it by mistake", "form",
     {"command": "resend", "confirm": False}),
])
def test_commands_45(body: str, subject: str, want: dict[str, object]) -> None:
    _expect(read(body, subject), {"kind": "command", **want})


@pytest.mark.parametrize(("body", "subject", "want"), [
    # A command's words as what was learned: no command.
    ("Yes, 4. Learnt how to pause a pipeline run without losing its state.", SESSION_EN,
     {"command": None, "learned": "Learnt how to pause a pipeline run without losing its state.",
      "rating": 4}),
    ("Oui, 5. J'ai appris à renvoyer une facture rejetée sans la ressaisir.", SESSION_FR,
     {"command": None, "rating": 5,
      "learned": "J'ai appris à renvoyer une facture rejetée sans la ressaisir."}),
    # A two-column Markdown table of questions and answers.
    ("| Question | Answer |\n|---|---|\n| Took place | yes |\n| Rating | 3 |\n"
     "| Learned | reading the load charts |\n| To develop | rigging plans |\n"
     "| Next time | the crane checklist |", SESSION_EN,
     {"took_place": True, "rating": 3, "learned": "reading the load charts",
      "to_develop": "rigging plans", "next_focus": "the crane checklist"}),
    ("| Question | Réponse |\n| --- | --- |\n| Eu lieu | oui |\n| Note | 5 |\n"
     "| Appris | le lettrage des comptes |", SESSION_FR,
     {"took_place": True, "rating": 5, "learned": "le lettrage des comptes"}),
    # All five answers numbered "N)" on one long line without a stop.
    ("1) yes 2) 3 3) how the returns portal flags a damaged parcel 4) the carrier claims "
     "5) go through the whole claims form with a real example from last week", SESSION_EN,
     {"took_place": True, "rating": 3,
      "learned": "how the returns portal flags a damaged parcel",
      "to_develop": "the carrier claims",
      "next_focus": "go through the whole claims form with a real example from last week"}),
    # The mark, an emoji, then what was learned: the emoji ends the sentence.
    ("Great 4/5 🎉 Learnt the keyboard shortcuts for the till", SESSION_EN,
     {"rating": 4, "learned": "Learnt the keyboard shortcuts for the till"}),
    ("Super 5/5 ✅ On a enfin compris le rapprochement bancaire", SESSION_FR,
     {"rating": 5, "learned": "On a enfin compris le rapprochement bancaire"}),
])
def test_habits_45(body: str, subject: str, want: dict[str, object]) -> None:
    _expect(read(body, subject), want)


def test_two_capitals_that_are_not_the_writers_initials_answer() -> None:
    """One word per line in order: "QA" is the last answer, not Zoé Martin's initials;
    "ZM" is her signature."""
    got = read("yes\n4\nfixtures\nflaky tests\nQA", SESSION_EN)
    assert picked(got, {"next_focus": "", "to_develop": ""}) == {
        "next_focus": "QA", "to_develop": "flaky tests"}
    signed = read("yes\n4\nfixtures\nflaky tests\nthe QA rota\nZM", SESSION_EN)
    assert signed["next_focus"] == "the QA rota"


def test_no_session_on_a_day_said_without_asking_is_no_command() -> None:
    """"Pas de séance mardi, c'est férié": what the writer knows, not a request."""
    assert read("Pas de séance mardi, c'est férié.", SESSION_FR)["command"] is None
    assert read("No session on Monday anyway, it's a bank holiday.", SESSION_EN)["command"] is None


@pytest.mark.parametrize(("body", "subject", "rating"), [
    # How sure of the mark, closing its sentence: one list of such words for a mark alone
    # on its line and a mark opening a sentence.
    ("Yeah it went ahead, proper useful. 4 easy.\nLearnt the new till codes", SESSION_EN, 4),
    ("Oui c'était bien. 5 facile.\nOn a vu les retours clients", SESSION_FR, 5),
])
def test_a_mark_and_how_sure_of_it(body: str, subject: str, rating: int) -> None:
    assert read(body, subject)["rating"] == rating


# Round 45, third step: tuned on blind77 (blind76 held out).

@pytest.mark.parametrize(("body", "subject", "want"), [
    # The French keyword in capitals, under the answers, with why in brackets.
    ("Oui, 3.\nAppris : le rapprochement.\n\nSAUTER la prochaine (inventaire annuel).",
     SESSION_FR, {"kind": "command", "command": "skip", "confirm": False, "rating": 3}),
    # Ending it, in a Yorkshireman's words and hedged: a stop asked back ...
    ("Might have to knock the mentoring on the head, the shop's heaving till Easter.",
     "Shop", {"kind": "command", "command": "stop", "confirm": True}),
    # ... and for a few weeks, a pause asked back.
    ("Could knock it on the head for a few weeks? Stocktake.", "Stocktake",
     {"kind": "command", "command": "pause", "confirm": True}),
    # "Lever le pied", conjugated, for a while: a pause asked back.
    ("Je me demande si je ne devrais pas lever un peu le pied avec le programme pendant"
     " les soldes.", "Soldes", {"kind": "command", "command": "pause", "confirm": True}),
    # The question's words as the answer.
    ("Eu lieu. 5.\nOn a vu les fixations.", SESSION_FR,
     {"took_place": True, "rating": 5, "learned": "On a vu les fixations."}),
])
def test_habits_45_blind77(body: str, subject: str, want: dict[str, object]) -> None:
    _expect(read(body, subject), want)
