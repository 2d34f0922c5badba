"""`calendar = "caldav"`: each series is one calendar object in the programme's calendar.

Terms:
- *object*: the organizer's copy of a series on the server (no METHOD, RFC 4791 4.1):
  the master VEVENT, its overrides (moved occurrences, answers given apart), each
  attendee's PARTSTAT, and our bookkeeping in X-BINOME-KEY and X-BINOME-STATE (the
  series, SEQUENCE, moves and the *outbox*: the invitations the last change owes).
- *UID*: an HMAC of the key (agent.providers.itip.event_uid); the object is found by it,
  so a crash never books a series twice.
- *cursor*: the collection's sync token (RFC 6578); a token the server forgot starts
  a full listing again.

Invitations: "server" leaves them to the server (RFC 6638 scheduling); "email" sends
iMIP through the mailbox; "auto" does the latter for every attendee the server did not
take: an attendee whose stored ATTENDEE carries a SCHEDULE-STATUS of 1.x or 2.x (RFC
6638 3.2.9: the server delivered, or will deliver, the invitation) is the server's.
Free/busy: our own sessions, plus what the server's scheduling outbox tells of the
others, or the calendars of theirs the account may read (agent.providers.caldav.freebusy);
anyone else is free (a decline moves the session).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

import recurring_ical_events
from icalendar import Calendar as ICalendar

from agent.core.clock import Clock
from agent.core.docs import iso, parse_iso, series_from_doc, series_to_doc
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Change, Interval, Response, Series, busy_answer
from agent.providers import imipstate
from agent.providers.base import (
    Calendar,
    Mailbox,
    clipped,
)
from agent.providers.caldav.freebusy import OthersBusy
from agent.providers.itip import (
    STATUSES,
    Booked,
    CalendarReply,
    Invitation,
    Taken,
    Wording,
    event_uid,
    invitation,
    occurrence_tag,
    stale,
    stored_calendar,
)

log = logging.getLogger("binome")
T = TypeVar("T")
Answers = dict[str, dict[str, str]]  # attendee -> "*" or occurrence tag -> PARTSTAT


class CalDavCalendar(Calendar):
    """`Calendar` over one collection of a CalDAV server (module docstring)."""

    separates_events = True

    def __init__(self, collection: Callable[[], Any], secret: bytes, clock: Clock,
                 mailbox: Mailbox | None, invitations: Literal["auto", "server", "email"],
                 wording: Wording, where: str = "CalDAV", programme_email: str = "") -> None:
        self._open = collection
        self._collection: Any = None
        self.secret = secret
        self.clock = clock
        self.mailbox = mailbox
        self.wording = wording
        self.invitations = invitations
        self.where = where
        self.others = OthersBusy(programme_email)  # what the server says of everyone else

    # -- the server ---------------------------------------------------------------------
    def _call(self, work: Callable[[Any], T]) -> T:
        from caldav.lib import error

        try:
            if self._collection is None:
                self._collection = self._open()
            return work(self._collection)
        except (PermanentError, TemporaryError):
            raise
        except error.AuthorizationError as exc:
            self._collection = None
            raise TemporaryError(f"{self.where}: login: refused ({exc})") from exc
        except (error.DAVError, OSError, ValueError) as exc:
            self._collection = None
            raise TemporaryError(f"{self.where}: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # the HTTP library's connection and TLS errors
            self._collection = None
            raise TemporaryError(f"{self.where}: connect: {type(exc).__name__}: {exc}") from exc

    def uid(self, key: str) -> str:
        """The UID of the series `key`'s object."""
        return event_uid(self.secret, key)

    def _get(self, uid: str) -> tuple[Any, Any, dict[str, Any]] | None:
        """(object, its iCalendar, our state) of `uid`, or None."""
        from caldav.lib import error

        def work(collection: Any) -> tuple[Any, Any, dict[str, Any]] | None:
            try:
                found = collection.object_by_uid(uid)
            except error.NotFoundError:
                return None
            cal = ICalendar.from_ical(found.data)
            master = next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)
            return found, cal, json.loads(base64.b64decode(str(master["X-BINOME-STATE"])))

        return self._call(work)

    def _need(self, key: str) -> tuple[Any, Any, dict[str, Any]]:
        found = self._get(self.uid(key))
        if found is None:
            raise PermanentError(f"no series with key {key!r} in {self.where}")
        return found

    def _put(self, obj: Any, state: dict[str, Any], answers: Answers) -> Any:
        booked = _booked(state)
        cal = stored_calendar(booked, {a: {k: v.upper() for k, v in d.items()}
                                       for a, d in answers.items()},
                              cancelled=state["status"] == "CANCELLED")
        master = next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)
        master.add("x-binome-key", booked.series.key)
        # base64: JSON's commas and quotes would need iCalendar TEXT escaping.
        master.add("x-binome-state",
                   base64.b64encode(json.dumps(state, sort_keys=True).encode()).decode())
        data = cal.to_ical().decode("utf-8")

        def work(collection: Any) -> Any:
            if obj is None:
                return collection.save_event(data)
            obj.data = data
            obj.save()
            return obj

        return self._call(work)

    def _change(self, obj: Any, state: dict[str, Any], answers: Answers,
                outbox: list[list[str]]) -> None:
        """A real change: SEQUENCE moves on; written with what it owes, then sent."""
        state["sequence"] += 1
        state["stamp"] = iso(self.clock.now())
        state["outbox"] = outbox if self.invitations != "server" else []
        obj = self._put(obj, state, answers)
        if self.invitations == "auto" and state["outbox"]:
            taken = self._call(lambda c: _server_invited(c.object_by_uid(state["uid"]).data))
            if taken:
                state["outbox"] = [m for m in state["outbox"] if m[1] not in taken]
                obj = self._put(obj, state, answers)
        self._deliver(obj, state, answers)

    def _deliver(self, obj: Any, state: dict[str, Any], answers: Answers) -> None:
        if not state["outbox"]:
            return
        if self.mailbox is None:
            raise PermanentError(f"{self.where}: invitations must go by email, and no mailbox "
                                 "was given")
        booked = _booked(state)
        for method, attendee, occurrence in state["outbox"]:
            about = Invitation("CANCEL" if method == "CANCEL" else "REQUEST", attendee, booked,
                               parse_iso(occurrence) if occurrence else None)
            self.mailbox.send(invitation(about, self.wording(about)))
        state["outbox"] = []
        self._put(obj, state, answers)

    # -- the contract ------------------------------------------------------------------------
    def put_checked(self, series: Series) -> str:
        """Created under its UID, or updated in place; answers kept when the occurrences are."""
        uid = self.uid(series.key)
        stored = replace(series, moved=())
        found = self._get(uid)
        if found is None:
            state: dict[str, Any] = {"uid": uid, "series": series_to_doc(stored), "sequence": -1,
                                     "stamp": "",
                     "moves": {}, "status": "CONFIRMED", "outbox": []}
            self._change(None, state, {}, [["REQUEST", a, ""] for a in series.attendees])
            return uid
        obj, cal, state = found
        answers = _answers(cal)
        old = series_from_doc(state["series"])
        if series_to_doc(stored) == state["series"] and state["status"] == "CONFIRMED":
            self._deliver(obj, state, answers)
            return uid
        if series.occurrences() != old.occurrences():
            answers = {a: {"*": v["*"]} if "*" in v else {} for a, v in answers.items()}
        answers = {a: v for a, v in answers.items() if a in series.attendees}
        left = [a for a in old.attendees if a not in series.attendees]
        state.update(series=series_to_doc(stored), status="CONFIRMED")
        self._change(obj, state, answers, [["CANCEL", a, ""] for a in left]
                     + [["REQUEST", a, ""] for a in series.attendees])
        return uid

    def find_series(self, key: str) -> str | None:
        """Found once its object exists and every invitation it owed went out."""
        found = self._get(self.uid(key))
        return found[2]["uid"] if found is not None and not found[2]["outbox"] else None

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """A move is an override (everyone asked again); a cancellation an EXDATE."""
        obj, cal, state = self._need(key)
        answers = _answers(cal)
        attendees = series_from_doc(state["series"]).attendees
        owed = imipstate.change_occurrence(key, state, original_start, new)
        if owed.asked_again is not None:
            for person in attendees:
                answers.setdefault(person, {})[occurrence_tag(owed.asked_again)] = "NEEDS-ACTION"
        self._owe(obj, state, answers, owed.outbox)

    def end_series(self, key: str, after: datetime) -> None:
        """An earlier UNTIL, or the whole series cancelled when nothing would be left."""
        obj, cal, state = self._need(key)
        self._owe(obj, state, _answers(cal), imipstate.end_series(state, after).outbox)

    def _owe(self, obj: Any, state: dict[str, Any], answers: Answers,
             outbox: imipstate.Outbox | None) -> None:
        """Send a change's invitations, or (None) only what a crash left unsent."""
        if outbox is None:
            self._deliver(obj, state, answers)
        else:
            self._change(obj, state, answers, outbox)

    def responses(self, key: str, window: Interval) -> list[Response]:
        """Each attendee's PARTSTAT in the object (set by their REPLY, or by the server)."""
        _, cal, state = self._need(key)
        if state["status"] == "CANCELLED":
            return []
        answers = _answers(cal)
        series = series_from_doc(state["series"])
        found = []
        for person in series.attendees:
            mine = answers.get(person, {})
            for start in series.occurrences(window):
                status = mine.get(occurrence_tag(start), mine.get("*", "NEEDS-ACTION"))
                found.append(Response(key, person, start, STATUSES.get(status, "needs-action")))
        return found

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Our own sessions in the programme's calendar, where the person did not decline,
        and their other busy time as the server tells it or lets us read it
        (agent.providers.caldav.freebusy)."""
        wanted = {p.lower(): p for p in people}
        ours: dict[str, list[Interval]] = {p: [] for p in wanted}
        uids: set[str] = set()
        margin = timedelta(days=1)
        for data in self._call(lambda c: [o.data for o in c.events()]):
            cal = ICalendar.from_ical(data)
            uids.update(str(e["UID"]) for e in cal.walk("VEVENT") if "UID" in e)
            for event in recurring_ical_events.of(cal).between(window.start - margin,
                                                               window.end + margin):
                if str(event.get("STATUS", "")).upper() == "CANCELLED":
                    continue
                for attendee in _list(event.get("ATTENDEE")):
                    email = str(attendee).lower().removeprefix("mailto:")
                    if email not in wanted or str(attendee.params.get("PARTSTAT", "")).upper() \
                            == "DECLINED":
                        continue
                    start = event.decoded("DTSTART").astimezone(UTC)
                    end = event.decoded("DTEND").astimezone(UTC)
                    part = clipped(start, end, window)
                    if part is not None:
                        ours[email].append(part)
        others = self._call(lambda c: self.others.busy(c, list(wanted), window,
                                                       self.clock.now(), ours, uids))
        return {person: busy_answer([*ours[email], *others.get(email, [])], separate)
                for email, person in wanted.items()}

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """The series whose object changed since the sync token `cursor`."""
        def work(collection: Any) -> tuple[list[Change], str]:
            try:
                found = collection.objects_by_sync_token(sync_token=cursor or None,
                                                         load_objects=True)
            except Exception:  # noqa: BLE001 - a token the server forgot: list everything
                found = collection.objects_by_sync_token(sync_token=None, load_objects=True)
            keys = set()
            for obj in found:
                if obj.data and "X-BINOME-KEY" in obj.data:
                    for event in ICalendar.from_ical(obj.data).walk("VEVENT"):
                        if "X-BINOME-KEY" in event:
                            keys.add(str(event["X-BINOME-KEY"]))
            return [Change(k, "responses") for k in sorted(keys)], str(found.sync_token)

        return self._call(work)

    def take_reply(self, reply: CalendarReply) -> Taken | None:
        """The organizer's client's part (RFC 6047): the PARTSTAT is set in our object,
        unless the answer is to an older SEQUENCE."""
        found = self._get(reply.uid)
        if found is None:
            return None
        obj, cal, state = found
        series = series_from_doc(state["series"])
        if reply.attendee not in series.attendees:
            return Taken(series.key, f"a calendar answer to {series.key} from "
                                     f"{reply.attendee}, who is not invited")
        if (why := stale(reply, state["sequence"])) is not None:
            return Taken(series.key, why)
        answers = _answers(cal)
        mine = answers.setdefault(reply.attendee, {})
        for occurrence, status in reply.answers:
            if occurrence is None:
                mine.clear()
                mine["*"] = status.upper()
            else:
                mine[occurrence_tag(occurrence)] = status.upper()
        self._put(obj, state, answers)
        return Taken(series.key)


def _list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _booked(state: Mapping[str, Any]) -> Booked:
    moves = tuple((parse_iso(o), Interval(parse_iso(s), parse_iso(e)))
                  for o, (s, e) in sorted(state["moves"].items()))
    return Booked(series_from_doc(state["series"]), state["uid"], state["sequence"],
                  parse_iso(state["stamp"]), moves)


def _answers(cal: Any) -> Answers:
    """Attendee -> `*` (the master's PARTSTAT) and occurrence tag -> an override's."""
    found: Answers = {}
    for event in cal.walk("VEVENT"):
        recurrence = event.get("RECURRENCE-ID")
        for attendee in _list(event.get("ATTENDEE")):
            email = str(attendee).lower().removeprefix("mailto:")
            status = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
            mine = found.setdefault(email, {})
            if recurrence is None:
                if status != "NEEDS-ACTION":
                    mine["*"] = status
            else:
                mine[occurrence_tag(recurrence.dt.astimezone(UTC))] = status
    return found


def _server_invited(data: str) -> set[str]:
    """The attendees the server says it invites (SCHEDULE-STATUS 1.x or 2.x)."""
    taken = set()
    for event in ICalendar.from_ical(data).walk("VEVENT"):
        for attendee in _list(event.get("ATTENDEE")):
            status = str(attendee.params.get("SCHEDULE-STATUS", ""))
            if status.startswith(("1.", "2.")):
                taken.add(str(attendee).lower().removeprefix("mailto:"))
    return taken
