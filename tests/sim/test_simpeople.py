"""Simulated people answer invitations idempotently, even when a crash loses their memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.core.clock import SimClock
from agent.core.model import Participant, Series
from agent.core.store import Store
from agent.providers.local.calendar import LocalCalendar
from agent.sim.people import SimPeople

PARIS = ZoneInfo("Europe/Paris")


def test_an_answer_redone_after_a_crash_writes_the_same_calendar(tmp_path: Path) -> None:
    booked = datetime(2026, 9, 1, 5, tzinfo=UTC)
    calendar = LocalCalendar(tmp_path, SimClock(booked))
    people = {
        e: Participant(email=e, name=e.split("@")[0].title(), roles=frozenset({"peer"}))
        for e in ("ana@ex.fr", "ben@ex.fr")
    }
    start = datetime(2026, 9, 3, 10, tzinfo=PARIS)
    calendar.put_series(Series(
        "series/p1", "Binôme", "", "binome@ex.fr", tuple(people), start,
        timedelta(minutes=30), "Europe/Paris", 1, start + timedelta(weeks=40),
    ))
    now = booked + timedelta(hours=1)
    # Seed 0 declines at least one of the 40 weekly occurrences for someone.
    first = SimPeople(tmp_path, people, Store(tmp_path / "people"), 0, "binome@ex.fr")
    first.answer_invitations(now)
    after_first = {p.name: p.read_bytes() for p in (tmp_path / "calendars").iterdir()}
    assert any(b"RECURRENCE-ID" in data for data in after_first.values())

    # The crash: the files were written, the decisions in memory were never flushed.
    store = Store(tmp_path / "people")
    for rid, _ in list(store.all("rsvp")):
        store.delete("rsvp", rid)
    store.flush()
    again = SimPeople(tmp_path, people, Store(tmp_path / "people"), 0, "binome@ex.fr")
    again.answer_invitations(now)
    after_again = {p.name: p.read_bytes() for p in (tmp_path / "calendars").iterdir()}
    assert after_again == after_first
