"""The long-running agent: one `tick` does everything due by now.

`tick` = settle interrupted actions, read mail and calendar answers, take the
roster, match who needs matching, then the one-way pipeline: plan (pure) ->
pace (one mail a day) -> prepare (pure payloads) -> execute (intent, call, done).

Each unit of work fails alone (`_guarded`): an inbox that cannot be read, a
calendar that does not answer, one pairing the planner trips on. Its failure is
logged (by unit, never with what people wrote), recorded as a trouble in the
ledger for `binome status` (cleared when it works again) and listed in the
tick's report; the rest of the tick goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from agent.conversation.compose import Composer
from agent.conversation.inbox import read_mail
from agent.conversation.invitations import InvitationWords
from agent.conversation.pacing import pace
from agent.core.actions import Action, Mail, Outcome
from agent.core.clock import Clock
from agent.core.docs import iso, month_of
from agent.core.errors import Problem, ProviderError, UserError
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.core.requests import take
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
T = TypeVar("T")

CHUNK = 200  # actions prepared (one free/busy query) and executed together


@dataclass
class TickReport:
    """What one tick did: each action's outcome, new pairings, replies read."""

    at: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    new_pairings: int = 0
    replies_read: int = 0
    set_aside: int = 0  # of the messages read, those quarantined (`binome status` says why)
    troubles: list[tuple[str, str]] = field(default_factory=list)  # (unit, error)

    def summary(self) -> str:
        """What the tick did, as `binome tick` prints it: one line, then one per trouble."""
        done = sum(o.ok for o in self.outcomes)
        failed = sum(o.failed for o in self.outcomes)
        retry = sum(o.result.startswith("retry") for o in self.outcomes)
        line = (f"{iso(self.at)}: {done} done, {failed} failed, {self.new_pairings} new "
                f"pairings, {self.replies_read} replies read")
        if self.set_aside:
            line += f" ({self.set_aside} set aside)"
        if retry:
            line += f", {retry} to retry"
        if self.troubles:
            line += f", {len(self.troubles)} problem(s) (see binome status)"
        return "\n".join([line, *(f"  problem: {unit}: {error}" for unit, error in self.troubles)])


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
        composer = Composer(settings.templates_dir)
        self._known: dict[str, Participant] | None = None  # the roster, read once a tick
        # Invitations a backend mails are worded here, from templates, in each one's language.
        site = replace(installation(settings, clock),
                       wording=InvitationWords(settings, composer, self._roster))
        self.calendar = calendar or open_calendar(settings.backend, site)
        self.mailbox = mailbox or open_mailbox(settings.backend, site)
        self.intake = RosterIntake(settings, self.ledger)
        self.preparer = Preparer(settings, self.ledger, lambda: self.calendar, composer,
                                 lambda: reply_secret(settings.state_dir))
        self.executor = Executor(self.ledger, self.calendar, self.mailbox)
        self.accept_drop = False

    def people(self) -> dict[str, Participant]:
        """The roster as acted on now, by email."""
        return self.intake.current(accept_drop=self.accept_drop).by_email()

    def _roster(self) -> dict[str, Participant]:
        """The roster for the words of invitations: read once a tick (none when unreadable:
        the organisation's language is used)."""
        if self._known is None:
            try:
                self._known = self.people()
            except UserError:
                self._known = {}
        return self._known

    def poll_inbox(self, report: TickReport | None = None) -> int:
        """Read new mail and calendar answers into the ledger and flush; returns messages read
        (`report`: the tick's, which lists the units that failed)."""
        now = self.clock.now()
        report = report or TickReport(now)
        try:  # the roster says whose aliases may answer for whom
            people = self.people()
        except UserError as exc:  # the tick reports it; replies are still read, alias-less
            log.warning("roster unreadable while reading mail: %s", exc)
            people = {}
        read = self._guarded("inbox", report, lambda: read_mail(
            self.ledger, self.mailbox, now, people, self.calendar), 0)
        if read:
            report.set_aside += sum(q.at == now for q in self.ledger.quarantine.in_month(
                month_of(now)))
        self._guarded("calendar", report,
                      lambda: read_calendar(self.ledger, self.calendar, now), 0)
        report.troubles += [(t.unit, t.error) for t in self.ledger.troubles.everything()
                            if t.unit.startswith("calendar ") and t.last == now]
        self.ledger.flush()
        return read

    def tick(self) -> TickReport:
        """Do everything due by now (see the module docstring), flush, and report what it did."""
        now = self.clock.now()
        report = TickReport(now)
        self._known = None
        if self.ledger.marks.get("first_tick") is None:
            self.ledger.marks.set("first_tick", iso(now))
        self.ledger.messages.retire_guessable(now)
        self._take_retry_requests()
        report.outcomes += self._guarded(
            "pending", report, lambda: self.executor.resolve_pending(now), [])
        report.replies_read = self.poll_inbox(report)
        self._guarded("clash scan", report, lambda: scan_conflicts(
            self.ledger, self.calendar, now, self.settings.organisation.timezone), 0)
        intake = self._intake(report)
        people = intake.by_email()
        released = self.ledger.journal.release_on_change(_inputs(self.settings, intake))
        if released:
            log.info("settings, templates or roster changed: %d failed action(s) to retry",
                     len(released))
        if not intake.refused:
            matching = self._guarded(
                "matching", report, lambda: due_matching(self.settings, self.ledger, intake, now),
                None)
            if matching is not None:
                record_matching(self.ledger, matching, now)
                report.new_pairings = len(matching.new)
        self._guarded("cycles", report, lambda: retire(self.settings, self.ledger, now), None)
        # A booking makes its introductions due at once: a second round sends them in the
        # same tick (what the first round did is in the ledger, so it plans nothing twice).
        for _ in range(2):
            failures: list[tuple[str, str]] = []
            actions = plan(self.settings, people, self.ledger, now, intake.problems,
                           failures=failures)
            self._record(report, failures)
            self.ledger.troubles.clear_prefix("plan ", {unit for unit, _ in failures})
            if any(unit == "inbox" for unit, _ in report.troubles):
                # The answer a reminder would chase may be in the inbox we could not read:
                # reminders wait for a tick that read it.
                actions = [a for a in actions
                           if not (isinstance(a, Mail) and a.mail_kind == "reminder")]
            outcomes = self.run(actions, people, now, paced=True)
            report.outcomes += outcomes
            if not any(o.ok and o.kind == "book" for o in outcomes):
                break
        self._close_digest_round(now, report.outcomes)
        last = self.ledger.marks.get("last_tick")
        if last is not None and now < datetime.fromisoformat(last):
            # The clock went back (a system clock stepped by hand): what was done stays done,
            # and the last tick is not moved backwards.
            log.warning("the clock is before the last tick (%s); nothing done twice", last)
        else:
            self.ledger.marks.set("last_tick", iso(now))
        self.ledger.flush()
        return report

    def _take_retry_requests(self) -> None:
        """What `binome retry` left while this agent held the lock (agent.core.requests)."""
        for request in take(self.settings.state_dir, "retry"):
            keys, journal = request.get("keys"), self.ledger.journal
            if isinstance(keys, list):
                released = [k for k in keys if isinstance(k, str) and journal.release(k)]
            else:
                released = journal.release_all()
            log.info("binome retry: %d action(s) to retry", len(released))

    def _guarded(self, unit: str, report: TickReport, work: Callable[[], T], failed: T) -> T:
        """`work()`, or `failed` when it raises: the unit's failure is recorded (a trouble),
        logged and listed in `report`; a unit that works again is cleared."""
        try:
            result = work()
        except (ProviderError, OSError) as exc:  # a service's answer, a network error
            log.warning("%s failed; the tick goes on: %s", unit, exc)
            self._record(report, [(unit, f"{type(exc).__name__}: {exc}")])
            return failed
        except Exception as exc:  # noqa: BLE001 - one unit of work never stops the tick
            log.exception("%s failed; the tick goes on", unit)
            self._record(report, [(unit, f"{type(exc).__name__}: {exc}")])
            return failed
        self.ledger.troubles.clear(unit)
        return result

    def _record(self, report: TickReport, failures: list[tuple[str, str]]) -> None:
        for unit, error in failures:
            self.ledger.troubles.report(unit, error, report.at)
            report.troubles.append((unit, error))

    def _intake(self, report: TickReport) -> Intake:
        """The roster as acted on; when the file cannot be read at all, the last good roster
        (nothing is cancelled for it, as for a broken row) and the problem, told to the admin."""
        try:
            intake = self.intake.current(accept_drop=self.accept_drop)
        except UserError as exc:
            last_good = self.ledger.people.last_good_roster()
            if not last_good:
                raise  # nothing to act on safely: the tick stops, loudly
            self._record(report, [("roster", str(exc))])
            problem = Problem(str(self.settings.roster.path), "roster", str(exc))
            return Intake(tuple(p for _, p in sorted(last_good.items())), (problem,), (), True)
        self.ledger.troubles.clear("roster")
        return intake

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


def _inputs(settings: Settings, intake: Intake) -> str:
    """A fingerprint of what actions are made from: the settings, the admin's templates and
    the roster as acted on. When it changes, failed actions are tried again."""
    parts = [settings.model_dump_json(), intake.digest, *(str(p) for p in intake.problems)]
    folder = settings.templates_dir
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
