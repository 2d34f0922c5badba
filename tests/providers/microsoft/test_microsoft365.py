"""The microsoft365 backend against a fake Graph: the contract suites, then what
only Graph has (transactionId, throttling, $batch, delta resync, sign-in)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from contract.calendar_contract import ORGANIZER, CalendarContract
from contract.mailbox_contract import MailboxContract
from fakes.graph_server import FakeGraph
from fakes.outlook import Person

from agent.core.clock import SimClock
from agent.providers.microsoft.graph_calendar import GraphCalendar
from agent.providers.microsoft.graph_http import Graph
from agent.providers.microsoft.graph_mail import GraphMailbox

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


class TestGraphCalendar(CalendarContract):
    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, graph: Graph, fake: FakeGraph, clock: SimClock) -> GraphCalendar:
        self.fake = fake
        return GraphCalendar(graph, ORGANIZER, clock)

    def answer(self, calendar: Any, key: str, attendee: str, occurrence: datetime | None,
               status: str) -> None:
        Person(calendar.graph).answer(calendar.find_series(key), attendee, occurrence, status)

    def booked_attendees(self, calendar: Any, key: str) -> list[str]:
        return self.fake.events[calendar.find_series(key)].sent_attendees

    def own_event(self, calendar: Any, person: str, start: datetime | date, end: datetime | date,
                  *, transparent: bool = False) -> None:
        Person(calendar.graph).own_event(person, start, end, transparent)


class TestGraphMailbox(MailboxContract):
    @pytest.fixture
    def mailbox(self, graph: Graph, fake: FakeGraph) -> GraphMailbox:
        box = GraphMailbox(graph, ORGANIZER)
        box.fake = fake  # type: ignore[attr-defined]
        return box

    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        mailbox.fake.deliver(ORGANIZER, raw)
