"""Commands we are not sure of are asked back; mail is read against what we sent (#14).

The real local backend and the simulated clock, as in tests/loop/test_commands.py: a
likely command ("je crois que je vais devoir...") gets one question in the person's
language, and only their yes to that very mail (its token in the subject) acts; a
command in a message that answers none of ours is asked back at the roster address;
RESEND sends the latest questionnaire again; answers and a command in one reply both
count; and with the admin's own wording of the questionnaire, answers typed after
their questions in an Outlook quote are still read.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from harness import HOUR, Mail, Run, mail_for, reply_to, sent_mail, starts

from agent.core.docs import iso

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def first(run: Run, kind: str, email: str) -> Mail:
    """`kind` (objectives, questionnaire) for `email`'s first session, once it is sent."""
    run.tick()
    pairing, series = run.pairing(email), run.series(email)
    run.until(series.occurrences()[0] + series.duration + 3 * HOUR)
    return next(m for m in mail_for(run.local, kind, pairing, series.occurrences()[0])
                if m.to == email)


def only(run: Run, prefix: str, to: str) -> list[Mail]:
    return sorted(sent_mail(run.local, prefix, to=to), key=lambda m: m.date)


def test_a_likely_pause_is_asked_in_french_and_her_oui_pauses(run: Run) -> None:
    objectives = first(run, "objectives", "nadia@ex.fr")
    now = run.clock.now()
    run.deliver("1.likely", reply_to(
        objectives, "nadia@ex.fr", "Bonjour,\nJe crois que je vais devoir mettre le mentorat en "
        "pause jusqu'au 15 janvier, je vous confirme.\nNadia", "<l1@ex.fr>", now))
    run.tick(now + HOUR)

    assert run.agent.ledger.people.optout("nadia@ex.fr") is None  # nothing done yet
    [asked] = only(run, "mail/ask/", "nadia@ex.fr")
    assert asked.language == "fr" and "confirmez-vous" in asked.subject
    assert "mettre le programme en pause jusqu'au vendredi 15 janvier 2027" in asked.text
    assert "répondez OUI" in asked.text and "mailto:" in asked.text and "OUI" in asked.html
    assert only(run, "mail/confirm/", "nadia@ex.fr") == []

    run.deliver("2.oui", reply_to(asked, "nadia@ex.fr", "OUI", "<l2@ex.fr>", now + HOUR))
    run.tick(now + 2 * HOUR)
    optout = run.agent.ledger.people.optout("nadia@ex.fr")
    assert optout is not None and optout.mode == "pause"
    assert optout.until is not None
    assert optout.until.astimezone(ZoneInfo("Europe/Paris")).date().isoformat() == "2027-01-15"
    [confirm] = only(run, "mail/confirm/", "nadia@ex.fr")
    assert confirm.language == "fr" and "pause enregistrée" in confirm.subject
    assert run.stored("quarantine") == {}


def test_an_english_skip_naming_a_day_is_asked_about_the_next_session(run: Run) -> None:
    objectives = first(run, "objectives", "emma@ex.fr")
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    o2 = series.occurrences()[1]
    key = f"series/{pairing.id}"
    now = run.clock.now()
    day = format_date(o2.astimezone(ZoneInfo("Europe/London")), "EEEE", locale="en")
    run.deliver("1.skip", reply_to(objectives, "emma@ex.fr", f"Hi, can we skip {day}'s "
                                   "session? Oliver is travelling.", "<k1@ex.fr>", now, "en"))
    run.tick(now + HOUR)
    assert o2 in starts(run.local, "emma@ex.fr", key)  # asked, not done
    [asked] = only(run, "mail/ask/", "emma@ex.fr")
    when = format_date(o2.astimezone(ZoneInfo("Europe/London")), "d MMMM y", locale="en")
    assert asked.language == "en" and "please confirm" in asked.subject
    assert "cancel your session on" in asked.text and when in asked.text
    assert "Oliver Smith" in asked.text

    run.deliver("2.yes", reply_to(asked, "emma@ex.fr", "Yes please, thanks!", "<k2@ex.fr>",
                                  now + HOUR, "en"))
    report = run.tick(now + 2 * HOUR)
    [skip] = [o for o in report.outcomes if o.kind == "move"]
    assert skip.ok and skip.action.key == f"skip/{pairing.id}/{iso(o2)}"
    assert o2 not in starts(run.local, "emma@ex.fr", key)
    [confirm] = only(run, "mail/confirm/", "emma@ex.fr")
    assert "next session cancelled" in confirm.subject


