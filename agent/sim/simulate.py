"""`binome simulate`: the real agent on the local backend, a simulated clock, simulated people.

Layout of the output folder:
  calendars/*.ics   everyone's calendar (the agent's series, people's own meetings)
  mail/             Maildir of every message the agent sent (people's clients read it)
  inbox/            Maildir of what people answered (the agent reads it)
  digests/          each monthly digest as .html (and .eml)
  state/            the agent's store;  people/  the simulated people's own memory

Resumable: the simulated clock is saved after every step; running again with
the same folder continues from there. A step that was interrupted is simply
run again: the agent and the people are both idempotent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from agent.core.clock import SimClock
from agent.core.docs import iso, parse_iso
from agent.core.errors import UserError
from agent.core.keys import parse_key
from agent.core.secret import reply_secret
from agent.core.store import Store, lock
from agent.core.upkeep.upgrade import open_state
from agent.digest.files import digest_stem, write_digest
from agent.loop.agent import Agent
from agent.loop.failures import FailureGroup, failure_lines, group_failures
from agent.programme.settings import Settings, installation
from agent.providers.base import Calendar, Mailbox
from agent.providers.local.maildir import clear_leftovers
from agent.providers.registry import open_calendar, open_mailbox
from agent.sim.people import LIKELY_RATE, SimPeople

STEP = timedelta(hours=1)
# The run goes on until noon of its last day, so the digest of the last month
# (due on the 1st in the morning) is part of it.
TAIL = timedelta(hours=5)


@dataclass(frozen=True)
class SimSummary:
    """What a simulation produced and where its files are."""

    out: Path
    start: datetime
    end: datetime
    messages_sent: int
    replies: int
    pairings: int
    feedback: int
    digests: list[Path]
    moved: int = 0  # occurrences moved (declined, or something else booked over them)
    skipped: int = 0  # occurrences cancelled: a holiday or a clash with no free time that week
    failures: tuple[FailureGroup, ...] = ()  # actions whose last attempt failed, grouped

    @property
    def failed(self) -> int:
        """How many actions failed (their last attempt)."""
        return sum(g.count for g in self.failures)

    def text(self) -> str:
        """The summary `binome simulate` prints: what failed first, grouped, when anything did."""
        if self.failed:
            head = [f"Simulated {self.start.date()} to {self.end.date()} in {self.out} "
                    f"with {self.failed} FAILED action(s):",
                    *failure_lines(list(self.failures))]
        else:
            head = [f"Simulated {self.start.date()} to {self.end.date()} in {self.out}"]
        return "\n".join(
            [
                *head,
                f"  pairings: {self.pairings}, messages sent: {self.messages_sent}, "
                f"replies: {self.replies}, feedback recorded: {self.feedback}",
                f"  calendars: {self.out / 'calendars'}/*.ics "
                f"({self.moved} sessions moved, {self.skipped} skipped)",
                f"  mail (Maildir): {self.out / 'mail'}",
                f"  replies (Maildir): {self.out / 'inbox'}",
                f"  digests: {self.out / 'digests'} ({len(self.digests)} files)",
            ]
        )


def sim_settings(settings: Settings, out: Path) -> Settings:
    """The same settings, with state and the local backend inside `out`."""
    state = settings.state.model_copy(update={"path": out / "state"})
    local = settings.backend.local.model_copy(update={"path": out.resolve()})
    backend = settings.backend.model_copy(
        update={"calendar": "local", "mail": "local", "local": local}
    )
    return settings.model_copy(update={"state": state, "backend": backend})


def simulate(
    settings: Settings,
    out: Path,
    *,
    months: int,
    seed: int,
    on_step: Callable[[Agent, datetime], None] | None = None,
    wrap: Callable[[Calendar, Mailbox], tuple[Calendar, Mailbox]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    likely_rate: float = LIKELY_RATE,
) -> SimSummary:
    """Run the agent hourly for `months` with simulated people in `out` (resumes a stopped run).

    `wrap` puts something between the agent and its backends, through their contract (the
    fault injection of tests/faults.py); the people still use the files directly.
    `progress(done, total)` hears of each simulated hour. `likely_rate`: how often someone
    answers the objectives with a command they are not sure of (the agent asks them back,
    and they confirm)."""
    out.mkdir(parents=True, exist_ok=True)
    settings = sim_settings(settings, out)
    tz = ZoneInfo(settings.organisation.timezone)
    first = datetime.combine(settings.programme.start, time(7), tz)
    with lock(settings.state_dir):
        people_store = Store(out / "people")
        run = people_store.get("sim", "run")
        if run is None:
            run = {
                "seed": seed,
                "start": iso(first),
                "end": iso(first + relativedelta(months=months) + TAIL),
                "now": iso(first),
            }
            people_store.put("sim", "run", run)
            people_store.flush()
        elif run["seed"] != seed or run["end"] != iso(first + relativedelta(months=months) + TAIL):
            raise UserError(
                f"{out} holds a simulation with seed {run['seed']} until {run['end'][:10]}; "
                "use the same --seed and --months to resume it, or another --out"
            )
        clock = SimClock(parse_iso(run["now"]))
        store = open_state(settings.state_dir, clock.now())  # upgraded at start if need be
        # The installation's secret comes from the seed, so a rerun sends the same bytes.
        reply_secret(settings.state_dir, random.Random(f"{seed}/secret").randbytes)
        calendar, mailbox = None, None
        if wrap is not None:
            site = installation(settings, clock)
            calendar, mailbox = wrap(open_calendar(settings.backend, site),
                                     open_mailbox(settings.backend, site))
        agent = Agent(settings, store, clock, calendar, mailbox)
        everyone = agent.people()
        people = SimPeople(out, everyone, people_store, seed,
                           settings.organisation.programme_email, likely_rate)
        people.setup(parse_iso(run["start"]))
        people_store.flush()
        end = parse_iso(run["end"])
        total = (end - parse_iso(run["start"])) // STEP
        while clock.now() < end:
            if progress is not None:
                progress((clock.now() - parse_iso(run["start"])) // STEP, total)
            now = clock.now()
            people.act(now)
            agent.tick()
            if on_step is not None:
                on_step(agent, now)
            people_store.put("sim", "run", {**run, "now": iso(now + STEP)})
            people_store.flush()
            clock.advance(STEP)
        digests = export_digests(out)
        summary = SimSummary(
            out=out,
            start=parse_iso(run["start"]),
            end=end,
            messages_sent=_count(out / "mail"),
            replies=_count(out / "inbox"),
            pairings=sum(1 for _ in agent.ledger.pairings.everything()),
            feedback=sum(1 for _ in agent.ledger.answers.feedback()),
            digests=digests,
            moved=sum(len(s.moved) for _, s in agent.ledger.series.everything()),
            skipped=sum(len(s.cancelled) for _, s in agent.ledger.series.everything()),
            failures=tuple(group_failures((a.key, a.error)
                                          for a in agent.ledger.journal.everything()
                                          if a.status == "failed")),
        )
        store.close()
        people_store.close()
    return summary


def _count(maildir: Path) -> int:
    return sum(
        len(list((maildir / sub).iterdir())) for sub in ("new", "cur") if (maildir / sub).is_dir()
    )


def export_digests(out: Path) -> list[Path]:
    """Write each digest the agent sent as .html and .eml into out/digests (idempotent)."""
    folder = out / "digests"
    folder.mkdir(exist_ok=True)
    clear_leftovers(folder)
    written = []
    for sub in ("cur", "new"):
        directory = out / "mail" / sub
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            raw = path.read_bytes()
            msg = message_from_bytes(raw, policy=default_policy)
            key = str(msg.get("X-Binome-Key", "")).strip()  # folded when long
            if parse_key(key).family != "digest" or not isinstance(msg, EmailMessage):
                continue
            target = write_digest(raw, folder, digest_stem(key))
            if target is not None:
                written.append(target)
    return sorted(written)
