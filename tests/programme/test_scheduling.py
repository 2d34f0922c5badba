from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import WEEKLY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.core.model import Interval, Participant
from agent.programme.scheduling import choose_slot, cycle_bounds
from agent.programme.settings import Hours

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
HOUR = timedelta(hours=1)


def person(email: str, tz: str = "Europe/Paris") -> Participant:
    return Participant(email=email, name=email, roles=frozenset({"peer"}), timezone=tz)


ALICE = person("alice@x.fr")
BRUNO = person("bruno@x.ca", "America/Montreal")


def at(day: str, hh: int = 0, mm: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hh, mm), tz)


def slot(attendees: Sequence[Participant] = (ALICE,), *,
         busy: Mapping[str, Sequence[Interval]] | None = None, hours: Hours | None = None,
         minutes: int = 60, every: int = 1, start: str = "2026-09-07", end: str = "2026-12-01",
         **kw: Any) -> datetime | None:
    return choose_slot(
        attendees=attendees, busy=busy or {}, hours=hours or Hours(),
        duration=timedelta(minutes=minutes), interval_weeks=every,
        not_before=at(start), until=at(end), series_tz=attendees[0].timezone, **kw)


def inside_day(start: datetime, minutes: int, tz: ZoneInfo, hours: Hours) -> bool:
    local = start.astimezone(tz)
    end = (start + timedelta(minutes=minutes)).astimezone(tz)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()]
    same_day = end.date() == local.date()
    in_hours = hours.start <= local.time() and end.time() <= hours.end and same_day
    no_lunch = end.time() <= hours.lunch_start or local.time() >= hours.lunch_end
    return day in hours.days and in_hours and no_lunch


def test_paris_alone_lands_in_working_hours() -> None:
    start = slot(salt="x")
    assert start is not None and start.tzinfo is not None
    assert start.tzinfo == PARIS
    assert at("2026-09-07") <= start < at("2026-09-14")  # free in week one: starts in week one
    assert inside_day(start, 60, PARIS, Hours())
    assert start.minute in (0, 30) and start.second == 0


def test_paris_montreal_pair_meets_inside_both_days() -> None:
    start = slot((ALICE, BRUNO))
    assert start is not None
    assert inside_day(start, 60, PARIS, Hours())
    assert inside_day(start, 60, MONTREAL, Hours())
    assert time(15) <= start.astimezone(PARIS).time() <= time(17)


def test_lunch_is_avoided() -> None:
    hours = Hours(start=time(11), end=time(15), days=["mon"])
    starts = {slot(hours=hours, salt=str(i)) for i in range(20)}
    assert {s.astimezone(PARIS).time() for s in starts if s} == {time(11), time(14)}


def test_a_weekly_meeting_is_avoided() -> None:
    hours = Hours(start=time(9), end=time(11), days=["mon"])
    mondays = [at("2026-09-07", 9) + timedelta(weeks=k) for k in range(12)]
    busy = {ALICE.email: [Interval(m, m + HOUR) for m in mondays]}
    assert slot(busy=busy, hours=hours) == at("2026-09-07", 10)


def test_an_all_day_busy_day_is_avoided() -> None:
    hours = Hours(days=["mon"])
    busy = {ALICE.email: [Interval(at("2026-09-07"), at("2026-09-08"))]}
    start = slot(busy=busy, hours=hours)
    assert start is not None and start.date() == date(2026, 9, 14)


def test_every_monday_busy_moves_to_tuesday() -> None:
    hours = Hours(days=["mon", "tue"])
    busy = {ALICE.email: [Interval(at("2026-09-07") + timedelta(weeks=k),
                                   at("2026-09-08") + timedelta(weeks=k)) for k in range(13)]}
    for salt in "abcdef":
        start = slot(busy=busy, hours=hours, salt=salt)
        assert start is not None and start.date() == date(2026, 9, 8)


