"""Three simulated months of the example programme under 20% backend faults end exactly as
three months without any (issue #15, "fault injection").

Both runs are `simulate` with the same seed: the real agent, the local backend, simulated
people. In the faulted one every call the agent makes to its calendar and mailbox goes
through tests/faults.py, and one call in five fails: 429 with Retry-After, 503, time-outs,
connection resets, slow answers, batches half done, answers lost after the call took
effect. The storm stops for the last day, so what is still in flight settles.

Checked against the unfaulted run: every action done there is done here, and nothing
else; no mail twice, no event twice; every answer the people gave is recorded as there;
nothing left pending, failed or failing. And the faults did happen, and were retried.
A longer version, with its figures, is `python bench/bench_faults.py`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import pytest
from faults import Faults, faulty
from icalendar import Calendar as ICalendar

from agent.core.store import Store
from agent.loop.agent import Agent
from agent.programme.settings import load_settings
from agent.sim.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
MONTHS, SEED, RATE = 3, 7, 0.2


@dataclass
class Outcome:
    """What one simulated run left: its folder, and the faults it went through."""

    out: Path
    faults: Faults | None = None

    def state(self) -> Store:
        return Store(self.out / "state", readonly=True)


def sim(out: Path, faults: Faults | None) -> Outcome:
    """`simulate` the example programme into `out`, through `faults` when given; they stop
    for the last simulated day (the storm passes: what is in flight settles)."""
    settings, _ = load_settings(ROOT / "config" / "example.toml")
    last_day: list[datetime] = []

    def calm(agent: Agent, now: datetime) -> None:
        if faults is None:
            return
        if not last_day:
            last_day.append(parse_end(out) - timedelta(days=1))
        if now >= last_day[0]:
            faults.enabled = False

    simulate(settings, out, months=MONTHS, seed=SEED, on_step=calm,
             wrap=None if faults is None else lambda c, m: faulty(c, m, faults))
    return Outcome(out, faults)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Outcome]:
    folder = tmp_path_factory.mktemp("faults")
    return sim(folder / "plain", None), sim(folder / "stormy", Faults(SEED, RATE))


def parse_end(out: Path) -> datetime:
    run_doc = Store(out / "people", readonly=True).get("sim", "run")
    assert run_doc is not None
    return datetime.fromisoformat(run_doc["end"])


def actions(outcome: Outcome) -> dict[str, dict[str, Any]]:
    return dict(outcome.state().all("actions"))


def mail_keys(out: Path) -> tuple[Counter[str], Counter[str]]:
    """How many messages carry each key, and each Message-ID, in the sent Maildir."""
    keys: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    for sub in ("new", "cur"):
        for path in sorted((out / "mail" / sub).iterdir()):
            headers = BytesHeaderParser().parsebytes(path.read_bytes())
            keys[str(headers["X-Binome-Key"]).strip()] += 1
            ids[str(headers["Message-ID"]).strip()] += 1
    return keys, ids


def events(out: Path) -> dict[str, Counter[tuple[str, str]]]:
    """Per calendar file: how many times each (UID, RECURRENCE-ID) appears."""
    found = {}
    for path in sorted((out / "calendars").glob("*.ics")):
        cal = ICalendar.from_ical(path.read_bytes())
        found[path.name] = Counter(
            (str(e.get("UID")), str(e.get("RECURRENCE-ID").to_ical() if e.get("RECURRENCE-ID")
                                    else "")) for e in cal.walk("VEVENT"))
    return found


def answers(outcome: Outcome) -> set[tuple[Any, ...]]:
    return {(d["pairing"], d["occurrence"], d["sender"], d["rating"], d["held"])
            for _, d in outcome.state().all("feedback")}


def test_the_faults_happened_and_were_retried(runs: tuple[Outcome, Outcome]) -> None:
    _, stormy = runs
    assert stormy.faults is not None
    injected = stormy.faults.injected
    print(f"\nfault run: {stormy.faults.summary()}")
    assert sum(injected.values()) > 500
    assert set(injected) >= {"429", "5xx", "timeout", "reset", "slow", "lost"}
    retried = [k for k, d in actions(stormy).items() if d.get("attempts", 0) > 0]
    assert len(retried) > 20


def test_every_action_done_without_faults_is_done_with_them_and_nothing_else(
    runs: tuple[Outcome, Outcome],
) -> None:
    plain, stormy = runs
    done = {k for k, d in actions(plain).items() if d["status"] == "done"}
    assert len(done) > 250
    assert {k for k, d in actions(stormy).items() if d["status"] == "done"} == done
    state = stormy.state()
    assert list(state.all("pending")) == []
    assert [k for k, d in actions(stormy).items() if d["status"] != "done"] == []
    assert list(state.all("troubles")) == []


def test_no_mail_and_no_event_twice(runs: tuple[Outcome, Outcome]) -> None:
    plain, stormy = runs
    keys, ids = mail_keys(stormy.out)
    assert max(keys.values()) == 1 and max(ids.values()) == 1
    assert set(keys) == set(mail_keys(plain.out)[0])
    calendars = events(stormy.out)
    assert all(max(c.values(), default=1) == 1 for c in calendars.values())
    assert {f: set(c) for f, c in calendars.items()} == {
        f: set(c) for f, c in events(plain.out).items()}


def test_every_answer_is_recorded_as_without_faults(runs: tuple[Outcome, Outcome]) -> None:
    plain, stormy = runs
    recorded = answers(stormy)
    assert len(recorded) > 50
    assert recorded == answers(plain)
    assert dict(stormy.state().all("responses")) == dict(plain.state().all("responses"))
    assert list(stormy.state().all("quarantine")) == list(plain.state().all("quarantine"))
