"""The long-running agent: one `tick` does everything due by now.

`tick` = settle interrupted actions, read mail and calendar answers, take the
roster, match who needs matching, plan, reconcile. `run` only decides when
ticks and inbox polls happen (the `schedule` library) and stops cleanly.
"""

from __future__ import annotations

import base64
import logging
import signal
import time as systime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

import schedule

from agent.conversation.compose import Composer
from agent.conversation.inbox import read_calendar, read_mail
from agent.conversation.pacing import pace
from agent.core.clock import Clock
from agent.core.errors import UserError
from agent.core.ledger import Ledger, iso, parse_iso
from agent.core.model import Pairing, Participant
from agent.core.secret import reply_secret
from agent.core.store import Store, lock
from agent.pipeline.execute import Outcome, Reconciler
from agent.pipeline.prepare import Preparer
from agent.pipeline.preview import describe_bookings
from agent.programme.conflicts import scan as scan_conflicts
from agent.programme.intake import Intake, RosterIntake
from agent.programme.matching import MatchResult
from agent.programme.matchinput import propose
from agent.programme.planner import Action, digest_actions, latest_digest_month, plan
from agent.programme.scheduling import cycle_bounds
from agent.programme.settings import Settings, installation
from agent.providers.base import Calendar, Mailbox
from agent.providers.registry import open_calendar, open_mailbox

log = logging.getLogger("binome")

# A finished cycle's pairings stop being looked at once their last questionnaire is past.
RETIRE_AFTER = timedelta(days=10)


@dataclass
class TickReport:
    at: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    new_pairings: int = 0
    replies_read: int = 0

    def summary(self) -> str:
        done = sum(o.ok for o in self.outcomes)
        failed = sum(o.result.startswith("failed") for o in self.outcomes)
        return (f"{iso(self.at)}: {done} done, {failed} failed, {self.new_pairings} new pairings, "
                f"{self.replies_read} replies read")


