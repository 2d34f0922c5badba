"""iCalendar files of the `local` backend: one person's file in memory, and series <-> VEVENT.

Terms:
- *file*: `root/calendars/<email>.ics`, one person's whole calendar: their copy
  of each of our series, and their own meetings and days off (kept as read).
- *copy*: the master VEVENT of a series in one file, plus its overrides
  (VEVENTs with RECURRENCE-ID: our moves, or a person's answer for one date).
- *part key*: where a component sorts in the file: VTIMEZONEs by TZID, then
  VEVENTs by UID with the master before its overrides (by original start),
  then anything else in file order. Sorting makes the bytes a function of the
  content only, so replaying the same calls gives byte-identical files.

A `Doc` keeps every component's serialized bytes, so writing a file with
thousands of events re-serializes only the events that changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone

from agent.core.errors import PermanentError
from agent.core.model import Interval, Series, short_hash

PRODID = "-//Binome//Binome//EN"
TZ_FIRST, TZ_LAST = date(2000, 1, 1), date(2050, 1, 1)  # VTIMEZONE rules written for this span
Fingerprint = tuple[int, int, int]  # inode, size, mtime_ns (os.replace always gives a new inode)
PartKey = tuple[str, str, str]
MAILTO = re.compile(r"mailto:([^\s;:,\"]+)", re.IGNORECASE)
FOLDED = re.compile(r"\r?\n[ \t]")


def uid_for(key: str) -> str:
    """The UID of the series `key` in every file (a digest: keys may hold any character)."""
    return f"{short_hash(key, length=24)}@binome"


def email_of(value: object) -> str:
    """An ATTENDEE or ORGANIZER value as a lower-case email, without `mailto:`."""
    return str(value).strip().lower().removeprefix("mailto:")


def as_list(value: Any) -> list[Any]:
    """An icalendar property that may be absent, single or repeated, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def utc_tag(value: date | datetime) -> str:
    """A text form of an instant that compares equal across zones (aware -> UTC)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.isoformat()


def partstats(event: Any) -> dict[str, str]:
    """Attendee email -> PARTSTAT (upper case) on one VEVENT."""
    if event is None:
        return {}
    return {
        email_of(a): str(a.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
        for a in as_list(event.get("ATTENDEE"))
    }


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> Any:
    """The VTIMEZONE of an IANA zone (shared, never mutated); None if unknown."""
    try:
        return Timezone.from_tzid(tzid, first_date=TZ_FIRST, last_date=TZ_LAST)
    except ValueError:
        return None


def part_key(component: Any, index: int) -> PartKey:
    """Where `component` (the `index`th of its file) sorts in the file (see the terms above)."""
    if component.name == "VTIMEZONE":
        return ("0", str(component.get("TZID", "")), "")
    if component.name == "VEVENT":
        recurrence = component.get("RECURRENCE-ID")
        tag = "" if recurrence is None else "R" + utc_tag(recurrence.dt)
        return ("1", str(component.get("UID", "")), tag)
    return ("2", f"{index:08d}", str(component.name))


def header(source: Any) -> bytes:
    """The VCALENDAR lines before the first component: our PRODID, then what the file had."""
    cal = ICalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if source is not None:
        for name, value in source.items():
            if name not in ("PRODID", "VERSION"):
                cal[name] = value
    return bytes(cal.to_ical()).removesuffix(b"END:VCALENDAR\r\n")


class Doc:
    """One file in memory. `fp` is the fingerprint of the file it was read from (None: absent)."""

    def __init__(self, head: bytes, fp: Fingerprint | None, zone: tzinfo = UTC) -> None:
        self.head = head
        self.fp = fp
        self.zone = zone
        self.parts: dict[PartKey, Any] = {}
        self.raw: dict[PartKey, bytes] = {}
        self._calendar: Any = None

    def put(self, key: PartKey, component: Any, raw: bytes | None = None) -> None:
        """Set the component at `key`; `raw` is its serialized form when already known."""
        self.parts[key] = component
        self.raw.pop(key, None)
        if raw is not None:
            self.raw[key] = raw
        self._calendar = None

    def drop(self, key: PartKey) -> None:
        """Remove the component at `key`, if any."""
        self.parts.pop(key, None)
        self.raw.pop(key, None)
        self._calendar = None

    def bytes_of(self, key: PartKey) -> bytes:
        """The serialized component at `key`, serialized once."""
        data = self.raw.get(key)
        if data is None:
            data = self.raw[key] = bytes(self.parts[key].to_ical())
        return data

    def to_bytes(self) -> bytes:
        """The whole file, components in part-key order."""
        body = b"".join(self.bytes_of(k) for k in sorted(self.parts))
        return self.head + body + b"END:VCALENDAR\r\n"

    def master(self, uid: str) -> Any:
        """The master VEVENT of the series with `uid`, or None."""
        return self.parts.get(("1", uid, ""))

    def copy_of(self, uid: str) -> dict[PartKey, Any]:
        """The master and overrides of the series with `uid`, by part key."""
        return {k: c for k, c in self.parts.items() if k[0] == "1" and k[1] == uid}

    def keys(self) -> set[str]:
        """The keys of every series of ours in this file."""
        return {str(c["X-BINOME-KEY"]) for k, c in self.parts.items()
                if k[0] == "1" and "X-BINOME-KEY" in c}

    def ensure_timezone(self, tzid: str) -> bool:
        """Add the VTIMEZONE of `tzid` if missing; whether it was added."""
        key = ("0", tzid, "")
        if key in self.parts or (component := vtimezone(tzid)) is None:
            return False
        self.put(key, component)
        return True

    def replace_copy(self, uid: str, new: Mapping[PartKey, Any]) -> bool:
        """Make the copy of `uid` exactly `new`; False when it already was."""
        old = self.copy_of(uid)
        fresh = {k: bytes(c.to_ical()) for k, c in new.items()}
        if set(old) == set(fresh) and all(self.bytes_of(k) == fresh[k] for k in fresh):
            return False
        for k in old:
            self.drop(k)
        for k, c in new.items():
            self.put(k, c, fresh[k])
        return True

    def calendar(self) -> Any:
        """The file as an icalendar `Calendar`, for recurring_ical_events (built once)."""
        if self._calendar is None:
            cal = ICalendar()
            for k in sorted(self.parts):
                cal.add_component(self.parts[k])
            self._calendar = cal
        return self._calendar


def read_doc(path: Path) -> Doc:
    """Parse one file; raises PermanentError if it is not iCalendar, OSError if unreadable."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        data = f.read()
    try:
        cal = ICalendar.from_ical(data)
        zone: tzinfo = UTC
        if "X-WR-TIMEZONE" in cal:
            zone = ZoneInfo(str(cal["X-WR-TIMEZONE"]))
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise PermanentError(f"{path} is not a readable iCalendar file: {exc}") from exc
    doc = Doc(header(cal), (st.st_ino, st.st_size, st.st_mtime_ns), zone)
    for index, component in enumerate(cal.subcomponents):
        key = part_key(component, index)
        if key in doc.parts:  # a duplicate UID: keep both, in file order
            key = (key[0], key[1], f"{key[2]}#{index:08d}")
        doc.put(key, component)
    for tzid in sorted(cal.get_missing_tzids()):
        doc.ensure_timezone(tzid)
    return doc


