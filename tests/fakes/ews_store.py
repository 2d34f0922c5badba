"""The items of the fake EWS, and how they are written as EWS XML.

A meeting is stored once, in its organizer's calendar; each attendee sees it
in their own calendar under `<id>~<who>`, and an occurrence is
`<copy id>@<original start, UTC>`. As Exchange does: answers are kept per
occurrence in the organizer's copy, a declined occurrence leaves the attendee
free, a changed time or pattern drops exceptions ([MS-OXOCAL] 3.1.4.7.3.5) and
resets answers (undocumented either way: the stricter reading), and a deleted
occurrence answers ErrorCalendarOccurrenceIsDeletedFromRecurrence.

An attendee's answer also lands in the organizer's Inbox as a MeetingResponse
item (EWS "Respond to meeting requests": accepting with a response sent creates
a meeting response in the organizer's mailbox), beside ordinary mail. What
Exchange mails attendees is counted in `Store.notices` (kind, attendee, item id):
an invitation each on create, an update each on an update sent to all, a
cancellation each for a deleted occurrence or meeting, or an attendee removed.
"""

from __future__ import annotations

import hashlib
import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule, weekday
from exchangelib.winzone import MS_TIMEZONE_TO_IANA_MAP

from fakes.ews_folders import folder_id
from fakes.ews_server import EwsError, sub, t

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ids = itertools.count(1)


def zulu(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str | None) -> datetime:
    if not text:
        raise EwsError("ErrorInvalidRequest", "a date/time is missing")
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iana(windows_id: str | None) -> str:
    if not windows_id:
        return "UTC"
    zone = MS_TIMEZONE_TO_IANA_MAP.get(windows_id)
    if zone is None:
        raise EwsError("ErrorTimeZone", f"unknown time zone {windows_id!r}")
    return zone


@dataclass
class Occ:
    deleted: bool = False
    start: datetime | None = None
    end: datetime | None = None
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    id: str
    owner: str
    folder: str
    kind: str  # "CalendarItem", "Message", or "MeetingResponse" (in an organizer's Inbox)
    version: int
    subject: str = ""
    body: str = ""
    ext: dict[str, str] = field(default_factory=dict)  # PropertyName -> value
    # calendar
    start: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    end: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    tz: str = "UTC"
    all_day: bool = False
    free_busy: str = "Busy"
    recurrence: tuple[int, list[int], date, date] | None = None  # interval, weekdays, from, to
    attendees: dict[str, str] = field(default_factory=dict)  # email -> ResponseType
    # The addresses as the last request spelt them (`attendees` holds the server's tidy
    # form): tests check that the client tidied them itself.
    sent_attendees: list[str] = field(default_factory=list)
    occurrences: dict[datetime, Occ] = field(default_factory=dict)
    # mail
    mime: bytes = b""
    internet_message_id: str = ""
    received: datetime = datetime(2026, 3, 1, tzinfo=UTC)
    is_read: bool = False
    removed: bool = False

    def originals(self) -> list[datetime]:
        if self.recurrence is None:
            return [self.start]
        interval, days, first, last = self.recurrence
        zone = ZoneInfo(self.tz)
        local = self.start.astimezone(zone).replace(tzinfo=None)
        rule = rrule(WEEKLY, interval=interval, dtstart=local,
                     until=datetime.combine(last, time.max),
                     byweekday=[weekday(d) for d in days], wkst=0)
        return [d.replace(tzinfo=zone).astimezone(UTC) for d in rule]

    def live(self) -> list[tuple[datetime, datetime, datetime]]:
        """(original start, start, end) of each occurrence not deleted."""
        found = []
        for original in self.originals():
            occ = self.occurrences.get(original, Occ())
            if not occ.deleted:
                found.append((original, occ.start or original,
                              occ.end or original + (self.end - self.start)))
        return found

    def answer(self, who: str, original: datetime | None) -> str:
        occ = self.occurrences.get(original) if original else None
        if occ is not None and who in occ.answers:
            return occ.answers[who]
        return self.attendees.get(who, "Unknown")


