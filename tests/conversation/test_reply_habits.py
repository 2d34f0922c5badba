"""Habits of real writers met in the second blind corpus (blind2/), each tested here in
other words than the corpus's, in French and English: a rule must hit a phrasing no
corpus holds, never one message."""

from __future__ import annotations

import pytest
from replytext import read as _read

from agent.conversation.replies.parse import parse_reply


@pytest.mark.parametrize(("body", "want"), [
    # A mark on another scale is converted and rounded half up; a half of ours is asked.
    ("Yes, it was really useful, 7/10.", {"rating": 4, "rating_unclear": False}),
    ("Oui, je dirais 3 sur 10, trop théorique.", {"rating": 2, "rating_unclear": False}),
    ("Oui ! 19/20", {"rating": 5, "took_place": True}),
    ("Oui, 2,5/5 cette fois.", {"rating": None, "rating_unclear": True}),
    # A range inside a sentence.
    ("It took place. I'd put it between 2 and 3, too short.",
     {"rating": None, "rating_unclear": True}),
    ("Oui. Je mettrais quelque part entre 4 et 5.", {"rating": None, "rating_unclear": True}),
    ("On se voit entre 3 et 4 h jeudi.", {"rating": None, "rating_unclear": False}),
    # A sentence that opens with the mark.
    ("Frankly a 2. The room was taken and we lost half the hour.", {"rating": 2}),
    ("Franchement un 5 ! Super échange.", {"rating": 5}),
    ("Un 4 pour moi.", {"rating": 4}),
    ("A lot to take in, but useful.", {"rating": None}),
    ("Un très bon 4, merci.", {"rating": 4}),
    ("A solid 3 overall.", {"rating": 3}),
    # Verbs that give the mark, an emoji or a verdict after the yes and the digit.
    ("J'ai mis 3, c'était un peu court.", {"rating": 3}),
    ("Elle mérite un 5 !", {"rating": 5}),
    ("This one deserves a 4.", {"rating": 4}),
    ("Oui 4 🙂", {"rating": 4, "took_place": True}),
    ("Yes 5 really useful", {"rating": 5, "took_place": True, "learned": None}),
    ("Oui 3 vraiment sympa", {"rating": 3, "learned": None}),
    ("Yes - 4 - great", {"rating": 4, "learned": None}),
    ("Very practical 🌟🌟🌟", {"rating": 3}),
    # Halves in words.
    ("Two and a half", {"rating": None, "rating_unclear": True}),
    ("Oui, quatre et demi", {"rating": None, "rating_unclear": True}),
])
def test_ratings_written_in_prose(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(("body", "want"), [
    # A session said to have happened, or judged, took place.
    ("Meeting happened, 3/5.", {"took_place": True, "rating": 3}),
    ("Useful session 👍 4/5", {"took_place": True, "rating": 4}),
    ("Belle séance, 5/5 !", {"took_place": True}),
    ("Séance utile, 4 sur 5", {"took_place": True}),
    ("4/5", {"took_place": None}),
    # A line of star emoji alone is the rating, not a separator.
    ("⭐⭐⭐⭐", {"rating": 4}),
])
def test_took_place_and_stars(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(("body", "want"), [
    # An apology before the answers answers nothing.
    ("Hi,\n\nMy apologies, this slipped through. Yes, 4/5.\nWe went over the budget file.",
     {"learned": "We went over the budget file."}),
    ("Toutes mes excuses pour le délai. Oui, 3/5.\nOn a revu le plan de charge.",
     {"learned": "On a revu le plan de charge."}),
    # One opening apology does not hide the signature under the answer.
    ("Désolée, je réponds tard. Non, on a dû annuler.\nZoé", {"learned": None,
                                                            "took_place": False}),
    # A signature in initials under the answer is no answer.
    ("Yes, 4/5\n\nLearned: reading the churn report\n\nZ.M.", {"to_develop": None}),
    ("Oui 5/5\nAppris : les raccourcis clavier\n\nZ.", {"to_develop": None}),
    # Labels people write in full.
    ("Yes 4/5\nWant to develop: negotiation\nNext focus: the Q3 pitch",
     {"to_develop": "negotiation", "next_focus": "the Q3 pitch"}),
    ("Oui 4/5\nCe que je souhaite développer : la relance client",
     {"to_develop": "la relance client", "learned": None}),
    ("Yes, 3.\nWhat I learned: the month-end checklist\nWhat I'd like to work on: accruals",
     {"learned": "the month-end checklist", "to_develop": "accruals"}),
    ("Yes 4/5\nLearnt: reading the ageing report\nNeed to practise: chasing politely",
     {"learned": "reading the ageing report", "to_develop": "chasing politely"}),
    # Someone showed or explained it: what was learned, even after the rating.
    ("Yes, 5/5. Amir showed me how he splits the sprint backlog.",
     {"learned": "Amir showed me how he splits the sprint backlog."}),
    ("Oui, 4/5. Inès m'a montré comment elle prépare ses entretiens annuels.",
     {"learned": "Inès m'a montré comment elle prépare ses entretiens annuels."}),
    ("Session went well. 8/10 Omar explained why our churn spikes in March",
     {"took_place": True, "rating": 4,
      "learned": "Omar explained why our churn spikes in March"}),
    ("Oui 3/5. Je dois encore creuser les requêtes imbriquées",
     {"to_develop": "Je dois encore creuser les requêtes imbriquées"}),
    # One sentence answering two questions.
    ("Yes, 4/5.\nI learned to read the cohort chart and I still need to practise the SQL.",
     {"learned": "I learned to read the cohort chart",
      "to_develop": "I still need to practise the SQL."}),
    ("Oui, 4/5.\nJ'ai appris à lire un bilan, et je dois encore travailler le compte de "
     "résultat.", {"learned": "J'ai appris à lire un bilan",
                   "to_develop": "je dois encore travailler le compte de résultat."}),
])
def test_which_sentence_answers_what(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want


_OBJECTIVES_EN = "Re: Atelier · session 4 with Priya Shah: Tuesday 10 November 2026 at 09:30"
_OBJECTIVES_FR = "Re: Atelier · séance 4 avec Inès Roy : mardi 10 novembre 2026 à 09:30"


@pytest.mark.parametrize(("body", "subject", "want"), [
    # In the thread of a session's objectives, a plain request to skip that session acts.
    ("Sorry, Tuesday is impossible for me now. Could you drop that session?", _OBJECTIVES_EN,
     ("skip", False)),
    ("Please skip Tuesday's session, I'm on a training course.", _OBJECTIVES_EN,
     ("skip", False)),
    ("Je suis en déplacement mardi, merci de la supprimer.", _OBJECTIVES_FR, ("skip", False)),
    ("On annule la séance de mardi ? Inès est malade.", _OBJECTIVES_FR, ("skip", False)),
    # Another day than the session's, or a hedge, is asked back.
    ("Can we skip Thursday's session?", _OBJECTIVES_EN, ("skip", True)),
    ("Je crois qu'il faudra annuler la séance de mardi.", _OBJECTIVES_FR, ("skip", True)),
    # A day named in a thread about no one session is asked back.
    ("Can we skip Tuesday's session?", "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]",
     ("skip", True)),
    # Wondering aloud about a break is a likely pause, not a negation nor an answer.
    ("Oui, 4/5.\nJe me demande si on ne devrait pas faire une pause après les fêtes.",
     "Re: Atelier · comment s'est passée la séance 3 ? [B-1a2b3c4d5e6f]", ("pause", True)),
    ("Yes, 3/5. I wonder if I should take a break after this session, busy quarter ahead.",
     "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]", ("pause", True)),
    # A break inside the work is no pause of the programme.
    ("Yes 4/5. I need to take a break after each slide when I present.",
     "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]", (None, None)),
    ("Oui 4/5. Je dois faire une pause après chaque question du client.",
     "Re: Atelier · comment s'est passée la séance 3 ? [B-1a2b3c4d5e6f]", (None, None)),
    # Negations stay no command.
    ("Je ne veux surtout pas faire une pause après cette séance !",
     "Re: Atelier · comment s'est passée la séance 3 ? [B-1a2b3c4d5e6f]", (None, None)),
])
def test_when_a_command_in_a_sentence_acts_or_is_asked(
        body: str, subject: str, want: tuple[str | None, bool | None]) -> None:
    got = _read(body, subject)
    assert (got["command"], got["confirm"]) == want


@pytest.mark.parametrize(("body", "kind"), [
    # A reply to the questionnaire that answers nothing but asks us something is a
    # question for the admin, not an answer.
    ("Hello, sorry, what is this programme? Nobody told me about it.", "unknown"),
    ("Bonjour, c'est qui Hugo ? Je ne le connais pas.", "unknown"),
    # Thanks alone answer nothing either; an answer with a question stays the
    # questionnaire's, and so do answers announced in our quote ("answers below").
    ("Merci !", "unknown"),
    ("Thanks, answers below!", "questionnaire"),
    ("Yes, 4/5. Is the next one still on Thursday?", "questionnaire"),
])
def test_a_reply_that_only_asks_is_no_answer(body: str, kind: str) -> None:
    assert _read(body)["kind"] == kind


@pytest.mark.parametrize(("body", "want"), [
    # The yes, the rating and the answers typed in one go, without separators.
    ("oui 3 les formules matricielles la validation des données un tableau de bord",
     {"took_place": True, "rating": 3, "learned": "les formules matricielles",
      "to_develop": "la validation des données", "next_focus": "un tableau de bord"}),
    ("yes 4 the sprint review my estimates a real retro",
     {"rating": 4, "learned": "the sprint review", "to_develop": "my estimates",
      "next_focus": "a real retro"}),
    # More pieces than questions: one answer, never a wrong split.
    ("Oui 5 la mise en forme de la feuille des ventes du mois",
     {"rating": 5, "learned": "la mise en forme de la feuille des ventes du mois",
      "to_develop": None}),
    # A count is no rating.
    ("Yes 3 people joined from the sales team", {"rating": None}),
    # A rating in stars before the sentence that says what was learned.
    ("Très bonne séance ⭐⭐⭐⭐ j'ai appris à monter un rétroplanning",
     {"rating": 4, "learned": "j'ai appris à monter un rétroplanning"}),
    ("Yes 4/5 I learned how to run a stand-up", {"learned": "I learned how to run a stand-up"}),
])
def test_answers_without_separators(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want


_INTRO_FR = ("Le lun. 2 nov. 2026 à 09:00, Binôme <b@acme.fr> a écrit :\n> Bonjour Zoé,\n>\n"
             "> Vos objectifs : répondez à cet e-mail avec jusqu'à trois choses que vous voulez "
             "savoir faire d'ici le 30 juin 2027, une par ligne :\n{slots}"
             "> Ils guideront les objectifs de chaque séance.\n")
_INTRO_EN = ("On Mon, 2 Nov 2026 at 09:00, Binome <b@acme.fr> wrote:\n> Hello Zoe,\n>\n"
             "> Your goals: reply to this email with up to three things you want to be able to "
             "do by 30 June 2027, one per line:\n{slots}"
             "> They will shape every session's objectives.\n")


@pytest.mark.parametrize(("body", "subject", "goals"), [
    # Goals typed over our "1. ..." slots inside the quote, with a word above it or none.
    ("Avec plaisir, voilà.\n\n" + _INTRO_FR.format(
        slots="> 1. Rédiger un cahier des charges\n> 2. Animer un atelier\n> 3. ...\n"),
     "Re: Atelier · votre mentorat avec Hugo Lambert",
     ["Rédiger un cahier des charges", "Animer un atelier"]),
    ("\n" + _INTRO_EN.format(slots="> 1. ...\n> 2. Negotiate a renewal\n> 3. ...\n"),
     "Re: Atelier · your mentoring with Hugo Lambert", ["Negotiate a renewal"]),
    # Slots left as we wrote them: the goals are the ones typed above.
    ("Lire un bilan\nConstruire un budget\n\n" + _INTRO_FR.format(
        slots="> 1. ...\n> 2. ...\n> 3. ...\n"),
     "Re: Atelier · votre mentorat avec Hugo Lambert", ["Lire un bilan", "Construire un budget"]),
])
def test_goals_typed_over_our_slots_inside_the_quote(body: str, subject: str,
                                                     goals: list[str]) -> None:
    assert _read(body, subject)["goals"] == goals


def test_a_numbered_list_quoted_from_another_mail_is_no_goal() -> None:
    body = ("Oui, 4/5.\n\nLe lun. 2 nov. 2026 à 09:00, Binôme <b@acme.fr> a écrit :\n"
            "> Objectifs de la séance :\n> 1. Revoir les TCD\n> 2. Préparer le budget\n")
    got = _read(body, "Re: Atelier · comment s'est passée la séance 3 ? [B-1a2b3c4d5e6f]")
    assert (got["kind"], got["goals"], got["learned"]) == ("questionnaire", [], None)


@pytest.mark.parametrize(("body", "want"), [
    # A skip that names its session by date is sure, and carries the day.
    ("Oui 4/5. Par contre, pourriez-vous supprimer la séance du mardi 24 novembre ?",
     ("skip", False, "2026-11-24")),
    ("Yes, 5/5. Also, please cancel the session on Thursday 3 December, I'm off.",
     ("skip", False, "2026-12-03")),
    # A weekday alone, outside the thread of that session, names the next such day (the
    # inbox skips the session that day, or says there is none); written on that very
    # weekday, today's or next week's is asked.
    ("Could we cancel Thursday's session?", ("skip", False, "2026-11-19")),
    ("Could we cancel Monday's session?", ("skip", True, None)),
])
def test_a_skip_naming_a_date(body: str, want: tuple[str, bool, str | None]) -> None:
    raw = ("From: Zoé Martin <zoe@acme.fr>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0100\r\n"
           "Subject: Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f]\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()
    reply = parse_reply(raw)
    assert (reply.command, not reply.sure,
            reply.skip_on.isoformat() if reply.skip_on else None) == want


@pytest.mark.parametrize(("body", "held"), [
    # Said to have happened, in the ways people say it.
    ("We caught up on Thursday, 4/5.", True),
    ("Met as planned. 3/5", True),
    ("Had the session this morning, 5/5", True),
    ("La séance s'est très bien passée, 5/5", True),
    ("On s'est retrouvées jeudi, 4/5", True),
    ("On a fait la séance en visio, 4/5", True),
    # Or not.
    ("Unfortunately no, the client meeting ran over.", False),
    ("Malheureusement non, Inès était en déplacement.", False),
    ("Sadly not this week.", False),
    ("We pushed it to next Tuesday.", False),
    ("On a dû la décaler à lundi.", False),
    ("Not yet, it is on Friday.", False),
    ("Pas encore, elle est prévue vendredi.", False),
    # Words that look alike but say nothing of it.
    ("Unfortunately we only had half an hour. 3/5", None),
    ("We moved to the next chapter quickly. 4/5", None),
])
def test_whether_it_took_place_in_prose(body: str, held: bool | None) -> None:
    assert _read(body)["took_place"] is held


@pytest.mark.parametrize(("body", "want"), [
    ("I'm moving to another team next month, so please remove me.", ("stop", False)),
    ("Je suis en arrêt jusqu'au 15 février, pouvez-vous suspendre jusqu'au 15 février ?",
     ("pause", False)),
    ("I'm back, please start emailing me again.", ("resume", False)),
    ("Vous pouvez recommencer à m'envoyer les messages, je suis rentré.", ("resume", False)),
    ("Inès est malade demain, on l'annule ?", ("skip", False)),
    ("Cancel today's session please, the office is closed.", ("skip", False)),
    ("Annulez la séance de demain, merci.", ("skip", False)),
    # "Next week" may not be the next session (fortnightly pairs): asked.
    ("Could we drop next week? Half the team is away.", ("skip", True)),
    ("On peut annuler cette semaine ?", ("skip", True)),
    # Not commands.
    ("No need to cancel tomorrow, we'll manage.", (None, None)),
    ("Pas la peine de l'annuler, je serai là.", (None, None)),
])
def test_more_commands_written_as_sentences(body: str, want: tuple[str | None, bool | None]
                                            ) -> None:
    got = _read(body, _OBJECTIVES_EN)
    assert (got["command"], got["confirm"]) == want


@pytest.mark.parametrize(("body", "kind"), [
    ("Je suis en congés et n'aurai pas accès à ma messagerie avant le 4 janvier.", "auto_reply"),
    ("Bonjour, je suis en formation cette semaine, je vous répondrai dès mon retour.",
     "auto_reply"),
    # A person who says they are away and still answers is answering.
    ("I'm on leave from Friday, but yes it took place: 4/5.", "questionnaire"),
])
def test_out_of_office_written_as_text(body: str, kind: str) -> None:
    assert _read(body)["kind"] == kind


@pytest.mark.parametrize(("body", "learned"), [
    # Bare words after the rating, with no verb of their own: the answer that comes next.
    ("Yes, 4/5. Cash-flow forecasting basics.", "Cash-flow forecasting basics."),
    ("Oui, 5/5. Les macros et l'enregistreur.", "Les macros et l'enregistreur."),
    ("Yes 4/5, the quarterly close checklist", "the quarterly close checklist"),
    ("Oui 3/5 : la relance des impayés", "la relance des impayés"),
    # A sentence or a verdict about the session is no answer.
    ("Yes, 4/5. Amir was very patient.", None),
    ("Oui, 4/5. C'était dense.", None),
    ("Yes 4/5, well deserved", None),
    ("Oui 3/5, un peu rapide", None),
    ("No, we did not meet. Next one on Friday.", None),
])
def test_words_after_the_rating(body: str, learned: str | None) -> None:
    assert _read(body)["learned"] == learned


@pytest.mark.parametrize(("body", "want"), [
    # Labels and sentences that name what is left to develop or the next focus, so that
    # they do not fall to the first free question.
    ("Yes 4/5.\nMy main takeaway: write the summary first.",
     {"learned": "write the summary first."}),
    ("Yes 4/5.\nI need more practice with the forecast model.",
     {"learned": None, "to_develop": "I need more practice with the forecast model."}),
    ("Oui 4/5.\nJ'ai toujours besoin de m'entraîner sur les relances.",
     {"learned": None, "to_develop": "J'ai toujours besoin de m'entraîner sur les relances."}),
    ("Oui 4/5.\nÀ consolider : les écritures de clôture.",
     {"to_develop": "les écritures de clôture."}),
    ("Yes 3/5.\nNot quite comfortable with variance analysis yet.",
     {"learned": None, "to_develop": "Not quite comfortable with variance analysis yet."}),
    ("Oui 3/5.\nPas encore à l'aise avec les écarts budgétaires.",
     {"learned": None, "to_develop": "Pas encore à l'aise avec les écarts budgétaires."}),
    ("Yes 4/5.\nNext up: a mock client call.", {"learned": None,
                                                  "next_focus": "a mock client call."}),
    ("Oui 4/5.\nProchain sujet : la négociation annuelle.",
     {"learned": None, "next_focus": "la négociation annuelle."}),
    ("Yes 4/5.\nI'd like to concentrate on stakeholder maps next.",
     {"learned": None, "next_focus": "I'd like to concentrate on stakeholder maps next."}),
    ("Yes 4/5.\nNow I understand how the accruals reverse.",
     {"learned": "Now I understand how the accruals reverse."}),
    ("Oui 4/5.\nJe comprends enfin comment se calcule la marge.",
     {"learned": "Je comprends enfin comment se calcule la marge."}),
])
def test_what_is_left_and_what_comes_next(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want
