"""The crash test on the `google` backend: `binome tick` killed at random instants.

Each stage (booking, objectives, questionnaires) is a `binome tick --at T`
process run against the fake Google (in this process, over HTTP) and killed
with SIGKILL after a random delay, again and again, then run to the end. The
fake answers each call after a short latency so that kills land between calls.
Afterwards Google holds one event per series and one message per key, and the
ledger has nothing left in flight.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from company import PROGRAMME_EMAIL
from fakes.google_fixtures import delegate, running
from fakes.google_server import FakeGoogle
from test_google_agent import google_edits
from ticking import finish, tick

from agent.core.store import Store

if TYPE_CHECKING:
    from company import Programme

PARIS = ZoneInfo("Europe/Paris")
KILLS_PER_STAGE = int(os.environ.get("GOOGLE_CRASH_KILLS", "3"))
SEED = int(os.environ.get("CRASH_SEED", "20260901"))


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


def test_kills_at_random_instants_create_nothing_twice(
        make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path) -> None:
    delegate(fake, PROGRAMME_EMAIL)
    programme = make_programme(edits=google_edits(fake, tmp_path))
    settings = programme.settings()
    rng = random.Random(SEED)
    started = time.monotonic()
    idle = tick(programme.config, datetime(2026, 8, 1, 9, tzinfo=PARIS))  # before the programme
    finish(idle)
    startup = time.monotonic() - started
    fake.latency = 0.03
    stages = [datetime(2026, 9, 1, 7, tzinfo=PARIS)]
    mid_run = 0
    for index in range(3):
        at = stages[index]
        for _ in range(KILLS_PER_STAGE):
            before = len(fake.calls)
            proc = tick(programme.config, at)
            try:
                proc.wait(timeout=rng.uniform(0.7 * startup, startup + 0.8))
                finish(proc)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.communicate()
                mid_run += len(fake.calls) > before
        finish(tick(programme.config, at))
        if index == 0:  # the next stages: the day before the first session, then after it
            store = Store(settings.state_dir, readonly=True)
            first = min(doc["start"] for _, doc in store.all("series"))
            start = datetime.fromisoformat(first)
            stages += [start - timedelta(hours=23), start + timedelta(hours=3)]
    print(f"\ngoogle crash test: {mid_run} of {3 * KILLS_PER_STAGE} kills landed mid-run "
          f"(start-up {startup:.1f} s)")

    store = Store(settings.state_dir, readonly=True)
    assert store.pending() == []
    masters = [e for e in fake.calendar.calendars[PROGRAMME_EMAIL].values()
               if "recurringEventId" not in e]
    keys = [e["extendedProperties"]["private"]["binomeKey"] for e in masters]
    booked = [k for k, a in store.all("actions") if a["kind"] == "book" and a["status"] == "done"]
    assert sorted(keys) == sorted(booked) and len(keys) == 2
    sent = [BytesHeaderParser().parsebytes(m.raw) for m in fake.gmail.sent(PROGRAMME_EMAIL)]
    per_key = Counter(str(h["X-Binome-Key"]).strip() for h in sent)
    mailed = [k for k, a in store.all("actions") if a["kind"] == "mail" and a["status"] == "done"]
    # Four introductions, then the first session's objectives and questionnaires.
    assert sorted(per_key) == sorted(mailed) and len(mailed) == 8
    assert Counter(k.split("/")[1] for k in mailed) == {
        "intro": 4, "objectives": 2, "questionnaire": 2}
    assert set(per_key.values()) == {1}  # no message sent twice
    assert mid_run >= 1
