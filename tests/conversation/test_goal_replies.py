"""Goals and levels in replies to the introduction, as people type them (issue #14): the
habits the blind corpora showed, each in phrasings of our own, French and English."""

from __future__ import annotations

import pytest

from agent.conversation.replies.goals import read_goals
from agent.conversation.replies.levels import level_line, read_levels
from agent.conversation.replies.parse import parse_reply


def _intro_reply(text: str) -> dict[str, object]:
    raw = (f"From: a@b.fr\r\nSubject: Re: Acme · your mentoring with Marc [B-1a2b3c4d]\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n")
    return parse_reply(raw.encode()).understood()


@pytest.mark.parametrize("line", [
    "Excel : 2", "Comptabilité : 3 je crois", "niveau Excel 3/5", "Mon niveau en SQL : débutant",
    "Anglais : intermédiaire", "Power BI 1", "- Python : 2",
    "Excel level: 2 I think", "Python: 1 (total beginner)", "My SQL level is 4",
    "Public speaking: 2, at best", "Negotiation - 3 🙂", "C++ : 2", "Excel : 2/5, SQL : 1/5",
    "Python: débutant; Git: 2",
])
def test_a_level_line_is_told_without_knowing_the_skills(line: str) -> None:
    assert level_line(line)


@pytest.mark.parametrize("line", [
    "Faire 3 TCD par mois", "Excel pour 2 équipes", "Devenir experte en paie",
    "Objectif 1 : 3", "Note : 4", "Goal 1: 2", "Read 2 books on design",
    "Lire un bilan : 2 heures par semaine", "Excel 8/10", "2 les graphiques",
])
def test_a_goal_or_a_rating_is_no_level_line(line: str) -> None:
    assert not level_line(line)


