"""Public holidays of a person's country and region, from the `holidays` package.

The country comes from the roster's `country` column, or else from the
person's time zone through the IANA zone table shipped with tzdata
(Europe/Paris -> FR, America/Montreal -> CA). A region (`region`: a state,
province or French department the package knows, e.g. QC, 57) adds its own
days. Without one, a zone that lies in a single region gives it (`ZONE_REGIONS`:
America/Montreal -> QC, so Quebec's National Patriots' Day is a day off in
Montréal); a zone several regions share (America/Toronto: Ontario and most of
Quebec) gives none. A zone the table does not place (Etc/UTC) has no holidays.
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


# Zones whose area is one region the `holidays` package knows (tzdata's zone.tab
# comments say which area each zone covers); a zone shared by regions is left out.
ZONE_REGIONS: dict[str, tuple[str, str]] = {
    "America/Montreal": ("CA", "QC"), "America/Vancouver": ("CA", "BC"),
    "America/Regina": ("CA", "SK"), "America/Swift_Current": ("CA", "SK"),
    "America/Moncton": ("CA", "NB"), "America/St_Johns": ("CA", "NL"),
    "America/Goose_Bay": ("CA", "NL"), "America/Whitehorse": ("CA", "YT"),
    "America/Dawson": ("CA", "YT"), "America/Iqaluit": ("CA", "NU"),
    "America/Rankin_Inlet": ("CA", "NU"), "America/Cambridge_Bay": ("CA", "NU"),
    "America/Inuvik": ("CA", "NT"), "America/Yellowknife": ("CA", "NT"),
    "America/Phoenix": ("US", "AZ"), "America/Boise": ("US", "ID"),
    "America/Detroit": ("US", "MI"), "America/Anchorage": ("US", "AK"),
    "America/Juneau": ("US", "AK"), "America/Sitka": ("US", "AK"),
    "America/Nome": ("US", "AK"), "America/Yakutat": ("US", "AK"),
    "Pacific/Honolulu": ("US", "HI"), "America/Indiana/Indianapolis": ("US", "IN"),
    "America/Kentucky/Louisville": ("US", "KY"),
    "Australia/Sydney": ("AU", "NSW"), "Australia/Broken_Hill": ("AU", "NSW"),
    "Australia/Canberra": ("AU", "ACT"), "Australia/Melbourne": ("AU", "VIC"),
    "Australia/Brisbane": ("AU", "QLD"), "Australia/Lindeman": ("AU", "QLD"),
    "Australia/Adelaide": ("AU", "SA"), "Australia/Perth": ("AU", "WA"),
    "Australia/Hobart": ("AU", "TAS"), "Australia/Darwin": ("AU", "NT"),
    "Atlantic/Canary": ("ES", "CN"), "Africa/Ceuta": ("ES", "CE"),
    "Atlantic/Madeira": ("PT", "30"), "Atlantic/Azores": ("PT", "20"),
    "Europe/Belfast": ("GB", "NIR"), "Europe/Busingen": ("DE", "BW"),
}


def country_of(person: Participant) -> str:
    """The person's country code: the roster's, else their zone's (empty if it has none)."""
    return person.country or _zone_country(person.timezone)


def region_of(person: Participant) -> str:
    """The person's region: the roster's, else the one their zone lies in (`ZONE_REGIONS`)
    when that zone is in their country; empty when neither says."""
    if person.region:
        return person.region
    country, region = ZONE_REGIONS.get(person.timezone, ("", ""))
    return region if country and country == country_of(person) else ""


def inferred_regions(people: Sequence[Participant]) -> dict[tuple[str, str, str], int]:
    """(zone, country, region) -> how many of `people` get that region from their zone
    (not from the roster): what `binome check` tells the admin."""
    found: dict[tuple[str, str, str], int] = {}
    for person in people:
        if not person.region and region_of(person):
            key = (person.timezone, country_of(person), region_of(person))
            found[key] = found.get(key, 0) + 1
    return found


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
        out |= {d for d in _days(country, region_of(person), year) if first <= d <= last}
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

