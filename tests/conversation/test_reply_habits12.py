"""Habits of real writers met in the twelfth and thirteenth blind corpora (issue #14), each
tested here in other words than the corpora's, in French and English: a rule must hit a
phrasing no corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import SESSION_EN, SESSION_FR, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.parse import parse_reply

_OBJECTIVES_FR = "RE: Atelier · séance 4 avec Paul Roy : jeudi 10 décembre 2026 à 14:00"
_OBJECTIVES_EN = "Re: Atelier · session 4 with Paul Roy: Thursday 10 December 2026 at 14:00"


@pytest.mark.parametrize(("body", "subject", "name", "confirm"), [
    # A participation suspended until a date; a break announced with "gonna".
    ("I'd like to suspend my participation until 1 March, busy quarter.", None, "pause", False),
    ("Je souhaite suspendre ma participation jusqu'au 15 février.", None, "pause", False),
    ("Honestly I'm gonna take a break from the mentoring for a few weeks.", None, "pause",
     True),
    # Stopping until a return is a pause; hedged by "il me semble".
    ("Il me semble préférable d'interrompre le mentorat jusqu'à la rentrée.", None, "pause",
     True),
    # Needing to take a break, said rather than asked: asked back.
    ("Je pense que je vais devoir prendre une pause, le bilan arrive.", None, "pause", True),
    ("I'm going to have to take a short break, year-end is brutal.", None, "pause", True),
    # Leaving, in words met in the corpora's senders.
    ("Bonjour,\nMerci de m'enlever du programme, je pars à la retraite.", None, "stop", False),
    ("Hello\nStop please, I'm moving to another company.", None, "stop", False),
    ("Bonjour\nStop merci, je change de poste.", None, "stop", False),
    ("Maybe it's time for me to call it a day with the mentoring.", None, "stop", True),
    ("Je me demande si je vais continuer après l'été.", None, "stop", True),
    ("Not sure I'll carry on after the summer, to be honest.", None, "stop", True),
    ("I guess I should stop getting these emails now?", None, "stop", True),
    # Coming back, in Québec French.
    ("Vous pouvez redémarrer les courriels, je suis revenue.", None, "resume", False),
    # Skipping one session, named by its date, by "celle-là", by "the 21st".
    ("Le mardi 8 décembre je suis en formation, on peut la zapper ?", None, "skip", False),
    ("Pas dispo jeudi, on annule celle-là svp", _OBJECTIVES_FR, "skip", False),
    ("cancel this one, off sick", _OBJECTIVES_EN, "skip", False),
    ("We'll skip the 21st, I'm at a conference.", None, "skip", False),
    # The mails again: "send me again the X", mail lost to a filter.
    ("Could you send me again the objectives? They vanished from my inbox.", None, "resend",
     False),
    ("J'aimerais recevoir à nouveau les messages de la séance, je les ai effacés sans faire "
     "exprès.", None, "resend", False),
    # The words to reply with.
    ("Sorry, which are the words to write back again? I forgot.", None, "help", False),
])
def test_commands(body: str, subject: str | None, name: str, confirm: bool) -> None:
    got = read(body, subject) if subject else _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)


def test_a_day_of_the_month_alone_names_the_session_to_skip() -> None:
    raw = ("From: Zoé Martin <zoe@acme.fr>\r\nSubject: " + SESSION_EN + "\r\n"
           "Date: Fri, 27 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8"
           "\r\n\r\nYes, 4. We'll skip the 3rd, I'm at a conference.\r\n").encode()
    assert str(parse_reply(raw).skip_on) == "2026-12-03"  # the next 3rd after the mail


@pytest.mark.parametrize("body", [
    "On va sauter la prochaine étape du plan, trop tôt.",  # a step, not a session
    "Yes 4/5. I need to take a break after each slide when I present.",
    "Oui. Il faudra que je fasse une pause à chaque question du client.",
])
def test_no_command_in(body: str) -> None:
    assert _read_any(body)["command"] is None


@pytest.mark.parametrize(("body", "rating"), [
    ("Yes it happened, I'd rate it a strong three.", 3),
    ("Oui, je met 5.", 5),
    ("J'accorde la note de 3 à cette séance.", 3),
    ("It went ahead, 4 for sure. We did the forecast.", 4),
    ("yes. 3 i think, we ran over time", 3),
    ("Oui c'était bien, je dirais 4 peut-être.", 4),
    ("Yes. I would say 3 on 5.", 3),
    ("Yes, 5 stars ⭐ really good", 5),
    ("five, took place. budgets explained", 5),
])
def test_ratings(body: str, rating: int) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (rating, False)


@pytest.mark.parametrize("body", [
    "Yes it took place. Rating-wise I'm hesitating, 2 or 3.",
    "oui\n2 ou 3 je sais pas trop\nles relances",
    "It happened. Torn between a 4 and a 5 honestly.",
])
def test_unclear_ratings(body: str) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (None, True)


@pytest.mark.parametrize(("body", "held"), [
    ("Paul, on l'a faite ou pas, au final ?", None),
    ("Oui faite, 3 sur 5.", True),
    ("Meeting not done, Paul was ill.", False),
    ("Hi - we couldn't make it on Tuesday, the client called.", False),
    ("Bonjour, séance pas faite, Paul était malade.", False),
])
def test_whether_it_took_place(body: str, held: bool | None) -> None:
    assert _read_any(body)["took_place"] is held


@pytest.mark.parametrize("body", [
    "Sorry, meant to send this to Paul. Ignore!",
    "QUI DOIT REPONDRE A CE MAIL MOI OU PAUL",
])
def test_a_reply_to_the_questionnaire_that_answers_none_of_it_is_unknown(body: str) -> None:
    assert read(body, SESSION_FR if body.isupper() else SESSION_EN)["kind"] == "unknown"


@pytest.mark.parametrize(("body", "want"), [
    # Two answers in one sentence, the second after a comma, on its own.
    ("Oui, 4. Je dois encore travailler les relances, on pourrait voir des exemples la "
     "prochaine fois.", {"to_develop": "Je dois encore travailler les relances",
                         "next_focus": "on pourrait voir des exemples la prochaine fois."}),
    # A paragraph that answers, then asks: the answers stand, the request acts.
    ("Yes it took place, 4. I learned how to chase invoices politely. I still need to work "
     "on phone calls. Also, could you pause my emails until 10 January? I'm on leave.",
     {"learned": "I learned how to chase invoices politely.",
      "to_develop": "I still need to work on phone calls.", "command": "pause",
      "confirm": False}),
    # What the session went through, in "on a fait" / "we did" / "on a fini".
    ("⭐⭐⭐⭐ On a fait les graphiques croisés.", {"learned": "On a fait les graphiques croisés.",
                                                "took_place": True, "rating": 4}),
    ("Yes, 4. We did the budget review and Paul was great.",
     {"learned": "We did the budget review and Paul was great."}),
    ("Oui, 3. On a fini le dossier Dupont.", {"learned": "On a fini le dossier Dupont."}),
    ("Yes, 3. We did meet, but only briefly.", {"learned": None}),
    ("Yes, 4. The pivot tables are starting to make sense.",
     {"learned": "The pivot tables are starting to make sense."}),
    ("Oui, 3. Rien de nouveau pour moi cette fois.",
     {"learned": "Rien de nouveau pour moi cette fois."}),
    # What is left, in fewer words.
    ("Yes, 4.\nThe VAT rules. Still can't get my head round the reverse charge.",
     {"learned": "The VAT rules.", "to_develop": "Still can't get my head round the reverse "
                                                 "charge."}),
    ("Oui, 2. Faut encore bosser les relances.", {"to_develop": "Faut encore bosser les "
                                                                "relances."}),
    ("Yes, 4. I'd like more time on the pricing model.",
     {"to_develop": "I'd like more time on the pricing model."}),
    ("Yes, 5. For our next meeting, I suggest we look at the Q3 forecast.",
     {"next_focus": "For our next meeting, I suggest we look at the Q3 forecast."}),
    # A comment on the mark is no answer; the lines below answer in order.
    ("Yes!\n2 out of 5 this time, too short.\nForecasts.\nBudgets.\nScenarios.",
     {"rating": 2, "learned": "Forecasts.", "to_develop": "Budgets.",
      "next_focus": "Scenarios."}),
    # A hedged mark typed on into the answer.
    ("yes but paul was off. 3 i guess anna showed me the budget tool",
     {"rating": 3, "learned": "anna showed me the budget tool"}),
    # A sixth numbered line is none of our five questions.
    ("1. Yes\n2. 4\n3. Forecasts.\n4. Budgets.\n5. Scenarios.\n6. Could you resend the "
     "objectives? I lost them.", {"next_focus": "Scenarios.", "command": "resend"}),
    # A numbered answer that is a question keeps it.
    ("1. Oui\n2. 4\n3. Les TCD.\n4. Les graphiques.\n5. On pourrait voir les macros ? Si Paul "
     "est d'accord.", {"next_focus": "On pourrait voir les macros ? Si Paul est d'accord."}),
])
def test_text_answers(body: str, want: dict[str, object]) -> None:
    got = _read_any(body)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize("body", ["Yes, 4.\nPayroll cut-off.\nJo",
                                  "Yes, 3. We covered the P&L. No need to pause anything. J x"])
def test_a_short_name_or_an_initial_with_a_kiss_signs(body: str) -> None:
    got = _read_any(body, sender="Joanna Price <joanna.price@acme.co.uk>")
    assert got["to_develop"] is None and got["next_focus"] is None


def test_goals_keep_their_full_stops() -> None:
    # Every writer of the thirteen corpora kept them: whole sentences as people wrote them.
    assert read_goals("1. Préparer un budget.\n2. Lire un bilan.") == [
        "Préparer un budget.", "Lire un bilan."]
