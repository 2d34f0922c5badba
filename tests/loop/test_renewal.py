"""Renewal by consent: two weeks before a cycle ends, each member is asked whether the pairing
goes on; everyone continuing extends the same series, a change frees both (and keeps them
apart), a stop leaves the format, and no answer counts as continue in mentoring and as change
among peers. The introduction and the renewal both ask levels, which the digests show."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from harness import HOUR, PARIS, Run, reply_to, sent_mail

from agent.loop.health import Context
from agent.loop.look import Look
from agent.loop.sections import renewals
from agent.programme.renewal import pending

STEP = timedelta(hours=6)
ASKED = datetime(2026, 9, 18, 8, tzinfo=PARIS)  # cycles of one month: Oct 1 minus two weeks
NEXT = datetime(2026, 10, 1, 9, tzinfo=PARIS)


def monthly(make_programme: Any, **edits: str) -> Run:
    return Run(make_programme(edits={"cycle_months = 3": "cycle_months = 1", **edits}))


def renewal_mail(run: Run, email: str) -> Any:
    [mail] = sent_mail(run.local, "mail/renewal/", to=email)
    return mail


def one_click(mail: Any, choice: str) -> str:
    """The body the mail's one-click link for `choice` prefills (as a mail client opens it)."""
    links = [line.split(": ", 1)[1] for line in mail.text.splitlines() if "mailto:" in line]
    words = {"continue": ("continuer", "continue"), "change": ("changer", "change"),
             "stop": ("arrêter", "stop")}[choice]
    for link in links:
        body = parse_qs(urlsplit(link.strip()).query)["body"][0]
        if unquote(body).split(":", 1)[1].split()[0] in words:
            return body
    raise AssertionError(f"no {choice} link in {links}")


def answer(run: Run, email: str, text: str, lang: str = "fr") -> None:
    mail = renewal_mail(run, email)
    raw = reply_to(mail, email, text, f"<renewal-{email}>", run.clock.now() + HOUR, lang)
    run.deliver(f"renewal-{email.split('@')[0]}", raw)


def test_the_renewal_mail_asks_each_member_once_with_three_links_and_the_default(
    make_programme: Any,
) -> None:
    run = monthly(make_programme)
    run.tick()
    run.until(ASKED, step=STEP)
    nadia, claire = renewal_mail(run, "nadia@ex.fr"), renewal_mail(run, "claire@ex.fr")
    emma = renewal_mail(run, "emma@ex.fr")
    assert nadia.language == "fr" and emma.language == "en"
    assert "on continue ?" in nadia.subject and "carry on?" in emma.subject
    assert "arrive à la fin de son cycle le mercredi 30 septembre 2026" in nadia.text
    assert "Répondez d'ici le dimanche 27 septembre 2026" in nadia.text
    assert "Sans réponse de votre part, nous considérerons que vous souhaitez continuer" \
        in nadia.text
    # A learner is asked their level in each skill; her mentor is not.
    assert "de 1 (débutant) à 5 (expert)" in nadia.text and "Négociation :" in nadia.text
    assert "de 1 (débutant)" not in claire.text
    assert "Changer de mentor" in nadia.text and "Changer de mentoré·e" in claire.text
    body = one_click(nadia, "continue")
    assert body.startswith("Renouvellement : continuer") and "Négociation : " in body
    assert one_click(emma, "stop").startswith("Renewal: stop")
    run.until(ASKED + timedelta(days=3), step=STEP)
    assert len(sent_mail(run.local, "mail/renewal/")) == 4  # one each, never again


def test_continue_by_everyone_extends_the_same_series_without_a_new_introduction(
    make_programme: Any,
) -> None:
    run = monthly(make_programme)
    run.tick()
    before = run.series("emma@ex.fr")
    run.until(ASKED, step=STEP)
    answer(run, "emma@ex.fr", "Renewal: continue\n\nSQL: 3", lang="en")
    answer(run, "oliver@ex.fr", "Renewal: continue", lang="en")
    run.until(NEXT, step=STEP)
    pairing = run.pairing("emma@ex.fr")  # still the one pairing: the same id
    after = run.series("emma@ex.fr")
    assert after.key == before.key and after.start == before.start
    assert after.until == datetime(2026, 11, 1, tzinfo=PARIS)
    assert [o for o in after.occurrences() if o >= before.until]  # sessions in October
    assert run.agent.ledger.progress.renewed(pairing.id) == ("2026-10-01",)
    assert len(sent_mail(run.local, "mail/intro/", to="emma@ex.fr")) == 1
    assert run.agent.ledger.progress.levels("emma@ex.fr")["sql"][-1].level == 3
    # October's sessions get their objectives as before.
    run.until(NEXT + timedelta(days=8), step=STEP)
    october = [m for m in sent_mail(run.local, f"mail/objectives/{pairing.id}/")
               if m.date >= NEXT]
    assert october