def test_a_no_or_a_yes_without_the_question_s_reference_does_nothing(run: Run) -> None:
    objectives = first(run, "objectives", "nadia@ex.fr")
    now = run.clock.now()
    run.deliver("1.likely", reply_to(objectives, "nadia@ex.fr", "Je vais peut-être arrêter le "
                                     "programme.", "<n1@ex.fr>", now))
    run.tick(now + HOUR)
    [asked] = only(run, "mail/ask/", "nadia@ex.fr")
    run.deliver("2.non", reply_to(asked, "nadia@ex.fr", "Non, finalement je continue !",
                                  "<n2@ex.fr>", now + HOUR))
    # A yes that never saw our question (a forger's: its In-Reply-To can be computed, the
    # question's token, an HMAC with the installation's secret, cannot).
    forged = _standalone("Nadia Benali <nadia@ex.fr>", "Re: " + re.sub(
        r"\s*\[B-\w+\]", "", asked.subject), "OUI", "<n3@ex.fr>", now + HOUR,
        in_reply_to=asked.message_id)
    run.deliver("3.oui", forged)
    run.tick(now + 2 * HOUR)
    assert run.agent.ledger.people.optout("nadia@ex.fr") is None
    assert only(run, "mail/confirm/", "nadia@ex.fr") == []
    assert [q.reason for q in run.agent.ledger.quarantine.everything()] == [
        "answer to our question about a command without its reference [B-...] in the "
        "subject (from nadia@ex.fr): nothing done"]


def _standalone(sender: str, subject: str, body: str, message_id: str, when: object,
                in_reply_to: str = "") -> bytes:
    msg = EmailMessage(policy=SMTP)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    msg["From"] = sender
    msg["To"] = "binome@atelier-lumiere.fr"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)  # type: ignore[arg-type]
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


def test_a_stop_that_answers_nothing_is_asked_back_and_only_the_yes_acts(run: Run) -> None:
    run.tick()
    now = run.clock.now()
    # Anyone can write "From: nadia@ex.fr": this alone must change nothing.
    run.deliver("1.stop", _standalone("Nadia Benali <nadia@ex.fr>", "Arrêt du programme",
                                      "Bonjour,\nJe souhaite quitter le programme.\nNadia",
                                      "<s1@ex.fr>", now))
    run.deliver("2.stranger", _standalone("x@elsewhere.com", "STOP", "", "<s2@ex.fr>", now))
    run.tick(now + HOUR)
    assert run.agent.ledger.people.optout("nadia@ex.fr") is None
    [asked] = only(run, "mail/ask/", "nadia@ex.fr")
    assert "souhaitez-vous quitter le programme" in asked.text
    [reason] = [q.reason for q in run.agent.ledger.quarantine.everything()]
    assert reason.startswith("not a reply to one of our messages (from x@elsewhere.com")

    run.deliver("3.oui", reply_to(asked, "nadia@ex.fr", "Oui, je confirme.", "<s3@ex.fr>",
                                  now + HOUR))
    run.tick(now + 2 * HOUR)
    optout = run.agent.ledger.people.optout("nadia@ex.fr")
    assert optout is not None and optout.mode == "stop"
    [confirm] = only(run, "mail/confirm/", "nadia@ex.fr")
    assert "vous quittez le programme" in confirm.subject


