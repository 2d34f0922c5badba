"""The `google` backend beyond the contract: crashes, retries, resyncs, batches, threads, auth.

Everything goes through the real google-api-python-client and google-auth to
the fake Google of tests/fakes over HTTP; waits are recorded, not slept.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from contract.calendar_contract import ANNE, BRUNO, ORGANIZER, everything, weekly
from contract.mailbox_contract import outgoing, raw_message
from fakes.google_fixtures import delegate, running, service_account_key
from fakes.google_server import FakeGoogle
from test_google_provider import T0, google_calendar, google_mailbox

from agent.core.clock import SimClock
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Interval, Outgoing
from agent.providers.google.auth import CALENDAR_SCOPES, service_account_credentials
from agent.providers.google.connect import connect_calendar
from agent.providers.google.events import event_id, key_of
from agent.providers.google.http import Policy

HOUR = timedelta(hours=1)


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


class Waits(list[float]):
    """Stands in for time.sleep: records each wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def calendar_with_waits(fake: FakeGoogle, waits: Waits, **policy: float) -> object:
    return google_calendar(fake, SimClock(T0), sleep=waits, rand=random.Random(7),
                           policy=Policy(**policy))  # type: ignore[arg-type]


# -- ids ---------------------------------------------------------------------------------
def test_event_ids_are_base32hex_of_the_key_and_read_back() -> None:
    for key in ("series/p-2026-09-01-abc/2026-09", "series/é/1", "s" * 600):
        eid = event_id(key)
        assert set(eid) <= set("0123456789abcdefghijklmnopqrstuv") and 5 <= len(eid) <= 1024
        assert key_of(eid) == key
        assert key_of(f"{eid}_20260302T090000Z") == key
    with pytest.raises(PermanentError):
        event_id("x" * 700)  # 1120 characters once encoded


