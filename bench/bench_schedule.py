"""Booking 1,000 pairings into calendars already full of people's own meetings.

2,000 people (1,000 mentors, 1,000 mentees, all matched one to one), each with
a calendar of their own busy events over the next 8 weeks (about 8 a week,
plus a few all-day ones). One real tick of the agent on the local backend
books every pairing; the calendar is the real `LocalCalendar`, subclassed
only to count the calls the agent makes to it. Prints first the scheduling
core alone (batched free/busy and a slot per pairing), then the whole tick:
its time (most of it is the local backend rewriting .ics files, which a
Google or Microsoft backend does not do), the free/busy calls and how many
people each asked about, and the bookings. Last, the daily clash scan
(agent.programme.conflicts): a week on, 50 people have accepted a meeting over their next
session; one tick finds and moves them.

The agent asks free/busy once per chunk of bookings (200), for every attendee
of the chunk at once, so calls grow with people / chunk size, never with
pairings x weeks; a backend with a smaller batch limit (Google: 50
calendars) splits each call further inside the provider.

    .venv/bin/python bench/bench_schedule.py [--pairings 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.core.clock import SimClock  # noqa: E402
from agent.core.model import Interval, Participant, Series  # noqa: E402
from agent.core.store import Store  # noqa: E402
from agent.loop.agent import Agent  # noqa: E402
from agent.programme.scheduling import WEEKDAYS, choose_slot  # noqa: E402
from agent.programme.settings import Hours, load_settings  # noqa: E402
from agent.providers.local.calendar import LocalCalendar  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 9, 1, 7, 0, tzinfo=PARIS)


class CountingCalendar(LocalCalendar):
    """The real local calendar; only counts what it is asked."""

    free_busy_calls: list[int] = []
    puts = 0

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        self.free_busy_calls.append(len(people))
        return super().free_busy(people, window, separate=separate)

    def put_checked(self, series: Series) -> str:
        type(self).puts += 1
        return super().put_checked(series)


def setup(folder: Path, pairings: int, seed: int) -> Path:
    rng = random.Random(seed)
    lines = ["email;name;role;teaches;learns;max_mentees"]
    for i in range(pairings):
        skill = f"Skill {i}"  # one skill per pair: matching is not what is measured here
        lines.append(f"mentor{i}@x.fr;Mentor {i};mentor;{skill};;1")
        lines.append(f"mentee{i}@x.fr;Mentee {i};mentee;;{skill};")
    (folder / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = Path(__file__).resolve().parents[1] / "config" / "example.toml"
    text = source.read_text(encoding="utf-8").replace("roster.example.csv", "roster.csv")
    config = folder / "binome.toml"
    config.write_text(text.replace('formats = ["mentoring", "pair"]', 'formats = ["mentoring"]'),
                      encoding="utf-8")
    calendars = folder / "state" / "local" / "calendars"
    calendars.mkdir(parents=True)
    for email in [f"{r}{i}@x.fr" for i in range(pairings) for r in ("mentor", "mentee")]:
        cal = ICalendar()
        cal.add("prodid", "-//bench//EN")
        cal.add("version", "2.0")
        for week in range(8):
            monday = START.date() + timedelta(weeks=week, days=-START.weekday())
            for _ in range(8):  # meetings of 30 to 90 minutes in working hours
                day = monday + timedelta(days=rng.randrange(5))
                at = datetime(day.year, day.month, day.day, rng.randrange(9, 17),
                              rng.choice((0, 30)), tzinfo=PARIS)
                cal.add_component(_event(f"{email}-{week}-{_}", at,
                                         at + timedelta(minutes=rng.choice((30, 60, 90)))))
            if rng.random() < 0.1:  # a day off: all-day, busy
                day = monday + timedelta(days=rng.randrange(5))
                cal.add_component(_event(f"{email}-{week}-off", day, day + timedelta(days=1)))
        (calendars / f"{email}.ics").write_bytes(cal.to_ical())
    return config


def _event(uid: str, start: object, end: object) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", START)
    event.add("dtstart", start)
    event.add("dtend", end)
    return event


def slot_search(calendar: LocalCalendar, pairings: int, chunk: int) -> None:
    """The scheduling core alone: batched free/busy, then a slot for every pairing."""
    settings_hours = Hours()
    window = Interval(START, START + timedelta(weeks=8))
    started = time.perf_counter()
    calls = 0
    found = 0
    load: dict[str, dict[str, int]] = {}
    for first in range(0, pairings, chunk):
        pairs = [(f"mentor{i}@x.fr", f"mentee{i}@x.fr")
                 for i in range(first, min(pairings, first + chunk))]
        busy = {e: list(v) for e, v in calendar.free_busy(
            [e for pair in pairs for e in pair], window).items()}
        calls += 1
        for pair in pairs:
            people = [Participant(e, e, frozenset({"mentee"})) for e in pair]
            start = choose_slot(attendees=people, busy=busy, hours=settings_hours,
                                duration=timedelta(minutes=45), interval_weeks=2,
                                not_before=START + timedelta(days=2),
                                until=START + timedelta(weeks=8), series_tz="Europe/Paris",
                                load=load, salt=pair[0], horizon_weeks=4)
            if start is not None:
                found += 1
                for e in pair:
                    busy.setdefault(e, []).append(Interval(start, start + timedelta(minutes=45)))
                    day = load.setdefault(e, {})
                    day[WEEKDAYS[start.weekday()]] = day.get(WEEKDAYS[start.weekday()], 0) + 1
    seconds = time.perf_counter() - started
    print(f"slot search: {found}/{pairings} pairings placed over 8 weeks in {seconds:.1f} s "
          f"({1000 * seconds / pairings:.1f} ms each, free/busy included); "
          f"{calls} free/busy calls of up to {2 * chunk} people")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = setup(Path(tmp), args.pairings, args.seed)
        settings, _ = load_settings(config)
        clock = SimClock(START)
        slot_search(LocalCalendar(settings.local_dir, clock), args.pairings, chunk=200)
        calendar = CountingCalendar(settings.local_dir, clock)
        agent = Agent(settings, Store(settings.state_dir), clock, calendar=calendar)
        started = time.perf_counter()
        report = agent.tick()
        seconds = time.perf_counter() - started
        booked = sum(o.ok and o.kind == "book" for o in report.outcomes)
        calls = CountingCalendar.free_busy_calls
        print(f"pairings matched: {report.new_pairings}, booked: {booked}, "
              f"put_series calls: {CountingCalendar.puts}")
        print(f"whole tick (match, free/busy, slots, writing every .ics): {seconds:.1f} s, "
              f"{1000 * seconds / max(1, booked):.1f} ms per pairing")
        print(f"free/busy calls: {len(calls)}, people per call: {calls}")
        clash_scan(agent, calendar, clock, settings.local_dir / "calendars")


def clash_scan(agent: Agent, calendar: CountingCalendar, clock: SimClock, folder: Path) -> None:
    clock.set(START + timedelta(days=7))
    now = clock.now()
    clashes = 0
    for pairing in agent.ledger.pairings.active()[:50]:
        series = agent.ledger.series.get(pairing.id)
        assert series is not None
        upcoming = series.occurrences(Interval(now + timedelta(days=1), now + timedelta(days=7)))
        if not upcoming:
            continue
        path = folder / f"{pairing.members[-1]}.ics"
        cal = ICalendar.from_ical(path.read_bytes())
        at = upcoming[0] + timedelta(minutes=15)
        cal.add_component(_event(f"clash-{pairing.id}", at, at + timedelta(hours=1)))
        path.write_bytes(cal.to_ical())
        clashes += 1
    calendar.free_busy_calls.clear()
    started = time.perf_counter()
    report = agent.tick()
    seconds = time.perf_counter() - started
    moves = [o for o in report.outcomes if o.kind == "move"]
    print(f"clash scan a week on: {clashes} meetings put over sessions, {len(moves)} sessions "
          f"moved ({sum(o.ok for o in moves)} ok) in one tick of {seconds:.1f} s; "
          f"free/busy calls: {len(calendar.free_busy_calls)}, people per call: "
          f"{calendar.free_busy_calls}")


if __name__ == "__main__":
    main()
