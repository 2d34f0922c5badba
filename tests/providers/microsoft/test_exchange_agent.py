"""The real agent on the exchange backend: the foundation's crash-recovery
scenarios (tests/loop/test_agent.py) replayed against the fake EWS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.ews_server import FakeEws
from harness import Run, objectives_due, record_intents

from agent.core.store import Store
from microsoft.test_exchange import PASSWORD, USER, ews  # noqa: F401
from microsoft.test_microsoft_cli import BACKEND

PROGRAMME_EMAIL, ADMIN = "binome@atelier-lumiere.fr", "rh@atelier-lumiere.fr"


@pytest.fixture
def run(make_programme: Callable[..., Any], ews: FakeEws,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("BINOME_TEST_EWS_PASSWORD", PASSWORD)
    table = (f'calendar = "exchange"\nmail = "exchange"\n\n[backend.exchange]\n'
             f'endpoint = "{ews.endpoint}"\nusername = "{USER.replace(chr(92), chr(92) * 2)}"\n'
             f'password_env = "BINOME_TEST_EWS_PASSWORD"\nauth = "basic"\nmax_wait_seconds = 1\n')
    programme = make_programme(edits={BACKEND: table})
    lines = programme.roster.read_text(encoding="utf-8").splitlines()[1:]
    ews.users |= {PROGRAMME_EMAIL, ADMIN, *(line.split(";")[0] for line in lines)}
    ews.default_user = PROGRAMME_EMAIL
    return Run(programme)


def items_with(ews: FakeEws, key: str) -> int:  # noqa: F811
    return sum(1 for i in ews.store.items.values() if i.ext.get("BinomeKey") == key
               and not i.removed)


def sent(ews: FakeEws, message_id: str) -> int:  # noqa: F811
    return sum(1 for i in ews.store.items.values()
               if i.folder == "sentitems" and i.internet_message_id == message_id)


def test_a_tick_books_each_series_in_the_programme_mailbox(run: Run,
                                                           ews: FakeEws) -> None:  # noqa: F811
    report = run.tick()
    booked = [o for o in report.outcomes if o.kind == "book"]
    assert len(booked) == 2 and all(o.ok for o in booked)
    for member in ("nadia@ex.fr", "emma@ex.fr"):
        series = run.series(member)
        [item] = [i for i in ews.store.items.values() if i.ext.get("BinomeKey") == series.key]
        assert item.owner == PROGRAMME_EMAIL and item.attendees[member] == "Unknown"
        assert [o for o, _, _ in item.live()] == series.occurrences()


def test_series_put_but_not_finished_is_found_not_booked_again(run: Run,
                                                               ews: FakeEws) -> None:  # noqa: F811
    prepared = record_intents(run, "book")
    for p in prepared:  # the outward call happened; the crash came before `finish`
        run.agent.calendar.put_series(p.payload.series)
    creates = ews.log.count("CreateItem")
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "book") == ["done"] * 2
    assert ews.log.count("CreateItem") == creates + sum(
        1 for o in report.outcomes if o.kind == "mail")  # no series created again
    for p in prepared:
        assert items_with(ews, p.payload.series.key) == 1
    assert Store(run.settings.state_dir).pending() == []


def test_mail_sent_but_not_finished_is_recorded_done_without_sending_again(
        run: Run, ews: FakeEws) -> None:  # noqa: F811
    prepared = objectives_due(run)
    for p in prepared:
        run.agent.mailbox.send(p.payload.outgoing)
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "mail") == ["done"] * 2
    for p in prepared:
        assert sent(ews, p.payload.outgoing.message_id) == 1