class Agent:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        calendar: Calendar | None = None,
        mailbox: Mailbox | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.ledger = Ledger(store)
        site = installation(settings, clock)
        self.calendar = calendar or open_calendar(settings.backend, site)
        self.mailbox = mailbox or open_mailbox(settings.backend, site)
        self.intake = RosterIntake(settings, store)
        composer = Composer(settings.templates_dir)
        self.preparer = Preparer(settings, self.ledger, self.calendar, composer,
                                 lambda: reply_secret(settings.state_dir))
        self.reconciler = Reconciler(settings, store, self.calendar, self.mailbox, self.preparer)
        self.accept_drop = False

    def people(self, intake: Intake) -> dict[str, Participant]:
        return intake.by_email()

    def poll_inbox(self) -> int:
        now = self.clock.now()
        try:  # the roster says whose aliases may answer for whom
            people = self.people(self.intake.current(accept_drop=self.accept_drop))
        except UserError as exc:  # the tick reports it; replies are still read, alias-less
            log.warning("roster unreadable while reading mail: %s", exc)
            people = {}
        read = read_mail(self.ledger, self.mailbox, now, people)
        read_calendar(self.ledger, self.calendar, now)
        self.store.flush()
        return read

    def tick(self) -> TickReport:
        now = self.clock.now()
        report = TickReport(now)
        if self.ledger.mark("first_tick") is None:
            self.ledger.set_mark("first_tick", iso(now))
        report.outcomes += self.reconciler.resolve_pending(now)
        report.replies_read = self.poll_inbox()
        scan_conflicts(self.ledger, self.calendar, now, self.settings.organisation.timezone)
        intake = self.intake.current(accept_drop=self.accept_drop)
        people = self.people(intake)
        report.new_pairings = self.match(intake, now)
        self.retire(now)
        actions = plan(self.settings, people, self.ledger, now, intake.problems)
        outcomes = self.reconciler.apply(self.pace(actions, people, now), people, now)
        if any(o.ok and o.action.kind == "book" for o in outcomes):
            # Series just booked: their introductions go out in the same tick.
            intros = [a for a in plan(self.settings, people, self.ledger, now)
                      if a.mail_kind == "intro"]
            outcomes += self.reconciler.apply(self.pace(intros, people, now), people, now)
        report.outcomes += outcomes
        self._close_digest_round(now, outcomes)
        self.ledger.set_mark("last_tick", iso(now))
        self.store.flush()
        return report

    def pace(self, actions: list[Action], people: dict[str, Participant],
             now: datetime) -> list[Action]:
        """At most one programme mail a day per person (agent.conversation.pacing)."""
        return pace(actions, settings=self.settings, ledger=self.ledger, people=people,
                    now=now)

    def _close_digest_round(self, now: datetime, outcomes: list[Outcome]) -> None:
        """Once every digest due went out, the planner stops looking for them until the next."""
        digests = [o for o in outcomes if o.action.mail_kind in ("digest", "admin_digest")]
        if all(o.ok for o in digests):
            self.ledger.set_mark("digest_round", latest_digest_month(self.settings, now))

    def render_digests(self, month: str) -> list[tuple[str, bytes]]:
        """Every digest of `month` as it would be sent now, sent already or not: (key, bytes).

        Nothing is sent and, unless the caller flushes, nothing is written.
        """
        now = self.clock.now()
        people = self.people(self.intake.current(accept_drop=self.accept_drop))
        actions = digest_actions(self.settings, people, self.ledger, month, include_sent=True)
        prepared, failed = self.preparer.prepare(actions, people, now)
        if failed:
            raise UserError("; ".join(f"{a.key}: {why}" for a, why in failed))
        return [(p.action.key, base64.b64decode(p.payload["raw"])) for p in prepared]

    def send_digests(self, month: str) -> list[Outcome]:
        """Send the digests of `month` not sent yet, through the same keyed path as a tick."""
        now = self.clock.now()
        people = self.people(self.intake.current(accept_drop=self.accept_drop))
        actions = digest_actions(self.settings, people, self.ledger, month)
        outcomes = self.reconciler.apply(actions, people, now)
        self.store.flush()
        return outcomes

    def planned(self) -> list[Action]:
        """What the next tick would do, matching included; nothing is written."""
        now = self.clock.now()
        intake = self.intake.current(accept_drop=self.accept_drop)
        people = self.people(intake)
        for p in self._new_pairings(intake, now):
            # Into the ledger in memory only (never flushed): the planner then plans their
            # bookings like any other, and they can be previewed.
            self.ledger.save_pairing(p, now)
        return plan(self.settings, people, self.ledger, now, intake.problems)

    def booking_preview(self, actions: list[Action]) -> list[str]:
        """For `binome plan`: each slot the next tick would book, and who is busy when."""
        intake = self.intake.current(accept_drop=self.accept_drop)
        return describe_bookings(self.preparer, self.calendar, self.people(intake), actions,
                                 self.clock.now(), self.settings.organisation.language)

    def current_cycle(self, now: datetime) -> str | None:
        p = self.settings.programme
        tz = self.settings.organisation.timezone
        if now.astimezone(ZoneInfo(tz)).date() < p.start:
            return None
        return cycle_bounds(p.start, p.cycle_months, now, tz)[0].isoformat()

    def _stamp(self, intake: Intake, cycle: str) -> str:
        return f"{cycle}:{intake.digest}:{len(self.store_optouts())}"

    def proposal_now(self) -> tuple[str, MatchResult]:
        """The current cycle (the first one, before the programme starts) and its matching."""
        now = self.clock.now()
        cycle = self.current_cycle(now) or self.settings.programme.start.isoformat()
        return cycle, self.proposal(self.intake.current(accept_drop=self.accept_drop), cycle)

    def participants(self) -> tuple[Participant, ...]:
        return self.intake.current(accept_drop=self.accept_drop).participants

    def proposal(self, intake: Intake, cycle: str) -> MatchResult:
        """The cycle's matching as it would be now: kept pairings and new ones."""
        people = [p for p in intake.participants if self.ledger.optout(p.email) != "stop"]
        existing = [p for p in self.ledger.pairings(status="active") if p.cycle == cycle]
        return propose(self.settings, self.ledger, people, cycle, existing)

    def _new_pairings(self, intake: Intake, now: datetime) -> list[Pairing]:
        cycle = self.current_cycle(now)
        if cycle is None or self.ledger.mark("matched") == self._stamp(intake, cycle):
            return []
        result = self.proposal(intake, cycle)
        waiting: dict[str, list[str]] = {}
        for u in result.unmatched:
            log.debug("unmatched %s in %s: %s", u.email, u.format, u.reason)
            waiting.setdefault(u.email, []).append(u.format)
        self.ledger.set_waitlist(cycle, waiting)
        # A pairing made before (still on, or ended: someone left and came back) is not redone.
        return [p for p in result.pairings if self.ledger.pairing(p.id) is None]

    def match(self, intake: Intake, now: datetime) -> int:
        """Match whoever needs it in the current cycle; reruns only when the roster changed."""
        cycle = self.current_cycle(now)
        if cycle is None:
            return 0
        new = self._new_pairings(intake, now)
        for pairing in new:
            self.ledger.save_pairing(pairing, now)
            log.info("matched %s: %s (%s)", pairing.format, " + ".join(pairing.members),
                     pairing.reason)
        self.ledger.set_mark("matched", self._stamp(intake, cycle))
        return len(new)

    def store_optouts(self) -> list[str]:
        return [e for e, _ in self.store.all("optout")]

    def retire(self, now: datetime) -> None:
        """Mark last cycles' pairings completed once nothing more is due for them (daily)."""
        day = now.date().isoformat()
        if self.ledger.mark("retired") == day:
            return
        for pairing in self.ledger.pairings(status="active"):
            series = self.ledger.series(pairing.id)
            if series is not None and series.until + RETIRE_AFTER < now:
                self.ledger.close_pairing(pairing.id, "completed", series.until)
            elif series is None and pairing.cycle < (self.current_cycle(now) or ""):
                # Never booked (no common free slot all cycle): stop retrying.
                self.ledger.close_pairing(pairing.id, "completed", now, "never booked")
        self.ledger.set_mark("retired", day)


