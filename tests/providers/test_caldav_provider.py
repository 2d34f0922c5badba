"""The `caldav` backend against Radicale and Xandikos (real servers, PyPI), with the real
`local` mailbox carrying the invitations neither server sends."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from contract.calendar_contract import ORGANIZER, CalendarContract, weekly
from contract.imip_contract import ImipContract
from fakes.imip_client import latest_sequence, plain_words, reply_mail
from fakes.local_client import T0
from icalendar import Calendar as ICalendar
from servers.caldav_servers import PASSWORD, DavServer

from agent.core.clock import SimClock
from agent.providers.caldav.calendar import CalDavCalendar
from agent.providers.caldav.settings import CalDavSettings
from agent.providers.caldav.setup import check_lines, collection_opener
from agent.providers.installation import Installation
from agent.providers.itip import Taken, read_reply
from agent.providers.local.maildir import LocalMailbox

SECRET = b"c" * 32


def site(root: Path, clock: SimClock) -> Installation:
    return Installation(root / "binome.toml", root / "state", root / "local", ORGANIZER, clock)


def table(server: DavServer, name: str) -> CalDavSettings:
    return CalDavSettings(url=server.url, username=server.username,
                          password_env="BINOME_TEST_CALDAV", calendar=name)


def caldav_calendar(server: DavServer, root: Path, clock: SimClock,
                    monkeypatch: pytest.MonkeyPatch) -> CalDavCalendar:
    monkeypatch.setenv("BINOME_TEST_CALDAV", PASSWORD)
    name = f"Binôme {uuid.uuid4().hex[:8]}"  # a fresh calendar for each test
    opener = collection_opener(table(server, name), site(root, clock))
    return CalDavCalendar(opener, SECRET, clock, LocalMailbox(root), "auto", plain_words,
                          where=f"CalDAV {server.name}")


class TestCalDavCalendar(CalendarContract, ImipContract):
    sees_own_events = False

    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, dav_server: DavServer, tmp_path: Path, clock: SimClock,
                 monkeypatch: pytest.MonkeyPatch) -> CalDavCalendar:
        self.root = tmp_path  # the Maildir the invitations go to
        return caldav_calendar(dav_server, tmp_path, clock, monkeypatch)

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        uid = calendar.uid(key)  # answered as the newest invitation asks (its SEQUENCE)
        reply = read_reply(reply_mail(uid, ORGANIZER, attendee, status, occurrence,
                                      sequence=latest_sequence(self.root / "mail", uid, attendee)))
        assert reply is not None and calendar.take_reply(reply) == Taken(key)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        data = calendar._call(lambda c: c.object_by_uid(calendar.uid(key)).data)
        master = next(e for e in ICalendar.from_ical(data).walk("VEVENT")
                      if "RECURRENCE-ID" not in e)
        found = master.get("ATTENDEE")
        return [str(a).removeprefix("mailto:")
                for a in (found if isinstance(found, list) else [found])]


def test_neither_server_invites_so_the_agent_mails_each_attendee(
        dav_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = caldav_calendar(dav_server, tmp_path, SimClock(T0), monkeypatch)
    series = weekly()
    calendar.put_series(series)
    calendar.put_series(series)  # again: nothing new
    assert len(list((tmp_path / "mail" / "new").iterdir())) == len(series.attendees)


def test_check_says_what_it_found(dav_server: DavServer, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINOME_TEST_CALDAV", PASSWORD)
    lines, ok = check_lines(table(dav_server, "Binôme check"), site(tmp_path, SimClock(T0)))
    assert ok, lines
    assert lines[0].endswith(f"logged in as {dav_server.username}")
    monkeypatch.setenv("BINOME_TEST_CALDAV", "wrong")
    lines, ok = check_lines(table(dav_server, "Binôme check"), site(tmp_path, SimClock(T0)))
    if dav_server.name == "radicale":  # Xandikos has no logins
        assert not ok and "login" in lines[0], lines
