"""The long-running agent: one `tick` does everything due by now.

`tick` = settle interrupted actions, read mail and calendar answers, take the
roster, match who needs matching, then the one-way pipeline: plan (pure) ->
pace (one mail a day) -> prepare (pure payloads) -> execute (intent, call, done).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from agent.conversation.compose import Composer
from agent.conversation.inbox import read_mail
from agent.conversation.pacing import pace
from agent.core.actions import Action, Outcome
from agent.core.clock import Clock
from agent.core.docs import iso
from agent.core.errors import UserError
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.core.secret import reply_secret
from agent.core.store import Store
from agent.pipeline.execute import Executor
from agent.pipeline.prepare import Preparer
from agent.programme.conflicts import scan as scan_conflicts
from agent.programme.cycles import due_matching, record_matching, retire
from agent.programme.planner import plan
from agent.programme.reports import digest_actions, latest_digest_month
from agent.programme.roster.intake import Intake, RosterIntake
from agent.programme.rsvp import read_calendar
from agent.programme.settings import Settings, installation
from agent.providers.base import Calendar, Mailbox
from agent.providers.registry import open_calendar, open_mailbox

log = logging.getLogger("binome")

CHUNK = 200  # actions prepared (one free/busy query) and executed together


@dataclass
class TickReport:
    """What one tick did: each action's outcome, new pairings, replies read."""

    at: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    new_pairings: int = 0
    replies_read: int = 0

    def summary(self) -> str:
        """One line saying what the tick did, as `binome tick` prints it."""
        done = sum(o.ok for o in self.outcomes)
        failed = sum(o.failed for o in self.outcomes)
        return (f"{iso(self.at)}: {done} done, {failed} failed, {self.new_pairings} new pairings, "
                f"{self.replies_read} replies read")


class Agent:
    """The agent on one writable store (held under `agent.core.store.lock`)."""

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
        self.intake = RosterIntake(settings, self.ledger)
        self.preparer = Preparer(settings, self.ledger, lambda: self.calendar,
                                 Composer(settings.templates_dir),
                                 lambda: reply_secret(settings.state_dir))
        self.executor = Executor(self.ledger, self.calendar, self.mailbox)
        self.accept_drop = False

    def people(self) -> dict[str, Participant]:
        """The roster as acted on now, by email."""
        return self.intake.current(accept_drop=self.accept_drop).by_email()

    def poll_inbox(self) -> int:
        """Read new mail and calendar answers into the ledger and flush; returns messages read."""
        now = self.clock.now()
        try:  # the roster says whose aliases may answer for whom
            people = self.people()
        except UserError as exc:  # the tick reports it; replies are still read, alias-less
            log.warning("roster unreadable while reading mail: %s", exc)
            people = {}
        read = read_mail(self.ledger, self.mailbox, now, people)
        read_calendar(self.ledger, self.calendar, now)
        self.ledger.flush()
        return read

    def tick(self) -> TickReport:
        """Do everything due by now (see the module docstring), flush, and report what it did."""
        now = self.clock.now()
        report = TickReport(now)
        if self.ledger.marks.get("first_tick") is None:
            self.ledger.marks.set("first_tick", iso(now))
        report.outcomes += self.executor.resolve_pending(now)
        report.replies_read = self.poll_inbox()
        scan_conflicts(self.ledger, self.calendar, now, self.settings.organisation.timezone)
        intake = self.intake.current(accept_drop=self.accept_drop)
        people = intake.by_email()
        self._match(intake, now, report)
        retire(self.settings, self.ledger, now)
        # A booking makes its introductions due at once: a second round sends them in the
        # same tick (what the first round did is in the ledger, so it plans nothing twice).
        for _ in range(3):
            actions = plan(self.settings, people, self.ledger, now, intake.problems)
            outcomes = self.run(actions, people, now, paced=True)
            report.outcomes += outcomes
            if any(o.ok and o.kind == "end" for o in outcomes):
                # Whom an ended pairing frees (a series declined) is matched again in this
                # tick, as a tick done again after a crash would: the same run either way.
                self._match(intake, now, report)
                continue
            if not any(o.ok and o.kind == "book" for o in outcomes):
                break
        self._close_digest_round(now, report.outcomes)
        self.ledger.marks.set("last_tick", iso(now))
        self.ledger.flush()
        return report

    def _match(self, intake: Intake, now: datetime, report: TickReport) -> None:
        """Record the matching due at `now`, if any (agent.programme.cycles)."""
        matching = due_matching(self.settings, self.ledger, intake, now)
        if matching is not None:
            record_matching(self.ledger, matching, now)
            report.new_pairings += len(matching.new)

    def run(self, actions: Sequence[Action], people: dict[str, Participant], now: datetime,
            *, paced: bool) -> list[Outcome]:
        """pace (when `paced`) -> prepare -> execute, by chunks."""
        if paced:
            actions = pace(actions, settings=self.settings, ledger=self.ledger, people=people,
                           now=now)
        outcomes: list[Outcome] = []
        for start in range(0, len(actions), CHUNK):
            prepared, failed = self.preparer.prepare(actions[start:start + CHUNK], people, now)
            outcomes += self.executor.execute(prepared, failed, now)
            if self.executor.should_stop():
                break
        return outcomes

    def _close_digest_round(self, now: datetime, outcomes: list[Outcome]) -> None:
        """Once every digest due went out, the planner stops looking for them until the next."""
        digests = [o for o in outcomes if o.mail_kind in ("digest", "admin_digest")]
        if all(o.ok for o in digests):
            self.ledger.marks.set("digest_round", latest_digest_month(self.settings, now))

    def send_digests(self, month: str) -> list[Outcome]:
        """Send the digests of `month` not sent yet, through the same keyed path as a tick."""
        now = self.clock.now()
        people = self.people()
        actions = digest_actions(self.settings, people, self.ledger, month)
        outcomes = self.run(actions, people, now, paced=False)
        self.ledger.flush()
        return outcomes
