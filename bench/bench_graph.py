"""Calls the `microsoft365` backend makes: run `python bench/bench_graph.py [--pairs N]`.

The twin of bench_google.py: the real agent and its httpx/msal clients against the
fake Graph of tests/fakes (HTTPS on 127.0.0.1, with its mailbox limits). A roster of
N mentors and N mentees gives N new pairings at the programme start. Targets: one
event POST per new series, a tick with nothing to do writes nothing (it reads the
calendarView and inbox deltas), and ending the series (the mentees leave the roster)
costs one PATCH per series and one mail per attendee, not a cancellation per session.
"""

from __future__ import annotations

import argparse
import os
import re
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

from fakes.graph_auth import CLIENT_ID, SECRET  # noqa: E402
from fakes.graph_server import FakeGraph  # noqa: E402
from fakes.https import make_certificate  # noqa: E402

from agent.core.clock import SimClock  # noqa: E402
from agent.core.store import Store  # noqa: E402
from agent.loop.agent import Agent  # noqa: E402
from agent.programme.settings import load_settings  # noqa: E402

PROGRAMME, ADMIN = "binome@atelier-lumiere.fr", "rh@atelier-lumiere.fr"
T0 = datetime(2026, 9, 1, 7, 0, tzinfo=ZoneInfo("Europe/Paris"))
# A request that changes something: creating, updating, cancelling, sending.
WRITE = re.compile(r"(POST|PATCH|DELETE) (?!.*(/\$batch|/getSchedule)$)")


def write_programme(folder: Path, fake: FakeGraph, ca: Path, pairs: int) -> Path:
    rows = ["email;name;role;teaches;learns;timezone;language"]
    for i in range(pairs):  # everyone has a mailbox in the tenant
        fake.users |= {f"mentor{i}@ex.fr", f"mentee{i}@ex.fr"}
        rows.append(f"mentor{i}@ex.fr;Mentor {i};mentor;Skill {i};;Europe/Paris;fr")
        rows.append(f"mentee{i}@ex.fr;Mentee {i};mentee;;Skill {i};Europe/Paris;fr")
    fake.users |= {PROGRAMME, ADMIN}
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = (ROOT / "config" / "example.toml").read_text(encoding="utf-8")
    table = (f'[backend.microsoft365]\ntenant = "contoso.onmicrosoft.com"\n'
             f'client_id = "{CLIENT_ID}"\nsign_in = "app"\n'
             f'client_secret_env = "BINOME_BENCH_M365_SECRET"\n'
             f'graph_url = "{fake.base}/v1.0"\nauthority_host = "{fake.base}"\n'
             f'ca_bundle = "{ca}"\n\n[backend.local]\n')
    for old, new in {
        'path = "roster.example.csv"': 'path = "roster.csv"',
        'formats = ["mentoring", "pair"]': 'formats = ["mentoring"]',
        'calendar = "local"  ': 'calendar = "microsoft365"  ',
        'mail = "local"  ': 'mail = "microsoft365"  ',
        "[backend.local]\n": table,
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    config = folder / "binome.toml"
    config.write_text(text, encoding="utf-8")
    return config


def calls_during(fake: FakeGraph, action: Callable[[], object]) -> Counter[str]:
    """Graph requests made during `action` (inside a $batch too), by verb and route."""
    before = len(fake.log)
    action()
    return Counter(re.sub(r"/users/[^/]+", "/users/{id}",
                          re.sub(r"/(events|messages)/(?!delta)[^/]+", r"/\1/{id}", line))
                   for line in fake.log[before:])


def show(title: str, calls: Counter[str], per: int = 1) -> None:
    total = sum(calls.values())
    writes = sum(n for line, n in calls.items() if WRITE.match(line))
    share = f" ({total / per:.2f} per pairing)" if per > 1 else ""
    print(f"{title}: {total} requests{share}, {writes} writes")
    for line, n in sorted(calls.items()):
        print(f"    {line:58s} {n}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=30)
    args = parser.parse_args()
    os.environ["BINOME_BENCH_M365_SECRET"] = SECRET
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = make_certificate(Path(tmp))
        fake = FakeGraph(users=set()).start(cert, key)
        settings, _ = load_settings(write_programme(Path(tmp), fake, cert, args.pairs))
        clock = SimClock(T0)
        agent = Agent(settings, Store(settings.state_dir), clock)
        started = time.perf_counter()
        first = calls_during(fake, agent.tick)
        seconds = time.perf_counter() - started
        booked = len(agent.ledger.pairings.active())
        show(f"first tick, {booked} new pairings ({seconds:.2f} s)", first, booked)
        clock.advance(timedelta(minutes=15))
        show("no-op tick", calls_during(fake, agent.tick))
        restarted = Agent(settings, Store(settings.state_dir), clock)
        clock.advance(timedelta(minutes=15))
        show("first no-op tick of a restarted agent", calls_during(fake, restarted.tick))
        clock.advance(timedelta(weeks=3))
        restarted.tick()  # the sessions, mails and answers of three weeks
        roster = Path(tmp) / "roster.csv"
        lines = roster.read_text(encoding="utf-8").splitlines()
        roster.write_text("\n".join(x for x in lines if ";mentee;" not in x) + "\n",
                          encoding="utf-8")
        restarted.accept_drop = True  # the admin confirmed the drop
        clock.advance(timedelta(minutes=15))
        now = clock.now()
        series = [s for r in restarted.ledger.pairings.active()
                  if (s := restarted.ledger.series.get(r.id)) is not None]
        dropped = sum(1 for s in series for o in s.occurrences() if o >= now)
        fake.notices.clear()
        show(f"tick ending {len(series)} series", calls_during(fake, restarted.tick),
             len(series))
        print(f"    sessions cancelled {dropped}, mails to attendees: "
              f"{dict(Counter(kind for kind, _, _ in fake.notices))}")
        fake.close()


if __name__ == "__main__":
    main()
