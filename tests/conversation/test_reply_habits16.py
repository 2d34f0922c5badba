"""Habits of real writers met in the sixteenth to twenty-third blind corpora (issue #14,
rounds 15 to 18, two corpora a round), each tested here in other words than the
corpora's, in French and English: a rule must hit a phrasing no corpus holds, never one
message. The commands of each round are listed apart and tested together at the end."""

from __future__ import annotations

import pytest
from replytext import SESSION_FR, picked, read
from replytext import read_in_its_language as _read_any

from agent.conversation.replies.goals import read_goals

_COMMANDS_15 = [
    # The sentence ends on an emoji, a "..." or a question mark rather than a full stop.
    ("Je pense que je vais devoir arrêter 😞 nouveau poste en janvier", "stop", True),
    ("I might have to quit… the new shifts are killing me", "stop", True),
    # "pouvez vous" without its hyphen, as phones type it.
    ("bonjour pouvez vous me renvoyer le questionnaire de mardi je l ai supprime", "resend",
     False),
    # Holding the mails until a date.
    ("Could you hold the mails till 3 March? I'm on jury duty.", "pause", False),
    # "Il vaudrait mieux": the better course said, hedged.
    ("Je crois qu'il vaudrait mieux suspendre ma participation jusqu'à l'été.", "pause", True),
    # A break asked as a question, for as long as something lasts.
    ("j'peux faire une petite pause? gros rush jusqu'a la fin du mois", "pause", True),
    ("Can I take a short break? Month-end is brutal.", "pause", True),
    # The words one may reply with, asked by a second-language writer.
    ("Which words we can reply with? I lost the mail.", "help", False),
    # An adverb between the verb and the session.
    ("Je suis en formation, on annule peut-être la séance du 9 mars ?", "skip", True),
    # A negation far back in a dictated sentence without commas does not refuse the request.
    ("oui cinq sur cinq par contre jeudi je peux pas je suis en tournée toute la journée on "
     "saute la séance si c est possible merci", "skip", True),
]



@pytest.mark.parametrize("body", [
    # An acronym in brackets after the word is no command.
    "Oui, 4. On a vu la méthode STOP (Sourire, Temps, Objectif, Pause) pour les réunions.",
    "Yes 4. Pas besoin de faire une pause, je tiens le rythme.",
])
def test_no_command_in(body: str) -> None:
    assert _read_any(body)["command"] is None


@pytest.mark.parametrize(("body", "want"), [
    # A half, then a dash and a comment.
    ("2,5 – la visio coupait sans arrêt.", {"rating": None, "rating_unclear": True}),
    ("Yes, 4.5 - great but ran over.", {"rating": None, "rating_unclear": True}),
    # A range after a comma, with a shrug.
    ("Oui c'était bien, 2-3 je sais pas, on a peu avancé.",
     {"rating": None, "rating_unclear": True}),
    # A mark out of ten in words.
    ("Decent session, seven out of ten.", {"rating": 4, "rating_unclear": False}),
    ("Séance sympa, huit sur dix.", {"rating": 4, "rating_unclear": False}),
    # Yes in slang before the mark.
    ("ouais 3", {"rating": 3, "took_place": True}),
    ("yup 5", {"rating": 5, "took_place": True}),
    # A mark with a shrug and its article.
    ("it went ahead but we were both tired so perhaps a 2?", {"rating": 2}),
    # Emoji stars after the yes.
    ("Oui ⭐⭐⭐⭐ on a fini le plan de charge", {"rating": 4, "took_place": True}),
])
def test_ratings(body: str, want: dict[str, object]) -> None:
    assert picked(_read_any(body), want) == want


def test_spoken_french_il_y_a_is_no_yes() -> None:
    assert _read_any("ya pas eu de séance, Paul était malade")["took_place"] is not True


