"""Views over the fake Graph calendar: getSchedule (free/busy) and calendarView delta.

Delta tokens are base64 JSON of the window, the versions seen and an epoch;
`FakeGraph.expire_sync_state` bumps the epoch, so older tokens answer 410
SyncStateNotFound as the service does when it has forgotten a sync state.
A calendarView delta keeps the window of its first request for as long as its
tokens live: the deltaLink carries on the startDateTime/endDateTime it began
with, and nothing later than that end is ever reported through it (calendarView
delta reference: the window is given only on the initial request).
Pages hold `odata.maxpagesize` items (10 unless the client prefers another).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from fakes.graph_calendar import parse_time, utc_json, view, window_of
from fakes.graph_wire import GraphError
from fakes.graph_zones import zone as zone_of

if TYPE_CHECKING:
    from fakes.graph_server import FakeGraph
    from fakes.graph_wire import Reply, Request


def _busy_items(graph: FakeGraph, who: str, lo: datetime, hi: datetime) -> list[dict[str, Any]]:
    items = []
    for event in graph.events.values():
        if event.removed or who not in (event.owner, *event.attendees):
            continue
        for original, start, end in event.occurrences():
            if event.all_day:
                zone = zone_of(event.tz)
                start = datetime.combine(start.astimezone(zone).date(), time(), zone)
                end = start + (event.end - event.start)
            answer = event.response(who, original if event.recurrence else None)
            if start >= hi or end <= lo or event.show_as == "free" or answer == "declined":
                continue
            # Microsoft's own getSchedule guide shows "Tentative" capitalised: the case of
            # a status is not to be relied on (issue #16), so the fake writes it that way.
            status = "busy" if who == event.owner or answer == "accepted" else "Tentative"
            items.append({"status": status if who != event.owner else event.show_as,
                          "start": utc_json(start), "end": utc_json(end)})
    return sorted(items, key=lambda i: i["start"]["dateTime"])


def get_schedule(graph: FakeGraph, request: Request) -> Reply:
    body = request.json()
    schedules = body.get("schedules") or []
    if len(schedules) > 20:
        raise GraphError(400, "ErrorInvalidParameter", "Too many schedules: at most 20.")
    lo, tz = parse_time(body.get("startTime"), "startTime")
    hi, _ = parse_time(body.get("endTime"), "endTime")
    zone = zone_of(tz)
    lo_utc, hi_utc = lo.replace(tzinfo=zone), hi.replace(tzinfo=zone)
    if hi_utc - lo_utc >= timedelta(days=42):
        raise GraphError(400, "ErrorInvalidParameter", "The time period to look up must be "
                         "less than 42 days.")
    out = []
    for who in schedules:
        who = str(who).lower()
        if who not in graph.users:
            error = {"message": "The user can't be found.",
                     "responseCode": "ErrorMailRecipientNotFound"}
            out.append({"scheduleId": who, "availabilityView": "", "error": error})
            continue
        out.append({"scheduleId": who, "availabilityView": "0",
                    "scheduleItems": _busy_items(graph, who, lo_utc, hi_utc)})
    return 200, {}, {"value": out}


def _token(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def calendar_delta(graph: FakeGraph, request: Request) -> Reply:
    state_text = request.query.get("$deltatoken") or request.query.get("$skiptoken")
    if state_text:
        state = json.loads(base64.urlsafe_b64decode(state_text))
        if state["g"] != graph.epoch:
            raise GraphError(410, "SyncStateNotFound", "The sync state generation is "
                             "out of date; perform a full synchronization.")
    else:
        lo, hi = window_of(request)
        state = {"lo": lo.isoformat(), "hi": hi.isoformat(), "since": -1, "o": 0,
                 "at": graph.version, "g": graph.epoch}
    lo, hi = datetime.fromisoformat(state["lo"]), datetime.fromisoformat(state["hi"])
    if "$deltatoken" in request.query:  # a new round starts from what the last one saw
        state |= {"since": state["at"], "o": 0, "at": graph.version}
    items: list[dict[str, Any]] = []
    for event in graph.events.values():
        if request.user != event.owner or not state["since"] < event.version <= state["at"]:
            continue
        if event.removed:
            items.append({"id": event.id, "@removed": {"reason": "deleted"}})
            continue
        for original, start, end in event.occurrences():
            if start < hi and end > lo:
                item = view(event, request.user, original if event.recurrence else None)
                items.append({k: item[k] for k in ("id", "changeKey", "start", "end",
                                                   "subject", "type")}
                             | {"seriesMasterId": item.get("seriesMasterId")})
    size = int(re.search(r"maxpagesize=(\d+)", request.headers.get("prefer", "")
                         + " maxpagesize=10").group(1))  # type: ignore[union-attr]
    page, offset = items[state["o"]:state["o"] + size], state["o"] + size
    link = f"{graph.base}/v1.0/users/{request.user}/calendarView/delta?"
    if offset < len(items):
        return 200, {}, {"value": page, "@odata.nextLink":
                         link + "$skiptoken=" + _token(state | {"o": offset})}
    return 200, {}, {"value": page, "@odata.deltaLink": link + "$deltatoken=" + _token(state)}


ROUTES = [
    ("POST", r"/calendar/getSchedule", get_schedule),
    ("GET", r"/calendarView/delta", calendar_delta),
]
