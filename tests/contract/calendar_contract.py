"""The contract every `Calendar` backend passes.

A backend's test class subclasses `CalendarContract` and provides:
- fixtures `calendar` (the backend, empty) and `clock` (an `agent.core.clock.SimClock`
  the backend was given);
- `answer(...)`: make one attendee answer the way their calendar client would
  (for the local backend: edit their own .ics file);
- `own_event(...)`: put one of a person's own events in their calendar;
- `booked_attendees(...)`: the attendee addresses the backend wrote for a series,
  read from the request or the file, since the services tidy addresses up themselves.

A backend that cannot see people's own calendars (`email`: only invitations go out;
`caldav` where the account may read no one else's calendar) sets `sees_own_events =
False`: the free/busy tests then check only what it knows, our own sessions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.core.clock import SimClock
from agent.core.errors import PermanentError
from agent.core.model import Interval, Series

PARIS = ZoneInfo("Europe/Paris")
ORGANIZER = "programme@example.fr"
ANNE, BRUNO, CLAIRE = "anne@example.fr", "bruno@example.fr", "claire@example.ca"


def weekly(key: str = "series/p1/2026-03", start: datetime | None = None, weeks: int = 4,
           attendees: tuple[str, ...] = (ANNE, BRUNO), **changes: Any) -> Series:
    """A weekly one-hour series of `weeks` occurrences, 10:00 Paris from a Monday."""
    first = start or datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    values: dict[str, Any] = dict(
        key=key, title="Mentorat Excel", description="Objectifs : tableaux croisés",
        organizer=ORGANIZER, attendees=attendees, start=first, duration=timedelta(hours=1),
        timezone="Europe/Paris", interval_weeks=1, until=first + timedelta(weeks=weeks - 1),
    )
    values.update(changes)
    return Series(**values)


def everything(series: Series) -> Interval:
    return Interval(series.start - timedelta(days=1), series.until + timedelta(days=1))


def statuses(calendar: Any, series: Series, person: str) -> dict[datetime, str]:
    found = calendar.responses(series.key, everything(series))
    return {r.occurrence: r.status for r in found if r.attendee == person}


class CalendarContract:
    sees_own_events = True

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        """`attendee` answers `status` for one occurrence (by original start) or all (None)."""
        raise NotImplementedError

    def own_event(self, calendar: Any, person: str, start: datetime | date, end: datetime | date,
                  *, transparent: bool = False) -> None:
        """`person` puts a (timed or all-day) event of their own in their calendar."""
        raise NotImplementedError

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        """The attendees (organizer left out) of series `key` as the backend last wrote them."""
        raise NotImplementedError

    def test_create_then_find(self, calendar: Any) -> None:
        series = weekly()
        assert calendar.find_series(series.key) is None
        ref = calendar.put_series(series)
        assert calendar.find_series(series.key) == ref
        assert calendar.find_series("series/unknown") is None

    def test_attendees_are_booked_lower_cased_and_once(self, calendar: Any) -> None:
        messy = weekly(organizer=ORGANIZER.upper(),
                       attendees=("Anne@Example.FR", BRUNO, ANNE, BRUNO.upper(), ANNE))
        ref = calendar.put_series(messy)
        assert sorted(self.booked_attendees(calendar, messy.key)) == [ANNE, BRUNO]
        found = calendar.responses(messy.key, everything(messy))
        assert sorted((r.attendee, r.occurrence) for r in found) == sorted(
            (person, start) for person in (ANNE, BRUNO) for start in messy.occurrences())
        # Stored as the clean series: booking that one changes nothing.
        assert calendar.put_series(weekly()) == ref
        assert calendar.find_series(messy.key) == ref

    def test_put_again_creates_nothing_new(self, calendar: Any, clock: SimClock) -> None:
        series = weekly()
        ref = calendar.put_series(series)
        clock.advance(timedelta(hours=1))
        assert calendar.put_series(series) == ref
        found = calendar.responses(series.key, everything(series))
        assert len(found) == 2 * 4
        assert {r.status for r in found} == {"needs-action"}
        busy = calendar.free_busy([ANNE], everything(series))[ANNE]
        assert [b.start for b in busy] == series.occurrences()

    def test_update_keeps_responses(self, calendar: Any, clock: SimClock) -> None:
        series = weekly()
        calendar.put_series(series)
        self.answer(calendar, series.key, ANNE, None, "accepted")
        clock.advance(timedelta(days=1))
        calendar.put_series(weekly(title="Mentorat Excel avancé", description="Nouveaux objectifs"))
        assert set(statuses(calendar, series, ANNE).values()) == {"accepted"}
        assert set(statuses(calendar, series, BRUNO).values()) == {"needs-action"}

    def test_one_occurrence_answer_beats_the_series_answer(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        second, third = series.occurrences()[1:3]
        self.answer(calendar, series.key, ANNE, None, "accepted")
        self.answer(calendar, series.key, ANNE, second, "declined")
        self.answer(calendar, series.key, ANNE, third, "tentative")
        got = statuses(calendar, series, ANNE)
        assert got[second] == "declined" and got[third] == "tentative"
        assert [s for s in got.values()].count("accepted") == 2

    def test_move_one_occurrence(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        second = series.occurrences()[1]
        moved = Interval(second + timedelta(days=1, hours=4), second + timedelta(days=1, hours=5))
        calendar.change_occurrence(series.key, second, moved)
        calendar.change_occurrence(series.key, second, moved)  # again: nothing new
        for person in (ANNE, BRUNO):
            busy = calendar.free_busy([person], everything(series))[person]
            starts = [b.start for b in busy]
            assert moved.start in starts and second not in starts and len(starts) == 4
        assert second in statuses(calendar, series, ANNE)

    def test_moving_an_occurrence_asks_everyone_again(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        second = series.occurrences()[1]
        self.answer(calendar, series.key, ANNE, second, "declined")
        self.answer(calendar, series.key, BRUNO, None, "accepted")
        assert statuses(calendar, series, ANNE)[second] == "declined"
        moved = Interval(second + timedelta(days=1), second + timedelta(days=1, hours=1))
        calendar.change_occurrence(series.key, second, moved)
        # A new time needs a new answer, from everybody; other occurrences keep theirs.
        assert statuses(calendar, series, ANNE)[second] == "needs-action"
        assert statuses(calendar, series, BRUNO)[second] == "needs-action"
        assert statuses(calendar, series, BRUNO)[series.occurrences()[2]] == "accepted"
        self.answer(calendar, series.key, ANNE, second, "accepted")
        calendar.change_occurrence(series.key, second, moved)  # the same move again
        assert statuses(calendar, series, ANNE)[second] == "accepted"

    def test_cancel_one_occurrence(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        second = series.occurrences()[1]
        calendar.change_occurrence(series.key, second, None)
        calendar.change_occurrence(series.key, second, None)  # again: still cancelled, no error
        assert second not in statuses(calendar, series, BRUNO)
        busy = calendar.free_busy([BRUNO], everything(series))[BRUNO]
        assert second not in [b.start for b in busy] and len(busy) == 3

    def test_end_series_keeps_the_past(self, calendar: Any, clock: SimClock) -> None:
        series = weekly(weeks=6)
        calendar.put_series(series)
        self.answer(calendar, series.key, ANNE, None, "accepted")
        starts = series.occurrences()
        clock.set(starts[2] + timedelta(hours=2))
        calendar.end_series(series.key, starts[3])
        calendar.end_series(series.key, starts[3])  # idempotent
        assert sorted(statuses(calendar, series, ANNE)) == starts[:3]
        assert set(statuses(calendar, series, ANNE).values()) == {"accepted"}
        busy = calendar.free_busy([ANNE], everything(series))[ANNE]
        assert [b.start for b in busy] == starts[:3]

    def test_end_before_the_first_occurrence_cancels_everything(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        calendar.end_series(series.key, series.start - timedelta(days=1))
        assert calendar.free_busy([ANNE], everything(series))[ANNE] == []
        assert calendar.responses(series.key, everything(series)) == []

    def test_free_busy(self, calendar: Any) -> None:
        if not self.sees_own_events:
            pytest.skip("this backend knows only our own sessions (test_free_busy_of_ours)")
        ours = weekly(weeks=1)
        declined = weekly(key="series/p2/2026-03", weeks=1,
                          start=datetime(2026, 3, 3, 15, 0, tzinfo=PARIS))
        calendar.put_series(ours)
        calendar.put_series(declined)
        self.answer(calendar, declined.key, ANNE, None, "declined")
        meeting = Interval(datetime(2026, 3, 2, 13, tzinfo=UTC),
                           datetime(2026, 3, 2, 14, tzinfo=UTC))
        self.own_event(calendar, ANNE, meeting.start, meeting.end)
        self.own_event(calendar, ANNE, datetime(2026, 3, 2, 15, tzinfo=UTC),
                       datetime(2026, 3, 2, 16, tzinfo=UTC), transparent=True)
        self.own_event(calendar, ANNE, date(2026, 3, 4), date(2026, 3, 5))  # a day off
        window = Interval(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC))
        busy = calendar.free_busy([ANNE, BRUNO, "nobody@example.fr"], window)
        anne = busy[ANNE]
        assert Interval(ours.start, ours.start + ours.duration) in anne
        assert meeting in anne
        day_off = [b for b in anne if b.start <= datetime(2026, 3, 4, 12, tzinfo=UTC) < b.end]
        assert day_off and day_off[0].end - day_off[0].start >= timedelta(hours=20)
        assert len(anne) == 3  # not the transparent event, not the declined series
        assert len(busy[BRUNO]) == 2
        assert busy["nobody@example.fr"] == []
        assert all(a.end < b.start for a, b in zip(anne, anne[1:], strict=False))

    def test_free_busy_of_ours(self, calendar: Any) -> None:
        ours = weekly(weeks=2)
        declined = weekly(key="series/p2/2026-03", weeks=1,
                          start=datetime(2026, 3, 3, 15, 0, tzinfo=PARIS))
        calendar.put_series(ours)
        calendar.put_series(declined)
        self.answer(calendar, declined.key, ANNE, None, "declined")
        window = Interval(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC))
        busy = calendar.free_busy([ANNE, BRUNO, "nobody@example.fr"], window)
        session = Interval(ours.start, ours.start + ours.duration)
        assert busy[ANNE] == [session]  # not the series she declined
        other = Interval(declined.start, declined.start + declined.duration)
        assert busy[BRUNO] == [session, other]
        assert busy["nobody@example.fr"] == []

    def test_free_busy_can_tell_a_meeting_over_a_session_apart(self, calendar: Any) -> None:
        if not self.sees_own_events:
            pytest.skip("this backend knows only our own sessions (test_free_busy_of_ours)")
        series = weekly(weeks=1)  # 09:00-10:00 UTC on 2 March
        calendar.put_series(series)
        session = Interval(series.start, series.start + series.duration)
        over = Interval(datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                        datetime(2026, 3, 2, 10, 30, tzinfo=UTC))
        self.own_event(calendar, ANNE, over.start, over.end)
        window = Interval(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
        merged = Interval(session.start, over.end)
        assert calendar.free_busy([ANNE], window)[ANNE] == [merged]
        separate = calendar.free_busy([ANNE], window, separate=True)[ANNE]
        if calendar.separates_events:
            assert separate == [session, over]
        else:  # the service only knows merged busy time, and says so
            assert separate == [merged]
        assert calendar.free_busy([BRUNO], window, separate=True)[BRUNO] == [session]

    @pytest.mark.parametrize("first", [date(2026, 3, 16), date(2026, 10, 12)])
    def test_weekly_series_keeps_local_time_across_dst(self, calendar: Any, first: date) -> None:
        start = datetime(first.year, first.month, first.day, 10, 0, tzinfo=PARIS)
        series = weekly(start=start, attendees=(ANNE, CLAIRE))  # Claire is in Montréal
        calendar.put_series(series)
        for person in (ANNE, CLAIRE):
            busy = calendar.free_busy([person], everything(series))[person]
            assert [b.start.astimezone(PARIS).hour for b in busy] == [10, 10, 10, 10]
            assert [b.start for b in busy] == series.occurrences()
        assert len({b.start.astimezone(UTC).hour for b in busy}) == 2  # the UTC hour changed

    def test_unknown_key_is_a_permanent_error(self, calendar: Any) -> None:
        when = datetime(2026, 3, 2, 9, tzinfo=UTC)
        with pytest.raises(PermanentError):
            calendar.change_occurrence("series/unknown", when, None)
        with pytest.raises(PermanentError):
            calendar.end_series("series/unknown", when)

    def test_unknown_occurrence_is_a_permanent_error(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        with pytest.raises(PermanentError):
            calendar.change_occurrence(series.key, series.start + timedelta(hours=1), None)

    def test_changes_report_an_answer_once(self, calendar: Any) -> None:
        series, other = weekly(), weekly(key="series/p2/2026-03", attendees=(CLAIRE,))
        calendar.put_series(series)
        calendar.put_series(other)
        _, cursor = calendar.changes(None)
        self.answer(calendar, series.key, BRUNO, None, "accepted")
        changes, cursor = calendar.changes(cursor)
        assert series.key in {c.key for c in changes}
        assert other.key not in {c.key for c in changes}
        changes, _ = calendar.changes(cursor)
        assert changes == []
