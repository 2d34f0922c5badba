"""What an attendee's mail client does with an iMIP invitation: it answers with a REPLY.

`reply_mail` writes the mail Thunderbird, Apple Mail or Outlook sends when someone
clicks Accept or Decline (RFC 6047 section 3: METHOD:REPLY, one VEVENT per answer with
only that attendee, the UID and SEQUENCE of the invitation, RECURRENCE-ID for one
occurrence), from the attendee to the organizer.
"""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime, parseaddr
from pathlib import Path

from icalendar import Calendar as ICalendar
from icalendar import Event

from agent.core.model import short_hash
from agent.providers.itip import Invitation, Words

PARTSTAT = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE"}
WORDS = {"accepted": "Accepted", "declined": "Declined", "tentative": "Tentative"}


def reply_mail(uid: str, organizer: str, attendee: str, status: str,
               occurrence: datetime | None = None, *, sequence: int = 0, summary: str = "",
               message_id: str | None = None, stamp: datetime | None = None) -> bytes:
    """The REPLY mail `attendee` sends `organizer` for the series `uid` (or one occurrence)."""
    cal = ICalendar()
    cal.add("prodid", "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN")
    cal.add("version", "2.0")
    cal.add("method", "REPLY")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp or datetime(2026, 1, 1, tzinfo=UTC))
    if occurrence is not None:
        event.add("recurrence-id", occurrence.astimezone(UTC))
        event.add("dtstart", occurrence.astimezone(UTC))
    event.add("summary", summary or "Session")
    event.add("organizer", f"mailto:{organizer}")
    event.add("attendee", f"mailto:{attendee}", parameters={"PARTSTAT": PARTSTAT[status]})
    cal.add_component(event)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = attendee
    msg["To"] = organizer
    msg["Subject"] = f"{WORDS[status]}: {summary or 'Session'}"
    msg["Date"] = format_datetime(stamp or datetime(2026, 1, 1, tzinfo=UTC))
    fallback = short_hash(uid, attendee, status, str(occurrence), length=16)
    msg["Message-ID"] = message_id or f"<reply.{fallback}@client.example>"
    msg.set_content(f"{attendee} has {status} this invitation.")
    msg.add_alternative(cal.to_ical(), maintype="text", subtype="calendar",
                        params={"method": "REPLY", "charset": "UTF-8"})
    return msg.as_bytes()


def latest_sequence(maildir: Path, uid: str, attendee: str) -> int:
    """The SEQUENCE of the newest invitation for `uid` that reached `attendee` in the Maildir
    `maildir` (what their client answers); 0 when none did."""
    found = [0]
    box = mailbox.Maildir(maildir, create=False)
    for key in box.keys():
        msg = message_from_bytes(box.get_file(key).read(), policy=default_policy)
        if parseaddr(str(msg["To"]))[1] != attendee:
            continue
        for part in msg.walk():
            if part.get_content_type() == "text/calendar":
                cal = ICalendar.from_ical(part.get_payload(decode=True))
                found += [int(e.get("SEQUENCE", 0)) for e in cal.walk("VEVENT")
                          if str(e["UID"]) == uid]
    return max(found)


def plain_words(about: Invitation) -> Words:
    """Words for a backend's invitations in the provider tests (the agent's come from
    templates: tests/loop/test_invitations.py)."""
    what = "Invitation" if about.method == "REQUEST" else "Cancelled"
    return Words(f"{what}: {about.booked.series.title}", f"{what} for {about.attendee}\n",
                 f"<p>{what}</p>\n", "en", "Programme Binôme")
