"""When people meet: cycles, working hours across time zones, weekly slots.

Terms:
- *cycle*: `cycle_months` months from `programme_start + k * cycle_months`
  months, in local dates of the organisation's zone.
- *slot*: a weekday and a local time in the series' zone (the host's), on a
  30-minute grid. Its occurrences repeat every `interval_weeks` weeks at the
  same wall time, so 10:00 Paris stays 10:00 Paris across DST (as in
  `Series.rule`).
- *free*: for one attendee, inside `hours` on `hours.days` in their own
  zone, outside their lunch, and overlapping none of their busy intervals.
  A pairing can meet only when everybody is free.

Everything is pure: time and busy intervals come in, nothing is read or
written. Internally instants are POSIX seconds and free time is a sorted list
of disjoint (start, end) pairs, so each check is one bisect.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from agent.core.model import Interval, Participant, short_hash
from agent.programme.settings import Hours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GRID = 30 * 60  # seconds; slots start on :00 and :30 local time
# A weekly slot is chosen where everyone is free over this many weeks from the first session.
HORIZON_WEEKS = 4
Spans = list[tuple[float, float]]


def cycle_bounds(
    programme_start: date, cycle_months: int, at: datetime, tz: str
) -> tuple[date, date]:
    """First day of the cycle containing `at` (a local date in `tz`) and of the next one.

    Cycles are counted from `programme_start` (day clamped at month ends:
    2026-01-31 + 1 month is 2026-02-28, + 2 months is 2026-03-31); before the
    start they are extrapolated backwards.
    """
    day = at.astimezone(ZoneInfo(tz)).date()

    def first(n: int) -> date:
        return programme_start + relativedelta(months=n * cycle_months)

    months = (day.year - programme_start.year) * 12 + day.month - programme_start.month
    k = months // cycle_months
    while first(k) > day:
        k -= 1
    while first(k + 1) <= day:
        k += 1
    return first(k), first(k + 1)


def hours_overlap(zones: Sequence[str], hours: Hours, minutes: int, week_of: date) -> bool:
    """Whether people working `hours` in `zones` share `minutes` in a row in the week of `week_of`.

    Used by matching: a pair whose working days never overlap long enough
    could never be booked, so it is not made.
    """
    monday = week_of - timedelta(days=week_of.weekday())
    lo = datetime.combine(monday, datetime.min.time(), ZoneInfo("UTC")).timestamp() - 86400
    hi = lo + 9 * 86400  # a day either side: zones far east or west of UTC
    common: Spans = [(lo, hi)]
    for tz in dict.fromkeys(zones):
        common = _intersect(common, _working(tz, hours, lo, hi))
    return any(e - s >= minutes * 60 for s, e in common)


def choose_slot(
    *,
    attendees: Sequence[Participant],
    busy: Mapping[str, Sequence[Interval]],
    hours: Hours,
    duration: timedelta,
    interval_weeks: int,
    not_before: datetime,
    until: datetime,
    series_tz: str,
    load: Mapping[str, Mapping[str, int]] | None = None,
    salt: str = "",
    horizon_weeks: int = 4,
    full_weeks: Mapping[str, set[str]] | None = None,
) -> datetime | None:
    """The first occurrence (aware, in `series_tz`) of the best weekly slot, or None.

    Candidates are free starts in the horizon (`max(horizon_weeks,
    interval_weeks)` weeks from `not_before`); each is the first occurrence of
    its slot and phase. Preferred, in order: free in the most occurrences
    within the horizon; not back to back with an attendee's busy time; fewest
    sessions already booked (`load`) on that weekday by the attendees; a
    stable hash of `salt` and the slot (so not everybody lands on Tuesday
    10:00); the earliest start. When nothing in the horizon is free, the first
    free start before `until` is taken. The result is >= `not_before` and
    < `until`.

    `full_weeks` maps an email to the ISO weeks ("2026-W37") in which that
    person already has their maximum of sessions; occurrences there count as
    not free. `load` maps an email to counts keyed by day: a weekday name ("tue"), a
    weekday index ("1", Monday is 0), an ISO date, or any of these followed by
    "/HH:MM"; weekdays are read in `series_tz`.
    """
    if not attendees or not_before >= until or duration <= timedelta(0) or interval_weeks < 1:
        return None
    zone = ZoneInfo(series_tz)
    lo, hi, dur = not_before.timestamp(), until.timestamp(), duration.total_seconds()
    horizon = timedelta(weeks=max(horizon_weeks, interval_weeks, 1))
    horizon_end = min(hi, lo + horizon.total_seconds())
    free = _common_free(attendees, busy, hours, lo, horizon_end + dur)
    starts = [s for s, _ in free]

    def is_free(t: float) -> bool:
        i = bisect_right(starts, t) - 1
        return i >= 0 and free[i][1] >= t + dur

    per_day = _load_by_weekday(load or {}, [p.email for p in attendees])
    # Weeks in which an attendee already has as many sessions as they should: an occurrence
    # there counts as not free.
    full = {w for p in attendees for w in (full_weeks or {}).get(p.email, ())}
    # Edges of everyone's busy time: a session starting as a meeting ends (or ending as one
    # starts) is back to back, kept only when nothing better is free as often.
    edges = {round(x.timestamp()) for p in attendees for i in busy.get(p.email, ())
             for x in (i.start, i.end)}
    step = timedelta(weeks=interval_weeks)
    anchor = datetime.fromtimestamp(lo, zone).date()
    seen: set[tuple[int, str, int]] = set()
    best: tuple[int, int, int, str, float] | None = None
    for t in _grid_starts(free, dur, zone, lo, horizon_end):
        local = datetime.fromtimestamp(t, zone)
        label = f"{WEEKDAYS[local.weekday()]}/{local:%H:%M}"
        phase = (local.date() - anchor).days // 7 % interval_weeks
        if (local.weekday(), label, phase) in seen:
            continue  # a later start of a slot already seen: same occurrences, fewer of them
        seen.add((local.weekday(), label, phase))
        score, occurrence = 0, local
        while occurrence.timestamp() < horizon_end:
            score += is_free(occurrence.timestamp()) and iso_week(occurrence) not in full
            occurrence += step  # aware + timedelta keeps the local wall time
        tight = int(round(t) in edges or round(t + dur) in edges)
        key = (-score, tight, per_day[local.weekday()], short_hash(salt, label), t)
        if best is None or key < best:
            best = key
    if best is not None:
        return datetime.fromtimestamp(best[4], zone)
    # Nothing free in the horizon: the first free start later in the cycle.
    later = _common_free(attendees, busy, hours, horizon_end, hi + dur)
    first = next(_grid_starts(later, dur, zone, horizon_end, hi), None)
    return None if first is None else datetime.fromtimestamp(first, zone)


def free_starts_on(
    day: date,
    *,
    attendees: Sequence[Participant],
    busy: Mapping[str, Sequence[Interval]],
    hours: Hours,
    duration: timedelta,
    series_tz: str,
) -> list[datetime]:
    """Every start on the grid on `day` (local to `series_tz`) when everybody is free."""
    zone = ZoneInfo(series_tz)
    lo = datetime.combine(day, datetime.min.time(), zone).timestamp()
    hi = lo + 86400
    dur = duration.total_seconds()
    free = _common_free(attendees, busy, hours, lo, hi + dur)
    return [datetime.fromtimestamp(t, zone) for t in _grid_starts(free, dur, zone, lo, hi)]


def iso_week(when: datetime) -> str:
    """The ISO week `when` falls in, as "YYYY-Www"."""
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def slot_in_week(
    *,
    attendees: Sequence[Participant],
    busy: Mapping[str, Sequence[Interval]],
    hours: Hours,
    duration: timedelta,
    original: datetime,
    not_before: datetime,
    series_tz: str,
) -> datetime | None:
    """Where one occurrence can move: a free start in its own week (Monday to Sunday in
    `series_tz`), not before `not_before`, other than `original`; the closest to it first."""
    zone = ZoneInfo(series_tz)
    local = original.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    week_start = datetime.combine(monday, datetime.min.time(), zone)
    lo = max(week_start, not_before).timestamp()
    hi = (week_start + timedelta(days=7)).timestamp()
    if lo >= hi:
        return None
    dur = duration.total_seconds()
    free = _common_free(attendees, busy, hours, lo, hi + dur)
    was = original.timestamp()
    best = min((t for t in _grid_starts(free, dur, zone, lo, hi) if t != was),
               key=lambda t: (abs(t - was), t), default=None)
    return None if best is None else datetime.fromtimestamp(best, zone)


# -- free time ----------------------------------------------------------------
def _common_free(
    attendees: Sequence[Participant],
    busy: Mapping[str, Sequence[Interval]],
    hours: Hours,
    lo: float,
    hi: float,
) -> Spans:
    common: Spans | None = None
    for person in attendees:
        mine = _subtract(_working(person.timezone, hours, lo, hi),
                         _merge((i.start.timestamp(), i.end.timestamp())
                                for i in busy.get(person.email, ())))
        common = mine if common is None else _intersect(common, mine)
        if not common:
            return []
    return common or []


def _working(tz: str, hours: Hours, lo: float, hi: float) -> Spans:
    """Working hours minus lunch, in `tz`, clipped to [lo, hi)."""
    if hours.start >= hours.end:
        return []
    zone = ZoneInfo(tz)
    days = {WEEKDAYS.index(d) for d in hours.days}
    quiet = hours.quiet_spans()
    day = datetime.fromtimestamp(lo, zone).date()
    last = datetime.fromtimestamp(hi, zone).date()
    out: Spans = []
    while day <= last:
        if day.weekday() in days:
            a = datetime.combine(day, hours.start, zone).timestamp()
            b = datetime.combine(day, hours.end, zone).timestamp()
            parts = [(a, b)]
            if hours.lunch_start < hours.lunch_end:
                la = datetime.combine(day, hours.lunch_start, zone).timestamp()
                lb = datetime.combine(day, hours.lunch_end, zone).timestamp()
                parts = [(a, min(b, la)), (max(a, lb), b)]
            for qa, qb in quiet.get(day.weekday(), ()):
                cut = (datetime.combine(day, qa, zone).timestamp(),
                       datetime.combine(day, qb, zone).timestamp())
                parts = _subtract([p for p in parts if p[0] < p[1]], [cut])
            out += [(max(s, lo), min(e, hi)) for s, e in parts if max(s, lo) < min(e, hi)]
        day += timedelta(days=1)
    return out


def _merge(spans: Iterable[tuple[float, float]]) -> Spans:
    out: Spans = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif s < e:
            out.append((s, e))
    return out


def _subtract(spans: Spans, blocked: Spans) -> Spans:
    """`spans` minus `blocked`; both sorted and disjoint."""
    out: Spans = []
    j = 0
    for s, e in spans:
        while j < len(blocked) and blocked[j][1] <= s:
            j += 1
        cur, k = s, j
        while k < len(blocked) and blocked[k][0] < e:
            if blocked[k][0] > cur:
                out.append((cur, blocked[k][0]))
            cur = max(cur, blocked[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def _intersect(a: Spans, b: Spans) -> Spans:
    out: Spans = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _grid_starts(free: Spans, dur: float, zone: ZoneInfo, lo: float, hi: float) -> Iterator[float]:
    """Starts on the local 30-minute grid, in [lo, hi), whose whole session is free."""
    for s, e in free:
        t = max(s, lo)
        offset = datetime.fromtimestamp(t, zone).utcoffset() or timedelta(0)
        shift = offset.total_seconds()
        t = -((-(t + shift)) // GRID) * GRID - shift  # ceil to the grid in local time
        while t + dur <= e and t < hi:
            yield t
            t += GRID


def _load_by_weekday(load: Mapping[str, Mapping[str, int]], emails: Sequence[str]) -> list[int]:
    per_day = [0] * 7
    for email in emails:
        for key, count in load.get(email, {}).items():
            day = _weekday_of(key)
            if day is not None:
                per_day[day] += count
    return per_day


def _weekday_of(key: str) -> int | None:
    head = key.split("/")[0].strip().lower()
    if head[:3] in WEEKDAYS:
        return WEEKDAYS.index(head[:3])
    if head.isdigit() and int(head) < 7:
        return int(head)
    try:
        return date.fromisoformat(head[:10]).weekday()
    except ValueError:
        return None
