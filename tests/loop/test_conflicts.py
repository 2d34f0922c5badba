"""A meeting or a day off put over a session after it was booked moves the session."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from fakes.local_client import LocalClient
from harness import HOUR, Run, sent_mail, starts

from agent.core.docs import iso
from agent.core.model import Interval
from agent.programme.conflicts import Upcoming, collisions

if TYPE_CHECKING:
    from company import Programme

PARIS = ZoneInfo("Europe/Paris")
MINUTE = timedelta(minutes=1)


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def booked(run: Run, email: str) -> tuple[str, datetime, timedelta]:
    """Book everything, then return `email`'s series key, second occurrence and length."""
    run.tick()
    series = run.series(email)
    return series.key, series.occurrences()[1], series.duration


def meeting(run: Run, email: str, start: datetime, end: datetime) -> None:
    """`email` accepts a meeting of their own, as their calendar client writes it."""
    LocalClient().own_event(run.agent.calendar, email, start, end)


def week(when: datetime) -> tuple[int, int]:
    return when.astimezone(PARIS).isocalendar()[:2]


@pytest.mark.parametrize("offset, length", [
    (15, 60),  # overlaps the end of the session
    (0, 45),  # exactly the session's own time: still another event
    (-30, 180),  # a long meeting that swallows it
])
def test_a_meeting_booked_later_over_a_session_moves_it_that_week(
    run: Run, offset: int, length: int
) -> None:
    key, second, duration = booked(run, "nadia@ex.fr")
    clash = Interval(second + offset * MINUTE, second + (offset + length) * MINUTE)
    meeting(run, "claire@ex.fr", clash.start, clash.end)
    run.until(second - timedelta(days=1, hours=1))

    series = run.series("nadia@ex.fr")
    [(original, new)] = series.moved
    assert original == second and week(new) == week(second)
    assert not Interval(new, new + duration).overlaps(clash)
    assert time(9) <= new.astimezone(PARIS).time()
    assert (new + duration).astimezone(PARIS).time() <= time(18)
    pairing = run.pairing("nadia@ex.fr")
    assert run.agent.ledger.responses.conflict(pairing.id, second) == "claire@ex.fr"
    # Both calendars show the session at its new time, expanded as a client would.
    for email in ("claire@ex.fr", "nadia@ex.fr"):
        shown = starts(run.local, email, key)
        assert new in shown and second not in shown
    # The objectives mail follows the new time.
    run.until(new - timedelta(hours=1))
    sent = sent_mail(run.local, f"mail/objectives/{pairing.id}/{iso(second)}")
    assert sorted(m.to for m in sent) == ["claire@ex.fr", "nadia@ex.fr"]


def test_a_meeting_next_to_a_session_leaves_it_where_it_is(run: Run) -> None:
    key, second, duration = booked(run, "nadia@ex.fr")
    meeting(run, "claire@ex.fr", second - HOUR, second)  # ends as the session starts
    meeting(run, "nadia@ex.fr", second + duration, second + duration + HOUR)
    run.until(second + duration + HOUR)
    assert run.series("nadia@ex.fr").moved == ()
    assert second in starts(run.local, "claire@ex.fr", key)


def test_a_week_off_over_a_session_skips_it_in_every_calendar(run: Run) -> None:
    key, second, duration = booked(run, "nadia@ex.fr")
    local = second.astimezone(PARIS).date()
    monday = local - timedelta(days=local.weekday())
    LocalClient().own_event(run.agent.calendar, "nadia@ex.fr", monday,
                            monday + timedelta(days=7))
    run.until(second + duration + 3 * HOUR)
    series = run.series("nadia@ex.fr")
    assert series.moved == () and second in series.cancelled
    for email in ("claire@ex.fr", "nadia@ex.fr"):
        assert second not in starts(run.local, email, key)
    pairing = run.pairing("nadia@ex.fr")
    assert sent_mail(run.local, f"mail/questionnaire/{pairing.id}/{iso(second)}") == []


def test_the_scan_asks_free_busy_once_a_day_for_everyone_at_once(run: Run) -> None:
    calls: list[int] = []
    calendar = run.agent.calendar
    ask = calendar.free_busy

    def counted(people, window, *, separate=False):  # type: ignore[no-untyped-def]
        if separate:
            calls.append(len(people))
        return ask(people, window, separate=separate)

    calendar.free_busy = counted  # type: ignore[method-assign]
    run.tick()
    start = run.clock.now()
    run.until(start + timedelta(days=3))
    assert len(calls) == 3  # one batched question a day, not one per session or person
    assert max(calls) == len({e for p in run.agent.ledger.pairings.active() for e in p.members})


def test_collisions_discount_the_session_itself_once() -> None:
    at = datetime(2027, 3, 2, 9, tzinfo=PARIS)
    span = Interval(at, at + timedelta(minutes=45))
    session = Upcoming("p1", at, span, ("a@x.fr", "b@x.fr"))
    assert collisions([session], {"a@x.fr": [span], "b@x.fr": [span]}) == []
    assert collisions([session], {"a@x.fr": [span], "b@x.fr": [span, span]}) == [
        (session, "b@x.fr")]
    later = Interval(span.end, span.end + HOUR)
    assert collisions([session], {"a@x.fr": [span, later]}) == []
    assert collisions([session], {"a@x.fr": [Interval(at - HOUR, at + MINUTE)]}) == [
        (session, "a@x.fr")]
