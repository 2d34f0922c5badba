"""Calls the `google` backend makes: run `python bench/bench_google.py [--pairs N]`.

The real agent, the real client library and the fake Google of tests/fakes
(over HTTP on 127.0.0.1). A roster of N mentors and N mentees gives N new
pairings at the programme start. Targets: one `events.insert` per new series,
a tick with nothing to do makes only the two incremental syncs (`events.list`
with the sync token, `history.list`) and writes nothing, and ending the series
(the mentees leave the roster) costs one update per series (one `events.get`
and one `events.patch`) and one mail per attendee, not one per session.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.google_fixtures import delegate, service_account_key  # noqa: E402
from fakes.google_server import FakeGoogle  # noqa: E402

from agent.core.clock import SimClock  # noqa: E402
from agent.core.store import Store  # noqa: E402
from agent.loop.agent import Agent  # noqa: E402
from agent.programme.settings import load_settings  # noqa: E402
from agent.providers.google.events import event_id  # noqa: E402

PROGRAMME = "binome@atelier-lumiere.fr"
T0 = datetime(2026, 9, 1, 7, 0, tzinfo=ZoneInfo("Europe/Paris"))


def write_programme(folder: Path, fake: FakeGoogle, pairs: int) -> Path:
    key = folder / "key.json"
    key.write_text(json.dumps(service_account_key(fake)), encoding="utf-8")
    rows = ["email;name;role;teaches;learns;timezone;language"]
    for i in range(pairs):  # everyone has a calendar in the company's Workspace
        fake.calendar.calendars.setdefault(f"mentor{i}@ex.fr", {})
        fake.calendar.calendars.setdefault(f"mentee{i}@ex.fr", {})
        rows.append(f"mentor{i}@ex.fr;Mentor {i};mentor;Skill {i};;Europe/Paris;fr")
        rows.append(f"mentee{i}@ex.fr;Mentee {i};mentee;;Skill {i};Europe/Paris;fr")
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = (ROOT / "config" / "example.toml").read_text(encoding="utf-8")
    for old, new in {
        'path = "roster.example.csv"': 'path = "roster.csv"',
        'formats = ["mentoring", "pair"]': 'formats = ["mentoring"]',
        'calendar = "local"  ': 'calendar = "google"  ',
        'mail = "local"  ': 'mail = "google"  ',
        "[backend.local]\n": f'[backend.google]\nservice_account_key_command = "cat {key}"\n'
                             f'api_root = "{fake.root}"\n\n[backend.local]\n',
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    config = folder / "binome.toml"
    config.write_text(text, encoding="utf-8")
    return config


WRITES = ("calendar.events.insert", "calendar.events.patch", "calendar.events.delete",
          "gmail.users.messages.send")


def calls_during(fake: FakeGoogle, action: Callable[[], object]) -> tuple[Counter[str], int]:
    """API methods called during `action`, and HTTP requests made (a batch counts once)."""
    before, http = len(fake.calls), fake.http_requests
    action()
    return Counter(fake.calls[before:]), fake.http_requests - http


def show(title: str, measured: tuple[Counter[str], int], per: int = 1) -> None:
    calls, http = measured
    total = sum(calls.values())
    share = f" ({total / per:.2f} per pairing)" if per > 1 else ""
    writes = sum(n for method, n in calls.items() if method in WRITES)
    print(f"{title}: {total} calls{share} in {http} HTTP requests, {writes} writes")
    for method, n in sorted(calls.items()):
        print(f"    {method:38s} {n}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=30)
    args = parser.parse_args()
    fake = FakeGoogle().start()
    delegate(fake, PROGRAMME)
    with tempfile.TemporaryDirectory() as tmp:
        settings, _ = load_settings(write_programme(Path(tmp), fake, args.pairs))
        clock = SimClock(T0)
        agent = Agent(settings, Store(settings.state_dir), clock)
        started = time.perf_counter()
        first = calls_during(fake, agent.tick)
        seconds = time.perf_counter() - started
        booked = len(agent.ledger.pairings.active())
        show(f"first tick, {booked} new pairings ({seconds:.2f} s)", first, booked)
        clock.advance(timedelta(minutes=15))
        show("no-op tick", calls_during(fake, agent.tick))
        pairing = agent.ledger.pairings.active()[0]
        series = agent.ledger.series.get(pairing.id)
        assert series is not None
        fake.calendar.respond(PROGRAMME, event_id(series.key), pairing.members[1], "accepted")
        clock.advance(timedelta(minutes=15))
        show("tick after one attendee answered", calls_during(fake, agent.tick))
        restarted = Agent(settings, Store(settings.state_dir), clock)
        clock.advance(timedelta(minutes=15))
        show("first no-op tick of a restarted agent", calls_during(fake, restarted.tick))
        ended = end_every_series(Path(tmp), fake, restarted, clock)
        print(f"    sessions cancelled {ended[0]}, mails to attendees: "
              f"{dict(Counter(kind for kind, _, _ in fake.calendar.notices[ended[1]:]))}")
    fake.stop()


def end_every_series(folder: Path, fake: FakeGoogle, agent: Agent,
                     clock: SimClock) -> tuple[int, int]:
    """Three weeks on, the mentees leave: every series ends. Shows that tick's calls;
    returns (sessions dropped, where the mails about it start in `fake.calendar.notices`)."""
    clock.advance(timedelta(weeks=3))
    agent.tick()  # the sessions, mails and answers of those three weeks
    roster = folder / "roster.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join(x for x in lines if ";mentee;" not in x) + "\n",
                      encoding="utf-8")
    agent.accept_drop = True  # the admin confirmed the drop (`binome check --accept-roster`)
    clock.advance(timedelta(minutes=15))
    now = clock.now()
    series = [s for r in agent.ledger.pairings.active()
              if (s := agent.ledger.series.get(r.id)) is not None]
    dropped = sum(1 for s in series for o in s.occurrences() if o >= now)
    start = len(fake.calendar.notices)
    show(f"tick ending {len(series)} series", calls_during(fake, agent.tick), len(series))
    return dropped, start


if __name__ == "__main__":
    main()
