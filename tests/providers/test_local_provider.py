"""The `local` backend: the contract suites, plus what only files can show."""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from contract.calendar_contract import (
    ANNE,
    BRUNO,
    CLAIRE,
    CalendarContract,
    weekly,
)
from contract.mailbox_contract import MailboxContract, outgoing
from fakes.local_client import T0, LocalClient
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar as ICalendar

from agent.core.clock import SimClock
from agent.core.errors import PermanentError
from agent.core.model import Interval, Series
from agent.providers.local.calendar import LocalCalendar, LocalMailbox, deliver_to_inbox


class TestLocalCalendar(LocalClient, CalendarContract):
    @pytest.fixture
    def clock(self) -> SimClock:
        return SimClock(T0)

    @pytest.fixture
    def calendar(self, tmp_path: Path, clock: SimClock) -> LocalCalendar:
        return LocalCalendar(tmp_path, clock)


class TestLocalMailbox(MailboxContract):
    @pytest.fixture
    def mailbox(self, tmp_path: Path) -> LocalMailbox:
        return LocalMailbox(tmp_path)

    def inject(self, mailbox: Any, name: str, raw: bytes) -> None:
        assert deliver_to_inbox(mailbox.inbox.parent, name, raw)
        assert not deliver_to_inbox(mailbox.inbox.parent, name, b"another")


def expansion(path: Path, key: str) -> set[tuple[datetime, datetime]]:
    """What any calendar client shows for `key` in one file, as UTC (start, end)."""
    cal = ICalendar.from_ical(path.read_bytes())
    window = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    return {(e.decoded("DTSTART").astimezone(UTC), e.decoded("DTEND").astimezone(UTC))
            for e in recurring_ical_events.of(cal).between(*window)
            if str(e.get("X-BINOME-KEY")) == key and str(e.get("STATUS")) != "CANCELLED"}


def plain(series: Series) -> set[tuple[datetime, datetime]]:
    return {(s, s + series.duration) for s in series.occurrences()}


def test_files_expand_to_the_series_occurrences(tmp_path: Path) -> None:
    calendar = LocalCalendar(tmp_path, SimClock(T0))
    series = weekly(weeks=10, interval_weeks=2, attendees=(ANNE, CLAIRE),
                    cancelled=(datetime(2026, 3, 30, 8, tzinfo=UTC),))
    calendar.put_series(series)
    for person in (ANNE, CLAIRE, series.organizer):
        assert expansion(calendar.path(person), series.key) == plain(series)
    assert len(plain(series)) == 4


def replay(root: Path) -> dict[str, bytes]:
    clock = SimClock(T0)
    calendar = LocalCalendar(root, clock)
    first, second = weekly(), weekly(key="series/p2/2026-03", attendees=(BRUNO, CLAIRE))
    calendar.put_series(first)
    calendar.put_series(second)
    clock.advance(timedelta(days=3))
    calendar.change_occurrence(first.key, first.occurrences()[1], None)
    moved = second.occurrences()[2] + timedelta(hours=3)
    calendar.change_occurrence(second.key, second.occurrences()[2],
                               Interval(moved, moved + timedelta(hours=1)))
    calendar.put_series(replace(first, attendees=(ANNE,), title="Renamed"))
    calendar.end_series(second.key, second.occurrences()[3])
    return {p.name: p.read_bytes() for p in sorted((root / "calendars").iterdir())}


def test_replaying_the_same_calls_gives_identical_files(tmp_path: Path) -> None:
    one, two = replay(tmp_path / "one"), replay(tmp_path / "two")
    assert one == two and len(one) == 4
    assert b"Renamed" not in one[f"{BRUNO}.ics"]  # Bruno left the first series


def test_an_answer_is_reported_even_if_we_rewrite_that_file_first(tmp_path: Path) -> None:
    calendar = LocalCalendar(tmp_path, SimClock(T0))
    first, second = weekly(), weekly(key="series/p2/2026-03", attendees=(ANNE,))
    calendar.put_series(first)
    _, cursor = calendar.changes(None)
    TestLocalCalendar().answer(calendar, first.key, ANNE, None, "accepted")
    calendar.put_series(second)  # rewrites Anne's file before anyone looked
    changes, _ = calendar.changes(cursor)
    assert {c.key for c in changes} == {first.key, second.key}
    assert {r.status for r in calendar.responses(first.key, Interval(first.start, first.until))
            if r.attendee == ANNE} == {"accepted"}


def test_maildir_clients_see_each_message_once(tmp_path: Path) -> None:
    box = LocalMailbox(tmp_path)
    messages = [outgoing(f"<m{i}@binome.example.fr>") for i in range(3)]
    for message in messages + messages:
        box.send(message)
    folder = stdlib_mailbox.Maildir(tmp_path / "mail", create=False)
    stored = sorted(folder.get_file(k).read() for k in folder.keys())
    assert stored == sorted(m.raw for m in messages)
    name = box.file_name(messages[0].message_id)  # a mail client reads it: new/ -> cur/
    os.replace(tmp_path / "mail" / "new" / name, tmp_path / "mail" / "cur" / f"{name}:2,S")
    assert box.was_sent(messages[0].message_id)
    box.send(messages[0])
    assert len(stdlib_mailbox.Maildir(tmp_path / "mail", create=False)) == 3
    assert (tmp_path / "mail" / "cur" / f"{name}:2,S").read_bytes() == messages[0].raw


OPS = st.lists(st.tuples(st.sampled_from(["move", "cancel", "end", "retitle"]),
                         st.integers(0, 9), st.integers(-30, 30)), max_size=6)


@settings(max_examples=40, deadline=None)
@given(weeks=st.integers(1, 8), every=st.integers(1, 2), ops=OPS)
def test_files_follow_any_sequence_of_changes(tmp_path_factory: Any, weeks: int, every: int,
                                              ops: list[tuple[str, int, int]]) -> None:
    calendar = LocalCalendar(tmp_path_factory.mktemp("cal"), SimClock(T0))
    series = weekly(weeks=weeks, interval_weeks=every)
    series = replace(series, until=series.start + timedelta(weeks=every * (weeks - 1)))
    calendar.put_series(series)
    expected = {s: Interval(s, s + series.duration) for s in series.occurrences()}
    for op, index, hours in ops:
        live = sorted(expected)
        if not live:
            break
        original = live[index % len(live)]
        if op == "move":
            start = original + timedelta(hours=hours)
            expected[original] = Interval(start, start + series.duration)
            calendar.change_occurrence(series.key, original, expected[original])
        elif op == "cancel":
            calendar.change_occurrence(series.key, original, None)
            del expected[original]
            series = replace(series, cancelled=(*series.cancelled, original))
        elif op == "end":
            calendar.end_series(series.key, original)
            expected = {s: i for s, i in expected.items() if s < original}
            if expected:
                series = replace(series, until=max(expected))
        elif expected:
            series = replace(series, title=f"Title {hours}")
            calendar.put_series(series)
        for person in (ANNE, BRUNO, series.organizer):
            got = expansion(calendar.path(person), series.key)
            assert got == {(i.start, i.end) for i in expected.values()}
    if expected:
        with pytest.raises(PermanentError):
            calendar.change_occurrence(series.key, series.start + timedelta(minutes=1), None)