def test_answers_then_a_pause_count_both_and_resend_sends_the_questionnaire_again(
        run: Run) -> None:
    questionnaire = first(run, "questionnaire", "emma@ex.fr")
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    o1 = series.occurrences()[0]
    now = run.clock.now()
    run.deliver("1.both", reply_to(
        questionnaire, "emma@ex.fr", "1. Yes\n2. 4\n3. Window functions\n4. CTEs\n5. Indexes"
        "\n\nBy the way I'm on leave: please put the mentoring on hold until 3 March.",
        "<b1@ex.fr>", now, "en"))
    run.tick(now + HOUR)
    feedback = run.stored("feedback")["<b1@ex.fr>"]
    assert (feedback["rating"], feedback["held"], feedback["learned"]) == (
        4, True, "Window functions")
    optout = run.agent.ledger.people.optout("emma@ex.fr")
    assert optout is not None and optout.mode == "pause"
    assert only(run, "mail/ask/", "emma@ex.fr") == []  # a sure command: done, then confirmed

    run.deliver("2.resend", reply_to(questionnaire, "emma@ex.fr", "Could you resend the "
                                     "questionnaire please? I lost it.", "<b2@ex.fr>",
                                     now + HOUR, "en"))
    run.tick(now + 2 * HOUR)
    [again] = only(run, "mail/resend/", "emma@ex.fr")
    assert again.language == "en" and "Your rating, from 1 to 5" in again.text
    run.deliver("3.answer", reply_to(again, "emma@ex.fr", "5", "<b3@ex.fr>", now + 2 * HOUR,
                                     "en"))
    run.tick(now + 3 * HOUR)
    # One record per person and session (#15): the new answer completes the first one.
    answer = run.stored("feedback")["<b1@ex.fr>"]
    assert answer["rating"] == 5 and answer["occurrence"] == iso(o1)
    assert answer["pairing"] == pairing.id and answer["learned"] == "Window functions"


def test_feedback_sent_in_reply_to_the_objectives_counts_for_that_session(run: Run) -> None:
    objectives = first(run, "objectives", "emma@ex.fr")
    o1 = run.series("emma@ex.fr").occurrences()[0]
    run.deliver("1.here", reply_to(
        objectives, "emma@ex.fr", "Replying here as I can't find the questionnaire: it took "
        "place, 4/5, I learned conditional formatting with formulas.", "<o1@ex.fr>",
        run.clock.now(), "en"))
    run.tick(run.clock.now() + HOUR)
    doc = run.stored("feedback")["<o1@ex.fr>"]
    assert (doc["rating"], doc["held"], doc["occurrence"]) == (4, True, iso(o1))
    assert doc["learned"] == "I learned conditional formatting with formulas."


OWN_QUESTIONNAIRE = """\
Bonjour {{ person.first_name }},

Votre rencontre n° {{ session_number }} avec {{ partner_names | join(", ") }} est passée.

1. Vous êtes-vous bien retrouvés ?
2. Quelle note donneriez-vous à la rencontre, sur une échelle de un à cinq ?
3. Quelle découverte retenez-vous ?
4. Quel point reste à consolider ?
5. Quelle priorité pour la suite ?

--
{{ programme_name }} · réf. {{ reply_token }}
"""


