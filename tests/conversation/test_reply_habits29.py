"""Habits of real writers met in the forty-fourth to fifty-first blind corpora (issue #14,
rounds 29 to 32, two corpora a round), each tested here in other words than the
corpora's, in French and English: a rule must hit a phrasing no corpus holds, never one
message, and the words around it that mean something else must stay unread."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.markdown import unmarked


def _expect(got: dict[str, object], want: dict[str, object]) -> None:
    """The fields `want` names read as it says."""
    assert picked(got, want) == want


@pytest.mark.parametrize(("body", "want"), [
    # A ticket's tags in capitals are heads, as labels are.
    ("[HELD] yes\n[RATING] 4\n[LEARNED] reading a P&L line by line\n[TO DEV] cash-flow "
     "forecasts\n[NEXT] the Q3 budget", {"rating": 4, "took_place": True,
                                        "learned": "reading a P&L line by line",
                                        "to_develop": "cash-flow forecasts",
                                        "next_focus": "the Q3 budget"}),
    ("[APPRIS] le lettrage des comptes\n[A DEV] les rapprochements", {
        "learned": "le lettrage des comptes", "to_develop": "les rapprochements"}),
    # A ticket's TODO is what is left to develop.
    ("Yes, 4.\nLearned: the month-end checklist\nTODO: journal entries",
     {"learned": "the month-end checklist", "to_develop": "journal entries"}),
    # A label typed mid-line without a stop: a head in capitals, a French spaced colon.
    ("yes 3\nthe stock sheet formulas Next: the supplier call", {
        "learned": "the stock sheet formulas", "next_focus": "the supplier call"}),
    ("oui 4 appris les requêtes SQL à dév : les jointures", {
        "learned": "appris les requêtes SQL", "to_develop": "les jointures"}),
    # A label after an emoji that closes the rating's remark.
    ("yes, 4/5 - went fast 🏃 learned: how the loyalty scheme pays out. next: upselling",
     {"rating": 4, "learned": "how the loyalty scheme pays out.", "next_focus": "upselling"}),
])
def test_labels_laid_out_as_tickets_and_chats_write_them(body: str,
                                                         want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_lower_case_brackets_and_our_token_are_no_heads() -> None:
    text = "[image: logo] Yes, 4\n[B-1a2b3c4d5e6f] thanks"
    assert unmarked(text) == text


@pytest.mark.parametrize(("body", "rating", "unclear"), [
    ("Oui, c'était bien, on met 4.", 4, False),
    ("Séance utile. Je lui mettrais un bon 3 : on a revu tout le dossier.", 3, False),
    ("oui, je mettrais entre 2 et 3 ⭐", None, True),
    ("Yes. Would say 5. Nothing more to add.", 5, False),
])
def test_a_mark_said_in_a_sentence(body: str, rating: int | None, unclear: bool) -> None:
    _expect(_read_any(body), {"rating": rating, "rating_unclear": unclear})


def test_people_put_on_a_job_are_no_mark() -> None:
    assert read("Oui. On met 2 personnes dessus la semaine prochaine.", SESSION_FR)[
        "rating"] is None


def test_a_question_asked_of_oneself_and_a_filler_answer_nothing() -> None:
    got = read("Elle a eu lieu. Une note ? Trois.\n\nNous avons revu les devis.", SESSION_FR)
    _expect(got, {"rating": 3, "learned": "Nous avons revu les devis.", "to_develop": None})
    got = read("Somewhere around 4 tbh.", SESSION_EN)
    assert got["learned"] is None


@pytest.mark.parametrize("body", [
    "Yes, 4. We did the rota tool. Swing by my desk if you want the file.",
    "Oui, 4. On a vu le planning. Passe me voir au bureau si tu veux le modèle.",
])
def test_an_invitation_to_come_by_answers_nothing(body: str) -> None:
    got = _read_any(body)
    assert got["to_develop"] is None and got["next_focus"] is None


_ASKED_EN = ("Yes\n\n> Hello Sam,\n>\n> We want to be sure we understand you before changing "
             "anything: do you want to pause the programme until Monday 4 January 2027?\n")
_ASKED_FR = ("oui c'est ça\n\n> Bonjour Léa,\n>\n> Nous voulons être sûrs de bien vous comprendre"
             " avant de changer quoi que ce soit : souhaitez-vous annuler votre séance du jeudi"
             " 14 janvier ?\n")


@pytest.mark.parametrize(("body", "subject", "name"), [
    # Our question, under a subject the client or the person rewrote
    (_ASKED_EN, "Re: Atelier · do you confirm? [B-1a2b3c4d5e6f]", "pause"),
    (_ASKED_FR, "RE: Atelier · c'est bien ça ? [B-1a2b3c4d5e6f]", "skip"),
])
def test_a_yes_to_our_question_under_another_subject(body: str, subject: str,
                                                     name: str) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": False})


_OBJECTIVES_FRIDAY = "Re: Atelier · session 6 with Sam Reid: Friday 15 January 2027 at 10:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Could we skip Friday's? The auditors are in all day.", _OBJECTIVES_FRIDAY, "skip",
     False),
    ("ACTION: pause the emails until 1 March (year-end close)", SESSION_EN, "pause", False),
    ("Back from parental leave and would be happy to resume the programme next month.",
     "Mentoring", "resume", False),
    ("Please start sending me the mails again.", "Mentoring", "resume", False),
    ("It may be wiser for me to step away from the mentoring permanently.", SESSION_EN,
     "stop", True),
    ("oui 4\nmon stage finit en juin, je pense stop pour moi après", SESSION_FR, "stop",
     True),
])
def test_commands_29(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize(("body", "subject"), [
    ("Can we skip Friday's client visit and do it Monday instead?", _OBJECTIVES_FRIDAY),
    ("I would be happy to stop by the depot on Thursday.", SESSION_EN),
])
def test_no_command_29(body: str, subject: str) -> None:
    assert read(body, subject)["command"] is None


def test_a_request_in_its_own_paragraph_under_the_last_question() -> None:
    body = ("> 4. What do you still want to develop?\n\nForecasting\n\n"
            "> 5. What should you focus on next time?\n\nThe Q3 budget\n\n"
            "One more thing: please cancel the session on the 12th, I'm on leave.\n\n"
            "> In a hurry? Rate in one click: each link opens a prefilled reply.\n")
    _expect(read(body), {"to_develop": "Forecasting", "next_focus": "The Q3 budget",
                         "command": "skip"})


@pytest.mark.parametrize(("text", "goals"), [
    ("hello 1 write SQL queries alone 2 build a dashboard in Power BI thanks",
     ["write SQL queries alone", "build a dashboard in Power BI"]),
    ("D'ici juin, je voudrais d'abord tenir une caisse seule ; ensuite, gérer les retours ; "
     "enfin, si le temps le permet, préparer l'inventaire.",
     ["tenir une caisse seule", "gérer les retours", "préparer l'inventaire"]),
    ("Goals:\n- Run a shift on my own\n- Pass the module on ISO 9001\n\nLevels:\nISO 9001: 2",
     ["Run a shift on my own", "Pass the module on ISO 9001"]),
    ("[OBJ 1] lire un bilan seul\n[OBJ 2] préparer une clôture\n[NIVEAU] Compta : 2 / Excel : 3",
     ["lire un bilan seul", "préparer une clôture"]),
])
def test_goals_29(text: str, goals: list[str]) -> None:
    assert read_goals(unmarked(text)) == goals


def test_an_answer_typed_under_an_outlook_quote_of_our_whole_mail() -> None:
    body = ("-----Original Message-----\nFrom: Binôme · Atelier <binome@atelier.example>\n"
            "Sent: 4 February 2027 09:00\nSubject: Atelier · how did session 2 go?\n\n"
            "Hello Sam,\n\nHow did session #2 with Léa Roux go?\n"
            "Just reply to this email, a few words are enough:\n\n"
            "1. Did the session take place? (yes / no)\n2. Your rating, from 1 to 5:\n\n"
            "--\nAtelier · ref. B-1a2b3c4d5e6f\nTo pause, reply PAUSE; to stop, reply STOP.\n\n"
            "It went ahead. Rating 3, a bit short.\n\nSam\n")
    _expect(read(body), {"kind": "questionnaire", "rating": 3, "took_place": True})


# Round 30 (tuned on blind46/47)

@pytest.mark.parametrize(("body", "want"), [
    # Labels as headings, each alone on its line above its answer (an HTML recap).
    ("Summary\n\nLearned\n\n  *   Reading a cash-flow statement\n\nTo develop\n\n"
     "  *   Cost centres\n\nNext time\n\n  *   The year-end close",
     {"learned": "Reading a cash-flow statement", "to_develop": "Cost centres",
      "next_focus": "The year-end close"}),
    # The questions asked again in the writer's words, each answered on its line.
    ("Did the session take place? Yes, in the end.\nRating? 3 out of 5\nWhat did I learn? "
     "Shortcuts in the WMS.\nWhat do I still want to develop? Reports.\nWhat next? Audits.",
     {"rating": 3, "learned": "Shortcuts in the WMS.", "to_develop": "Reports.",
      "next_focus": "Audits."}),
    # A mark given "from me", a mark with a word on it in brackets, a drawn-out yes.
    ("It went ahead and it was great, a 4 from me.", {"rating": 4}),
    ("yesss\n2 (we were both exhausted)\nlearned: nothing new", {"rating": 2,
                                                               "took_place": True}),
    ("went ahead 5 learned the returns process", {"rating": 5, "took_place": True}),
    ("Séance non tenue : audit client.", {"took_place": False}),
    ("learned: pallet codes\nstill to dev: the night rota\nimprove: my handovers",
     {"learned": "pallet codes", "to_develop": "the night rota"}),
])
def test_habits_30(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Le chantier s'est terminé plus tôt : je souhaiterais reprendre dès maintenant le "
     "mentorat.", "Mentorat", "resume", False),
    ("Back from leave, you can start sending the mentoring emails again.", "Hello", "resume",
     False),
    ("On pourrait faire un break pendant les soldes ? pas sûr.", SESSION_FR, "pause", True),
    ("Could we push everything to after the audit? Swamped till then.", SESSION_EN, "pause",
     True),
    ("Désolé, je skippe la prochaine séance, je suis au salon.", SESSION_FR, "skip", False),
])
def test_commands_30(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_a_reply_to_the_introduction_answers_no_session() -> None:
    got = read("1. tenir la caisse seule\n2. gérer les retours\n3. comprendre les marges\n"
               "par contre je suis en formation la première semaine, on peut sauter la "
               "première séance ?", "RE: Atelier · votre mentorat avec Léa Roux "
               "[B-1a2b3c4d5e6f]")
    _expect(got, {"kind": "command", "command": "skip", "learned": None, "rating": None})


@pytest.mark.parametrize(("text", "goals"), [
    ("feat: run a stand-up alone\nfix(reviews): stop rewriting PRs myself",
     ["run a stand-up alone", "stop rewriting PRs myself"]),
    ("Hi! Here's what I'd like to manage by June, knowing I start from scratch:\n"
     "Build a budget for my team.\nRead the monthly P&L alone.\nThanks, Sam",
     ["Build a budget for my team.", "Read the monthly P&L alone."]),
    ("Voici ce que je souhaiterais savoir faire :\n\nRédiger un devis seule.\n\n"
     "Relancer un client sans gêne.\n\nCordialement",
     ["Rédiger un devis seule.", "Relancer un client sans gêne."]),
    ("Bonjour ! Mes objectifs : - lire un bilan - préparer la TVA. Niveau compta : 2.",
     ["lire un bilan", "préparer la TVA"]),
])
def test_goals_30(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


# Round 31 (tuned on blind48/49)

@pytest.mark.parametrize(("body", "rating"), [
    ("Yes, we met. I'd call it a solid three.", 3),
    ("Ten out of ten, and yes it happened.", 5),
    ("oui ça s'est bien passé 4", 4),
    ("yes it went ahead give it a three learned the till codes", 3),
    ("Yes it happened, a four (and a half if I'm generous).", 4),
])
def test_marks_31(body: str, rating: int) -> None:
    assert _read_any(body)["rating"] == rating


@pytest.mark.parametrize("body", [
    "Yes. I'd give it 2 more sessions before she runs it alone.",
    "Oui. Je lui donne 3 semaines pour être autonome.",
])
def test_a_count_is_no_mark(body: str) -> None:
    assert _read_any(body)["rating"] is None


def test_a_run_on_line_answers_three_questions() -> None:
    got = read("oui 4 j'ai appris les devis je voudrais encore travailler les relances "
               "prochaine fois les avoirs.", SESSION_FR)
    _expect(got, {"learned": "j'ai appris les devis",
                  "to_develop": "je voudrais encore travailler les relances",
                  "next_focus": "prochaine fois les avoirs."})


def test_a_label_after_a_comma_with_its_colon() -> None:
    assert read("yes, 4, we did the rota, next: the rota again")["next_focus"] == \
        "the rota again"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Je vous prie d'annuler la séance du mardi 8 décembre : je serai en congrès.",
     "Séance du 8 décembre", "skip", False),
    ("dsl pas dispo, faut annuler la séance", _OBJECTIVES_FRIDAY, "skip", False),
    ("Je pars en retraite, je vous demande d'arrêter le programme pour moi.", SESSION_FR,
     "stop", False),
])
def test_commands_31(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


@pytest.mark.parametrize("body", [
    "Oui 5. J'ai vu qu'on pouvait mettre en pause mais je ne veux surtout pas arrêter.",
    "Yes, 4. I know we can pause the emails, but no thanks, all good.",
])
def test_a_command_known_to_be_possible_is_no_request(body: str) -> None:
    assert _read_any(body)["command"] is None


@pytest.mark.parametrize(("text", "goals"), [
    ("je veux savoir faire les commandes\net gérer le stock", [
        "savoir faire les commandes", "gérer le stock"]),
    ("goals one run the shop alone two do the VAT return levels excel one",
     ["run the shop alone", "do the VAT return"]),
    ("1. Lire un bilan\n2. Faire la paie\n3. (on verra)", ["Lire un bilan", "Faire la paie"]),
])
def test_goals_31(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


# Round 32 (tuned on blind50/51)

@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    ("Sauter celle-ci : je suis en déplacement toute la semaine.", SESSION_FR, "skip", True),
    ("Merci de suspendre l'ensemble des envois jusqu'au 10/03 inclus (audit).", SESSION_FR,
     "pause", False),
    ("Would it be better to pause the whole thing until the move is done?", SESSION_EN,
     "pause", True),
    ("I wonder if I should step away from the sessions altogether, I'm holding him back.",
     SESSION_EN, "stop", True),
])
def test_commands_32(body: str, subject: str, name: str, confirm: bool) -> None:
    _expect(read(body, subject), {"kind": "command", "command": name, "confirm": confirm})


def test_passing_by_is_no_skip() -> None:
    assert read("Passer au bureau demain si vous voulez le dossier.", SESSION_FR)[
        "command"] is None


@pytest.mark.parametrize(("body", "want"), [
    ("Oui, elle a eu lieu. Je dirais entre deux et trois, on a été coupés.",
     {"rating": None, "rating_unclear": True}),
    ("Yes. A three, or a three and a half if I'm kind.", {"rating": None,
                                                          "rating_unclear": True}),
    ("Oui. Je dirais quatre : très bon échange.", {"rating": 4}),
    ("[ ] yes [x] no - she was off sick", {"took_place": False}),
    ("dsl on a pas pu la faire, trop de monde au magasin", {"took_place": False}),
])
def test_habits_32(body: str, want: dict[str, object]) -> None:
    _expect(_read_any(body), want)


def test_a_range_of_people_is_no_mark() -> None:
    got = read("Yes, between two and three people joined us.")
    assert (got["rating"], got["rating_unclear"]) == (None, False)


@pytest.mark.parametrize(("text", "goals"), [
    ("Tenir la caisse seul le samedi. Niveau caisse : 2", ["Tenir la caisse seul le samedi"]),
    ("1) => lire un bilan\n2) => préparer la paie\nNiveaux :\n- Compta => 2",
     ["lire un bilan", "préparer la paie"]),
    ("I would like to run the weekly report alone, and perhaps understand the budget.\n"
     "Excel: 2, I'm afraid.", ["run the weekly report alone", "understand the budget"]),
    ("reach level 3 in Spanish\nrun a meeting alone",
     ["reach level 3 in Spanish", "run a meeting alone"]),
])
def test_goals_32(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals
