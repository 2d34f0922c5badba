"""iMIP (RFC 6047): calendar invitations as mail, for the backends that send them by email.

Terms:
- *invitation*: one mail to one attendee, multipart/alternative with a text part, an
  HTML part and a `text/calendar; method=REQUEST` (or `CANCEL`) part built with
  icalendar, which Outlook, Gmail, Apple Mail and Thunderbird show with Accept / Decline
  buttons. The text, the HTML and the subject are not written here: the backend is
  handed a `Wording` (the layers above render templates in the attendee's language).
  The VEVENT lists every attendee (RFC 5546 section 3.2.2: the organizer sends the
  whole event); each attendee gets their own mail.
- *uid*: the event's UID, an HMAC of the series key with the installation's secret:
  a stranger who guesses keys from the roster cannot forge an answer to our events.
- *reply*: an attendee's `METHOD:REPLY` (Accepted, Declined, Tentative), for the
  series or for one occurrence (RECURRENCE-ID), read by `read_reply`.

RFC 6047 rules kept here: the MIME `method=` equals the iCalendar METHOD (section 2.4),
the ORGANIZER is the mail's sender and each recipient is an ATTENDEE (section 3),
UID stays the same across updates and SEQUENCE grows with each (RFC 5546 2.1.4).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone

from agent.core.errors import PermanentError
from agent.core.model import Interval, Outgoing, ResponseStatus, Series, short_hash

Method = Literal["REQUEST", "CANCEL"]
PRODID = "-//Binome//Binome iMIP//EN"
STATUSES: dict[str, ResponseStatus] = {"ACCEPTED": "accepted", "DECLINED": "declined",
                                       "TENTATIVE": "tentative", "NEEDS-ACTION": "needs-action"}
_UNFOLDED = SMTP.clone(max_line_length=998)


def event_uid(secret: bytes, key: str) -> str:
    """The UID of the series `key` at this installation (see the module docstring)."""
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    return f"{digest}@binome"


@dataclass(frozen=True)
class Booked:
    """A series as invitations describe it: its UID, SEQUENCE, DTSTAMP and moves."""

    series: Series
    uid: str
    sequence: int
    stamp: datetime
    moves: tuple[tuple[datetime, Interval], ...] = ()  # original start (UTC) -> new time


def _vtimezone(tzid: str) -> Any:
    try:
        return Timezone.from_tzid(tzid, first_date=datetime(2000, 1, 1).date(),
                                  last_date=datetime(2050, 1, 1).date())
    except ValueError:
        return None


def _event(booked: Booked, *, recurrence: datetime | None = None,
           moved: Interval | None = None, status: str = "CONFIRMED",
           answers: Mapping[str, str] | None = None) -> Event:
    series = booked.series
    tz = ZoneInfo(series.timezone)
    event = Event()
    event.add("uid", booked.uid)
    event.add("sequence", booked.sequence)
    event.add("dtstamp", booked.stamp.astimezone(UTC))
    if recurrence is None:
        event.add("dtstart", series.start.astimezone(tz))
        event.add("dtend", (series.start + series.duration).astimezone(tz))
        event.add("rrule", {"freq": "weekly", "interval": series.interval_weeks,
                            "until": series.until.astimezone(UTC)})
        if series.cancelled:
            event.add("exdate", [c.astimezone(tz) for c in sorted(set(series.cancelled))])
    else:
        event.add("recurrence-id", recurrence.astimezone(tz))
        span = moved or Interval(recurrence, recurrence + series.duration)
        event.add("dtstart", span.start.astimezone(tz))
        event.add("dtend", span.end.astimezone(tz))
    event.add("summary", series.title)
    if series.description:
        event.add("description", series.description)
    event.add("organizer", f"mailto:{series.organizer}")
    for person in series.attendees:
        event.add("attendee", f"mailto:{person}", parameters={
            "ROLE": "REQ-PARTICIPANT", "RSVP": "TRUE", "CUTYPE": "INDIVIDUAL",
            "PARTSTAT": (answers or {}).get(person, "NEEDS-ACTION")})
    event.add("status", status)
    event.add("transp", "OPAQUE")
    return event


def calendar_of(booked: Booked, method: Method, *, occurrence: datetime | None = None) -> bytes:
    """The iCalendar object of one invitation: the whole series with its moved occurrences
    (REQUEST), the whole series cancelled (CANCEL), or one occurrence cancelled (CANCEL
    with `occurrence`, its original start)."""
    cal = ICalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    zone = _vtimezone(booked.series.timezone)
    if zone is not None:
        cal.add_component(zone)
    if method == "REQUEST":
        cal.add_component(_event(booked))
        for original, interval in sorted(booked.moves, key=lambda m: m[0]):
            cal.add_component(_event(booked, recurrence=original, moved=interval))
    elif occurrence is None:
        cal.add_component(_event(booked, status="CANCELLED"))
    else:
        cal.add_component(_event(booked, recurrence=occurrence, status="CANCELLED"))
    return bytes(cal.to_ical())


def stored_calendar(booked: Booked, answers: Mapping[str, Mapping[str, str]], *,
                    cancelled: bool = False) -> Any:
    """The organizer's copy of a series as a calendar server stores it (RFC 4791 4.1: no
    METHOD): the master, then one override per moved occurrence or per occurrence someone
    answered apart from the series. `answers`: attendee -> `*` or original start (UTC,
    iCalendar form) -> PARTSTAT."""
    cal = ICalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    zone = _vtimezone(booked.series.timezone)
    if zone is not None:
        cal.add_component(zone)
    status = "CANCELLED" if cancelled else "CONFIRMED"
    series_answers = {a: v["*"] for a, v in answers.items() if "*" in v}
    cal.add_component(_event(booked, status=status, answers=series_answers))
    moves = dict(booked.moves)
    apart = {o for v in answers.values() for o in v if o != "*"}
    live = set(booked.series.occurrences())
    for original in sorted(set(moves) | {_instant(o) for o in apart}):
        if original not in live:
            continue
        tag = _tag(original)
        own = {a: v.get(tag, series_answers.get(a, "NEEDS-ACTION")) for a, v in answers.items()}
        cal.add_component(_event(booked, recurrence=original, moved=moves.get(original),
                                 status=status, answers=own))
    return cal


def _tag(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _instant(tag: str) -> datetime:
    return datetime.strptime(tag, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def occurrence_tag(when: datetime) -> str:
    """An occurrence's original start as `stored_calendar`'s answers name it."""
    return _tag(when)


@dataclass(frozen=True)
class Invitation:
    """What one invitation mail is about, for the words around its calendar part: the
    method, the attendee, the series as it now is (its SEQUENCE, moves and DTSTAMP), and
    for a CANCEL of one occurrence, that occurrence's original start."""

    method: Method
    attendee: str
    booked: Booked
    occurrence: datetime | None = None