def test_answers_after_the_admin_s_own_questions_in_an_outlook_quote_are_read(
        make_programme: object) -> None:
    programme = make_programme(  # type: ignore[operator]
        edits={'# templates = "my-templates"': 'templates = "my-templates"'})
    own = programme.folder / "my-templates" / "fr"
    own.mkdir(parents=True)
    (own / "questionnaire.txt.j2").write_text(OWN_QUESTIONNAIRE, encoding="utf-8")
    run = Run(programme)
    questionnaire = first(run, "questionnaire", "nadia@ex.fr")
    assert "Quelle découverte retenez-vous" in questionnaire.text
    answers = {"1.": "Oui", "2.": "Quatre", "3.": "Les tableaux croisés",
               "4.": "Les graphiques", "5.": "Un vrai dossier client"}
    # Outlook: its header block, then our text unquoted, her answers typed after ours.
    quoted = "\n".join(f"{line} {answers[line[:2]]}" if line[:2] in answers else line
                       for line in questionnaire.text.splitlines())
    body = (f"Voir mes réponses ci-dessous.\n\nDe\u00a0: {questionnaire.sender}\n"
            f"Envoyé\u00a0: mardi 8 septembre 2026 15:30\nÀ\u00a0: Nadia Benali <nadia@ex.fr>"
            f"\nObjet\u00a0: {questionnaire.subject}\n\n{quoted}\n")
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Nadia Benali <nadia@ex.fr>"
    msg["To"] = "binome@atelier-lumiere.fr"
    msg["Subject"] = "RE: " + questionnaire.subject
    msg["Message-ID"] = "<own1@ex.fr>"
    msg["In-Reply-To"] = questionnaire.message_id
    msg["Date"] = format_datetime(run.clock.now())
    msg.set_content(body, charset="windows-1252", cte="quoted-printable")
    run.deliver("1.own", msg.as_bytes())
    run.tick(run.clock.now() + HOUR)
    doc = run.stored("feedback")["<own1@ex.fr>"]
    assert (doc["held"], doc["rating"], doc["learned"], doc["to_develop"],
            doc["next_focus"]) == (True, 4, "Les tableaux croisés", "Les graphiques",
                                   "Un vrai dossier client")
    # What was kept to read it is hashes and our own questions, never the mail's words.
    index = next(d for d in run.stored("messages").values() if d.get("key") == (
        f"mail/questionnaire/{run.pairing('nadia@ex.fr').id}/"
        f"{iso(run.series('nadia@ex.fr').occurrences()[0])}/nadia@ex.fr"))
    assert index["questions"][2] == ["learned", "Quelle découverte retenez-vous ?"]
    assert "Claire" not in index["said"] and "Martin" not in str(index)
    assert timedelta(0) <= run.clock.now() - questionnaire.date


def test_a_skip_of_the_day_our_objectives_name_cancels_that_session_at_once(run: Run) -> None:
    """In the thread of a session's objectives, a request to skip that day's session is
    unmistakable: it acts without a question, on that very session."""
    run.tick()
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    o1 = series.occurrences()[0]
    run.until(o1 - 2 * HOUR)
    [objectives] = [m for m in mail_for(run.local, "objectives", pairing, o1)
                    if m.to == "emma@ex.fr"]
    now = run.clock.now()
    day = format_date(o1.astimezone(ZoneInfo("Europe/London")), "EEEE", locale="en")
    run.deliver("1.skip", reply_to(objectives, "emma@ex.fr", f"Hi, I'm stuck at a client on "
                                   f"{day}, please cancel that one.", "<d1@ex.fr>", now, "en"))
    report = run.tick(now + timedelta(minutes=10))
    [skip] = [o for o in report.outcomes if o.kind == "move"]
    assert skip.ok and skip.action.key == f"skip/{pairing.id}/{iso(o1)}"
    assert o1 not in starts(run.local, "emma@ex.fr", f"series/{pairing.id}")
    assert only(run, "mail/ask/", "emma@ex.fr") == []
    [confirm] = only(run, "mail/confirm/", "emma@ex.fr")
    assert "next session cancelled" in confirm.subject


def test_a_skip_naming_a_date_cancels_the_session_that_day_not_the_next(run: Run) -> None:
    """'Pouvez-vous annuler la séance du jeudi 19 novembre ?' names one session by its
    date: it acts at once, on that session, even when another comes first."""
    questionnaire = first(run, "questionnaire", "nadia@ex.fr")
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    o2, o3 = series.occurrences()[1:3]
    when = format_date(o3.astimezone(ZoneInfo("Europe/Paris")), "EEEE d MMMM", locale="fr")
    now = run.clock.now()
    run.deliver("1.dated", reply_to(questionnaire, "nadia@ex.fr", f"Oui, 4/5.\n\nJe serai en "
                                    f"formation le {when}, pouvez-vous annuler la séance de ce "
                                    "jour-là ?", "<t1@ex.fr>", now))
    report = run.tick(now + HOUR)
    [skip] = [o for o in report.outcomes if o.kind == "move"]
    assert skip.ok and skip.action.key == f"skip/{pairing.id}/{iso(o3)}"
    key = f"series/{pairing.id}"
    assert o3 not in starts(run.local, "nadia@ex.fr", key)
    assert o2 in starts(run.local, "nadia@ex.fr", key)
    assert only(run, "mail/ask/", "nadia@ex.fr") == []
