"""Habits of real writers met in the twenty-fourth to thirty-fifth blind corpora (issue
#14, rounds 19 to 24), each tested here in other words than the corpora's, in French and
English: a rule must hit a phrasing no corpus holds, never one message, and the words
around it that mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals

_HELD_19 = [
    # A no, then its reason, with nothing between them.
    ("nope Sam was off ill", False),
    ("non panne de réseau toute la matinée", False),
    ("La réunion n'a pas pu se tenir, salle occupée.", False),
    ("Pas pu, le client est arrivé plus tôt.", False),
    ("Sadly the session fell through, Marc was stuck on the ring road.", False),
    # A yes after the word for the session, or before what happened.
    ("Session yes. 4.", True),
    ("yes met, 3", True),
    # A change of plan, then that it happened all the same.
    ("Took place (moved to Friday, but we did meet). 4/5.", True),
]


@pytest.mark.parametrize("body", ["No worries, thanks for the reminder.",
                                  "Non merci, rien à ajouter.",
                                  "Il reporte les cotes sur le plan, j'ai appris ça."])
def test_no_answer_to_whether_it_took_place(body: str) -> None:
    assert _read_any(body)["took_place"] is not False


_RATINGS_19 = [
    ("Yes. Four this time, much better.", 4),
    ("Good session overall, so a three.", 3),
    ("It happened. Call it a 4.", 4),
    ("2 because we ran out of time.", 2),
    ("Oui. 3 parce que la visio a coupé.", 3),
    ("I'll give it a 5, best so far.", 5),
    ("Yes, session done; 5.", 5),
]


@pytest.mark.parametrize("body", [
    "Yes. I'll give it a go on my own next week.",
    "Oui. Je lui donne raison sur les délais.",
    "Oui. Ça mérite réflexion.",
    "Oui. Je lui donne un coup de main le lundi.",
    "Yes, went well. Two, maybe three people dropped in to listen.",
])
def test_no_rating_in(body: str) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (None, False)


def test_a_hesitation_between_two_marks_in_words_is_unclear() -> None:
    got = _read_any("Oui. Deux, peut-être trois : la moitié du temps à installer le logiciel.")
    assert (got["rating"], got["rating_unclear"]) == (None, True)


def test_a_list_s_ordinals_are_not_the_answer() -> None:
    got = _read_any("Yes, 4.\nFirstly, I learned how the stock count is reconciled.\n"
                    "Secondly, I'd like to get better at reading the variance report.\n"
                    "Thirdly, and lastly, next time we should do a count together.")
    assert picked(got, {"learned": "", "to_develop": "", "next_focus": ""}) == {
        "learned": "I learned how the stock count is reconciled.",
        "to_develop": "I'd like to get better at reading the variance report.",
        "next_focus": "next time we should do a count together."}


@pytest.mark.parametrize(("body", "sender"), [
    ("Oui, 4.\nLes relances fournisseurs.\n\nM.-C. D.", "Marie-Claire Dubois <mcd@acme.fr>"),
    ("Yes, 4.\nThe supplier reminders.\n\nJP Lawson", "Jean-Paul Lawson <jpl@acme.co.uk>"),
])
def test_a_name_signed_in_initials_is_no_answer(body: str, sender: str) -> None:
    got = _read_any(body, sender)
    assert (got["to_develop"], got["next_focus"]) == (None, None)


def test_what_comes_next_named_in_a_few_words() -> None:
    got = _read_any("Yes, 4. The ledger finally clicked. Payroll next, wish me luck.")
    assert (got["learned"], got["next_focus"]) == ("The ledger finally clicked.",
                                                   "Payroll next, wish me luck.")


def test_what_one_can_do_now_is_what_was_learned() -> None:
    got = _read_any("We met in the canteen. Rating: 4. I can now book a van without asking.")
    assert got["learned"] == "I can now book a van without asking."


def test_a_line_saying_it_took_place_answers_no_later_question() -> None:
    got = read("4 oui\n\non a fait la séance mais en vitesse, réunion juste après", SESSION_FR)
    assert (got["took_place"], got["rating"], got["learned"]) == (True, 4, None)


_COMMANDS_19 = [
    ("enlevez nous de la liste svp, on a changé de service", "stop", False),
    ("Probably best to end things for now, the new job is full on.", "stop", True),
    ("Je passe mon tour pour la prochaine séance, inventaire.", "skip", False),
    ("I'll sit this one out, sorry, on call that night.", "skip", True),
    ("Might need to stop for a couple of weeks, exams.", "pause", True),
    ("Je préfère qu'on arrête les envois quelque temps, si c'est possible.", "pause", True),
]


@pytest.mark.parametrize("body", ["Yes, 4. I told him to stop it with the jargon.",
                                  "Oui, 4. Stop it, you are making me blush."])
def test_stop_it_said_to_someone_is_no_command(body: str) -> None:
    assert _read_any(body)["command"] is None


# -- round 20, on the twenty-sixth and twenty-seventh blind corpora ------------------------
_RATINGS_20 = [
    ("Trois, pas plus, parce qu'on a commencé en retard.", 3),
    ("Oui. Note : un bon 3 sur 5.", 3),
    ("I'd say it was a four, really useful.", 4),
    ("Yes. Solid three, ran a bit long.", 3),
    ("Good chat today, 4 from me.", 4),
    ("Yes. I'd say 4 because the examples were real ones.", 4),
    ("yeah did it 3 we went over the rota", 3),
    ("Yes. Four outta five.", 4),
    ("It was grand – 5 from me.", 5),
    ("Yes, gd session 5", 5),
    ("Yes. I typed 3 but meant 5.", 5),
]


_HELD_20 = [
    ("on la pas fait, il était malade", False),
    ("Pas de séance cette semaine, elle était en congé.", False),
    ("N/A – meeting moved to Thursday.", False),
    ("Faite. 3/5.", True),
    ("Hiya yes, 4.", True),
]


def test_the_question_asked_back_up_to_a_colon_is_a_label() -> None:
    got = _read_any("Oui, 4.\nCe qu'elle a compris, je pense : les relances clients.\n"
                    "Ce qu'elle doit encore travailler : le ton au téléphone.")
    assert (got["learned"], got["to_develop"]) == ("les relances clients.", "le ton au téléphone.")
    whole = "Ce que j'aimerais encore travailler, c'est la synthèse : je m'y perds."
    assert _read_any(f"Oui, 4.\n{whole}")["to_develop"] == whole  # the answer before the colon


def test_what_a_mentor_says_their_learner_must_still_work_on() -> None:
    got = _read_any("Séance faite, je mets 4.\nIl faut qu'elle revoie les écritures de clôture.")
    assert got["to_develop"] == "Il faut qu'elle revoie les écritures de clôture."


def test_pour_la_suite_leads_into_what_comes_next() -> None:
    got = _read_any("Oui, 4.\nLes amortissements.\nPour la suite, on attaque les immobilisations.")
    assert got["next_focus"] == "on attaque les immobilisations."
    got = _read_any("Oui, 4.\nLes amortissements.\nPour la suite je sais pas, on verra.")
    assert got["next_focus"] is None


@pytest.mark.parametrize("last", ["Reporting next apparently.", "nxt time the van checks"])
def test_next_said_in_a_hurry(last: str) -> None:
    assert _read_any(f"Yes, 4.\nThe rota app.\n{last}")["next_focus"] == last


def test_nothing_to_report_is_no_answer() -> None:
    got = read("1. oui\n2. 4\n3. n/a (on a surtout pratiqué)\n4. RAS\n5. Le budget.", SESSION_FR)
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (None, None, "Le budget.")


def test_a_name_with_letters_after_it_is_a_signature() -> None:
    got = _read_any("Yes, 4.\nThe site diary.\n\nFiona Kerr MSc CEng\nSenior Engineer\n"
                    "Kerr & Partners Ltd", "Fiona Kerr <fk@kerr.co.uk>")
    assert (got["learned"], got["to_develop"], got["next_focus"]) == ("The site diary.", None, None)


def test_answers_between_dashes_after_an_apology() -> None:
    got = _read_any("Sorry! Yes - 4 - the diary - the snag list - the handover")
    assert picked(got, {"learned": "", "to_develop": "", "next_focus": ""}) == {
        "learned": "the diary", "to_develop": "the snag list", "next_focus": "the handover"}


def test_a_reason_s_word_before_what_was_learned() -> None:
    got = _read_any("Séance faite. Je mets ★★★★ parce que j'ai compris les rapprochements.")
    assert got["learned"] == "j'ai compris les rapprochements."


@pytest.mark.parametrize(("body", "goals"), [
    ("Cash flow forecasts, supplier terms, reading a balance sheet.",
     ["Cash flow forecasts", "supplier terms", "reading a balance sheet"]),
    ("Thanks, see you Monday, cheers.", []),
])
def test_goals_named_between_commas(body: str, goals: list[str]) -> None:
    assert read_goals(body) == goals


_COMMANDS_20 = [
    ("Sent from my iPhone", "Pause until 3 March", "pause", False),
    ("Envoyé de mon iPhone", "SAUTER", "skip", False),
    ("SKIP – dentist that morning.", "Re: Atelier · session 4 with Sam: Monday", "skip", False),
]


def test_stopping_for_this_season_said_with_a_doubt() -> None:
    got = _read_any("Je pense qu'il vaut mieux que j'arrête là pour cette saison.")
    assert (got["kind"], got["command"], got["confirm"]) == ("command", "stop", True)


# -- round 21, on the twenty-eighth and twenty-ninth blind corpora -------------------------
def test_answers_lettered_from_the_first_question() -> None:
    got = read("a) oui\nb) 16/20, bon allez 4\nc) Le tableau des absences.\ne) Les conseils "
               "de classe.", SESSION_FR)
    assert picked(got, {"took_place": 0, "rating": 0, "learned": "", "next_focus": ""}) == {
        "took_place": True, "rating": 4, "learned": "Le tableau des absences.",
        "next_focus": "Les conseils de classe."}


def test_answers_lettered_under_the_rating() -> None:
    got = _read_any("Yes, we met. Rating: 4.\n\na) Their timetable software.\nb) Parent "
                    "meetings.\nc) The exam calendar.")
    assert picked(got, {"rating": 0, "learned": "", "to_develop": "", "next_focus": ""}) == {
        "rating": 4, "learned": "Their timetable software.", "to_develop": "Parent meetings.",
        "next_focus": "The exam calendar."}


_RATINGS_21 = [
    ("Session yes, 4 because we finally had time.", 4),
    ("Yes. Id give it a 3 tbh, short one.", 3),
    ("Hello, yes we met. My rating is 5.", 5),
    ("It took place. I should say a three this time.", 3),
    ("I am pleased to confirm it took place. I should rate it four.", 4),
    ("Yes we met. I'd say 4 she's very patient.", 4),
    ("Yes the session happen. 3 from 5.", 3),
    ("yes 👍👍👍👍 the scanner finally makes sense", 4),
    ("OUI FAITE 5", 5),
]


def test_two_thumbs_are_no_rating() -> None:
    assert _read_any("👍👍 thanks, will do")["rating"] is None


def test_a_range_and_a_shrug_after_an_emoji_is_unclear() -> None:
    got = _read_any("Oui c fait 🙂 2-3 je sais pas, on a surtout parlé des plannings")
    assert (got["took_place"], got["rating"], got["rating_unclear"]) == (True, None, True)


_HELD_21 = [
    ("Nous avons dû reporter : panne de train.", False),
    ("Kindly note the session could not take place due to the stocktake.", False),
    ("Séance rattrapée jeudi, 4/5.", True),
    ("Held, 3/5. Useful on rotas.", True),
]


@pytest.mark.parametrize(("body", "learned"), [
    ("Yes, 4. Her rota template is a lifesaver.", "Her rota template is a lifesaver."),
    ("Oui, 5. Son tableau de suivi des retards est top.",
     "Son tableau de suivi des retards est top."),
    # ... but only on a line of its own: a later line answers on, and nothing is added
    ("Oui, 4. Rien à ajouter !", None),
])
def test_one_line_a_yes_a_mark_and_what_was_learned(body: str, learned: str | None) -> None:
    assert _read_any(body)["learned"] == learned


_COMMANDS_21 = [
    # (sure since round 43: "jeudi prochain" names one day, as five writers want it)
    ("oui 4 les plannings\nAu fait on skip jeudi prochain, je suis en formation", "skip", False),
    ("yes 4 - pls skip the one on tues 8th, dentist", "skip", True),
    ("Je fais comme ma binôme : PAUSE jusqu'au 2 février.", "pause", False),
    ("Je vous saurais gré de bien vouloir suspendre vos envois jusqu'au 5 janvier.", "pause",
     False),
    ("Mon binôme ayant quitté l'entreprise, je souhaite y mettre fin moi aussi.", "stop", False),
    ("Could you hold off on sending me anything until after the audit?", "pause", True),
    ("Please don't send me anything else until after Easter. Exams.", "pause", True),
    ("Also can you send me the list of what I can reply? I lost it.", "help", False),
]


def test_a_session_to_cancel_in_its_own_thread() -> None:
    got = read("Lundi 7 je suis en inventaire, cette séance est à annuler.",
               "RE: Atelier · séance 5 avec Léa Roux : lundi 7 décembre 2026 à 10:00")
    assert (got["kind"], got["command"], got["confirm"]) == ("command", "skip", False)


def test_a_stop_told_as_done_already_is_no_command() -> None:
    got = _read_any("The session did not take place, as I have withdrawn from the programme.")
    assert (got["kind"], got["command"], got["took_place"]) == ("questionnaire", None, False)


# -- round 22, on the thirtieth and thirty-first blind corpora -----------------------------
def test_answers_laid_out_with_emoji_bullets() -> None:
    got = read("✅ oui\n⭐ 4\n💡 Les plannings d'été.\n🎯 Les relances clients.", SESSION_FR)
    assert picked(got, {"took_place": 0, "rating": 0, "learned": "", "to_develop": ""}) == {
        "took_place": True, "rating": 4, "learned": "Les plannings d'été.",
        "to_develop": "Les relances clients."}
    got = read("✅ oui\n⭐⭐⭐\n💡 Les plannings d'été.", SESSION_FR)
    assert (got["rating"], got["learned"]) == (3, "Les plannings d'été.")


_RATINGS_22 = [
    ("Yes we met, a 3 nearly a 4.", 3),
    ("oui on l'a fait, 4 presque 5", 4),
    ("Yes; a solid 4. The stock take finally made sense.", 4),
]


@pytest.mark.parametrize(("body", "focus"), [
    ("Oui, 4.\nLes devis.\nLa suite des devis.", "La suite des devis."),
    ("Yes, 4.\nThe rota tool.\nSame again next week.", "Same again next week."),
    ("Yes, 4.\nThe rota tool.\nOpening checks again.", "Opening checks again."),
])
def test_what_goes_on_from_this_session_is_the_next_focus(body: str, focus: str) -> None:
    got = _read_any(body)
    assert (got["to_develop"], got["next_focus"]) == (None, focus)


_COMMANDS_22 = [
    ("Back from Crete, resume please!", SESSION_FR, "resume", False),
    ("Back at it, resume me please 💪", SESSION_FR, "resume", False),
    ("stp arrete de m'envoyer des questionnaires", SESSION_FR, "stop", False),
    ("Peut-être vaudrait-il mieux sauter la séance de jeudi prochain.", SESSION_FR, "skip",
     True),
    ("Can we skip the 6pm one on Friday? Late shift.",
     "Re: Atelier · session 4 with Sam: Friday 11 December 2026 at 18:00", "skip", False),
    ("je passe pour mardi, salon pro toute la journée",
     "RE: Atelier · séance 4 avec Léa : mardi 8 décembre 2026 à 10:00", "skip", False),
    ("je fais une pause dans le programme jusqu'au 3 mars, merci", SESSION_FR, "pause", False),
    ("can we park this till March? end of year rush", SESSION_FR, "pause", False),
    ("on met en stand-by jusqu'à février stp", SESSION_FR, "pause", False),
    ("Je crois que je vais devoir faire une pause, trop de boulot.", SESSION_FR, "pause",
     True),
]


def test_a_coffee_break_is_no_pause() -> None:
    assert _read_any("Oui, 4. On a fait une pause café, puis on a repris les devis.")[
        "command"] is None


# -- round 23, on the thirty-second and thirty-third blind corpora -------------------------
_RATINGS_23 = [
    ("Held as planned. I'd say 80% satisfied.", 4),
    ("Réalisée. Satisfaction 60 %, coupés deux fois par le standard.", 3),
    ("Oui. Elle met 100 % de satisfaction.", 5),
]


def test_a_percentage_of_something_else_is_no_mark() -> None:
    assert _read_any("Yes, we met. My estimate was only 3% off hers!")["rating"] is None


def test_a_mark_put_right_the_next_day() -> None:
    got = _read_any("Petite correction : je me suis trompé de note, c'est 4 et pas 2.")
    assert got["rating"] == 4


@pytest.mark.parametrize("sep", [" :", ""])
def test_answers_numbered_r1_to_r5(sep: str) -> None:
    got = read(f"R1{sep} oui\nR2{sep} 4\nR3{sep} Les garanties flotte.\nR4{sep} Les exclusions."
               f"\nR5{sep} RAS", SESSION_FR)
    assert picked(got, {"rating": 0, "learned": "", "to_develop": "", "next_focus": ""}) == {
        "rating": 4, "learned": "Les garanties flotte.", "to_develop": "Les exclusions.",
        "next_focus": None}


_COMMANDS_23 = [
    ("Je reprends, merci.", SESSION_FR, "resume", False),
    ("SKIP suis en formation mardi",
     "RE: Atelier · séance 4 avec Léa : mardi 8 décembre 2026 à 10:00", "skip", False),
    ("Help? Which words do I send again?", SESSION_FR, "help", False),
    ("It may be sensible to suspend my sessions until the spring.", SESSION_FR, "pause", True),
    ("I'm off from 21/12 so please pause me over Christmas.", SESSION_FR, "pause", False),
    ("Nobody ever told me how I'm supposed to answer these, could you explain what I can "
     "send?", SESSION_FR, "help", False),
    ("Je ne comprends pas comment je dois répondre, pouvez-vous m'expliquer ?", SESSION_FR,
     "help", False),
    ("Il faudrait peut-être que je fasse une pause, gros rush en ce moment.", SESSION_FR,
     "pause", True),
]


def test_a_pause_that_ended_is_no_command() -> None:
    assert _read_any("Yes, 4. Pause over, back to the slides next time.")["command"] is None


def test_it_never_happened() -> None:
    got = _read_any("Sorry, never happened, he was off with his back.")
    assert (got["kind"], got["took_place"]) == ("questionnaire", False)


# -- round 24, on the thirty-fourth and thirty-fifth blind corpora -------------------------
_RATINGS_24 = [
    ("Oui eu lieu 3", 3),
    ("Yes but short, she had a delivery, so 3 from me.", 3),
    ("Replying for Sam: it went ahead and he'd rate it 5.", 5),
    ("Yes. Score wise I'd put it at a solid four.", 4),
]
_COMMANDS_24 = [
    ("Hello, SKIP please, I am at my sister's wedding.", SESSION_FR, "skip", False),
    ("salut je peux arreter de recevoir ces mails ?? j'ai changé de boulot", SESSION_FR,
     "stop", False),
    ("can we skip the one during harvest, I'll be on the combine", SESSION_FR, "skip", True),
    # asked with its end: sure, as "any chance you could resend X" is
    ("any chance of a break til February, flat out with deliveries", SESSION_FR, "pause",
     False),
    ("I think maybe I should step back from the mentoring, new course starting.", SESSION_FR,
     "stop", True),
    ("might need to step back from mentoring for a bit, year end", SESSION_FR, "pause", True),
    ("Je pense que je lève le pied sur le mentorat cet hiver.", SESSION_FR, "pause", True),
    ("Back from sick leave, could I start getting the emails again?", SESSION_FR, "resume",
     False),
]


@pytest.mark.parametrize("body", [
    "No it did not happen full stop the van broke down full stop",
    "pas eu lieu didier en arret maladie",
    "Yes we met, 4. Full stop, that's all from me.",
])
def test_dictated_punctuation_and_someone_else_s_absence_are_no_commands(body: str) -> None:
    assert _read_any(body)["command"] is None


def test_what_one_learns_in_a_second_language() -> None:
    got = _read_any("Hello, yes session happen, 4. I learn how to label the pallets.")
    assert got["learned"] == "I learn how to label the pallets."


def test_a_line_of_answers_above_a_request() -> None:
    got = _read_any("Hi, yes we met - 4. Reading the herd records.\n\nI think I need a break "
                    "until my exams are over in January.")
    assert (got["learned"], got["command"]) == ("Reading the herd records.", "pause")


def test_the_question_asked_back_in_other_words() -> None:
    got = _read_any("Oui, 4.\nCe que j'en retiens : les faits d'abord.\nCe que je souhaite "
                    "encore travailler : ma façon de conclure.")
    assert (got["learned"], got["to_develop"]) == ("les faits d'abord.",
                                                    "ma façon de conclure.")


# -- every round's cases of a kind, tested together -----------------------------------------
@pytest.mark.parametrize(("body", "held"), _HELD_19 + _HELD_20 + _HELD_21)
def test_whether_it_took_place(body: str, held: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["took_place"]) == ("questionnaire", held)


@pytest.mark.parametrize(("body", "rating"),
                         _RATINGS_19 + _RATINGS_20 + _RATINGS_21 + _RATINGS_22 + _RATINGS_23
                         + _RATINGS_24)
def test_ratings(body: str, rating: int) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, False)


@pytest.mark.parametrize(("body", "subject", "name", "confirm"),
                         [(body, None, name, confirm) for body, name, confirm
                          in _COMMANDS_19 + _COMMANDS_21]
                         + _COMMANDS_20 + _COMMANDS_22 + _COMMANDS_23 + _COMMANDS_24)
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    """A command in the reply's own language, or under `subject` when the thread matters."""
    got = read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


def test_stopping_mail_to_someone_else_is_no_command() -> None:
    """A sure stop would take the writer off the programme: "stop emailing" must be about
    mail to them (found reading blind36, fixed after its blind reading)."""
    got = _read_any("Yes, 5. Kerry showed me how to split the audience so we stop emailing "
                    "the panto crowd about dance.")
    assert (got["kind"], got["command"]) == ("questionnaire", None)
    got = _read_any("Please stop emailing me, I've left the company.")
    assert (got["command"], got["confirm"]) == ("stop", False)
