"""Three weeks of the small programme on the `google` backend under 20% faults end as
three weeks without them (issue #15, "fault injection", on the Google fake).

The real agent, the real client library and the fake Google of tests/fakes over HTTP;
tests/faults.py sits between the agent and its backends, through their contract (the
fake itself is untouched). Each questionnaire gets its reply the next step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from company import PROGRAMME_EMAIL
from fakes.google_fixtures import delegate
from fakes.google_server import FakeGoogle
from faults import Faults, Hosted, faulty, settled_alike, weeks_of_replies
from harness import T0, Run
from test_google_agent import google_edits

if TYPE_CHECKING:
    from company import Programme

WEEKS, STEP = 3, timedelta(hours=2)


@pytest.fixture
def fakes() -> Iterator[tuple[FakeGoogle, FakeGoogle]]:
    calm, stormy = FakeGoogle().start(), FakeGoogle().start()
    yield calm, stormy
    calm.stop()
    stormy.stop()


def scenario(make_programme: Callable[..., Programme], fake: FakeGoogle, folder: Path,
             faults: Faults | None) -> tuple[Run, int]:
    delegate(fake, PROGRAMME_EMAIL)
    folder.mkdir()
    programme = make_programme(folder=folder.name, edits=google_edits(fake, folder))
    run = Run(programme, wrap=None if faults is None else lambda c, m: faulty(c, m, faults))
    hosted = Hosted(lambda: [m.raw for m in fake.gmail.sent(PROGRAMME_EMAIL)],
                    lambda raw: fake.gmail.deliver(PROGRAMME_EMAIL, raw) and None)
    return run, weeks_of_replies(run, hosted, T0 + timedelta(weeks=WEEKS), STEP, faults)


def test_three_weeks_under_faults_on_google_end_as_without(
    make_programme: Callable[..., Programme], fakes: tuple[FakeGoogle, FakeGoogle],
    tmp_path: Path,
) -> None:
    calm_fake, stormy_fake = fakes
    faults = Faults("google", 0.2)
    calm, calm_replies = scenario(make_programme, calm_fake, tmp_path / "calm", None)
    stormy, stormy_replies = scenario(make_programme, stormy_fake, tmp_path / "stormy", faults)

    settled_alike("google", faults, (calm, calm_replies), (stormy, stormy_replies))
    # Nothing twice at Google: one message per key, one recurring event per series.
    sent = Counter(str(BytesHeaderParser().parsebytes(m.raw)["X-Binome-Key"]).strip()
                   for m in stormy_fake.gmail.sent(PROGRAMME_EMAIL))
    assert max(sent.values()) == 1 and len(sent) >= 12
    masters = [e for e in stormy_fake.calendar.calendars[PROGRAMME_EMAIL].values()
               if not e.get("recurringEventId")]
    assert len(masters) == 2
