"""The agent end to end: `Agent.tick` on a SimClock over the real local backend.

Everything is real: the settings file and roster CSV written by the `programme`
fixture (tests/conftest.py), the Store in tmp_path, the iCalendar files and
Maildirs of `agent.providers.local.calendar`. Replies reach the agent the way people's
mail clients write them (`agent.sim.replies` + `deliver_to_inbox`); time moves
only through the SimClock. The roster gives two pairings: Claire mentors Nadia
(French, manager Hugo) and Oliver mentors Emma (English, manager George).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from harness import (
    HOUR,
    NAMES,
    ORGANIZER,
    PARIS,
    T0,
    Mail,
    Run,
    calendar,
    command,
    mail_for,
    objectives_due,
    record_intents,
    reply_to,
    sent_mail,
    starts,
)

from agent.core.actions import Outcome
from agent.core.docs import iso
from agent.core.store import Store

if TYPE_CHECKING:
    from company import Programme

ADMIN = "rh@atelier-lumiere.fr"


# -- reading what the agent produced -------------------------------------------------
def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def masters(local: Path, email: str, key: str) -> list[Any]:
    return [e for e in calendar(local, email).walk("VEVENT")
            if str(e.get("X-BINOME-KEY", "")) == key and "RECURRENCE-ID" not in e]


def partstats(event: Any) -> dict[str, str]:
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return {str(a).lower().removeprefix("mailto:"): str(a.params["PARTSTAT"]) for a in attendees}


def kinds(outcomes: Iterable[Outcome]) -> list[str]:
    return sorted(o.mail_kind or o.kind for o in outcomes)


# -- driving the agent ---------------------------------------------------------------
@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


# -- booking -----------------------------------------------------------------------
def test_first_tick_matches_people_and_books_each_series_in_every_calendar(
    run: Run, make_programme: Any
) -> None:
    report = run.tick()

    assert report.new_pairings == 2
    # Booked, and each member introduced in the same tick.
    assert kinds(report.outcomes) == ["book", "book", "intro", "intro", "intro", "intro"]
    assert all(o.ok for o in report.outcomes)
    pairings = run.agent.ledger.pairings.active()
    assert {p.members for p in pairings} == {
        ("claire@ex.fr", "nadia@ex.fr"), ("oliver@ex.fr", "emma@ex.fr")}
    uids: dict[str, set[str]] = {}
    for pairing in pairings:
        key = f"series/{pairing.id}"
        for email in (*pairing.members, ORGANIZER):
            [event] = masters(run.local, email, key)
            rule = event["RRULE"]
            assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2]  # mentoring: 2 weeks
            assert "UNTIL" in rule
            assert str(event["ORGANIZER"]).lower() == f"mailto:{ORGANIZER}"
            assert partstats(event) == {m: "NEEDS-ACTION" for m in pairing.members}
            uids.setdefault(key, set()).add(str(event["UID"]))
    assert all(len(u) == 1 for u in uids.values())  # the same UID in every copy
    assert len(set.union(*uids.values())) == 2

    before = files(run.local)
    again = run.tick()
    assert again.outcomes == [] and again.new_pairings == 0
    assert files(run.local) == before

    # The UID comes from the key, not from when or where it ran: another state, later, agrees.
    other = Run(make_programme(folder="other"))
    other.tick(T0 + 5 * HOUR)
    for key, uid in uids.items():
        [event] = masters(other.local, ORGANIZER, key)
        assert {str(event["UID"])} == uid


# -- objectives and questionnaires ---------------------------------------------------
def test_objectives_before_and_questionnaire_after_a_session_once_each_in_each_language(
    run: Run,
) -> None:
    run.tick()
    fr, en = run.pairing("nadia@ex.fr"), run.pairing("emma@ex.fr")
    fr_series, en_series = run.series("nadia@ex.fr"), run.series("emma@ex.fr")
    first = {fr.id: fr_series.occurrences()[0], en.id: en_series.occurrences()[0]}
    run.until(max(first.values()) + 2 * fr_series.duration + 30 * HOUR)

    lead = timedelta(hours=run.settings.mail.objectives_hours_before)
    after = timedelta(hours=run.settings.mail.questionnaire_hours_after)
    for pairing, series in ((fr, fr_series), (en, en_series)):
        occ = first[pairing.id]
        objectives = mail_for(run.local, "objectives", pairing, occ)
        questionnaires = mail_for(run.local, "questionnaire", pairing, occ)
        assert sorted(m.to for m in objectives) == sorted(pairing.members)
        assert sorted(m.to for m in questionnaires) == sorted(pairing.members)
        for mail in objectives:  # at the first hourly tick once within the lead time
            assert occ - lead <= mail.date <= occ - lead + HOUR
        for mail in questionnaires:
            assert occ + series.duration + after <= mail.date < occ + series.duration + after + HOUR

    def sessions(to: str) -> list[Mail]:  # objectives and questionnaires only
        return [m for m in sent_mail(run.local, "mail/", to=to)
                if m.key.startswith(("mail/objectives/", "mail/questionnaire/"))]

    french = sessions("nadia@ex.fr") + sessions("claire@ex.fr")
    english = sessions("emma@ex.fr") + sessions("oliver@ex.fr")
    assert len(french) == len(english) == 4
    for mail in french:
        assert mail.language == "fr"
        assert "séance" in mail.subject
        if mail.key.startswith("mail/objectives/"):
            assert "Objectifs de la séance" in mail.text and "Négociation" in mail.text
        else:
            assert "comment s'est passée" in mail.subject
            assert "Qu'avez-vous appris" in mail.text
    for mail in english:
        assert mail.language == "en"
        assert "session" in mail.subject and "séance" not in mail.subject
        if mail.key.startswith("mail/objectives/"):
            assert "Objectives for this session" in mail.text and "SQL" in mail.text
        else:
            assert "how did session" in mail.subject
            assert "What did you learn?" in mail.text
        assert "Bonjour" not in mail.text


def test_sent_mail_key_header_reads_back_exactly_as_the_simulation_reads_it(run: Run) -> None:
    run.tick()
    occ = run.series("emma@ex.fr").occurrences()[0]
    run.tick(occ - 23 * HOUR)
    keys = []
    for path in sorted((run.local / "mail" / "new").iterdir()):
        msg = message_from_bytes(path.read_bytes(), policy=default_policy)  # as simpeople does
        keys.append(str(msg.get("X-Binome-Key", "")))
    keys = [k for k in keys if not k.startswith("mail/intro/")]
    assert len(keys) == 2
    assert all(k.startswith("mail/objectives/") for k in keys), keys


# -- replies -----------------------------------------------------------------------
def test_questionnaire_reply_is_recorded_and_feeds_the_next_objectives(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    occ1, occ2 = series.occurrences()[:2]
    run.until(occ1 + series.duration + 2 * HOUR)
    question = next(m for m in mail_for(run.local, "questionnaire", pairing, occ1)
                    if m.to == "nadia@ex.fr")

    text = ("Oui, la séance a bien eu lieu.\nNote : 4\nAppris : Préparer mes arguments.\n"
            "À développer : Répondre aux objections.\n"
            "Prochaine fois : Simuler un entretien client.")
    run.deliver("1000.reply-nadia",
                reply_to(question, "nadia@ex.fr", text, "<reply-1@ex.fr>", run.clock.now()))
    run.clock.advance(HOUR)
    report = run.tick()

    assert report.replies_read == 1
    feedback = run.stored("feedback")
    assert list(feedback) == ["<reply-1@ex.fr>"]
    doc = feedback["<reply-1@ex.fr>"]
    assert doc["rating"] == 4
    assert doc["sender"] == "nadia@ex.fr" and doc["pairing"] == pairing.id
    assert doc["occurrence"] == iso(occ1)
    assert doc["next_focus"] == "Simuler un entretien client."
    assert run.stored("quarantine") == {}
    assert run.tick().replies_read == 0  # read once, then acknowledged

    run.until(occ2 - timedelta(hours=run.settings.mail.objectives_hours_before) + HOUR)
    following = mail_for(run.local, "objectives", pairing, occ2)
    assert sorted(m.to for m in following) == ["claire@ex.fr", "nadia@ex.fr"]
    for mail in following:
        assert "Simuler un entretien client." in mail.text
        assert "Simuler un entretien client." in mail.html
    for mail in mail_for(run.local, "objectives", pairing, occ1):
        assert "Simuler" not in mail.text


def test_unrelated_and_garbage_inbound_mail_is_quarantined_and_the_tick_goes_on(
    run: Run,
) -> None:
    run.deliver("1000.promo", (
        b"From: Promo <promo@shop.example>\r\nTo: binome@atelier-lumiere.fr\r\n"
        b"Subject: -50% today only\r\nMessage-ID: <promo-1@shop.example>\r\n"
        b"Date: Mon, 31 Aug 2026 10:00:00 +0000\r\n\r\nBuy now, 4/5 customers agree.\r\n"))
    run.deliver("1001.garbage", b"\x00\xff\xfe\r\n\r\n<<<%%% not a message at all \xc3\x28")

    report = run.tick()

    assert report.replies_read == 2
    assert kinds(report.outcomes)[:2] == ["book", "book"] and all(o.ok for o in report.outcomes)
    quarantine = run.stored("quarantine")
    assert set(quarantine) == {"1000.promo", "1001.garbage"}
    assert "not a reply" in quarantine["1000.promo"]["reason"]
    assert "promo@shop.example" in quarantine["1000.promo"]["reason"]
    assert "From" in quarantine["1001.garbage"]["reason"]
    assert run.stored("feedback") == {}
    assert list((run.local / "inbox" / "new").iterdir()) == []
    assert run.tick().replies_read == 0

# -- crash recovery ------------------------------------------------------------------
def test_mail_intent_without_done_is_sent_exactly_once_after_a_crash(run: Run) -> None:
    prepared = objectives_due(run)
    keys = {p.action.key for p in prepared}
    assert sent_mail(run.local, "mail/objectives/") == []

    run.agent = run.fresh()  # the process died after the intents' flush
    report = run.tick()

    assert {o.key for o in report.outcomes if o.ok} == keys
    for key in keys:
        assert len(sent_mail(run.local, key)) == 1
    assert Store(run.settings.state_dir).pending() == []
    assert run.tick().outcomes == []
    assert len(sent_mail(run.local, "mail/objectives/")) == 2


def test_mail_sent_but_not_finished_is_recorded_done_without_sending_again(run: Run) -> None:
    prepared = objectives_due(run)
    for p in prepared:  # the outward call happened; the crash came before `finish`
        run.agent.mailbox.send(p.payload.outgoing)
    maildir = run.local / "mail"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in maildir.rglob("*") if p.is_file()}
    assert len(before) == 2 + 4  # the objectives, and the four introductions sent earlier

    run.agent = run.fresh()
    report = run.tick()

    assert sorted(o.result for o in report.outcomes) == ["done", "done"]
    store = Store(run.settings.state_dir)
    assert store.pending() == []
    for p in prepared:
        action = store.action(p.action.key)
        assert action is not None and action["status"] == "done"
        assert action["ref"] == p.payload.outgoing.message_id  # found at the provider, not re-sent
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in maildir.rglob("*") if p.is_file()}
    assert after == before


def test_booking_intent_without_done_books_each_series_once_after_a_crash(run: Run) -> None:
    prepared = record_intents(run, "book")
    keys = {p.payload.series.key for p in prepared}
    assert len(keys) == 2
    assert not any(masters(run.local, ORGANIZER, k) for k in keys
                   if (run.local / "calendars" / f"{ORGANIZER}.ics").exists())

    run.agent = run.fresh()
    report = run.tick()

    assert kinds(report.outcomes) == ["book", "book", "intro", "intro", "intro", "intro"]
    assert all(o.ok for o in report.outcomes)
    assert report.new_pairings == 0
    for p in prepared:
        key = p.payload.series.key
        for email in (*p.payload.series.attendees, ORGANIZER):
            assert len(masters(run.local, email, key)) == 1
    assert Store(run.settings.state_dir).pending() == []
    assert run.tick().outcomes == []


def test_series_put_but_not_finished_is_found_not_booked_again(run: Run) -> None:
    prepared = record_intents(run, "book")
    for p in prepared:
        run.agent.calendar.put_series(p.payload.series)
    before = files(run.local / "calendars")

    run.agent = run.fresh()
    report = run.tick()

    assert sorted(o.result for o in report.outcomes if o.kind == "book") == ["done"] * 2
    assert files(run.local / "calendars") == before  # nothing written again
    store = Store(run.settings.state_dir)
    assert store.pending() == []
    for p in prepared:
        key = p.payload.series.key
        action = store.action(p.action.key)
        assert action is not None and action["status"] == "done"
        assert action["ref"] == run.agent.calendar.find_series(key)
        for email in (*p.payload.series.attendees, ORGANIZER):
            assert len(masters(run.local, email, key)) == 1


# -- roster changes ------------------------------------------------------------------
def test_bad_roster_row_keeps_the_person_and_tells_the_admin_once(run: Run) -> None:
    run.tick()
    pairing = run.pairing("nadia@ex.fr")
    calendars = files(run.local / "calendars")
    run.programme.write_roster(change={"nadia@ex.fr": {"timezone": "Mars/Olympus"}})

    outcomes = run.until(T0 + 4 * HOUR)
    outcomes += run.fresh().tick().outcomes  # a restart does not tell the admin again

    assert "end" not in kinds(outcomes)
    assert run.agent.ledger.pairings.get(pairing.id).status == "active"
    assert files(run.local / "calendars") == calendars
    [notice] = sent_mail(run.local, "notice/")
    assert notice.to == ADMIN
    for part in ("roster.csv", "row 3", "timezone", "Mars/Olympus"):
        assert part in notice.text
    assert kinds(outcomes) == ["notice"]


def test_roster_losing_too_many_people_is_refused_until_accepted(run: Run) -> None:
    run.tick()
    fr, en = run.pairing("nadia@ex.fr"), run.pairing("emma@ex.fr")
    run.programme.write_roster(drop=["nadia@ex.fr", "emma@ex.fr"])  # 2 of 6 > 20%

    outcomes = run.until(T0 + 3 * HOUR)

    assert kinds(outcomes) == ["notice"]
    [notice] = sent_mail(run.local, "notice/")
    assert notice.to == ADMIN
    assert "max_drop_share" in notice.text and "--accept-roster" in notice.text
    for pairing in (fr, en):
        assert run.agent.ledger.pairings.get(pairing.id).status == "active"
        assert len(masters(run.local, pairing.members[1], f"series/{pairing.id}")) == 1

    run.agent.accept_drop = True
    run.clock.advance(HOUR)
    report = run.tick()

    assert kinds(report.outcomes) == ["end", "end"] and all(o.ok for o in report.outcomes)
    for pairing in (fr, en):
        assert run.agent.ledger.pairings.get(pairing.id).status == "ended"
        assert starts(run.local, pairing.members[1], f"series/{pairing.id}") == []
    # Accepted once is the new last good roster: a restarted agent does not refuse it again.
    run.agent = run.fresh()
    run.clock.advance(HOUR)
    assert run.tick().outcomes == []
    assert len(sent_mail(run.local, "notice/")) == 1


def test_person_removed_from_the_roster_has_their_future_sessions_cancelled(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    other = run.pairing("emma@ex.fr")
    other_starts = starts(run.local, "emma@ex.fr", f"series/{other.id}")
    occ1, occ2 = series.occurrences()[:2]
    run.until(occ1 + series.duration + 2 * HOUR)  # the first session is over
    assert starts(run.local, "nadia@ex.fr", key) == list(series.occurrences())

    [master] = masters(run.local, "nadia@ex.fr", key)
    uid = str(master["UID"])
    run.programme.write_roster(drop=["nadia@ex.fr"])  # 1 of 6: a real departure
    run.clock.advance(HOUR)
    now = run.clock.now()
    report = run.tick()

    [end] = [o for o in report.outcomes if o.kind == "end"]
    assert end.ok and end.action.pairing_id == pairing.id
    assert "nadia@ex.fr" in end.action.reason
    assert run.agent.ledger.pairings.get(pairing.id).status == "ended"
    for email in ("claire@ex.fr", "nadia@ex.fr", ORGANIZER):
        remaining = starts(run.local, email, key)
        assert remaining == [occ1]  # the past stays, nothing from now on
        assert all(s < now for s in remaining)
        [master] = masters(run.local, email, key)
        assert str(master["UID"]) == uid  # the same event, updated, not a new one
    assert starts(run.local, "emma@ex.fr", f"series/{other.id}") == other_starts

    run.until(occ2 + 3 * HOUR)
    assert mail_for(run.local, "objectives", pairing, occ2) == []
    assert mail_for(run.local, "questionnaire", pairing, occ2) == []


# -- commands ----------------------------------------------------------------------
def test_pause_resume_and_stop_replies(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    o1, o2, o3, o4 = series.occurrences()[:4]
    run.until(o1 + 3 * HOUR)
    objectives = next(m for m in mail_for(run.local, "objectives", pairing, o1)
                      if m.to == "nadia@ex.fr")

    run.deliver("2000.pause", command(objectives, "nadia@ex.fr", "PAUSE", "<c1@ex.fr>",
                                      run.clock.now()))
    run.until(o2 + 3 * HOUR)
    assert run.stored("optout")["nadia@ex.fr"]["mode"] == "pause"
    assert [m.to for m in mail_for(run.local, "objectives", pairing, o2)] == ["claire@ex.fr"]
    assert [m.to for m in mail_for(run.local, "questionnaire", pairing, o2)] == ["claire@ex.fr"]
    assert run.agent.ledger.pairings.get(pairing.id).status == "active"
    assert starts(run.local, "nadia@ex.fr", key) == list(series.occurrences())

    run.deliver("2001.resume", command(objectives, "nadia@ex.fr", "REPRENDRE", "<c2@ex.fr>",
                                       run.clock.now()))
    run.until(o3 + 3 * HOUR)
    assert "nadia@ex.fr" not in run.stored("optout")
    assert sorted(m.to for m in mail_for(run.local, "objectives", pairing, o3)) == [
        "claire@ex.fr", "nadia@ex.fr"]

    run.deliver("2002.stop", command(objectives, "nadia@ex.fr", "STOP", "<c3@ex.fr>",
                                     run.clock.now()))
    run.clock.advance(HOUR)
    report = run.tick()
    [end] = [o for o in report.outcomes if o.kind == "end"]
    assert end.ok and "STOP" in end.action.reason
    assert run.agent.ledger.pairings.get(pairing.id).status == "ended"
    assert starts(run.local, "nadia@ex.fr", key) == [o1, o2, o3]
    run.until(o4 + 3 * HOUR)
    assert mail_for(run.local, "objectives", pairing, o4) == []
    # The other pairing is not affected.
    other = run.pairing("emma@ex.fr")
    assert run.agent.ledger.pairings.get(other.id).status == "active"


def test_stop_from_another_address_counts_only_if_the_roster_lists_it(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    run.until(series.occurrences()[0] + 3 * HOUR)
    objectives = next(m for m in mail_for(run.local, "objectives", pairing,
                                          series.occurrences()[0]) if m.to == "nadia@ex.fr")
    raw = command(objectives, "nadia@ex.fr", "STOP", "<c9@ex.fr>", run.clock.now())
    raw = raw.replace(b"nadia@ex.fr", b"nadia.benali@gmail.example")  # her phone's account
    run.deliver("3000.stop", raw)

    run.clock.advance(HOUR)
    report = run.tick()

    # Anyone could write from an unknown address: set aside, nothing changes.
    assert "end" not in kinds(report.outcomes)
    assert run.agent.ledger.people.optout("nadia@ex.fr") is None
    reason = run.stored("quarantine")["3000.stop"]["reason"]
    assert reason == ("sender is not the addressee (nadia.benali@gmail.example answered our "
                      "mail to nadia@ex.fr)")

    # Once the roster lists it as her alias, the same reply speaks for her.
    run.programme.write_roster(change={"nadia@ex.fr": {"aliases": "nadia.benali@gmail.example"}})
    run.deliver("3001.stop", raw.replace(b"<c9@ex.fr>", b"<c10@ex.fr>"))
    run.clock.advance(HOUR)
    report = run.tick()

    assert "end" in kinds(report.outcomes)
    assert run.agent.ledger.pairings.get(pairing.id).status == "ended"
    assert run.agent.ledger.people.optout("nadia@ex.fr").mode == "stop"
    assert run.agent.ledger.people.optout("nadia.benali@gmail.example") is None


# -- digests -----------------------------------------------------------------------
def digest_words(mail: Mail) -> str:
    return mail.subject + mail.text + mail.html


def test_monthly_digest_goes_to_each_manager_once_at_the_hour_naming_only_their_team(
    run: Run,
) -> None:
    run.tick()
    run.until(datetime(2026, 9, 30, 23, tzinfo=PARIS), step=4 * HOUR)
    assert sent_mail(run.local, "digest/") == []

    run.tick(datetime(2026, 10, 1, 7, 59, tzinfo=PARIS))
    assert sent_mail(run.local, "digest/") == []

    report = run.tick(datetime(2026, 10, 1, 8, 0, tzinfo=PARIS))
    assert kinds(report.outcomes) == ["admin_digest", "digest", "digest"]
    digests = {m.to: m for m in sent_mail(run.local, "digest/")}
    assert set(digests) == {"hugo@ex.fr", "george@ex.fr", ADMIN}
    assert digests[ADMIN].key == "digest/admin/2026-09"
    # rh@ is a role, not a name: the admin (outside the roster) is greeted without one.
    assert digests[ADMIN].text.splitlines()[0] == "Bonjour,"
    assert digests["hugo@ex.fr"].text.splitlines()[0] == "Bonjour Hugo,"
    for name in ("Claire Martin", "Oliver Smith"):  # mentors of the month, whatever the team
        assert name in digest_words(digests[ADMIN])
    assert digests["hugo@ex.fr"].key == "digest/hugo@ex.fr/2026-09"
    assert "septembre 2026" in digests["hugo@ex.fr"].subject
    assert "September 2026" in digests["george@ex.fr"].subject
    teams = {"hugo@ex.fr": "nadia@ex.fr", "george@ex.fr": "emma@ex.fr"}
    for manager, report_email in teams.items():
        words = digest_words(digests[manager])
        assert NAMES[report_email] in words
        for email, name in NAMES.items():
            if email != report_email and email != manager:
                assert name not in words, (manager, name)
                assert email not in words, (manager, email)

    run.tick(datetime(2026, 10, 1, 9, 0, tzinfo=PARIS))
    run.agent = run.fresh()
    run.tick(datetime(2026, 10, 2, 9, 0, tzinfo=PARIS))
    assert len(sent_mail(run.local, "digest/")) == 3


def test_digest_missed_while_the_agent_was_down_goes_out_late_once(run: Run) -> None:
    run.tick()
    run.tick(datetime(2026, 9, 30, 20, tzinfo=PARIS))  # last tick before the outage
    assert sent_mail(run.local, "digest/") == []

    run.agent = run.fresh()
    report = run.tick(datetime(2026, 10, 3, 10, tzinfo=PARIS))

    digests = [o for o in report.outcomes if o.mail_kind.endswith("digest")]
    assert sorted(o.action.recipient for o in digests) == [
        "george@ex.fr", "hugo@ex.fr", ADMIN]
    assert all(o.ok and o.action.month == "2026-09" for o in digests)
    run.tick(datetime(2026, 10, 3, 11, tzinfo=PARIS))
    run.tick(datetime(2026, 10, 20, 11, tzinfo=PARIS))
    late = sent_mail(run.local, "digest/")
    assert sorted(m.key for m in late) == [
        "digest/admin/2026-09", "digest/george@ex.fr/2026-09", "digest/hugo@ex.fr/2026-09"]
    # Composed when it went out, late: dated then, about September.
    assert all(m.date == datetime(2026, 10, 3, 10, tzinfo=PARIS) for m in late)


def test_each_month_missed_during_a_long_outage_gets_its_digest_once(run: Run) -> None:
    run.tick()
    run.tick(datetime(2026, 9, 30, 20, tzinfo=PARIS))  # then down through October
    run.agent = run.fresh()
    report = run.tick(datetime(2026, 11, 4, 10, tzinfo=PARIS))
    sent = sorted(o.key for o in report.outcomes
                  if o.mail_kind.endswith("digest"))
    assert sent == [
        "digest/admin/2026-09", "digest/admin/2026-10",
        "digest/george@ex.fr/2026-09", "digest/george@ex.fr/2026-10",
        "digest/hugo@ex.fr/2026-09", "digest/hugo@ex.fr/2026-10",
    ]
    run.tick(datetime(2026, 11, 4, 11, tzinfo=PARIS))
    run.tick(datetime(2026, 11, 30, 11, tzinfo=PARIS))
    assert len(sent_mail(run.local, "digest/")) == 6


def test_a_manager_outside_the_roster_still_gets_the_digest(run: Run) -> None:
    # Emma's manager is now someone who is not in the programme's roster at all.
    run.programme.write_roster(change={"emma@ex.fr": {"manager_email": "dana.white@ex.fr"}})
    run.tick()
    run.until(datetime(2026, 9, 30, 23, tzinfo=PARIS), step=6 * HOUR)
    run.tick(datetime(2026, 10, 1, 8, 0, tzinfo=PARIS))
    digests = {m.to: m for m in sent_mail(run.local, "digest/")}
    assert set(digests) == {"hugo@ex.fr", "dana.white@ex.fr", ADMIN}
    words = digest_words(digests["dana.white@ex.fr"])
    assert NAMES["emma@ex.fr"] in words and "Dana" in words
    assert NAMES["nadia@ex.fr"] not in words


# -- idle ticks --------------------------------------------------------------------
def test_a_tick_with_nothing_due_does_nothing_after_a_busy_period(run: Run) -> None:
    run.tick()
    en = run.series("emma@ex.fr")
    fr = run.series("nadia@ex.fr")
    busy = run.until(en.occurrences()[0] + 3 * HOUR)
    assert kinds(busy).count("objectives") == 2 and kinds(busy).count("questionnaire") == 2
    busy = run.until(en.occurrences()[0] + 52 * HOUR)  # nobody answered: one reminder each
    assert kinds(busy) == ["reminder", "reminder"]
    lead = timedelta(hours=run.settings.mail.objectives_hours_before)
    quiet_until = fr.occurrences()[0] - lead
    mail_before = files(run.local / "mail")
    calendars_before = files(run.local / "calendars")

    for at in (en.occurrences()[0] + 53 * HOUR, quiet_until - 2 * HOUR, quiet_until - HOUR):
        report = run.tick(at)
        assert report.outcomes == [] and report.new_pairings == 0, at

    assert files(run.local / "mail") == mail_before
    assert files(run.local / "calendars") == calendars_before
