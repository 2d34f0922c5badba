"""How a `Series` is written as a Graph event, and read back.

Terms:
- *key property*: a single-value extended property (MAPI named property in our
  own GUID namespace) holding the series key, so `find_series` is one `$filter`
  query and a crash between create and record never creates a second series.
- *schedule property*: a second one holding the `Schedule` we booked
  (agent.providers.microsoft.schedule), so an update sends only the parts that changed
  (Exchange drops moved occurrences and resets answers when the time or
  pattern changes) and occurrences are known without parsing patterns.
- *transactionId*: derived from the key, so Graph itself drops a POST repeated
  after a lost response.
- *ended property*: what `end_series` keeps beside a series it shortened (the
  answers given to the occurrences left, and which of those were cancelled),
  since Exchange may forget both when a pattern changes (`ending.Ended`).

Times go out with the Windows name of their zone (`zones.windows_zone`): Graph
refuses most IANA names.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from agent.core.model import ResponseStatus, Series
from agent.providers.microsoft.schedule import Schedule
from agent.providers.microsoft.zones import windows_zone

_NAMESPACE = "{8d3f6c8e-2b0a-4c1e-9a57-0b1f3f2c6e41}"
KEY_PROP = f"String {_NAMESPACE} Name BinomeKey"
SCHEDULE_PROP = f"String {_NAMESPACE} Name BinomeSchedule"
ENDED_PROP = f"String {_NAMESPACE} Name BinomeEnded"
MAIL_KEY_PROP = f"String {_NAMESPACE} Name BinomeMailKey"
_TX_NAMESPACE = uuid.UUID("5b0c7c62-8f6a-4b8e-a1d2-4a7e0f0c9b13")
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ANSWERS: dict[str, ResponseStatus] = {
    "accepted": "accepted", "declined": "declined", "tentativelyAccepted": "tentative",
}


def transaction_id(key: str) -> str:
    """The transactionId of the series `key`: Graph drops a POST repeated with it."""
    return str(uuid.uuid5(_TX_NAMESPACE, key))


def key_filter(key: str, prop_id: str = KEY_PROP) -> str:
    """The OData `$filter` that finds the item whose extended property `prop_id` is `key`."""
    quoted = key.replace("'", "''")  # OData string literal
    return (f"singleValueExtendedProperties/Any(ep: ep/id eq '{prop_id}' and "
            f"ep/value eq '{quoted}')")


def expand(*props: str) -> str:
    """The `$expand` that returns the extended properties `props` with an event."""
    wanted = " or ".join(f"id eq '{p}'" for p in props)
    return f"singleValueExtendedProperties($filter={wanted})"


def local(when: datetime, zone: str) -> dict[str, str]:
    """A Graph dateTimeTimeZone: `when` as wall time in `zone`, the zone by its Windows name."""
    return {"dateTime": when.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(),
            "timeZone": windows_zone(zone)}


def recurrence(schedule: Schedule) -> dict[str, Any]:
    """The weekly pattern of `schedule`, ending on the day of its last occurrence."""
    zone = ZoneInfo(schedule.timezone)
    first, last = schedule.start.astimezone(zone), schedule.last.astimezone(zone)
    return {"pattern": {"type": "weekly", "interval": schedule.interval_weeks,
                        "daysOfWeek": [DAYS[first.weekday()]], "firstDayOfWeek": "monday"},
            "range": {"type": "endDate", "startDate": first.date().isoformat(),
                      "endDate": last.date().isoformat(),
                      "recurrenceTimeZone": windows_zone(schedule.timezone)}}


def event_body(series: Series, schedule: Schedule, old: Schedule | None,
               create: bool) -> dict[str, Any]:
    """The POST body for a new event, or the PATCH body of what differs from `old`
    (everything when `old` is unknown)."""
    body: dict[str, Any] = {"singleValueExtendedProperties": [
        {"id": KEY_PROP, "value": series.key}, {"id": SCHEDULE_PROP, "value": schedule.dumps()}]}
    if old is None or old.timing() != schedule.timing():
        body |= {"start": local(series.start, series.timezone),
                 "end": local(series.start + series.duration, series.timezone),
                 "recurrence": recurrence(schedule)}
    if old is None or old.what != schedule.what:
        body |= {"subject": series.title,
                 "body": {"contentType": "text", "content": series.description}}
    if old is None or old.who != schedule.who:
        body["attendees"] = [{"type": "required", "emailAddress": {"address": a}}
                             for a in series.attendees if a.lower() != series.organizer.lower()]
    if create:
        body |= {"showAs": "busy", "responseRequested": True, "allowNewTimeProposals": False,
                 "transactionId": transaction_id(series.key)}
    return body


def prop(event: dict[str, Any], prop_id: str) -> str | None:
    """The value of the extended property `prop_id` returned with `event`, or None."""
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
    """`when` in UTC as Graph query parameters take it (`...Z`)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