def test_a_dictated_reply_is_cut_where_each_answer_starts() -> None:
    got = _read_any("yes we had it I'd give it a three out of five I learned how to set up "
                    "the projector for the hall I'd like to get better at the sound desk next "
                    "time we could go through the fire drill thanks a lot")
    assert picked(got, {"took_place": 1, "rating": 1, "learned": 1, "to_develop": 1,
                        "next_focus": 1}) == {
        "took_place": True, "rating": 3,
        "learned": "I learned how to set up the projector for the hall",
        "to_develop": "I'd like to get better at the sound desk",
        "next_focus": "next time we could go through the fire drill"}
    got = _read_any("oui on s'est vu mardi je dirais quatre j'ai appris à remplir le "
                    "registre de sécurité je voudrais encore travailler les devis la prochaine "
                    "fois on regarde les factures merci bonne soirée")
    assert picked(got, {"rating": 1, "learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "rating": 4, "learned": "j'ai appris à remplir le registre de sécurité",
        "to_develop": "je voudrais encore travailler les devis",
        "next_focus": "la prochaine fois on regarde les factures"}


def test_answers_in_a_table_keep_the_gap_between_label_and_answer() -> None:
    got = _read_any("Held?    yes\nScore    3\nLearnt    How to read a delivery note.\n"
                    "Develop\nNext    Stock counts.")
    assert picked(got, {"took_place": 1, "rating": 1, "learned": 1, "to_develop": 1,
                        "next_focus": 1}) == {
        "took_place": True, "rating": 3, "learned": "How to read a delivery note.",
        "to_develop": None, "next_focus": "Stock counts."}
    got = read("1. Eu lieu\toui\n2. Note\t4\n3. Appris\tLes bons de livraison.\n"
               "4. À développer\n5. Prochaine fois\tL'inventaire.", SESSION_FR)
    assert picked(got, {"learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "learned": "Les bons de livraison.", "to_develop": None,
        "next_focus": "L'inventaire."}


def test_numbered_answers_lose_the_label_typed_after_the_number() -> None:
    got = read("1. Eu lieu : oui\n2. Note : 4\n3. Appris : le lettrage.\n"
               "4. A dév. : les relances.\n5. Prochaine : la TVA.", SESSION_FR)
    assert picked(got, {"learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "learned": "le lettrage.", "to_develop": "les relances.", "next_focus": "la TVA."}


def test_a_mark_then_the_one_who_taught_on_one_line() -> None:
    got = _read_any("yes! 4 sam showed me how the label printer works")
    assert (got["rating"], got["learned"]) == (4, "sam showed me how the label printer works")


def test_an_answer_after_hi_and_yes_is_no_greeting() -> None:
    got = _read_any("Hi yes it went ahead, we only had 20 mins. 3/5\n"
                    "Aisling showed me the rota template.")
    assert (got["took_place"], got["rating"], got["learned"]) == (
        True, 3, "Aisling showed me the rota template.")


def test_a_subjectless_wish_to_develop() -> None:
    got = _read_any("Yes, 3/5.\nStill want to work on presenting the weekly figures to the board.")
    assert (got["learned"], got["to_develop"]) == (
        None, "Still want to work on presenting the weekly figures to the board.")


@pytest.mark.parametrize("body", [
    "No, Paul was off sick. Next session is booked anyway.",
    "Pas eu lieu, Paul était malade. Je répondrai la prochaine fois.",
    "Yes. 3/5. Nothing new to add this time.",
])
def test_no_text_answer_in(body: str) -> None:
    got = _read_any(body)
    assert (got["learned"], got["to_develop"], got["next_focus"]) == (None, None, None)


def test_a_swiss_sign_off_is_no_answer() -> None:
    got = _read_any("Oui. 4. Julie maîtrise les métrés.\nTout bon\nM.")
    assert (got["learned"], got["to_develop"]) == ("Julie maîtrise les métrés.", None)


def test_a_name_signing_for_a_shared_mailbox_is_no_answer() -> None:
    got = read("Oui, 4.\nLa mise en rayon.\nKevin Le Goff – Boutique Rennes Centre",
               SESSION_FR, sender="Boutique Rennes Centre <rennes@acme.fr>")
    assert (got["learned"], got["to_develop"]) == ("La mise en rayon.", None)


def test_answers_typed_in_our_quote_under_a_line_pointing_at_them() -> None:
    quote = ("Réponses dans votre message :)\n\n"
             "Le lun. 9 nov. 2026 à 17:00, Binôme <binome@acme.fr> a écrit :\n"
             "> Comment s'est passée votre séance n° 2 avec Paul Roy ?\n>\n"
             "> 1. La séance a-t-elle eu lieu ? (oui / non)\n> oui\n"
             "> 2. Votre note, de 1 à 5 :\n> 4\n"
             "> 3. Qu'avez-vous appris ?\n> Le plan de nettoyage.\n"
             "> 4. Que souhaitez-vous encore développer ?\n> Les commandes.\n"
             "> 5. Sur quoi vous concentrer la prochaine fois ?\n> Les fournisseurs.\n")
    got = read(quote, SESSION_FR)
    assert picked(got, {"rating": 1, "learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "rating": 4, "learned": "Le plan de nettoyage.", "to_develop": "Les commandes.",
        "next_focus": "Les fournisseurs."}


@pytest.mark.parametrize(("body", "goals"), [
    # Numbers said to a phone, and a level said after the last goal.
    ("mes objectifs un préparer les commandes seule deux gérer la caisse trois former "
     "l'apprentie et mon niveau en gestion je dirais deux",
     ["préparer les commandes seule", "gérer la caisse", "former l'apprentie"]),
    ("number one learn the ordering system number two run the early shift",
     ["learn the ordering system", "run the early shift"]),
    # A level line for two skills without a comma, and levels joined by "et".
    ("1. Tenir la caisse\n2. Faire les inventaires\ncaisse 2 inventaire 1",
     ["Tenir la caisse", "Faire les inventaires"]),
    ("Savoir faire un planning d'équipe\nniveau 1 et 2", ["Savoir faire un planning d'équipe"]),
    # "Not sure yet" where a third goal goes; "thats it" without its apostrophe.
    ("1. lire un bilan\n2. faire un budget\n3. je sais pas encore",
     ["lire un bilan", "faire un budget"]),
    ("order stock on my own\ntrain the new starter\nthats all", ["order stock on my own",
                                                               "train the new starter"]),
])
def test_goals(body: str, goals: list[str]) -> None:
    assert read_goals(body) == goals


# -- round 16, on the eighteenth and nineteenth blind corpora ------------------------------
_COMMANDS_16 = [
    # Formal, in the passive; "grateful if you could".
    ("I should like to ask that my participation be suspended until 2 February.", "pause",
     False),
    ("We would be grateful if you could cancel that session, as we are both at a "
     "conference.", "skip", False),
    # "Pause all mails until", and a break "en décembre".
    ("Please pause all emails until 9 March, I am on leave.", "pause", False),
    ("Je vais sans doute faire une pause en février, je vous confirme.", "pause", True),
    # "the one on the 3rd", "il vaut peut-être mieux".
    ("Could we skip the one on the 3rd? Audit week.", "skip", False),
    ("Il vaut peut-être mieux sauter la séance de mardi prochain, on est en inventaire.",
     "skip", True),
    # "Which words ... send", asked without "you".
    ("what words can I write to the programme? forgot them", "help", False),
]



def test_a_skip_in_the_thread_of_that_session() -> None:
    got = read("mercredi je peux pas, on annule",
               "RE: Atelier · séance 5 avec Paul Roy : mercredi 9 décembre 2026 à 10:00")
    assert (got["command"], got["confirm"]) == ("skip", False)


def test_a_yes_taken_back_confirms_nothing() -> None:
    got = read("ouais enfin non, on la garde finalement", "Re: Atelier · confirmez-vous ?")
    assert got["command"] is None


@pytest.mark.parametrize(("body", "held"), [
    ("Bon, celle-ci on l'a pas faite, Paul était en congé.", False),
    ("Hi, this week no session, the office was closed.", False),
    ("non j'étais en formation toute la semaine", False),
    ("You asked whether it took place: it didn't. We will rebook.", False),
])
def test_whether_it_took_place_round_16(body: str, held: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["took_place"]) == ("questionnaire", held)


@pytest.mark.parametrize(("body", "rating"), [
    ("Went ahead. id say 4 - good pace, clear examples", 4),
    ("It happened. Best one yet - four. Paul showed me the new till.", 4),
])
def test_ratings_round_16(body: str, rating: int) -> None:
    assert _read_any(body)["rating"] == rating


def test_answers_after_arrows_and_in_brackets() -> None:
    got = read("Eu lieu -> oui\nNote -> 4\nAppris -> la saisie des bons\n"
               "Encore développer -> le rapprochement bancaire\nProchaine fois -> la clôture",
               SESSION_FR)
    assert picked(got, {"rating": 1, "learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "rating": 4, "learned": "la saisie des bons", "to_develop": "le rapprochement bancaire",
        "next_focus": "la clôture"}
    got = _read_any("(1) Yes.\n(2) 4\n(3) The new label printer.\n(4) Nothing yet.\n"
                    "(5) Stock rotation.")
    assert picked(got, {"rating": 1, "learned": 1, "next_focus": 1}) == {
        "rating": 4, "learned": "The new label printer.", "next_focus": "Stock rotation."}
    got = read("1 (oui)\n2 (4)\n3 (les étiquettes)\n4 (rien)\n5 (les inventaires)", SESSION_FR)
    assert picked(got, {"learned": 1, "next_focus": 1}) == {
        "learned": "les étiquettes", "next_focus": "les inventaires"}


def test_labels_a_sentence_opens_with() -> None:
    got = _read_any("Yes, 4. What I learned: how to read a packing list. What I would still "
                    "like to develop: the returns process. What we should focus on next: "
                    "supplier calls.")
    assert picked(got, {"learned": 1, "to_develop": 1, "next_focus": 1}) == {
        "learned": "how to read a packing list.", "to_develop": "the returns process.",
        "next_focus": "supplier calls."}


def test_a_labelled_answer_and_the_next_line_in_capitals_are_two_answers() -> None:
    got = read("Oui, 4/5.\nAppris : les étiquettes de traçabilité\nÀ bosser : le planning\n"
               "On fera les commandes fournisseurs ensemble.", SESSION_FR)
    assert (got["to_develop"], got["next_focus"]) == (
        "le planning", "On fera les commandes fournisseurs ensemble.")


def test_a_line_above_the_real_header_that_holds_a_figure_is_an_answer() -> None:
    body = ("oui\n3\nle laminage, les 2 tours doubles\nla pâte trop collante\n\n"
            "Le mar. 3 nov. 2026, 15:00, Binôme <binome@acme.fr> a écrit :\n\n"
            "> Comment s'est passée votre séance ?\n")
    got = read(body, SESSION_FR)
    assert (got["learned"], got["to_develop"]) == ("le laminage, les 2 tours doubles",
                                                   "la pâte trop collante")


def test_goals_after_an_arrow() -> None:
    assert read_goals("Mes objectifs -> tenir la caisse seule, préparer les commandes") == [
        "tenir la caisse seule", "préparer les commandes"]


# -- round 17, on the twentieth and twenty-first blind corpora -----------------------------
_COMMANDS_17 = [
    # Said rather than asked: no point sending, away a while.
    ("plus la peine de m'envoyer les relances, je change de service en janvier", "stop", True),
    ("Off on secondment for the next few weeks, best not to send me anything.", "pause", True),
    # "I think I stop after this one", non-native; a stop with a condition after it.
    ("My internship finish in May so I think I stop after this one.", "stop", True),
    ("I think we could probably stop here unless the partners object.", "stop", True),
    # "on peut peut-être annuler ?" after naming the sessions missed.
    ("Je serai en stage les deux prochaines fois, on peut peut-être annuler ?", "skip", True),
    ("Also could we skip next Thursday's one, I'm in Dublin.", "skip", False),
    # The keyword opening a later line; the commands asked without a question mark.
    ("1. Oui\n2. 4\n\nSKIP pour la prochaine, audit chez un client.", "skip", False),
    ("what are the keywords again", "help", False),
]



@pytest.mark.parametrize("body", ["Yes, 4. No point sending me the deck, I have it already.",
                                  "Oui. 4. Plus la peine de m'envoyer le support, je l'ai."])
def test_no_point_sending_something_else_is_no_stop(body: str) -> None:
    assert _read_any(body)["command"] is None


def test_what_words_to_use_is_what_was_learned() -> None:
    got = _read_any("Yes, 4.\nWhat words to use with an angry client.")
    assert (got["command"], got["learned"]) == (None, "What words to use with an angry client.")


def test_a_while_spent_thinking_leaves_a_stop_a_stop() -> None:
    got = _read_any("Please take me off the programme, I've meant to for a while.")
    assert (got["command"], got["confirm"]) == ("stop", False)


def test_a_pause_from_a_date_is_never_read_as_until_it() -> None:
    got = _read_any("Please pause me from 3 March, I go on parental leave.")
    assert (got["command"], got["confirm"]) == ("pause", True)


def test_answers_only_in_the_subject() -> None:
    got = read("", "Re: Atelier · how did session 3 go? [B-1a2b3c4d5e6f] yes 4")
    assert (got["kind"], got["took_place"], got["rating"]) == ("questionnaire", True, 4)


@pytest.mark.parametrize(("body", "rating"), [
    ("Hello, yes we have the session. For me is 3.", 3),
    ("Went ahead, 4 – solid all round.", 4),
])
def test_ratings_round_17(body: str, rating: int) -> None:
    assert _read_any(body)["rating"] == rating


def test_a_yes_to_whether_it_took_place_even_moved() -> None:
    got = read("1. Oui mais déplacée à 16h\n2. 4\n3. Les plannings.", SESSION_FR)
    assert got["took_place"] is True


def test_answers_after_arrows_brackets_and_re() -> None:
    got = read("=> oui\n=> 4\n=> Le planning des congés.\n[Les entretiens annuels.]", SESSION_FR)
    assert (got["learned"], got["to_develop"]) == ("Le planning des congés.",
                                                    "Les entretiens annuels.")
    got = _read_any("Re: took place - yes\nRe: rating - 4\nRe: learned - How to cost a menu.\n"
                    "Re: next time - Wine pairing.")
    assert (got["learned"], got["next_focus"]) == ("How to cost a menu.", "Wine pairing.")


def test_formal_labels_with_a_comma() -> None:
    got = _read_any("It took place and I would rate it 4. As for what I learned, the audit "
                    "file is now clear to me. Regarding what I still wish to develop, my "
                    "drafting of engagement letters.")
    assert (got["learned"], got["to_develop"]) == (
        "the audit file is now clear to me.", "my drafting of engagement letters.")
    got = _read_any("Next, we looked at the ledger. I learned how accruals reverse.")
    assert got["next_focus"] is None


@pytest.mark.parametrize(("body", "goals"), [
    ("Q1 : Tenir un budget.\nQ2 : Lire un bilan.", ["Tenir un budget.", "Lire un bilan."]),
    ("coucou 1/ gérer la caisse seule 2/ ouvrir le matin 🙂 voila c tout",
     ["gérer la caisse seule", "ouvrir le matin"]),
    ("mes objectifs premièrement tenir le bar seul deuxièmement faire les cocktails merci",
     ["tenir le bar seul", "faire les cocktails"]),
    ("- run the pass on a Saturday\n- cost a new dish\nsam x",
     ["run the pass on a Saturday", "cost a new dish"]),
    ("Ce que j'aimerais d'ici l'été c'est savoir faire les plannings seule.",
     ["savoir faire les plannings seule"]),
])
def test_goals_round_17(body: str, goals: list[str]) -> None:
    assert read_goals(body) == goals


def test_initials_with_mc_sign_a_reply() -> None:
    got = _read_any("Yes, 4.\nThe payroll calendar.\nJMcK")
    assert (got["learned"], got["to_develop"]) == ("The payroll calendar.", None)


# -- round 18, on the twenty-second and twenty-third blind corpora -------------------------
_COMMANDS_18 = [
    ("Je me demande s'il ne faudrait pas faire une pause jusqu'en mars, je suis débordée.",
     "pause", True),
    ("Je vous remercie de bien vouloir suspendre l'envoi des courriels jusqu'au 4 mai.",
     "pause", False),
    ("Maman est rentrée, elle voudrait recommencer à recevoir les mails. Merci", "resume",
     False),
    ("can u pause me til feb pls, house move", "pause", False),
    ("Sorry, think I need to drop out of this for now, too much on.", "stop", True),
    ("hi, back from holiday, could you turn my emails back on?", "resume", False),
    ("im back!! u can start sending me the mentoring emails again", "resume", False),
    ("c'est quoi la commande pour faire une pause ?", "help", False),
]



@pytest.mark.parametrize(("body", "want"), [
    # Someone types for the participant: "Il met 4", "she says 3".
    ("C'est sa fille qui écrit. Oui la séance a eu lieu. Il met 4.", {"rating": 4}),
    ("Tom typing for Dad. It did happen, he says 3, and he learned the rota app.",
     {"rating": 3, "took_place": True}),
    ("bonjour oui on s est vu, 3 on a parler des transmissions merci", {"rating": 3}),
    ("2 tbh, only 10 mins, she got called out", {"rating": 2}),
    ("👍 4", {"took_place": True, "rating": 4}),
])
def test_ratings_round_18(body: str, want: dict[str, object]) -> None:
    assert picked(_read_any(body), want) == want


@pytest.mark.parametrize("body", ["Oui, c'était bien. Elle dit merci à Paul.",
                                  "Yes, went well. She says hi to everyone.",
                                  "Il met du temps à trouver ses mots."])
def test_someone_else_s_words_without_a_mark_are_no_rating(body: str) -> None:
    got = _read_any(body)
    assert (got["rating"], got["rating_unclear"]) == (None, False)


def test_a_thumbs_up_alone_is_no_answer() -> None:
    assert _read_any("👍")["took_place"] is None


def test_we_did_not_manage_this_one() -> None:
    assert _read_any("Ah, we didn't manage this one, she was off sick.")["took_place"] is False


def test_answers_marked_under_our_unquoted_questions() -> None:
    body = ("Réponses dans le texte.\n\n----- Mail original -----\n"
            "De: \"Binôme\" <binome@acme.fr>\nEnvoyé: Mardi 3 Novembre 2026 11:00:00\n"
            "Objet: comment s'est passée la séance 2 ?\n"
            "1. La séance a-t-elle eu lieu ? (oui / non)\n>>> Oui\n"
            "2. Votre note, de 1 à 5 :\n>>> 4\n"
            "3. Qu'avez-vous appris ?\n>>> Le logiciel de planning.\n")
    got = read(body, SESSION_FR)
    assert (got["took_place"], got["rating"], got["learned"]) == (
        True, 4, "Le logiciel de planning.")


def test_a_question_to_the_partner_is_no_answer() -> None:
    got = read("Oui, 4.\nLes plannings.\nQuestion pour Inès : tu peux m'envoyer ton modèle ?",
               SESSION_FR)
    assert (got["learned"], got["to_develop"]) == ("Les plannings.", None)


def test_markdown_bold_labels() -> None:
    got = _read_any("yes, 4\n**Learned:** how to read a flow report\n**Next:** the spring sale")
    assert (got["learned"], got["next_focus"]) == ("how to read a flow report",
                                                   "the spring sale")


@pytest.mark.parametrize(("body", "name", "confirm"),
                         _COMMANDS_15 + _COMMANDS_16 + _COMMANDS_17 + _COMMANDS_18)
def test_commands(body: str, name: str, confirm: bool) -> None:
    got = _read_any(body)
    assert (got["kind"], got["command"], got["confirm"]) == ("command", name, confirm)
