"""Habits of real writers met in the seventieth blind corpus (issue #14, round 43), each
tested in other words than the corpus's, in French and English: a rule must hit a phrasing
no corpus holds, and the words around it that mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

_OBJECTIVES_EN = "Re: Atelier · session 6 with Sam Reid: Thursday 14 January 2027 at 10:00"


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


@pytest.mark.parametrize(("body", "want"), [
    # A mark "x sur 5" / "x out of 5" before the answer, typed on without a stop.
    ("bon 3 sur 5 jai compris les relances clients", {
        "rating": 3, "learned": "jai compris les relances clients"}),
    ("yes done, four out of five I learnt how to read the tide tables", {
        "rating": 4, "learned": "I learnt how to read the tide tables"}),
    # What is left, opening the sentence.
    ("Oui, 4. Reste à revoir les congés.", {
        "learned": None, "to_develop": "Reste à revoir les congés."}),
    ("Oui, 4. Prochaine fois : la paie. Reste les primes.", {
        "to_develop": "Reste les primes."}),
    # Nothing learned, without its "je n'ai".
    ("Oui, 2. Rien appris de neuf. À revoir : les devis.", {
        "learned": "Rien appris de neuf.", "to_develop": "les devis."}),
    # A rating label, then sentences: a later one that names what was learned answers it.
    ("Note : 4. On a manqué de temps pour tout. Rien appris de vraiment nouveau cette fois.",
     {"rating": 4, "learned": "Rien appris de vraiment nouveau cette fois."}),
    # The sentence after the mark, above a later label, is what was learned ...
    ("Yes - 4! We finally wired the second fuse board.\nStill to develop: load testing.", {
        "learned": "We finally wired the second fuse board.", "to_develop": "load testing."}),
    # ... never why the session went as it did.
    ("Yes - 2. Not Priya's fault, the van broke down.\nNext: the audit.", {
        "learned": None, "next_focus": "the audit."}),
])
def test_habits_43(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_a_run_on_second_answer_starts_at_faudra_not_inside_a_relative() -> None:
    got = _read_any("oui 4 on a appris à faire les devis faudra encore bosser les relances")
    _expect(got, {"learned": "on a appris à faire les devis",
                  "to_develop": "faudra encore bosser les relances"})


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # The mentoring session, named so.
    ("Please cancel the mentoring session on Thursday 14 January, I'm at a funeral.",
     _OBJECTIVES_EN, "skip", False),
    # "Is there any way": whether it can be done, asked back.
    ("Is there any way to skip the mentoring session on 14 January?", _OBJECTIVES_EN,
     "skip", True),
    # How, dictated without its "?": the list; with when, the pause asked back.
    ("how do I pause this again", SESSION_EN, "help", False),
    ("how do I pause this again we have the open day and the audit all next week",
     SESSION_EN, "pause", True),
    # "stop these" for a time: a pause.
    ("Could you stop these until April? I'm on secondment.", SESSION_EN, "pause", False),
    # Next Tuesday names one day.
    ("Yes, 4. Can we skip next Tuesday too? Stocktake.", SESSION_EN, "skip", False),
])
def test_commands_43(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_stopping_these_alone_stays_unread() -> None:
    assert read("Can you stop these? The boxes I mean, they keep falling.")["command"] is None


_INTRO_EN = "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]"


def test_goals_below_a_zimbra_quote_of_the_introduction() -> None:
    body = ("----- Original Message -----\nFrom: \"Binôme · Atelier\" <binome@atelier.fr>\n"
            "To: \"Zoé Martin\" <zoe.martin@acme.fr>\nSent: Monday, 7 September, 2026 "
            "07:00:00\nSubject: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]\n\n"
            "Hello Zoé,\n\nYou are paired with Sam Reid until 18 December 2026; your role: "
            "mentee.\n\nTo pause, reply PAUSE; to stop, reply STOP. To resume after a pause, "
            "reply RESUME.\n\n--\nAtelier · questions: hr@atelier.fr\n\nDear Sam,\n\n"
            "My aims are:\n(i) run the payroll on my own;\n(ii) close the month in three "
            "days\n\nRegards,\nZoé Martin")
    _expect(read(body, _INTRO_EN), {"kind": "goals", "goals": [
        "run the payroll on my own", "close the month in three days"]})


def test_a_label_borrowing_our_words_below_the_quote_is_the_persons() -> None:
    body = ("On Mon, 9 Nov 2026 at 10:00, Binôme · Atelier <binome@atelier.fr> wrote:\n"
            "> How did session #3 go?\n> 4. What do you still want to develop?\n>\n"
            "Yes, 4.\nLearnt: reading the levels.\nStill want to develop: mixing.\n"
            "Next: the recording.")
    _expect(read(body), {"learned": "reading the levels.", "to_develop": "mixing.",
                         "next_focus": "the recording."})


def test_a_forward_saying_see_below_with_a_new_subject_answers_nothing() -> None:
    body = ("Who books the meeting room for our sessions? All full, see below.\n\n"
            "---------- Forwarded message ---------\nFrom: Facilities <fac@acme.fr>\n"
            "Subject: Room booking\n\nAll rooms are taken on Tuesdays.")
    assert read(body, "Fwd: Room booking")["kind"] == "unknown"


# Round 44 (tuned on blind72)

_OBJECTIVES_FR = "RE: Atelier · séance 5 avec Léa Martin : jeudi 21 janvier 2027 à 14:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Decided, in capitals, in the session's thread.
    ("ON SAUTE CELLE-CI, INVENTAIRE.", _OBJECTIVES_FR, "skip", False),
    # A stop wondered about, because the partner leaves.
    ("Lea is leaving in March so I guess I should quit too?", SESSION_EN, "stop", True),
    # The list of words, "even" in the way.
    ("what can I even reply to these?", SESSION_EN, "help", False),
    # Whether one is still paused: a resume, asked back.
    ("am I still on pause? I think I am back now", SESSION_EN, "resume", True),
    ("Bonjour, suis-je toujours en pause ? Je suis rentrée.", SESSION_FR, "resume", True),
    # A day of the month, in a new mail: one session.
    ("Could we skip the 23rd? Dentist.", "23rd", "skip", False),
    ("on peut sauter le 9 ? je suis en formation", "le 9", "skip", False),
    # STOP for a while: a pause, asked back.
    ("STOP the mails for 3 weeks please, moving house", "House move", "pause", True),
])
def test_commands_44(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_skipping_the_first_ten_minutes_is_no_command() -> None:
    assert read("Can we skip the 10 minutes of small talk next time?", "Hi")["command"] is None


@pytest.mark.parametrize(("body", "want"), [
    # Marks in words: an adjective before "from me", "outta", how sure after it.
    ("Yes it went ahead, a good three from me.", {"rating": 3}),
    ("eight outta ten, we did the till", {"rating": 4}),
    ("Lovely session! Four, easily.", {"rating": 4}),
    ("Yes. This time: a two, we ran late.", {"rating": 2}),
    # What was learned right after the mark, without a subject.
    ("4!!! learnt the rota app next time the safe", {
        "learned": "learnt the rota app", "next_focus": "next time the safe"}),
    ("⭐⭐⭐ learned to laminate by hand", {"learned": "learned to laminate by hand"}),
    ("yes 5 learnt the float test need to get faster at shaping", {
        "learned": "learnt the float test", "to_develop": "need to get faster at shaping"}),
    # What is left, named after "still need".
    ("Yes, 4. We did the rota. Still need the stock sheet, it is a mess.", {
        "to_develop": "Still need the stock sheet, it is a mess."}),
    # No time for the rest: a remark, never what is left to develop.
    ("Oui, 4. Appris le tourage. Pas eu le temps de voir la suite.", {
        "learned": "Appris le tourage.", "to_develop": None}),
])
def test_habits_44(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_texted_goals_between_a_greeting_and_levels() -> None:
    got = read("hey 👋 goals r bake a decent rye and not burn the focaccia 🔥 rye 1 focaccia 2",
               "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]")
    _expect(got, {"kind": "goals", "goals": ["bake a decent rye", "not burn the focaccia 🔥"]})
    got = read("slt, monter une mayo et tenir le poste froid voila. niveau cuisine 2 patisserie 1",
               "Re: Atelier · votre mentorat avec Sam Reid [B-1a2b3c4d5e6f]")
    _expect(got, {"kind": "goals", "goals": ["monter une mayo", "tenir le poste froid"]})


# Stop 33's review: the rule that makes a stop for a time a pause is one helper, shared by
# the keyword and the sentence, so a span said after the keyword counts as it does in a
# sentence.

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("STOP pendant la quinzaine, je déménage", "Déménagement", "pause", True),
    ("STOP for a bit, swamped with the audit", "Audit", "pause", True),
    ("Please stop the emails for that stretch, I'm on the night rota", "Rota", "pause", True),
    # Leaving, with no time said: the stop itself.
    ("STOP, I'm leaving the company at the end of the month", "Leaving", "stop", False),
    ("STOP, je quitte l'entreprise", "Départ", "stop", False),
])
def test_a_stop_for_a_time_is_a_pause_asked_back(body: str, subject: str, name: str,
                                                 confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})
