"""The real agent on the microsoft365 backend: the foundation's crash-recovery
scenarios (tests/loop/test_agent.py) replayed against the fake Graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.graph_auth import SECRET
from fakes.graph_server import FakeGraph
from harness import Run, objectives_due, record_intents

from agent.core.store import Store
from microsoft.test_microsoft_cli import m365_settings

PROGRAMME_EMAIL, ADMIN = "binome@atelier-lumiere.fr", "rh@atelier-lumiere.fr"


@pytest.fixture
def run(make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("BINOME_TEST_M365_SECRET", SECRET)
    programme = m365_settings(make_programme, fake, certs[0], "app", mailbox=None)
    lines = programme.roster.read_text(encoding="utf-8").splitlines()[1:]
    fake.users |= {PROGRAMME_EMAIL, ADMIN, *(line.split(";")[0] for line in lines)}
    return Run(programme)


def events_with(fake: FakeGraph, key: str) -> int:
    return sum(1 for e in fake.events.values() if key in e.ext.values() and not e.removed)


def sent(fake: FakeGraph, message_id: str) -> int:
    return sum(1 for m in fake.messages.values()
               if m.folder == "sentitems" and m.internet_message_id == message_id)


def test_a_tick_books_each_series_in_the_programme_mailbox(run: Run, fake: FakeGraph) -> None:
    report = run.tick()
    booked = [o for o in report.outcomes if o.kind == "book"]
    assert len(booked) == 2 and all(o.ok for o in booked)
    for member in ("nadia@ex.fr", "emma@ex.fr"):
        series = run.series(member)
        assert events_with(fake, series.key) == 1
        [event] = [e for e in fake.events.values() if series.key in e.ext.values()]
        assert event.owner == PROGRAMME_EMAIL and member in event.attendees
        assert len(event.occurrences()) == len(series.occurrences())


def test_booking_intent_without_done_books_each_series_once_after_a_crash(
        run: Run, fake: FakeGraph) -> None:
    prepared = record_intents(run, "book")
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "book") == ["done"] * 2
    for p in prepared:
        assert events_with(fake, p.payload.series.key) == 1
    assert Store(run.settings.state_dir).pending() == []


def test_series_put_but_not_finished_is_found_not_booked_again(run: Run,
                                                               fake: FakeGraph) -> None:
    prepared = record_intents(run, "book")
    for p in prepared:  # the outward call happened; the crash came before `finish`
        run.agent.calendar.put_series(p.payload.series)
    posts = sum(1 for line in fake.log if line.endswith("/events") and line.startswith("POST"))
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "book") == ["done"] * 2
    assert sum(1 for line in fake.log
               if line.endswith("/events") and line.startswith("POST")) == posts
    store = Store(run.settings.state_dir)
    for p in prepared:
        key = p.payload.series.key
        action = store.action(p.action.key)
        assert action is not None and action["ref"] == run.agent.calendar.find_series(key)
        assert events_with(fake, key) == 1


def test_mail_sent_but_not_finished_is_recorded_done_without_sending_again(
        run: Run, fake: FakeGraph) -> None:
    prepared = objectives_due(run)
    for p in prepared:
        run.agent.mailbox.send(p.payload.outgoing)
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "mail") == ["done"] * 2
    for p in prepared:
        assert sent(fake, p.payload.outgoing.message_id) == 1
        action = Store(run.settings.state_dir).action(p.action.key)
        assert action is not None and action["ref"] == p.payload.outgoing.message_id


def test_mail_intent_without_done_is_sent_exactly_once_after_a_crash(
        run: Run, fake: FakeGraph) -> None:
    prepared = objectives_due(run)
    run.agent = run.fresh()
    run.tick()
    run.tick()
    for p in prepared:
        assert sent(fake, p.payload.outgoing.message_id) == 1
    assert Store(run.settings.state_dir).pending() == []
