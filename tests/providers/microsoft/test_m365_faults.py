"""Three weeks of the small programme on the `microsoft365` backend under 20% faults end as
three weeks without them (issue #15, "fault injection", on the Graph fake).

The real agent, the real HTTP client and the fake Graph of tests/fakes over HTTPS;
tests/faults.py sits between the agent and its backends, through their contract (the
fake itself is untouched). Each questionnaire gets its reply the next step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.parser import BytesHeaderParser
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from company import ADMIN, PEOPLE, PROGRAMME_EMAIL
from fakes.graph_auth import SECRET
from fakes.graph_server import FakeGraph
from faults import Faults, Hosted, faulty, settled_alike, weeks_of_replies
from harness import T0, Run

from microsoft.test_microsoft_cli import m365_settings

WEEKS, STEP = 3, timedelta(hours=2)


@pytest.fixture
def fakes(certs: tuple[Path, Path]) -> Iterator[tuple[FakeGraph, FakeGraph]]:
    users = {PROGRAMME_EMAIL, ADMIN, *PEOPLE}
    calm, stormy = FakeGraph(users=set(users)).start(*certs), FakeGraph(users=users).start(*certs)
    yield calm, stormy
    calm.close()
    stormy.close()


def scenario(make_programme: Callable[..., Any], fake: FakeGraph, ca: Path, folder: str,
             faults: Faults | None) -> tuple[Run, int]:
    programme = m365_settings(partial(make_programme, folder=folder), fake, ca, "app",
                              mailbox=None)
    run = Run(programme, wrap=None if faults is None else lambda c, m: faulty(c, m, faults))
    hosted = Hosted(lambda: [m.raw for m in list(fake.messages.values())
                             if m.folder == "sentitems"],
                    lambda raw: fake.deliver(PROGRAMME_EMAIL, raw) and None)
    return run, weeks_of_replies(run, hosted, T0 + timedelta(weeks=WEEKS), STEP, faults)


def test_three_weeks_under_faults_on_graph_end_as_without(
    make_programme: Callable[..., Any], fakes: tuple[FakeGraph, FakeGraph],
    certs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BINOME_TEST_M365_SECRET", SECRET)
    calm_fake, stormy_fake = fakes
    faults = Faults("graph", 0.2)
    calm, calm_replies = scenario(make_programme, calm_fake, certs[0], "calm", None)
    stormy, stormy_replies = scenario(make_programme, stormy_fake, certs[0], "stormy", faults)

    settled_alike("graph", faults, (calm, calm_replies), (stormy, stormy_replies))
    # Nothing twice in the mailbox: one sent message per key, one event per series.
    sent = Counter(str(BytesHeaderParser().parsebytes(m.raw)["X-Binome-Key"]).strip()
                   for m in stormy_fake.messages.values() if m.folder == "sentitems")
    assert max(sent.values()) == 1 and len(sent) >= 12
    for member in ("nadia@ex.fr", "emma@ex.fr"):
        key = stormy.series(member).key
        assert sum(1 for e in stormy_fake.events.values()
                   if key in e.ext.values() and not e.removed) == 1
