"""Series.occurrences computes by index; it must agree with the RRULE we write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.core.model import Interval, Series, skill_key

ZONES = ["Europe/Paris", "America/Montreal", "Europe/London", "Asia/Tokyo", "Australia/Sydney"]


def series(zone: str, start: datetime, weeks: int, days: int, cancelled: int = -1) -> Series:
    base = Series("series/x", "t", "d", "o@x.fr", ("a@x.fr",), start, timedelta(minutes=45),
                  zone, weeks, start + timedelta(days=days))
    if cancelled >= 0:
        occ = base.occurrences()
        if occ:
            return Series(base.key, base.title, base.description, base.organizer,
                          base.attendees, base.start, base.duration, base.timezone,
                          base.interval_weeks, base.until, (occ[cancelled % len(occ)],))
    return base


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=datetime(2025, 1, 1).date(), max_value=datetime(2028, 12, 31).date()),
    hour=st.integers(7, 19),
    minute=st.sampled_from([0, 30]),
    weeks=st.integers(1, 4),
    days=st.integers(0, 400),
    offset=st.integers(-30 * 24, 400 * 24),
    length=st.integers(0, 90 * 24),
    cancelled=st.integers(-1, 20),
)
def test_occurrences_agree_with_the_rrule(
    zone: str, day: object, hour: int, minute: int, weeks: int, days: int, offset: int,
    length: int, cancelled: int,
) -> None:
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)  # type: ignore[attr-defined]
    s = series(zone, start, weeks, days, cancelled)
    skipped = set(s.cancelled)
    whole = [o.astimezone(UTC) for o in s.rule() if o.astimezone(UTC) not in skipped]
    assert s.occurrences() == whole
    window = Interval(start + timedelta(hours=offset), start + timedelta(hours=offset + length))
    expected = [
        o.astimezone(UTC)
        for o in s.rule().between(window.start.astimezone(tz), window.end.astimezone(tz), inc=True)
        if o.astimezone(UTC) not in skipped
    ]
    assert s.occurrences(window) == expected


def test_wall_time_is_kept_across_both_dst_changes() -> None:
    paris = ZoneInfo("Europe/Paris")
    s = series("Europe/Paris", datetime(2026, 3, 20, 10, 0, tzinfo=paris), 1, 230)
    local = [o.astimezone(paris) for o in s.occurrences()]
    assert {(o.hour, o.minute) for o in local} == {(10, 0)}
    utc_hours = {o.hour for o in s.occurrences()}
    assert utc_hours == {9, 8}  # 09:00 UTC in winter, 08:00 UTC in summer


def test_skill_names_compare_without_case_or_accents() -> None:
    assert skill_key("  Comptabilité ") == skill_key("COMPTABILITE") == "comptabilite"
    assert skill_key("Design   graphique") == "design graphique"


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    weeks=st.integers(1, 2),
    moves=st.lists(st.tuples(st.integers(0, 12), st.integers(-3 * 24, 3 * 24)), max_size=4),
    offset=st.integers(-14 * 24, 120 * 24),
    length=st.integers(0, 30 * 24),
)
def test_sessions_with_moves_agree_with_the_whole_series(
    zone: str, weeks: int, moves: list[tuple[int, int]], offset: int, length: int,
) -> None:
    """`sessions` looks only near its window; it must find what a walk over the whole
    series finds: each occurrence by where it really takes place."""
    start = datetime(2027, 3, 1, 10, tzinfo=ZoneInfo(zone))
    base = series(zone, start, weeks, 120)
    occ = base.occurrences()
    moved = {occ[i % len(occ)]: occ[i % len(occ)] + timedelta(hours=h) for i, h in moves}
    s = Series(base.key, base.title, base.description, base.organizer, base.attendees,
               base.start, base.duration, base.timezone, base.interval_weeks, base.until,
               (), tuple(moved.items()))
    window = Interval(start + timedelta(hours=offset), start + timedelta(hours=offset + length))
    expected = sorted(((o, moved.get(o, o)) for o in occ
                       if window.start <= moved.get(o, o) <= window.end), key=lambda p: p[1])
    assert s.sessions(window) == expected
