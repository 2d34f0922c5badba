"""The foundation's crash test on both Microsoft backends: `binome tick` killed at random.

As for Google (tests/providers/test_google_crash.py): each stage (booking, the day before
the first session, just after it) is a `binome tick --at T` process, run
against the fake Graph or the fake EWS (in this process, over HTTP) and
killed with SIGKILL after a random delay, again and again, then run to the
end. The fakes answer each call after a short delay so that kills land
between calls. Afterwards the programme mailbox holds exactly one event per
series and one sent message per mail key, and the ledger has nothing in flight.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.ews_server import FakeEws
from fakes.graph_auth import SECRET
from fakes.graph_server import FakeGraph
from ticking import KILLS_PER_STAGE, kill_through_stages

from agent.core.store import Store
from microsoft.test_exchange import PASSWORD, USER, ews  # noqa: F401
from microsoft.test_microsoft_cli import BACKEND, m365_settings

PROGRAMME_EMAIL, ADMIN = "binome@atelier-lumiere.fr", "rh@atelier-lumiere.fr"


def everyone(programme: Any) -> set[str]:
    lines = programme.roster.read_text(encoding="utf-8").splitlines()[1:]
    return {PROGRAMME_EMAIL, ADMIN, *(line.split(";")[0] for line in lines)}


def check_ledger(state: Path, keys: list[str], sent_ids: list[str]) -> None:
    store = Store(state, readonly=True)
    assert store.pending() == []
    booked = [k for k, a in store.all("actions") if a["kind"] == "book" and a["status"] == "done"]
    assert sorted(keys) == sorted(booked) and len(keys) == 2  # one event per series
    mailed = {k: a for k, a in store.all("actions") if a["kind"] == "mail"
              and a["status"] == "done"}
    # Four introductions, then the first session's objectives and questionnaires.
    assert Counter(k.split("/")[1] for k in mailed) == {
        "intro": 4, "objectives": 2, "questionnaire": 2}
    messages = [dict(store.all("messages")).get(a.get("ref", ""), {}) for a in mailed.values()]
    per_id = Counter(sent_ids)
    assert set(per_id.values()) == {1}  # no message sent twice
    assert len(per_id) == len(mailed), (messages, per_id)


def test_microsoft365_kills_at_random_instants_create_nothing_twice(
        make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINOME_TEST_M365_SECRET", SECRET)  # inherited by the tick processes
    programme = m365_settings(make_programme, fake, certs[0], "app", mailbox=None)
    fake.users |= everyone(programme)

    def slow() -> None:
        fake.delay = 0.15

    mid_run = kill_through_stages(programme.config, programme.state, lambda: len(fake.log), slow)
    keys = [v for e in fake.events.values() if not e.removed and e.owner == PROGRAMME_EMAIL
            for v in e.ext.values() if str(v).startswith("series/")]
    sent = [m.internet_message_id for m in fake.messages.values() if m.folder == "sentitems"]
    check_ledger(programme.state, keys, sent)
    print(f"\nmicrosoft365 crash test: {mid_run} of {3 * KILLS_PER_STAGE} kills landed mid-run")
    assert mid_run >= 1


def test_exchange_kills_at_random_instants_create_nothing_twice(
        make_programme: Callable[..., Any], ews: FakeEws,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINOME_TEST_EWS_PASSWORD", PASSWORD)
    table = (f'calendar = "exchange"\nmail = "exchange"\n\n[backend.exchange]\n'
             f'endpoint = "{ews.endpoint}"\nusername = "{USER.replace(chr(92), chr(92) * 2)}"\n'
             f'password_env = "BINOME_TEST_EWS_PASSWORD"\nauth = "basic"\nmax_wait_seconds = 1\n')
    programme = make_programme(edits={BACKEND: table})
    ews.users |= everyone(programme)
    ews.default_user = PROGRAMME_EMAIL

    def slow() -> None:
        ews.delay = 0.15

    mid_run = kill_through_stages(programme.config, programme.state, lambda: len(ews.log), slow)
    items = [i for i in ews.store.items.values() if not i.removed]
    keys = [i.ext["BinomeKey"] for i in items if str(i.ext.get("BinomeKey", "")).startswith(
        "series/") and i.owner == PROGRAMME_EMAIL]
    sent = [i.internet_message_id for i in items if i.folder == "sentitems"]
    check_ledger(programme.state, keys, sent)
    print(f"\nexchange crash test: {mid_run} of {3 * KILLS_PER_STAGE} kills landed mid-run")
    assert mid_run >= 1
