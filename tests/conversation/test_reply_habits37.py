"""Habits of real writers met in the sixtieth and later blind corpora (issue #14, round 37
on), each tested here in other words than the corpora's, in French and English: a rule
must hit a phrasing no corpus holds, never one message, and the words around it that
mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.ratings import find_rating

_OBJECTIVES_FR = "TR: Atelier · séance 4 avec Léa Martin : mardi 12 janvier 2027 à 10:00"


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


# Round 37 (tuned on blind60/61)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Leaving the firm and the programme in one breath.
    ("Je rejoins un cabinet à Metz en mars, je quitte donc le cabinet et le mentorat.",
     "Départ", "stop", False),
    ("I'm leaving the practice and the mentoring at the end of the month.", "Leaving",
     "stop", False),
    ("Please take me out of the programme, I'm moving to the Glasgow team.", "Mentoring",
     "stop", False),
    ("Could you withdraw me from the mentoring as of next month?", "Mentoring", "stop",
     False),
    # Wondering, in spoken French without its "ne", and the reason after it.
    ("je me demande si je devrais pas arrêter vu que je change de poste", SESSION_FR, "stop",
     True),
    # Someone else's participation, or their session, asked by an assistant.
    ("On behalf of Ms Reid: please pause her participation until 8 February.", "Mentoring",
     "pause", False),
    ("De la part de Maître Roux : merci d'annuler sa séance, il plaide ce jour-là.",
     _OBJECTIVES_FR, "skip", False),
    # A clerk's extra point, as a noun.
    ("1. Séance tenue : oui\n2. Note : 4/5\n6. Demande :\n   6.1 Suspension des envois "
     "jusqu'au 15 février", SESSION_FR, "pause", False),
    # The session, then the wish.
    ("C'est la séance du 21 que je voudrais rater, pas les autres.", "Séances", "skip",
     False),
])
def test_commands_37(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "subject"), [
    # No pause, so nothing to resume.
    ("No need to pause me, I'm back from paternity leave next week.", SESSION_EN),
    # What to do next time, numbered under our question.
    ("1. oui\n2. 4\n5. Prochaine séance :\n   5.1 Reprendre le programme prévu", SESSION_FR),
])
def test_no_command_37(body: str, subject: str) -> None:
    assert read(body, subject)["command"] is None


@pytest.mark.parametrize(("body", "want"), [
    # A template's sub-points under their question's number, never a rating's decimals.
    ("1. oui\n2. 4/5\n3. Acquis :\n   3.1 Les baux commerciaux\n   3.2 Le droit de préemption\n"
     "4. À développer :\n   4.1 Les servitudes",
     {"learned": "Les baux commerciaux Le droit de préemption", "to_develop": "Les servitudes"}),
    ("1. Yes\n2. 3.5 - good but short\n3. Leases", {"rating": None, "rating_unclear": True}),
    # Answers set apart by bars, the signature last.
    ("yes | 4 | the rigging plot | my radio calls | a full tech run | Sam",
     {"took_place": True, "rating": 4, "learned": "the rigging plot",
      "to_develop": "my radio calls", "next_focus": "a full tech run"}),
    # A sign-off typed on the last answer without its stop.
    ("Oui. 4. Prochaine fois : le budget du salon Bisous", {"next_focus": "le budget du salon"}),
    ("Oui, 4. Prochaine fois : les baux. Je reste à votre entière disposition.",
     {"next_focus": "les baux."}),
    # The session judged, not what was learned; judged, so it took place.
    ("4 étoiles\nBof, elle a dû écourter pour un client.", {"took_place": True,
                                                          "learned": None}),
    ("Rating: 3\nA bit rushed, the fire alarm went off halfway.",
     {"took_place": True, "learned": None}),
    # Our first question's number before its yes or no is no rating.
    ("1. Oui, enfin presque : on a commencé en retard", {"rating": None}),
    # All five on one line, numbered, bare.
    ("1 oui 2 4 3 les actes 4 les baux 5 la même chose", {
        "rating": 4, "learned": "les actes", "to_develop": "les baux",
        "next_focus": "la même chose"}),
])
def test_habits_37(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_our_scale_named_is_no_rating() -> None:
    assert find_rating("les boutons « 1/5 … 5/5 » ne marchent pas").found == ""
    assert find_rating("the 1/5 - 5/5 links did nothing").found == ""
    assert find_rating("happened yep 4").value == 4


def test_answers_typed_into_our_quote_with_a_comment_tag() -> None:
    body = ("Answers below.\n\nFrom: Binôme <binome@atelier.example>\n"
            "Subject: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]\n\n"
            "1. Did the session take place? (yes / no) [Sam Reid] Yes\n"
            "2. Your rating, from 1 to 5: [Sam Reid] 4\n"
            "3. What did you learn? [Sam Reid] The ticketing flow\n")
    _expect(read(body, SESSION_EN), {"took_place": True, "rating": 4,
                                     "learned": "The ticketing flow"})


# Round 38 (tuned on blind62/63)

_OBJECTIVES_EN = "Re: Atelier · session 6 with Sam Reid: Thursday 14 January 2027 at 10:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # The command in the subject, the body only a signature.
    ("-- \nNadia Roux\nAccueil – Piscine Mallarmé", "Pause jusqu'au 2 septembre", "pause",
     False),
    # Unsure whether to pause, asked back, never read as "not".
    ("Not sure if we should pause over the exams or skip one or two, what do you think?",
     SESSION_EN, "pause", True),
    # "might have to skip??" in a session's thread.
    ("inspection that day 😬 might have to skip? will let you know", _OBJECTIVES_EN, "skip",
     True),
    # "n ai" typed without its apostrophe.
    ("je n ai pas recu le questionnaire de mardi, vous pouvez le renvoyer ?", "questionnaire",
     "resend", False),
])
def test_commands_38(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "want"), [
    # A mark dictated right after the verdict, then the next answer.
    ("oui très bonne séance trois on a vu les plannings d'été la prochaine fois on fait "
     "les fiches de poste et voilà", {"rating": 3, "took_place": True}),
    ("yes great session four we went through the rota for the summer and next time the "
     "lifeguard checks", {"rating": 4}),
    # A half said in the middle of a dictated line.
    ("bonne séance même si on a commencé en retard je mets deux et demi à cause de ça on a "
     "vu les devis", {"rating": None, "rating_unclear": True}),
    # A mark with an aside on it.
    ("oui\n3 (elle avait un rendez-vous juste après)\nles devis\nles relances\nla compta",
     {"rating": 3, "learned": "les devis", "to_develop": "les relances"}),
    ("Four, without a doubt.", {"rating": 4}),
    # "La séance n'a pu se tenir": the written negation.
    ("La séance n'a pu avoir lieu, Mme Roux étant en déplacement.", {"took_place": False}),
    # "Reste à travailler :" after a stop is one label.
    ("Séance faite. 4. Bonne séance. Reste à améliorer : les relances. Prochaine fois : la "
     "paie.", {"to_develop": "les relances."}),
])
def test_habits_38(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_the_writers_initials_before_answers_typed_into_our_quote() -> None:
    body = ("Answers inline (ZM).\n\nFrom: Binôme <binome@atelier.example>\n"
            "Subject: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]\n\n"
            "1. Did the session take place? (yes / no) ZM: Yes\n"
            "2. Your rating, from 1 to 5: ZM: 4\n"
            "3. What did you learn? ZM: Kerning pairs\n"
            "4. What do you still want to develop? SQL: joins\n")
    # Zoé Martin's initials go; "SQL:" is the answer's own
    _expect(read(body, SESSION_EN), {"took_place": True, "rating": 4,
                                     "learned": "Kerning pairs", "to_develop": "SQL: joins"})


# Round 39 (tuned on blind65)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # That session out of the calendar, in its thread.
    ("Vous pouvez la retirer de mon agenda ? Juste celle-ci.", _OBJECTIVES_FR, "skip", False),
    ("Could you take it out of my calendar? Only that one.", _OBJECTIVES_EN, "skip", False),
    # The keyword, then an emoji, then why.
    ("pause 🌴 congé parental jusqu'en juin", SESSION_FR, "pause", False),
    # Whether going on is wise, wondered.
    ("Je ne sais pas s'il est vraiment judicieux de continuer, je change de poste.",
     SESSION_FR, "stop", True),
    ("Not sure it's still worth it to keep going, I'm off to Leeds in April.", SESSION_EN,
     "stop", True),
])
def test_commands_39(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_going_on_with_a_skill_is_no_stop() -> None:
    assert read("Je ne sais pas si je vais continuer le tableur, c'est dur.", SESSION_FR)[
        "command"] is None


@pytest.mark.parametrize(("body", "want"), [
    ("2-3 le son coupait tout le temps", {"rating": None, "rating_unclear": True}),
    ("Yes, 4, so it was.", {"rating": 4}),
    ("yeah it happened 3 tom showed me the rota", {"rating": 3}),
    ("it happened 3 times this month, all good", {"rating": None}),
    ("Oui, 3. Séance bâclée avant les vacances.\nAppris : le collage.",
     {"learned": "le collage."}),
])
def test_habits_39(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


# After the last reading (blind66): a command's words taken back in the same sentence.

@pytest.mark.parametrize("body", [
    "Yes, 4. I did think about pausing over the audit but no, we're keeping on.",
    "Oui, 4. J'ai pensé à faire une pause pendant les fêtes, mais non, on continue.",
])
def test_a_command_taken_back_in_its_sentence(body: str) -> None:
    assert _read_any(body)["command"] is None


def test_a_no_that_opens_more_words_takes_nothing_back() -> None:
    _expect(read("Pause until March please, but no more reminders either.", "Mentoring"),
            {"command": "pause"})
