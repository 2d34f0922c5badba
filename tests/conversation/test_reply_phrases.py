"""The kinds of phrasing issue #14 lists, in French and English, each read as a careful
person reads it: commands written as sentences (sure, likely, or no command at all),
ratings in stars, words, x/10 and halves, prose that says whether the session took
place, and goals in prose."""

from __future__ import annotations

from datetime import date

import pytest

from agent.conversation.replies.command import find_command
from agent.conversation.replies.dates import pause_until
from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.parse import parse_reply
from agent.conversation.replies.yesno import says_yes


@pytest.mark.parametrize(("text", "name", "sure"), [
    # Said as people say them (the second blind corpus's misses, in new words).
    ("Je ne me souviens plus des mots-clés, vous pouvez me les redonner ?", "help", True),
    ("What are the keywords again?", "help", True),
    ("Merci de cesser de m'écrire, je ne fais plus partie de l'équipe.", "stop", True),
    ("Je ne participe plus au mentorat depuis mon changement de poste.", "stop", True),
    ("Bonne nouvelle : je pourrai reprendre à partir du 4 janvier.", "resume", True),
    ("We can resume from next week, my project is over.", "resume", True),
    ("On saute la prochaine séance, Paul est en déplacement.", "skip", True),
    ("Annulons la séance de lundi, je suis malade.", "skip", False),
    ("Je souhaite arrêter le mentorat.", "stop", True),
    ("Merci de me retirer du programme.", "stop", True),
    ("Pouvez-vous me désinscrire du programme ?", "stop", True),
    ("I'd like to stop the mentoring, thanks.", "stop", True),
    ("Please take me off the programme.", "stop", True),
    ("Je ne souhaite plus recevoir ces e-mails.", "stop", True),
    ("I no longer want to receive these emails.", "stop", True),
    ("Can you put our pairing on hold until 4 January?", "pause", True),
    ("Pouvez-vous mettre notre binôme en pause jusqu'au 4 janvier ?", "pause", True),
    ("Je pars en congé, pouvez-vous suspendre le mentorat jusqu'au 15 janvier ?", "pause", True),
    ("Can we skip Monday's session?", "skip", False),
    ("On peut sauter la séance de lundi ?", "skip", False),
    ("Je ne pourrai pas être là : on peut sauter la séance de mardi ?", "skip", False),
    ("Pouvez-vous annuler la prochaine séance ? Je suis en déplacement.", "skip", True),
    ("Could you send the emails again? I deleted them by mistake.", "resend", True),
    ("Pourriez-vous me renvoyer le dernier questionnaire ?", "resend", True),
    ("I never received the questionnaire, can you resend it?", "resend", True),
    ("What are the commands?", "help", True),
    ("Quelles sont les commandes disponibles ?", "help", True),
    ("How do I pause the emails?", "help", True),
    ("I think I'll have to stop the programme, I'll confirm next week.", "stop", False),
    ("Je vais peut-être devoir arrêter le mentorat.", "stop", False),
    ("Maybe we should pause the mentoring for a while.", "pause", False),
    ("I think I might need to pause the mentoring until 11 October, I'll confirm.", "pause",
     False),
    ("Je suis de retour, vous pouvez reprendre le mentorat.", "resume", True),
    ("Merci d'annuler la séance de la semaine prochaine, je suis en formation.", "skip", True),
    ("Rentrée lundi : on pourrait peut-être reprendre ?", "resume", False),
    ("Please stop these reminders, I replied already.", "stop", False),
    ("Arrêtez les relances s'il vous plaît.", "stop", False),
    ("Can you send me the mails again?", "resend", False),
    ("unsubscribe", "stop", False),
    ("Désabonnez-moi svp", "stop", False),
    ("STOP", "stop", True),
    ("Bonjour, je souhaiterais mettre fin au mentorat. Merci.", "stop", True),
    ("Merci de ne plus m'envoyer de mails.", "stop", True),
    ("I want to quit.", "stop", False),
    ("Je suis en arrêt maladie, je préfère arrêter là.", "stop", False),
    ("I'll have to drop out, sorry.", "stop", False),
    ("We had to stop.", None, None),
    ("On a dû arrêter, l'alarme incendie.", None, None),
    ("Please don't stop.", None, None),
    ("I won't be able to make Monday's session, can we skip it?", "skip", False),
    ("Je ne pourrai pas assister à la séance de jeudi, on peut l'annuler ?", "skip", False),
    ("Can we skip it? The intro part, I mean.", None, None),
    ("Can we skip next week's session? I'm travelling.", "skip", True),
    ("What commands can I use?", "help", True),
    ("Please pause me until 3 March.", "pause", True),
    ("On peut faire une pause jusqu'en janvier ?", "pause", True),
    ("Can we pause for two weeks?", "pause", False),
    ("Could we pause until after the holidays?", "pause", False),
    ("Can I pause?", "pause", False),
    ("We paused for a minute to check the file.", None, None),
    ("Faire une pause de 5 minutes toutes les heures aide beaucoup.", None, None),
    ("I learned to take a break from the screen.", None, None),
    ("Je n'ai pas reçu le questionnaire de la dernière séance.", "resend", True),
    # Negations and other uses of the words.
    ("No need to pause anything, we'll pick up in January.", None, None),
    ("Stop by my desk if you need the file.", None, None),
    ("Je ne veux surtout pas arrêter !", None, None),
    ("We skipped the theory and went to exercises.", None, None),
    ("On a passé la moitié du temps sur les licences.", None, None),
    ("Est-ce qu'on peut passer la séance de 10h30 à 14h ?", None, None),
    ("Pas besoin de passer la prochaine séance finalement.", None, None),
    ("I learned to stop overthinking my slides.", None, None),
    ("Faire une pause avant de répondre à une objection.", None, None),
    ("Next time I'd like help with pivot tables.", None, None),
    ("Hugo est malade, il est possible que la séance de mardi saute.", None, None),
    ("Don't cancel the session, I'll be there.", None, None),
    ("I don't want to stop the programme.", None, None),
    ("We stopped the session early because of a fire drill.", None, None),
])
def test_commands_in_sentences(text: str, name: str | None, sure: bool | None) -> None:
    found = find_command(text)
    assert ((found.name, found.sure) if found else (None, None)) == (name, sure)


