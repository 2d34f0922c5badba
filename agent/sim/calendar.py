"""The simulated people's own calendars: their meetings, days off and later plans.

What a person keeps in their calendar besides Binôme's invitations, written as a
calendar client writes it (one .ics file per person), and the small edits a client
makes when they answer an invitation.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar as ICalendar
from icalendar import Event

from agent.core.model import Participant, short_hash

CLASH_RATE = 0.25  # accepted series that later get a meeting or a week off over one session
WEEK_OFF_SHARE = 0.4  # ...of which a whole week off rather than a meeting


def own_calendar(person: Participant, start: datetime, rng: random.Random) -> Any:
    """A weekly team meeting and a day off, from before the programme starts."""
    email = person.email
    cal = ICalendar()
    cal.add("prodid", "-//Binome simulation//Personal calendar//EN")
    cal.add("version", "2.0")
    tz = ZoneInfo(person.timezone)
    day = start.astimezone(tz).date()
    weekday = rng.randrange(5)
    first = day + timedelta(days=(weekday - day.weekday()) % 7)
    meeting = Event()
    meeting.add("uid", f"team-{short_hash(email)}@sim")
    meeting.add("dtstamp", start)
    meeting.add("summary", "Réunion d'équipe" if person.language == "fr" else "Team meeting")
    hour = rng.choice([9, 10, 11, 14, 16])
    meeting.add("dtstart", datetime.combine(first, time(hour), tzinfo=tz))
    meeting.add("duration", timedelta(hours=1))
    meeting.add("rrule", {"freq": "weekly"})
    cal.add_component(meeting)
    off = Event()
    off.add("uid", f"off-{short_hash(email)}@sim")
    off.add("dtstamp", start)
    off.add("summary", "Congé" if person.language == "fr" else "Day off")
    off_day = day + timedelta(days=rng.randrange(10, 60))
    off.add("dtstart", off_day)
    off.add("dtend", off_day + timedelta(days=1))
    cal.add_component(off)
    return cal


def later_plans(series: Any, person: Participant, now: datetime,
                rng: random.Random) -> list[Event]:
    """What `person` books later over one session of a series they accepted: sometimes a
    meeting that overlaps it, sometimes a week off around it; usually nothing."""
    if rng.random() >= CLASH_RATE:
        return []
    ahead = [o for o in occurrences(series) if o >= now + timedelta(weeks=2)]
    if not ahead:
        return []
    occ = rng.choice(ahead)
    tz = ZoneInfo(person.timezone)
    plan = Event()
    plan.add("uid", f"later-{short_hash(person.email, str(series['UID']))}@sim")
    plan.add("dtstamp", now)
    if rng.random() < WEEK_OFF_SHARE:
        day = occ.astimezone(tz).date()
        monday = day - timedelta(days=day.weekday())
        plan.add("summary", "Vacances" if person.language == "fr" else "Holiday")
        plan.add("dtstart", monday)
        plan.add("dtend", monday + timedelta(days=7))
    else:
        at = occ + timedelta(minutes=rng.choice([-30, 0, 15]))
        plan.add("summary", "Rendez-vous client" if person.language == "fr" else "Client call")
        plan.add("dtstart", at.astimezone(tz))
        plan.add("dtend", (at + timedelta(hours=1)).astimezone(tz))
    return [plan]


def overridden(cal: Any, uid: str) -> set[datetime]:
    """Original starts of the occurrences that already have their own VEVENT."""
    return {
        e.decoded("RECURRENCE-ID")
        for e in cal.walk("VEVENT")
        if "RECURRENCE-ID" in e and str(e["UID"]) == uid
    }


def set_partstat(event: Any, email: str, status: str) -> None:
    """Set `email`'s PARTSTAT on the event to `status` (ACCEPTED, DECLINED...)."""
    for attendee in attendees(event):
        if str(attendee).lower().removeprefix("mailto:") == email:
            attendee.params["PARTSTAT"] = status


def attendees(event: Event) -> list[Any]:
    """The event's ATTENDEE properties as a list, even when there is only one."""
    value = event.get("ATTENDEE", [])
    return value if isinstance(value, list) else [value]


def occurrences(event: Any) -> list[datetime]:
    """Every start the event's RRULE gives (EXDATEs kept), or its DTSTART alone."""
    start = event.decoded("dtstart")
    rule = event.get("RRULE")
    if rule is None:
        return [start]
    return list(rrulestr(rule.to_ical().decode(), dtstart=start))


def declined_override(master: Any, occ: datetime, email: str, now: datetime) -> Event:
    """An override VEVENT of `master`'s occurrence `occ`, naming only `email`, who declined it."""
    override = Event()
    for name in ("UID", "SUMMARY", "ORGANIZER", "X-BINOME-KEY"):
        if name in master:
            override[name] = master[name]
    override.add("recurrence-id", occ)
    override.add("dtstamp", now)
    override.add("dtstart", occ)
    if "DURATION" in master:
        override.add("duration", master.decoded("duration"))
    else:
        override.add("duration", master.decoded("dtend") - master.decoded("dtstart"))
    override.add("attendee", f"mailto:{email}", parameters={"PARTSTAT": "DECLINED"})
    return override
