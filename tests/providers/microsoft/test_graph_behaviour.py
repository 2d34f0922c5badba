"""What only Graph has: transactionId and the key after a crash, throttling with
Retry-After, $batch limits, 4 requests per mailbox, delta resync, mail recovery."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from contract.calendar_contract import ANNE, BRUNO, ORGANIZER, everything, weekly
from contract.mailbox_contract import outgoing, raw_message
from fakes.graph_auth import CLIENT_ID
from fakes.graph_server import FakeGraph
from fakes.outlook import Person

from agent.core.clock import SimClock
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Interval
from agent.providers.microsoft.graph_auth import ClientCredentials
from agent.providers.microsoft.graph_calendar import GraphCalendar
from agent.providers.microsoft.graph_http import Graph
from agent.providers.microsoft.graph_mail import GraphMailbox

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


@pytest.fixture
def calendar(graph: Graph) -> GraphCalendar:
    return GraphCalendar(graph, ORGANIZER, SimClock(T0))


def stored(fake: FakeGraph, key: str) -> int:
    return sum(1 for e in fake.events.values() if key in e.ext.values() and not e.removed)


def count(fake: FakeGraph, pattern: str) -> int:
    import re
    return sum(1 for line in fake.log if re.fullmatch(pattern, line))


# -- idempotency --------------------------------------------------------------------------
def test_a_create_whose_answer_was_lost_is_sent_again_and_not_duplicated(
        fake: FakeGraph, calendar: GraphCalendar) -> None:
    series = weekly()
    fake.fail_next(drop=True, match=r"POST /users/[^/]+/events$")
    ref = calendar.put_series(series)
    assert count(fake, r"POST /users/.*/events") == 2  # the retry carried the same transactionId
    assert stored(fake, series.key) == 1 and calendar.find_series(series.key) == ref


def test_after_a_crash_the_key_finds_the_series_instead_of_a_second_one(
        fake: FakeGraph, graph: Graph) -> None:
    series = weekly()
    fake.fail_next(drop=True, match=r"POST /users/[^/]+/events$", count=99)
    with pytest.raises(TemporaryError):
        GraphCalendar(graph, ORGANIZER, SimClock(T0)).put_series(series)
    fake.faults.clear()
    # The agent restarts with nothing in memory: the intent is resolved by the key.
    again = GraphCalendar(graph, ORGANIZER, SimClock(T0))
    ref = again.find_series(series.key)
    assert ref is not None
    posts = count(fake, r"POST /users/.*/events")
    assert again.put_series(series) == ref
    assert count(fake, r"POST /users/.*/events") == posts and stored(fake, series.key) == 1


# -- throttling -----------------------------------------------------------------------------
def test_429_and_503_wait_exactly_what_retry_after_says(
        fake: FakeGraph, calendar: GraphCalendar, sleeps: list[float]) -> None:
    fake.fail_next(status=429, retry_after="7", match="getSchedule")
    fake.fail_next(status=503, retry_after="2", match="getSchedule")
    window = Interval(T0, T0 + timedelta(days=1))
    assert calendar.free_busy([ANNE], window) == {ANNE: []}
    assert sleeps == [7.0, 2.0]


def test_a_wait_beyond_the_budget_goes_up_as_a_temporary_error(
        fake: FakeGraph, calendar: GraphCalendar, sleeps: list[float]) -> None:
    fake.fail_next(status=429, retry_after="600")
    with pytest.raises(TemporaryError) as caught:
        calendar.find_series("series/x")
    assert caught.value.retry_after == 600.0 and sleeps == []
    assert "429" in str(caught.value)


def test_batch_sends_again_only_the_throttled_requests(
        fake: FakeGraph, calendar: GraphCalendar, sleeps: list[float]) -> None:
    series = weekly(weeks=26)
    calendar.put_series(series)
    fake.fail_next(status=429, retry_after="3", match=r"POST .*/getSchedule", count=2)
    got = calendar.free_busy([ANNE], everything(series))[ANNE]  # 5 spans of 41 days
    assert sleeps == [3.0]
    assert count(fake, r"POST .*/getSchedule") == 5  # each done once: two of them later
    assert count(fake, r"POST /\$batch") == 3  # 4 + 1, then the two again
    assert [b.start for b in got] == series.occurrences()


def test_a_batch_holds_at_most_what_the_mailbox_runs_at_once(
        fake: FakeGraph, calendar: GraphCalendar) -> None:
    people = [f"p{i}@example.fr" for i in range(43)] + [ANNE]
    fake.users |= set(people)
    series = weekly(weeks=26)
    calendar.put_series(series)
    window = everything(series)
    busy = calendar.free_busy(people, window)  # 3 groups of people x 5 spans of 41 days
    # Requests inside a $batch count toward the 4 a mailbox runs at once: 4 per batch.
    assert count(fake, r"POST /\$batch") == 4 and count(fake, r"POST .*/getSchedule") == 15
    assert len(busy[ANNE]) == 26 and busy["p0@example.fr"] == []
    assert max(fake.max_in_flight.values()) <= 4


def test_at_most_four_requests_in_flight_per_mailbox(
        fake: FakeGraph, calendar: GraphCalendar) -> None:
    calendar.find_series("warm-up")  # the token, fetched once
    fake.delay = 0.05
    errors: list[Exception] = []

    def lookup(i: int) -> None:
        try:
            calendar.find_series(f"series/{i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=lookup, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert fake.max_in_flight[ORGANIZER] == 4


# -- delta ---------------------------------------------------------------------------------
def test_an_expired_delta_link_starts_a_full_sync(fake: FakeGraph,
                                                  calendar: GraphCalendar) -> None:
    first, second = weekly(weeks=30), weekly(key="series/p2/2026-03", weeks=30)
    calendar.put_series(first)
    calendar.put_series(second)
    changes, cursor = calendar.changes(None)  # 60 occurrences: two pages
    assert {c.key for c in changes} == {first.key, second.key}
    assert calendar.changes(cursor)[0] == []
    fake.expire_sync_state()
    Person(calendar.graph).answer(calendar.find_series(first.key) or "", BRUNO, None,
                                  "accepted")
    changes, cursor = calendar.changes(cursor)
    assert first.key in {c.key for c in changes}
    assert calendar.changes(cursor)[0] == []


# -- mail ----------------------------------------------------------------------------------
def test_a_send_whose_answer_was_lost_is_not_sent_twice(fake: FakeGraph, graph: Graph) -> None:
    box = GraphMailbox(graph, ORGANIZER)
    message = outgoing("<objectives.9@binome.example.fr>")
    fake.fail_next(drop=True, match=r"POST .*/send$")
    assert box.send(message) == message.message_id  # looked up at once: it went out
    assert box.send(message) == message.message_id
    sent = [m for m in fake.messages.values() if m.folder == "sentitems"]
    assert [m.raw for m in sent] == [message.raw]


def test_a_draft_left_by_a_crash_is_sent_not_created_again(fake: FakeGraph, graph: Graph,
                                                            sleeps: list[float]) -> None:
    box = GraphMailbox(graph, ORGANIZER)
    message = outgoing("<objectives.10@binome.example.fr>")
    fake.fail_next(status=503, retry_after="1", match=r"POST .*/send$", count=99)
    with pytest.raises(TemporaryError):
        box.send(message)
    fake.faults.clear()
    assert not box.was_sent(message.message_id)
    box.send(message)
    assert count(fake, r"POST /users/[^/]+/messages") == 1
    folders = sorted(m.folder for m in fake.messages.values())
    assert folders == ["sentitems"] and box.was_sent(message.message_id)


def test_inbox_survives_an_expired_delta_link(fake: FakeGraph, graph: Graph) -> None:
    box = GraphMailbox(graph, ORGANIZER)
    for i in range(3):
        fake.deliver(ORGANIZER, raw_message(f"<r{i}@example.fr>"))
    found, cursor = box.receive(None)
    box.acknowledge([found[0].ref])
    fake.expire_sync_state()
    fake.deliver(ORGANIZER, raw_message("<r3@example.fr>"))
    again, cursor = box.receive(cursor)
    assert [m.ref for m in again] == [found[1].ref, found[2].ref, again[2].ref]
    assert b"<r3@example.fr>" in again[2].raw


# -- sign-in ---------------------------------------------------------------------------------
def test_a_wrong_client_secret_is_a_clear_permanent_error(fake: FakeGraph,
                                                          certs: tuple[Path, Path]) -> None:
    token = ClientCredentials(f"{fake.base}/contoso", CLIENT_ID, "wrong", ca_bundle=certs[0])
    with pytest.raises(PermanentError, match="invalid_client.*client secret"):
        token()