@dataclass(frozen=True)
class Words:
    """The human parts of one invitation mail, in the attendee's language."""

    subject: str
    text: str
    html: str
    language: str
    sender_name: str = ""


# The layers above write the words (from templates, in each attendee's language): a backend
# that sends invitations is handed this, and never writes a sentence itself.
Wording = Callable[[Invitation], Words]


def no_wording(about: Invitation) -> Words:
    """The `Wording` of a backend opened by a command that sends nothing: sending is refused."""
    raise PermanentError(f"no words to send an invitation to {about.attendee} with: only the "
                         "agent (binome tick, run) sends invitations")


def invitation(about: Invitation, words: Words) -> Outgoing:
    """The mail carrying one invitation (or cancellation) to its attendee, from the organizer:
    the text and HTML parts `words` gives, then the iCalendar object (RFC 6047).

    Its Message-ID is derived from the UID, SEQUENCE, method, occurrence and attendee, so
    sending it again after a crash is recognised (`Mailbox.was_sent`), whatever its words."""
    booked, method, attendee, occurrence = (about.booked, about.method, about.attendee,
                                            about.occurrence)
    series = booked.series
    when = occurrence.isoformat() if occurrence else ""
    key = f"invitation/{booked.uid}/{booked.sequence}/{method}/{when}/{attendee}"
    domain = series.organizer.rpartition("@")[2] or "localhost"
    message_id = f"<imip.{short_hash(key, length=24)}@{domain}>"
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address(display_name=words.sender_name, addr_spec=series.organizer)
    msg["To"] = attendee
    msg["Subject"] = words.subject
    msg["Date"] = format_datetime(booked.stamp.astimezone(UTC))
    msg["Message-ID"] = message_id
    msg["X-Binome-Key"] = series.key
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(words.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(words.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # RFC 6047 2.4: the part's method parameter is the object's METHOD.
    msg.add_alternative(calendar_of(booked, method, occurrence=occurrence), maintype="text",
                        subtype="calendar", params={"method": method, "charset": "UTF-8"},
                        cte="base64")
    msg["Content-Language"] = words.language  # after the parts: they would take it
    msg.set_boundary(f"==binome-imip-{short_hash(key, 'boundary', length=20)}==")
    return Outgoing(key=key, message_id=message_id, sender=series.organizer,
                    recipients=(attendee,), raw=msg.as_bytes(policy=_UNFOLDED))


# -- replies --------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarReply:
    """An attendee's answer read from an iMIP REPLY: for the whole series (`occurrence`
    None) or one occurrence (its original start, UTC)."""

    uid: str
    attendee: str
    answers: tuple[tuple[datetime | None, ResponseStatus], ...]
    sequence: int = 0


@dataclass(frozen=True)
class Taken:
    """What a calendar did with a REPLY to one of its series: the series' key, and why the
    answer was not applied (`refused`), None when it was."""

    key: str
    refused: str | None = None


def stale(reply: CalendarReply, current: int) -> str | None:
    """Why a REPLY answering an older version of the event is not applied, else None.

    RFC 5546 2.1.4: a higher SEQUENCE supersedes the earlier versions, so an answer to
    one of them (a click on an invitation that was updated since) says nothing about the
    event as it is now; the attendee's client shows the update and asks again."""
    if reply.sequence >= current:
        return None
    return (f"a calendar answer from {reply.attendee} to an older version of the event "
            f"(SEQUENCE {reply.sequence}, now {current}): not applied (RFC 5546 2.1.4)")


def calendar_parts(raw: bytes) -> list[bytes]:
    """The iCalendar objects a mail carries (text/calendar or .ics parts), decoded."""
    try:
        msg: Message = BytesParser(policy=default_policy).parsebytes(raw)
    except Exception:  # noqa: BLE001 - hostile mail: no calendar found in it
        return []
    found = []
    for part in msg.walk():
        kind = part.get_content_type()
        if kind in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append(payload)
    return found


def read_reply(raw: bytes) -> CalendarReply | None:
    """The calendar answer an iMIP REPLY mail carries; None when it carries none (or the
    object cannot be read, or names no attendee)."""
    for data in calendar_parts(raw):
        try:
            cal = ICalendar.from_ical(data)
        except ValueError:
            continue
        if str(cal.get("METHOD", "")).upper() != "REPLY":
            continue
        uid, attendee, sequence = "", "", 0
        answers: list[tuple[datetime | None, ResponseStatus]] = []
        for event in cal.walk("VEVENT"):
            who = event.get("ATTENDEE")
            who = who[0] if isinstance(who, list) else who
            if who is None:
                continue
            uid = str(event.get("UID", uid))
            attendee = str(who).strip().lower().removeprefix("mailto:")
            status = STATUSES.get(str(who.params.get("PARTSTAT", "")).upper(), "needs-action")
            sequence = max(sequence, int(event.get("SEQUENCE", 0)))
            occurrence = None
            if "RECURRENCE-ID" in event:
                value = event.decoded("RECURRENCE-ID")
                if isinstance(value, datetime):
                    occurrence = (value if value.tzinfo else value.replace(tzinfo=UTC)
                                  ).astimezone(UTC)
            answers.append((occurrence, status))
        if uid and attendee and answers:
            return CalendarReply(uid, attendee, tuple(answers), sequence)
    return None
