"""How a `Series` is written as a Graph event, and read back.

Terms:
- *key property*: a single-value extended property (MAPI named property in our
  own GUID namespace) holding the series key, so `find_series` is one `$filter`
  query and a crash between create and record never creates a second series.
- *schedule property*: a second one holding what we booked (start, zone,
  interval, last occurrence, length) and digests of the title/description and
  attendees, so an update sends only the parts that changed (Exchange drops
  moved occurrences and resets answers when the time or pattern changes) and
  the original starts of the occurrences are known without parsing patterns.
- *transactionId*: derived from the key, so Graph itself drops a POST repeated
  after a lost response.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from agent.model import ResponseStatus, Series, short_hash

_NAMESPACE = "{8d3f6c8e-2b0a-4c1e-9a57-0b1f3f2c6e41}"
KEY_PROP = f"String {_NAMESPACE} Name BinomeKey"
SCHEDULE_PROP = f"String {_NAMESPACE} Name BinomeSchedule"
_TX_NAMESPACE = uuid.UUID("5b0c7c62-8f6a-4b8e-a1d2-4a7e0f0c9b13")
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ANSWERS: dict[str, ResponseStatus] = {
    "accepted": "accepted", "declined": "declined", "tentativelyAccepted": "tentative",
}


def transaction_id(key: str) -> str:
    return str(uuid.uuid5(_TX_NAMESPACE, key))


def key_filter(key: str) -> str:
    quoted = key.replace("'", "''")  # OData string literal
    return (f"singleValueExtendedProperties/Any(ep: ep/id eq '{KEY_PROP}' and "
            f"ep/value eq '{quoted}')")


def expand(prop: str) -> str:
    return f"singleValueExtendedProperties($filter=id eq '{prop}')"


@dataclass(frozen=True)
class Schedule:
    """What was booked, as kept in the schedule property."""

    start: datetime  # UTC
    timezone: str
    interval_weeks: int
    last: datetime  # UTC original start of the last occurrence
    minutes: float
    what: str
    who: str

    @classmethod
    def of(cls, series: Series) -> Schedule:
        plain = replace(series, cancelled=())
        starts = plain.occurrences()
        return cls(start=series.start.astimezone(UTC), timezone=series.timezone,
                   interval_weeks=series.interval_weeks,
                   last=starts[-1] if starts else series.start.astimezone(UTC),
                   minutes=series.duration.total_seconds() / 60,
                   what=short_hash(series.title, series.description),
                   who=short_hash(*sorted(a.lower() for a in series.attendees)))

    def timing(self) -> tuple[Any, ...]:
        return (self.start, self.timezone, self.interval_weeks, self.last, self.minutes)

    def originals(self) -> list[datetime]:
        series = Series(key="", title="", description="", organizer="", attendees=(),
                        start=self.start.astimezone(ZoneInfo(self.timezone)),
                        duration=timedelta(minutes=self.minutes), timezone=self.timezone,
                        interval_weeks=self.interval_weeks, until=self.last)
        return series.occurrences()

    def dumps(self) -> str:
        return json.dumps({"start": self.start.isoformat(), "tz": self.timezone,
                           "every": self.interval_weeks, "last": self.last.isoformat(),
                           "minutes": self.minutes, "what": self.what, "who": self.who})

    @classmethod
    def loads(cls, text: str) -> Schedule | None:
        try:
            v = json.loads(text)
            return cls(datetime.fromisoformat(v["start"]), str(v["tz"]), int(v["every"]),
                       datetime.fromisoformat(v["last"]), float(v["minutes"]), str(v["what"]),
                       str(v["who"]))
        except (ValueError, KeyError, TypeError):
            return None


def local(when: datetime, zone: str) -> dict[str, str]:
    return {"dateTime": when.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(),
            "timeZone": zone}


def event_body(series: Series, schedule: Schedule, old: Schedule | None) -> dict[str, Any]:
    """The POST body for a new event, or the PATCH body of what differs from `old`."""
    body: dict[str, Any] = {"singleValueExtendedProperties": [
        {"id": KEY_PROP, "value": series.key}, {"id": SCHEDULE_PROP, "value": schedule.dumps()}]}
    if old is None or old.timing() != schedule.timing():
        zone = ZoneInfo(series.timezone)
        first, last = series.start.astimezone(zone), schedule.last.astimezone(zone)
        body |= {
            "start": local(series.start, series.timezone),
            "end": local(series.start + series.duration, series.timezone),
            "recurrence": {
                "pattern": {"type": "weekly", "interval": series.interval_weeks,
                            "daysOfWeek": [DAYS[first.weekday()]], "firstDayOfWeek": "monday"},
                "range": {"type": "endDate", "startDate": first.date().isoformat(),
                          "endDate": last.date().isoformat(),
                          "recurrenceTimeZone": series.timezone}}}
    if old is None or old.what != schedule.what:
        body |= {"subject": series.title,
                 "body": {"contentType": "text", "content": series.description}}
    if old is None or old.who != schedule.who:
        body["attendees"] = [{"type": "required", "emailAddress": {"address": a}}
                             for a in series.attendees if a.lower() != series.organizer.lower()]
    if old is None:
        body |= {"showAs": "busy", "responseRequested": True, "allowNewTimeProposals": False,
                 "transactionId": transaction_id(series.key)}
    return body


def prop(event: dict[str, Any], prop_id: str) -> str | None:
    for item in event.get("singleValueExtendedProperties") or []:
        if str(item.get("id", "")).lower() == prop_id.lower():
            return str(item.get("value"))
    return None


def utc(value: Any) -> datetime:
    """A Graph time: `{"dateTime", "timeZone": "UTC"}` (we ask for UTC) or an ISO string."""
    text = value["dateTime"] if isinstance(value, dict) else str(value)
    head, _, _ = text.replace("Z", "").partition(".")
    when = datetime.fromisoformat(head)
    zone = value.get("timeZone", "UTC") if isinstance(value, dict) else "UTC"
    when = when.replace(tzinfo=ZoneInfo(zone) if zone != "UTC" else UTC)
    return when.astimezone(UTC)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
