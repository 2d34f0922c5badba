"""Calendar v3 as Google keeps it: calendars, events, instances, sync tokens, free/busy.

Each calendar holds resources: masters (single or recurring events) and
exceptions (an instance someone moved, cancelled or answered, stored under the
instance id `<master>_<YYYYMMDDTHHMMSSZ>` with `recurringEventId`). Every write
takes the next sequence number; a sync token is `sync-<generation>-<n>` and
lists what has a larger one. Deleting keeps the resource with status `cancelled` (its id stays
taken, and syncs report it). `expire_sync_tokens()` makes older tokens answer
410, as Google does when it drops a token.

Mail Google sends on our behalf is counted in `notices` (kind, attendee, event id):
an invitation per attendee on insert, an update on a patch that changes what
attendees see, a cancellation per attendee for each instance or event deleted,
whenever the request says `sendUpdates=all` (or externalOnly). That is how an
attendee's inbox fills up, one mail per call (Calendar API, Events: insert,
patch, delete, parameter sendUpdates).

freeBusy refuses a window longer than FREEBUSY_DAYS. Google documents no figure:
about 90 days is what the issue (#16) reports, so the fake holds to that and the
backend asks at most that much at once.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.parser import isoparse
from dateutil.rrule import rrulestr

from fakes.google_discovery import ApiError

ID = re.compile(r"^[a-v0-9]{5,1024}$")
FREEBUSY_MAX = 50
FREEBUSY_DAYS = 90
SEEN = ("start", "end", "recurrence", "summary", "description", "location", "attendees")


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def moment(value: dict[str, Any], zone: str) -> datetime:
    if "dateTime" in value:
        parsed = isoparse(value["dateTime"])
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(zone))
    return isoparse(value["date"]).replace(tzinfo=ZoneInfo(value.get("timeZone", zone)))


class CalendarState:
    def __init__(self) -> None:
        self.calendars: dict[str, dict[str, dict[str, Any]]] = {}  # owner -> id -> resource
        self.seq = 0
        self.generation = 0  # tokens of an older generation have expired
        self.freebusy_sizes: list[int] = []
        self.notices: list[tuple[str, str, str]] = []  # (invite|update|cancel, attendee, id)
        self.page_cap = 2500  # Google may return fewer items than asked: tests lower this
        self._ids = itertools.count(1)

    # -- test hooks ---------------------------------------------------------------------
    def expire_sync_tokens(self) -> None:
        self.generation += 1

    def add_own_event(self, person: str, body: dict[str, Any]) -> str:
        eid = f"own{next(self._ids):05d}"
        self._store(person, {**body, "id": eid, "organizer": {"email": person, "self": True},
                             "status": "confirmed"})
        return eid

    def respond(self, owner: str, master_id: str, attendee: str, status: str,
                original: datetime | None = None) -> None:
        """`attendee` answers from their own calendar client (one instance, or the series)."""
        master = self.calendars[owner][master_id]
        target = master if original is None else self._instance(owner, master, original)
        target = copy.deepcopy(target)
        for person in target["attendees"]:
            if person["email"] == attendee:
                person["responseStatus"] = status
        self._store(owner, target)

    def move_by_hand(self, owner: str, master_id: str, original: datetime,
                     new_start: datetime) -> None:
        master = self.calendars[owner][master_id]
        inst = copy.deepcopy(self._instance(owner, master, original))
        length = moment(inst["end"], "UTC") - moment(inst["start"], "UTC")
        zone = master["start"].get("timeZone", "UTC")
        inst["start"] = {"dateTime": new_start.isoformat(), "timeZone": zone}
        inst["end"] = {"dateTime": (new_start + length).isoformat(), "timeZone": zone}
        self._store(owner, inst)

    # -- storage ------------------------------------------------------------------------
    def _cal(self, owner: str) -> dict[str, dict[str, Any]]:
        return self.calendars.setdefault(owner, {})

    def _store(self, owner: str, resource: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        resource.update(kind="calendar#event", etag=f'"{self.seq}"', updated=now)
        resource.setdefault("created", now)
        resource["_seq"] = self.seq
        self._cal(owner)[resource["id"]] = resource
        for person in resource.get("attendees", []):
            self._cal(person["email"])  # an invited person has a calendar in this domain
        return resource

    @staticmethod
    def _public(resource: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in resource.items() if not k.startswith("_")}

    def _owner(self, user: str, calendar_id: str) -> str:
        owner = user if calendar_id == "primary" else calendar_id
        if owner != user:
            raise ApiError(403, "forbidden", "You need to have writer access to this calendar.")
        return owner

    # -- instances ----------------------------------------------------------------------
    def _starts(self, master: dict[str, Any]) -> Iterator[datetime]:
        zone = master["start"].get("timeZone", "UTC")
        first = moment(master["start"], zone).astimezone(ZoneInfo(zone))
        rules = [r for r in master.get("recurrence", []) if r.startswith("RRULE:")]
        if not rules:
            yield first.astimezone(UTC)
            return
        skipped: set[datetime] = set()
        for line in master["recurrence"]:
            if line.startswith("EXDATE"):
                head, _, values = line.partition(":")
                tz = ZoneInfo(head.split("TZID=", 1)[1]) if "TZID=" in head else UTC
                for value in values.split(","):
                    skipped.add(datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
                                .replace(tzinfo=tz).astimezone(UTC))
        for index, start in enumerate(rrulestr(rules[0], dtstart=first)):
            if index > 730:
                return
            if start.astimezone(UTC) not in skipped:
                yield start.astimezone(UTC)

    def _instance(self, owner: str, master: dict[str, Any], original: datetime
                  ) -> dict[str, Any]:
        iid = f"{master['id']}_{stamp(original)}"
        found = self._cal(owner).get(iid)
        if found is not None:
            return found
        zone = master["start"].get("timeZone", "UTC")
        length = moment(master["end"], zone) - moment(master["start"], zone)
        local = original.astimezone(ZoneInfo(zone))
        inst = {k: copy.deepcopy(v) for k, v in master.items()
                if k not in ("recurrence", "id", "_seq")}
        inst.update(id=iid, recurringEventId=master["id"],
                    originalStartTime={"dateTime": local.isoformat(), "timeZone": zone},
                    start={"dateTime": local.isoformat(), "timeZone": zone},
                    end={"dateTime": (local + length).isoformat(), "timeZone": zone})
        return inst

    def instances(self, owner: str, master: dict[str, Any]) -> list[dict[str, Any]]:
        found = []
        for start in self._starts(master):
            inst = self._instance(owner, master, start)
            if master.get("status") == "cancelled":
                inst = {**inst, "status": "cancelled"}
            found.append(inst)
        return found

    def _notify(self, params: dict[str, Any], kind: str, resource: dict[str, Any],
                people: list[dict[str, Any]] | None = None) -> None:
        if params.get("sendUpdates") not in ("all", "externalOnly"):
            return
        for person in resource.get("attendees", []) if people is None else people:
            if not person.get("organizer") and not person.get("self"):
                self.notices.append((kind, person["email"].lower(), resource["id"]))

    # -- the API ------------------------------------------------------------------------
    def call(self, method: str, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        name = method.removeprefix("calendar.").replace(".", "_")
        handler = getattr(self, name, None)
        if handler is None:
            raise ApiError(501, "notImplemented", f"the fake does not implement {method}")
        return handler(user, params, body)

    def _get(self, owner: str, eid: str) -> dict[str, Any]:
        cal = self._cal(owner)
        if eid in cal:
            return cal[eid]
        master_id, _, when = eid.partition("_")
        master = cal.get(master_id)
        if master is not None and when:
            original = datetime.strptime(when, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            if original in set(self._starts(master)):
                return self._instance(owner, master, original)
        raise ApiError(404, "notFound", "Not Found")

    def events_insert(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        owner = self._owner(user, params["calendarId"])
        eid = body.get("id") or f"gen{next(self._ids):08d}"
        if not ID.match(eid):
            raise ApiError(400, "invalid", "Invalid resource id value.")
        if eid in self._cal(owner):
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        event = copy.deepcopy(body)
        event.update(id=eid, organizer={"email": owner, "self": True},
                     creator={"email": owner}, iCalUID=f"{eid}@google.com", sequence=0)
        event.setdefault("status", "confirmed")
        for person in event.get("attendees", []):
            person["email"] = person["email"].lower()
            person.setdefault("responseStatus", "needsAction")
        self._notify(params, "invite", event)
        return self._public(self._store(owner, event))

    def events_get(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        return self._public(self._get(self._owner(user, params["calendarId"]), params["eventId"]))

    def events_patch(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        owner = self._owner(user, params["calendarId"])
        old = self._get(owner, params["eventId"])
        new = copy.deepcopy(old)
        new.update(copy.deepcopy(body))
        if "attendees" in body:  # an attendee's own answer is theirs, not the organizer's...
            before = {a["email"]: a.get("responseStatus") for a in old.get("attendees", [])}
            # ...except that the organizer may ask again (needsAction) along with a new time
            # (attendees[].responseStatus is writable in the Events resource).
            retime = any(k in body and body[k] != old.get(k) for k in ("start", "end"))
            for person in new["attendees"]:
                person["email"] = person["email"].lower()
                asked_again = retime and person.get("responseStatus") == "needsAction"
                person["responseStatus"] = ("needsAction" if asked_again
                                            else before.get(person["email"]) or "needsAction")
        if any(k in body for k in ("start", "end", "recurrence")):
            new["sequence"] = int(old.get("sequence", 0)) + 1
        if "recurrence" in body and "recurringEventId" not in new:
            kept = {f"{new['id']}_{stamp(s)}" for s in self._starts(new)}
            cal = self._cal(owner)
            for iid in [i for i, r in cal.items() if r.get("recurringEventId") == new["id"]]:
                if iid not in kept:
                    del cal[iid]  # an exception for a date the new rule no longer has
        if any(k in body and body[k] != old.get(k) for k in SEEN):
            staying = {a["email"] for a in new.get("attendees", [])}
            self._notify(params, "update", new)
            self._notify(params, "cancel", new, [a for a in old.get("attendees", [])
                                                 if a["email"] not in staying])
        return self._public(self._store(owner, new))

    def events_delete(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        owner = self._owner(user, params["calendarId"])
        old = self._get(owner, params["eventId"])
        if old.get("status") == "cancelled":
            raise ApiError(410, "deleted", "Resource has been deleted")
        self._notify(params, "cancel", old)
        self._store(owner, {**copy.deepcopy(old), "status": "cancelled"})
        return None

    def events_instances(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        owner = self._owner(user, params["calendarId"])
        master = self._get(owner, params["eventId"])
        items = self.instances(owner, master)
        if "originalStart" in params:
            at = isoparse(params["originalStart"])
            items = [i for i in items if moment(i["originalStartTime"], "UTC") == at]
        if not params.get("showDeleted"):
            items = [i for i in items if i.get("status") != "cancelled"]
        lo = isoparse(params["timeMin"]) if "timeMin" in params else None
        hi = isoparse(params["timeMax"]) if "timeMax" in params else None
        items = [i for i in items if (lo is None or moment(i["end"], "UTC") > lo)
                 and (hi is None or moment(i["start"], "UTC") < hi)]
        return self._page(items, params, {"kind": "calendar#events"})

    def events_list(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        owner = self._owner(user, params["calendarId"])
        since = 0
        if "syncToken" in params:
            clash = {"timeMin", "timeMax", "q", "orderBy", "iCalUID", "updatedMin",
                     "privateExtendedProperty", "sharedExtendedProperty"} & set(params)
            if clash:
                raise ApiError(400, "invalid", f"syncToken cannot be used with {sorted(clash)}")
            _, gen, seq = (params["syncToken"].split("-") + ["", "", ""])[:3]
            if gen != str(self.generation) or not seq.isdigit():
                raise ApiError(410, "fullSyncRequired",
                               "Sync token is no longer valid, a full sync is required.")
            since = int(seq)
        items = sorted((r for r in self._cal(owner).values() if r["_seq"] > since),
                       key=lambda r: r["_seq"])
        if not since and not params.get("showDeleted"):
            items = [r for r in items if r.get("status") != "cancelled"]
        return self._page([self._public(r) for r in items], params,
                          {"kind": "calendar#events"}, sync=f"sync-{self.generation}-{self.seq}")

    def _page(self, items: list[dict[str, Any]], params: dict[str, Any], head: dict[str, Any],
              sync: str | None = None) -> dict[str, Any]:
        size = min(int(params.get("maxResults", 250)), self.page_cap)
        offset = int(params.get("pageToken", "0") or 0)
        page = {**head, "items": [self._public(i) for i in items[offset:offset + size]]}
        if offset + size < len(items):
            page["nextPageToken"] = str(offset + size)
        elif sync is not None:
            page["nextSyncToken"] = sync
        return page

    def freebusy_query(self, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        if "timeMin" not in body or "timeMax" not in body:
            raise ApiError(400, "required", "Missing timeMin or timeMax.")
        lo, hi = isoparse(body["timeMin"]), isoparse(body["timeMax"])
        if hi <= lo:
            raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.")
        if hi - lo > timedelta(days=FREEBUSY_DAYS):  # see the module docstring
            raise ApiError(400, "timeRangeTooLong", "The requested time range is too long.")
        ids = [item["id"] for item in body.get("items", [])]
        self.freebusy_sizes.append(len(ids))
        calendars: dict[str, Any] = {}
        for index, person in enumerate(ids):
            if index >= FREEBUSY_MAX:
                calendars[person] = {"busy": [], "errors": [
                    {"domain": "calendar", "reason": "tooManyCalendarsRequested"}]}
            elif person not in self.calendars:
                calendars[person] = {"busy": [], "errors": [
                    {"domain": "global", "reason": "notFound"}]}
            else:
                calendars[person] = {"busy": self._busy(person, lo, hi)}
        return {"kind": "calendar#freeBusy", "timeMin": body["timeMin"],
                "timeMax": body["timeMax"], "calendars": calendars}

    def _busy(self, person: str, lo: datetime, hi: datetime) -> list[dict[str, str]]:
        spans: list[tuple[datetime, datetime]] = []
        for owner, cal in self.calendars.items():
            for master in cal.values():
                if master.get("recurringEventId") or master.get("status") == "cancelled":
                    continue
                invited = any(a["email"] == person for a in master.get("attendees", []))
                if owner != person and not invited:
                    continue
                for inst in self.instances(owner, master):
                    answer = next((a.get("responseStatus") for a in inst.get("attendees", [])
                                   if a["email"] == person), None)
                    if (inst.get("status") == "cancelled" or answer == "declined"
                            or inst.get("transparency") == "transparent"):
                        continue
                    start, end = moment(inst["start"], "UTC"), moment(inst["end"], "UTC")
                    if start < hi and lo < end:
                        spans.append((max(start, lo), min(end, hi)))
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        return [{"start": s.astimezone(UTC).strftime(fmt), "end": e.astimezone(UTC).strftime(fmt)}
                for s, e in merged]

