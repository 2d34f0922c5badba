"""The `caldav` backend against Radicale and Xandikos (real servers, PyPI), with the real
`local` mailbox carrying the invitations neither server sends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from contract.calendar_contract import ANNE, ORGANIZER, CalendarContract, weekly
from contract.imip_contract import ImipContract
from fakes.imip_client import latest_sequence, plain_words, reply_mail
from fakes.local_client import T0
from icalendar import Calendar as ICalendar
from servers.caldav_servers import PASSWORD, DavServer, personal_event, set_addresses
from servers.ports import free_port

from agent.core.clock import SimClock
from agent.core.model import Interval
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
    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, dav_server: DavServer, tmp_path: Path, clock: SimClock,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[CalDavCalendar]:
        self.root = tmp_path  # the Maildir the invitations go to
        self.server = dav_server
        # Radicale's rights file lets the programme read the attendees' calendars; on
        # Xandikos (one user) it knows only our own sessions.
        self.sees_own_events = dav_server.name == "radicale"
        self.personal: list[Any] = []
        yield caldav_calendar(dav_server, tmp_path, clock, monkeypatch)
        for made in self.personal:  # the server outlives the test
            made.delete()

    def own_event(self, calendar: Any, person: str, start: datetime | date,
                  end: datetime | date, *, transparent: bool = False) -> None:
        self.personal.append(personal_event(self.server, person, start, end,
                                            transparent=transparent))

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
    shared = dav_server.name == "radicale"  # its rights file lets the programme read it
    made = personal_event(dav_server, "nadia", T0, T0 + timedelta(hours=1)) if shared else None
    try:
        lines, ok = check_lines(table(dav_server, "Binôme check"), site(tmp_path, SimClock(T0)))
    finally:
        if made is not None:
            made.delete()
    assert ok, lines
    assert lines[0].endswith(f"logged in as {dav_server.username}")
    said = lines[-1]
    if shared:
        assert said.startswith("caldav: free/busy: no scheduling outbox; ") and "nadia" in said
    else:
        assert said.startswith("caldav: free/busy: asked of the scheduling outbox (RFC 6638), "
                               "then no calendar of anyone else readable")
    assert said.endswith("anyone else counts as free within working hours")
    monkeypatch.setenv("BINOME_TEST_CALDAV", "wrong")
    lines, ok = check_lines(table(dav_server, "Binôme check"), site(tmp_path, SimClock(T0)))
    if dav_server.name == "radicale":  # Xandikos has no logins
        assert not ok and "login" in lines[0], lines


def test_check_fails_when_server_invitations_are_asked_of_a_server_without_scheduling(
        dav_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if dav_server.name != "radicale":
        pytest.skip("Xandikos says it schedules (RFC 6638); only a booking's SCHEDULE-STATUS "
                    "tells it mails no one")
    monkeypatch.setenv("BINOME_TEST_CALDAV", PASSWORD)
    settings = table(dav_server, "Binôme check").model_copy(update={"invitations": "server"})
    lines, ok = check_lines(settings, site(tmp_path, SimClock(T0)))
    assert not ok, lines
    assert lines[-1].startswith("caldav: invitations: but the server offers no scheduling")


@pytest.mark.parametrize("step", ["DNS", "connect", "TLS"])
def test_check_names_the_step_that_fails(step: str, dav_server: DavServer, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if dav_server.name != "radicale":
        pytest.skip("the steps before the server answers are the same for any server")
    monkeypatch.setenv("BINOME_TEST_CALDAV", PASSWORD)
    url = {"DNS": "https://dav.nowhere.invalid/",  # .invalid never resolves (RFC 6761)
           "connect": f"http://127.0.0.1:{free_port()}/",  # nobody listens there
           "TLS": dav_server.url.replace("http://", "https://")}[step]  # plain HTTP answers
    settings = CalDavSettings(url=url, username=dav_server.username,
                              password_env="BINOME_TEST_CALDAV", calendar="Binôme",
                              timeout_seconds=10)
    lines, ok = check_lines(settings, site(tmp_path, SimClock(T0)))
    assert not ok and len(lines) == 1, lines
    assert lines[0].startswith(f"caldav: {url}: {step}: "), lines
    # What went wrong underneath, not the HTTP library's wrappers.
    assert "Max retries" not in lines[0] and "ConnectionPool" not in lines[0], lines


def test_the_scheduling_outbox_tells_the_busy_time_of_those_it_knows(
        dav_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if dav_server.name != "xandikos":
        pytest.skip("Radicale has no scheduling outbox (the readable calendars are tested)")
    calendar = caldav_calendar(dav_server, tmp_path, SimClock(T0), monkeypatch)
    # Xandikos answers free/busy questions for its own user's addresses only (3.8, no
    # authority, for anyone else): its user is given ORGANIZER's address here, and an
    # event in a calendar of theirs other than the programme's.
    set_addresses(dav_server, [f"mailto:{ORGANIZER}"])
    meeting = Interval(datetime(2026, 3, 2, 13, 7, tzinfo=UTC),
                       datetime(2026, 3, 2, 14, 7, tzinfo=UTC))
    personal = personal_event(dav_server, dav_server.username, meeting.start, meeting.end)
    try:
        window = Interval(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
        busy = calendar.free_busy([ORGANIZER, ANNE], window, separate=True)
    finally:
        personal.delete()
        set_addresses(dav_server, [])
    assert meeting in busy[ORGANIZER]  # from the outbox: nothing of it is in our calendar
    assert busy[ANNE] == []  # the server cannot tell, and no calendar of hers is readable


def test_a_port_or_an_address_holding_401_is_no_refused_login() -> None:
    """The step is read from the error's text, where a port (":38401") or an object's
    address ("0x7f...401...") once made a refused connection read as a refused login."""
    from agent.providers.caldav.setup import _step

    refused = ConnectionRefusedError(111, "refused: https://127.0.0.1:38401/ at 0x7f4013c0")
    assert _step(refused) == "connect"
    assert _step(RuntimeError("401 Client Error: Unauthorized for url")) == "login"