@pytest.mark.parametrize(("words", "until"), [
    ("Mettez-moi en pause, je suis en arrêt jusqu'à fin novembre.", date(2026, 12, 1)),
    ("pause until the end of December", date(2027, 1, 1)),
    ("merci de mettre le mentorat en pause jusqu'au 1er mars", date(2027, 3, 1)),
])
def test_the_end_of_a_pause_in_words(words: str, until: date) -> None:
    assert pause_until(words, date(2026, 11, 27)) == until


@pytest.mark.parametrize(("text", "yes"), [
    ("OUI", True), ("Oui, je confirme.", True), ("Yes please", True), ("ok", True),
    ("Non merci", False), ("No, I'll stay", False), ("Peut-être plus tard", False),
])
def test_a_yes_to_our_question(text: str, yes: bool) -> None:
    assert says_yes(text) is yes


def _read(body: str, html: bool = False) -> dict[str, object]:
    raw = ("From: Zoé Martin <zoe@acme.fr>\r\nSubject: Re: Atelier · how did session 3 go? "
           f"[B-1a2b3c4d5e6f]\r\nContent-Type: text/{'html' if html else 'plain'}; "
           f"charset=utf-8\r\n\r\n{body}\r\n")
    return parse_reply(raw.encode()).understood()


@pytest.mark.parametrize(("body", "want"), [
    ("It did! Great session ⭐⭐⭐⭐⭐", {"took_place": True, "rating": 5}),
    ("Yes. I learned how to write a VLOOKUP, 4 stars.",
     {"took_place": True, "rating": 4, "learned": "I learned how to write a VLOOKUP, 4 stars."}),
    ("Unfortunately we could not meet for this one, Priya was ill.", {"took_place": False}),
    ("We had to reschedule, sorry.", {"took_place": False}),
    ("On ne s'est pas vus cette semaine.", {"took_place": False}),
    ("Oui, 3,5", {"rating": None, "rating_unclear": True}),
    ("Note : 3.5", {"rating": None, "rating_unclear": True}),
    ("8/10", {"rating": 4, "rating_unclear": False}),
    ("Je mets 8 sur 10", {"rating": 4}),
    ("17/20", {"rating": 4, "rating_unclear": False}),  # 4.25: rounded
    ("4 ou 5", {"rating": None, "rating_unclear": True}),
    ("quatre sur cinq", {"rating": 4}),
    ("four out of five", {"rating": 4}),
    ("★★★☆☆ un peu court", {"rating": 3}),
    ("Oui, 2 heures au lieu d'une ! 5/5", {"took_place": True, "rating": 5}),
    ("Yes\n4\nDevelop: speaking slower\nNext: rehearse the pitch",
     {"rating": 4, "to_develop": "speaking slower", "next_focus": "rehearse the pitch"}),
    ("oui\n5\nles TCD\nles graphiques\nun vrai dossier",
     {"learned": "les TCD", "to_develop": "les graphiques", "next_focus": "un vrai dossier"}),
    # Ratings in words after the yes, with an adjective or an emoji between.
    ("Yes, three.", {"took_place": True, "rating": 3}),
    ("Oui, un bon 4. J'ai appris les index.", {"took_place": True, "rating": 4}),
    ("Yes 🙂 5", {"took_place": True, "rating": 5}),
    ("4 stars ⭐️⭐️⭐️⭐️", {"rating": 4}),
    # Where the rating goes: a range or a verdict is unclear, a dash is no rating at all.
    ("Yes\nbetween 2 and 3\nHow to chair a meeting",
     {"rating": None, "rating_unclear": True, "learned": "How to chair a meeting"}),
    ("Oui\nPas mal\nLes macros", {"rating_unclear": True, "learned": "Les macros"}),
    ("Non, Priya était malade. Note : -", {"took_place": False, "rating": None,
                                           "rating_unclear": False}),
    ("Rating: n/a, we did not meet.", {"rating": None, "rating_unclear": False}),
    # A rating corrected in the same message.
    ("Note : 2\n\nZut, je voulais mettre 4.", {"rating": 4}),
    ("Rating: 1 - sorry, wrong link, I meant 5", {"rating": 5}),
    ("Oui, je dirais 4.", {"took_place": True, "rating": 4}),
    ("Yes, I'd say a 3.", {"took_place": True, "rating": 3}),
    ("Je dirais que c'était utile.", {"rating": None, "rating_unclear": False}),
    ("Oui on s'est vus, très utile : 5", {"took_place": True, "rating": 5}),
    ("On se revoit à 10:05.", {"rating": None}),
    ("We didn't manage to meet this time.", {"took_place": False}),
    ("Pas cette fois, Hugo était en déplacement.", {"took_place": False}),
    # Answers set apart by semicolons or spaced dashes on one line.
    ("Yes. 4. Learnt about stakeholder maps; still need to work on saying no; next time: "
     "budget review.", {"learned": "Learnt about stakeholder maps",
                        "to_develop": "still need to work on saying no",
                        "next_focus": "budget review."}),
    ("Oui - 5 - Appris : les index - Prochaine fois : les vues",
     {"rating": 5, "learned": "les index", "next_focus": "les vues"}),
    ("Yes, 4, learned how to chair a meeting.", {"learned": "learned how to chair a meeting."}),
    ("Oui, 4. J'ai encore du mal avec les graphiques.",
     {"to_develop": "J'ai encore du mal avec les graphiques."}),
    ("Yes\n5\nN/A\nPresentation skills", {"learned": None, "to_develop": "Presentation skills"}),
    ("Oui 3 1/2", {"rating": None, "rating_unclear": True}),
    ("Yes, a 4 from me", {"rating": 4}),
    ("Oui. Un 4 bien mérité.", {"rating": 4}),
    ("Oui, une bonne séance.", {"took_place": True, "rating": None, "rating_unclear": False}),
    ("No, one of us was ill.", {"took_place": False, "rating": None}),
    ("Yes\n4\nPivot tables\nCharts\nZM", {"learned": "Pivot tables", "to_develop": "Charts",
                                            "next_focus": None}),  # signed with initials
    # A verdict alone on the rating's line is an unclear rating; a comment is not.
    ("Oui\nTrès bien\nLes TCD", {"rating_unclear": True, "learned": "Les TCD"}),
    ("Yes\n\nGood\n\nPivot tables", {"rating_unclear": True, "learned": "Pivot tables"}),
    ("Oui\nSuper séance, merci.\nZoé", {"rating_unclear": False, "learned": None}),
    ("Yes (4/5)", {"took_place": True, "rating": 4}),
    ("No (she was ill)", {"took_place": False}),
    ("Oui - 4/5 - les TCD", {"took_place": True, "rating": 4, "learned": "les TCD"}),
    ("Yes – 5 – pivot tables – charts – a real case",
     {"rating": 5, "learned": "pivot tables", "to_develop": "charts",
      "next_focus": "a real case"}),
    ("Non - annulée - on se revoit jeudi", {"took_place": False, "learned": None}),
    ("Bonjour Binôme, oui super séance avec Hugo, 5/5 !", {"took_place": True, "rating": 5}),
    ("Hi Emma, yes it happened. 4/5.", {"took_place": True, "rating": 4}),
    ("We moved it to next week.", {"took_place": False}),
    ("On l'a déplacée à jeudi prochain.", {"took_place": False}),
    ("Pas de séance cette semaine.", {"took_place": False}),
    ("No session this week, Oliver was travelling.", {"took_place": False}),
    ("Not held.", {"took_place": False}),
    # More labels people use.
    ("Yes\nRating: 4\nTakeaway: always timebox\nAreas to improve: delegation\n"
     "Focus next time: hiring plan", {"learned": "always timebox", "to_develop": "delegation",
                                      "next_focus": "hiring plan"}),
    ("Oui\nNote : 4\nÀ retenir : toujours timeboxer\nAxe de progrès : la délégation\n"
     "Prochain objectif : le plan de recrutement",
     {"learned": "toujours timeboxer", "to_develop": "la délégation",
      "next_focus": "le plan de recrutement"}),
    # A command is not an answer: cancelling the next session says nothing of this one.
    ("Merci d'annuler la prochaine séance.", {"kind": "command", "command": "skip",
                                              "took_place": None}),
])
def test_answers_in_prose_and_lines(body: str, want: dict[str, object]) -> None:
    got = _read(body)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(("text", "goals"), [
    ("Mes objectifs : 1) savoir faire un TCD 2) automatiser mon reporting",
     ["savoir faire un TCD", "automatiser mon reporting"]),
    ("I'd like to learn SQL joins, build a dashboard and present results to the board.",
     ["learn SQL joins", "build a dashboard", "present results to the board"]),
    ("Objectifs : prendre la parole en réunion ; négocier avec les fournisseurs.",
     ["prendre la parole en réunion", "négocier avec les fournisseurs"]),
    ("My goals are to write cleaner SQL and to present my analyses with confidence.",
     ["write cleaner SQL", "present my analyses with confidence"]),
    ("Bonjour,\n\nJe voudrais apprendre à coder en Python et comprendre les bases de "
     "données.\n\nMerci,\nLéa", ["apprendre à coder en Python", "comprendre les bases de données"]),
    ("Merci ! Pas d'objectif pour l'instant, je verrai avec Claire.", []),
    ("Looking forward to it!", []),
    ("J'aimerais progresser en Excel, surtout les formules, et apprendre Power BI.",
     ["progresser en Excel, surtout les formules", "apprendre Power BI"]),
    ("Bien noté, merci.\nJe serai présente à la première séance.\nSophie Laurent", []),
    ("Noted, thanks!\nI'll be there on Monday.\nTom Baker", []),
    ("1. Lire un bilan\n2. Construire un budget\n3. Négocier\n4. Présenter en anglais",
     ["Lire un bilan", "Construire un budget", "Négocier", "Présenter en anglais"]),
    ("Comprendre Power BI\nAnimer un atelier\nClaire", ["Comprendre Power BI",
                                                      "Animer un atelier"]),
])
def test_goals_in_prose(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


def test_a_one_click_rating_with_a_comment_below() -> None:
    """A one-click reply gives its rating; the line added under it is a comment."""
    raw = ("From: Zoé Martin <zoe@acme.fr>\r\nSubject: Questionnaire [B-1a2b3c4d5e6f]\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nNote : 3\r\n\r\n"
           "Séance un peu courte.\r\n")
    got = parse_reply(raw.encode()).understood()
    assert (got["rating"], got["learned"]) == (3, None)


@pytest.mark.parametrize(("body", "away"), [
    ("Thank you for your message. I am currently away and will respond upon my return.", True),
    ("Bonjour, je suis absente jusqu'au 3/11. Je traiterai votre message à mon retour.", True),
    ("Thank you for your email! Yes it took place, 5/5.", False),
    ("Oui, 4. Je vous répondrai à mon retour pour le reste.", False),
])
def test_an_out_of_office_known_by_its_words_alone(body: str, away: bool) -> None:
    assert (_read(body)["kind"] == "auto_reply") is away


def test_latin_1_labelled_mail_is_read_as_windows_1252() -> None:
    """Outlook's curly apostrophe (0x92) in mail labelled ISO-8859-1 still reads as one."""
    body = "Oui, 4. J\x92ai appris les TCD \x96 super s\xe9ance.".encode("latin-1")
    raw = (b"From: z@acme.fr\r\nSubject: Re: how did session 3 go? [B-1a2b3c4d5e6f]\r\n"
           b"Content-Type: text/plain; charset=iso-8859-1\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body)
    got = parse_reply(raw).understood()
    assert got["learned"] == "J\u2019ai appris les TCD \u2013 super séance."


# In the thread of one session's objectives, "skip this one" on the day the subject gives
# is that session: it acts (the inbox skips that very occurrence); another day is asked.
@pytest.mark.parametrize(("subject", "command"), [
    ("Re: Atelier · session 6 with Oliver Smith: Thursday 19 November 2026 at 11:00",
     ("skip", True)),
    ("Re: Atelier · séance 6 avec Hugo Lambert : jeudi 19 novembre 2026 à 11:00",
     ("skip", True)),
    ("Re: Atelier · session 6 with Oliver Smith: Friday 20 November 2026 at 11:00",
     ("skip", False)),
    ("Re: Atelier · how did session 6 go? [B-1a2b3c4d5e6f]", ("skip", False)),
    ("Re: Atelier · your mentoring with Hugo Lambert", None),
])
def test_skip_this_one_in_reply_to_a_mail_naming_its_session(
        subject: str, command: tuple[str, bool] | None) -> None:
    found = find_command("I can't make it Thursday, can we skip this one?", subject)
    assert ((found.name, found.sure) if found else None) == command
