"""Commands by reply, end to end: skip, pause until a date, help, each confirmed by email;
and the one clarification asked for a rating given in words.

The real local backend and the simulated clock, as in tests/loop/test_agent.py.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from harness import (
    HOUR,
    ORGANIZER,
    Mail,
    Run,
    command,
    mail_for,
    reply_to,
    sent_mail,
    starts,
)

from agent.core.docs import iso

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def first_objectives(run: Run, email: str) -> Mail:
    run.tick()
    pairing, series = run.pairing(email), run.series(email)
    run.until(series.occurrences()[0] + 3 * HOUR)
    return next(m for m in mail_for(run.local, "objectives", pairing, series.occurrences()[0])
                if m.to == email)


def confirmations(run: Run, to: str) -> list[Mail]:
    return sorted(sent_mail(run.local, "mail/confirm/", to=to), key=lambda m: m.date)


def test_skip_cancels_the_next_session_in_every_calendar_once_and_says_so(run: Run) -> None:
    objectives = first_objectives(run, "nadia@ex.fr")
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    _, o2, o3 = series.occurrences()[:3]
    other = run.pairing("emma@ex.fr")
    other_starts = starts(run.local, "emma@ex.fr", f"series/{other.id}")
    raw = command(objectives, "nadia@ex.fr", "Passer la prochaine séance", "<s1@ex.fr>",
                  run.clock.now())
    run.deliver("4000.skip", raw)

    report = run.tick(run.clock.now() + HOUR)

    [skip] = [o for o in report.outcomes if o.kind == "move"]
    assert skip.ok and skip.action.key == f"skip/{pairing.id}/{iso(o2)}"
    for email in ("claire@ex.fr", "nadia@ex.fr", ORGANIZER):
        assert starts(run.local, email, key) == [o for o in series.occurrences() if o != o2]
    assert o2 in run.series("nadia@ex.fr").cancelled
    assert starts(run.local, "emma@ex.fr", f"series/{other.id}") == other_starts
    [confirm] = confirmations(run, "nadia@ex.fr")
    assert confirm.language == "fr" and "prochaine séance annulée" in confirm.subject
    when = format_date(o2.astimezone(ZoneInfo("Europe/Paris")), "d MMMM y", locale="fr")
    assert when in confirm.text and "Claire Martin" in confirm.text
    assert "écrivez à rh@atelier-lumiere.fr" in confirm.text  # how to undo it
    assert "PASSER" in confirm.html

    # The same message read again (a crash before it was acknowledged) does nothing more.
    run.deliver("4001.skip-again", raw)
    run.tick(run.clock.now() + HOUR)
    assert len(confirmations(run, "nadia@ex.fr")) == 1
    assert o3 in starts(run.local, "nadia@ex.fr", key)

    # No mail for the skipped session; the next one goes on as usual.
    run.until(o3 + 3 * HOUR)
    assert mail_for(run.local, "objectives", pairing, o2) == []
    assert mail_for(run.local, "questionnaire", pairing, o2) == []
    assert sorted(m.to for m in mail_for(run.local, "objectives", pairing, o3)) == [
        "claire@ex.fr", "nadia@ex.fr"]


def test_pause_until_a_date_ends_by_itself_on_that_day(run: Run) -> None:
    objectives = first_objectives(run, "emma@ex.fr")
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    _, o2, o3 = series.occurrences()[:3]
    london = ZoneInfo("Europe/London")
    back = (o2 + timedelta(days=1)).astimezone(london).date()
    words = f"Pause until {format_date(back, 'd MMMM', locale='en')}, thanks"
    run.deliver("5000.pause", command(objectives, "emma@ex.fr", words, "<p1@ex.fr>",
                                      run.clock.now()))
    run.tick(run.clock.now() + HOUR)

    optout = run.stored("optout")["emma@ex.fr"]
    assert optout["mode"] == "pause"
    assert optout["until"] == iso(back_midnight := _midnight(back, london))
    [confirm] = confirmations(run, "emma@ex.fr")
    assert confirm.language == "en"
    until_words = format_date(back, "EEEE d MMMM y", locale="en")
    assert f"until {until_words}" in confirm.subject
    assert "reply RESUME" in confirm.text

    run.until(o2 + 3 * HOUR)
    assert [m.to for m in mail_for(run.local, "objectives", pairing, o2)] == ["oliver@ex.fr"]
    run.until(back_midnight + HOUR)
    assert "emma@ex.fr" not in run.stored("optout")
    run.until(o3 + 3 * HOUR)
    assert sorted(m.to for m in mail_for(run.local, "objectives", pairing, o3)) == [
        "emma@ex.fr", "oliver@ex.fr"]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def test_help_in_french_and_a_french_pause_until_are_answered_in_french(run: Run) -> None:
    objectives = first_objectives(run, "nadia@ex.fr")
    now = run.clock.now()
    run.deliver("6000.help", command(objectives, "nadia@ex.fr", "?", "<h1@ex.fr>", now))
    run.deliver("6001.aide", command(objectives, "nadia@ex.fr", "Aide", "<h2@ex.fr>", now))
    run.deliver("6002.pause", command(objectives, "nadia@ex.fr", "pause jusqu'au 15 janvier",
                                      "<h3@ex.fr>", now))
    run.tick(now + HOUR)

    sent = confirmations(run, "nadia@ex.fr")
    # Two HELPs the same day get one answer (issue #15): the second rides inside the first.
    helps = [m for m in sent if "les commandes par e-mail" in m.subject]
    [pause] = [m for m in sent if m not in helps]
    assert len(helps) == 1 and len(sent) == 2
    for mail in helps:
        assert "les commandes par e-mail" in mail.subject
        for word in ("PAUSE", "REPRENDRE", "PASSER", "STOP", "AIDE"):
            assert word in mail.text and word in mail.html
    assert "jusqu'au vendredi 15 janvier 2027" in pause.subject
    assert run.agent.ledger.people.optout("nadia@ex.fr").mode == "pause"
    # Help changes nothing; the pause is the only state that moved.
    assert run.stored("skips") == {}
    assert set(run.stored("optout")) == {"nadia@ex.fr"}


def test_a_rating_in_words_gets_one_clarification_and_its_answer_counts(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    o1 = series.occurrences()[0]
    run.until(o1 + series.duration + 2 * HOUR)
    [question] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    now = run.clock.now()
    run.deliver("7000.bof", reply_to(question, "nadia@ex.fr",
                                     "Oui.\nNote : bof, pas terrible\nAppris : rien.",
                                     "<b1@ex.fr>", now))
    run.tick(now + HOUR)

    [doc] = run.stored("feedback").values()
    assert doc["rating"] is None and doc["learned"] == "rien."
    [clarify] = sent_mail(run.local, "mail/clarify/", to="nadia@ex.fr")
    assert clarify.key == f"mail/clarify/{pairing.id}/{iso(o1)}/nadia@ex.fr"
    assert clarify.language == "fr" and "de 1 (décevante) à 5" in clarify.text

    # A second unclear answer to the same questionnaire is not asked about again.
    run.deliver("7001.bof2", reply_to(question, "nadia@ex.fr", "Note : moyen",
                                      "<b2@ex.fr>", now + HOUR))
    run.tick(now + 2 * HOUR)
    assert len(sent_mail(run.local, "mail/clarify/")) == 1

    # Her answer to the clarification is her rating for that session.
    run.deliver("7002.four", reply_to(clarify, "nadia@ex.fr", "4", "<b3@ex.fr>",
                                      now + 2 * HOUR))
    run.tick(now + 3 * HOUR)
    # One record per person and session (issue #15): the answer completes the first one.
    [answer] = run.stored("feedback").values()
    assert answer["rating"] == 4 and answer["occurrence"] == iso(o1)
    assert answer["learned"] == "rien."
    assert answer["sender"] == "nadia@ex.fr"
    assert len(sent_mail(run.local, "mail/clarify/")) == 1
    assert run.stored("quarantine") == {}

    # In the month's digest figures her three replies are one answered session, rated 4,
    # with what she said she learned kept.
    from agent.digest.figures import month_index, person_month

    month = o1.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m")
    index = month_index(run.agent.ledger, month, "Europe/Paris")
    figures = person_month(run.agent.ledger, index, "nadia@ex.fr", run.clock.now())
    assert (figures.answered, figures.ratings, figures.learned) == (1, [4], ["rien."])
