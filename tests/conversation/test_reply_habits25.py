"""Habits of real writers met in the thirty-sixth and thirty-seventh blind corpora (issue
#14, round 25), each tested here in other words than the corpora's, in French and
English: a rule must hit a phrasing no corpus holds, never one message, and the words
around it that mean something else must stay unread."""

from __future__ import annotations

from datetime import date

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.dates import find_date
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.markdown import unmarked


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


_OBJECTIVES_EN = "Re: Atelier · session 4 with Sam Reid: Wednesday 2 December 2026 at 10:00"

_COMMANDS_25 = [
    # A break made small ("a wee break", "a short break"), wondered about: asked back.
    ("Maybe I should take a little break from this until the audit is done?", SESSION_EN,
     "pause", True),
    # A session named by what happens then, with its weekday and date: that one, sure.
    ("Could you skip the one on stocktake day (Tuesday 15th)? I'm counting all day.",
     SESSION_EN, "skip", False),
    # Leaving said as a decision, in the first person.
    ("Mon CDD se termine fin janvier, donc je quitte le programme. Merci à tous.", SESSION_FR,
     "stop", False),
    ("My secondment is over, so I'll be leaving the mentoring at the end of the month.",
     SESSION_EN, "stop", False),
    # Stopping after this cycle, with a doubt and a dash.
    ("I might have to stop after this cycle – the merger eats all my time.", SESSION_EN,
     "stop", True),
    # "Do skip": insisted on, in the thread of that session.
    ("Ha, no. But do skip Wednesday's session, I'm at the vet.", _OBJECTIVES_EN, "skip",
     False),
]


_NO_COMMAND = [
    "Yes, 4. I took a little break from the slides and we did the numbers instead.",
    "Oui, 4. Il quitte le bureau à 17h, donc on fait ça tôt.",
    "Yes, 5. Do stop by the lab if you want to see the new rig.",
    # the writer resending something (round 28)
    "Yes, 4. I'll resend Sam my notes before Friday.",
    "Oui, 4. Je vais renvoyer le fichier à Léa ce soir.",
]


@pytest.mark.parametrize("body", _NO_COMMAND)
def test_no_command_in(body: str) -> None:
    assert _read_any(body)["command"] is None


@pytest.mark.parametrize(("text", "day"), [
    ("skip the one on Tuesday 15th", date(2026, 12, 15)),
    ("on saute celle de mardi 15 ?", date(2026, 12, 15)),
    ("friday the 8th", date(2027, 1, 8)),  # December 8th is a Tuesday: the next such Friday
    ("lundi 16h", None),  # an hour, no day
    ("Monday 10 am", None),
])
def test_a_weekday_and_its_date_name_one_day(text: str, day: date | None) -> None:
    assert find_date(text, date(2026, 12, 1)) == day


def test_markdown_marks_are_layout() -> None:
    assert unmarked("* **learned** rebasing\n```\nnext:   tests\n```\nRating: **") == \
        "* learned: rebasing\nnext:   tests\nRating: **"
    assert unmarked("**Appris** : X and __init__") == "Appris : X and __init__"


def test_answers_in_bold_headed_bullets() -> None:
    got = _read_any("Short version:\n\n- **took place** yes\n- **rating** 4\n"
                    "- **learned** how the cache warms up\n- **develop** reading flame graphs\n"
                    "- **next** the load test together\n")
    _expect(got, {"rating": 4, "took_place": True,
                        "learned": "how the cache warms up",
                        "to_develop": "reading flame graphs",
                        "next_focus": "the load test together"})


@pytest.mark.parametrize(("body", "want"), [
    # answers pasted between Markdown fences
    ("```\nheld:     yes\nrating:   4\nlearned:  how to read a query plan\n"
     "next:     indexes on the orders table\n```\n",
     {"learned": "how to read a query plan", "next_focus": "indexes on the orders table"}),
    # an abbreviation's stop inside a labelled answer (round 27)
    ("Yes, 4. Learned: templates. Develop: governance, e.g. who signs off. Next: the audit.",
     {"to_develop": "governance, e.g. who signs off.", "next_focus": "the audit."}),
])
def test_labelled_answers_laid_out_otherwise(body: str, want: dict[str, str]) -> None:
    _expect(_read_any(body), want)


