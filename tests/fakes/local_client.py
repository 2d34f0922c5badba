"""What a person's calendar client does on the `local` backend: it answers an invitation
or books their own event by rewriting their .ics file, as a client saves it.

`LocalClient` gives the calendar contract's hooks (`answer`, `own_event`,
`booked_attendees`, tests/contract/calendar_contract.py) for the local backend's
contract tests, and for the agent tests that act as the people in their calendars.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from contract.calendar_contract import ORGANIZER
from icalendar import Calendar as ICalendar
from icalendar import Event

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def rewrite(path: Path, cal: Any) -> None:
    """Save as a calendar client would: whole file, then rename."""
    tmp = path.with_name(f".{path.name}.client")
    tmp.write_bytes(cal.to_ical())
    os.replace(tmp, path)


def read(path: Path) -> Any:
    if path.exists():
        return ICalendar.from_ical(path.read_bytes())
    cal = ICalendar()
    cal.add("prodid", "-//Someone//Client//EN")
    cal.add("version", "2.0")
    return cal


class LocalClient:
    """Everyone's calendar client on a `LocalCalendar`: the file of the person it is given."""

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        path = calendar.path(attendee)
        cal = read(path)
        master = next(e for e in cal.walk("VEVENT")
                      if str(e.get("X-BINOME-KEY")) == key and "RECURRENCE-ID" not in e)
        if occurrence is None:
            attendees = master["ATTENDEE"]
            for who in attendees if isinstance(attendees, list) else [attendees]:
                if who.lower() == f"mailto:{attendee}":
                    who.params["PARTSTAT"] = status.upper()
        elif (existing := next((e for e in cal.walk("VEVENT")
                                if str(e.get("X-BINOME-KEY")) == key and "RECURRENCE-ID" in e
                                and e.decoded("RECURRENCE-ID") == occurrence), None)):
            # The occurrence has an override already (moved by the organizer): a client
            # answers on it, as it would on the master.
            attendees = existing["ATTENDEE"]
            for who in attendees if isinstance(attendees, list) else [attendees]:
                if who.lower() == f"mailto:{attendee}":
                    who.params["PARTSTAT"] = status.upper()
        else:
            tz = master.decoded("DTSTART").tzinfo
            override = Event()
            for name in ("UID", "SUMMARY", "ORGANIZER", "X-BINOME-KEY"):
                override[name] = master[name]
            override.add("recurrence-id", occurrence.astimezone(tz))
            override.add("dtstamp", T0)
            override.add("dtstart", occurrence.astimezone(tz))
            override.add("duration", master.decoded("DURATION"))
            override.add("attendee", f"mailto:{attendee}", parameters={"PARTSTAT": status.upper()})
            cal.add_component(override)
        rewrite(path, cal)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        master = next(e for e in read(calendar.path(ORGANIZER)).walk("VEVENT")
                      if str(e.get("X-BINOME-KEY")) == key and "RECURRENCE-ID" not in e)
        attendees = master["ATTENDEE"]
        return [str(a).removeprefix("mailto:")
                for a in (attendees if isinstance(attendees, list) else [attendees])]

    def own_event(self, calendar: Any, person: str, start: datetime | date, end: datetime | date,
                  *, transparent: bool = False) -> None:
        path = calendar.path(person)
        cal = read(path)
        event = Event()
        event.add("uid", f"own-{start.isoformat()}@client")
        event.add("dtstamp", T0)
        event.add("dtstart", start)
        event.add("dtend", end)
        if transparent:
            event.add("transp", "TRANSPARENT")
        cal.add_component(event)
        rewrite(path, cal)
