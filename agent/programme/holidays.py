"""Public holidays of a person's country and region, from the `holidays` package.

The country comes from the roster's `country` column, or else from the
person's time zone through the IANA zone table shipped with tzdata
(Europe/Paris -> FR, America/Montreal -> CA). A region (`region`: a state,
province or French department the package knows, e.g. QC, 57) adds its own
days. A zone the table does not place (Etc/UTC) has no holidays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import holidays

from agent.core.model import Interval, Participant


@cache
def _zone_countries() -> dict[str, str]:
    table = resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab")
    out: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            codes, _, zone = line.split("\t")[:3]
            out.setdefault(zone, codes.split(",")[0])  # a shared zone: its first country
    # zone1970.tab folds zones that agree since 1970 into one (Montreal into Toronto);
    # zone.tab still names each, so it fills the gaps.
    legacy = resources.files("tzdata").joinpath("zoneinfo", "zone.tab")
    for line in legacy.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            out.setdefault(zone, code)
    return out


@cache
def _zone_country(zone: str) -> str:
    known = _zone_countries()
    if zone in known:
        return known[zone]
    # A link (America/Montreal -> America/Toronto) is absent from both tables, but tzdata
    # ships it as a copy of its target's file: the same bytes name the same country.
    data = _zone_bytes(zone)
    if data is None:
        return ""
    by_content = _countries_by_content()
    return by_content.get(data, "")


def _zone_bytes(zone: str) -> bytes | None:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", *zone.split("/")).read_bytes()
    except (OSError, ValueError):
        return None


@cache
def _countries_by_content() -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for zone, country in _zone_countries().items():
        data = _zone_bytes(zone)
        if data is not None:
            out.setdefault(data, country)
    return out


def country_of(person: Participant) -> str:
    """The person's country code: the roster's, else their zone's (empty if it has none)."""
    return person.country or _zone_country(person.timezone)


def supported(country: str, region: str = "") -> bool:
    """Whether the `holidays` package knows `country` (and `region` in it, when given)."""
    known = holidays.list_supported_countries()
    return country in known and (not region or region in known[country])


@cache
def _days(country: str, region: str, year: int) -> frozenset[date]:
    if not supported(country, region):
        return frozenset()
    found = holidays.country_holidays(country, subdiv=region or None, years=year)
    return frozenset(found.keys())


def public_holidays(person: Participant, first: date, last: date) -> set[date]:
    """The person's public holidays from `first` to `last` (local dates, inclusive)."""
    country = country_of(person)
    out: set[date] = set()
    for year in range(first.year, last.year + 1):
        out |= {d for d in _days(country, person.region, year) if first <= d <= last}
    return out


def days_off(people: Sequence[Participant], lo: datetime,
             hi: datetime) -> dict[str, list[Interval]]:
    """Each person's public holidays between `lo` and `hi` as whole local days, busy."""
    out: dict[str, list[Interval]] = {}
    for p in people:
        zone = ZoneInfo(p.timezone)
        first, last = lo.astimezone(zone).date(), hi.astimezone(zone).date()
        out[p.email] = [
            Interval(datetime.combine(d, time(0), zone),
                     datetime.combine(d + timedelta(days=1), time(0), zone))
            for d in sorted(public_holidays(p, first, last))
        ]
    return out


def on_holiday(starts: Sequence[datetime], people: Sequence[Participant]) -> list[datetime]:
    """The starts that fall on a public holiday of any of `people`, in their own zone."""
    if not starts:
        return []
    found = []
    lo, hi = min(starts), max(starts)
    off = {p.email: public_holidays(p, (lo - timedelta(days=1)).date(),
                                    (hi + timedelta(days=1)).date()) for p in people}
    for start in starts:
        if any(start.astimezone(ZoneInfo(p.timezone)).date() in off[p.email] for p in people):
            found.append(start)
    return found