def last_tick(ledger: Ledger) -> datetime | None:
    mark = ledger.mark("last_tick")
    return parse_iso(mark) if mark else None


class Stopper:
    """Turns SIGTERM and Ctrl-C into a flag checked between actions."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        log.info("stopping after the action in flight (signal %d)", signum)
        self.stopping = True

    @contextmanager
    def installed(self) -> Iterator[None]:
        old_term = signal.signal(signal.SIGTERM, self)
        old_int = signal.signal(signal.SIGINT, self)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, old_term)
            signal.signal(signal.SIGINT, old_int)


def guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """A job that raises is logged and the loop goes on (schedule would re-run it every pass)."""

    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("%s failed; the agent goes on", name)

    return run


def run_forever(settings: Settings, clock: Clock, *, max_seconds: float | None = None) -> None:
    stopper = Stopper()
    with lock(settings.state_dir), stopper.installed():
        store = Store(settings.state_dir)
        agent = Agent(settings, store, clock)
        agent.reconciler.should_stop = lambda: stopper.stopping
        scheduler = schedule.Scheduler()
        scheduler.every(settings.agent.tick_minutes).minutes.do(guarded("tick", agent.tick))
        scheduler.every(settings.agent.inbox_minutes).minutes.do(
            guarded("inbox", agent.poll_inbox))
        log.info("agent started; ticks every %d min, inbox every %d min",
                 settings.agent.tick_minutes, settings.agent.inbox_minutes)
        guarded("tick", agent.tick)()
        started = systime.monotonic()
        while not stopper.stopping:
            scheduler.run_pending()
            if max_seconds is not None and systime.monotonic() - started > max_seconds:
                break
            systime.sleep(0.2)
        store.close()
        log.info("agent stopped")
