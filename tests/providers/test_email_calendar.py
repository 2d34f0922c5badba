"""The `email` calendar: series kept in the agent's state, sent as iMIP invitations.

The contract suite runs with the real `local` mailbox (a Maildir) underneath; the
invitations it wrote are checked by parsers we did not write (icalendar, recurring-
ical-events) and against RFC 6047's rules. Over real servers: tests/sim/test_servers_month.py.
"""

from __future__ import annotations

import mailbox as stdlib_mailbox
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from contract.calendar_contract import ANNE, BRUNO, CLAIRE, ORGANIZER, CalendarContract, weekly
from contract.imip_contract import ImipContract
from fakes.imip_client import latest_sequence, plain_words, reply_mail
from fakes.local_client import T0
from icalendar import Calendar as ICalendar

from agent.core.clock import SimClock
from agent.core.errors import TemporaryError
from agent.core.model import Interval, Outgoing
from agent.providers.email.calendar import EmailCalendar
from agent.providers.itip import Taken, read_reply
from agent.providers.local.maildir import LocalMailbox

SECRET = b"k" * 32


def open_calendar(root: Path, clock: SimClock, mailbox: Any = None) -> EmailCalendar:
    return EmailCalendar(root / "invitations", SECRET, mailbox or LocalMailbox(root), clock,
                         plain_words)


def sent(root: Path) -> list[EmailMessage]:
    """Every invitation mail the calendar sent, in the order sent."""
    box = stdlib_mailbox.Maildir(root / "mail", create=False)
    found = []
    for key in box.keys():
        raw = box.get_file(key).read()
        msg = message_from_bytes(raw, policy=default_policy)
        assert isinstance(msg, EmailMessage)
        found.append(msg)
    return sorted(found, key=lambda m: (_sequence(m), str(m["To"])))


def _calendar(msg: EmailMessage) -> Any:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    return ICalendar.from_ical(part.get_payload(decode=True))


def _sequence(msg: EmailMessage) -> int:
    return max(int(e.get("SEQUENCE", 0)) for e in _calendar(msg).walk("VEVENT"))


class TestEmailCalendar(CalendarContract, ImipContract):
    sees_own_events = False

    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, tmp_path: Path, clock: SimClock) -> EmailCalendar:
        self.root = tmp_path
        return open_calendar(tmp_path, clock)

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        uid = calendar.uid(key)  # answered as the newest invitation asks (its SEQUENCE)
        reply = read_reply(reply_mail(uid, ORGANIZER, attendee, status, occurrence,
                                      sequence=latest_sequence(self.root / "mail", uid, attendee)))
        assert reply is not None and calendar.take_reply(reply) == Taken(key)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        last = [m for m in sent(self.root) if str(m["X-Binome-Key"]) == key][-1]
        event = next(iter(_calendar(last).walk("VEVENT")))
        found = event.get("ATTENDEE")
        return [str(a).removeprefix("mailto:") for a in
                (found if isinstance(found, list) else [found])]


def test_invitations_follow_rfc_6047_and_expand_to_the_booked_occurrences(
        tmp_path: Path) -> None:
    clock = SimClock(T0)
    calendar = open_calendar(tmp_path, clock)
    series = weekly(weeks=6, interval_weeks=1, attendees=(ANNE, CLAIRE))
    calendar.put_series(series)
    clock.advance(timedelta(days=1))
    second, third = series.occurrences()[1:3]
    moved = Interval(second + timedelta(days=1), second + timedelta(days=1, hours=1))
    calendar.change_occurrence(series.key, second, moved)
    calendar.change_occurrence(series.key, third, None)
    calendar.end_series(series.key, series.occurrences()[4])
    mails = sent(tmp_path)
    assert len(mails) == 4 * 2  # request, move, cancel one, shorten: each to both
    uids, sequences = set(), []
    for msg in mails:
        part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
        cal = ICalendar.from_ical(part.get_payload(decode=True))
        assert ICalendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()  # round trip
        assert str(cal["METHOD"]) == part.get_param("method")  # RFC 6047 2.4
        events = list(cal.walk("VEVENT"))
        for event in events:
            assert str(event["ORGANIZER"]).removeprefix("mailto:") == parseaddr(
                str(msg["From"]))[1]  # RFC 6047 3: the organizer sends
            attendees = {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
            assert parseaddr(str(msg["To"]))[1] in attendees  # each recipient is invited
            uids.add(str(event["UID"]))
        sequences.append(max(int(e["SEQUENCE"]) for e in events))
        assert msg["X-Binome-Key"] == series.key
    assert len(uids) == 1 and series.key not in next(iter(uids))  # stable, not the key
    assert sequences == sorted(sequences) and sequences[0] < sequences[-1]
    # The last REQUEST, expanded by recurring-ical-events, is what was booked.
    last = [m for m in mails if _calendar(m)["METHOD"] == "REQUEST"][-1]
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    shown = sorted(e.decoded("DTSTART").astimezone(UTC)
                   for e in recurring_ical_events.of(_calendar(last)).between(*window))
    starts = series.occurrences()
    assert shown == [starts[0], moved.start, starts[3]]


def test_a_reply_for_one_occurrence_and_one_for_the_series(tmp_path: Path) -> None:
    calendar = open_calendar(tmp_path, SimClock(T0))
    series = weekly()
    calendar.put_series(series)
    _, cursor = calendar.changes(None)
    second = series.occurrences()[1]
    raw = reply_mail(calendar.uid(series.key), ORGANIZER, BRUNO, "declined", second)
    reply = read_reply(raw)
    assert reply is not None and reply.answers == ((second, "declined"),)
    assert calendar.take_reply(reply) == Taken(series.key)
    changes, cursor = calendar.changes(cursor)
    assert [c.key for c in changes] == [series.key]
    assert calendar.changes(cursor)[0] == []
    found = calendar.responses(series.key, Interval(series.start, series.until))
    assert {(r.attendee, r.occurrence): r.status for r in found}[(BRUNO, second)] == "declined"
    unknown = read_reply(reply_mail("someone-else@example.org", ORGANIZER, BRUNO, "accepted"))
    assert unknown is not None and calendar.take_reply(unknown) is None


class Interrupted(LocalMailbox):
    """The real Maildir mailbox, failing after `allowed` sends (the network went down)."""

    allowed = 1

    def send(self, message: Outgoing) -> str:
        if self.allowed <= 0:
            raise TemporaryError("SMTP went away")
        self.allowed -= 1
        return super().send(message)


def test_an_interrupted_round_of_invitations_is_finished_once(tmp_path: Path) -> None:
    clock = SimClock(T0)
    series = weekly(attendees=(ANNE, BRUNO, CLAIRE))
    broken = open_calendar(tmp_path, clock, Interrupted(tmp_path))
    with pytest.raises(TemporaryError):
        broken.put_series(series)
    calendar = open_calendar(tmp_path, clock)
    assert calendar.find_series(series.key) is None  # not every attendee was invited
    calendar.put_series(series)
    assert calendar.find_series(series.key) is not None
    assert sorted(str(m["To"]) for m in sent(tmp_path)) == [ANNE, BRUNO, CLAIRE]