def test_a_goal_in_bold_keeps_only_its_words() -> None:
    got = read("1. **Run the Monday stand-up**\n2. Write the release notes",
               "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]")
    assert (got["kind"], got["goals"]) == ("goals", ["Run the Monday stand-up",
                                                     "Write the release notes"])


@pytest.mark.parametrize(("body", "rating", "learned"), [
    # The rest of the rating's line is a remark when three answer lines follow it.
    ("Yes it happened. ★★★★☆, would happily do it again.\n\n"
     "How to set up the alerts on the cold room.\n"
     "I still need to practise the audit trail.\n"
     "Next time: the HACCP binder.", 4, "How to set up the alerts on the cold room."),
    ("Oui c'était top, 5 sur 5 sans hésiter !\n\n"
     "Comment on monte un devis de tournée.\n"
     "Il faut que je bosse les relances clients.\n"
     "La prochaine fois on prépare le salon.", 5, "Comment on monte un devis de tournée."),
])
def test_a_remark_after_the_rating_above_three_answers(body: str, rating: int,
                                                       learned: str) -> None:
    got = _read_any(body)
    assert (got["rating"], got["learned"]) == (rating, learned)


def test_yes_a_mark_then_three_sentences_on_one_line() -> None:
    got = _read_any("Oui, 4. Le réglage des fours à sole. Je veux encore comprendre la "
                    "pousse lente. Sur quoi ? Les viennoiseries du dimanche.")
    _expect(got, {"learned": "Le réglage des fours à sole.",
                        "to_develop": "Je veux encore comprendre la pousse lente.",
                        "next_focus": "Les viennoiseries du dimanche."})


def test_why_the_mark_lost_a_point_answers_nothing() -> None:
    got = _read_any("done, I'd say 4, she docked a point for my handwriting.")
    assert (got["rating"], got["learned"]) == (4, None)


def test_what_leads_up_to_the_rating_on_its_line_is_said_of_it() -> None:
    got = _read_any("Firstly, yes, the session did take place.\n\nSecondly, as for a rating, "
                    "it was honestly very useful. So four out of five.\n\nThirdly, what I "
                    "learned: how to chair a case review.")
    _expect(got, {"took_place": True, "rating": 4,
                        "learned": "how to chair a case review."})


@pytest.mark.parametrize(("body", "held"), [
    ("Not happened, the client came in early.", False),
    ("Non, pas de séance... tout le monde était en inventaire.", False),
    ("The session on Monday did take place; I'd rate it 3.", True),
    ("ye 3\nthe new label printer", True),
])
def test_whether_it_took_place(body: str, held: bool) -> None:
    assert _read_any(body)["took_place"] is held


def test_ye_is_a_yes_only_before_a_mark() -> None:
    assert _read_any("Ye did great work on the rota, thanks.")["took_place"] is None


def test_a_good_session_on_a_subject_is_what_was_learned() -> None:
    got = _read_any("Yes, 4/5.\n\nGood session on the fire drill paperwork.\n"
                    "I still need to get quicker at the checklists.")
    _expect(got, {"learned": "Good session on the fire drill paperwork.",
                        "to_develop": "I still need to get quicker at the checklists."})


@pytest.mark.parametrize("level", ["photoshop2 3", "Negotiation: 2, maybe 3 on a good day"])
def test_a_level_line_is_no_goal(level: str) -> None:
    assert read_goals(f"Lead the Friday review\nBuild my first budget\n{level}") == [
        "Lead the Friday review", "Build my first budget"]


def test_an_away_message_that_reads_its_mail_irregularly() -> None:
    got = _read_any("Bonjour,\nJe suis en déplacement et ne consulte mes courriels que de "
                    "façon irrégulière.\nCordialement")
    assert got["kind"] == "auto_reply"


# -- round 26, on the thirty-eighth and thirty-ninth blind corpora -------------------------
_INTRO_EN = "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]"
_ASK_FR = "RE: Atelier · confirmez-vous ? [B-1a2b3c4d5e6f]"

