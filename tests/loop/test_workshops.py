"""Workshops inside the running agent: the invitation is the RSVP, a seat given up goes to
the next person waiting, an attendee's decline misses a session without moving it, and the
admin digest reports the attendance.

Same set-up as test_agent_matching: Claire teaches negotiation and mentors two of those who
want it; a workshop of three seats on two learning days is open to all six who want it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fakes.local_client import LocalClient
from harness import PARIS, Run, sent_mail, starts
from test_agent_matching import add_people, sellers

from agent.core.model import Interval

STEP = timedelta(hours=6)


def test_a_declined_seat_goes_to_the_next_waiting_and_the_digest_shows_attendance(
    make_programme: Any,
) -> None:
    run = Run(make_programme(edits={
        'formats = ["mentoring"]': 'formats = ["mentoring", "workshop"]',
        "learning_days = []": "learning_days = [2026-09-16, 2026-10-08]",
        "workshop_max = 8": "workshop_max = 3"}))
    add_people(run.programme, *sellers(5))
    run.tick()
    ledger = run.agent.ledger
    [workshop] = [p for p in ledger.pairings.active() if p.format == "workshop"]
    mentored = {m for p in ledger.pairings.active() if p.format == "mentoring"
                and p.host == "claire@ex.fr" for m in p.members[1:]}
    assert workshop.host == "claire@ex.fr" and len(workshop.members) == 1 + 3
    # Seats go first to those nobody mentors in negotiation.
    seated = set(workshop.members[1:])
    assert not seated & mentored
    waiting = sorted({f"vendeur{i}@ex.fr" for i in range(5)} - seated - mentored)
    assert len(waiting) == 1
    key = f"series/{workshop.id}"
    series = ledger.series.get(workshop.id)
    assert series is not None
    first = series.occurrences()[0]
    assert first.astimezone(PARIS).date().isoformat() == "2026-09-16"

    # One attendee declines the invitation (the whole series): their seat goes on. (The
    # sessions on learning days are overrides of the series, agent.programme.learningdays:
    # declining the series declines them too.)
    leaver, misses, stays = workshop.members[1:]
    LocalClient().answer(run.agent.calendar, key, leaver, None, "declined")
    run.until(datetime(2026, 9, 8, 9, tzinfo=PARIS), step=STEP)
    record = ledger.pairings.get(workshop.id)
    assert record is not None and record.status == "active"
    assert record.pairing.members == (workshop.host, misses, stays, waiting[0])
    assert ledger.progress.left_seats(workshop.id) == (leaver,)
    updated = ledger.series.get(workshop.id)
    assert updated is not None and set(updated.attendees) == set(record.pairing.members)
    assert "Nadia" not in updated.title and "Vendeur 2" in updated.title
    assert sent_mail(run.local, f"mail/intro/{workshop.id}/{waiting[0]}")  # welcomed in
    assert starts(run.local, waiting[0], key) == [updated.start_of(o)
                                                  for o in updated.occurrences()]

    # Another declines the first session only: they miss it; it stays where it was.
    LocalClient().answer(run.agent.calendar, key, misses, first, "declined")
    run.until(datetime(2026, 10, 1, 16, tzinfo=PARIS), step=STEP)  # past the digests
    series = ledger.series.get(workshop.id)
    assert series is not None
    assert (series.moved, series.cancelled) == (updated.moved, updated.cancelled)
    assert [s for _, s in series.sessions(Interval(first, first + timedelta(hours=2)))] == [first]
    # The host prepared it; those who came were asked how it went, not the one who missed it.
    assert sent_mail(run.local, f"mail/objectives/{workshop.id}/", to=workshop.host)
    asked = {m.to for m in sent_mail(run.local, f"mail/questionnaire/{workshop.id}/")}
    assert asked == {stays, waiting[0]}
    [admin] = sent_mail(run.local, "digest/admin/2026-09")
    assert ("Négociation, animé par Claire Martin, le mercredi 16 septembre 2026 : "
            "2 présent·es sur 3 places (67 %), 1 place rendue puis réattribuée") in admin.text
