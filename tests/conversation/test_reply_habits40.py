"""Habits of real writers met in the sixty-sixth and sixty-seventh blind corpora (issue
#14, round 40), each tested in other words than the corpora's, in French and English: a
rule must hit a phrasing no corpus holds, and the words around it that mean something
else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.ratings import find_rating

_OBJECTIVES_FR = "Re: Atelier · séance 5 avec Léa Martin : jeudi 21 janvier 2027 à 14:00"


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Texted: "peu" for "peut"; the day of the month our subject names.
    ("chui pas la le 21 on peu zapper celle la", _OBJECTIVES_FR, "skip", False),
    # ... another day of the month: which session is asked back.
    ("chui pas la le 28 on peut zapper celle la", _OBJECTIVES_FR, "skip", True),
    # The future: "on pourra sauter".
    ("Oui, 4.\nEt on pourra sauter la séance du 3, je suis en stage ce jour-là.",
     SESSION_FR, "skip", False),
    # The list of words, asked with a typo.
    ("c'est quoi les mot pour repondre deja ?", "question", "help", False),
    # Whether a form ever came, asked: a resend, asked back.
    ("Did we ever receive the survey for the March session? I can't see it.", "survey",
     "resend", True),
    # Stand-by, two words between the verb and it.
    ("Merci de mettre notre binôme en stand-by jusqu'au 2 mars.", "Binôme", "pause", False),
    # "j'arrête" typed without its apostrophe, doubted.
    ("jsais pas trop, le boulot me deborde, ptet que jarrete", SESSION_FR, "stop", True),
])
def test_commands_40(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_maybe_longer_keeps_a_dated_pause_sure() -> None:
    _expect(read("en arret jusqu au 20 ptet plus, suspendez les mails svp", "mails"),
            {"command": "pause", "confirm": False})


@pytest.mark.parametrize(("body", "want"), [
    # One item set out as a list under its number: the mark is layout...
    ("1. Yes\n2. 4\n3. Learned:\n   - Reading a cash-flow plan\n4. To develop:\n"
     "   • Chasing invoices", {"learned": "Reading a cash-flow plan",
                               "to_develop": "Chasing invoices"}),
    # ... two items keep theirs, which tell them apart.
    ("1. Oui\n2. 4\n3. Acquis :\n   a) le prévisionnel ;\n   b) les relances.\n"
     "4. À développer : la paie", {"learned": "a) le prévisionnel ; b) les relances."}),
    # A formal writer's "Concernant ... :", "S'agissant des ... :".
    ("Oui, 4.\nConcernant mes apprentissages : la lecture d'un bilan.\n"
     "S'agissant des points à développer : la délégation.",
     {"learned": "la lecture d'un bilan.", "to_develop": "la délégation."}),
    ("Oui, 3.\nS'agissant de ce qu'il reste à travailler : les plannings.",
     {"to_develop": "les plannings."}),
    # Franglais labels.
    ("Oui, 5.\nÀ challenger encore : mon reporting.\nNext step pour la prochaine séance : "
     "les OKR.", {"to_develop": "mon reporting.", "next_focus": "les OKR."}),
    # "Still need:" as a label, and "a developpé :" typed.
    ("Yes, 4.\nLearned: the grain bill\nStill need: the water profile",
     {"learned": "the grain bill", "to_develop": "the water profile"}),
    ("oui 4\nappris : le tirage\na developpé : le dosage", {"to_develop": "le dosage"}),
    # A form's heads: done, and a mark out of ten.
    ("REALISEE : OUI\nEVALUATION (SUR 10) : 6\nACQUIS : les tournées",
     {"took_place": True, "rating": 3}),
    ("Tenue : oui\nScore (out of 10): 10", {"took_place": True, "rating": 5}),
    # "still" between "I'd" and "like".
    ("Yes it happened, 4. We went over the rota. I'd still like to work on my handovers.",
     {"to_develop": "I'd still like to work on my handovers."}),
])
def test_habits_40(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_a_number_word_with_one_star_and_a_half_star() -> None:
    assert find_rating("je mets trois ⭐ car on a fini tôt").value == 3
    assert find_rating("I'd give it two ⭐").value == 2
    half = find_rating("★★★★½")
    assert half.value is None and half.unclear
    assert find_rating("★★★★").value == 4


# Round 41 (tuned on blind68/69)

_OBJECTIVES_EN = "Re: Atelier · session 6 with Sam Reid: Thursday 14 January 2027 at 10:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # "le 3 ..." opening the reply is no quote header, a blank line below it.
    ("le 21 je peux pas, on peut sauter celle la ?\n\nLe mer. 20 janv. 2027 à 11:00, "
     "Binôme <b@x.fr> a écrit :\n> Bonjour", _OBJECTIVES_FR, "skip", False),
    # Only that one, by its adverb; by its date, then "one".
    ("Merci d'annuler seulement cette séance, les autres restent.", _OBJECTIVES_FR, "skip",
     False),
    ("Yes, 4. Skip the 28 January one please, I'm on a course.", SESSION_EN, "skip", False),
    # Whether one has to, asked: asked back.
    ("Je pars en congé en mars, faut-il que je mette en pause ou c'est automatique ?",
     SESSION_FR, "pause", True),
    # How, with when: the pause, asked back; how alone is help.
    ("how do we pause it? we're both away from the 3rd til the end of april", SESSION_EN,
     "pause", True),
    ("how do we pause it?", SESSION_EN, "help", False),
    # On hold rather than leave: no stop; picking it up later: no resume now.
    ("Could we put this on hold rather than leave the programme? I'd like to pick it back "
     "up after the summer.", SESSION_EN, "pause", False),
    ("Is there a way to put this on hold rather than leave the programme?", SESSION_EN,
     "pause", True),
    # The loss hedged, not the ask.
    ("I think I deleted the survey by mistake, could you send it again?", "survey",
     "resend", False),
])
def test_commands_41(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_coming_back_now_is_a_sure_resume() -> None:
    _expect(read("I'm back from leave, please start sending me the emails again.", "Back"),
            {"command": "resume", "confirm": False})


@pytest.mark.parametrize(("body", "want"), [
    # One mark under our copied question is layout.
    ("Did the session take place? (yes / no)\n- yes\nYour rating, from 1 to 5:\n- 4\n"
     "What did you learn?\n- Reading an X-ray\nWhat do you still want to develop?\n"
     "- Dosing", {"learned": "Reading an X-ray", "to_develop": "Dosing"}),
    # "Encore :" in a hurry.
    ("Oui 3. Appris : les sutures. Encore : les nœuds.", {"to_develop": "les nœuds."}),
    # Why it did not happen, in the mark's place: no mark to ask back.
    ("no; she was ill; n/a; n/a; n/a", {"took_place": False, "rating_unclear": False}),
    # A Scot's no.
    ("naw didnae happen, she was off sick", {"took_place": False}),
])
def test_habits_41(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


# Round 42 (tuned on blind71; blind70 held out)

_QUESTIONNAIRE_EN = "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]"


def test_answers_typed_after_our_subject() -> None:
    got = read("See subject", f"{_QUESTIONNAIRE_EN} - yes / 3 / the scanner / stock "
                              "counts / the night rota")
    _expect(got, {"kind": "questionnaire", "took_place": True, "rating": 3,
                  "learned": "the scanner"})
    got = read("", f"{_QUESTIONNAIRE_EN} 4, yes, pallet wrapping, forklift, loading bay")
    _expect(got, {"rating": 4, "took_place": True, "learned": "pallet wrapping",
                  "to_develop": "forklift", "next_focus": "loading bay"})


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Typed after our objectives subject, its hour no move.
    ("", _OBJECTIVES_EN + " (Europe/London) cancel this one, site visit", "skip", False),
    # Now, then please.
    ("Home early from the course, happy to resume now please.", "Re: pause recorded",
     "resume", False),
    # "Thursday's" then a word to us, never a thing of that day.
    ("Skip Thursday's please mate, I'm on nights.", _OBJECTIVES_EN, "skip", False),
    # Doubting, texted, over short lines.
    ("jsais pas si jvais continuer\ntrop de boulot\non verra", SESSION_FR, "stop", True),
])
def test_commands_42(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_skipping_thursdays_site_visit_is_no_command() -> None:
    assert read("Skip Thursday's site visit, it's moved.", _OBJECTIVES_EN)["command"] is None


@pytest.mark.parametrize(("body", "want"), [
    ("Yes it went ahead, 2-3 depending on how you count the fire drill.",
     {"rating": None, "rating_unclear": True}),
    ("it happened 2-3 times this term, always useful", {"rating_unclear": False}),
    ("oui\n4 merci karim 👍\nles sangles", {"rating": 4, "learned": "les sangles"}),
])
def test_habits_42(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)