_COMMANDS_26 = [
    ("Also, any way to get the survey for last week's session again? I binned it.",
     SESSION_EN, "resend", False),
    ("honestly maybe we should pause? flat out with the tender until April", SESSION_EN,
     "pause", True),
    ("SAUTER la prochaine svp, je suis en formation.", SESSION_FR, "skip", False),
    ("I keep wondering whether to quit mentoring altogether, no time for it.", SESSION_EN,
     "stop", True),
    ("1. Read a site survey\n2. Price a small job\nfirst one I'm at a wedding, skip that one",
     _INTRO_EN, "skip", False),
    ("Je crois pouvoir reprendre début mars, à confirmer.", SESSION_FR, "resume", True),
    ("non non ! je voulais seulement annuler la séance de lundi, pas tout arrêter", _ASK_FR,
     "skip", True),
    ("contrat fini vendredi, vous pouvez m enlever de la liste merci", SESSION_FR, "stop",
     False),
    ("c koi les commandes deja", SESSION_FR, "help", False),
    ("I may have to miss the next session, the auditors are in. I'll confirm Monday.",
     SESSION_EN, "skip", True),
    ("la prochaine séance (le 17) je suis de nuit, je finis à 6h, vous pouvez la passer.",
     SESSION_FR, "skip", False),
]


@pytest.mark.parametrize("body", [
    "Yes, 4. Next time can Priya resend the slides from the workshop, I lost mine.",
    "Oui, 3. Tu peux me renvoyer le fichier des plannings ?",
    "Reprendre svp",  # to the introduction: a command, and no goal
])
def test_no_resend_of_a_partner_s_file_and_no_goal_from_a_command(body: str) -> None:
    got = read(body, _INTRO_EN if body.startswith("Reprendre") else SESSION_EN)
    assert got["command"] != "resend" and got["goals"] == []


@pytest.mark.parametrize(("body", "held"), [
    ("not happend, the bus broke down", False),
    ("pas pu venir jétais au dentiste", False),
])
def test_it_did_not_take_place_26(body: str, held: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["took_place"]) == ("questionnaire", held)


def test_a_half_mark_with_a_reason_in_brackets_is_unclear() -> None:
    got = _read_any("3.5 (the projector died twice)\nyes it happened\nhow to bake the mesh")
    assert (got["rating"], got["rating_unclear"]) == (None, True)


@pytest.mark.parametrize("shrug", ["sais pas", "dunno", "aucune idée"])
def test_a_shrug_answers_nothing(shrug: str) -> None:
    got = _read_any(f"oui\n4\nle moulage\nla vitesse\n{shrug}")
    assert (got["to_develop"], got["next_focus"]) == ("la vitesse", None)


def test_we_ll_see_next_time_is_no_focus() -> None:
    got = _read_any("Pas eu lieu, panne en cave.\nOn verra la prochaine fois.\nPatrice V.")
    assert (got["took_place"], got["next_focus"], got["to_develop"]) == (False, None, None)
    got = _read_any("Oui, 4. On verra ça la prochaine fois avec les chiffres du mois.")
    assert got["next_focus"] == "On verra ça la prochaine fois avec les chiffres du mois."


def test_an_emoji_ends_a_sentence_in_a_run_on_line() -> None:
    got = _read_any("yes, 4. learned to check the tyres first. need to work on the "
                    "paperwork, always late 🙈 next time the coach inspection")
    assert got["next_focus"] == "next time the coach inspection"


# -- round 27, on the fortieth and forty-first blind corpora --------------------------------
_OBJECTIVES_FR = "RE: Atelier · séance 5 avec Léa Roux : jeudi 14 janvier 2027 à 10:00"


def test_a_command_taken_back_by_the_next_sentence() -> None:
    got = read("Stop emailing me please.\nJust kidding. But do pause them until the 20th of "
               "January, I'm trekking.", SESSION_EN)
    assert (got["command"], got["confirm"]) == ("pause", False)
    assert read("Arrêtez de m'envoyer ces mails. Je plaisante !", SESSION_FR)["command"] is None


def test_a_skip_naming_the_day_of_the_month() -> None:
    got = read("tu peux sauter le 14 ? je suis en déplacement", _OBJECTIVES_FR)
    assert (got["kind"], got["command"]) == ("command", "skip")
    assert read("Oui, 4. On a fini le 14 à 17h.", SESSION_FR)["command"] is None


def test_five_bare_numbers_on_one_line() -> None:
    got = _read_any("1 yes 2 3 3 pivot tables 4 lookups 5 the monthly report")
    _expect(got, {"took_place": True, "rating": 3, "learned": "pivot tables",
                        "to_develop": "lookups", "next_focus": "the monthly report"})