@pytest.mark.parametrize("text, goals", [
    # Levels under the goals, in every shape the introduction invites.
    ("Tenir ma trésorerie\nPréparer un prévisionnel\nComptabilité : 2",
     ["Tenir ma trésorerie", "Préparer un prévisionnel"]),
    ("Animer un atelier\nRédiger un compte rendu clair\nniveau Word 3/5",
     ["Animer un atelier", "Rédiger un compte rendu clair"]),
    ("Review pull requests calmly\nWrite a design doc\nGit level: 2 I think",
     ["Review pull requests calmly", "Write a design doc"]),
    ("Merci, bien reçu !\nPhotoshop : 2", []),
    ("Thanks, see you on Tuesday.\nSpreadsheets: 3", []),
    # Semicolons between goals on one line, with a label, a wish, or neither.
    ("Objectifs : monter un budget ; lire un bilan ; parler aux banquiers",
     ["monter un budget", "lire un bilan", "parler aux banquiers"]),
    ("Goals: keyboard shortcuts; cleaner charts; basic macros",
     ["keyboard shortcuts", "cleaner charts", "basic macros"]),
    ("Coach a junior analyst; run the weekly stand-up",
     ["Coach a junior analyst", "run the weekly stand-up"]),
    ("Looking forward to it; see you Monday", []),
    # Two goals in one sentence, the second after "and ideally", "et idéalement".
    ("I want to be able to close the books on my own, and ideally explain the variances "
     "to the board.", ["be able to close the books on my own",
                       "explain the variances to the board"]),
    ("Je voudrais gérer seule les relances clients, et idéalement négocier les échéanciers.",
     ["gérer seule les relances clients", "négocier les échéanciers"]),
    # Numbers typed on a phone, without a dot: on their own lines or on one.
    ("1 monter un budget\n2 lire un bilan\nexcel 1", ["monter un budget", "lire un bilan"]),
    ("1 shoot a product video 2 edit it on my phone",
     ["shoot a product video", "edit it on my phone"]),
    ("Objectifs : 1 faire un publipostage 2 mettre en forme un rapport",
     ["faire un publipostage", "mettre en forme un rapport"]),
    ("1 ou 2 séances par mois pour commencer", []),
    ("2 dashboards in Power BI", []),
    # A line the client wrapped, the second goal after "and also to", "et aussi".
    ("I'd like to learn to run a retrospective with the whole team, and also to\n"
     "write clearer tickets for the developers.",
     ["learn to run a retrospective with the whole team",
      "write clearer tickets for the developers"]),
    ("J'aimerais apprendre à préparer un comité de pilotage, et aussi\n"
     "rédiger des comptes rendus plus courts.",
     ["apprendre à préparer un comité de pilotage", "rédiger des comptes rendus plus courts"]),
    # A numbered or bulleted goal wrapped by the client goes on in lower case; a closing
    # line does not.
    ("1. Tenir le registre des immobilisations sans\naide\n2. Préparer la liasse fiscale",
     ["Tenir le registre des immobilisations sans aide", "Préparer la liasse fiscale"]),
    ("- Set up alerts for the nightly batch so I hear about failures\nbefore the users do\n"
     "- Read a flame graph", ["Set up alerts for the nightly batch so I hear about failures "
                              "before the users do", "Read a flame graph"]),
    ("1. Relire un contrat\n2. Repérer une clause abusive\nvoilà, merci",
     ["Relire un contrat", "Repérer une clause abusive"]),
    # Goals one per line, long ones too when each starts with a verb.
    ("Construire un tableau de bord qui suive les ventes de chaque commercial semaine après "
     "semaine\nLire un bilan", ["Construire un tableau de bord qui suive les ventes de chaque "
                                "commercial semaine après semaine", "Lire un bilan"]),
    ("Thanks for setting this up, it is really kind of you and of the whole team.\n"
     "Looking forward to meeting Priya next Tuesday at the office.", []),
    # One goal: announced by a count, or alone under a heading however long it is.
    ("Just one for now: get through a quarterly review without notes 😬",
     ["get through a quarterly review without notes"]),
    ("Un seul objectif : tenir le planning de l'atelier sans me perdre",
     ["tenir le planning de l'atelier sans me perdre"]),
    ("Mon objectif :\n\nÊtre capable de présenter seule les chiffres du trimestre au comité "
     "de direction sans fiche\n\nMerci", ["Être capable de présenter seule les chiffres du "
                                          "trimestre au comité de direction sans fiche"]),
    ("My goal:\nConfidently lead the Monday planning meeting with the whole production team "
     "and the two agencies\nTom", ["Confidently lead the Monday planning meeting with the "
                                   "whole production team and the two agencies"]),
    # One sentence or one line each, in order: the order words are not the goals.
    ("Tout d'abord, tenir un tableau de trésorerie. Ensuite, relancer les impayés. Enfin, "
     "clôturer le mois seule.", ["tenir un tableau de trésorerie", "relancer les impayés",
                                "clôturer le mois seule"]),
    ("Firstly, sketch a user journey. Secondly, run a usability test.",
     ["sketch a user journey", "run a usability test"]),
    ("Premièrement, rédiger une offre\nDeuxièmement, chiffrer un devis",
     ["rédiger une offre", "chiffrer un devis"]),
    ("First aid refresher\nFire drill planning", ["First aid refresher", "Fire drill planning"]),
    ("First, thanks for pairing me with Ana. See you soon.", []),
    ("I'd like to write better release notes. Next week I'm off though.",
     ["write better release notes"]),
    ("J'aimerais maîtriser la mise en page. Enfin bref, à mardi.", ["maîtriser la mise en page"]),
    # Other ways to number: letters, "#", "1°", the keycap emoji a phone offers.
    ("a) Rédiger une note de synthèse\nb) Animer une visio", ["Rédiger une note de synthèse",
                                                             "Animer une visio"]),
    ("#1 Estimate a sprint\n#2 Split a user story", ["Estimate a sprint", "Split a user story"]),
    ("1° Lire un plan\n2° Chiffrer un chantier", ["Lire un plan", "Chiffrer un chantier"]),
    ("1\ufe0f\u20e3 Shoot a reel\n2\ufe0f\u20e3 Edit captions", ["Shoot a reel",
                                                               "Edit captions"]),
    # More ways to say "I would like", and what "I just want to" says that is no goal.
    ("I'd love to sharpen my pitch and handle tough questions.",
     ["sharpen my pitch", "handle tough questions"]),
    ("I'm keen to get quicker at month-end. I also want to learn Power Query.",
     ["get quicker at month-end", "learn Power Query"]),
    ("My main aim is to write maintainable tests.", ["write maintainable tests"]),
    ("Ce serait top de savoir monter une vidéo et de gérer une page LinkedIn.",
     ["savoir monter une vidéo", "gérer une page LinkedIn"]),
    ("Je souhaiterais comprendre la paie et préparer les déclarations sociales.",
     ["comprendre la paie", "préparer les déclarations sociales"]),
    ("Pour moi : prendre confiance au téléphone et mieux relancer les prospects.",
     ["prendre confiance au téléphone", "mieux relancer les prospects"]),
    ("Goals for me: I'd like to shorten my reports, and also to\npresent them in five "
     "minutes.", ["shorten my reports", "present them in five minutes"]),
    ("I just want to say thanks for organising this!", []),
    # What a count, "pour moi :" or a plan introduces may be logistics, not a goal.
    ("Ça marche pour moi : mardi me convient.", []),
    ("Fine for me: see you Wednesday.", []),
    ("Une seule chose : je pars en congé le 12.", []),
    ("Just one thing: we'll need a bigger room.", []),
    ("I plan to be there ten minutes early.", []),
    ("Je compte sur vous pour me rappeler l'heure.", []),
    ("Je voudrais vous remercier pour cette mise en relation.", []),
])
def test_goals_as_people_write_them(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


def test_levels_in_a_reply_to_the_introduction_are_not_goals() -> None:
    got = _intro_reply("Hi!\n\nImprove my cold emails\nHandle objections on calls\n\n"
                       "Sales level: 2, honestly\n\nNina")
    assert (got["kind"], got["goals"]) == ("goals", ["Improve my cold emails",
                                                     "Handle objections on calls"])


@pytest.mark.parametrize("text, levels", [
    ("niveau Excel 3/5", {"Excel": 3}),
    ("Mon niveau en SQL : 2", {"SQL": 2}),
    ("Excel level: 4 I think", {"Excel": 4}),
    ("Python : 1 (grand débutant)", {"Python": 1}),
    ("SQL : 3 je crois", {"SQL": 3}),
])
def test_levels_softened_or_after_the_word_level_are_read(
    text: str, levels: dict[str, int]
) -> None:
    assert read_levels(text, ["Excel", "SQL", "Python"]) == (levels, "")


@pytest.mark.parametrize(("text", "goals"), [
    ("> Your goals: reply to this email with up to three things you want to be able to do,"
     " one per line:\n> 1. ...\n1. Chair the Monday stand-up on my own\n> 2. ...\n"
     "2. Write the release notes in plain English\n> 3. ...\n",
     ["Chair the Monday stand-up on my own", "Write the release notes in plain English"]),
    ("> Vos objectifs : répondez à cet e-mail avec jusqu'à trois choses, une par ligne :\n"
     "> 1. ...\n1) Relancer les impayés sans gêne\n> 2. ...\n2) Tenir la caisse du salon\n",
     ["Relancer les impayés sans gêne", "Tenir la caisse du salon"]),
])
def test_goals_numbered_again_under_our_numbered_slots_keep_no_number(
        text: str, goals: list[str]) -> None:
    assert _intro_reply(text)["goals"] == goals