def test_a_change_frees_both_and_keeps_them_apart_and_no_answer_counts_as_continue(
    make_programme: Any,
) -> None:
    run = monthly(make_programme)
    run.tick()
    claire_nadia = run.pairing("nadia@ex.fr")
    oliver_emma = run.pairing("emma@ex.fr")
    run.until(ASKED, step=STEP)
    answer(run, "nadia@ex.fr", one_click(renewal_mail(run, "nadia@ex.fr"), "change"))
    run.tick(run.clock.now() + 2 * HOUR)
    # Until the deadline, the renewals are pending, with the answers so far (`binome status`).
    waiting_for = {r.pairing_id: r for r in pending(run.settings, run.agent.ledger,
                                                    run.clock.now())}
    assert dict(waiting_for[claire_nadia.id].answers) == {"claire@ex.fr": None,
                                                          "nadia@ex.fr": "change"}
    assert waiting_for[oliver_emma.id].default == "continue"
    assert waiting_for[oliver_emma.id].cycle == "2026-10-01"
    # ... and `binome status --json` shows them, read from the state on disk.
    look = Look(run.settings, run.clock)
    shown = renewals(Context(run.settings, look.ledger, run.clock.now(), look)).data
    by_pairing = {r["pairing"]: r for r in shown["pending"]}
    assert by_pairing[claire_nadia.id]["answers"] == {"claire@ex.fr": None,
                                                      "nadia@ex.fr": "change"}
    assert by_pairing[oliver_emma.id]["default"] == "continue"
    run.until(NEXT, step=STEP)
    assert pending(run.settings, run.agent.ledger, run.clock.now()) == []
    ledger = run.agent.ledger
    # Nadia asked for a change: her only possible mentor is Claire, whom the rotation rule
    # now keeps away, so she waits (and is told); Claire said nothing but is free too.
    assert ledger.progress.renewed(claire_nadia.id) == ()
    assert not [p for p in ledger.pairings.active()
                if "nadia@ex.fr" in p.members and p.cycle == "2026-10-01"]
    waiting = {w.email: w for w in ledger.people.waitlist()}
    assert "nadia@ex.fr" in waiting and waiting["nadia@ex.fr"].cycle == "2026-10-01"
    assert "récent" in dict(waiting["nadia@ex.fr"].reasons)["mentoring"]
    # Oliver and Emma did not answer: in mentoring, that is continue.
    assert ledger.progress.renewed(oliver_emma.id) == ("2026-10-01",)
    assert ledger.pairings.get(oliver_emma.id).status == "active"
    # Ten days on, the first cycle's last questionnaires are out: its pairing is done.
    run.until(NEXT + timedelta(days=11), step=timedelta(hours=12))
    assert ledger.pairings.get(claire_nadia.id).status == "completed"
    assert ledger.pairings.get(oliver_emma.id).status == "active"


def test_a_stop_leaves_the_format_and_the_other_is_free(make_programme: Any) -> None:
    run = monthly(make_programme)
    # A second English mentor for SQL: Emma's stop must not leave her matched with him.
    run.programme.write_roster(change={"george@ex.fr": {"teaches": "SQL", "max_mentees": "1"}})
    run.tick()
    oliver_emma = run.pairing("emma@ex.fr")
    run.until(ASKED, step=STEP)
    answer(run, "emma@ex.fr", "Renewal: stop", lang="en")
    run.until(NEXT, step=STEP)
    ledger = run.agent.ledger
    assert ledger.progress.renewed(oliver_emma.id) == ()
    assert not [p for p in ledger.pairings.active()
                if "emma@ex.fr" in p.members and p.cycle == "2026-10-01"]
    assert "emma@ex.fr" not in {w.email for w in ledger.people.waitlist()}  # she left it


def test_peers_who_do_not_answer_change_partner(make_programme: Any) -> None:
    run = monthly(make_programme, **{'formats = ["mentoring"]': 'formats = ["pair"]'})
    run.programme.write_roster(change={
        "claire@ex.fr": {"role": "peer", "learns": "Comptabilité"},
        "nadia@ex.fr": {"role": "peer", "teaches": "Comptabilité"},
        "hugo@ex.fr": {"role": "", "teaches": ""},
        "oliver@ex.fr": {"role": "peer"}, "emma@ex.fr": {"role": "peer"},
        "george@ex.fr": {"role": ""}})
    run.tick()
    pair = run.pairing("nadia@ex.fr")
    assert set(pair.members) == {"claire@ex.fr", "nadia@ex.fr"}
    run.until(ASKED, step=STEP)
    assert "changer de binôme" in renewal_mail(run, "nadia@ex.fr").text
    run.until(NEXT, step=STEP)
    ledger = run.agent.ledger
    assert ledger.progress.renewed(pair.id) == ()
    # They are the only peers who could learn together, and asked (by silence) for a change.
    assert not [p for p in ledger.pairings.active()
                if "nadia@ex.fr" in p.members and p.cycle == "2026-10-01"]


def test_levels_from_the_introduction_and_the_renewal_show_progress_in_the_digests(
    make_programme: Any,
) -> None:
    run = monthly(make_programme)
    run.tick()
    [intro] = sent_mail(run.local, "mail/intro/", to="nadia@ex.fr")
    assert "Votre niveau aujourd'hui, de 1 (débutant) à 5 (expert)" in intro.text
    run.deliver("intro-reply", reply_to(intro, "nadia@ex.fr",
                                        "Bonjour,\n\n1. Négocier une remise\n\nNégociation : 2",
                                        "<intro-nadia@ex.fr>", run.clock.now() + HOUR))
    run.until(ASKED, step=STEP)
    pairing = run.pairing("nadia@ex.fr")
    assert run.agent.ledger.answers.goals(pairing.id) == {"nadia@ex.fr": ["Négocier une remise"]}
    answer(run, "nadia@ex.fr", "Je continue avec plaisir !\nNégociation : 4")
    run.until(NEXT + STEP, step=STEP)  # past 1 October, 08:00: September's digests
    levels = run.agent.ledger.progress.levels("nadia@ex.fr")["negociation"]
    assert [(r.level, r.source) for r in levels] == [(2, "intro"), (4, "renewal")]
    [digest] = sent_mail(run.local, "digest/hugo@ex.fr/2026-09")
    assert "Négociation : 2 → 4" in digest.text
    [admin] = sent_mail(run.local, "digest/admin/2026-09")
    assert "Négociation : +2,0 en moyenne, 100 % ont progressé" in admin.text
