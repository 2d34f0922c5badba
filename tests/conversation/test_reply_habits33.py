"""Habits of real writers met in the fifty-second and later blind corpora (issue #14, round
33 on), each tested here in other words than the corpora's, in French and English: a
rule must hit a phrasing no corpus holds, never one message, and the words around it
that mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.dates import find_date
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.parse import parse_reply

_OBJECTIVES_FR = "RE: Atelier · séance 4 avec Léa Martin : mardi 12 janvier 2027 à 10:00"
_INTRO_EN = "Re: Atelier · your mentoring with Sam Reid [B-1a2b3c4d5e6f]"


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


# Round 33 (tuned on blind52/53)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # A skip decided in the first person, or ordered with the session after the verb.
    ("Client en prod toute la journée, je passe cette séance.", _OBJECTIVES_FR, "skip", False),
    ("Je saute celle du 19, je suis au salon.", SESSION_FR, "skip", False),
    ("Impossible mardi. Merci de la supprimer, supprimez-la svp.", _OBJECTIVES_FR, "skip",
     False),
    # The first session named as "the first one".
    ("1. run payroll alone\n2. close the month\n\nalso could we drop the first one? I'm "
     "away", _INTRO_EN, "skip", False),
    # A skip after not knowing whether one will be there is asked back.
    ("pas sûr si je serai là mardi, faudrait peut-être annuler ?", _OBJECTIVES_FR, "skip",
     True),
    ("Not sure if I'll make it on Tuesday, could we skip it?", _OBJECTIVES_FR, "skip", True),
    # "I wonder whether it would not be better to ...": wondered, confirmed.
    ("Je me demande s'il ne vaudrait pas mieux suspendre le mentorat jusqu'en mars.",
     SESSION_FR, "pause", True),
    # Back, and the sessions again.
    ("chui rentré, on reprend les séances ?", "retour", "resume", False),
    # How to pause, asked: the list of commands.
    ("Comment on fait pour mettre les mails en pause ?", "question", "help", False),
])
def test_commands_33(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "subject"), [
    # What was done is no skip, and going on next week is no resume.
    ("Oui, 4. On a passé la séance sur les rapprochements bancaires.", SESSION_FR),
    ("Oui 5, on reprend la semaine prochaine avec le bilan.", SESSION_FR),
    ("Je ne saute pas celle du 19, promis.", SESSION_FR),
])
def test_no_command_33(body: str, subject: str) -> None:
    assert read(body, subject)["command"] is None


def test_the_day_of_a_session_named_by_its_date_alone() -> None:
    from datetime import date
    assert find_date("je saute celle du 19", date(2027, 1, 5)) == date(2027, 1, 19)
    assert find_date("celle du 19h", date(2027, 1, 5)) is None


@pytest.mark.parametrize(("body", "want"), [
    # All five answers as short sentences or clauses on one line.
    ("Oui. 3. Les écritures de clôture. Le lettrage. La paie.",
     {"rating": 3, "learned": "Les écritures de clôture.", "to_develop": "Le lettrage.",
      "next_focus": "La paie."}),
    ("yes, 5, pivot tables, still shaky on lookups, charts",
     {"rating": 5, "learned": "pivot tables", "to_develop": "still shaky on lookups",
      "next_focus": "charts"}),
    # A label of the answer's own question in a slashed line.
    ("Yes / 4 / the audit trail / the sampling / next: the final report",
     {"next_focus": "the final report"}),
    # What is left, as a label.
    ("Oui, 4.\nAppris : le budget.\nReste : la trésorerie.", {"to_develop": "la trésorerie."}),
    ("Yes, 4. Learned: the budget. Still to do: cash flow.", {"to_develop": "cash flow."}),
    # A labelled answer ends where a sentence turns to another question.
    ("oui 4. à travailler: la pâte. la prochaine fois on fait les brioches",
     {"to_develop": "la pâte.", "next_focus": "la prochaine fois on fait les brioches"}),
    # What the session went through, after the rating.
    ("oui, 4/5, on a vu les index et les vues, à revoir : les jointures",
     {"learned": "on a vu les index et les vues", "to_develop": "les jointures"}),
    # A mentor on the learner.
    ("Oui. 4. LÉA DOIT REVOIR SES MARGES.", {"to_develop": "LÉA DOIT REVOIR SES MARGES."}),
    ("Yes, 4. Good progress on layouts. Still needs to work on kerning.",
     {"to_develop": "Still needs to work on kerning."}),
    # A table's heads: "Note /5", "Séance réalisée".
    ("Séance réalisée\tOui\nNote /5\t3", {"took_place": True, "rating": 3}),
])
def test_habits_33(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_a_session_done_alone_on_its_line_is_no_head() -> None:
    _expect(read("- séance faite\n- 4/5\n- les TCD\n- les graphiques\n- la paie", SESSION_FR),
            {"took_place": True, "rating": 4, "learned": "les TCD"})


def test_answers_below_our_quoted_questions_in_a_reply_of_their_own() -> None:
    body = ("Le 12/01/2027 à 10:00, Atelier a écrit :\n"
            "> 1. La séance a-t-elle eu lieu ? (oui / non)\n> 2. Votre note, de 1 à 5 :\n"
            "> 3. Qu'avez-vous appris ?\n> 4. Que souhaitez-vous encore développer ?\n"
            "> 5. Sur quoi vous concentrer la prochaine fois ?\n\n"
            "Oui, 3/5.\nAppris : les arrêtés de compte.\nProchaine fois : la liasse.\n")
    _expect(read(body, SESSION_FR), {"took_place": True, "rating": 3,
                                     "learned": "les arrêtés de compte.",
                                     "next_focus": "la liasse."})


@pytest.mark.parametrize(("text", "goals"), [
    ("bon moi je voudrais savoir faire les devis\net gérer les relances",
     ["savoir faire les devis", "gérer les relances"]),
    ("1. quote a job\n2. order stock\n\nquotes 2 stock 1 🙈", ["quote a job", "order stock"]),
])
def test_goals_33(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


# Round 34 (tuned on blind54/55)

_OBJECTIVES_EN = "Re: Atelier · session 6 with Sam Reid: Thursday 14 January 2027 at 10:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # The keyword in capitals closing a sentence of its own.
    ("Board meeting runs all afternoon. PAUSE", SESSION_EN, "pause", False),
    # One of two, asked.
    ("Clashes with the audit. Push it back? or cancel? either is fine", _OBJECTIVES_EN,
     "skip", True),
    # Our question's gist, with the verb a person would use.
    ("Oui, je confirme.\n\n> souhaitez-vous passer votre prochaine séance ?",
     "RE: Atelier · confirmez-vous ? [B-1a2b3c4d5e6f]", "skip", False),
    # "until then", as French writes it.
    ("je devrais peut-être faire une pause jusque-là ?", SESSION_FR, "pause", True),
    ("perhaps pause us? the audit is on", SESSION_EN, "pause", True),
    # Someone's participation, told by another.
    ("Monsieur Roux souhaite suspendre sa participation au programme jusqu'au 1er mars.",
     "Programme", "pause", False),
    ("renvoie moi le questionnaire stp je l'ai effacé", "questionnaire", "resend", False),
    # A resend to another address is asked back: we write to the roster's.
    ("Could you resend the session emails to sam.reid@example.org please?", "Mentoring",
     "resend", True),
])
def test_commands_34(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "subject"), [
    ("PS: I'll let you know when to stop, it won't be before the spring.", SESSION_EN),
    ("Je vous dirai quand arrêter, pas avant l'été.", SESSION_FR),
])
def test_no_command_34(body: str, subject: str) -> None:
    assert read(body, subject)["command"] is None


def test_a_weekday_names_one_session_where_no_day_is_ours() -> None:
    from datetime import date

    from agent.conversation.replies.dates import next_weekday
    monday = date(2027, 1, 11)
    assert next_weekday("skip Thursday's session", monday) == date(2027, 1, 14)
    assert next_weekday("skip Monday's session", monday) is None  # today, or next week's?
    assert next_weekday("skip Monday or Tuesday", monday) is None
    raw = ("From: Zoé Martin <zoe.martin@acme.fr>\r\nSubject: Inventory\r\n"
           "Date: Mon, 11 Jan 2027 09:00:00 +0100\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n"
           "Could we skip Friday's session? Inventory all day.\r\n").encode()
    reply = parse_reply(raw)
    assert (reply.command, reply.sure, reply.skip_on) == ("skip", True, date(2027, 1, 15))
    # Without the message's date, which Friday is not known: asked back.
    _expect(read("Could we skip Friday's session? Inventory all day.", "Inventory"),
            {"command": "skip", "confirm": True})


@pytest.mark.parametrize(("body", "want"), [
    ("Went fine. Two and a half I think. Learned about cable sizing.",
     {"took_place": True, "rating": None, "rating_unclear": True}),
    ("session was useful, 4, we finished the fire strategy", {
        "took_place": True, "rating": 4, "learned": "we finished the fire strategy"}),
    ("Already sent this?? Anyway: yes, 4.", {"took_place": True, "rating": 4}),
    ("Oui, 4.\nAppris (Léo) : les métrés.\nStill: the quantities.",
     {"learned": "les métrés.", "to_develop": "the quantities."}),
    ("Yes, 4. Learned: costing. Needs more: site reports.", {"to_develop": "site reports."}),
    ("Yes, 4.\nLearned: costing\nDevelop: delegation\n(I still check everything)",
     {"to_develop": "delegation (I still check everything)", "next_focus": None}),
    ("Oui, 4. Appris : les devis. Kind regards, Jo", {"learned": "les devis."}),
    ("Oui. 3. Prochaine fois : les relances 📞 merci !! 🙏", {"next_focus": "les relances 📞"}),
    ("Oui, 4. Appris : les devis.\nProchaine fois : rien de prévu, on verra avec Jo.",
     {"next_focus": None}),
    # What is not needed did not happen; a thanks for making it happen says nothing.
    ("no need to move or cancel, I'm running late, start without me", {"took_place": None}),
    ("Thanks for making it happen, see you Thursday!", {"took_place": None}),
    ("NON... PAS DE SEANCE... BON RETABLISSEMENT A ELLE...", {"took_place": False,
                                                            "to_develop": None}),
])
def test_habits_34(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


@pytest.mark.parametrize(("text", "goals"), [
    ("Bonjour premièrement tenir la caisse seule deuxièmement faire les commandes "
     "troisièmement gérer le stock Caisse 2 Stock 1",
     ["tenir la caisse seule", "faire les commandes", "gérer le stock"]),
    ("Firstly, run a site meeting, secondly, price a small job, and finally sign off a "
     "drawing.", ["run a site meeting", "price a small job", "sign off a drawing"]),
    ("[ ] un planning tenu\n[x] zéro retard", ["un planning tenu", "zéro retard"]),
    ("hi goals are price a job, run a site visit and read a drawing",
     ["price a job", "run a site visit", "read a drawing"]),
])
def test_goals_34(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


@pytest.mark.parametrize(("body", "name"), [
    # The keyword in capitals, an emoji after it: found in blind57, where round 34 failed
    # on it (KeyError), so the message was unreadable.
    ("Back from leave, all good. REPRENDRE 😊", "resume"),
    ("Trop de boulot ce mois-ci. PAUSE 🙏", "pause"),
])
def test_a_shouted_keyword_with_an_emoji(body: str, name: str) -> None:
    _expect(read(body, SESSION_FR), {"kind": "command", "command": name})


# Round 35 (tuned on blind56/57)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Nous vous serions reconnaissants de bien vouloir procéder à son annulation.",
     _OBJECTIVES_FR, "skip", False),
    ("il faudrait déplacer ou annuler cette séance, je vois avec Léa", _OBJECTIVES_FR,
     "skip", True),
    ("honestly I might jack it in, it's not for me", SESSION_EN, "stop", True),
    ("Home again. Restart.", "Re: Atelier · pause recorded until Monday 4 January 2027",
     "resume", False),
    ("Le stage s'est fini plus tôt, je voudrais reprendre dès maintenant.", "reprise",
     "resume", False),
    ("Serait-il possible de sauter une seule séance, celle du 9 février ?", "séance",
     "skip", False),
    ("i dont think i ever got the questionaire for tuesday", "questionaire", "resend", False),
    ("Je me demande si je ne devrais pas arrêter à la fin de l'année, avec le déménagement.",
     SESSION_FR, "stop", True),
])
def test_commands_35(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "subject"), [
    ("yes 4, we looked at pricing, I've had to resend the invoice twice this week", SESSION_EN),
    # Our footer quoted on a flattened line is no STOP.
    ("oui 4 super\n\n  Le ven., sept. 18, 2026 à 12:00, Atelier <a@b.fr> a écrit :   Bonjour Zoé,"
     " Pour faire une pause, répondez PAUSE ; pour arrêter, répondez STOP.", SESSION_FR),
])
def test_no_command_35(body: str, subject: str) -> None:
    assert read(body, subject)["command"] is None


def test_a_long_sentence_answers_before_it_turns_to_a_command() -> None:
    body = ("Bonjour, la séance a bien eu lieu, je mets 4, j'ai appris qu'on peut ouvrir un "
            "atelier par une question plutôt que par un exposé, il me reste à développer la "
            "visio, et puis je me demande si je ne devrais pas arrêter après l'été, je verrai.")
    _expect(read(body, SESSION_FR), {"command": "stop", "confirm": True, "rating": 4,
                                     "took_place": True})
    assert read(body, SESSION_FR)["learned"] is not None


@pytest.mark.parametrize(("body", "want"), [
    ("yeah it went ahead, solid 4. we did pricing.", {"rating": 4}),
    ("Oui, je mettrais bien 5 tellement c'était utile.", {"rating": 5}),
    ("Je mettrai trois et pas quatre, on a été coupés.", {"rating": 3}),
    ("Oui oui faite ! Je vous en dis plus demain 🙏", {"took_place": True, "learned": None}),
    ("La séance a-t-elle eu lieu ? OUI\nVotre note : 4\nQu'avez-vous appris ? LES RCP",
     {"took_place": True, "rating": 4}),
])
def test_habits_35(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_goals_35() -> None:
    assert read_goals("alors mes objectifs savoir faire un devis et tenir la caisse le soir "
                      "voilà niveau devis 2 caisse 1") == ["savoir faire un devis",
                                                          "tenir la caisse le soir"]


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Found in blind59 (held out), after round 35: asking for the words is help, and "a
    # session" names none, so it is never a sure skip of the thread's own session.
    ("what are the words again to pause things or cancel a session? can't find them",
     _OBJECTIVES_EN, "help", False),
    ("c'est quoi les mots pour annuler une séance déjà ?", _OBJECTIVES_FR, "help", False),
    ("Could I cancel a session some time in March?", _OBJECTIVES_EN, "skip", True),
    ("Je voudrais annuler une séance, celle du 9 février.", SESSION_FR, "skip", False),
])
def test_a_session_with_no_day_is_never_a_sure_skip(body: str, subject: str, name: str,
                                                      confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


# Round 36 (tuned on blind58/59)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("pas dispo. salon", _OBJECTIVES_FR, "skip", True),
    ("Can't make it, on site all day", _OBJECTIVES_EN, "skip", True),
    ("Please pause my participation until 1 March 2027, audit season.", "Audit", "pause",
     False),
    ("May need to pause things over Easter, will confirm", SESSION_EN, "pause", True),
])
def test_commands_36(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_unavailable_outside_an_objectives_thread_is_no_skip() -> None:
    assert read("pas dispo cette semaine pour un café, désolé", SESSION_FR)["command"] is None


@pytest.mark.parametrize(("body", "want"), [
    ("pas fait. inventaire", {"took_place": False}),
    ("Séance utile. Pour la note, disons 4 : un peu court.", {"rating": 4}),
    ("Yep it happened! Gave it a 3 – we went through the audit trail.", {"rating": 3}),
    ("Yes\na 3.5 honestly, good one\nthe audit trail", {"rating": None,
                                                        "rating_unclear": True}),
    ("Oui\n2-3, on a survolé\nle bilan", {"rating": None, "rating_unclear": True}),
])
def test_habits_36(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_answers_in_brackets_after_our_copied_questions() -> None:
    body = ("1. La séance a-t-elle eu lieu ? (oui / non) [oui]\n"
            "2. Votre note, de 1 à 5 : [ ]\n"
            "3. Qu'avez-vous appris ? [les filtres]\n")
    _expect(read(body, SESSION_FR), {"took_place": True, "rating": None,
                                     "rating_unclear": False, "learned": "les filtres"})


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # Found in blind60 (held out), after round 36: whether it can be done, asked, is asked
    # back, and stopping the emails for a span of time is a pause.
    ("Is there a way to stop the emails for that stretch without leaving the programme?",
     "Touring", "pause", True),
    ("Est-il possible de suspendre le mentorat jusqu'au 1er mars ?", "Mentorat", "pause",
     True),
])
def test_whether_it_can_be_done_is_asked_back(body: str, subject: str, name: str,
                                              confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize("body", [
    # Found in blind61 (held out): the keyword named as one that can be sent is not sent.
    "Oui, 5/5. Je vois qu'on peut répondre STOP : je ne veux surtout pas arrêter !",
    "Yes, 4. I know you can just reply PAUSE, but no need, all good.",
])
def test_a_keyword_named_as_one_that_can_be_sent(body: str) -> None:
    assert read(body, SESSION_FR if "Oui" in body else SESSION_EN)["command"] is None
