"""`Calendar` on Exchange Server through exchangelib: the programme mailbox organises.

A *ref* is the EWS item id of the recurring master. Attendees are sent as
`Attendee(response_type="Unknown")`: exchangelib would mark plain addresses
as having accepted. Occurrences are addressed by their index in the pattern
(`OccurrenceItemId`, 1-based), computed from the `Schedule` kept in an
extended property; one GetItem fetches many. `end_series` is one UpdateItem
that shortens the pattern (one update per attendee, not one cancellation per
session), keeping beside it the answers and cancellations Exchange may drop
with a pattern change (`ending`). `changes` follows SyncFolderItems on the
calendar; a sync state the server no longer knows starts a full sync.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from exchangelib import (
    Attendee,
    CalendarItem,
    EWSDateTime,
    EWSTimeZone,
    Mailbox,
)
from exchangelib import errors as ews
from exchangelib.items import SEND_TO_ALL_AND_SAVE_COPY
from exchangelib.recurrence import EndDatePattern, Recurrence, WeeklyPattern

from agent.core.clock import Clock
from agent.core.errors import PermanentError
from agent.core.model import (
    Change,
    Interval,
    Response,
    ResponseStatus,
    Series,
    busy_answer,
)
from agent.providers.base import (
    Calendar,
    cancelled_before,
    clipped,
    first_keyed,
    no_occurrence,
    spans,
)
from agent.providers.microsoft.ending import Ended
from agent.providers.microsoft.ews_account import ews_errors, raise_if_error
from agent.providers.microsoft.organizer import booked, check_organizer
from agent.providers.microsoft.schedule import Schedule

log = logging.getLogger(__name__)

ANSWERS: dict[str, ResponseStatus] = {"Accept": "accepted", "Decline": "declined",
                                      "Tentative": "tentative"}
BUSY = {"Busy", "Tentative", "OOF"}
PEOPLE_PER_CALL = 100  # GetUserAvailability's limits: mailboxes per call, and how far
AVAILABILITY_SPAN = timedelta(days=41)


def ews_time(when: datetime, zone: str) -> Any:
    """`when` as exchangelib wants it: an `EWSDateTime` in the zone `zone`."""
    return EWSDateTime.from_datetime(when.astimezone(ZoneInfo(zone))).astimezone(
        EWSTimeZone(zone))


def _utc(value: Any) -> datetime:
    return datetime.fromtimestamp(value.timestamp(), UTC)


def _recurrence(schedule: Schedule) -> Recurrence:
    """The weekly pattern of `schedule`, ending on the day of its last occurrence."""
    zone = ZoneInfo(schedule.timezone)
    first, last = schedule.start.astimezone(zone), schedule.last.astimezone(zone)
    return Recurrence(pattern=WeeklyPattern(interval=schedule.interval_weeks,
                                            weekdays=[first.isoweekday()], first_day_of_week=1),
                      boundary=EndDatePattern(start=first.date(), end=last.date()))


class ExchangeCalendar(Calendar):
    """`Calendar` over the programme mailbox's calendar on Exchange Server (EWS)."""

    separates_events = True  # the "Detailed" view lists calendar events one by one

    def __init__(self, account: Any, clock: Clock) -> None:
        self.account = account
        self.clock = clock
        self.mailbox = str(account.primary_smtp_address).lower()

    def _lookup(self, key: str) -> Any | None:
        with ews_errors(f"Exchange: finding series {key!r}"):
            found = list(self.account.calendar.filter(binome_key=key).only(
                "id", "changekey", "binome_schedule", "binome_ended", "subject",
                "deleted_occurrences", "required_attendees"))
        return first_keyed(found, key, f"{self.mailbox}'s Exchange calendar")

    def _master(self, key: str) -> tuple[Any, Schedule]:
        return booked(key, self.mailbox, self._lookup(key), lambda item: item.binome_schedule)

    def _occurrences(self, master: Any, schedule: Schedule,
                     wanted: Sequence[datetime]) -> dict[datetime, Any]:
        """The live occurrences among `wanted` original starts, fetched in one GetItem.

        Deleted ones are left out first: asking for one fails the whole GetItem."""
        starts = schedule.originals()
        index = {s: i + 1 for i, s in enumerate(starts)}
        deleted = {_utc(d.start) for d in master.deleted_occurrences or []}
        asked = [o for o in wanted if o in index and o not in deleted]
        if not asked:
            return {}
        with ews_errors("Exchange: reading occurrences"):
            fetched = list(self.account.fetch(
                ids=[master.occurrence(index[o]) for o in asked],
                only_fields=["start", "end", "required_attendees", "changekey"]))
        live = {}
        for original, item in zip(asked, fetched, strict=True):
            live[original] = raise_if_error(item, "Exchange: reading an occurrence")
        return live

    def find_series(self, key: str) -> str | None:
        item = self._lookup(key)
        return None if item is None else str(item.id)

    def put_checked(self, series: Series) -> str:
        """Saves only the parts of the `Schedule` that changed (a new pattern resets answers)."""
        check_organizer(series, self.mailbox)
        try:  # a zone Python knows that Exchange does not (`checked` saw it exists)
            EWSTimeZone(series.timezone)
        except (ZoneInfoNotFoundError, ValueError, ews.UnknownTimeZone) as exc:
            raise PermanentError(f"unknown time zone {series.timezone!r}") from exc
        schedule = Schedule.of(series)
        found = self._lookup(series.key)
        old = None if found is None else Schedule.loads(found.binome_schedule or "")
        item = found or CalendarItem(account=self.account, folder=self.account.calendar,
                                     binome_key=series.key, legacy_free_busy_status="Busy",
                                     is_response_requested=True)
        fields = ["binome_schedule"]
        if old is None or old.timing() != schedule.timing():
            item.start = ews_time(series.start, series.timezone)
            item.end = ews_time(series.start + series.duration, series.timezone)
            item.recurrence = _recurrence(schedule)
            fields += ["start", "end", "recurrence"]
        if old is None or old.what != schedule.what:
            item.subject, item.body = series.title, series.description
            fields += ["subject", "body"]
        if old is None or old.who != schedule.who:
            # response_type "Unknown": plain strings would be sent as already accepted.
            item.required_attendees = [
                Attendee(mailbox=Mailbox(email_address=a), response_type="Unknown")
                for a in series.attendees if a.lower() != self.mailbox]
            fields.append("required_attendees")
        item.binome_schedule = schedule.dumps()
        if old != schedule:
            with ews_errors(f"Exchange: saving series {series.key!r}"):
                if found is None:
                    item.save(send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)
                else:
                    item.save(update_fields=fields,
                              send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)
        if series.cancelled:
            self._delete(item, schedule, list(series.cancelled))
        return str(item.id)

    def _delete(self, master: Any, schedule: Schedule, originals: Sequence[datetime]) -> None:
        live = self._occurrences(master, schedule, originals)
        if live:
            with ews_errors("Exchange: cancelling occurrences"):
                for result in self.account.bulk_delete(
                        ids=list(live.values()),
                        send_meeting_cancellations=SEND_TO_ALL_AND_SAVE_COPY):
                    if result is not True:
                        raise_if_error(result, "Exchange: cancelling an occurrence")

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        master, schedule = self._master(key)
        if original_start not in schedule.originals():
            raise no_occurrence(key, original_start)
        occurrence = self._occurrences(master, schedule, [original_start]).get(original_start)
        if occurrence is None:  # deleted before
            cancelled_before(key, original_start, new)
            return
        with ews_errors(f"Exchange: changing an occurrence of {key!r}"):
            if new is None:
                occurrence.delete(send_meeting_cancellations=SEND_TO_ALL_AND_SAVE_COPY)
            elif (_utc(occurrence.start), _utc(occurrence.end)) != (new.start, new.end):
                occurrence.start = ews_time(new.start, schedule.timezone)
                occurrence.end = ews_time(new.end, schedule.timezone)
                occurrence.save(update_fields=["start", "end"],
                                send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)

    def end_series(self, key: str, after: datetime) -> None:
        """One UpdateItem: the pattern shortened to the last occurrence before `after`, with
        what it had kept beside it; before the first, the attendees removed (`ending`)."""
        master, schedule = self._master(key)
        kept = [o for o in schedule.originals() if o < after]
        what = f"Exchange: ending series {key!r}"
        if not kept:
            if master.required_attendees:
                master.required_attendees, master.legacy_free_busy_status = None, "Free"
                with ews_errors(what):
                    master.save(update_fields=["required_attendees", "legacy_free_busy_status"],
                                send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)
            return
        if len(kept) == len(schedule.originals()):
            return  # nothing starts at or after `after`: ended already, or never that far
        answers = self._answers(key, master, schedule, kept)
        ended = Ended({o: {r.attendee: r.status for r in answers if r.occurrence == o
                           and r.status != "needs-action"} for o in kept},
                      frozenset(kept) - {r.occurrence for r in answers})
        shorter = replace(schedule, last=kept[-1])
        master.recurrence = _recurrence(shorter)
        master.binome_schedule, master.binome_ended = shorter.dumps(), ended.dumps()
        with ews_errors(what):
            master.save(update_fields=["recurrence", "binome_schedule", "binome_ended"],
                        send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)

    def responses(self, key: str, window: Interval) -> list[Response]:
        master, schedule = self._master(key)
        wanted = [o for o in schedule.originals() if window.start <= o <= window.end]
        return self._answers(key, master, schedule, wanted)

    def _answers(self, key: str, master: Any, schedule: Schedule,
                 wanted: Sequence[datetime]) -> list[Response]:
        """Each attendee's answer to the live occurrences among `wanted`, what the series
        kept when it ended filling in what Exchange forgot."""
        ended = Ended.loads(master.binome_ended)
        found = []
        for original, item in sorted(self._occurrences(master, schedule, wanted).items()):
            if original in ended.gone:
                continue  # cancelled before the series ended: Exchange may have revived it
            for attendee in item.required_attendees or []:
                who = str(attendee.mailbox.email_address).lower()
                live = ANSWERS.get(attendee.response_type, "needs-action")
                found.append(Response(key, who, original, ended.answer(original, who, live)))
        return found

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """GetUserAvailability in pieces of 41 days and 100 people; an unknown mailbox is free."""
        busy: dict[str, list[Interval]] = {p: [] for p in people}
        for piece in spans(window, AVAILABILITY_SPAN):  # it looks at most 42 days ahead
            for i in range(0, len(people), PEOPLE_PER_CALL):
                self._availability(list(people[i:i + PEOPLE_PER_CALL]), piece, busy)
        return {p: busy_answer(b, separate) for p, b in busy.items()}

    def _availability(self, people: list[str], window: Interval,
                      busy: dict[str, list[Interval]]) -> None:
        with ews_errors("Exchange: free/busy"):
            views = list(self.account.protocol.get_free_busy_info(
                accounts=[(p, "Required", False) for p in people],
                start=ews_time(window.start, "UTC"), end=ews_time(window.end, "UTC"),
                requested_view="Detailed"))
        for person, view in zip(people, views, strict=True):
            if isinstance(view, Exception):  # no such mailbox: treated as free
                log.info("free/busy of %s unknown: %s", person, view)
                continue
            for event in view.calendar_events or []:
                part = clipped(_utc(event.start), _utc(event.end), window)
                if event.busy_type in BUSY and part is not None:
                    busy[person].append(part)

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """SyncFolderItems from `cursor` (an expired state: a full sync), all as `responses`."""
        folder = self.account.calendar
        folder.item_sync_state = cursor or None  # else exchangelib resumes from its own
        keys: set[str] = set()
        try:
            with ews_errors("Exchange: calendar changes"):
                for _, item in folder.sync_items(sync_state=cursor or None,
                                                 only_fields=["binome_key"]):
                    if getattr(item, "binome_key", None):
                        keys.add(item.binome_key)
        except PermanentError as exc:
            if cursor is None or "SyncState" not in str(exc):
                raise
            log.warning("calendar sync state expired (%s); starting a full sync", exc)
            return self.changes(None)
        return [Change(k, "responses") for k in sorted(keys)], str(folder.item_sync_state)
