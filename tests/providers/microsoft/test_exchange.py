"""The exchange backend through exchangelib against a fake EWS endpoint: the
contract suites, then what only EWS has."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from contract.calendar_contract import ANNE, BRUNO, CLAIRE, ORGANIZER, CalendarContract
from contract.mailbox_contract import MailboxContract
from fakes.ews_ops import OPERATIONS, deliver
from fakes.ews_server import FakeEws
from fakes.ews_store import Store
from fakes.exchange_user import ExchangeUser

from agent.core.clock import SimClock
from agent.providers.microsoft.ews_account import open_account
from agent.providers.microsoft.ews_calendar import ExchangeCalendar
from agent.providers.microsoft.ews_mail import ExchangeMailbox

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
USER, PASSWORD = "ATELIER\\binome", "correct horse"


@pytest.fixture
def ews() -> Iterator[FakeEws]:
    fake = FakeEws(USER, PASSWORD, {ORGANIZER, ANNE, BRUNO, CLAIRE}, Store(),
                   default_user=ORGANIZER, operations=dict(OPERATIONS)).start()
    yield fake
    fake.close()


def account(ews: FakeEws, **kwargs: Any) -> Any:
    return open_account(ews.endpoint, "2016", USER, PASSWORD, ORGANIZER, auth_type="basic",
                        **kwargs)


class TestExchangeCalendar(CalendarContract):
    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, ews: FakeEws, clock: SimClock) -> ExchangeCalendar:
        cal = ExchangeCalendar(account(ews, max_wait=1), clock)
        cal.fake = ews  # type: ignore[attr-defined]
        return cal

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        ExchangeUser(calendar.fake.endpoint, USER, PASSWORD, attendee).answer(
            calendar, key, occurrence, status)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        return calendar.fake.store.items[calendar.find_series(key)].sent_attendees

    def own_event(self, calendar: Any, person: str, start: datetime | date, end: datetime | date,
                  *, transparent: bool = False) -> None:
        ExchangeUser(calendar.fake.endpoint, USER, PASSWORD, person).own_event(
            start, end, transparent)


class TestExchangeMailbox(MailboxContract):
    @pytest.fixture
    def mailbox(self, ews: FakeEws) -> ExchangeMailbox:
        box = ExchangeMailbox(account(ews, max_wait=1))
        box.fake = ews  # type: ignore[attr-defined]
        return box

    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        deliver(mailbox.fake, ORGANIZER, raw)