def test_the_phase_free_most_often_wins() -> None:
    # Fortnightly; Monday 10:00 is the only hour. Week 3 is busy, so weeks 2+4 beat weeks 1+3.
    hours = Hours(start=time(10), end=time(11), days=["mon"])
    busy = {ALICE.email: [Interval(at("2026-09-21"), at("2026-09-22"))]}
    assert slot(busy=busy, hours=hours, every=2) == at("2026-09-14", 10)


def test_dst_keeps_local_time() -> None:
    hours = Hours(start=time(10), end=time(11), days=["mon"])
    start = slot(hours=hours, start="2026-03-09", end="2026-06-01")
    assert start == at("2026-03-09", 10)
    assert start is not None
    rule = rrule(WEEKLY, dtstart=start.astimezone(PARIS), count=6)
    occurrences = list(rule)
    assert {o.astimezone(PARIS).time() for o in occurrences} == {time(10)}
    assert {o.utcoffset() for o in occurrences} == {HOUR, 2 * HOUR}  # crosses 2026-03-29


def test_cross_zone_dst_gap_picks_a_time_valid_in_both_regimes() -> None:
    # Montréal changes on 2026-03-08, Paris on 2026-03-29: the overlap moves by an hour.
    start = slot((ALICE, BRUNO), start="2026-03-09", end="2026-06-01")
    assert start is not None
    for k in range(6):
        occurrence = start + timedelta(weeks=k)
        assert inside_day(occurrence, 60, PARIS, Hours())
        assert inside_day(occurrence, 60, MONTREAL, Hours())


def test_none_when_hours_never_overlap() -> None:
    assert slot((ALICE, person("kiri@x.nz", "Pacific/Auckland"))) is None


def test_none_when_window_is_empty() -> None:
    assert slot(start="2026-09-07", end="2026-09-07") is None
    assert slot(attendees=(ALICE,), busy={ALICE.email: [Interval(at("2026-09-01"),
                                                                 at("2026-12-31"))]}) is None


def test_spread_avoids_a_loaded_weekday() -> None:
    hours = Hours(days=["tue", "wed"])
    for salt in "abcdefgh":
        busy_tue = slot(hours=hours, salt=salt, load={ALICE.email: {"tue": 2}})
        busy_wed = slot(hours=hours, salt=salt, load={ALICE.email: {"2026-09-02": 2}})
        assert busy_tue is not None and busy_tue.weekday() == 2
        assert busy_wed is not None and busy_wed.weekday() == 1


def test_salt_spreads_slots() -> None:
    assert len({slot(salt=f"pairing-{i}") for i in range(20)}) > 5


def test_deterministic() -> None:
    assert slot((ALICE, BRUNO), salt="s") == slot((ALICE, BRUNO), salt="s")


def test_falls_back_after_the_horizon() -> None:
    busy = {ALICE.email: [Interval(at("2026-09-01"), at("2026-11-02"))]}
    start = slot(busy=busy, hours=Hours(start=time(10), end=time(11), days=["mon"]))
    assert start == at("2026-11-02", 10)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60 * 24 * 30), st.sampled_from([30, 45, 60, 90]), st.integers(1, 4))
def test_result_is_free_and_inside_the_window(offset: int, minutes: int, every: int) -> None:
    not_before = at("2026-09-01") + timedelta(minutes=offset)
    until = not_before + timedelta(weeks=8)
    busy = {ALICE.email: [Interval(at("2026-09-08", 10), at("2026-09-08", 18))]}
    start = choose_slot(attendees=(ALICE, BRUNO), busy=busy, hours=Hours(),
                        duration=timedelta(minutes=minutes), interval_weeks=every,
                        not_before=not_before, until=until, series_tz=ALICE.timezone)
    assert start is not None and not_before <= start < until
    assert inside_day(start, minutes, PARIS, Hours())
    assert inside_day(start, minutes, MONTREAL, Hours())
    session = Interval(start, start + timedelta(minutes=minutes))
    assert not any(session.overlaps(b) for b in busy[ALICE.email])