def who_hash(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()[:8]


class Store:
    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.version = 0
        self.epoch = 0  # bumped to expire every sync state
        self.notices: list[tuple[str, str, str]] = []  # (invite|update|cancel, attendee, id)

    def notify(self, kind: str, item: Item, people: list[str] | None = None) -> None:
        """Exchange mails each attendee (or `people`) about `item`: counted, not delivered."""
        for who in item.attendees if people is None else people:
            self.notices.append((kind, who, item.id))

    def tick(self) -> int:
        self.version += 1
        return self.version

    def new(self, owner: str, folder: str, kind: str) -> Item:
        item = Item(id=f"AAMkEws{next(_ids):06d}", owner=owner, folder=folder, kind=kind,
                    version=self.tick())
        self.items[item.id] = item
        return item

    def count(self, user: str, folder: str) -> int:
        return sum(1 for i in self.items.values()
                   if i.owner == user and i.folder == folder and not i.removed)

    def visible(self, user: str, folder: str) -> list[tuple[str, Item]]:
        """(id as `user` sees it, item) in `user`'s `folder`."""
        found = []
        for item in self.items.values():
            if item.removed:
                continue
            if item.owner == user and item.folder == folder:
                found.append((item.id, item))
            elif folder == "calendar" and user in item.attendees:
                found.append((f"{item.id}~{who_hash(user)}", item))
        return found

    def resolve(self, user: str, ident: str) -> tuple[Item, str, datetime | None]:
        """(item, id of `user`'s copy, original start of an occurrence or None)."""
        base, _, stamp = ident.partition("@")
        master, _, who = base.partition("~")
        item = self.items.get(master)
        if (item is None or item.removed or (who and (who != who_hash(user)
                                                      or user not in item.attendees))
                or (not who and item.owner != user)):
            raise EwsError("ErrorItemNotFound", "The specified object was not found in the store.")
        if not stamp:
            return item, base, None
        original = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return item, base, self.occurrence(item, index=None, original=original)

    def occurrence(self, item: Item, index: int | None, original: datetime | None = None
                   ) -> datetime:
        originals = item.originals()
        if index is not None:
            if item.recurrence is None or not 1 <= index <= len(originals):
                raise EwsError("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange",
                               "Occurrence index is out of recurrence range.")
            original = originals[index - 1]
        if original not in originals:
            raise EwsError("ErrorItemNotFound", "The specified object was not found in the store.")
        if item.occurrences.get(original, Occ()).deleted:
            raise EwsError("ErrorCalendarOccurrenceIsDeletedFromRecurrence",
                           "Occurrence with this index was previously deleted from the "
                           "recurrence.")
        return original


def mailbox(parent: ET.Element, tag: str, email: str) -> None:
    box = sub(parent, tag)
    sub(box, t("Name"), email)
    sub(box, t("EmailAddress"), email)
    sub(box, t("RoutingType"), "SMTP")
    sub(box, t("MailboxType"), "Mailbox")


def to_xml(item: Item, shown_id: str, user: str, original: datetime | None = None) -> ET.Element:
    """`item` (or one occurrence) as `user` sees it, with every property we keep."""
    node = ET.Element(t(item.kind))
    ident = f"{shown_id}@{original.strftime('%Y%m%dT%H%M%SZ')}" if original else shown_id
    sub(node, t("ItemId"), Id=ident, ChangeKey=f"CK{item.version}")
    sub(node, t("ParentFolderId"), Id=folder_id(user, item.folder), ChangeKey="AQAAAA==")
    sub(node, t("Subject"), item.subject)
    sub(node, t("Body"), item.body, BodyType="Text")
    for name, value in item.ext.items():
        prop = sub(node, t("ExtendedProperty"))
        sub(prop, t("ExtendedFieldURI"), PropertySetId="8d3f6c8e-2b0a-4c1e-9a57-0b1f3f2c6e41",
            PropertyName=name, PropertyType="String")
        sub(prop, t("Value"), value)
    if item.kind != "CalendarItem":  # mail: a Message, or a meeting response
        sub(node, t("DateTimeReceived"), zulu(item.received))
        sub(node, t("InternetMessageId"), item.internet_message_id)
        sub(node, t("IsRead"), "true" if item.is_read else "false")
        return node
    start, end = item.start, item.end
    if original is not None:
        start, end = next((s, e) for o, s, e in item.live() if o == original)
    sub(node, t("UID"), f"uid-{item.id}")
    sub(node, t("Start"), zulu(start))
    sub(node, t("End"), zulu(end))
    sub(node, t("IsAllDayEvent"), "true" if item.all_day else "false")
    sub(node, t("LegacyFreeBusyStatus"), item.free_busy)
    sub(node, t("IsMeeting"), "true" if item.attendees else "false")
    sub(node, t("IsRecurring"), "true" if original is not None else "false")
    kind = ("Single" if item.recurrence is None else "RecurringMaster" if original is None
            else "Exception" if item.occurrences.get(original, Occ()).start else "Occurrence")
    sub(node, t("CalendarItemType"), kind)
    if user != item.owner:
        sub(node, t("MyResponseType"), item.answer(user, original))
    organizer = sub(node, t("Organizer"))
    mailbox(organizer, t("Mailbox"), item.owner)
    if item.attendees:
        people = sub(node, t("RequiredAttendees"))
        for who in item.attendees:
            attendee = sub(people, t("Attendee"))
            mailbox(attendee, t("Mailbox"), who)
            sub(attendee, t("ResponseType"), item.answer(who, original))
    if original is not None:
        sub(node, t("OriginalStart"), zulu(original))
    elif item.recurrence is not None:
        gone = [o for o, occ in sorted(item.occurrences.items()) if occ.deleted]
        if gone:
            deleted = sub(node, t("DeletedOccurrences"))
            for o in gone:
                sub(sub(deleted, t("DeletedOccurrence")), t("Start"), zulu(o))
        interval, days, first, last = item.recurrence
        rec = sub(node, t("Recurrence"))
        weekly = sub(rec, t("WeeklyRecurrence"))
        sub(weekly, t("Interval"), str(interval))
        sub(weekly, t("DaysOfWeek"), " ".join(DAYS[d] for d in days))
        sub(weekly, t("FirstDayOfWeek"), "Monday")
        bounds = sub(rec, t("EndDateRecurrence"))
        sub(bounds, t("StartDate"), first.isoformat())
        sub(bounds, t("EndDate"), last.isoformat())
    return node


def apply(store: Store, item: Item, node: ET.Element) -> None:
    """Write the properties of a `<t:CalendarItem>` or `<t:Message>` onto `item`."""
    timing = (item.start, item.end, item.tz, item.recurrence)
    for child in node:
        name = child.tag.split("}")[1]
        if name == "Subject":
            item.subject = child.text or ""
        elif name == "Body":
            item.body = child.text or ""
        elif name == "ExtendedProperty":
            uri = child.find(t("ExtendedFieldURI"))
            item.ext[uri.get("PropertyName", "") if uri is not None else ""] = \
                child.findtext(t("Value")) or ""
        elif name == "Start":
            item.start = parse_time(child.text).astimezone(UTC)
        elif name == "End":
            item.end = parse_time(child.text).astimezone(UTC)
        elif name == "StartTimeZone":
            item.tz = iana(child.get("Id"))
        elif name == "IsAllDayEvent":
            item.all_day = child.text in ("true", "1")
        elif name == "LegacyFreeBusyStatus":
            item.free_busy = child.text or "Busy"
        elif name == "IsRead":
            item.is_read = child.text in ("true", "1")
        elif name == "RequiredAttendees":
            item.sent_attendees = [a.findtext(f"{t('Mailbox')}/{t('EmailAddress')}") or ""
                                   for a in child.findall(t("Attendee"))]
            # A new attendee starts with the ResponseType the client sent (exchangelib sends
            # "Accept" for plain strings, which Exchange takes as given); known ones keep theirs.
            item.attendees = {
                email: item.attendees.get(email, a.findtext(t("ResponseType")) or "Unknown")
                for a in child.findall(t("Attendee"))
                if (email := (a.findtext(f"{t('Mailbox')}/{t('EmailAddress')}") or "").lower())}
        elif name == "Recurrence":
            weekly = child.find(t("WeeklyRecurrence"))
            bounds = child.find(t("EndDateRecurrence"))
            if weekly is None or bounds is None:
                raise EwsError("ErrorInvalidRecurrence",
                               "this fake knows weekly patterns with an end date")
            days = [DAYS.index(d) for d in (weekly.findtext(t("DaysOfWeek")) or "").split()]
            item.recurrence = (int(weekly.findtext(t("Interval")) or 1), days,
                               date.fromisoformat(bounds.findtext(t("StartDate")) or ""),
                               date.fromisoformat(bounds.findtext(t("EndDate")) or ""))
    if item.end < item.start:
        raise EwsError("ErrorCalendarEndDateIsEarlierThanStartDate",
                       "The end date is earlier than the start date.")
    if (item.start, item.end, item.tz, item.recurrence) != timing and item.version:
        item.occurrences.clear()  # as Exchange: a new time or pattern drops the exceptions
        item.attendees = dict.fromkeys(item.attendees, "Unknown")
    item.version = store.tick()


def busy_of(store: Store, who: str, lo: datetime, hi: datetime) -> list[tuple[datetime,
                                                                            datetime, str]]:
    found = []
    for item in store.items.values():
        if item.removed or item.kind != "CalendarItem" or who not in (item.owner,
                                                                        *item.attendees):
            continue
        for original, start, end in item.live():
            if item.all_day:
                local = start.astimezone(ZoneInfo(item.tz)).date()
                start = datetime.combine(local, time(), ZoneInfo(item.tz)).astimezone(UTC)
                end = start + (item.end - item.start)
            answer = item.answer(who, original if item.recurrence else None)
            if end <= lo or start >= hi or item.free_busy == "Free" or answer == "Decline":
                continue
            kind = item.free_busy if who == item.owner or answer == "Accept" else "Tentative"
            found.append((start, end, kind))
    return sorted(found)

