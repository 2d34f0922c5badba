"""Calls the `google` backend makes: run `python bench/bench_google.py [--pairs N]`.

The real agent, the real client library and the fake Google of tests/fakes
(over HTTP on 127.0.0.1). A roster of N mentors and N mentees gives N new
pairings at the programme start. Targets: one `events.insert` per new series,
and a tick with nothing to do makes only the two incremental syncs
(`events.list` with the sync token, `history.list`).
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


def calls_during(fake: FakeGoogle, action: Callable[[], object]) -> tuple[Counter[str], int]:
    """API methods called during `action`, and HTTP requests made (a batch counts once)."""
    before, http = len(fake.calls), fake.http_requests
    action()
    return Counter(fake.calls[before:]), fake.http_requests - http


def show(title: str, measured: tuple[Counter[str], int], per: int = 1) -> None:
    calls, http = measured
    total = sum(calls.values())
    share = f" ({total / per:.2f} per pairing)" if per > 1 else ""
    print(f"{title}: {total} calls{share} in {http} HTTP requests")
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
    fake.stop()


if __name__ == "__main__":
    main()
