"""Series <-> Google Calendar event resources, and event ids from keys.

Terms:
- *event id*: chosen by us, `base32hex(key)` in lower case (Google accepts
  a-v and 0-9, 5 to 1024 characters), so an insert retried after a crash hits
  409 instead of creating a second event, and the key reads back from the id.
- *master*: the recurring event; *instance*: one occurrence of it, whose id is
  `<master id>_<original start as YYYYMMDDTHHMMSSZ>`; a moved or cancelled
  instance is an *exception* Google keeps beside the master.
- *signature*: a digest of everything a `Series` says, kept in the master's
  private extended properties: equal signature means no update is needed.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.parser import isoparse

from agent.core.errors import PermanentError
from agent.core.model import Interval, ResponseStatus, Series, short_hash

STATUSES: dict[str, ResponseStatus] = {
    "accepted": "accepted", "declined": "declined", "tentative": "tentative",
    "needsAction": "needs-action",
}
MAX_ID = 1024


def event_id(key: str) -> str:
    """The Google event id of the series `key`: base32hex of the key (see the terms above)."""
    encoded = base64.b32hexencode(key.encode("utf-8")).decode("ascii").rstrip("=").lower()
    if not 5 <= len(encoded) <= MAX_ID:
        raise PermanentError(f"the key {key!r} gives no valid Google event id")
    return encoded


def key_of(eid: str) -> str | None:
    """The key an event id was made from, or None if the id is not one of ours."""
    master = eid.split("_", 1)[0].upper()
    try:
        return base64.b32hexdecode(master + "=" * (-len(master) % 8)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def stamp(when: datetime) -> str:
    """`when` in UTC as iCalendar writes it (`YYYYMMDDTHHMMSSZ`), as in instance ids and UNTIL."""
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def rfc3339(when: datetime) -> str:
    """`when` in UTC as the Calendar API writes times (`...Z`)."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def signature(series: Series) -> str:
    """A digest of everything `series` says, so an equal one means no update is needed."""
    return short_hash(
        series.key, series.title, series.description, series.organizer, *series.attendees,
        rfc3339(series.start), str(series.duration.total_seconds()), series.timezone,
        str(series.interval_weeks), rfc3339(series.until),
        *sorted(rfc3339(c) for c in series.cancelled), length=20)


def recurrence(series: Series) -> list[str]:
    """The master's RRULE (weekly until the last occurrence) and EXDATE of cancelled ones."""
    tz = ZoneInfo(series.timezone)
    lines = [f"RRULE:FREQ=WEEKLY;INTERVAL={series.interval_weeks};UNTIL={stamp(series.until)}"]
    if series.cancelled:
        dates = ",".join(sorted({c.astimezone(tz).strftime("%Y%m%dT%H%M%S")
                                 for c in series.cancelled}))
        lines.append(f"EXDATE;TZID={series.timezone}:{dates}")
    return lines


def local_time(when: datetime, zone: str) -> dict[str, str]:
    """An event start or end: `when` as wall time in `zone`, with that zone named."""
    return {"dateTime": when.astimezone(ZoneInfo(zone)).isoformat(), "timeZone": zone}


def event_body(series: Series, answers: dict[str, str] | None = None) -> dict[str, Any]:
    """The full master resource of `series`; `answers` keeps attendees' responseStatus."""
    answers = answers or {}
    return {
        "id": event_id(series.key),
        "summary": series.title,
        "description": series.description,
        "start": local_time(series.start, series.timezone),
        "end": local_time(series.start + series.duration, series.timezone),
        "recurrence": recurrence(series),
        "attendees": [{"email": a, "responseStatus": answers.get(a, "needsAction")}
                      for a in series.attendees],
        "guestsCanModify": False,
        "status": "confirmed",
        "extendedProperties": {"private": {"binomeKey": series.key,
                                           "binomeSig": signature(series)}},
    }


def changed_fields(existing: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The part of `body` that differs from `existing`, so a patch touches only that.

    Google may drop the exceptions of a recurring event (occurrences people moved
    by hand) when its start or recurrence is rewritten, even to the same value.
    """
    changed: dict[str, Any] = {}
    for name, value in body.items():
        old = existing.get(name)
        if name in ("start", "end") and isinstance(old, dict):
            same = (when(old) == when(value)
                    and old.get("timeZone") == value.get("timeZone"))
        else:
            same = old == value
        if not same:
            changed[name] = value
    return changed


def when(value: dict[str, Any], zone: str = "UTC") -> datetime:
    """A start/end of an event resource as an aware datetime (all-day: midnight in `zone`)."""
    if "dateTime" in value:
        parsed = isoparse(value["dateTime"])
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(zone))
    day = isoparse(value["date"])
    return day.replace(tzinfo=ZoneInfo(value.get("timeZone", zone)))


def interval_of(event: dict[str, Any]) -> Interval:
    """When an event or instance runs, in UTC."""
    return Interval(when(event["start"]).astimezone(UTC), when(event["end"]).astimezone(UTC))


def series_of(event: dict[str, Any]) -> Series:
    """The series a master we wrote describes (read back to end or check it)."""
    try:
        private = event.get("extendedProperties", {}).get("private", {})
        zone = event["start"].get("timeZone", "UTC")
        start = when(event["start"], zone)
        rule = next(r for r in event["recurrence"] if r.startswith("RRULE:"))
        parts = dict(p.split("=", 1) for p in rule.removeprefix("RRULE:").split(";"))
        cancelled: list[datetime] = []
        for line in event["recurrence"]:
            if line.startswith("EXDATE"):
                head, _, values = line.partition(":")
                tz = ZoneInfo(head.split("TZID=", 1)[1]) if "TZID=" in head else UTC
                for value in values.split(","):
                    moment = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
                    cancelled.append(moment.replace(tzinfo=tz).astimezone(UTC))
        return Series(
            key=private.get("binomeKey") or key_of(event["id"]) or event["id"],
            title=event.get("summary", ""), description=event.get("description", ""),
            organizer=event.get("organizer", {}).get("email", ""),
            attendees=tuple(a["email"].lower() for a in event.get("attendees", [])
                            if not a.get("organizer")),
            start=start, duration=when(event["end"], zone) - start, timezone=zone,
            interval_weeks=int(parts.get("INTERVAL", "1")),
            until=datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC),
            cancelled=tuple(cancelled))
    except (KeyError, ValueError, StopIteration, IndexError) as exc:
        raise PermanentError(f"the event {event.get('id')} was edited beyond recognition: "
                             f"{exc!r}") from exc


def original_start(instance: dict[str, Any]) -> datetime:
    """The start an instance had before anyone moved it, in UTC."""
    return when(instance["originalStartTime"]).astimezone(UTC)


def answers_of(event: dict[str, Any]) -> dict[str, str]:
    """Attendee email -> responseStatus on an event, to keep across an update."""
    return {a["email"].lower(): a.get("responseStatus", "needsAction")
            for a in event.get("attendees", [])}