def test_cancelled_dates_are_exdate_lines_google_expands(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    plain = weekly(weeks=9, interval_weeks=2)  # until 8 weeks on: 5 dates
    skipped = plain.occurrences()[1]
    series = weekly(weeks=9, interval_weeks=2, cancelled=(skipped,))
    calendar.put_series(series)
    master = fake.calendar.calendars[ORGANIZER][event_id(series.key)]
    assert master["recurrence"] == [
        "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260427T080000Z",
        "EXDATE;TZID=Europe/Paris:20260316T100000"]
    starts = sorted({r.occurrence for r in calendar.responses(series.key, everything(series))})
    assert starts == series.occurrences() and skipped not in starts and len(starts) == 4
    busy = calendar.free_busy([ANNE], everything(series))[ANNE]
    assert [b.start for b in busy] == series.occurrences()


# -- idempotent create -------------------------------------------------------------------
def test_an_insert_whose_answer_was_lost_is_read_back_not_created_twice(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly()
    fake.fail("calendar.events.insert", 503, "backendError", after=True)  # done, answer lost
    ref = calendar.put_series(series)
    assert ref == event_id(series.key)
    assert fake.calls.count("calendar.events.insert") == 2  # the retry got 409
    assert fake.count("calendar.events.patch") == 0  # same series: nothing to update
    masters = [e for e in fake.calendar.calendars[ORGANIZER].values()
               if "recurringEventId" not in e]
    assert len(masters) == 1


def test_after_a_crash_a_new_process_finds_the_series_and_books_nothing(fake: FakeGoogle) -> None:
    series = weekly()
    google_calendar(fake, SimClock(T0)).put_series(series)
    before = dict(fake.calendar.calendars[ORGANIZER])
    again = google_calendar(fake, SimClock(T0))  # the agent restarted
    assert again.find_series(series.key) == event_id(series.key)
    assert again.put_series(series) == event_id(series.key)
    assert fake.calendar.calendars[ORGANIZER] == before  # no write at all


def test_a_mail_whose_answer_was_lost_is_found_not_sent_again(fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    message = outgoing("<objectives.9@binome.example.fr>")
    fake.fail("gmail.users.messages.send", 500, "backendError", after=True)  # sent, answer lost
    ref = mailbox.send(message)
    assert fake.count("gmail.users.messages.send") == 1  # a send is never blindly repeated
    [sent] = fake.gmail.sent(ORGANIZER)
    assert ref == sent.id


def test_a_send_that_failed_before_gmail_acted_is_retried_by_the_agent(fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    message = outgoing("<objectives.10@binome.example.fr>")
    fake.fail("gmail.users.messages.send", 503, "backendError")  # refused before sending
    with pytest.raises(TemporaryError, match="checked before any new attempt"):
        mailbox.send(message)
    assert fake.gmail.sent(ORGANIZER) == []
    mailbox.send(message)  # the agent's next tick
    mailbox.send(message)
    assert len(fake.gmail.sent(ORGANIZER)) == 1


def test_a_delete_whose_answer_was_lost_is_done(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly()
    calendar.put_series(series)
    second = series.occurrences()[1]
    fake.fail("calendar.events.delete", 502, "backendError", after=True)
    calendar.change_occurrence(series.key, second, None)  # the retry gets 410 Gone
    fake.fail("calendar.events.delete", 502, "backendError", after=True)
    calendar.end_series(series.key, series.start - timedelta(days=1))
    assert calendar.responses(series.key, Interval(series.start, series.until)) == []
    assert fake.count("calendar.events.delete") == 4


# -- retries -----------------------------------------------------------------------------
def test_429_waits_at_least_retry_after(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits)
    fake.fail("calendar.events.insert", 429, "rateLimitExceeded", retry_after="3", times=2)
    calendar.put_series(weekly())  # type: ignore[attr-defined]
    assert len(waits) == 2 and all(w >= 3 for w in waits)
    assert fake.count("calendar.events.insert") == 3


def test_403_rate_limits_and_5xx_back_off_exponentially_with_jitter(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits, base=0.01, cap=1.0)
    fake.fail("calendar.events.insert", 403, "userRateLimitExceeded")
    fake.fail("calendar.events.insert", 403, "rateLimitExceeded")
    fake.fail("calendar.events.insert", 503, "backendError")
    fake.fail("calendar.events.insert", 500, "backendError")
    calendar.put_series(weekly())  # type: ignore[attr-defined]
    assert len(waits) == 4
    for attempt, wait in enumerate(waits):
        full = 0.01 * 2 ** attempt
        assert full / 2 <= wait <= full  # jitter within the doubled step
    assert len(set(waits)) == 4


def test_booking_many_series_under_a_rate_limit_waits_just_enough(fake: FakeGoogle) -> None:
    clock = SimClock(T0)
    waits = Waits()

    def sleep(seconds: float) -> None:  # the waits move the clock the fake's limit reads
        waits(seconds)
        clock.advance(timedelta(seconds=seconds))

    calendar = google_calendar(fake, clock, sleep=sleep, rand=random.Random(3))
    fake.limit_rate(10, 60.0, lambda: clock.now().timestamp())
    for i in range(25):
        calendar.put_series(weekly(key=f"series/p{i}/2026-03"))
    assert fake.count("calendar.events.insert") == 25 + fake.rejected
    assert len([e for e in fake.calendar.calendars[ORGANIZER].values()]) == 25
    assert fake.rejected == len(waits) >= 2
    assert 120 <= sum(waits) <= 130  # two windows of 60 s, and not much more


def test_waits_are_bounded_then_a_temporary_error_says_when(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits, max_wait=60.0)
    fake.fail("calendar.freebusy.query", 429, "rateLimitExceeded", retry_after="25", times=99)
    window = Interval(T0, T0 + timedelta(days=7))
    with pytest.raises(TemporaryError) as caught:
        calendar.free_busy([ANNE], window)  # type: ignore[attr-defined]
    assert sum(waits) <= 60.0 and waits == [25.0, 25.0]
    assert caught.value.retry_after == 25.0
    assert "429" in str(caught.value) and "free/busy" in str(caught.value)


def test_retry_after_as_an_http_date_is_read_against_the_clock(fake: FakeGoogle) -> None:
    waits = Waits()
    clock = SimClock(datetime.now(UTC))
    mailbox = google_mailbox(fake, clock, sleep=waits)
    later = format_datetime(clock.now() + timedelta(seconds=20), usegmt=True)
    fake.fail("gmail.users.messages.list", 429, "rateLimitExceeded", retry_after=later)
    assert not mailbox.was_sent("<nothing@binome.example.fr>")
    assert len(waits) == 1 and 18 <= waits[0] <= 21


def test_quota_exceeded_is_not_waited_for_but_handed_back_for_hours(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits, usage_pause=3 * 3600.0)
    fake.fail("calendar.events.get", 403, "quotaExceeded")
    with pytest.raises(TemporaryError, match="403 quotaExceeded") as caught:
        calendar.find_series("series/none")  # type: ignore[attr-defined]
    assert caught.value.retry_after == 3 * 3600.0 and waits == []
    assert calendar.find_series("series/none") is None  # type: ignore[attr-defined]


def test_client_errors_are_permanent_and_not_retried(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits)
    with pytest.raises(PermanentError) as caught:
        calendar.put_series(weekly(timezone="Europe/Nowhere"))  # type: ignore[attr-defined]
    assert waits == []
    fake.fail("calendar.events.insert", 403, "forbiddenForNonOrganizer")
    with pytest.raises(PermanentError) as caught:
        calendar.put_series(weekly())  # type: ignore[attr-defined]
    assert "forbiddenForNonOrganizer" in str(caught.value) and waits == []


# -- resync ------------------------------------------------------------------------------
def test_an_expired_sync_token_means_a_full_listing(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    first, second = weekly(), weekly(key="series/p2/2026-03")
    calendar.put_series(first)
    calendar.put_series(second)
    _, cursor = calendar.changes(None)
    assert calendar.changes(cursor)[0] == []  # our own writes are not people's changes
    fake.calendar.expire_sync_tokens()
    changes, cursor = calendar.changes(cursor)
    assert {c.key for c in changes} == {first.key, second.key}
    fake.calendar.respond(ORGANIZER, event_id(first.key), ANNE, "declined")
    changes, _ = calendar.changes(cursor)
    assert [(c.key, c.kind) for c in changes] == [(first.key, "responses")]


def test_our_own_moves_and_cancellations_are_not_reported(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly(weeks=6)
    calendar.put_series(series)
    _, cursor = calendar.changes(None)
    first, second = series.occurrences()[:2]
    calendar.change_occurrence(series.key, first, Interval(first + HOUR, first + 2 * HOUR))
    calendar.change_occurrence(series.key, second, None)
    calendar.end_series(series.key, series.occurrences()[4])
    assert calendar.changes(cursor)[0] == []


def test_an_update_keeps_what_people_moved_by_hand(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series = weekly()
    calendar.put_series(series)
    second = series.occurrences()[1]
    fake.calendar.move_by_hand(ORGANIZER, event_id(series.key), second, second + 3 * HOUR)
    calendar.put_series(weekly(title="Mentorat Excel (suite)"))
    [(_, patch)] = [(m, p) for m, p in fake.bodies if m == "calendar.events.patch"]
    assert set(patch) == {"summary", "extendedProperties"}  # not start, nor recurrence
    busy = calendar.free_busy([ANNE], everything(series))[ANNE]
    assert second + 3 * HOUR in [b.start for b in busy]


def test_moves_and_deletions_by_hand_are_reported_as_such(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    series, other = weekly(), weekly(key="series/p2/2026-03")
    calendar.put_series(series)
    calendar.put_series(other)
    _, cursor = calendar.changes(None)
    second = series.occurrences()[1]
    fake.calendar.move_by_hand(ORGANIZER, event_id(series.key), second, second + timedelta(days=1))
    fake.calendar.events_delete(ORGANIZER, {"calendarId": "primary",
                                            "eventId": event_id(other.key)}, {})
    changes, cursor = calendar.changes(cursor)
    assert {(c.key, c.kind) for c in changes} == {(series.key, "moved"), (other.key, "deleted")}
    assert calendar.find_series(other.key) is not None  # deleted by hand: never re-created


def test_an_expired_history_id_means_listing_the_inbox(fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    fake.gmail.deliver(ORGANIZER, raw_message("<r1@example.fr>"))
    found, cursor = mailbox.receive(None)
    mailbox.acknowledge([m.ref for m in found])
    fake.gmail.deliver(ORGANIZER, raw_message("<r2@example.fr>"))
    assert [m.raw for m in mailbox.receive(cursor)[0]] == [raw_message("<r2@example.fr>")]
    assert fake.count("gmail.users.history.list") == 1
    fake.gmail.deliver(ORGANIZER, raw_message("<r3@example.fr>"))
    fake.gmail.expire_history(ORGANIZER)
    again, _ = mailbox.receive(cursor)  # r2 is still not acknowledged
    assert [m.raw for m in again] == [raw_message(f"<r{i}@example.fr>") for i in (2, 3)]
    assert fake.count("gmail.users.history.list") == 2


def test_a_restarted_agent_gets_back_what_it_read_but_did_not_acknowledge(
        fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    fake.gmail.deliver(ORGANIZER, raw_message("<r1@example.fr>"))
    _, cursor = mailbox.receive(None)  # crash before acknowledging
    again, _ = google_mailbox(fake, SimClock(T0)).receive(cursor)
    assert [m.raw for m in again] == [raw_message("<r1@example.fr>")]


def test_every_page_is_read(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    mailbox = google_mailbox(fake, SimClock(T0))
    fake.calendar.page_cap, fake.gmail.page_cap = 3, 2
    keys = {f"series/p{i}/2026-03" for i in range(7)}
    for key in keys:
        calendar.put_series(weekly(key=key))
    changes, cursor = calendar.changes(None)
    assert {c.key for c in changes} == keys and fake.count("calendar.events.list") == 3
    assert len(calendar.responses("series/p1/2026-03", everything(weekly()))) == 8
    raws = [raw_message(f"<r{i}@example.fr>") for i in range(5)]
    for raw in raws:
        fake.gmail.deliver(ORGANIZER, raw)
    found, history = mailbox.receive(None)
    assert [m.raw for m in found] == raws and fake.count("gmail.users.messages.list") == 3
    mailbox.acknowledge([m.ref for m in found])
    for i in range(5, 10):
        fake.gmail.deliver(ORGANIZER, raw_message(f"<r{i}@example.fr>"))
    assert len(mailbox.receive(history)[0]) == 5
    assert fake.count("gmail.users.history.list") == 3


# -- batching ----------------------------------------------------------------------------
def test_free_busy_of_many_people_is_one_batch_of_queries_of_50(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    people = [f"p{i:03d}@example.fr" for i in range(120)]
    series = weekly(attendees=tuple(people))
    calendar.put_series(series)
    requests = fake.http_requests
    busy = calendar.free_busy(people, Interval(T0, T0 + timedelta(weeks=6)))
    assert fake.http_requests - requests == 1  # one batch HTTP request
    assert fake.calendar.freebusy_sizes == [50, 50, 20]
    assert all(len(busy[p]) == 4 for p in people)


def test_a_batch_retries_only_its_failed_parts(fake: FakeGoogle) -> None:
    waits = Waits()
    calendar = calendar_with_waits(fake, waits)
    people = [f"p{i:03d}@example.fr" for i in range(60)]
    calendar.put_series(weekly(attendees=tuple(people)))  # type: ignore[attr-defined]
    fake.calendar.freebusy_sizes.clear()
    fake.fail("calendar.freebusy.query", 429, "rateLimitExceeded", retry_after="2")
    busy = calendar.free_busy(people, Interval(T0, T0 + timedelta(weeks=6)))  # type: ignore[attr-defined]
    assert fake.calendar.freebusy_sizes == [10, 50]  # the first part failed, then alone again
    assert waits and waits[0] >= 2 and all(len(v) == 4 for v in busy.values())


# -- Gmail threads -------------------------------------------------------------------------
def test_a_reply_keeping_the_subject_joins_the_person_s_thread(fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    theirs = fake.gmail.deliver(ORGANIZER, raw_message("<anne.1@example.fr>", "Question"))
    ours = raw_message("<answer.1@binome.example.fr>", "Re: Question").replace(
        b"MIME-Version", b"In-Reply-To: <anne.1@example.fr>\r\n"
                         b"References: <anne.1@example.fr>\r\nMIME-Version")
    mailbox.send(Outgoing("mail/a/1", "<answer.1@binome.example.fr>", ORGANIZER, (ANNE,), ours))
    [sent] = fake.gmail.sent(ORGANIZER)
    assert sent.thread == fake.gmail.box(ORGANIZER).messages[theirs].thread


def test_a_reply_under_another_subject_does_not_look_for_a_thread(fake: FakeGoogle) -> None:
    # Gmail threads a sent message only when its subject matches the thread's: a confirmation
    # titled otherwise starts a new thread whatever threadId says, so none is looked up.
    mailbox = google_mailbox(fake, SimClock(T0))
    fake.gmail.deliver(ORGANIZER, raw_message("<anne.2@example.fr>", "PAUSE"))
    ours = raw_message("<confirm.2@binome.example.fr>", "Pause enregistree").replace(
        b"MIME-Version", b"In-Reply-To: <anne.2@example.fr>\r\nMIME-Version")
    mailbox.send(Outgoing("mail/c/2", "<confirm.2@binome.example.fr>", ORGANIZER, (ANNE,), ours))
    queries = [p.get("q", "") for m, p in fake.params if m == "gmail.users.messages.list"]
    assert not any("rfc822msgid:<anne.2" in q or "rfc822msgid:anne.2" in q for q in queries)
    assert len(fake.gmail.sent(ORGANIZER)) == 1


def test_processed_messages_carry_the_label(fake: FakeGoogle) -> None:
    mailbox = google_mailbox(fake, SimClock(T0))
    ref = fake.gmail.deliver(ORGANIZER, raw_message("<r1@example.fr>"))
    found, _ = mailbox.receive(None)
    mailbox.acknowledge([found[0].ref])
    box = fake.gmail.box(ORGANIZER)
    assert box.labels[box.messages[ref].labels[-1]] == "Binome/processed"
    assert google_mailbox(fake, SimClock(T0)).receive(None)[0] == []


# -- auth ----------------------------------------------------------------------------------
def test_a_service_account_without_delegation_is_a_clear_permanent_error(
        fake: FakeGoogle) -> None:
    delegate(fake, "someone-else@example.fr")
    creds = service_account_credentials(service_account_key(fake), ORGANIZER, CALENDAR_SCOPES)
    calendar = connect_calendar(creds, SimClock(T0), api_root=fake.root, sleep=Waits())
    with pytest.raises(PermanentError, match="refused the credentials.*unauthorized_client"):
        calendar.find_series("series/x")


def test_an_expired_access_token_is_refreshed_once(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    assert calendar.find_series("series/x") is None
    fake.expire_access_tokens()
    calendar.put_series(weekly(attendees=(ANNE, BRUNO)))
    assert fake.token_requests == 2


def test_the_fake_refuses_what_google_refuses(fake: FakeGoogle) -> None:
    calendar = google_calendar(fake, SimClock(T0))
    events = calendar.service.events()
    with pytest.raises(PermanentError, match="Unknown name \"colour\""):
        calendar.caller.execute(events.insert(calendarId="primary", body={
            "colour": "red", "start": {"date": "2026-03-02"}, "end": {"date": "2026-03-03"}}),
            "inserting")
    with pytest.raises(PermanentError, match="Invalid resource id"):
        calendar.caller.execute(events.insert(calendarId="primary", body={
            "id": "UPPER-case", "start": {"date": "2026-03-02"}, "end": {"date": "2026-03-03"}}),
            "inserting")
    with pytest.raises(PermanentError, match="Missing end"):
        calendar.caller.execute(events.insert(calendarId="primary", body={
            "start": {"date": "2026-03-02"}}), "inserting")
