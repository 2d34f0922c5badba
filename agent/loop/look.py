"""What the commands that only look see: `binome plan`, `match`, `skills`, `digest --out`.

The state is opened read-only (the store refuses any write, so looking can never
change anything) and without the lock, so these work beside a running agent. No
backend is opened unless needed: the calendar only for `binome plan`'s slots,
and the mailbox never.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from agent.conversation.compose import Composer
from agent.core.actions import Action, Book
from agent.core.clock import Clock
from agent.core.errors import ProviderError, UserError
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.core.payloads import MailPayload
from agent.core.secret import existing_secret
from agent.core.store import Store
from agent.core.upkeep.upgrade import refuse_newer
from agent.pipeline.prepare import Preparer
from agent.pipeline.preview import describe_bookings
from agent.programme.cycles import current_cycle, due_matching, proposal
from agent.programme.matching import MatchResult
from agent.programme.planner import plan
from agent.programme.reports import digest_actions
from agent.programme.roster.intake import RosterIntake
from agent.programme.settings import Settings, installation
from agent.providers.base import Calendar
from agent.providers.registry import open_calendar


class Look:
    """The read-only view of the state for the commands that only look (module docstring)."""

    def __init__(self, settings: Settings, clock: Clock,
                 calendar: Callable[[], Calendar] | None = None) -> None:
        self.settings = settings
        self.clock = clock
        store = Store(settings.state_dir, readonly=True)
        refuse_newer(store)  # an older state reads as it is; it is upgraded at the next start
        self.ledger = Ledger(store)
        self.intake = RosterIntake(settings, self.ledger)
        self._open_calendar = calendar or (
            lambda: open_calendar(settings.backend, installation(settings, clock)))
        self._calendar: Calendar | None = None
        # Nothing composed here is sent: without a secret yet, a throwaway one will do.
        secret = existing_secret(settings.state_dir) or secrets.token_bytes(32)
        self.preparer = Preparer(settings, self.ledger, self.calendar,
                                 Composer(settings.templates_dir), lambda: secret)

    def calendar(self) -> Calendar:
        """The calendar backend, opened at the first call only."""
        if self._calendar is None:
            self._calendar = self._open_calendar()
        return self._calendar

    def participants(self) -> tuple[Participant, ...]:
        """The roster as the agent would act on it now."""
        return self.intake.current().participants

    def proposal_now(self) -> tuple[str, MatchResult]:
        """The current cycle (the first one, before the programme starts) and its matching."""
        now = self.clock.now()
        cycle = current_cycle(self.settings, now) or self.settings.programme.start.isoformat()
        return cycle, proposal(self.settings, self.ledger, self.participants(), cycle)

    def planned(self) -> list[Action]:
        """What the next tick would do, the bookings of its matching included."""
        now = self.clock.now()
        intake = self.intake.current()
        matching = due_matching(self.settings, self.ledger, intake, now)
        proposed = matching.new if matching is not None else ()
        return plan(self.settings, intake.by_email(), self.ledger, now, intake.problems,
                    proposed)

    def booking_preview(self, actions: list[Action]) -> list[str]:
        """For `binome plan`: each slot the next tick would book, and who is busy when."""
        books = [a for a in actions if isinstance(a, Book)]
        if not books:
            return []
        people = self.intake.current().by_email()
        try:
            prepared, failed = self.preparer.prepare(books, people, self.clock.now())
            return describe_bookings(prepared, failed, self.calendar(),
                                     self.settings.organisation.language)
        except (ProviderError, UserError, OSError) as exc:
            # The plan stands without them: the slots need the calendar's free/busy time.
            return [f"  (slots not shown: the calendar could not be read: {exc})"]

    def render_digests(self, month: str, progress: Callable[[int, int], None] | None = None
                       ) -> list[tuple[str, bytes]]:
        """Every digest of `month` as it would be sent now, sent already or not: (key, bytes);
        `progress(done, total)` hears of each one composed."""
        now = self.clock.now()
        people = self.intake.current().by_email()
        actions = digest_actions(self.settings, people, self.ledger, month, include_sent=True)
        found: list[tuple[str, bytes]] = []
        problems: list[str] = []
        for done, action in enumerate(actions):  # one by one: each is a few charts' work
            if progress is not None:
                progress(done, len(actions))
            prepared, failed = self.preparer.prepare([action], people, now)
            problems += [f"{a.key}: {why}" for a, why in failed]
            found += [(p.action.key, p.payload.outgoing.raw) for p in prepared
                      if isinstance(p.payload, MailPayload)]
        if problems:
            raise UserError("; ".join(problems))
        return found