@pytest.mark.parametrize(("moment", "bounds"), [
    (at("2026-09-01"), ("2026-09-01", "2026-12-01")),
    (at("2026-11-30", 23, 59), ("2026-09-01", "2026-12-01")),
    (datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")), ("2026-12-01", "2027-03-01")),
    (at("2027-01-15", 12), ("2026-12-01", "2027-03-01")),
    (at("2027-06-15", 12), ("2027-06-01", "2027-09-01")),
    (at("2026-08-31", 23), ("2026-06-01", "2026-09-01")),
])
def test_cycle_bounds(moment: datetime, bounds: tuple[str, str]) -> None:
    expected = tuple(date.fromisoformat(b) for b in bounds)
    assert cycle_bounds(date(2026, 9, 1), 3, moment, "Europe/Paris") == expected


def test_cycle_bounds_clamp_month_ends() -> None:
    assert cycle_bounds(date(2026, 1, 31), 1, at("2026-03-05"), "Europe/Paris") == (
        date(2026, 2, 28), date(2026, 3, 31))


def test_quiet_times_are_never_booked() -> None:
    # Everything is quiet but Thursday afternoon: the slot lands there, in each person's zone.
    quiet = [f"{d} 09:00-18:00" for d in ("mon", "tue", "wed", "fri")] + ["thu 09:00-14:00"]
    found = slot(hours=Hours(quiet=quiet))
    assert found is not None
    local = found.astimezone(PARIS)
    assert local.weekday() == 3 and local.time() >= time(14)


def test_quiet_times_are_checked_in_the_settings(tmp_path: Any) -> None:
    from agent.core.errors import UserError
    from agent.programme.settings import load_settings

    example = Path(__file__).resolve().parents[2] / "config"
    text = (example / "example.toml").read_text(encoding="utf-8").replace(
        "quiet = []", 'quiet = ["fri 16:00-18:00", "friday afternoon", "mon 11:00-10:00"]')
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    (tmp_path / "roster.example.csv").write_bytes((example / "roster.example.csv").read_bytes())
    with pytest.raises(UserError) as raised:
        load_settings(tmp_path / "b.toml")
    problems = [str(p) for p in raised.value.problems]
    assert any("hours.quiet[1]" in p and "'friday afternoon'" in p for p in problems)
    assert any("hours.quiet[2]" in p for p in problems)
    assert not any("hours.quiet[0]" in p for p in problems)


def test_back_to_back_is_avoided_when_something_else_is_as_free() -> None:
    # A meeting every weekday 09:00-10:00: 10:00 would be back to back; 10:30 and 11:00 not.
    busy = {ALICE.email: [Interval(at("2026-09-07", 9) + timedelta(days=d),
                                   at("2026-09-07", 10) + timedelta(days=d))
                          for d in range(0, 90)]}
    hours = Hours(start=time(9), end=time(12), lunch_start=time(12), lunch_end=time(13))
    # Over many salts (which otherwise spread slots at random), never 10:00.
    times = {found.astimezone(PARIS).time() for salt in range(20)
             if (found := slot(busy=busy, hours=hours, minutes=60, salt=str(salt)))}
    assert times and times <= {time(10, 30), time(11)}


def test_weeks_where_someone_is_already_full_are_avoided() -> None:
    from agent.programme.scheduling import iso_week

    # Alice already has her maximum every other week (weeks 37, 39, 41...): a fortnightly
    # series takes the other weeks.
    full = {ALICE.email: {f"2026-W{w:02d}" for w in range(37, 53, 2)}}
    found = slot(every=2, full_weeks=full)
    assert found is not None
    assert iso_week(found) not in full[ALICE.email]
    unconstrained = {iso_week(s) for salt in range(6)
                     if (s := slot(every=2, salt=str(salt))) is not None}
    assert unconstrained & full[ALICE.email]  # without the limit, those weeks were fine
