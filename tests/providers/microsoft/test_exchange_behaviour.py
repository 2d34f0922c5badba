"""What only EWS has: attendees asked (not accepted), FaultTolerance with a bounded
wait, a lost answer settled by the key, sync state expiry, the backend from settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from contract.calendar_contract import BRUNO, ORGANIZER, everything, weekly
from contract.mailbox_contract import outgoing
from exchangelib.errors import ErrorTimeIntervalTooBig
from fakes.ews_server import FakeEws
from fakes.exchange_user import ExchangeUser

from agent.core.clock import SimClock
from agent.core.errors import TemporaryError
from agent.providers.microsoft.ews_account import open_account
from agent.providers.microsoft.ews_calendar import ExchangeCalendar, ews_time
from agent.providers.microsoft.ews_mail import ExchangeMailbox
from microsoft.test_exchange import PASSWORD, USER, account, ews  # noqa: F401

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def calendar_of(fake: FakeEws, max_wait: float = 1) -> ExchangeCalendar:
    return ExchangeCalendar(account(fake, max_wait=max_wait), SimClock(T0))


def items_with(fake: FakeEws, key: str) -> int:
    return sum(1 for i in fake.store.items.values() if i.ext.get("BinomeKey") == key
               and not i.removed)


def test_attendees_are_invited_not_marked_as_accepted(ews: FakeEws) -> None:  # noqa: F811
    series = weekly()
    calendar_of(ews).put_series(series)
    [item] = [i for i in ews.store.items.values() if i.ext.get("BinomeKey") == series.key]
    assert item.attendees == {"anne@example.fr": "Unknown", "bruno@example.fr": "Unknown"}


def test_a_busy_server_is_retried_after_its_short_back_off(ews: FakeEws) -> None:  # noqa: F811
    calendar = calendar_of(ews)
    calendar.find_series("warm-up")
    before = len(ews.log)
    ews.busy(1, back_off_ms=30)
    assert calendar.find_series("series/x") is None
    assert ews.log[before:] == ["FindItem", "FindItem"]


def test_a_back_off_beyond_max_wait_is_a_temporary_error(ews: FakeEws) -> None:  # noqa: F811
    calendar = calendar_of(ews, max_wait=5)
    calendar.find_series("warm-up")
    ews.busy(1, back_off_ms=120_000)
    with pytest.raises(TemporaryError) as caught:
        calendar.find_series("series/x")
    assert caught.value.retry_after == 120.0


def test_a_lost_answer_to_the_create_is_settled_by_the_key(ews: FakeEws) -> None:  # noqa: F811
    series = weekly()
    ews.drop.add("CreateItem")
    with pytest.raises(TemporaryError):
        calendar_of(ews).put_series(series)
    assert items_with(ews, series.key) == 1  # the server did create it
    again = calendar_of(ews)  # the agent restarted: nothing in memory
    ref = again.put_series(series)
    assert ref == again.find_series(series.key)
    assert ews.log.count("CreateItem") == 1 and items_with(ews, series.key) == 1


def test_an_expired_sync_state_starts_a_full_sync(ews: FakeEws) -> None:  # noqa: F811
    calendar = calendar_of(ews)
    series = weekly()
    calendar.put_series(series)
    _, cursor = calendar.changes(None)
    assert calendar.changes(cursor)[0] == []
    ews.store.epoch += 1
    ExchangeUser(ews.endpoint, USER, PASSWORD, BRUNO).answer(calendar, series.key, None,
                                                              "accepted")
    changes, cursor = calendar.changes(cursor)
    assert [c.key for c in changes] == [series.key]
    assert calendar.changes(cursor)[0] == []


def test_a_lost_answer_to_a_send_is_not_sent_again(ews: FakeEws) -> None:  # noqa: F811
    box = ExchangeMailbox(account(ews, max_wait=1))
    message = outgoing("<objectives.7@binome.example.fr>")
    ews.drop.add("CreateItem")
    with pytest.raises(TemporaryError):
        box.send(message)
    assert box.send(message) == message.message_id
    sent = [i for i in ews.store.items.values() if i.folder == "sentitems"]
    assert [i.mime for i in sent] == [message.raw]


def test_wrong_credentials_are_named_without_waiting(ews: FakeEws) -> None:  # noqa: F811
    wrong = open_account(ews.endpoint, "2016", USER, "wrong", ORGANIZER, auth_type="basic",
                         max_wait=1)
    with pytest.raises(TemporaryError, match="username or password"):
        ExchangeCalendar(wrong, SimClock(T0)).find_series("series/x")


def test_check_reaches_exchange_from_the_settings(
        make_programme: Callable[..., Any], ews: FakeEws,  # noqa: F811
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.cli.main import main
    from microsoft.test_microsoft_cli import BACKEND

    ews.users |= {"binome@atelier-lumiere.fr"}
    table = (f'calendar = "exchange"\nmail = "exchange"\n\n[backend.exchange]\n'
             f'endpoint = "{ews.endpoint}"\nusername = "{USER.replace(chr(92), chr(92) * 2)}"\n'
             f'password_env = "BINOME_TEST_EWS_PASSWORD"\nauth = "basic"\n')
    programme = make_programme(edits={BACKEND: table})
    monkeypatch.setenv("BINOME_TEST_EWS_PASSWORD", PASSWORD)
    assert main(["check", "--config", str(programme.config)]) == 0
    out = capsys.readouterr().out
    assert "calendar backend 'exchange': reachable" in out
    assert "mail backend 'exchange': reachable" in out and "warning" not in out
    assert "GetUserAvailabilityRequest" in ews.log


def test_free_busy_over_a_long_window_asks_42_days_at_a_time(ews: FakeEws) -> None:  # noqa: F811
    calendar = calendar_of(ews)
    series = weekly(weeks=17)
    calendar.put_series(series)
    window = everything(series)  # 121 days: the server refuses more than 42 at once
    with pytest.raises(ErrorTimeIntervalTooBig):
        list(calendar.account.protocol.get_free_busy_info(
            accounts=[(BRUNO, "Required", False)], start=ews_time(window.start, "UTC"),
            end=ews_time(window.end, "UTC")))
    before = ews.log.count("GetUserAvailabilityRequest")
    busy = calendar.free_busy([BRUNO], window)[BRUNO]
    assert [b.start for b in busy] == series.occurrences()
    assert ews.log.count("GetUserAvailabilityRequest") - before == 3
