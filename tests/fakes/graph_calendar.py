"""The calendar half of the fake Graph: events, recurrence, instances, responses,
getSchedule and calendarView delta, all in memory.

A meeting is stored once (its organizer's master) and seen by each attendee
through their own copy id (`<master>~<who>`); an occurrence id is
`<copy id>@<original start, UTC>`. As in Exchange: changing the time or the
recurrence of a series drops its exceptions ([MS-OXOCAL] 3.1.4.7.3.5: when the
recurrence pattern changes, the client "removes every exception") and resets
the responses (not documented either way: the stricter reading); a declined
occurrence leaves the attendee free; a cancelled one disappears from
`instances`; lists page by 10 through `@odata.nextLink`. Times are read in the
zones Graph accepts (graph_zones).

What Exchange mails attendees is counted in `FakeGraph.notices` (kind, attendee,
event id): an invitation each on create, an update each when the organizer
changes what they see (time, pattern, subject, body, attendees) of the series
or of one occurrence, a cancellation each for a cancelled occurrence or series,
and a cancellation for an attendee removed from it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from dateutil.rrule import DAILY, WEEKLY, rrule, weekday

from fakes import graph_mail
from fakes.graph_wire import GraphError
from fakes.graph_zones import zone as zone_of

if TYPE_CHECKING:
    from fakes.graph_server import FakeGraph
    from fakes.graph_wire import Reply, Request

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PROP_ID = re.compile(r"String \{[0-9a-fA-F-]{36}\} Name \w+")
PAGE = 10
_ids = itertools.count(1)


@dataclass
class Exception_:
    cancelled: bool = False
    start: datetime | None = None  # UTC, when moved
    end: datetime | None = None
    responses: dict[str, str] = field(default_factory=dict)


@dataclass
class Event:
    id: str
    owner: str
    subject: str
    body: dict[str, Any]
    start: datetime  # wall time in `tz`, naive
    end: datetime
    tz: str
    all_day: bool
    show_as: str
    recurrence: dict[str, Any] | None
    attendees: dict[str, str]  # email -> response to the series
    ext: dict[str, str]
    transaction_id: str | None
    version: int
    exceptions: dict[datetime, Exception_] = field(default_factory=dict)
    removed: bool = False
    # The addresses as the last request spelt them (the service keeps its own tidy form
    # above): tests check that the client tidied them itself.
    sent_attendees: list[str] = field(default_factory=list)

    def originals(self) -> list[datetime]:
        zone = zone_of(self.tz)
        if self.recurrence is None:
            return [self.start.replace(tzinfo=zone).astimezone(UTC)]
        pattern, span = self.recurrence["pattern"], self.recurrence["range"]
        kind = {"weekly": WEEKLY, "daily": DAILY}.get(pattern.get("type"))
        if kind is None or span.get("type") != "endDate":
            raise GraphError(400, "ErrorInvalidRecurrence", "this fake knows weekly or daily "
                             "patterns with an end date")
        until = datetime.combine(date.fromisoformat(span["endDate"]), time.max)
        days = [weekday(DAYS.index(d)) for d in pattern.get("daysOfWeek", [])] or None
        rule = rrule(kind, interval=int(pattern.get("interval", 1)), dtstart=self.start,
                     until=until, byweekday=days if kind == WEEKLY else None,
                     wkst=DAYS.index(pattern.get("firstDayOfWeek", "sunday")))
        return [d.replace(tzinfo=zone).astimezone(UTC) for d in rule]

    def occurrences(self) -> list[tuple[datetime, datetime, datetime]]:
        """(original start, start, end) of each occurrence still on, in UTC."""
        zone = zone_of(self.tz)
        length = (self.end.replace(tzinfo=zone) - self.start.replace(tzinfo=zone))
        found = []
        for original in self.originals():
            exc = self.exceptions.get(original, Exception_())
            if not exc.cancelled:
                found.append((original, exc.start or original, exc.end or original + length))
        return found

    def response(self, who: str, original: datetime | None) -> str:
        exc = self.exceptions.get(original) if original else None
        if exc is not None and who in exc.responses:
            return exc.responses[who]
        return self.attendees.get(who, "none")


def _tag(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _hash(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()[:8]


def utc_json(value: datetime) -> dict[str, str]:
    return {"dateTime": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"),
            "timeZone": "UTC"}


def parse_time(value: Any, what: str) -> tuple[datetime, str]:
    try:
        when = datetime.fromisoformat(str(value["dateTime"]).split(".")[0])
        zone = str(value.get("timeZone") or "UTC")
    except (KeyError, TypeError, ValueError) as exc:
        raise GraphError(400, "ErrorInvalidRequest", f"Invalid {what}: {exc}") from None
    zone_of(zone)  # refused unless Graph knows it
    return when.replace(tzinfo=None), zone


def _copy_id(event: Event, user: str) -> str:
    return event.id if user == event.owner else f"{event.id}~{_hash(user)}"


def _find(graph: FakeGraph, user: str, ident: str) -> tuple[Event, datetime | None]:
    base, _, stamp = ident.partition("@")
    master_id, _, who = base.partition("~")
    event = graph.events.get(master_id)
    if (event is None or event.removed or (who and who != _hash(user))
            or (not who and user != event.owner) or (who and user not in event.attendees)):
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    if not stamp:
        return event, None
    original = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if original not in [o for o, _, _ in event.occurrences()]:
        raise GraphError(404, "ErrorItemNotFound", "The occurrence couldn't be found.")
    return event, original


def view(event: Event, user: str, original: datetime | None = None,
         expand: str = "") -> dict[str, Any]:
    """`event` (or one occurrence) as `user` sees it, times in UTC."""
    base = _copy_id(event, user)
    out: dict[str, Any] = {
        "@odata.etag": f'W/"ck{event.version}"', "changeKey": f"ck{event.version}",
        "iCalUId": f"uid-{event.id}", "subject": event.subject, "body": event.body,
        "isAllDay": event.all_day, "showAs": event.show_as, "isCancelled": False,
        "isOrganizer": user == event.owner, "originalStartTimeZone": event.tz,
        "organizer": {"emailAddress": {"address": event.owner}},
        "responseStatus": {"response": "organizer" if user == event.owner
                           else event.response(user, original)},
        "transactionId": event.transaction_id,
    }
    if original is None:
        zone = zone_of(event.tz)
        out |= {"id": base, "type": "seriesMaster" if event.recurrence else "singleInstance",
                "start": utc_json(event.start.replace(tzinfo=zone)),
                "end": utc_json(event.end.replace(tzinfo=zone)), "recurrence": event.recurrence}
    else:
        start, end = next((s, e) for o, s, e in event.occurrences() if o == original)
        moved = original in event.exceptions and event.exceptions[original].start is not None
        out |= {"id": f"{base}@{_tag(original)}", "seriesMasterId": base,
                "type": "exception" if moved else "occurrence", "start": utc_json(start),
                "end": utc_json(end), "originalStart": original.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "recurrence": None}
    out["attendees"] = [{"type": "required", "emailAddress": {"address": who},
                         "status": {"response": event.response(who, original),
                                    "time": "0001-01-01T00:00:00Z"}}
                        for who in event.attendees]
    # `$expand=singleValueExtendedProperties($filter=id eq 'a' or id eq 'b')`, as OData allows.
    wanted = re.search(r"singleValueExtendedProperties\(\$filter=(.*)\)$", expand)
    ids = re.findall(r"id eq '([^']+)'", wanted.group(1)) if wanted else []
    found = [{"id": i, "value": event.ext[i]} for i in ids if i in event.ext]
    if found:
        out["singleValueExtendedProperties"] = found
    return out


def _page(request: Request, items: list[Any], base_url: str) -> dict[str, Any]:
    top = min(int(request.query.get("$top", PAGE)), 1000)
    skip = int(request.query.get("$skip", 0))
    out: dict[str, Any] = {"value": items[skip:skip + top]}
    if skip + top < len(items):
        query = dict(request.query, **{"$skip": str(skip + top), "$top": str(top)})
        link = urlencode(query, quote_via=quote)
        out["@odata.nextLink"] = f"{base_url}/v1.0/users/{request.user}{request.path_rest}?{link}"
    return out


def _select(item: dict[str, Any], request: Request) -> dict[str, Any]:
    fields = request.query.get("$select")
    if not fields:
        return item
    keep = set(fields.split(",")) | {"id", "@odata.etag", "singleValueExtendedProperties"}
    return {k: v for k, v in item.items() if k in keep}


# -- routes ---------------------------------------------------------------------------
def notify(graph: FakeGraph, kind: str, event: Event, people: list[str] | None = None) -> None:
    """Exchange mails each attendee (or `people`) about `event`: counted, see the docstring."""
    for who in event.attendees if people is None else people:
        graph.notices.append((kind, who, event.id))


def _visible(event: Event) -> tuple[Any, ...]:
    """What attendees see of a series: a change to it mails them an update."""
    return (event.subject, event.body, event.start, event.end, event.tz, event.recurrence,
            sorted(event.attendees))


def _apply(graph: FakeGraph, event: Event, body: dict[str, Any]) -> None:
    """Write the fields of a POST/PATCH body onto `event`, as Exchange would."""
    timing = (event.start, event.end, event.tz, event.recurrence)
    seen, before = _visible(event), list(event.attendees)
    if "subject" in body:
        event.subject = str(body["subject"])
    if "body" in body:
        event.body = dict(body["body"])
    if "showAs" in body:
        event.show_as = str(body["showAs"])
    if "isAllDay" in body:
        event.all_day = bool(body["isAllDay"])
    if "start" in body:
        event.start, event.tz = parse_time(body["start"], "start")
    if "end" in body:
        event.end, _ = parse_time(body["end"], "end")
    if "recurrence" in body:
        event.recurrence = body["recurrence"]
        zone_of(str((body["recurrence"] or {}).get("range", {}).get("recurrenceTimeZone")
                    or event.tz))
    if event.end <= event.start and not event.all_day:
        raise GraphError(400, "ErrorInvalidRequest", "The end time must be after the start.")
    if "attendees" in body:
        event.sent_attendees = [str(a["emailAddress"]["address"]) for a in body["attendees"]]
        addresses = [a.lower() for a in event.sent_attendees]
        event.attendees = {a: event.attendees.get(a, "none") for a in addresses}
    for prop in body.get("singleValueExtendedProperties", []):
        if not PROP_ID.fullmatch(str(prop.get("id", ""))):
            raise GraphError(400, "ErrorInvalidProperty", f"bad property id {prop.get('id')!r}")
        event.ext[prop["id"]] = str(prop["value"])
    if (event.start, event.end, event.tz, event.recurrence) != timing:
        event.exceptions.clear()  # Exchange drops exceptions when the pattern changes
        event.attendees = dict.fromkeys(event.attendees, "none")
    event.originals()  # validates the recurrence
    if event.version and _visible(event) != seen:
        notify(graph, "update", event)
        notify(graph, "cancel", event, [a for a in before if a not in event.attendees])
    event.version = graph.tick()


def create(graph: FakeGraph, request: Request) -> Reply:
    body = request.json()
    tid = body.get("transactionId")
    for event in graph.events.values():
        if tid and event.transaction_id == tid and event.owner == request.user:
            return 201, {}, view(event, request.user)  # a retried POST: the same event
    if "start" not in body or "end" not in body:
        raise GraphError(400, "ErrorInvalidRequest", "start and end are required")
    start, tz = parse_time(body["start"], "start")
    event = Event(id=f"AAMk{next(_ids):06d}", owner=request.user, subject="", body={},
                  start=start, end=start, tz=tz, all_day=False, show_as="busy", recurrence=None,
                  attendees={}, ext={}, transaction_id=tid, version=0)
    _apply(graph, event, body)
    graph.events[event.id] = event
    notify(graph, "invite", event)
    return 201, {}, view(event, request.user)


def update(graph: FakeGraph, request: Request, ident: str) -> Reply:
    event, original = _find(graph, request.user, ident)
    if request.user != event.owner:
        raise GraphError(403, "ErrorAccessDenied", "Only the organizer can change this meeting.")
    body = request.json()
    if original is None:
        _apply(graph, event, body)
        return 200, {}, view(event, request.user)
    exc = event.exceptions.setdefault(original, Exception_())
    if "start" in body:
        start, tz = parse_time(body["start"], "start")
        end, _ = parse_time(body.get("end"), "end")
        exc.start = start.replace(tzinfo=zone_of(tz)).astimezone(UTC)
        exc.end = end.replace(tzinfo=zone_of(tz)).astimezone(UTC)
        exc.responses = dict.fromkeys(event.attendees, "none")  # a new time asks again
        notify(graph, "update", event)
    event.version = graph.tick()
    return 200, {}, view(event, request.user, original)


def cancel(graph: FakeGraph, request: Request, ident: str) -> Reply:
    event, original = _find(graph, request.user, ident)
    if request.user != event.owner:
        raise GraphError(400, "ErrorAccessDenied",
                         "Your request can't be completed. You need to be an organizer to "
                         "cancel a meeting.")
    if original is None:
        event.removed = True
    else:
        event.exceptions.setdefault(original, Exception_()).cancelled = True
    notify(graph, "cancel", event)
    event.version = graph.tick()
    return 202, {}, None


def respond(graph: FakeGraph, request: Request, ident: str, action: str) -> Reply:
    event, original = _find(graph, request.user, ident)
    if request.user == event.owner:
        raise GraphError(400, "ErrorInvalidRequest", "The organizer cannot respond.")
    answer = {"accept": "accepted", "decline": "declined",
              "tentativelyAccept": "tentativelyAccepted"}[action]
    if original is None:
        event.attendees[request.user] = answer
    else:
        event.exceptions.setdefault(original, Exception_()).responses[request.user] = answer
    event.version = graph.tick()
    if request.json().get("sendResponse", True):  # to the organizer's Inbox (graph_mail)
        word = {"accepted": "Accepted", "declined": "Declined"}.get(answer, "Tentative")
        raw = (f"From: {request.user}\r\nTo: {event.owner}\r\nSubject: {word}: "
               f"{event.subject}\r\nMessage-ID: <resp{event.version}@fake.outlook.com>\r\n"
               "Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\n"
               "METHOD:REPLY\r\nEND:VCALENDAR\r\n").encode()
        graph_mail.deliver(graph, event.owner, raw, meeting=f"meeting{word}")
    return 202, {}, None


def get_event(graph: FakeGraph, request: Request, ident: str) -> Reply:
    event, original = _find(graph, request.user, ident)
    return 200, {}, _select(view(event, request.user, original, request.query.get(
        "$expand", "")), request)


def list_events(graph: FakeGraph, request: Request) -> Reply:
    query = request.query.get("$filter", "")
    ext = re.fullmatch(r"singleValueExtendedProperties/Any\(ep: ep/id eq '([^']+)' and "
                       r"ep/value eq '((?:[^']|'')*)'\)", query)
    uid = re.fullmatch(r"iCalUId eq '([^']+)'", query)
    if query and not ext and not uid:
        raise GraphError(400, "BadRequest", f"Invalid filter clause: {query}")
    found = []
    for event in graph.events.values():
        if event.removed or request.user not in (event.owner, *event.attendees):
            continue
        if ext and event.ext.get(ext.group(1)) != ext.group(2).replace("''", "'"):
            continue
        if uid and f"uid-{event.id}" != uid.group(1):
            continue
        item = view(event, request.user, None, request.query.get("$expand", ""))
        found.append(_select(item, request))
    return 200, {}, _page(request, found, graph.base)


def window_of(request: Request) -> tuple[datetime, datetime]:
    try:
        lo = datetime.fromisoformat(request.query["startDateTime"].replace("Z", "+00:00"))
        hi = datetime.fromisoformat(request.query["endDateTime"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise GraphError(400, "ErrorInvalidParameter", "This request requires a time window "
                         "specified by the query string parameters StartDateTime and "
                         "EndDateTime.") from None
    if lo.tzinfo is None:
        lo, hi = lo.replace(tzinfo=UTC), hi.replace(tzinfo=UTC)
    return lo, hi


def instances(graph: FakeGraph, request: Request, ident: str) -> Reply:
    event, _ = _find(graph, request.user, ident)
    lo, hi = window_of(request)
    found = [_select(view(event, request.user, o), request)
             for o, s, e in event.occurrences() if s < hi and e > lo]
    return 200, {}, _page(request, found, graph.base)


ROUTES = [
    ("POST", r"/(?:calendar/)?events", create),
    ("GET", r"/(?:calendar/)?events", list_events),
    ("GET", r"/events/([^/]+)", get_event),
    ("PATCH", r"/events/([^/]+)", update),
    ("DELETE", r"/events/([^/]+)", cancel),
    ("POST", r"/events/([^/]+)/cancel", cancel),
    ("POST", r"/events/([^/]+)/(accept|decline|tentativelyAccept)", respond),
    ("GET", r"/events/([^/]+)/instances", instances),
]
