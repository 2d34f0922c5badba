"""The `google` calendar: series as recurring events in the programme calendar.

A *ref* is the event id (see `google_events`). A *cursor* is a Calendar sync
token: `changes` lists what changed since it (people's answers, occurrences
moved or cancelled by hand, events deleted); a 410 means the token expired, and
a full listing replaces it, reporting every series of ours so nothing is missed.
Our own writes are recognised by the etag they returned (deletes by their id)
and left out. `change_occurrence` and `responses` go through `instances`.

Calls per operation: `put_series` one insert (a 409 means a retry after a
crash, or an update: one get, and a patch of only the fields that changed, so
occurrences people moved by hand are kept); `find_series` one get;
`end_series` one get and one patch of the recurrence (one "updated" mail per
attendee, whatever the number of sessions dropped); `changes` one list per page;
`free_busy` one query per 50 people and per FREEBUSY_SPAN, sent as one batch
request when there are more. Invitations go out with `sendUpdates=all`.

Calendar's usage limits (403 quotaExceeded, `UsageLimited`) make the calendar
read-only for hours: from the first refusal, no change is attempted until the
pause is over (each raises `UsageLimited` at once, with the time left), the
admin is told once in the log, and reading (answers, free/busy) and the mail
side go on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from dateutil.parser import isoparse

from agent.core.model import Change, Interval, Response, Series, merge_intervals
from agent.providers.base import (
    Calendar,
    cancelled_before,
    clipped,
    ended,
    no_occurrence,
    spans,
)
from agent.providers.google.events import (
    STATUSES,
    answers_of,
    changed_fields,
    event_body,
    event_id,
    interval_of,
    key_of,
    local_time,
    original_start,
    recurrence,
    rfc3339,
    series_of,
    signature,
)
from agent.providers.google.http import (
    BATCH_MAX,
    Caller,
    Conflict,
    Gone,
    NotFound,
    UsageLimited,
)

log = logging.getLogger(__name__)
NOTIFY = "all"  # attendees get real invitations and updates from Google
# freeBusy answers only so far at once. Google documents no figure; about 90 days is what
# users report (issue #16), so a longer window is asked in pieces of this length.
FREEBUSY_SPAN = timedelta(days=90)


class GoogleCalendar(Calendar):
    """`Calendar` over one Google calendar (the programme mailbox's, "primary" by default)."""

    separates_events = False  # freeBusy answers merged busy time only

    def __init__(self, service: Any, caller: Caller, calendar_id: str = "primary",
                 batch_uri: str | None = None) -> None:
        self.service = service
        self.caller = caller
        self.calendar_id = calendar_id
        self.batch_uri = batch_uri
        self._mine: dict[str, str] = {}  # event id -> etag of our last write
        self._deleted: set[str] = set()  # ids we cancelled
        self._paused_until: datetime | None = None  # Calendar's usage limits hold till then

    # -- helpers ----------------------------------------------------------------------
    def _events(self) -> Any:
        return self.service.events()

    def _run(self, request: Any, what: str) -> Any:
        """A change to the calendar (insert, patch, delete), unless the usage limits hold."""
        now = self.caller.clock.now()
        if self._paused_until is not None and now < self._paused_until:
            left = (self._paused_until - now).total_seconds()
            raise UsageLimited(f"{what}: Google Calendar refuses changes (usage limits) until "
                               f"about {self._paused_until:%Y-%m-%d %H:%M} UTC",
                               retry_after=left)
        try:
            result = self.caller.execute(request, what)
        except UsageLimited as exc:
            pause = exc.retry_after or self.caller.policy.usage_pause
            self._paused_until = now.astimezone(UTC) + timedelta(seconds=pause)
            log.error("Google Calendar usage limits exceeded (often after many invitations): "
                      "no booking, move or cancellation until about %s UTC; mail goes on",
                      f"{self._paused_until:%Y-%m-%d %H:%M}")
            raise
        if isinstance(result, dict) and "etag" in result and "id" in result:
            self._mine[result["id"]] = result["etag"]
        return result

    def _get(self, key: str) -> dict[str, Any]:
        event: dict[str, Any] = self.caller.execute(
            self._events().get(calendarId=self.calendar_id, eventId=event_id(key)),
            f"reading the series {key!r}")
        return event

    def _instances(self, key: str, **query: Any) -> list[dict[str, Any]]:
        eid = event_id(key)
        found: list[dict[str, Any]] = []
        pages = self.caller.pages(lambda token: self._events().instances(
            calendarId=self.calendar_id, eventId=eid, pageToken=token, **query),
            f"reading the occurrences of {key!r}")
        for page in pages:
            found += page.get("items", [])
        return found

    def _delete(self, eid: str, what: str) -> None:
        try:
            self._run(self._events().delete(
                calendarId=self.calendar_id, eventId=eid, sendUpdates=NOTIFY), what)
        except Gone:
            pass  # a retry of a delete whose answer was lost: already done
        self._deleted.add(eid)  # a delete returns no etag: remember it was ours

    # -- writing ----------------------------------------------------------------------
    def put_checked(self, series: Series) -> str:
        """A 409 (booked before) is read back, then patched where it differs; answers kept."""
        eid = event_id(series.key)
        try:
            self._run(self._events().insert(calendarId=self.calendar_id, body=event_body(series),
                                            sendUpdates=NOTIFY), f"booking {series.key!r}")
            return eid
        except Conflict:
            pass  # created before (a retry after a crash, or an update): read it back
        existing = self._get(series.key)
        private = existing.get("extendedProperties", {}).get("private", {})
        if existing.get("status") != "cancelled" and private.get("binomeSig") == signature(series):
            return eid
        body = changed_fields(existing, event_body(series, answers_of(existing)))
        self._run(self._events().patch(calendarId=self.calendar_id, eventId=eid, body=body,
                                       sendUpdates=NOTIFY), f"updating {series.key!r}")
        return eid

    def find_series(self, key: str) -> str | None:
        try:
            self._get(key)
        except NotFound:
            return None
        return event_id(key)

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """A move resets each attendee's answer, as Outlook does and Google does not by itself."""
        at = original_start.astimezone(UTC)
        found = self._instances(key, originalStart=rfc3339(at), showDeleted=True)
        if not found:
            raise no_occurrence(key, at)
        instance = found[0]
        what = f"changing the occurrence of {key!r} at {at.isoformat()}"
        if instance.get("status") == "cancelled":
            cancelled_before(key, at, new)
            return
        if new is None:
            self._delete(instance["id"], what)
            return
        if interval_of(instance) == new:
            return
        zone = instance["start"].get("timeZone", "UTC")
        # A new time needs a new answer from everybody (the contract): the organizer resets
        # each attendee's response, as Outlook does and Google does not do by itself.
        attendees = [{**a, "responseStatus": "needsAction"} for a in instance.get("attendees", [])]
        body: dict[str, object] = {"start": local_time(new.start, zone),
                                   "end": local_time(new.end, zone)}
        if attendees:
            body["attendees"] = attendees
        self._run(self._events().patch(calendarId=self.calendar_id, eventId=instance["id"],
                                       body=body, sendUpdates=NOTIFY), what)

    def end_series(self, key: str, after: datetime) -> None:
        """Shortens the recurrence (answers kept), or deletes the event when nothing is left."""
        master = self._get(key)
        if master.get("status") == "cancelled":
            return
        series = series_of(master)
        shortened = ended(series, after)
        if shortened is series:
            return  # nothing starts at or after `after`
        what = f"ending {key!r} from {after.isoformat()}"
        if shortened is None:
            self._delete(event_id(key), what)
            return
        series = shortened
        private = dict(master.get("extendedProperties", {}).get("private", {}))
        private["binomeSig"] = signature(series)
        body = {"recurrence": recurrence(series), "extendedProperties": {"private": private}}
        self._run(self._events().patch(calendarId=self.calendar_id, eventId=event_id(key),
                                       body=body, sendUpdates=NOTIFY), what)

    # -- reading ----------------------------------------------------------------------
    def responses(self, key: str, window: Interval) -> list[Response]:
        found: list[Response] = []
        for instance in self._instances(key):
            start = original_start(instance)
            if instance.get("status") == "cancelled" or not window.start <= start <= window.end:
                continue
            for attendee in instance.get("attendees", []):
                if attendee.get("organizer") or attendee.get("resource"):
                    continue
                status = STATUSES.get(attendee.get("responseStatus", ""), "needs-action")
                found.append(Response(key, attendee["email"].lower(), start, status))
        return sorted(found, key=lambda r: (r.occurrence, r.attendee))

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Always merged, whatever `separate` says: freeBusy tells no events apart."""
        chunks = [list(people[i:i + BATCH_MAX]) for i in range(0, len(people), BATCH_MAX)]
        asked = [(chunk, piece) for piece in spans(window, FREEBUSY_SPAN) for chunk in chunks]
        requests = [self.service.freebusy().query(body={
            "timeMin": rfc3339(piece.start), "timeMax": rfc3339(piece.end),
            "items": [{"id": p} for p in chunk]}) for chunk, piece in asked]
        what = f"reading the free/busy of {len(people)} people"
        if len(requests) > 1 and self.batch_uri is not None:
            answers = self.caller.batch(requests, what, self.batch_uri)
        else:
            answers = [self.caller.execute(r, what) for r in requests]
        parts: dict[str, list[Interval]] = {p: [] for p in people}
        for (chunk, _), answer in zip(asked, answers, strict=True):
            calendars = answer.get("calendars", {})
            for person in chunk:
                entry = calendars.get(person, {})
                if entry.get("errors"):
                    reasons = ", ".join(e.get("reason", "?") for e in entry["errors"])
                    log.warning("free/busy: %s is treated as free (%s)", person, reasons)
                for b in entry.get("busy", []):
                    part = clipped(isoparse(b["start"]), isoparse(b["end"]), window)
                    if part is not None:
                        parts[person].append(part)
        return {p: merge_intervals(found) for p, found in parts.items()}

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """Our own writes are left out, except in a full listing (no cursor, or it expired: 410)."""
        full = cursor is None
        try:
            items, token = self._list(cursor)
        except Gone:
            log.info("calendar sync token expired: listing everything again")
            items, token, full = *self._list(None), True
        found: dict[tuple[str, str], Change] = {}
        for item in items:
            key = item.get("extendedProperties", {}).get("private", {}).get("binomeKey")
            key = key or key_of(item["id"])
            if not key or not key.startswith("series/"):
                continue  # a person's own event, or not ours
            ours = self._mine.get(item["id"]) == item.get("etag") or (
                item.get("status") == "cancelled" and item["id"] in self._deleted)
            if ours and not full:
                continue  # our own write
            kind = change_kind(item)
            found[(key, kind)] = Change(key, kind)
        return sorted(found.values(), key=lambda c: (c.key, c.kind)), token

    def _list(self, sync_token: str | None) -> tuple[list[dict[str, Any]], str]:
        items: list[dict[str, Any]] = []
        token = ""
        pages = self.caller.pages(lambda page: self._events().list(
            calendarId=self.calendar_id, syncToken=sync_token, showDeleted=True,
            pageToken=page, maxResults=250), "listing calendar changes")
        for page in pages:
            items += page.get("items", [])
            token = page.get("nextSyncToken", token)
        return items, token


def change_kind(item: dict[str, Any]) -> Literal["responses", "moved", "deleted"]:
    """What a changed item of ours tells: an occurrence moved (or cancelled), the series
    deleted, or answers."""
    if item.get("recurringEventId"):
        moved = item.get("status") == "cancelled" or (
            "start" in item and interval_of(item).start != original_start(item))
        return "moved" if moved else "responses"
    return "deleted" if item.get("status") == "cancelled" else "responses"


