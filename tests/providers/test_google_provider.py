"""The `google` backend: the contract suites over the real client and a fake Google."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from contract.calendar_contract import ORGANIZER, CalendarContract
from contract.mailbox_contract import MailboxContract
from fakes.google_fixtures import delegate, running, service_account_key
from fakes.google_server import FakeGoogle

from agent.core.clock import SimClock
from agent.providers.google.auth import (
    CALENDAR_SCOPES,
    GMAIL_SCOPES,
    service_account_credentials,
)
from agent.providers.google.connect import (
    GoogleCalendar,
    GoogleMailbox,
    connect_calendar,
    connect_mailbox,
)
from agent.providers.google.events import event_id

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
STATUS = {"accepted": "accepted", "declined": "declined", "tentative": "tentative",
          "needs-action": "needsAction"}


def no_wait(seconds: float) -> None:
    pass


def google_calendar(fake: FakeGoogle, clock: SimClock, **options: Any) -> GoogleCalendar:
    delegate(fake, ORGANIZER)
    creds = service_account_credentials(service_account_key(fake), ORGANIZER, CALENDAR_SCOPES)
    return connect_calendar(creds, clock, api_root=fake.root, sleep=options.pop("sleep", no_wait),
                            **options)


def google_mailbox(fake: FakeGoogle, clock: SimClock, **options: Any) -> GoogleMailbox:
    delegate(fake, ORGANIZER)
    creds = service_account_credentials(service_account_key(fake), ORGANIZER, GMAIL_SCOPES)
    return connect_mailbox(creds, clock, api_root=fake.root, sleep=options.pop("sleep", no_wait),
                           **options)


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


class TestGoogleCalendar(CalendarContract):
    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, fake: FakeGoogle, clock: SimClock) -> GoogleCalendar:
        self.fake = fake
        return google_calendar(fake, clock)

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        self.fake.calendar.respond(ORGANIZER, event_id(key), attendee, STATUS[status], occurrence)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        # The fake lower-cases addresses as Google does: the request shows what we sent.
        sent = [body for method, body in self.fake.bodies
                if method in ("calendar.events.insert", "calendar.events.patch")
                and "attendees" in (body or {})]
        return [a["email"] for a in sent[-1]["attendees"]]

    def own_event(self, calendar: Any, person: str, start: datetime | date, end: datetime | date,
                  *, transparent: bool = False) -> None:
        def when(value: datetime | date) -> dict[str, str]:
            if isinstance(value, datetime):
                return {"dateTime": value.isoformat()}
            return {"date": value.isoformat()}

        body: dict[str, Any] = {"summary": "own", "start": when(start), "end": when(end)}
        if transparent:
            body["transparency"] = "transparent"
        self.fake.calendar.add_own_event(person, body)


class TestGoogleMailbox(MailboxContract):
    @pytest.fixture
    def mailbox(self, fake: FakeGoogle) -> GoogleMailbox:
        self.fake = fake
        return google_mailbox(fake, SimClock(T0))

    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        self.fake.gmail.deliver(ORGANIZER, raw)