def new_doc() -> Doc:
    """An empty file (not written yet)."""
    return Doc(header(None), None)


def signature(series: Series, status: str) -> str:
    """A digest of everything a series says; equal signatures mean no real update."""
    return short_hash(
        series.key, series.title, series.description, series.organizer, *series.attendees,
        utc_tag(series.start), str(series.duration.total_seconds()), series.timezone,
        str(series.interval_weeks), utc_tag(series.until),
        *sorted(utc_tag(c) for c in series.cancelled), status, length=20,
    )


def build_event(
    series: Series, *, status: str, sequence: int, stamp: datetime, answers: Mapping[str, str],
    recurrence: datetime | None = None, moved: Interval | None = None,
) -> Any:
    """The master VEVENT (or, with `recurrence` and `moved`, a move override) of a series."""
    tz = ZoneInfo(series.timezone)
    event = Event()
    event.add("uid", uid_for(series.key))
    event.add("dtstamp", stamp.astimezone(UTC))
    if recurrence is None or moved is None:
        event.add("dtstart", series.start.astimezone(tz))
        event.add("duration", series.duration)
        event.add("rrule", {"freq": "weekly", "interval": series.interval_weeks,
                            "until": series.until.astimezone(UTC)})
        if series.cancelled:
            skipped = sorted({c.astimezone(UTC) for c in series.cancelled})
            event.add("exdate", [c.astimezone(tz) for c in skipped])
    else:
        event.add("recurrence-id", recurrence.astimezone(tz))
        event.add("dtstart", moved.start.astimezone(tz))
        event.add("duration", moved.end - moved.start)
    event.add("summary", series.title)
    if series.description:
        event.add("description", series.description)
    event.add("organizer", f"mailto:{series.organizer}")
    for person in series.attendees:
        event.add("attendee", f"mailto:{person}", parameters={
            "ROLE": "REQ-PARTICIPANT", "PARTSTAT": answers.get(person, "NEEDS-ACTION"),
            "RSVP": "TRUE",
        })
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("x-binome-key", series.key)
    if recurrence is None:
        event.add("x-binome-sig", signature(series, status))
    return event