def test_a_yes_without_its_verb_after_the_rating() -> None:
    got = _read_any("Note : 4\nOui eu lieu\nles tableaux croisés\nles macros")
    _expect(got, {"took_place": True, "rating": 4, "learned": "les tableaux croisés",
                        "to_develop": "les macros"})


def test_initials_under_the_last_inline_answer() -> None:
    from agent.conversation.replies.signed import unsigned
    assert unsigned("Finir le devis ensemble.\nJ. P.", ()) == "Finir le devis ensemble."
    assert unsigned("Finir le devis avec J. P.", ()) == "Finir le devis avec J. P."


def test_never_getting_something_else_is_no_resend() -> None:
    assert _read_any("Yes, 4. I can never get the figures out of the system in time.")[
        "command"] is None
    got = read("I never got the questionnaire for last week, can you send it?", SESSION_EN)
    assert got["command"] == "resend"


def test_stops_said_aloud_to_a_phone() -> None:
    got = _read_any("oui la séance a eu lieu je mets quatre point j'ai appris à régler le "
                    "rétroviseur point je dois encore travailler les créneaux point merci")
    assert (got["rating"], got["learned"], got["to_develop"]) == (
        4, "j'ai appris à régler le rétroviseur", "je dois encore travailler les créneaux")
    assert _read_any("Oui, 4. On a fait le point sur les plannings et un point paie.")[
        "learned"] == "On a fait le point sur les plannings et un point paie."


@pytest.mark.parametrize(("body", "learned", "develop"), [
    ("yes 4\nlearnt how to change a wheel, wanna get better at the torque settings",
     "learnt how to change a wheel", "wanna get better at the torque settings"),
    ("oui 4\njai appris a faire le plein, jveux encore progresser sur les papiers",
     "jai appris a faire le plein", "jveux encore progresser sur les papiers"),
    ("Oui, 4. Elle a appris à doser le frein, elle tourne encore trop large.",
     "Elle a appris à doser le frein", "elle tourne encore trop large."),
])
def test_what_is_left_after_a_comma(body: str, learned: str, develop: str) -> None:
    got = _read_any(body)
    assert (got["learned"], got["to_develop"]) == (learned, develop)


def test_a_relative_clause_goes_on_with_its_answer() -> None:
    got = _read_any("Oui, 4.\nJ'aimerais encore progresser sur la TVA, que je confonds "
                    "toujours un peu.")
    assert got["to_develop"] == ("J'aimerais encore progresser sur la TVA, que je confonds "
                                 "toujours un peu.")


# -- round 28, on the forty-second and forty-third blind corpora ----------------------------
_COMMANDS_28 = [
    ("Je me demande, sincèrement, si je ne devrais pas faire une pause d'ici février.",
     SESSION_FR, "pause", True),
    ("je ne serai sans doute pas là jeudi, je ne sais pas s'il faut l'annuler ?",
     _OBJECTIVES_FR, "skip", True),
    ("Merci de ne plus m'envoyer de questionnaires pour le moment, c'est l'inventaire.",
     SESSION_FR, "pause", True),
    ("What were the magic words again? Pause, stop, something like that?", SESSION_EN,
     "help", False),
]


def test_a_german_phone_footer_is_no_answer() -> None:
    got = _read_any("Yes, 4.\n\nOutlook für iOS herunterladen<https://aka.ms/o0ukef>")
    assert (got["rating"], got["learned"]) == (4, None)


@pytest.mark.parametrize("verdict", ["would mentor again", "would recommend", "à refaire"])
def test_a_review_s_verdict_after_the_mark_is_no_answer(verdict: str) -> None:
    got = _read_any(f"Took place. 9/10, {verdict}.\nHow to read a control chart.")
    assert (got["rating"], got["learned"]) == (5, "How to read a control chart.")


def test_goals_between_spaced_slashes() -> None:
    assert read_goals("goals - read a CSV file / plot a chart / present it on Friday") == [
        "read a CSV file", "plot a chart", "present it on Friday"]
    assert read_goals("Faire un budget jours/homme sans aide") == [
        "Faire un budget jours/homme sans aide"]


# -- every round's commands, tested together ------------------------------------------------
@pytest.mark.parametrize(("body", "subject", "name", "confirm"),
                         _COMMANDS_25 + _COMMANDS_26 + _COMMANDS_28)
def test_commands(body: str, subject: str, name: str, confirm: bool) -> None:
    got = read(body, subject)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)
