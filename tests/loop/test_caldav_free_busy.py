"""The agent on `calendar = "caldav"` (Radicale; mail on the local Maildir): a participant's
own event, in a calendar of hers that the programme's account may read (Radicale's rights
file), keeps the slot search off that time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from harness import Run
from servers.caldav_servers import PASSWORD, DavServer, personal_event

from agent.core.model import Interval, Series

if TYPE_CHECKING:
    from company import Programme


def on_dav(make_programme: Callable[..., Programme], dav: DavServer, name: str) -> Run:
    """The company's programme with its calendar `name` on `dav`, its mail local."""
    table = (f'[backend.caldav]\nurl = "{dav.url}"\nusername = "{dav.username}"\n'
             f'password_env = "BINOME_CALDAV_PASSWORD"\ncalendar = "{name}"\n\n')
    return Run(make_programme(folder=name, edits={
        'calendar = "local"          #': 'calendar = "caldav"          #',
        "[backend.local]\n": table + "[backend.local]\n"}))


def sessions(series: Series) -> list[Interval]:
    return [Interval(start, start + series.duration) for _, start in
            series.sessions(Interval(series.start, series.until + timedelta(days=1)))]


def test_a_participants_own_event_the_programme_may_read_is_avoided(
        make_programme: Callable[..., Programme], dav_server: DavServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if dav_server.name != "radicale":
        pytest.skip("only Radicale lets the programme read someone else's calendar here")
    monkeypatch.setenv("BINOME_CALDAV_PASSWORD", PASSWORD)
    first = on_dav(make_programme, dav_server, "first")
    first.tick()
    chosen = first.series("nadia@ex.fr")
    taken = sessions(chosen)[0]
    # Nadia (who logs in to Radicale as "nadia") has a meeting of her own at that time.
    made: list[Any] = [personal_event(dav_server, "nadia", taken.start - timedelta(minutes=30),
                                      taken.end + timedelta(minutes=30))]
    try:
        second = on_dav(make_programme, dav_server, "second")
        second.tick()
    finally:
        for calendar in made:
            calendar.delete()
    booked = second.series("nadia@ex.fr")
    meeting = Interval(taken.start - timedelta(minutes=30), taken.end + timedelta(minutes=30))
    assert not any(s.overlaps(meeting) for s in sessions(booked)), (booked.start, meeting)
    assert booked.start != chosen.start
    # Emma and Oliver, whose calendars it cannot read, are booked as before.
    assert second.series("emma@ex.fr").start == first.series("emma@ex.fr").start