def series_of(master: Any) -> tuple[Series, str]:
    """The series (and STATUS) a master VEVENT we wrote describes."""
    try:
        return _series_of(master)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError) as exc:
        uid = master.get("UID", "?")
        raise PermanentError(f"the event {uid} was edited beyond recognition: {exc!r}") from exc


def _series_of(master: Any) -> tuple[Series, str]:
    start = master.decoded("DTSTART")
    rule = master["RRULE"]
    duration = (master.decoded("DURATION") if "DURATION" in master
                else master.decoded("DTEND") - start)
    skipped = [v.dt for prop in as_list(master.get("EXDATE")) for v in prop.dts]
    series = Series(
        key=str(master["X-BINOME-KEY"]),
        title=str(master.get("SUMMARY", "")),
        description=str(master.get("DESCRIPTION", "")),
        organizer=email_of(master.get("ORGANIZER", "")),
        attendees=tuple(email_of(a) for a in as_list(master.get("ATTENDEE"))),
        start=start,
        duration=duration,
        timezone=str(master["DTSTART"].params.get("TZID", "UTC")),
        interval_weeks=int(as_list(rule.get("INTERVAL", 1))[0]),
        until=as_list(rule["UNTIL"])[0].astimezone(UTC),
        cancelled=tuple(s.astimezone(UTC) for s in skipped),
    )
    return series, str(master.get("STATUS", "CONFIRMED")).upper()


def moves_of(doc: Doc, uid: str) -> dict[datetime, Interval]:
    """Original start (UTC) -> new interval, for every override in the organizer's copy."""
    moves: dict[datetime, Interval] = {}
    for key, event in doc.copy_of(uid).items():
        if key[2]:
            start, end = span(event, UTC)
            moves[event.decoded("RECURRENCE-ID").astimezone(UTC)] = Interval(start, end)
    return moves


def span(event: Any, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start and end of one (expanded) event; dates and floating times are read in `zone`."""
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        end = start if isinstance(start, datetime) else start + timedelta(days=1)

    def aware(value: date | datetime) -> datetime:
        if not isinstance(value, datetime):
            return datetime.combine(value, time(), zone)
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)

    return aware(start).astimezone(UTC), aware(end).astimezone(UTC)


def scan_organizers(folder: Path) -> dict[str, str]:
    """Key -> organizer email, read from the raw text of every file (no iCalendar parsing)."""
    found: dict[str, str] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".ics"):
                continue
            data = Path(entry.path).read_bytes()
            if b"X-BINOME-KEY" not in data:
                continue
            owner = entry.name.removesuffix(".ics").lower()
            key, organizer, override = "", "", False
            for line in FOLDED.sub("", data.decode("utf-8", "replace")).splitlines():
                head = line[:16].upper()
                if head.startswith("BEGIN:VEVENT"):
                    key, organizer, override = "", "", False
                elif head.startswith("X-BINOME-KEY"):
                    key = line.split(":", 1)[-1]
                elif head.startswith("ORGANIZER") and (m := MAILTO.search(line)):
                    organizer = m.group(1).lower()
                elif head.startswith("RECURRENCE-ID"):
                    override = True
                elif head.startswith("END:VEVENT") and key and not override and organizer == owner:
                    found[key] = owner
    return found
