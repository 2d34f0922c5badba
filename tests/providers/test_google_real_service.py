"""The `google` backend against what Google really does where it is awkward (issue #16).

Each `real_service_` test failed on the backend before the fix, against a fake that
behaves as the service is documented or reported to (the sources are cited in the
fakes): Gmail replaces the Message-ID of what its API sends; a message deleted for
good keeps its id in the history; Calendar's usage limits last hours.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from company import PROGRAMME_EMAIL
from contract.calendar_contract import ANNE, BRUNO, ORGANIZER, everything, weekly
from contract.mailbox_contract import outgoing, raw_message
from fakes.google_fixtures import delegate, running
from fakes.google_server import FakeGoogle
from harness import HOUR, Run, command, objectives_due
from test_google_agent import google_edits, sent
from test_google_provider import T0, google_calendar, google_mailbox

from agent.core.clock import SimClock
from agent.core.errors import TemporaryError
from agent.core.model import Interval
from agent.core.store import Store

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


@pytest.fixture
def run(make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path) -> Run:
    delegate(fake, PROGRAMME_EMAIL)
    return Run(make_programme(edits=google_edits(fake, tmp_path)))


def keys_sent(fake: FakeGoogle) -> Counter[str]:
    heads = [BytesHeaderParser().parsebytes(m.raw) for m in fake.gmail.sent(PROGRAMME_EMAIL)]
    return Counter(str(h["X-Binome-Key"]).strip() for h in heads)


# -- 1. Gmail replaces the Message-ID of a message sent through the API ---------------------
def test_real_service_a_mail_sent_before_a_crash_is_not_sent_again_under_gmail_s_own_id(
        run: Run, fake: FakeGoogle) -> None:
    prepared = objectives_due(run)
    for p in prepared:  # sent; the agent dies before recording it
        run.agent.mailbox.send(p.payload.outgoing)
    ids = {m.message_id for m in fake.gmail.sent(PROGRAMME_EMAIL)}
    assert not ids & {p.payload.outgoing.message_id for p in prepared}  # Gmail renamed them
    run.agent = run.fresh()
    report = run.tick()
    assert sorted(o.result for o in report.outcomes if o.kind == "mail") == ["done"] * 2
    assert {k: n for k, n in keys_sent(fake).items() if k.startswith("mail/objectives/")} == {
        p.action.key: 1 for p in prepared}
    assert Store(run.settings.state_dir).pending() == []


def test_real_service_a_reply_citing_gmail_s_message_id_reaches_its_session(
        run: Run, fake: FakeGoogle) -> None:
    run.tick()
    occ = run.series("nadia@ex.fr").occurrences()[0]
    run.tick(occ - 23 * HOUR)
    [objectives] = [m for m in sent(fake, "mail/objectives/") if m.to == "nadia@ex.fr"]
    assert objectives.message_id.endswith("@mail.gmail.com>")  # what Nadia's client sees
    # Objectives carry no reply token in their subject: only the Message-ID ties a reply.
    fake.gmail.deliver(PROGRAMME_EMAIL, command(objectives, "nadia@ex.fr", "PAUSE",
                                                "<nadia-pause@ex.fr>", run.clock.now()))
    run.tick(run.clock.now() + HOUR)
    store = Store(run.settings.state_dir)
    assert dict(store.all("quarantine")) == {}
    assert dict(store.all("optout"))["nadia@ex.fr"]["mode"] == "pause"


def test_a_lost_answer_to_a_send_is_settled_by_the_key_gmail_keeps(fake: FakeGoogle) -> None:
    message = outgoing("<objectives.9@binome.example.fr>")
    fake.fail("gmail.users.messages.send", 500, "backendError", after=True)  # sent, answer lost
    done = google_mailbox(fake, SimClock(T0)).deliver(message)
    [landed] = fake.gmail.sent(ORGANIZER)
    assert (done.ref, done.message_id) == (landed.id, landed.message_id)
    assert done.message_id != message.message_id
    again = google_mailbox(fake, SimClock(T0))  # another process, nothing in memory
    assert again.delivery(message) == done
    assert again.deliver(message) == done and len(fake.gmail.sent(ORGANIZER)) == 1
    assert again.delivery(outgoing("<objectives.10@binome.example.fr>")) is None


def test_the_send_is_settled_the_same_if_gmail_kept_our_message_id(fake: FakeGoogle) -> None:
    fake.gmail.keeps_message_id = True  # not what Gmail does today; the code works either way
    message = outgoing("<objectives.11@binome.example.fr>")
    done = google_mailbox(fake, SimClock(T0)).deliver(message)
    assert done.message_id == message.message_id
    assert google_mailbox(fake, SimClock(T0)).delivery(message) == done


# -- 2. A message deleted for good leaves its id in the history ------------------------------
def test_real_service_a_message_deleted_for_good_does_not_stick_the_inbox(
        fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    fake.gmail.deliver(ORGANIZER, raw_message("<r0@example.fr>"))
    found, cursor = mailbox.receive(None)
    mailbox.acknowledge([m.ref for m in found])
    gone = fake.gmail.deliver(ORGANIZER, raw_message("<r1@example.fr>"))
    for i in (2, 3):
        fake.gmail.deliver(ORGANIZER, raw_message(f"<r{i}@example.fr>"))
    fake.gmail.delete_for_good(ORGANIZER, gone)  # e.g. emptied from the Trash by a person
    for _ in range(2):  # each tick asks again from the same cursor until acknowledged
        found, _ = mailbox.receive(cursor)  # the history still names r1; fetched in a batch
        assert [m.raw for m in found] == [raw_message(f"<r{i}@example.fr>") for i in (2, 3)]
    mailbox.acknowledge([m.ref for m in found])
    assert mailbox.receive(cursor)[0] == []


# -- 7. Calendar's usage limits last hours ---------------------------------------------------
def test_real_service_calendar_usage_limits_pause_changes_for_hours_not_reading_nor_mail(
        fake: FakeGoogle, caplog: pytest.LogCaptureFixture) -> None:
    clock = SimClock(T0)
    waits: list[float] = []
    calendar = google_calendar(fake, clock, sleep=waits.append)
    mailbox = google_mailbox(fake, clock, sleep=waits.append)
    booked = weekly()
    calendar.put_series(booked)
    fake.trip_usage_limits(5, lambda: clock.now().timestamp())
    caplog.set_level(logging.ERROR)
    calls = len(fake.calls)
    with pytest.raises(TemporaryError, match="quotaExceeded") as caught:
        calendar.put_series(weekly(key="series/p2/2026-03"))
    assert caught.value.retry_after is not None and caught.value.retry_after >= 3600
    for i in range(3, 6):  # tick after tick: nothing is asked of Google until the pause ends
        clock.advance(timedelta(minutes=15))
        with pytest.raises(TemporaryError, match="refuses changes"):
            calendar.put_series(weekly(key=f"series/p{i}/2026-03"))
    with pytest.raises(TemporaryError):
        calendar.end_series(booked.key, booked.occurrences()[2])
    assert fake.calls[calls:] == ["calendar.events.insert", "calendar.events.get"]
    assert waits == []  # no minute-long waits for a limit that lasts hours
    assert len([r for r in caplog.records if "usage limits" in r.getMessage()]) == 1
    # Reading goes on (Google: users "will still be able to view events"), and so does mail.
    assert len(calendar.free_busy([ANNE], everything(booked))[ANNE]) == 4
    assert calendar.changes(None)[0]
    mailbox.send(outgoing("<objectives.12@binome.example.fr>"))
    clock.advance(timedelta(hours=5))
    calendar.put_series(weekly(key="series/p2/2026-03"))  # the pause is over
    assert calendar.find_series("series/p2/2026-03") is not None


# -- smaller ones -----------------------------------------------------------------------------
def test_free_busy_over_more_than_90_days_is_asked_in_pieces(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly(weeks=20)
    calendar.put_series(series)
    window = Interval(T0, T0 + timedelta(days=150))  # the fake, as Google, refuses > ~90 days
    busy = calendar.free_busy([ANNE, BRUNO], window)
    assert [b.start for b in busy[ANNE]] == series.occurrences()
    assert fake.calendar.freebusy_sizes == [2, 2]


def test_ending_a_series_is_one_patch_and_one_mail_per_attendee(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly(weeks=10)
    calendar.put_series(series)
    fake.calendar.notices.clear()
    writes = len(fake.calls)
    calendar.end_series(series.key, series.occurrences()[3])
    assert fake.calls[writes:] == ["calendar.events.get", "calendar.events.patch"]
    assert sorted(fake.calendar.notices) == sorted(
        ("update", who, calendar.find_series(series.key)) for who in (ANNE, BRUNO))
