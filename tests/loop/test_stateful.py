"""A Hypothesis state machine over the whole agent (issue #15): roster edits, replies and
commands, declines in calendars, kills between any two steps (in a provider call, before or
after it took effect, or inside a flush), the clock across a DST change and stepping back,
and backend faults, in any order.

Invariants, after every step: the ledger always loads; no outward effect twice (each key
and each Message-ID once in the sent Maildir, each event once in each calendar file).
At the end of each run, once the storm has passed: every intent is settled.

The real agent on the real local backend (tests/faults.py between them) and a SimClock;
the company of tests/company.py (Claire mentors Nadia, Oliver mentors Emma).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path

from company import Programme
from faults import Faults, Killed, faulty
from harness import HOUR, T0, Mail, command, reply_to
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from icalendar import Calendar as ICalendar

from agent.core.clock import SimClock
from agent.core.storage import AtomicJSONStorage
from agent.core.store import Store
from agent.loop.agent import Agent
from agent.programme.settings import installation
from agent.providers.local.maildir import atomic_write, deliver_to_inbox
from agent.providers.registry import open_calendar, open_mailbox
from agent.sim.calendar import declined_override, overridden

DST_END = datetime(2026, 10, 25, 1, tzinfo=UTC)  # 03:00 summer time becomes 02:00 in Paris
PEOPLE = ("claire@ex.fr", "nadia@ex.fr", "oliver@ex.fr", "emma@ex.fr")
WORDS = ("Note : 4", "Note : 2\nLa séance n'a pas eu lieu.", "PAUSE", "REPRENDRE", "AIDE",
         "PASSER", "1. Mieux négocier")


class KillingStorage(AtomicJSONStorage):
    """Dies at the `countdown`-th file the store replaces (inside a flush)."""

    countdown: int | None = None

    def replace(self, src: Path, dst: Path) -> None:
        if KillingStorage.countdown is not None:
            KillingStorage.countdown -= 1
            if KillingStorage.countdown <= 0:
                KillingStorage.countdown = None
                raise Killed(f"flush of {dst.name}")
        super().replace(src, dst)


class KillableStore(Store):
    storage_class = KillingStorage


class AgentMachine(RuleBasedStateMachine):
    """The agent, and everything that happens to it."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="binome-stateful-"))
        (self.folder / "company").mkdir()
        self.programme = Programme(self.folder / "company", "2026-09-01", {})
        self.settings = self.programme.settings()
        self.local = self.settings.local_dir
        self.clock = SimClock(T0)
        self.faults = Faults(0, 0.0)
        self.delivered = 0
        KillingStorage.countdown = None
        self.agent = self.fresh()

    def fresh(self) -> Agent:
        """A new process on the state as it is on disk."""
        site = installation(self.settings, self.clock)
        calendar, mailbox = faulty(open_calendar(self.settings.backend, site),
                                   open_mailbox(self.settings.backend, site), self.faults)
        return Agent(self.settings, KillableStore(self.settings.state_dir), self.clock,
                     calendar, mailbox)

    def tick(self) -> None:
        try:
            self.agent.tick()
        except Killed:
            self.agent = self.fresh()

    # -- time ------------------------------------------------------------------------
    @rule(hours=st.integers(1, 120), rate=st.sampled_from([0.0, 0.0, 0.2, 0.5]),
          seed=st.integers(0, 1000))
    def time_passes(self, hours: int, rate: float, seed: int) -> None:
        self.faults.rate = rate
        self.faults.random.seed(seed)
        self.clock.advance(hours * HOUR)
        self.tick()

    @rule(hours=st.integers(1, 12))
    def the_clock_steps_back(self, hours: int) -> None:
        self.clock.set(self.clock.now() - hours * HOUR)
        self.tick()

    @precondition(lambda self: self.clock.now() < DST_END - 3 * HOUR)
    @rule()
    def across_the_dst_change(self) -> None:
        self.clock.set(DST_END - 3 * HOUR)
        for _ in range(6):
            self.clock.advance(HOUR)
            self.tick()

    # -- kills -------------------------------------------------------------------------
    @rule(calls=st.integers(1, 30), after=st.booleans())
    def killed_in_a_provider_call(self, calls: int, after: bool) -> None:
        self.faults.kill_at, self.faults.kill_after = calls, after
        self.clock.advance(HOUR)
        self.tick()
        self.faults.kill_at = None

    @rule(files=st.integers(1, 8))
    def killed_inside_a_flush(self, files: int) -> None:
        KillingStorage.countdown = files
        self.clock.advance(HOUR)
        self.tick()
        KillingStorage.countdown = None

    @rule()
    def restarted(self) -> None:
        self.agent = self.fresh()

    # -- people --------------------------------------------------------------------------
    @rule(email=st.sampled_from(["nadia@ex.fr", "emma@ex.fr"]),
          edit=st.sampled_from(["drop", "restore", "break", "team"]))
    def the_roster_is_edited(self, email: str, edit: str) -> None:
        change = {"break": {email: {"timezone": "Mars/Olympus"}},
                  "team": {email: {"team": "Nouvelle équipe"}}}.get(edit)
        self.programme.write_roster(drop=[email] if edit == "drop" else [], change=change)

    @rule(data=st.data())
    def someone_replies(self, data: st.DataObject) -> None:
        sent = self.sent()
        if not sent:
            return
        mail = data.draw(st.sampled_from(sent))
        word = data.draw(st.sampled_from(WORDS))
        self.delivered += 1
        mid = f"<r{self.delivered}@ex.fr>"
        raw = (command(mail, mail.to, word, mid, self.clock.now()) if word.isupper()
               else reply_to(mail, mail.to, word, mid, self.clock.now()))
        deliver_to_inbox(self.local, f"{self.delivered:06d}.reply", raw)

    @rule(email=st.sampled_from(PEOPLE), nth=st.integers(0, 4))
    def someone_declines_a_session(self, email: str, nth: int) -> None:
        path = self.local / "calendars" / f"{email}.ics"
        if not path.exists():
            return
        cal = ICalendar.from_ical(path.read_bytes())
        masters = [e for e in cal.walk("VEVENT")
                   if e.get("X-BINOME-KEY") and "RECURRENCE-ID" not in e and "RRULE" in e]
        if not masters:
            return
        master = masters[0]
        start = master.decoded("DTSTART")
        occ = (start + nth * timedelta(weeks=2)).astimezone(UTC)
        if occ <= self.clock.now() or occ in overridden(cal, str(master["UID"])):
            return
        cal.add_component(declined_override(master, occ, email, self.clock.now()))
        atomic_write(path, cal.to_ical())

    def sent(self) -> list[Mail]:
        found = []
        for sub in ("new", "cur"):
            for path in sorted((self.local / "mail" / sub).glob("*")):
                h = BytesHeaderParser().parsebytes(path.read_bytes())
                found.append(Mail(str(h["X-Binome-Key"]).strip(), str(h["To"]), str(h["From"]),
                                  str(h["Subject"]), str(h["Message-ID"]), self.clock.now(),
                                  "Bonjour,\n", "", "fr"))
        return [m for m in found if m.to in PEOPLE]

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def the_ledger_always_loads(self) -> None:
        store = Store(self.settings.state_dir, readonly=True)
        assert store.tables() is not None

    @invariant()
    def nothing_outward_happens_twice(self) -> None:
        keys: Counter[str] = Counter()
        ids: Counter[str] = Counter()
        for sub in ("new", "cur"):
            for path in (self.local / "mail" / sub).glob("*"):
                h = BytesHeaderParser().parsebytes(path.read_bytes())
                keys[str(h["X-Binome-Key"]).strip()] += 1
                ids[str(h["Message-ID"]).strip()] += 1
        assert max(keys.values(), default=1) == 1, keys.most_common(2)
        assert max(ids.values(), default=1) == 1, ids.most_common(2)
        for path in (self.local / "calendars").glob("*.ics"):
            cal = ICalendar.from_ical(path.read_bytes())
            events = Counter((str(e.get("UID")), str(e.get("RECURRENCE-ID", "")))
                             for e in cal.walk("VEVENT"))
            assert max(events.values(), default=1) == 1, (path.name, events.most_common(2))

    def teardown(self) -> None:
        try:
            # The storm passes, the agent runs on: every intent settles.
            self.faults.enabled = False
            self.faults.kill_at = None
            KillingStorage.countdown = None
            self.agent = self.fresh()
            for _ in range(2):
                self.clock.advance(HOUR)
                self.agent.tick()
            assert list(Store(self.settings.state_dir, readonly=True).all("pending")) == []
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# A fixed set of runs in `make test`; STATEFUL_EXAMPLES=200 STATEFUL_RANDOM=1 explores more.
AgentMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("STATEFUL_EXAMPLES", "12")), stateful_step_count=20,
    deadline=None, derandomize=not os.environ.get("STATEFUL_RANDOM"), database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_the_agent_survives_anything_in_any_order = AgentMachine.TestCase
