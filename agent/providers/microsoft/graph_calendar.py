"""`Calendar` on Microsoft 365 through Graph: the programme mailbox organises every series.

A *ref* is the Graph id of the series master in the programme mailbox's
calendar. Attendees' answers are read from the organizer's copy, which
Exchange keeps per occurrence (`instances`). Single occurrences are moved
(PATCH) or cancelled (`cancel`, which tells the attendees) through their
instance. `end_series` is one PATCH that shortens the pattern (one update per
attendee, not one cancellation per session), keeping beside it the answers and
cancellations Exchange may drop with a pattern change (`ending`).

`changes` follows a calendarView delta link; our own writes are reported too
(the agent only re-reads answers), because skipping them could hide a person's
answer that landed just before our write. A delta link keeps the window of its
first request for ever (DELTA_PAST before it to DELTA_FUTURE after it), so the
cursor notes when it began and the delta starts over once half of that future
is used; a link the service forgot (410) starts over too. A new start is a full
sync, which reports every series it sees.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from agent.core.clock import Clock
from agent.core.errors import PermanentError
from agent.core.model import Change, Interval, Response, Series, busy_answer
from agent.providers.base import (
    Calendar,
    cancelled_before,
    clipped,
    first_keyed,
    no_occurrence,
    spans,
)
from agent.providers.microsoft.ending import Ended
from agent.providers.microsoft.graph_events import (
    ANSWERS,
    ENDED_PROP,
    KEY_PROP,
    SCHEDULE_PROP,
    event_body,
    expand,
    iso,
    key_filter,
    local,
    prop,
    recurrence,
    utc,
)
from agent.providers.microsoft.graph_http import Graph, Sub, SyncReset
from agent.providers.microsoft.organizer import booked, check_organizer
from agent.providers.microsoft.schedule import Schedule

log = logging.getLogger(__name__)

SCHEDULES_PER_CALL = 20  # getSchedule's limits: people per call, and how far it looks
SCHEDULE_SPAN = timedelta(days=41)
BUSY = {"busy", "tentative", "oof"}  # compared in lower case: Microsoft's guide writes "Tentative"
MARGIN = timedelta(days=31)  # how far a moved occurrence is looked for around its series
# The default Prefer header (UTC times) is replaced by a request's own: repeat it.
PREFER_PAGE = 'outlook.timezone="UTC", odata.maxpagesize=50'
DELTA_PAST, DELTA_FUTURE = timedelta(days=31), timedelta(days=400)


class GraphCalendar(Calendar):
    """`Calendar` over the programme mailbox's Microsoft 365 calendar, through Graph."""

    separates_events = True  # getSchedule lists scheduleItems one by one

    def __init__(self, graph: Graph, mailbox: str, clock: Clock) -> None:
        self.graph = graph
        self.mailbox = mailbox.lower()
        self.clock = clock
        self.base = f"/users/{self.mailbox}"
        self._keys: dict[str, str | None] = {}  # master id -> key (None: not ours)

    # -- finding -----------------------------------------------------------------------
    def _lookup(self, key: str) -> dict[str, Any] | None:
        page = self.graph.json("GET", f"{self.base}/events", mailbox=self.mailbox, params={
            "$filter": key_filter(key), "$select": "id,subject,attendees",
            "$expand": expand(SCHEDULE_PROP, ENDED_PROP)})
        found: list[dict[str, Any]] = page.get("value") or []
        return first_keyed(found, key, f"{self.mailbox}'s Microsoft 365 calendar")

    def _booked(self, key: str) -> tuple[dict[str, Any], Schedule]:
        return booked(key, self.mailbox, self._lookup(key),
                      lambda found: prop(found, SCHEDULE_PROP))

    def _master(self, key: str) -> tuple[str, Schedule]:
        event, schedule = self._booked(key)
        return str(event["id"]), schedule

    def _instances(self, ref: str, lo: datetime, hi: datetime) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params = {"startDateTime": iso(lo), "endDateTime": iso(hi),
                  "$select": "id,originalStart,start,end,attendees,type"}
        for page in self.graph.pages(f"{self.base}/events/{ref}/instances",
                                     mailbox=self.mailbox, params=params):
            found += page.get("value") or []
        return found

    def _by_original(self, ref: str, schedule: Schedule) -> dict[datetime, dict[str, Any]]:
        starts = schedule.originals()
        if not starts:
            return {}
        instances = self._instances(ref, starts[0] - MARGIN, starts[-1] + MARGIN)
        return {utc(i["originalStart"]): i for i in instances if i.get("originalStart")}

    def find_series(self, key: str) -> str | None:
        event = self._lookup(key)
        return None if event is None else str(event["id"])

    # -- writing -----------------------------------------------------------------------
    def put_checked(self, series: Series) -> str:
        """POST with a transactionId (a repeat returns the same event); PATCH when it changed."""
        check_organizer(series, self.mailbox)
        schedule = Schedule.of(series)
        existing = self._lookup(series.key)
        if existing is None:
            # transactionId makes a POST repeated after a lost answer return the same event.
            created = self.graph.json("POST", f"{self.base}/events", mailbox=self.mailbox,
                                      json=event_body(series, schedule, None, create=True))
            ref = str(created["id"])
        else:
            ref = str(existing["id"])
            old = Schedule.loads(prop(existing, SCHEDULE_PROP) or "")
            if old != schedule:
                self.graph.json("PATCH", f"{self.base}/events/{ref}", mailbox=self.mailbox,
                                json=event_body(series, schedule, old, create=False))
        if series.cancelled:
            self._cancel(ref, schedule, lambda start: start in set(series.cancelled))
        return ref

    def _cancel(self, ref: str, schedule: Schedule, which: Callable[[datetime], bool]) -> None:
        """Cancel every live occurrence whose original start satisfies `which`, in $batch."""
        doomed = [i["id"] for o, i in sorted(self._by_original(ref, schedule).items())
                  if which(o)]
        subs = [Sub("POST", f"{self.base}/events/{i}/cancel", {"comment": ""}) for i in doomed]
        for (status, body), sub in zip(self.graph.batch(subs, mailbox=self.mailbox), subs,
                                       strict=True):
            if status >= 400 and status != 404:  # 404: already gone
                error = (body or {}).get("error", {}) if isinstance(body, dict) else {}
                raise PermanentError(f"Microsoft Graph {sub.url}: {status} "
                                     f"{error.get('code', '')}: {error.get('message', '')}")

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        ref, schedule = self._master(key)
        if original_start not in schedule.originals():
            raise no_occurrence(key, original_start)
        instance = self._by_original(ref, schedule).get(original_start)
        if instance is None:  # cancelled before
            cancelled_before(key, original_start, new)
            return
        url = f"{self.base}/events/{instance['id']}"
        if new is None:  # a 404: cancelled already, by a try whose answer was lost
            self.graph.call("POST", f"{url}/cancel", mailbox=self.mailbox, json={"comment": ""},
                            missing_ok=True)
        elif (utc(instance["start"]), utc(instance["end"])) != (new.start, new.end):
            self.graph.json("PATCH", url, mailbox=self.mailbox, json={
                "start": local(new.start, schedule.timezone),
                "end": local(new.end, schedule.timezone)})

    def end_series(self, key: str, after: datetime) -> None:
        """One PATCH: the pattern shortened to the last occurrence before `after`, with what
        it had kept beside it; before the first, the attendees removed (module `ending`)."""
        event, schedule = self._booked(key)
        ref = str(event["id"])
        kept = [o for o in schedule.originals() if o < after]
        url = f"{self.base}/events/{ref}"
        if not kept:
            if event.get("attendees"):
                self.graph.json("PATCH", url, mailbox=self.mailbox,
                                json={"attendees": [], "showAs": "free"})
            return
        if len(kept) == len(schedule.originals()):
            return  # nothing starts at or after `after`: ended already, or never that far
        answers = self._answers(key, ref, schedule, Ended.loads(prop(event, ENDED_PROP)))
        ended = Ended({o: {r.attendee: r.status for r in answers if r.occurrence == o
                           and r.status != "needs-action"} for o in kept},
                      frozenset(kept) - {r.occurrence for r in answers})
        shorter = replace(schedule, last=kept[-1])
        self.graph.json("PATCH", url, mailbox=self.mailbox, json={
            "recurrence": recurrence(shorter), "singleValueExtendedProperties": [
                {"id": SCHEDULE_PROP, "value": shorter.dumps()},
                {"id": ENDED_PROP, "value": ended.dumps()}]})

    # -- reading -----------------------------------------------------------------------
    def responses(self, key: str, window: Interval) -> list[Response]:
        event, schedule = self._booked(key)
        ended = Ended.loads(prop(event, ENDED_PROP))
        return [r for r in self._answers(key, str(event["id"]), schedule, ended)
                if window.start <= r.occurrence <= window.end]

    def _answers(self, key: str, ref: str, schedule: Schedule, ended: Ended) -> list[Response]:
        """Every attendee's answer to every live occurrence, what `ended` kept filling in what
        Exchange forgot."""
        found = []
        for original, instance in sorted(self._by_original(ref, schedule).items()):
            if original in ended.gone:
                continue  # cancelled before the series ended: Exchange may have revived it
            for attendee in instance.get("attendees") or []:
                who = str(attendee["emailAddress"]["address"]).lower()
                answer = ANSWERS.get((attendee.get("status") or {}).get("response", ""),
                                     "needs-action")
                found.append(Response(key, who, original, ended.answer(original, who, answer)))
        return found

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """getSchedule in pieces of 41 days and 20 people; someone outside the tenant is free."""
        busy: dict[str, list[Interval]] = {p: [] for p in people}
        names = {p.lower(): p for p in people}
        chunks = [list(names)[i:i + SCHEDULES_PER_CALL]
                  for i in range(0, len(names), SCHEDULES_PER_CALL)]
        pieces = spans(window, SCHEDULE_SPAN)  # getSchedule looks at most 42 days ahead
        bodies = [{"schedules": chunk, "startTime": local(piece.start, "UTC"),
                   "endTime": local(piece.end, "UTC"), "availabilityViewInterval": 60}
                  for chunk in chunks for piece in pieces]
        url = f"{self.base}/calendar/getSchedule"
        if len(bodies) == 1:
            answers = [self.graph.json("POST", url, mailbox=self.mailbox, json=bodies[0])]
        else:  # many people or a long window: one round trip for every 20 calls
            subs = [Sub("POST", url, body) for body in bodies]
            answers = [body if status < 400 and isinstance(body, dict) else {}
                       for status, body in self.graph.batch(subs, mailbox=self.mailbox)]
            if any(not a for a in answers):
                raise PermanentError("Microsoft Graph getSchedule failed inside $batch")
        for answer in answers:
            for schedule in answer.get("value") or []:
                person = names.get(str(schedule.get("scheduleId", "")).lower())
                if person is None:
                    continue
                if "error" in schedule:  # outside the tenant, or no mailbox: treated as free
                    log.info("free/busy of %s unknown: %s", person, schedule["error"])
                    continue
                for item in schedule.get("scheduleItems") or []:
                    part = clipped(utc(item["start"]), utc(item["end"]), window)
                    if str(item.get("status", "")).lower() in BUSY and part is not None:
                        busy[person].append(part)
        return {p: busy_answer(b, separate) for p, b in busy.items()}

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """The calendarView delta, our own writes included, as `responses`; it starts over
        when its window is half used or the service forgot it (410)."""
        now = self.clock.now()
        link, began = delta_cursor(cursor)
        if link is not None and (began is None or now - began >= DELTA_FUTURE / 2):
            log.info("calendar delta window half used: starting it again from now")
            link = None
        try:
            ids, new_link = self._delta(link)
        except SyncReset as exc:
            log.warning("calendar delta expired (%s); starting a full sync", exc)
            link = None
            ids, new_link = self._delta(None)
        start = now if link is None or began is None else began
        keys = self._keys_of(sorted(ids))
        return ([Change(k, "responses") for k in sorted(keys)],
                json.dumps({"delta": new_link, "began": start.isoformat()}))

    def _delta(self, cursor: str | None) -> tuple[set[str], str]:
        now = self.clock.now()
        params = None if cursor else {"startDateTime": iso(now - DELTA_PAST),
                                      "endDateTime": iso(now + DELTA_FUTURE)}
        url = cursor or f"{self.base}/calendarView/delta"
        ids: set[str] = set()
        link = ""
        for page in self.graph.pages(url, mailbox=self.mailbox, params=params,
                                     headers={"Prefer": PREFER_PAGE}):
            for item in page.get("value") or []:
                ids.add(str(item.get("seriesMasterId") or item["id"]))
            link = page.get("@odata.deltaLink", link)
        if not link:
            raise PermanentError("Microsoft Graph calendarView delta ended without a delta link")
        return ids, link

    def _keys_of(self, ids: Sequence[str]) -> set[str]:
        """The series keys of these events (ours only), asked in $batch for unknown ones."""
        unknown = [i for i in ids if i not in self._keys]
        query = urlencode({"$select": "id", "$expand": expand(KEY_PROP)}, quote_via=quote)
        subs = [Sub("GET", f"{self.base}/events/{i}?{query}") for i in unknown]
        for ident, (status, body) in zip(unknown, self.graph.batch(subs, mailbox=self.mailbox),
                                         strict=True):
            if status >= 400 and status != 404:
                raise PermanentError(f"Microsoft Graph: reading event {ident}: {status}")
            found = isinstance(body, dict) and status < 400
            self._keys[ident] = prop(body, KEY_PROP) if found else None  # None: not ours, gone
        return {k for k in (self._keys[i] for i in ids) if k}


def delta_cursor(cursor: str | None) -> tuple[str | None, datetime | None]:
    """(delta link, when its window began) in a cursor of `changes`; a bare link (written
    before the start was kept) has no start, so it is started again."""
    if cursor is None:
        return None, None
    if cursor.startswith(("https://", "http://")):
        return cursor, None
    try:
        doc = json.loads(cursor)
        return str(doc["delta"]), datetime.fromisoformat(doc["began"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PermanentError("not a cursor of the microsoft365 calendar: "
                             f"{cursor[:80]!r}") from exc
